"""Realistic defects planted in an extract (``dirty=True``), each recorded where it was put.

Row numbers are spreadsheet row numbers in the file as written (the header is row 1); a
file-level defect (missing column, header-only file, XLSX layout) has ``row`` None, except the
XLSX one, whose ``row`` is the header's row. Rows are only ever appended or changed in place, so
the numbers recorded stay true after all defects are applied.
"""

import numpy as np
import polars as pl

MISSING_COLUMN = ("ssd_cin_assessments", "cina_assessment_auth_date")
HEADER_ONLY = "ssd_cla_reviews"
XLSX_TABLE = "ext_vacancies"
XLSX_BLANK_ROWS = 3
TABLES_WITH_DEFECTS = frozenset(
    {
        "ssd_cla_placement",
        "ssd_cin_visits",
        "ssd_cla_visits",
        "ssd_cp_visits",
        "ssd_cin_episodes",
        "ssd_contacts",
        "ssd_cp_reviews",
        "ssd_s47_enquiry",
        "ssd_cp_plans",
        "ssd_initial_cp_conference",
        MISSING_COLUMN[0],
        HEADER_ONLY,
        XLSX_TABLE,
    }
)


def _record(
    kind: str,
    table: str,
    row: int | None,
    column: str | None,
    value: str | None,
    suffix: str = ".csv",
) -> dict:
    return {
        "kind": kind,
        "table": table,
        "file": f"{table}{suffix}",
        "row": row,
        "column": column,
        "value": value,
    }


def _pick(
    rng: np.random.Generator, frame: pl.DataFrame, column: str, avoid: set[int]
) -> int | None:
    """A random row index whose value in ``column`` is not blank, avoiding rows already used."""
    values = frame[column]
    candidates = np.flatnonzero(values.is_not_null().to_numpy())
    candidates = np.array([i for i in candidates.tolist() if i not in avoid], dtype=np.int64)
    if len(candidates) == 0:
        return None
    i = int(candidates[rng.integers(0, len(candidates))])
    avoid.add(i)
    return i


def _set(frame: pl.DataFrame, i: int, column: str, value: str | None) -> pl.DataFrame:
    series = frame[column].scatter(i, value)
    return frame.with_columns(series)


def inject(
    frames: dict[str, pl.DataFrame], rng: np.random.Generator
) -> tuple[dict[str, pl.DataFrame], list[dict]]:
    """Plant every defect kind; returns the changed frames and the defect records."""
    defects: list[dict] = []
    used: dict[str, set[int]] = {name: set() for name in frames}

    def change(kind: str, table: str, column: str, make) -> None:  # type: ignore[no-untyped-def]
        frame = frames[table]
        i = _pick(rng, frame, column, used[table])
        if i is None:
            return
        value = make(frame[column][i])
        frames[table] = _set(frame, i, column, value)
        defects.append(_record(kind, table, i + 2, column, value))

    def append(kind: str, table: str, column: str, edit) -> None:  # type: ignore[no-untyped-def]
        frame = frames[table]
        if frame.height == 0:
            return
        i = int(rng.integers(0, frame.height))
        row = frame.slice(i, 1)
        row = edit(row)
        frames[table] = pl.concat([frame, row])
        defects.append(_record(kind, table, frame.height + 2, column, row[column][0]))

    # Impossible dates, in both formats.
    change(
        "impossible_date",
        "ssd_cla_placement",
        "clap_cla_placement_start_date",
        lambda v: f"31/02/{v[-4:]}",
    )
    change("impossible_date", "ssd_cin_visits", "cinv_cin_visit_date", lambda v: f"{v[:4]}-02-30")
    # Ambiguous and unsupported formats: a two-digit year, another separator.
    change("ambiguous_date", "ssd_cla_visits", "clav_cla_visit_date", lambda v: f"{v[:6]}{v[-2:]}")
    change(
        "unsupported_date_format",
        "ssd_cp_visits",
        "cppv_cp_visit_date",
        lambda v: v.replace("-", "."),
    )
    # Unknown codes.
    change("unknown_code", "ssd_cla_placement", "clap_cla_placement_type", lambda v: "Q9")
    change("unknown_code", "ssd_cin_episodes", "cine_referral_source_code", lambda v: "ZZ")
    # Blank required fields.
    change("blank_required", "ssd_contacts", "cont_person_id", lambda v: None)
    change("blank_required", "ssd_cin_episodes", "cine_referral_date", lambda v: None)
    # Duplicates: one exact copy, one row reusing an id with different values.
    append("duplicate_row", "ssd_cp_reviews", "cppr_cp_review_id", lambda row: row)
    append(
        "conflicting_duplicate",
        "ssd_s47_enquiry",
        "s47e_s47_enquiry_id",
        lambda row: row.with_columns(
            pl.when(pl.col("s47e_s47_nfa") == "Y")
            .then(pl.lit("N"))
            .otherwise(pl.lit("Y"))
            .alias("s47e_s47_nfa"),
            pl.lit(None, dtype=pl.Utf8).alias("s47e_s47_end_date"),
        ),
    )
    # Orphans: a plan for a person not in ssd_person; an ICPC for an enquiry that does not exist.
    append(
        "orphan_person",
        "ssd_cp_plans",
        "cppl_person_id",
        lambda row: row.with_columns(
            pl.lit("7999999").alias("cppl_cp_plan_id"), pl.lit("99999999").alias("cppl_person_id")
        ),
    )
    append(
        "orphan_reference",
        "ssd_initial_cp_conference",
        "icpc_s47_enquiry_id",
        lambda row: row.with_columns(
            pl.lit("6999999").alias("icpc_icpc_id"),
            pl.lit("5999999").alias("icpc_s47_enquiry_id"),
            pl.lit(None, dtype=pl.Utf8).alias("icpc_cp_plan_id"),
            pl.lit("N").alias("icpc_icpc_transfer_in"),
        ),
    )
    # File-level defects.
    table, column = MISSING_COLUMN
    frames[table] = frames[table].drop(column)
    defects.append(_record("missing_column", table, None, column, None))
    frames[HEADER_ONLY] = frames[HEADER_ONLY].clear()
    defects.append(_record("header_only", HEADER_ONLY, None, None, None))
    defects.append(
        _record("xlsx_leading_blank_rows", XLSX_TABLE, XLSX_BLANK_ROWS + 1, None, None, ".xlsx")
    )
    return frames, defects
