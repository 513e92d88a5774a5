"""``csc-kpis``: generate demo extracts, run the pipeline on an inbox, export warehouse tables."""

import argparse
import contextlib
import datetime as dt
import importlib
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from pipelines.cli_adviser import add_adviser_parser, write_adviser
from pipelines.cli_changes import add_change_parser
from pipelines.cli_export import export, export_problem, unknown_la
from pipelines.lib import paths
from pipelines.lib.la_config import ConfigError
from pipelines.lib.messages import clip


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in YYYY-MM-DD form") from None


def _echo(message: str) -> None:
    print(message, flush=True)


def _fail(command: str, message: str, status: int = 2) -> int:
    """Say what is wrong in one line on stderr; the exit status."""
    print(f"csc-kpis {command}: {clip(message)}", file=sys.stderr, flush=True)
    return status


def cmd_generate(args: argparse.Namespace) -> int:
    from pipelines.synthetic import generate_la

    if args.to < args.from_:
        raise SystemExit("csc-kpis generate: --to is before --from")
    out = Path(args.out).expanduser().resolve()
    started = time.monotonic()
    extracts = generate_la(
        args.la_code,
        args.from_,
        args.to,
        out,
        scale=args.scale,
        seed=args.seed,
        dirty=args.dirty,
        la_name=args.la_name,
        profile=args.profile,
        n_extracts=args.extracts,
        progress=_echo,
    )
    for extract in extracts:
        rows = sum(extract.row_counts.values())
        defects = f", {len(extract.defects)} defects injected" if extract.defects else ""
        _echo(f"  {extract.path}: {rows:,} rows{defects}")
    _echo(f"Generated {len(extracts)} extract(s) in {time.monotonic() - started:.1f} s under {out}")
    if args.format != "ssd":
        _write_return(args, extracts[-1].path)
    return 0


@contextlib.contextmanager
def tempfile_dir(parent: Path) -> Iterator[Path]:
    """A hidden folder beside the extracts, removed if the writing fails."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=".return-", dir=parent))
    try:
        yield folder
    finally:
        if folder.exists():
            shutil.rmtree(folder)


def _write_return(args: argparse.Namespace, extract: Path) -> None:
    """Write the newest generated extract as a statutory return, in an extract folder of its
    own dated 31 March of the collection year; the SSD extracts are removed, so the inbox holds
    what a council without the SSD would send."""
    import shutil

    from pipelines.synthetic.cin_writer import write_cin_census
    from pipelines.synthetic.ssda903_writer import write_ssda903

    extract_date = dt.date.fromisoformat(extract.name)
    year = args.collection_year or (
        extract_date.year if extract_date.month > 3 else extract_date.year - 1
    )
    la_folder = extract.parent
    target = la_folder / f"{year}-03-31"
    with tempfile_dir(la_folder) as staging:
        if args.format == "cin":
            files = [
                write_cin_census(extract, staging / f"cin_census_{year}.xml", year, args.la_code)
            ]
        else:
            files = write_ssda903(extract, staging, year)
        for folder in [p for p in la_folder.iterdir() if p.is_dir() and p != staging]:
            shutil.rmtree(folder)
        staging.rename(target)
    _echo(f"Wrote the {year} {args.format.upper()} return ({len(files)} file(s)) to {target}")


def _run(
    data_paths: paths.DataPaths,
    la_codes: list[str] | None,
    then: Callable[[], int] | None = None,
) -> int:
    """Run the LAs, then ``then`` (its status: 0, or 1 when it failed to write something), then the
    summary, whose last line says how the whole went."""
    from pipelines.run_report import ALL_PUBLISHED, KPIS_WITHHELD, NOTHING_PUBLISHED, exit_status
    from pipelines.runner import run_inbox

    started = time.monotonic()
    try:
        reports = run_inbox(data_paths, la_codes, echo=_echo)
    except ConfigError as exc:
        return _fail("run", str(exc))
    except RuntimeError as exc:  # the reference data (shared by every LA) could not be built
        return _fail("run", str(exc), status=1)
    for report in reports:
        rejected = report.rejected
        if report.refused:
            _echo(clip(report.refused))  # exit_status counts it as nothing published
            continue
        if report.defects:
            _echo(f"\nLA {report.la_code}: defects found in the new extracts:")
            for line in report.defects:
                _echo(f"  - {clip(line)}")
        for problem in report.ignored:
            _echo(clip(f"LA {report.la_code}: {problem}"))
        for day, _, _ in rejected:
            _echo(
                f"LA {report.la_code}: extract {day} was REJECTED (see above); "
                "the last good extract stays current."
            )
        if report.error:
            _echo(clip(f"LA {report.la_code}: run FAILED: {report.error}"))
        if report.validation_failures:
            _echo(
                f"LA {report.la_code}: validation failed, so nothing was published from this "
                "extract; the last good KPIs stay in place:"
            )
            for line in report.validation_failures:
                _echo(f"  - {clip(line)}")
            _echo(
                f"  report: {paths.internal_outputs(data_paths.published, report.la_code)}"
                "/validation/latest.html"
            )
        if not report.success and not (rejected or report.validation_failures or report.error):
            _echo(f"LA {report.la_code}: run FAILED (see the Dagster run log)")
        if report.not_published:
            _echo(f"LA {report.la_code}: not published: {report.not_published}")
        if report.withheld and report.success:
            _echo(f"LA {report.la_code}: published, with KPIs withheld (last good values kept):")
            for line in report.withheld:
                _echo(f"  - {line}")
        if report.clinic_pack:
            _echo(f"LA {report.la_code}: clinic pack {report.clinic_pack}")
    more_failed = bool(then and then())
    _echo(f"\nDone in {time.monotonic() - started:.1f} s.")
    _echo(f"  warehouse:  {data_paths.warehouse}")
    _echo(
        f"  published:  {data_paths.published}  (per LA: public/ may be published; internal/ is "
        "OFFICIAL-SENSITIVE, for meetings only)"
    )
    _echo(f"  restricted: {data_paths.restricted}  (child-level, never shared)")
    _echo(f"  Dagster run history: {data_paths.dagster_home}  (browse it with `make dev`)")
    status = NOTHING_PUBLISHED if more_failed else exit_status(reports)
    _echo(
        {
            ALL_PUBLISHED: "Result: all published.",
            KPIS_WITHHELD: f"Result: published with KPIs withheld (exit {KPIS_WITHHELD}).",
            NOTHING_PUBLISHED: "Result: nothing published for at least one LA (exit 1).",
        }[status]
    )
    return status


def cmd_run(args: argparse.Namespace) -> int:
    data_paths = paths.resolve_paths(args.data_dir, args.inbox)
    return _run(data_paths, args.la or None)


def cmd_demo(args: argparse.Namespace) -> int:
    from pipelines.synthetic import DEMO_LAS, demo

    data_paths = paths.resolve_paths(args.data_dir, None)
    present = all((data_paths.inbox / la.la_code / "la.yaml").is_file() for la in DEMO_LAS)
    if args.regenerate or not present:
        _echo(f"Generating the synthetic demo extracts in {data_paths.inbox} ...")
        # A child process writes them while this one loads the pipeline (Dagster and Great
        # Expectations take seconds to import): on two cores the two take the time of one.
        child = subprocess.Popen([sys.executable, *demo.CHILD, str(data_paths.inbox)])
        for module in ("pipelines.runner", "pipelines.defs.jobs"):
            importlib.import_module(module)
        if child.wait() != 0:
            print("csc-kpis demo: the demo extracts could not be generated", file=sys.stderr)
            return 1
    else:
        _echo(f"Demo extracts already in {data_paths.inbox} (use --regenerate to write them again)")
    codes = [la.la_code for la in DEMO_LAS]

    def adviser() -> int:
        # The six-weekly adviser report is not part of a run: the demo writes one explicitly.
        _echo("\nThe report to the DfE adviser (six-weekly; `csc-kpis adviser` writes it again):")
        return write_adviser(data_paths, codes, _echo)

    return _run(data_paths, codes, adviser)


def cmd_backfill(args: argparse.Namespace) -> int:
    from pipelines.runner import backfill_clinic_packs

    if args.to < args.from_:
        print("csc-kpis backfill: --to is before --from", file=sys.stderr)
        return 2
    data_paths = paths.resolve_paths(args.data_dir, None)
    if problem := unknown_la(data_paths, args.la):
        return _fail("backfill", problem)  # before any Dagster partition is made for it
    done = backfill_clinic_packs(data_paths, args.la, args.from_, args.to, echo=_echo)
    missing = [week for week, pack in done if pack is None]
    if missing:
        _echo(f"{len(missing)} of {len(done)} week(s) not written: see the messages above")
    return 1 if missing else 0


def cmd_export(args: argparse.Namespace) -> int:
    data_paths = paths.resolve_paths(args.data_dir, None)
    out = Path(args.out).expanduser().resolve()
    if problem := export_problem(args, data_paths, out):
        return _fail("export", problem)  # nothing written, nothing created
    return export(args, data_paths, out, _echo)


def _generated_file(args: argparse.Namespace, path: Path, text: str, command: str) -> int:
    """Print a generated Markdown file, write it (--write) or check it is current (--check)."""
    if args.check:
        if path.exists() and path.read_text(encoding="utf-8") == text:
            _echo(f"{path} is up to date")
            return 0
        _echo(f"{path} is out of date: run `csc-kpis {command} --write`")
        return 1
    if args.write:
        path.write_text(text, encoding="utf-8")
        _echo(f"wrote {path}")
    else:
        _echo(text)
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from pipelines.lib.kpi.definitions import load_definitions
    from pipelines.lib.sources_doc import SOURCES_FILE, sources_table

    return _generated_file(args, SOURCES_FILE, sources_table(load_definitions()), "sources")


def cmd_deviations(args: argparse.Namespace) -> int:
    from pipelines.lib.kpi.definitions import load_definitions
    from pipelines.lib.kpi.deviations import DEVIATIONS_FILE, deviations_table

    table = deviations_table(load_definitions())
    return _generated_file(args, DEVIATIONS_FILE, table, "deviations")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="csc-kpis",
        description="Children's social care KPIs from case-management extracts "
        "(inbox -> DuckDB -> KPIs -> checks -> charts).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write synthetic extracts (for demos, tests, benchmarks)")
    gen.add_argument("--la-code", required=True, help="LA code, used as the inbox folder name")
    gen.add_argument(
        "--from", dest="from_", type=_date, required=True, help="history start (YYYY-MM-DD)"
    )
    gen.add_argument("--to", type=_date, required=True, help="history end (YYYY-MM-DD)")
    gen.add_argument("--scale", type=float, default=1.0, help="multiply volumes (default 1)")
    gen.add_argument("--seed", type=int, default=0, help="random seed (same seed, same files)")
    gen.add_argument("--dirty", action="store_true", help="inject realistic defects")
    gen.add_argument("--profile", choices=("city", "county"), default="city", help="story to plant")
    gen.add_argument("--la-name", default=None, help="the LA's name in la.yaml")
    gen.add_argument("--extracts", type=int, default=4, help="weekly extracts to write (default 4)")
    gen.add_argument("--out", required=True, help="inbox folder to write into")
    gen.add_argument(
        "--format",
        choices=("ssd", "cin", "903"),
        default="ssd",
        help="ssd extracts (default), or the newest as a CIN census XML or an SSDA903 return",
    )
    gen.add_argument(
        "--collection-year",
        type=int,
        default=None,
        help="cin/903: the year ending 31 March YEAR (default: the last one ended)",
    )
    gen.set_defaults(func=cmd_generate)

    run = sub.add_parser("run", help="materialise everything for the extracts in an inbox")
    run.add_argument("--inbox", default=None, help="inbox folder (default <data dir>/inbox)")
    run.add_argument(
        "--data-dir",
        default=None,
        help=f"data folder for warehouse and outputs (default ${paths.DATA_DIR_ENV} or ./data)",
    )
    run.add_argument("--la", action="append", help="only this LA (repeatable)")
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser("demo", help="generate the two demo LAs (if absent) and run everything")
    demo.add_argument("--data-dir", default=None, help="data folder (default ./data)")
    demo.add_argument("--regenerate", action="store_true", help="write the demo extracts again")
    demo.set_defaults(func=cmd_demo)

    backfill = sub.add_parser(
        "backfill", help="write the clinic packs of past weeks (from the KPIs already computed)"
    )
    backfill.add_argument("--la", required=True, help="LA code")
    backfill.add_argument(
        "--from", dest="from_", type=_date, required=True, help="first week (any day in it)"
    )
    backfill.add_argument("--to", type=_date, required=True, help="last week (any day in it)")
    backfill.add_argument("--data-dir", default=None, help="data folder (default ./data)")
    backfill.set_defaults(func=cmd_backfill)

    export = sub.add_parser(
        "export", help="write KPI values (`kpis`) or a warehouse table to CSV or Parquet"
    )
    export.add_argument(
        "table",
        help="`kpis` for KPI values, or a table: ssd_contacts, stg.quarantine, kpi.kpi_status...",
    )
    export.add_argument("--format", choices=("csv", "parquet"), default="csv")
    export.add_argument("--out", required=True, help="output file")
    export.add_argument("--la", default=None, help="only this LA")
    export.add_argument("--grain", default=None, help="kpis: only this grain (week, month, ...)")
    export.add_argument(
        "--revisions", action="store_true", help="kpis: add the values of earlier extracts"
    )
    export.add_argument("--data-dir", default=None, help="data folder (default ./data)")
    export.set_defaults(func=cmd_export)
    add_change_parser(sub)
    add_adviser_parser(sub)

    for name, file_name, about, func in (
        ("sources", "SOURCES.md",
         "which KPIs each source (SSD, Annex A, CIN, SSDA903, CSWW) can compute", cmd_sources),
        ("deviations", "DEVIATIONS.md",
         "where the KPIs differ from the DfE's definitions", cmd_deviations),
    ):  # fmt: skip
        generated = sub.add_parser(name, help=about)
        mode = generated.add_mutually_exclusive_group()
        mode.add_argument("--write", action="store_true", help=f"write kpi_definitions/{file_name}")
        mode.add_argument("--check", action="store_true", help=f"exit 1 if {file_name} is stale")
        generated.set_defaults(func=func)
    return parser


def main(argv: list[str] | None = None) -> int:
    from pipelines import run_guard
    from pipelines.lib import locks

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except locks.LockTimeout as exc:
        return _fail(args.command, str(exc), status=1)
    except OSError as exc:
        # A full disk is said in one line, naming the folder; other errors show as they are.
        data_paths = paths.resolve_paths(getattr(args, "data_dir", None), None)
        if line := run_guard.disk_full_line(exc, data_paths):
            return _fail(args.command, line, status=1)
        raise


if __name__ == "__main__":
    raise SystemExit(main())
