"""The synthetic extract generator: layout, determinism, censoring, integrity, defects, story."""

import csv
import datetime as dt
import hashlib
import json
import pathlib

import holidays
import numpy as np
import openpyxl
import polars as pl
import pytest
import yaml

from pipelines.lib.contract import TABLES, TABLES_BY_NAME
from pipelines.lib.contract.references import REFERENCES
from pipelines.synthetic import DEMO_LAS, extract_dates, generate_la
from pipelines.synthetic.writer import UK_DATE_TABLES

START, END = dt.date(2022, 6, 1), dt.date(2023, 6, 30)
# Due and target dates are deadlines, legitimately after the extract date.
DEADLINE_COLUMNS = {"cppr_cp_review_due", "clar_cla_review_due_date", "icpc_icpc_target_date"}


def _generate(out: pathlib.Path, **kw):  # type: ignore[no-untyped-def]
    args = {"scale": 0.1, "seed": 1, "profile": "city", "n_extracts": 3, "la_name": "Test LA"}
    args.update(kw)
    return generate_la("990", START, END, out, **args)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("clean")
    return out, _generate(out)


@pytest.fixture(scope="module")
def dirty(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("dirty")
    return out, _generate(out, dirty=True)


@pytest.fixture(scope="module")
def city_story(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("story")
    res = generate_la(
        "992",
        dt.date(2021, 4, 1),
        dt.date(2024, 3, 31),
        out,
        scale=0.3,
        profile="city",
        n_extracts=1,
    )
    return res[-1].path


def read(folder: pathlib.Path, table: str) -> pl.DataFrame:
    return pl.read_csv(folder / f"{table}.csv", infer_schema_length=0)


def parse_dates(table: str, frame: pl.DataFrame, column: str) -> pl.Series:
    """Parse a date or datetime column strictly in the format the table is written in."""
    kind = TABLES_BY_NAME[table].column(column).kind
    uk = table in UK_DATE_TABLES
    if kind == "date":
        fmt = "%d/%m/%Y" if uk else "%Y-%m-%d"
        return frame[column].drop_nulls().str.strptime(pl.Date, fmt, strict=True)
    fmt = "%d/%m/%Y %H:%M" if uk else "%Y-%m-%d %H:%M:%S"
    return frame[column].drop_nulls().str.strptime(pl.Datetime, fmt, strict=True).dt.date()


def digest(folder: pathlib.Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def working_days(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """wd(a, b): working days d with a < d <= b (England and Wales)."""
    hols = np.array(
        sorted(holidays.country_holidays("GB", subdiv="ENG", years=range(2000, 2030))),
        dtype="datetime64[D]",
    )
    return np.busday_count(a + 1, b + 1, holidays=hols)


# Layout ----------------------------------------------------------------------------------------


def test_extract_dates_are_the_last_sundays() -> None:
    dates = extract_dates(dt.date(2024, 3, 31), 4)
    assert dates == [
        dt.date(2024, 3, 10),
        dt.date(2024, 3, 17),
        dt.date(2024, 3, 24),
        dt.date(2024, 3, 31),
    ]
    assert extract_dates(dt.date(2011, 9, 30), 2) == [dt.date(2011, 9, 18), dt.date(2011, 9, 25)]


def test_layout_and_la_yaml(clean) -> None:  # type: ignore[no-untyped-def]
    out, results = clean
    assert [r.extract_date for r in results] == extract_dates(END, 3)
    for r in results:
        assert r.path == out / "990" / r.extract_date.isoformat()
        assert r.defects == []
        for table in TABLES:
            path = r.path / f"{table.name}.csv"
            assert path.exists(), path
            header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
            required = [c.name for c in table.columns if c.required]
            assert set(required) <= set(header), (table.name, set(required) - set(header))
            assert (
                r.row_counts[table.name] == len(path.read_text(encoding="utf-8").splitlines()) - 1
            )
        assert all(r.row_counts[t.name] > 0 for t in TABLES), r.row_counts
    doc = yaml.safe_load((out / "990" / "la.yaml").read_text(encoding="utf-8"))
    assert doc["la_name"] == "Test LA"
    assert set(doc["population_0_17"]) >= set(range(START.year - 1, END.year + 1))
    assert doc["roles"] == {"SW": "ALLOCATED_SOCIAL_WORKER", "PA": "PERSONAL_ADVISER"}
    assert doc["targets"] == ["local_plan_2022"]
    assert set(doc["service_areas"].values()) <= {
        "front_door", "assessment", "fieldwork", "children_in_care", "care_leavers", "disability", "other"
    }  # fmt: skip
    latest = results[-1].path
    teams = set(read(latest, "ssd_department")["dept_team_id"])
    assert teams == set(doc["service_areas"])
    used = (
        set(read(latest, "ssd_cin_episodes")["cine_referral_team"].drop_nulls())
        | set(read(latest, "ssd_cin_assessments")["cina_assessment_team"].drop_nulls())
        | set(read(latest, "ssd_involvements")["invo_professional_team"].drop_nulls())
        | set(read(latest, "ext_worker_periods")["team_id"].drop_nulls())
        | set(read(latest, "ext_vacancies")["team_id"].drop_nulls())
    )
    assert used <= teams
    roles = set(read(latest, "ssd_involvements")["invo_professional_role_id"])
    assert roles == {"SW", "PA", "DUTY"}  # DUTY is deliberately left out of la.yaml roles
    assert not list((out / "990").glob("defects-*.json"))


def test_same_seed_same_bytes_other_seed_differs(clean, tmp_path: pathlib.Path) -> None:  # type: ignore[no-untyped-def]
    out, _ = clean
    first = digest(out)
    _generate(tmp_path / "again")
    assert digest(tmp_path / "again") == first
    _generate(out)  # re-running into an existing folder overwrites with identical bytes
    assert digest(out) == first
    _generate(tmp_path / "other", seed=2)
    other = digest(tmp_path / "other")
    assert other.keys() == first.keys()
    assert other["990/2023-06-25/ssd_contacts.csv"] != first["990/2023-06-25/ssd_contacts.csv"]


def test_demo_presets() -> None:
    codes = {la.la_code: la for la in DEMO_LAS}
    assert set(codes) == {"991", "992"}
    county, city = codes["991"], codes["992"]
    assert (county.profile, county.start, county.end) == (
        "county",
        dt.date(2008, 4, 1),
        dt.date(2011, 9, 30),
    )
    assert (city.profile, city.start, city.end) == (
        "city",
        dt.date(2021, 4, 1),
        dt.date(2024, 3, 31),
    )
    assert county.notice_date == dt.date(2010, 6, 29) and city.notice_date == dt.date(2022, 10, 24)
    assert "fictional" in county.la_name and "fictional" in city.la_name
    assert county.targets == ("improvement_notice_2010",) and city.targets == ("local_plan_2022",)


# Content ---------------------------------------------------------------------------------------


def test_nothing_dated_after_the_extract_date(clean) -> None:  # type: ignore[no-untyped-def]
    _, results = clean
    for r in results:
        for table in TABLES:
            frame = read(r.path, table.name)
            for col in table.columns:
                if col.kind not in ("date", "datetime") or col.name in DEADLINE_COLUMNS:
                    continue
                if col.name not in frame.columns:
                    continue
                dates = parse_dates(table.name, frame, col.name)
                if len(dates):
                    assert dates.max() <= r.extract_date, (table.name, col.name, dates.max())


def test_later_extract_closes_what_was_open(clean) -> None:  # type: ignore[no-untyped-def]
    _, results = clean
    first, last = results[0], results[-1]
    checks = [
        ("ssd_cin_episodes", "cine_referral_id", "cine_close_date"),
        ("ssd_involvements", "invo_involvements_id", "invo_involvement_end_date"),
        ("ssd_cla_placement", "clap_cla_placement_id", "clap_cla_placement_end_date"),
    ]
    for table, key, end in checks:
        before = read(first.path, table).filter(pl.col(end).is_null()).select(key)
        after = read(last.path, table).filter(pl.col(end).is_not_null()).select(key, end)
        closed = before.join(after, on=key)
        assert closed.height > 0, table
        assert (parse_dates(table, closed, end) > first.extract_date).all()
    # A contact undecided at the first extract is decided in the last one.
    decided_first = set(read(first.path, "ext_contact_decisions")["contact_id"])
    decided_last = set(read(last.path, "ext_contact_decisions")["contact_id"])
    contacts_first = set(read(first.path, "ssd_contacts")["cont_contact_id"])
    assert (contacts_first - decided_first) & decided_last
    # New rows appear in later extracts; rows never disappear.
    for table in ("ssd_contacts", "ssd_cin_episodes", "ssd_involvements"):
        assert last.row_counts[table] > first.row_counts[table]


def _ids(folder: pathlib.Path, table: str, column: str) -> set[str]:
    return set(read(folder, table)[column].drop_nulls())


def test_referential_integrity(clean) -> None:  # type: ignore[no-untyped-def]
    _, results = clean
    f = results[-1].path
    people = _ids(f, "ssd_person", "pers_person_id")
    person_columns = {
        "ssd_contacts": "cont_person_id", "ssd_cin_episodes": "cine_person_id",
        "ssd_cin_assessments": "cina_person_id", "ssd_cin_visits": "cinv_person_id",
        "ssd_s47_enquiry": "s47e_person_id", "ssd_initial_cp_conference": "icpc_person_id",
        "ssd_cp_plans": "cppl_person_id", "ssd_cp_reviews": "cppr_person_id",
        "ssd_cp_visits": "cppv_person_id", "ssd_cla_episodes": "clae_person_id",
        "ssd_cla_placement": "clap_person_id", "ssd_legal_status": "lega_person_id",
        "ssd_cla_visits": "clav_person_id", "ssd_missing": "miss_person_id",
        "ssd_care_leavers": "clea_person_id", "ssd_involvements": "invo_person_id",
        "ext_homeless_16_17": "person_id", "ext_education_status": "person_id",
    }  # fmt: skip
    for table, column in person_columns.items():
        assert _ids(f, table, column) <= people, table
    for table in TABLES:
        if table.key:
            keys = read(f, table.name)[table.key]
            assert keys.null_count() == 0 and keys.n_unique() == len(keys), table.name
    # The contract's links (staging checks them), and the ones the generator also keeps.
    links = [
        *REFERENCES,
        ("ssd_initial_cp_conference", "icpc_cp_plan_id", "ssd_cp_plans", "cppl_cp_plan_id"),
        (
            "ssd_cin_assessments",
            "cina_assessment_worker_id",
            "ssd_professionals",
            "prof_professional_id",
        ),
        ("ext_worker_periods", "worker_id", "ssd_professionals", "prof_professional_id"),
        (
            "ssd_care_leavers",
            "clea_care_leaver_personal_advisor",
            "ssd_professionals",
            "prof_professional_id",
        ),
    ]
    for table, column, target, target_column in links:
        assert _ids(f, table, column) <= _ids(f, target, target_column), (table, column)
    # An allocation starts while its worker is in that team.
    periods = read(f, "ext_worker_periods").with_columns(
        pl.col("period_start").str.to_date(), pl.col("period_end").str.to_date()
    )
    allocations = read(f, "ssd_involvements").filter(pl.col("invo_professional_role_id") == "SW")
    matched = (
        allocations.with_columns(pl.col("invo_involvement_start_date").str.to_date().alias("s"))
        .join(
            periods,
            left_on=["invo_professional_id", "invo_professional_team"],
            right_on=["worker_id", "team_id"],
        )
        .filter(
            (pl.col("period_start") <= pl.col("s"))
            & (pl.col("period_end").is_null() | (pl.col("period_end") >= pl.col("s")))
        )
    )
    assert matched["invo_involvements_id"].n_unique() == allocations.height
    # Every assessment has a type row (city: all "single").
    assert set(read(f, "ext_assessment_types")["assessment_type"]) == {"single"}
    # Placements sit within their period of care; every code is from the contract's code sets.
    for table in TABLES:
        frame = read(f, table.name)
        for col in table.columns:
            if col.codes and col.name in frame.columns:
                values = set(frame[col.name].drop_nulls().str.to_uppercase())
                allowed = {c.upper() for c in col.codes} | {k.upper() for k in col.code_map}
                assert values <= allowed, (table.name, col.name, values - allowed)


def test_formats_and_identifier_columns(clean) -> None:  # type: ignore[no-untyped-def]
    _, results = clean
    f = results[-1].path
    uk = read(f, "ssd_cla_episodes")["clae_cla_episode_start_date"]
    iso = read(f, "ssd_cin_episodes")["cine_referral_date"]
    assert uk.str.contains(r"^\d{2}/\d{2}/\d{4}$").all()
    assert iso.str.contains(r"^\d{4}-\d{2}-\d{2}$").all()
    assert (
        read(f, "ssd_missing")["miss_missing_episode_start_date"]
        .str.contains(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")
        .all()
    )
    contacts = read(f, "ssd_contacts")
    assert (
        contacts["cont_contact_date"].str.contains(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$").all()
    )
    assert "cont_contact_source_desc" in contacts.columns
    outcome = json.loads(contacts["cont_contact_outcome_json"].drop_nulls()[0])
    assert set(outcome) >= {"NEW_REFERRAL_FLAG", "NFA_FLAG"}
    visits = read(f, "ssd_cin_visits")
    assert set(visits["cinv_cin_visit_seen"]) <= {"Yes", "No"}
    assert set(visits["cinv_cin_visit_seen_alone"]) <= {"1", "0"}
    assert set(read(f, "ssd_cp_plans")["cppl_cp_plan_initial_category"]) >= {
        "Neglect",
        "Emotional abuse",
    }
    assert set(read(f, "ssd_missing")["miss_missing_episode_type"]) == {"Missing", "Away"}
    person = read(f, "ssd_person")
    for column in (
        "pers_forename",
        "pers_surname",
        "pers_common_child_id",
        "pers_upn",
        "pers_postcode",
    ):
        assert column in person.columns
    assert set(person["pers_surname"]) == {"Testperson"}
    assert person["pers_common_child_id"].str.starts_with("999").all()
    assert person["pers_postcode"].str.starts_with("ZZ99").all()
    prof = read(f, "ssd_professionals")
    assert {"prof_professional_name", "prof_social_worker_registration_no"} <= set(prof.columns)
    # Contacts on weekends and bank holidays, and out of office hours.
    when = contacts["cont_contact_date"].str.strptime(pl.Datetime, "%Y-%m-%d %H:%M:%S")
    assert (when.dt.weekday() >= 6).any()
    assert ((when.dt.hour() < 8) | (when.dt.hour() >= 18)).any()
    bank = {d for d in holidays.country_holidays("GB", subdiv="ENG", years=[2022, 2023])}
    assert bool(set(when.dt.date().to_list()) & bank)


def test_volumes_are_realistic(city_story: pathlib.Path) -> None:
    doc = yaml.safe_load((city_story.parent / "la.yaml").read_text(encoding="utf-8"))
    per10k = doc["population_0_17"][2022] / 10_000
    referrals = read(city_story, "ssd_cin_episodes").with_columns(
        pl.col("cine_referral_date").str.to_date()
    )
    in_year = referrals.filter(
        pl.col("cine_referral_date").is_between(dt.date(2022, 4, 1), dt.date(2023, 3, 31))
    )
    assert 450 < in_year.height / per10k < 800
    contacts = read(city_story, "ssd_contacts").with_columns(
        pl.col("cont_contact_date").str.slice(0, 10).str.to_date()
    )
    n_contacts = contacts.filter(
        pl.col("cont_contact_date").is_between(dt.date(2022, 4, 1), dt.date(2023, 3, 31))
    ).height
    assert 2.8 < n_contacts / in_year.height < 4.2
    # Fewer contacts in August than in September.
    month = contacts["cont_contact_date"].dt.month()
    assert (month == 8).sum() < (month == 9).sum()


# Defects ---------------------------------------------------------------------------------------


def _cell(path: pathlib.Path, row: int, column: str) -> str:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[row - 1][rows[0].index(column)]


def test_dirty_defects_are_where_they_are_recorded(dirty) -> None:  # type: ignore[no-untyped-def]
    out, results = dirty
    expected = {
        "impossible_date", "ambiguous_date", "unsupported_date_format", "duplicate_row",
        "conflicting_duplicate", "orphan_person", "orphan_reference", "unknown_code",
        "blank_required", "missing_column", "header_only", "xlsx_leading_blank_rows",
    }  # fmt: skip
    for r in results:
        assert {d["kind"] for d in r.defects} == expected
        saved = json.loads((out / "990" / f"defects-{r.extract_date.isoformat()}.json").read_text())
        assert saved == r.defects
        values = {d["value"] for d in r.defects}
        assert {"Q9", "ZZ"} <= values
        assert any(v and v.startswith("31/02/") for v in values)
        assert any(v and v[4:] == "-02-30" for v in values)
        for d in r.defects:
            path = r.path / d["file"]
            assert path.exists(), path
            if d["row"] is None or d["kind"] == "xlsx_leading_blank_rows":
                continue
            assert _cell(path, d["row"], d["column"]) == (d["value"] or "")
        by_kind = {d["kind"]: d for d in r.defects}
        dup = by_kind["duplicate_row"]
        with (r.path / dup["file"]).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        copy = rows[dup["row"] - 1]
        assert sum(1 for row in rows if row == copy) == 2
        conflict = by_kind["conflicting_duplicate"]
        with (r.path / conflict["file"]).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        same_id = [row for row in rows[1:] if row[0] == conflict["value"]]
        assert len(same_id) == 2 and same_id[0] != same_id[1]
        people = set(read(r.path, "ssd_person")["pers_person_id"])
        assert by_kind["orphan_person"]["value"] not in people
        assert by_kind["orphan_reference"]["value"] not in set(
            read(r.path, "ssd_s47_enquiry")["s47e_s47_enquiry_id"]
        )
        header = (r.path / "ssd_cin_assessments.csv").read_text(encoding="utf-8").splitlines()[0]
        assert "cina_assessment_auth_date" not in header.split(",")
        assert len((r.path / "ssd_cla_reviews.csv").read_text(encoding="utf-8").splitlines()) == 1
        assert not (r.path / "ext_vacancies.csv").exists()
        sheet = openpyxl.load_workbook(r.path / "ext_vacancies.xlsx").active
        assert sheet.title == "ext_vacancies"
        rows = list(sheet.iter_rows(values_only=True))
        assert all(all(v is None for v in row) for row in rows[:3])
        assert list(rows[3]) == ["team_id", "as_at_date", "vacant_fte"]
        assert isinstance(rows[4][1], dt.datetime) and isinstance(rows[4][2], float | int)


def test_clean_rerun_removes_dirty_leftovers(dirty, tmp_path: pathlib.Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "x"
    _generate(out, dirty=True, n_extracts=1)
    res = _generate(out, n_extracts=1)
    assert (res[0].path / "ext_vacancies.csv").exists()
    assert not (res[0].path / "ext_vacancies.xlsx").exists()
    assert not list((out / "990").glob("defects-*.json"))


# The story -------------------------------------------------------------------------------------


def test_city_agency_share_falls(city_story: pathlib.Path) -> None:
    periods = read(city_story, "ext_worker_periods").with_columns(
        pl.col("period_start").str.to_date(),
        pl.col("period_end").str.to_date(),
        pl.col("fte").cast(pl.Float64),
    )

    def agency_pct(day: dt.date) -> float:
        open_ = periods.filter(
            (pl.col("period_start") <= day)
            & (pl.col("period_end").is_null() | (pl.col("period_end") > day))
        )
        return 100 * open_.filter(pl.col("agency") == "Y")["fte"].sum() / open_["fte"].sum()

    first_year = np.mean([agency_pct(dt.date(2021, m, 28)) for m in (5, 8, 11)])
    last = agency_pct(dt.date(2024, 3, 31))
    assert first_year > 20 and last < 18 and first_year - last > 7, (first_year, last)


def test_city_front_door_backlog_and_recovery(city_story: pathlib.Path) -> None:
    contacts = read(city_story, "ssd_contacts").select(
        "cont_contact_id", pl.col("cont_contact_date").str.slice(0, 10).str.to_date().alias("day")
    )
    decisions = (
        read(city_story, "ext_contact_decisions")
        .select(
            "contact_id",
            pl.col("decision_datetime").str.slice(0, 10).str.to_date().alias("decided"),
        )
        .group_by("contact_id")
        .agg(pl.col("decided").min())
    )
    joined = contacts.join(decisions, left_on="cont_contact_id", right_on="contact_id", how="left")

    def rate(first: dt.date, last: dt.date) -> float:
        x = joined.filter(pl.col("day").is_between(first, last))
        decided = x.filter(pl.col("decided").is_not_null())
        wd = working_days(
            decided["day"].to_numpy().astype("datetime64[D]"),
            decided["decided"].to_numpy().astype("datetime64[D]"),
        )
        return 100 * float((wd <= 1).sum()) / x.height

    mid_2022 = rate(dt.date(2022, 7, 1), dt.date(2022, 10, 31))
    early_2024 = rate(dt.date(2024, 1, 1), dt.date(2024, 3, 15))
    assert mid_2022 < 72 and early_2024 > 82 and early_2024 - mid_2022 > 15, (mid_2022, early_2024)


def test_city_planted_slow_to_progress_objectives(city_story: pathlib.Path) -> None:
    missing = read(city_story, "ssd_missing").filter(
        pl.col("miss_missing_episode_type") == "Missing"
    )
    ends = missing.select(
        "miss_table_id",
        pl.col("miss_missing_episode_end_date")
        .str.strptime(pl.Datetime, "%d/%m/%Y %H:%M")
        .alias("end"),
    ).filter(pl.col("end") < dt.datetime(2024, 3, 20))
    rhi = (
        read(city_story, "ext_return_interviews")
        .select(
            "missing_id",
            pl.col("rhi_completed_datetime").str.strptime(pl.Datetime, "%Y-%m-%d %H:%M:%S"),
        )
        .group_by("missing_id")
        .agg(pl.col("rhi_completed_datetime").min())
    )
    j = ends.join(rhi, left_on="miss_table_id", right_on="missing_id", how="left")
    within = ((j["rhi_completed_datetime"] - j["end"]).dt.total_seconds() <= 72 * 3600).fill_null(
        False
    )
    assert 45 < 100 * within.mean() < 72
    leavers = read(city_story, "ssd_care_leavers").join(
        read(city_story, "ssd_person").select("pers_person_id", "pers_dob"),
        left_on="clea_person_id",
        right_on="pers_person_id",
    )
    dob = leavers["pers_dob"].str.to_date()
    age = (dt.date(2024, 3, 31) - dob).dt.total_days() / 365.25
    over21 = leavers.filter(
        (age >= 21) & (age < 26) & (pl.col("clea_care_leaver_in_touch") != "DIED")
    )
    pa = 100 * over21["clea_care_leaver_personal_advisor"].is_not_null().mean()
    assert over21.height > 50 and 62 < pa < 86, (over21.height, pa)


def test_county_assessments_worsen_then_improve(tmp_path: pathlib.Path) -> None:
    res = generate_la(
        "991",
        dt.date(2008, 4, 1),
        dt.date(2011, 9, 30),
        tmp_path,
        scale=0.15,
        profile="county",
        n_extracts=1,
    )
    f = res[0].path
    a = read(f, "ssd_cin_assessments").join(
        read(f, "ext_assessment_types"), left_on="cina_assessment_id", right_on="assessment_id"
    )
    assert set(a["assessment_type"]) == {"initial", "core"}
    a = a.filter(
        (pl.col("assessment_type") == "initial") & pl.col("cina_assessment_auth_date").is_not_null()
    ).with_columns(
        pl.col("cina_assessment_start_date").str.to_date(),
        pl.col("cina_assessment_auth_date").str.to_date(),
    )
    wd = working_days(
        a["cina_assessment_start_date"].to_numpy().astype("datetime64[D]"),
        a["cina_assessment_auth_date"].to_numpy().astype("datetime64[D]"),
    )
    a = a.with_columns(pl.Series("on_time", wd <= 7))

    def pct(first: dt.date, last: dt.date) -> float:
        return (
            100
            * a.filter(pl.col("cina_assessment_auth_date").is_between(first, last))[
                "on_time"
            ].mean()
        )

    before = pct(dt.date(2010, 1, 1), dt.date(2010, 6, 30))
    after = pct(dt.date(2011, 4, 1), dt.date(2011, 9, 30))
    assert before < 62 and after > 68, (before, after)
