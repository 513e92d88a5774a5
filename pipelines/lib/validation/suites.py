"""The expectation suites: one per staged table (from the extract contract's rules) and one for
KPI outputs. Cross-row and cross-table rules are turned into check columns in Polars first, so
GX validates one frame per table and its results can name the spreadsheet row.

Severity: ``error`` checks block what depends on the asset (KPIs, publication); ``warning``
checks are reported only. Plausibility rules allow 1% of rows to fail (``mostly=0.99``): a few
wrong dates are data-quality work, a systematic fault (day and month swapped, a broken join) is
a blocker.
"""

import datetime as dt
from dataclasses import replace

import great_expectations as gx
import polars as pl

from pipelines.lib.contract import Table
from pipelines.lib.validation.gx import Check

MOSTLY = 0.99
# Dates that may lie after the extract date by design.
FUTURE_ALLOWED = {"cppr_cp_review_due", "icpc_icpc_target_date", "clar_cla_review_due_date"}

# (table, end column, start column): an end never before its start.
END_AFTER_START = (
    ("ssd_cin_episodes", "cine_close_date", "cine_referral_date"),
    ("ssd_cin_assessments", "cina_assessment_auth_date", "cina_assessment_start_date"),
    ("ssd_s47_enquiry", "s47e_s47_end_date", "s47e_s47_start_date"),
    ("ssd_cp_plans", "cppl_cp_plan_end_date", "cppl_cp_plan_start_date"),
    ("ssd_cla_episodes", "clae_cla_episode_ceased", "clae_cla_episode_start_date"),
    ("ssd_cla_placement", "clap_cla_placement_end_date", "clap_cla_placement_start_date"),
    ("ssd_legal_status", "lega_legal_status_end_date", "lega_legal_status_start_date"),
    ("ssd_missing", "miss_missing_episode_end_date", "miss_missing_episode_start_date"),
    ("ssd_involvements", "invo_involvement_end_date", "invo_involvement_start_date"),
    ("ext_worker_periods", "period_end", "period_start"),
    ("ext_absences", "end_date", "start_date"),
    ("ext_education_status", "end_date", "start_date"),
    ("ext_homeless_16_17", "assessment_completed_date", "presentation_date"),
    ("ext_lado_referrals", "initial_consideration_date", "received_date"),
)
# (table, person column, event column): events about a child on or after its birth.
AFTER_BIRTH = (
    ("ssd_contacts", "cont_person_id", "cont_contact_date"),
    ("ssd_cin_episodes", "cine_person_id", "cine_referral_date"),
    ("ssd_cin_assessments", "cina_person_id", "cina_assessment_start_date"),
    ("ssd_s47_enquiry", "s47e_person_id", "s47e_s47_start_date"),
    ("ssd_cp_plans", "cppl_person_id", "cppl_cp_plan_start_date"),
    ("ssd_cla_episodes", "clae_person_id", "clae_cla_episode_start_date"),
    ("ssd_cin_visits", "cinv_person_id", "cinv_cin_visit_date"),
    ("ssd_cp_visits", "cppv_person_id", "cppv_cp_visit_date"),
    ("ssd_cla_visits", "clav_person_id", "clav_cla_visit_date"),
)
# (table, column, target table, target column, what an orphan is called).
PERSON = ("ssd_person", "pers_person_id")
REFERENCES = (
    ("ssd_cp_plans", "cppl_person_id", *PERSON, "plans without a person"),
    ("ssd_cin_visits", "cinv_person_id", *PERSON, "visits without a person"),
    ("ssd_cp_visits", "cppv_person_id", *PERSON, "visits without a person"),
    ("ssd_cla_visits", "clav_person_id", *PERSON, "visits without a person"),
    ("ssd_cin_episodes", "cine_person_id", *PERSON, "referrals without a person"),
    ("ssd_cla_episodes", "clae_person_id", *PERSON, "episodes without a person"),
    ("ssd_initial_cp_conference", "icpc_s47_enquiry_id", "ssd_s47_enquiry", "s47e_s47_enquiry_id",
     "ICPCs without an enquiry"),
    ("ssd_cp_reviews", "cppr_cp_plan_id", "ssd_cp_plans", "cppl_cp_plan_id",
     "reviews without a plan"),
)  # fmt: skip


# Columns of other tables the cross-table checks read (ICPC after its s47, review after its plan).
ORDER_REFERENCES = {
    "ssd_s47_enquiry": ("s47e_s47_enquiry_id", "s47e_s47_start_date"),
    "ssd_cp_plans": ("cppl_cp_plan_id", "cppl_cp_plan_start_date"),
}


def cross_table_columns() -> dict[str, set[str]]:
    """Table -> the columns any table's cross-table checks read from it (so a validation run
    can hold those few columns of every table, and one whole table at a time)."""
    needed: dict[str, set[str]] = {PERSON[0]: {PERSON[1], "pers_dob"}}
    for _, _, target, target_column, _ in REFERENCES:
        needed.setdefault(target, set()).add(target_column)
    for target, columns in ORDER_REFERENCES.items():
        needed.setdefault(target, set()).update(columns)
    return needed


def _flag(name: str) -> str:
    return f"__check__{name}"


def _all_true(
    flag: str, column: str, description: str, severity: str = "error", mostly: float = MOSTLY
) -> Check:
    """A check column (True where the rule holds, blank where it does not apply) must be True."""
    expectation = gx.expectations.ExpectColumnValuesToBeInSet(
        column=flag, value_set=[True], mostly=mostly
    )
    return Check(expectation, column, description, severity=severity)


def prepare(
    table: Table, frames: dict[str, pl.DataFrame], extract_date: dt.date
) -> tuple[pl.DataFrame, list[Check]]:
    """The table's frame with check columns added, and the checks to run on it."""
    frame = frames[table.name]
    checks: list[Check] = []
    added: list[pl.Expr] = []

    for col in table.columns:
        if not col.nullable:
            checks.append(Check(
                gx.expectations.ExpectColumnValuesToNotBeNull(column=col.name), col.name,
                f"{col.name} is always filled", show_values=False,
            ))  # fmt: skip
        if col.codes is not None:
            known = gx.expectations.ExpectColumnValuesToBeInSet(
                column=col.name, value_set=list(col.codes)
            )
            checks.append(Check(known, col.name, f"{col.name} holds only known codes"))
        if col.kind in ("date", "datetime") and col.name not in FUTURE_ALLOWED:
            flag = _flag(f"{col.name}_not_after_extract")
            added.append((pl.col(col.name).cast(pl.Date) <= extract_date).alias(flag))
            checks.append(
                _all_true(
                    flag, col.name, f"{col.name} is not after the extract date ({extract_date})"
                )
            )
    if table.key:
        checks.append(Check(
            gx.expectations.ExpectColumnValuesToBeUnique(column=table.key), table.key,
            f"{table.key} identifies one row", show_values=False,
        ))  # fmt: skip

    for name, end, start in END_AFTER_START:
        if name == table.name:
            flag = _flag(f"{end}_after_start")
            added.append((pl.col(end).cast(pl.Date) >= pl.col(start).cast(pl.Date)).alias(flag))
            checks.append(_all_true(flag, end, f"{end} is not before {start}"))

    if added:
        frame = frame.with_columns(added)
    frame, more = _cross_table(table, frame, frames)
    return frame, checks + more


def _cross_table(
    table: Table, frame: pl.DataFrame, frames: dict[str, pl.DataFrame]
) -> tuple[pl.DataFrame, list[Check]]:
    checks: list[Check] = []
    people = frames.get("ssd_person")
    for name, person, event in AFTER_BIRTH:
        if name != table.name or people is None or people.is_empty():
            continue
        flag = _flag(f"{event}_after_birth")
        births = people.select(pl.col("pers_person_id").alias(person), pl.col("pers_dob"))
        births = births.unique(person, keep="first")
        frame = (
            frame.join(births, on=person, how="left")
            .with_columns((pl.col(event).cast(pl.Date) >= pl.col("pers_dob")).alias(flag))
            .drop("pers_dob")
        )
        # Unborn children are referred and assessed: a warning, not a blocker.
        checks.append(
            _all_true(
                flag, event, f"{event} is not before the child's date of birth", severity="warning"
            )
        )
    for name, column, target, target_column, label in REFERENCES:
        other = frames.get(target)
        if name != table.name or other is None or other.is_empty():
            continue
        flag = _flag(f"{column}_known")
        keys = other[target_column].drop_nulls().unique().implode()
        frame = frame.with_columns(
            pl.when(pl.col(column).is_null())
            .then(None)
            .otherwise(pl.col(column).is_in(keys))
            .alias(flag)
        )
        known = _all_true(
            flag, column, f"{column} is in {target} (no {label})", severity="warning", mostly=1.0
        )
        checks.append(replace(known, show_values=False))
    if table.name == "ssd_initial_cp_conference" and "ssd_s47_enquiry" in frames:
        starts = (
            frames["ssd_s47_enquiry"]
            .select(
                pl.col("s47e_s47_enquiry_id").alias("icpc_s47_enquiry_id"), "s47e_s47_start_date"
            )
            .unique("icpc_s47_enquiry_id", keep="first")
        )
        flag = _flag("icpc_after_s47")
        frame = (
            frame.join(starts, on="icpc_s47_enquiry_id", how="left")
            .with_columns((pl.col("icpc_icpc_date") >= pl.col("s47e_s47_start_date")).alias(flag))
            .drop("s47e_s47_start_date")
        )
        checks.append(
            _all_true(flag, "icpc_icpc_date", "an ICPC is not before the start of its s47 enquiry")
        )
    if table.name == "ssd_cp_reviews" and "ssd_cp_plans" in frames:
        starts = (
            frames["ssd_cp_plans"]
            .select(pl.col("cppl_cp_plan_id").alias("cppr_cp_plan_id"), "cppl_cp_plan_start_date")
            .unique("cppr_cp_plan_id", keep="first")
        )
        flag = _flag("review_after_plan_start")
        frame = (
            frame.join(starts, on="cppr_cp_plan_id", how="left")
            .with_columns(
                (pl.col("cppr_cp_review_date") >= pl.col("cppl_cp_plan_start_date")).alias(flag)
            )
            .drop("cppl_cp_plan_start_date")
        )
        checks.append(
            _all_true(flag, "cppr_cp_review_date", "a plan review is not before the plan started")
        )
    return frame, checks


def kpi_output_checks() -> list[Check]:
    """Checks of KPI values (a frame prepared by ``prepare_kpi_values``: every KPI of an extract
    at once, so GX runs once; each check column is blank where the rule does not apply)."""

    def is_true(flag: str, description: str, column: str, severity: str = "error") -> Check:
        return Check(
            gx.expectations.ExpectColumnValuesToBeInSet(column=_flag(flag), value_set=[True]),
            column, description, severity=severity,
        )  # fmt: skip

    return [
        is_true("no_gap", "no missing periods in a series", "period_end"),
        is_true("percent_in_range", "percentages lie between 0 and 100", "value"),
        is_true("num_within_den", "a percentage's numerator is not more than its denominator",
                "numerator"),
        is_true("not_negative", "counts, rates, means and ratios are not negative", "value"),
        is_true("has_population", "rates have a population (la.yaml population_0_17)",
                "denominator", severity="warning"),
    ]  # fmt: skip


def prepare_kpi_values(values: pl.DataFrame, units: dict[str, tuple[str, str]]) -> pl.DataFrame:
    """KPI values with check columns; ``units`` maps kpi_id to (unit, denominator rule)."""
    ordered = values.sort("kpi_id", "grain", "period_end").with_row_index("source_row", offset=1)
    checked = []
    for (kpi_id, grain), frame in ordered.partition_by(["kpi_id", "grain"], as_dict=True).items():
        del kpi_id
        frame = frame.sort("period_end")
        if grain in ("week", "month", "quarter", "financial_year"):
            # Each period starts the day after the one before ends.
            previous_end = frame["period_end"].shift(1)
            no_gap = previous_end.is_null() | (
                frame["period_start"] == previous_end + dt.timedelta(days=1)
            )
        else:
            # Rolling and year-to-date periods end every Sunday and month end.
            gaps = frame["period_end"].diff().dt.total_days()
            no_gap = gaps.is_null() | (gaps <= 7)
        checked.append(frame.with_columns(no_gap.alias(_flag("no_gap"))))
    out = (
        pl.concat(checked) if checked else ordered.with_columns(pl.lit(True).alias(_flag("no_gap")))
    )
    unit = pl.col("kpi_id").replace_strict({k: u for k, (u, _) in units.items()}, default=None)
    rule = pl.col("kpi_id").replace_strict({k: d for k, (_, d) in units.items()}, default=None)
    value, num, den = pl.col("value"), pl.col("numerator"), pl.col("denominator")
    percent = unit == "percent"
    return out.with_columns(
        pl.when(percent & value.is_not_null()).then(value.is_between(0, 100))
        .alias(_flag("percent_in_range")),
        pl.when(percent & den.is_not_null()).then(num <= den).alias(_flag("num_within_den")),
        pl.when(~percent & value.is_not_null()).then(value >= 0).alias(_flag("not_negative")),
        pl.when(rule == "population").then(den.is_not_null()).alias(_flag("has_population")),
    ).sort("source_row")  # fmt: skip
