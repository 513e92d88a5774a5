"""Formatting an extract the way LA systems write it, and writing the files.

Dates: ``ssd_cla_*``, ``ssd_legal_status`` and ``ssd_missing`` in UK ``DD/MM/YYYY`` (datetimes
``DD/MM/YYYY HH:MM``), everything else ISO (datetimes ``YYYY-MM-DD HH:MM:SS``). Flags are Y/N,
except ``ssd_cin_visits`` (seen ``Yes``/``No``, seen alone ``1``/``0``). CP categories and missing
types are written as names (``Neglect``, ``Missing``). ``ssd_person`` and ``ssd_professionals``
carry fictional direct identifiers (names, NHS-style numbers from 999, UPNs, ZZ99 postcodes,
registration numbers) so that the ingest's dropping of them can be tested.
"""

import datetime as dt
import pathlib

import numpy as np
import polars as pl
import xlsxwriter
import yaml

from pipelines.lib.contract import TABLES, TABLES_BY_NAME
from pipelines.synthetic.common import Table, Team
from pipelines.synthetic.snapshot import column_kind
from pipelines.synthetic.workdays import NA, to_date

UK_DATE_TABLES = frozenset(
    {
        "ssd_cla_episodes",
        "ssd_cla_placement",
        "ssd_cla_reviews",
        "ssd_cla_visits",
        "ssd_legal_status",
        "ssd_missing",
    }
)
FLAG_STYLES = {
    ("ssd_cin_visits", "cinv_cin_visit_seen"): ("Yes", "No"),
    ("ssd_cin_visits", "cinv_cin_visit_seen_alone"): ("1", "0"),
}
FORENAMES = [
    "Zorbly", "Quennet", "Plimsa", "Vantrix", "Molbee", "Criddan", "Fennick", "Yarvel",
    "Drussa", "Bellowyn", "Tarrimo", "Gweffle", "Ossiber", "Nimpet", "Ruddle", "Skelloa",
]  # fmt: skip
ALPHABET = "ABDEFGHJLNPQRSTUWXYZ"
TABLE_NAMES = tuple(t.name for t in TABLES)


def _date_formats(table: str) -> tuple[str, str]:
    if table in UK_DATE_TABLES:
        return "%d/%m/%Y", "%d/%m/%Y %H:%M"
    return "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"


def _column_order(table: str, columns: list[str]) -> list[str]:
    contract = TABLES_BY_NAME[table].column_names
    extras = [c for c in columns if c not in contract and not c.startswith("_")]
    order = [c for c in contract if c in columns]
    # Extra columns sit where a system would put them: identifiers after the id, others at the end.
    at = 2 if table == "ssd_professionals" else 1
    for extra in extras:
        if extra.startswith(("pers_", "prof_")) and extra not in order:
            order.insert(at, extra)
            at += 1
        elif extra == "cont_contact_source_desc":
            order.insert(order.index("cont_contact_source_code") + 1, extra)
        else:
            order.append(extra)
    return order


def format_table(table: str, data: Table) -> pl.DataFrame:
    """All columns as strings (null = blank cell), in output order."""
    date_fmt, datetime_fmt = _date_formats(table)
    columns = [c for c in data if not c.startswith("_")]
    exprs = []
    raw: dict[str, pl.Series] = {}
    for name in columns:
        values = data[name]
        kind = column_kind(table, name)
        col = pl.col(name)
        if kind in ("id", "date", "datetime") and values.dtype.kind in "iu":
            raw[name] = pl.Series(name, values.astype(np.int64))
            if kind == "id":
                expr = pl.when(col < 0).then(None).otherwise(col.cast(pl.Utf8))
            elif kind == "date":
                expr = (
                    pl.when(col == NA)
                    .then(None)
                    .otherwise(col)
                    .cast(pl.Int32)
                    .cast(pl.Date)
                    .dt.strftime(date_fmt)
                )
            else:
                expr = (
                    (pl.when(col == NA).then(None).otherwise(col) * 60_000_000)
                    .cast(pl.Datetime("us"))
                    .dt.strftime(datetime_fmt)
                )
        elif values.dtype.kind == "f":
            raw[name] = pl.Series(name, values.astype(np.float64))
            expr = col.fill_nan(None).round(2).cast(pl.Utf8)
        elif values.dtype.kind in "iu":
            raw[name] = pl.Series(name, values.astype(np.int64))
            expr = col.cast(pl.Utf8)
        else:
            raw[name] = pl.Series(name, values.tolist(), dtype=pl.Utf8)
            expr = pl.when(col == "").then(None).otherwise(col)
            style = FLAG_STYLES.get((table, name))
            if style:
                expr = expr.replace_strict({"Y": style[0], "N": style[1]}, default=expr)
        exprs.append(expr.alias(name))
    frame = pl.DataFrame(list(raw.values())).select(exprs) if raw else pl.DataFrame()
    frame = _add_identifiers(table, frame)
    return frame.select(_column_order(table, frame.columns))


def _add_identifiers(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Fictional direct identifiers, derived from the id so they are stable between extracts."""
    if table == "ssd_person":
        pid = pl.col("pers_person_id").cast(pl.Int64)
        return frame.with_columns(
            _pick_name(pid).alias("pers_forename"),
            pl.lit("Testperson").alias("pers_surname"),
            pl.concat_str([pl.lit("999"), pid.cast(pl.Utf8).str.zfill(7)]).alias(
                "pers_common_child_id"
            ),
            pl.concat_str([pl.lit("Z999"), pid.cast(pl.Utf8).str.zfill(9)]).alias("pers_upn"),
            pl.concat_str(
                [
                    pl.lit("ZZ99 "),
                    (pid % 10).cast(pl.Utf8),
                    _letter(pid // 10),
                    _letter(pid // 200),
                ]
            ).alias("pers_postcode"),
        )
    if table == "ssd_professionals":
        pid = pl.col("prof_professional_id").cast(pl.Int64)
        return frame.with_columns(
            pl.concat_str([_pick_name(pid), pl.lit(" Testworker")]).alias("prof_professional_name"),
            pl.concat_str([pl.lit("SW9"), pid.cast(pl.Utf8).str.zfill(6)]).alias(
                "prof_social_worker_registration_no"
            ),
        )
    return frame


def _pick_name(pid: pl.Expr) -> pl.Expr:
    return (pid * 7 % len(FORENAMES)).replace_strict(
        dict(enumerate(FORENAMES)), return_dtype=pl.Utf8
    )


def _letter(n: pl.Expr) -> pl.Expr:
    return (n % len(ALPHABET)).replace_strict(dict(enumerate(ALPHABET)), return_dtype=pl.Utf8)


def write_csv(frame: pl.DataFrame, path: pathlib.Path) -> None:
    frame.write_csv(path, include_header=True, null_value="", line_terminator="\n")


def write_xlsx(frame: pl.DataFrame, table: str, path: pathlib.Path, blank_rows: int = 3) -> None:
    """One sheet named after the table, ``blank_rows`` empty rows above the header, dates as
    real Excel dates and numbers as numbers. Fixed document dates keep the bytes reproducible."""
    date_fmt, _ = _date_formats(table)
    kinds = {c: column_kind(table, c) for c in frame.columns}
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": dt.datetime(2000, 1, 1)})
    sheet = workbook.add_worksheet(table)
    date_style = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for j, name in enumerate(frame.columns):
        sheet.write_string(blank_rows, j, name)
    for i, row in enumerate(frame.iter_rows()):
        for j, value in enumerate(row):
            name = frame.columns[j]
            if value is None:
                continue
            if kinds[name] == "date":
                sheet.write_datetime(
                    blank_rows + 1 + i, j, dt.datetime.strptime(value, date_fmt), date_style
                )
            elif kinds[name] in ("float", "int"):
                sheet.write_number(blank_rows + 1 + i, j, float(value))
            else:
                sheet.write_string(blank_rows + 1 + i, j, value)
    workbook.close()


def remove_other_formats(folder: pathlib.Path, table: str, keep: str) -> None:
    for suffix in (".csv", ".xlsx", ".parquet"):
        if suffix != keep:
            (folder / f"{table}{suffix}").unlink(missing_ok=True)


def write_la_yaml(
    path: pathlib.Path,
    la_name: str,
    population: dict[int, int],
    teams: list[Team],
    targets: tuple[str, ...],
    window: tuple[dt.date, dt.date],
    benchmarks: dict[str, str] | None = None,
) -> None:
    service_areas = {"DIR": "other"}
    for t in teams:
        service_areas.setdefault(t.service_id, "other")
    for t in teams:
        service_areas[t.team_id] = t.area
    doc = {
        "la_name": la_name,
        "population_0_17": {int(k): int(v) for k, v in sorted(population.items())},
        "roles": {"SW": "ALLOCATED_SOCIAL_WORKER", "PA": "PERSONAL_ADVISER"},
        "service_areas": service_areas,
        "targets": list(targets),
        "history_start": window[0].isoformat(),
    }
    if benchmarks:
        doc["benchmarks"] = dict(benchmarks)
    text = (
        "# Synthetic, fictional LA written by pipelines.synthetic.\n"
        f"# History window {window[0].isoformat()} to {window[1].isoformat()} (history_start):\n"
        "# contacts start on the first day; cases, placements and staff open on that day keep\n"
        "# their real, earlier start dates. The involvement role code DUTY (front-door duty\n"
        "# worker) is deliberately not mapped under roles.\n"
        + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    )
    path.write_text(text, encoding="utf-8")


def date_text(day: int) -> str:
    return to_date(day).isoformat()
