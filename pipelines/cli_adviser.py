"""``csc-kpis adviser``: write the six-weekly report to the DfE adviser now.

    csc-kpis adviser              # every LA with KPIs, from its newest extract
    csc-kpis adviser --la 992     # one LA (repeatable), e.g. after filling in its commentary

An LA's run does not write it (see ``pipelines/runner_adviser.py``); the six-weekly schedule
does, and this command when the analyst asks. Exit 0 when every report was written, else 1.
"""

import argparse
import sys
from collections.abc import Callable

from pipelines.lib import paths

Echo = Callable[[str], None]


def add_adviser_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    adviser = sub.add_parser(
        "adviser",
        help="write the six-weekly report to the DfE adviser (from each LA's newest extract)",
    )
    adviser.add_argument("--la", action="append", help="only this LA (repeatable)")
    adviser.add_argument("--data-dir", default=None, help="data folder (default ./data)")
    adviser.set_defaults(func=cmd_adviser)


def cmd_adviser(args: argparse.Namespace) -> int:
    from pipelines.cli_export import unknown_la

    data_paths = paths.resolve_paths(args.data_dir, None)
    for la_code in args.la or [None]:
        if problem := unknown_la(data_paths, la_code):
            sys.stderr.write(f"csc-kpis adviser: {problem}\n")
            return 2  # nothing written, nothing created
    return write_adviser(data_paths, args.la, _say)


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def write_adviser(data_paths: paths.DataPaths, la_codes: list[str] | None, echo: Echo) -> int:
    """The adviser report of each LA named (default every LA with KPIs); 0 when all were
    written, 1 when one was not (``echo`` says why)."""
    from pipelines.runner_adviser import las_with_kpis, write_adviser_reports

    codes = la_codes or las_with_kpis(data_paths)
    if not codes:
        echo("No LA has KPIs in the warehouse yet: run `csc-kpis run` first.")
        return 1
    written = write_adviser_reports(data_paths, codes, echo)
    return 0 if all(written.values()) else 1
