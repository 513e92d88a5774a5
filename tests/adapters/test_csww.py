"""The CSWW adapter: hand-made censuses with rows worked out by hand, the liia-tools sample,
and the staging accepting what the adapter writes."""

import datetime as dt
import hashlib
import hmac
from pathlib import Path

import polars as pl
import pytest
from lxml import etree

from pipelines.lib.adapters.base import NOT_MAPPED, NOT_USED, REPAIRED, ROW_DROPPED, Adapted
from pipelines.lib.adapters.csww import ADAPTER, LIMITS, PROVIDES, SALT_ENV, worker_id
from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.ingest.table_rules import REJECT, StagedTable, stage_table
from pipelines.lib.readers import FileLevelError

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"
SAMPLE = SAMPLES / "liia-tools" / "social_work_workforce" / "social_work_workforce_2022.xml"
SALT = "test-salt"

HEADER = """<Message>
  <Header>
    <CollectionDetails>
      <Collection>CSWW</Collection>
      <Year>{year}</Year>
      <ReferenceDate>{year}-09-30</ReferenceDate>
    </CollectionDetails>
    <Source>
      <SourceLevel>L</SourceLevel>
      <LEA>999</LEA>
    </Source>
  </Header>
"""

# Line numbers matter: source_row is the line of each <CSWWWorker>.
CENSUS_2024 = (
    HEADER.format(year=2024)
    + """  <LALevelVacancies>
    <NumberOfVacancies>3.50</NumberOfVacancies>
    <NoAgencyFTE>1.00</NoAgencyFTE>
    <NoAgencyHeadcount>1</NoAgencyHeadcount>
  </LALevelVacancies>
  <CSWWWorker>
    <AgencyWorker>0</AgencyWorker>
    <SWENo>SW0000000001</SWENo>
    <FTE>1.000000</FTE>
    <PersonBirthDate>1980-01-01</PersonBirthDate>
    <OrgRole>5</OrgRole>
    <RoleStartDate>2020-01-06</RoleStartDate>
    <FTE30>1.000000</FTE30>
    <Cases30>18</Cases30>
    <WorkingDaysLost>4.50</WorkingDaysLost>
  </CSWWWorker>
  <CSWWWorker>
    <AgencyWorker>1</AgencyWorker>
    <SWENo>SW0000000002</SWENo>
    <FTE>0.500000</FTE>
    <Cases30>9</Cases30>
  </CSWWWorker>
  <CSWWWorker>
    <AgencyWorker>0</AgencyWorker>
    <SWENo>sw0000000003</SWENo>
    <FTE>0.500000</FTE>
    <OrgRole>4</OrgRole>
    <RoleStartDate>2024-01-15</RoleStartDate>
    <RoleEndDate>2024-06-28</RoleEndDate>
    <ReasonLeave>1</ReasonLeave>
    <WorkingDaysLost>2.00</WorkingDaysLost>
  </CSWWWorker>
  <CSWWWorker>
    <AgencyWorker>0</AgencyWorker>
    <SWENo>SW0000000004</SWENo>
    <FTE>0.800000</FTE>
    <OrgRole>6</OrgRole>
    <RoleStartDate>2015-03-02</RoleStartDate>
    <FTE30>0.500000</FTE30>
    <WorkingDaysLost>0.00</WorkingDaysLost>
    <Absat30Sept>1</Absat30Sept>
    <ReasonAbsence>MAT</ReasonAbsence>
  </CSWWWorker>
</Message>
"""
)
# Worker elements start on lines 18, 29, 35, 45 (header 1-12, vacancies 13-17).


def _id(registration: str) -> str:
    """The worker id computed independently of the adapter: HMAC-SHA256 of "LEA|SWENo"."""
    digest = hmac.new(SALT.encode(), f"999|{registration}".encode(), hashlib.sha256)
    return "csww-" + digest.hexdigest()[:20]


@pytest.fixture(autouse=True)
def _salt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SALT_ENV, SALT)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _table(adapted: Adapted, name: str) -> pl.DataFrame:
    frames = [t.frame for t in adapted.tables if t.table == name]
    assert frames, f"no {name}"
    return pl.concat(frames)


def _rows(frame: pl.DataFrame) -> list[dict[str, object]]:
    return frame.sort("source_row").to_dicts()


def test_line_numbers_of_the_fixture_are_as_the_expected_rows_say() -> None:
    lines = CENSUS_2024.splitlines()
    assert [i + 1 for i, line in enumerate(lines) if "<CSWWWorker>" in line] == [18, 29, 35, 45]
    assert lines[12].strip() == "<LALevelVacancies>"


def test_worker_periods_worked_out_by_hand(tmp_path: Path) -> None:
    path = _write(tmp_path, "social_work_workforce_2024.xml", CENSUS_2024)
    adapted = ADAPTER.adapt([path], dt.date(2024, 10, 20))
    assert adapted.reference_date == dt.date(2024, 9, 30)
    base = {"team_id": None}
    assert _rows(_table(adapted, "ext_worker_periods")) == [
        # permanent, in post: FTE30
        {
            "source_row": 18,
            "worker_id": _id("SW0000000001"),
            **base,
            "period_start": "2020-01-06",
            "period_end": None,
            "fte": "1.000000",
            "agency": "N",
            "org_role": "5",
            "leaving_reason": None,
        },
        # agency, no start date: starts on the census date; no FTE30: FTE; no role collected
        # for agency workers: counted as a case holder (5)
        {
            "source_row": 29,
            "worker_id": _id("SW0000000002"),
            **base,
            "period_start": "2024-09-30",
            "period_end": None,
            "fte": "0.500000",
            "agency": "Y",
            "org_role": "5",
            "leaving_reason": None,
        },
        # leaver: lower-case SWENo gives the upper-case id; ReasonLeave 1 = resignation
        {
            "source_row": 35,
            "worker_id": _id("SW0000000003"),
            **base,
            "period_start": "2024-01-15",
            "period_end": "2024-06-28",
            "fte": "0.500000",
            "agency": "N",
            "org_role": "4",
            "leaving_reason": "resignation",
        },
        # in post, FTE 0.8 but FTE30 0.5: the FTE at 30 September counts
        {
            "source_row": 45,
            "worker_id": _id("SW0000000004"),
            **base,
            "period_start": "2015-03-02",
            "period_end": None,
            "fte": "0.500000",
            "agency": "N",
            "org_role": "6",
            "leaving_reason": None,
        },
    ]
    repaired = [n for n in adapted.notes if n.action == REPAIRED]
    assert [(n.rule, n.source_row, n.location) for n in repaired] == [
        ("csww_no_role_start", 29, "/Message/CSWWWorker[2]/RoleStartDate"),
        ("csww_agency_role", 29, "/Message/CSWWWorker[2]"),
    ]


def test_absences_vacancies_and_professionals_worked_out_by_hand(tmp_path: Path) -> None:
    path = _write(tmp_path, "social_work_workforce_2024.xml", CENSUS_2024)
    adapted = ADAPTER.adapt([path], dt.date(2024, 10, 20))
    # worker 1: the whole year 1 Oct 2023 - 30 Sep 2024; worker 3: from the start to leaving;
    # worker 2 gives no days, worker 4 gives 0.00 days: no absence
    assert _rows(_table(adapted, "ext_absences")) == [
        {
            "source_row": 18,
            "worker_id": _id("SW0000000001"),
            "start_date": "2023-10-01",
            "end_date": "2024-09-30",
            "reason": "SIC",
            "working_days_lost": "4.50",
        },
        {
            "source_row": 35,
            "worker_id": _id("SW0000000003"),
            "start_date": "2024-01-15",
            "end_date": "2024-06-28",
            "reason": "SIC",
            "working_days_lost": "2.00",
        },
    ]
    assert _rows(_table(adapted, "ext_vacancies")) == [
        {"source_row": 13, "team_id": "LA-999", "as_at_date": "2024-09-30", "vacant_fte": "3.50"}
    ]
    professionals = _table(adapted, "ssd_professionals")
    assert professionals.select(
        "source_row",
        "prof_professional_id",
        "prof_professional_job_title",
        "prof_professional_caseload",
        "prof_full_time_equivalency",
        "prof_agency_worker_flag",
    ).rows() == [
        (18, _id("SW0000000001"), "Case holder", "18", "1.000000", "N"),
        (29, _id("SW0000000002"), None, "9", "0.500000", "Y"),
        (35, _id("SW0000000003"), "Senior practitioner", None, "0.500000", "N"),
        (45, _id("SW0000000004"), "Qualified without cases", None, "0.500000", "N"),
    ]
    absence_note = [n for n in adapted.notes if n.rule == "csww_absence_at_30_september"]
    assert [(n.source_row, n.value, n.action) for n in absence_note] == [(45, "MAT", NOT_MAPPED)]
    not_mapped = {n.column for n in adapted.notes if n.rule == "csww_item_not_mapped"}
    assert not_mapped == {"PersonBirthDate"}


def test_no_registration_number_reaches_any_frame(tmp_path: Path) -> None:
    path = _write(tmp_path, "social_work_workforce_2024.xml", CENSUS_2024)
    adapted = ADAPTER.adapt([path], dt.date(2024, 10, 20))
    for table in adapted.tables:
        text = table.frame.write_csv().upper()
        assert "SW000000000" not in text, table.table
        assert not any("swe" in c.lower() or "registration" in c for c in table.frame.columns)


def test_worker_id_is_deterministic_per_council_and_salt() -> None:
    assert worker_id("999", "SW0000000001", SALT) == _id("SW0000000001")
    assert worker_id("999", " sw0000000001 ", SALT) == _id("SW0000000001")
    assert worker_id("998", "SW0000000001", SALT) != _id("SW0000000001")
    assert worker_id("999", "SW0000000001", "another salt") != _id("SW0000000001")


def test_staging_rejects_nothing_the_adapter_writes(tmp_path: Path) -> None:
    path = _write(tmp_path, "social_work_workforce_2024.xml", CENSUS_2024)
    adapted = ADAPTER.adapt([path], dt.date(2024, 10, 20))
    for table in adapted.tables:
        staged = _stage(table.table, table.frame)
        assert staged.issues.is_empty(), (table.table, staged.issues.to_dicts())
        assert staged.frame.height == table.frame.height
    periods = _stage("ext_worker_periods", _table(adapted, "ext_worker_periods")).frame
    # typed: the FTE in post at 30 September 2024 is 1.0 + 0.5 (agency) + 0.5
    open_at_census = periods.filter(pl.col("period_end").is_null())
    assert open_at_census["fte"].sum() == pytest.approx(2.0)
    assert periods["agency"].to_list() == [False, True, False, False]


def _stage(name: str, frame: pl.DataFrame) -> StagedTable:
    table = TABLES_BY_NAME[name]
    full = frame.with_columns(
        [pl.lit(None, dtype=pl.String).alias(c) for c in table.column_names if c not in frame]
    )
    return stage_table(table, full)


def test_a_worker_without_registration_number_is_left_for_the_staging_to_reject(
    tmp_path: Path,
) -> None:
    text = CENSUS_2024.replace("<SWENo>SW0000000002</SWENo>", "")
    path = _write(tmp_path, "social_work_workforce_2024.xml", text)
    adapted = ADAPTER.adapt([path], dt.date(2024, 10, 20))
    periods = _table(adapted, "ext_worker_periods")
    assert periods.height == 4
    staged = _stage("ext_worker_periods", periods)
    rejected = staged.issues.filter(pl.col("action") == REJECT)
    assert rejected.select("source_row", "column_name").rows() == [(29, "worker_id")]


def test_namespaced_lower_case_layout_with_lalevel_block(tmp_path: Path) -> None:
    text = """<?xml version="1.0" encoding="UTF-8"?>
<message xmlns="urn:example:csww">
  <header><collectiondetails><collection>csww</collection>
    <referencedate>2019-09-30</referencedate></collectiondetails>
    <source><lea>999</lea></source></header>
  <LALevel><numberofvacancies>2.25</numberofvacancies></LALevel>
  <cswwworker><agencyworker>0</agencyworker><sweno>SW0000000001</sweno>
    <fte30>0.600000</fte30><orgrole>3</orgrole><rolestartdate>2018-04-01T00:00:00</rolestartdate>
  </cswwworker>
</message>
"""
    path = _write(tmp_path, "csww_2019.xml", text)
    assert ADAPTER.claims(path)
    adapted = ADAPTER.adapt([path], dt.date(2019, 11, 1))
    assert _table(adapted, "ext_worker_periods").select(
        "source_row", "worker_id", "period_start", "fte", "agency", "org_role"
    ).rows() == [(7, _id("SW0000000001"), "2018-04-01", "0.600000", "N", "3")]
    assert _table(adapted, "ext_vacancies").rows() == [(6, "LA-999", "2019-09-30", "2.25")]


def test_two_censuses_the_newer_record_of_a_worker_wins(tmp_path: Path) -> None:
    older = (
        HEADER.format(year=2023)
        + """  <LALevelVacancies><NumberOfVacancies>5.00</NumberOfVacancies></LALevelVacancies>
  <CSWWWorker>
    <AgencyWorker>0</AgencyWorker>
    <SWENo>SW0000000001</SWENo>
    <OrgRole>5</OrgRole>
    <RoleStartDate>2020-01-06</RoleStartDate>
    <FTE30>1.000000</FTE30>
    <WorkingDaysLost>3.00</WorkingDaysLost>
  </CSWWWorker>
  <CSWWWorker>
    <AgencyWorker>0</AgencyWorker>
    <SWENo>SW0000000009</SWENo>
    <OrgRole>5</OrgRole>
    <RoleStartDate>2019-05-01</RoleStartDate>
    <FTE30>0.800000</FTE30>
  </CSWWWorker>
</Message>
"""
    )
    newer = (
        HEADER.format(year=2024)
        + """  <LALevelVacancies><NumberOfVacancies>4.00</NumberOfVacancies></LALevelVacancies>
  <CSWWWorker>
    <AgencyWorker>0</AgencyWorker>
    <SWENo>SW0000000001</SWENo>
    <OrgRole>5</OrgRole>
    <RoleStartDate>2020-01-06</RoleStartDate>
    <FTE30>1.000000</FTE30>
  </CSWWWorker>
  <CSWWWorker>
    <AgencyWorker>0</AgencyWorker>
    <SWENo>SW0000000009</SWENo>
    <FTE>0.800000</FTE>
    <OrgRole>5</OrgRole>
    <RoleStartDate>2019-05-01</RoleStartDate>
    <RoleEndDate>2024-03-31</RoleEndDate>
    <ReasonLeave>5</ReasonLeave>
  </CSWWWorker>
</Message>
"""
    )
    old_path = _write(tmp_path, "workforce_2023.xml", older)
    new_path = _write(tmp_path, "workforce_2024.xml", newer)
    adapted = ADAPTER.adapt([new_path, old_path], dt.date(2024, 10, 20))
    assert adapted.reference_date == dt.date(2024, 9, 30)
    periods = [t for t in adapted.tables if t.table == "ext_worker_periods"]
    assert {t.source_file.name: t.frame.height for t in periods} == {
        "workforce_2023.xml": 0,
        "workforce_2024.xml": 2,
    }
    assert _table(adapted, "ext_worker_periods").select(
        "worker_id", "period_end", "fte", "leaving_reason"
    ).rows() == [
        (_id("SW0000000001"), None, "1.000000", None),
        (_id("SW0000000009"), "2024-03-31", "0.800000", "retired"),
    ]
    dropped = [n for n in adapted.notes if n.action == ROW_DROPPED]
    assert [(Path(n.source_file).name, n.source_row) for n in dropped] == [
        ("workforce_2023.xml", 14),
        ("workforce_2023.xml", 22),
    ]
    # absences and vacancies of both years are kept: each is a different year
    assert _table(adapted, "ext_absences").select("start_date", "working_days_lost").rows() == [
        ("2022-10-01", "3.00")
    ]
    assert sorted(_table(adapted, "ext_vacancies").select("as_at_date", "vacant_fte").rows()) == [
        ("2023-09-30", "5.00"),
        ("2024-09-30", "4.00"),
    ]
    professionals = [t for t in adapted.tables if t.table == "ssd_professionals"]
    assert [(t.source_file.name, t.frame.height) for t in professionals] == [
        ("workforce_2024.xml", 2)
    ]
    assert [Path(n.source_file).name for n in adapted.notes if n.action == NOT_USED] == [
        "workforce_2023.xml"
    ]


def test_a_repeated_worker_in_one_census_is_kept_once(tmp_path: Path) -> None:
    worker = CENSUS_2024.split("  <CSWWWorker>")[1]  # worker 1, lines 18-28
    text = CENSUS_2024.replace("</Message>", "  <CSWWWorker>" + worker.split("</Message>")[0])
    text = text.rstrip() + "\n</Message>\n"
    path = _write(tmp_path, "social_work_workforce_2024.xml", text)
    adapted = ADAPTER.adapt([path], dt.date(2024, 10, 20))
    assert _table(adapted, "ext_worker_periods").height == 4
    assert _table(adapted, "ssd_professionals")["source_row"].to_list() == [18, 29, 35, 45]
    dropped = [(n.rule, n.source_row) for n in adapted.notes if n.action == ROW_DROPPED]
    assert dropped == [("csww_repeated_worker", 56), ("csww_repeated_worker", 56)]


def test_claims(tmp_path: Path) -> None:
    assert ADAPTER.claims(_write(tmp_path, "return.xml", CENSUS_2024))
    cin = "<Message><Header><CollectionDetails><Collection>CIN</Collection>"
    cin += "</CollectionDetails></Header><Children/></Message>"
    assert not ADAPTER.claims(_write(tmp_path, "cin_2024.xml", cin))
    # named like a workforce census, with the census root but no workers yet in view
    assert ADAPTER.claims(_write(tmp_path, "LA999_workforce_2024.xml", "<Message><Header/>"))
    assert not ADAPTER.claims(_write(tmp_path, "workforce.csv", "AgencyWorker,SWENo\n"))


def test_unusable_files_are_file_level_errors(tmp_path: Path) -> None:
    broken = _write(tmp_path, "workforce_2024.xml", "<Message><CSWWWorker>")
    with pytest.raises(FileLevelError, match="not readable as XML"):
        ADAPTER.adapt([broken], dt.date(2024, 10, 20))
    cin = _write(
        tmp_path,
        "cin.xml",
        "<Message><Header><CollectionDetails><Collection>CIN</Collection>"
        "</CollectionDetails></Header><CSWWWorker/></Message>",
    )
    with pytest.raises(FileLevelError) as info:
        ADAPTER.adapt([cin], dt.date(2024, 10, 20))
    assert info.value.column == "Collection"
    empty = _write(tmp_path, "workforce_empty.xml", "<Message><Header/></Message>")
    with pytest.raises(FileLevelError, match="no CSWWWorker"):
        ADAPTER.adapt([empty], dt.date(2024, 10, 20))


def test_missing_reference_date_falls_back_to_30_september_of_the_year(tmp_path: Path) -> None:
    text = CENSUS_2024.replace("<ReferenceDate>2024-09-30</ReferenceDate>", "")
    path = _write(tmp_path, "workforce.xml", text)
    adapted = ADAPTER.adapt([path], dt.date(2025, 1, 10))
    assert adapted.reference_date == dt.date(2024, 9, 30)
    repaired = [n.rule for n in adapted.notes if n.action == REPAIRED]
    assert repaired == ["csww_reference_date", "csww_no_role_start", "csww_agency_role"]
    # the agency worker with no start date starts on that fallback census date
    periods = _table(adapted, "ext_worker_periods")
    assert periods.filter(pl.col("agency") == "Y")["period_start"].to_list() == ["2024-09-30"]


def test_provides_and_limits_name_contract_tables_and_columns() -> None:
    columns = {c for t in TABLES_BY_NAME.values() for c in t.column_names}
    for table, provided in PROVIDES.items():
        assert provided <= set(TABLES_BY_NAME[table].column_names), table
    assert all(key in TABLES_BY_NAME or key in columns for key in LIMITS)
    # what the census cannot give at all is not claimed as given
    assert "ssd_involvements" not in PROVIDES and "ext_supervisions" not in PROVIDES
    assert "team_id" not in PROVIDES["ext_worker_periods"]


@pytest.fixture
def sample() -> etree._ElementTree:
    if not SAMPLE.exists():
        pytest.skip("/work/shared/samples is not available")
    return etree.parse(str(SAMPLE))


def test_sample_counts_match_a_plain_xpath_reading(sample: etree._ElementTree) -> None:
    # Counts read straight from the file with XPath, independently of the adapter.
    workers = int(sample.xpath("count(/Message/CSWWWorker)"))
    agency = int(sample.xpath("count(/Message/CSWWWorker[AgencyWorker='1'])"))
    leavers = int(sample.xpath("count(/Message/CSWWWorker[RoleEndDate])"))
    with_days = int(sample.xpath("count(/Message/CSWWWorker[WorkingDaysLost != 0])"))
    vacancies = sample.xpath("string(/Message/LALevelVacancies/NumberOfVacancies)")
    assert (workers, agency, leavers, with_days, vacancies) == (30, 18, 13, 23, "79.68")

    assert ADAPTER.claims(SAMPLE)
    adapted = ADAPTER.adapt([SAMPLE], dt.date(2022, 10, 15))
    assert adapted.reference_date == dt.date(2022, 9, 30)
    periods = _table(adapted, "ext_worker_periods")
    assert periods.height == workers
    assert periods.filter(pl.col("agency") == "Y").height == agency
    assert periods.filter(pl.col("period_end").is_not_null()).height == leavers
    assert periods["worker_id"].n_unique() == workers
    assert _table(adapted, "ext_absences").height == with_days
    assert _table(adapted, "ext_vacancies")["vacant_fte"].to_list() == [vacancies]
    assert _table(adapted, "ssd_professionals").height == workers
    for table in adapted.tables:
        staged = _stage(table.table, table.frame)
        assert staged.rejected_rows == 0, (table.table, staged.issues.to_dicts())
