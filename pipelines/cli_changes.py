"""``csc-kpis change``: "from X (date) to Y (date)" sentences, ready to paste into a paper.

    csc-kpis change --la 992                              # baseline -> latest month
    csc-kpis change --la 992 --from 2023-01 --to 2023-11  # any two months
    csc-kpis change --la 992 --kpi cla_open --from 2023-01 --to 2023-11

Without --kpi: every KPI with a target in the LA's plans.
"""

import argparse
import datetime as dt
from collections.abc import Callable

from pipelines.lib import paths

Echo = Callable[[str], None]


def _month(text: str) -> dt.date:
    """``YYYY-MM`` (or any date in the month) -> the month's last day."""
    from pipelines.lib.publish.changes import last_day_of_month

    try:
        day = dt.date.fromisoformat(text if len(text) > 7 else f"{text}-01")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a month (YYYY-MM)") from exc
    return last_day_of_month(day)


def add_change_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    change = sub.add_parser(
        "change", help='"from X (date) to Y (date)" sentences for papers, in the council rounding'
    )
    change.add_argument("--la", required=True, help="LA code")
    change.add_argument(
        "--kpi", default=None, help="only this KPI (default: every KPI with a target)"
    )
    change.add_argument(
        "--from", dest="from_", type=_month, default=None, help="first month (YYYY-MM)"
    )
    change.add_argument("--to", type=_month, default=None, help="second month (YYYY-MM)")
    change.add_argument("--data-dir", default=None, help="data folder (default ./data)")
    change.set_defaults(func=cmd_change)


def cmd_change(args: argparse.Namespace) -> int:
    from pipelines.cli_export import unknown_la

    data_paths = paths.resolve_paths(args.data_dir, None)
    if problem := unknown_la(data_paths, args.la):
        return _fail(problem)
    if (args.from_ is None) != (args.to is None):
        return _fail("give both --from and --to, or neither (baseline to the latest month)")
    if args.from_ and args.to and args.to < args.from_:
        return _fail("--to is before --from")
    return write_changes(args, data_paths, _say)


def _say(text: str) -> None:
    import sys

    sys.stdout.write(text + "\n")


def _fail(message: str) -> int:
    import sys

    sys.stderr.write(f"csc-kpis change: {message}\n")
    return 2


def write_changes(args: argparse.Namespace, data_paths: paths.DataPaths, echo: Echo) -> int:
    from pipelines.lib import warehouse
    from pipelines.lib.kpi.definitions import load_definitions
    from pipelines.lib.kpi.outputs import la_targets, newest_extract
    from pipelines.lib.kpi.targets import load_plans
    from pipelines.lib.publish.changes import last_day_of_month, month_change, target_changes

    definitions = load_definitions()
    by_id = {k.id: k for k in definitions}
    if args.kpi and args.kpi not in by_id:
        return _fail(f"no KPI '{args.kpi}' (see kpi_definitions/)")
    with warehouse.connect(data_paths.warehouse) as con:
        extract = newest_extract(con, args.la)
        if extract is None:
            return _fail(f"no KPIs have been computed for LA {args.la}: run `csc-kpis run` first")
        targets, _ = la_targets(con, args.la, load_plans())
        if args.from_ is None:
            # The latest whole month the extract covers.
            latest = last_day_of_month(extract)
            latest = latest if latest <= extract else extract.replace(day=1) - dt.timedelta(days=1)
            chosen = [by_id[args.kpi]] if args.kpi else definitions
            lines = [text for _, text in target_changes(con, args.la, chosen, targets, latest)]
            if args.kpi and not lines:
                return _fail(
                    f"{args.kpi} has no target in LA {args.la}'s plans: give --from and --to"
                )
        else:
            kpis = [by_id[args.kpi]] if args.kpi else [
                k for k in definitions if any(t.kpi_id == k.id for t in targets)
            ]  # fmt: skip
            lines = []
            for kpi in kpis:
                own = sorted((t for t in targets if t.kpi_id == kpi.id), key=lambda t: t.due)
                measure = own[0].measure if own else None
                lines.append(month_change(con, kpi, args.la, args.from_, args.to, measure))
    echo(f"LA {args.la}, KPIs computed from the extract of {extract:%-d %B %Y}:")
    for line in lines:
        echo(line)
    return 0
