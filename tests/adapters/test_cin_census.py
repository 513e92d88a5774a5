"""CIN census XML adapter and the SSD-to-CIN-census writer: hand-made files, the shared samples,
staging, and the round trip SSD extract -> census XML -> contract rows."""

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest
from lxml import etree

from pipelines.lib.adapters import cin_census
from pipelines.lib.adapters.base import NOT_MAPPED, NOT_USED, REPAIRED
from pipelines.lib.adapters.cin_census import ADAPTER, PROVIDES, frames_by_table
from pipelines.lib.adapters.cin_census import schema as cin_schema
from pipelines.lib.contract import ABUSE_CATEGORY_MAP, TABLES_BY_NAME
from pipelines.lib.ingest.table_rules import stage_table
from pipelines.lib.readers import ROW_COLUMN, FileLevelError
from pipelines.synthetic import generate_la
from pipelines.synthetic.cin_writer import write_cin_census

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"
XSD_DIR = SAMPLES / "liia-tools-pipeline" / "reference_schemas"
EXTRACT_DATE = dt.date(2026, 5, 1)

# A 2021-22 return in the older style: GenderCurrent, true/false flags, odd capitals in element
# names, a date with a time zone, an unborn child, a transfer-in conference and a plan that
# started at an enquiry's conference.
OLD_STYLE = """<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection>
      <Year>2022</Year>
      <ReferenceDate>2022-03-31</ReferenceDate>
    </CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>999</LEA></Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID>C1</LAchildID>
        <UPN>Z99900000001A</UPN>
        <PersonBirthDate>2012-05-01</PersonBirthDate>
        <GenderCurrent>2</GenderCurrent>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>wbri</Ethnicity>
        <Disabilities><Disability>NONE</Disability></Disabilities>
      </ChildCharacteristics>
      <CINdetails>
        <CINReferralDate>2021-06-01Z</CINReferralDate>
        <ReferralSource>3a</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <DateOfInitialCPC>2021-07-01</DateOfInitialCPC>
        <Assessments>
          <AssessmentActualStartDate>2021-06-02</AssessmentActualStartDate>
          <AssessmentInternalReviewDate>2021-06-20</AssessmentInternalReviewDate>
          <AssessmentAuthorisationDate>2021-07-10</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>3A</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <CINPlanDates><CINPlanStartDate>2021-07-15</CINPlanStartDate></CINPlanDates>
        <Section47>
          <S47ActualStartDate>2021-06-10</S47ActualStartDate>
          <InitialCPCtarget>2021-07-01</InitialCPCtarget>
          <DateOfInitialCPC>2021-07-01</DateOfInitialCPC>
          <ICPCnotRequired>false</ICPCnotRequired>
        </Section47>
        <Section47>
          <S47ActualStartDate>2022-01-05</S47ActualStartDate>
          <ICPCnotRequired>true</ICPCnotRequired>
        </Section47>
        <ReferralNFA>false</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2021-07-01</CPPstartDate>
          <CPPendDate>2022-02-01</CPPendDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>emo</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews>
            <CPPreviewDate>2021-09-20</CPPreviewDate>
            <CPPreviewDate>2022-01-15</CPPreviewDate>
          </Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers>
        <LAchildID>C2</LAchildID>
        <ExpectedPersonBirthDate>2022-05-20</ExpectedPersonBirthDate>
        <GenderCurrent>0</GenderCurrent>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>NOBT</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2020-11-01</CINreferralDate>
        <ReferralSource>10</ReferralSource>
        <CINclosureDate>2021-05-01</CINclosureDate>
        <ReasonForClosure>RC8</ReasonForClosure>
        <ReferralNFA>1</ReferralNFA>
      </CINdetails>
      <CINdetails>
        <CINreferralDate>2021-12-01</CINreferralDate>
        <ReferralSource>6</ReferralSource>
        <PrimaryNeedCode>N4</PrimaryNeedCode>
        <DateOfInitialCPC>2022-01-10</DateOfInitialCPC>
        <ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2022-01-10</CPPstartDate>
          <InitialCategoryOfAbuse>Multiple</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>MUL</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>1</NumberOfPreviousCPP>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""

# A 2025 return with schema faults: Sex as a 1/2 code and ReferralNFA "false".
NEW_STYLE = """<Message>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection>
      <Year>2025</Year>
      <ReferenceDate>2025-03-31</ReferenceDate>
    </CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>999</LEA></Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID>K1</LAchildID>
        <PersonBirthDate>2015-01-01</PersonBirthDate>
        <Sex>M</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2024-05-01</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        <ReferralNFA>0</ReferralNFA>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers>
        <LAchildID>K2</LAchildID>
        <PersonBirthDate>2016-01-01</PersonBirthDate>
        <Sex>2</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2024-06-01</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        <ReferralNFA>false</ReferralNFA>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""

# A schema of our own (synthetic): Sex must be M, F or U; everything else is free.
TINY_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="Message"><xs:complexType><xs:sequence>
    <xs:element name="Header" type="xs:anyType"/>
    <xs:element name="Children"><xs:complexType><xs:sequence>
      <xs:element name="Child" maxOccurs="unbounded"><xs:complexType><xs:sequence>
        <xs:element name="ChildIdentifiers"><xs:complexType><xs:sequence>
          <xs:element name="LAchildID" type="xs:string"/>
          <xs:element name="PersonBirthDate" type="xs:date"/>
          <xs:element name="Sex"><xs:simpleType><xs:restriction base="xs:string">
            <xs:enumeration value="M"/><xs:enumeration value="F"/><xs:enumeration value="U"/>
          </xs:restriction></xs:simpleType></xs:element>
        </xs:sequence></xs:complexType></xs:element>
        <xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence></xs:complexType></xs:element>
    </xs:sequence></xs:complexType></xs:element>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _rows(frame: pl.DataFrame) -> list[dict]:
    return frame.to_dicts()


@pytest.fixture
def old_style(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict]:
    monkeypatch.setenv(cin_census.SCHEMA_DIR_ENV, str(tmp_path / "no-schemas"))
    monkeypatch.setattr(cin_schema, "SCHEMA_DIR", tmp_path / "no-schemas")
    path = _write(tmp_path, "cin_2022.xml", OLD_STYLE)
    adapted = ADAPTER.adapt([path], EXTRACT_DATE)
    return path, {"adapted": adapted, "frames": frames_by_table(adapted)}


def test_claims_census_files_only(tmp_path: Path) -> None:
    census = _write(tmp_path, "cin.xml", OLD_STYLE)
    workforce = _write(
        tmp_path,
        "workforce.xml",
        "<Message><Header><CollectionDetails><Collection>CSWW</Collection>"
        "</CollectionDetails></Header><LALevelVacancies/></Message>",
    )
    csv = _write(tmp_path, "ssd_person.csv", "pers_person_id\n1\n")
    assert ADAPTER.claims(census)
    assert not ADAPTER.claims(workforce)
    assert not ADAPTER.claims(csv)


def test_people_from_both_gender_elements_and_an_unborn_child(old_style) -> None:
    _, out = old_style
    people = out["frames"]["ssd_person"]
    assert _rows(people) == [
        # GenderCurrent 2 = female; ethnicity upper-cased; the UPN is not carried.
        {ROW_COLUMN: 12, "pers_person_id": "C1", "pers_sex": "F", "pers_ethnicity": "WBRI",
         "pers_dob": "2012-05-01", "pers_death_date": None},
        # 0 = not recorded / unborn -> U; the expected date of birth stands in for the dob.
        {ROW_COLUMN: 61, "pers_person_id": "C2", "pers_sex": "U", "pers_ethnicity": "NOBT",
         "pers_dob": "2022-05-20", "pers_death_date": None},
    ]  # fmt: skip
    assert "pers_upn" not in people.columns
    unborn = [n for n in out["adapted"].notes if n.rule == "expected_birth_date"]
    assert [(n.action, n.source_row, n.location, n.value) for n in unborn] == [
        (REPAIRED, 62, "/Message/Children/Child[2]/ChildIdentifiers", "2022-05-20")
    ]
    assert out["adapted"].reference_date == dt.date(2022, 3, 31)


def test_episodes_assessments_and_enquiries(old_style) -> None:
    _, out = old_style
    f = out["frames"]
    assert _rows(f["ssd_cin_episodes"]) == [
        # The time zone on the referral date is dropped; codes are upper-cased; false -> N.
        {ROW_COLUMN: 23, "cine_referral_id": "C1|2021-06-01", "cine_person_id": "C1",
         "cine_referral_date": "2021-06-01", "cine_cin_primary_need_code": "N1",
         "cine_referral_source_code": "3A", "cine_referral_nfa": "N", "cine_close_reason": None,
         "cine_close_date": None},
        {ROW_COLUMN: 68, "cine_referral_id": "C2|2020-11-01", "cine_person_id": "C2",
         "cine_referral_date": "2020-11-01", "cine_cin_primary_need_code": None,
         "cine_referral_source_code": "10", "cine_referral_nfa": "Y", "cine_close_reason": "RC8",
         "cine_close_date": "2021-05-01"},
        {ROW_COLUMN: 75, "cine_referral_id": "C2|2021-12-01", "cine_person_id": "C2",
         "cine_referral_date": "2021-12-01", "cine_cin_primary_need_code": "N4",
         "cine_referral_source_code": "6", "cine_referral_nfa": "N", "cine_close_reason": None,
         "cine_close_date": None},
    ]  # fmt: skip
    assert _rows(f["ssd_cin_assessments"]) == [
        {ROW_COLUMN: 28, "cina_assessment_id": "C1|2021-06-01|A|2021-06-02",
         "cina_person_id": "C1", "cina_referral_id": "C1|2021-06-01",
         "cina_assessment_start_date": "2021-06-02", "cina_assessment_auth_date": "2021-07-10"},
    ]  # fmt: skip
    assert _rows(f["ssd_s47_enquiry"]) == [
        {ROW_COLUMN: 37, "s47e_s47_enquiry_id": "C1|2021-06-01|S47|2021-06-10",
         "s47e_referral_id": "C1|2021-06-01", "s47e_person_id": "C1",
         "s47e_s47_start_date": "2021-06-10"},
        {ROW_COLUMN: 43, "s47e_s47_enquiry_id": "C1|2021-06-01|S47|2022-01-05",
         "s47e_referral_id": "C1|2021-06-01", "s47e_person_id": "C1",
         "s47e_s47_start_date": "2022-01-05"},
    ]  # fmt: skip


def test_conferences_plans_and_reviews_are_linked(old_style) -> None:
    _, out = old_style
    f = out["frames"]
    c1_plan = "C1|2021-06-01|CPP|2021-07-01"
    c2_plan = "C2|2021-12-01|CPP|2022-01-10"
    assert _rows(f["ssd_initial_cp_conference"]) == [
        # C1's episode-level ICPC is the enquiry's own conference: one row, not a transfer-in,
        # and the plan starting that day is its outcome.
        {ROW_COLUMN: 37, "icpc_icpc_id": "C1|2021-06-01|S47|2021-06-10|ICPC",
         "icpc_s47_enquiry_id": "C1|2021-06-01|S47|2021-06-10", "icpc_person_id": "C1",
         "icpc_cp_plan_id": c1_plan, "icpc_icpc_transfer_in": "N",
         "icpc_icpc_target_date": "2021-07-01", "icpc_icpc_date": "2021-07-01",
         "icpc_icpc_outcome_cp_flag": "Y"},
        # C2's conference has no enquiry: a transfer-in.
        {ROW_COLUMN: 75, "icpc_icpc_id": "C2|2021-12-01|ICPC|2022-01-10",
         "icpc_s47_enquiry_id": None, "icpc_person_id": "C2", "icpc_cp_plan_id": c2_plan,
         "icpc_icpc_transfer_in": "Y", "icpc_icpc_target_date": None,
         "icpc_icpc_date": "2022-01-10", "icpc_icpc_outcome_cp_flag": "Y"},
    ]  # fmt: skip
    assert _rows(f["ssd_cp_plans"]) == [
        {ROW_COLUMN: 48, "cppl_cp_plan_id": c1_plan, "cppl_person_id": "C1",
         "cppl_icpc_id": "C1|2021-06-01|S47|2021-06-10|ICPC",
         "cppl_cp_plan_start_date": "2021-07-01", "cppl_cp_plan_end_date": "2022-02-01",
         "cppl_cp_plan_initial_category": "NEG", "cppl_cp_plan_latest_category": "EMO",
         "cppl_previous_cp_plans": "0"},
        # "Multiple" written as a name is mapped to its code.
        {ROW_COLUMN: 81, "cppl_cp_plan_id": c2_plan, "cppl_person_id": "C2",
         "cppl_icpc_id": "C2|2021-12-01|ICPC|2022-01-10",
         "cppl_cp_plan_start_date": "2022-01-10", "cppl_cp_plan_end_date": None,
         "cppl_cp_plan_initial_category": "MUL", "cppl_cp_plan_latest_category": "MUL",
         "cppl_previous_cp_plans": "1"},  # NumberOfPreviousCPP kept (issue 15)
    ]  # fmt: skip
    assert _rows(f["ssd_cp_reviews"]) == [
        {ROW_COLUMN: 55, "cppr_cp_review_id": f"{c1_plan}|REV|2021-09-20",
         "cppr_person_id": "C1", "cppr_cp_plan_id": c1_plan,
         "cppr_cp_review_date": "2021-09-20"},
        {ROW_COLUMN: 56, "cppr_cp_review_id": f"{c1_plan}|REV|2022-01-15",
         "cppr_person_id": "C1", "cppr_cp_plan_id": c1_plan,
         "cppr_cp_review_date": "2022-01-15"},
    ]  # fmt: skip


def test_unmapped_parts_and_missing_schema_are_noted(old_style) -> None:
    _, out = old_style
    notes = {(n.rule, n.column): n for n in out["adapted"].notes}
    assert notes[("cin_schema_unavailable", None)].action == NOT_USED
    for part in ("cinplandates", "disabilities", "factorsidentifiedatassessment"):
        assert notes[("not_in_contract", part)].action == NOT_MAPPED
        assert notes[("not_in_contract", part)].message.startswith("1 ")


def test_adapted_rows_pass_staging(old_style) -> None:
    _, out = old_style
    _assert_stages_cleanly(out["frames"])


def _assert_stages_cleanly(frames: dict[str, pl.DataFrame]) -> None:
    for table, frame in frames.items():
        contract = TABLES_BY_NAME[table]
        full = frame.with_columns(
            [pl.lit(None, dtype=pl.String).alias(c) for c in contract.column_names
             if c not in frame.columns]
        )  # fmt: skip
        staged = stage_table(contract, full)
        assert staged.rejected_rows == 0, (table, staged.issues.head(5).to_dicts())
        assert staged.frame.height == frame.height


def test_schema_errors_are_notes_with_line_and_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    _write(schemas, "CIN_schema_2025.xsd", TINY_XSD)
    monkeypatch.setenv(cin_census.SCHEMA_DIR_ENV, str(schemas))
    path = _write(tmp_path, "cin_2025.xml", NEW_STYLE)
    adapted = ADAPTER.adapt([path], EXTRACT_DATE)
    errors = [n for n in adapted.notes if n.rule == cin_census.SCHEMA_ERROR]
    # Only K2's Sex "2" breaks this schema (line 28); the row is still adapted, as F.
    assert [(n.source_row, n.location) for n in errors] == [
        (28, "/Message/Children/Child[2]/ChildIdentifiers/Sex")
    ]
    assert "'2'" in errors[0].message
    people = frames_by_table(adapted)["ssd_person"]
    assert people["pers_sex"].to_list() == ["M", "F"]


def test_real_2025_schema_finds_the_faults(tmp_path: Path) -> None:
    if not (XSD_DIR / "CIN_schema_2025.xsd").is_file():
        pytest.skip("reference schemas not available")
    path = _write(tmp_path, "cin_2025.xml", NEW_STYLE)
    adapted = ADAPTER.adapt([path], EXTRACT_DATE)
    errors = {
        (n.source_row, n.location) for n in adapted.notes if n.rule == cin_census.SCHEMA_ERROR
    }
    assert errors == {
        (28, "/Message/Children/Child[2]/ChildIdentifiers/Sex"),
        (34, "/Message/Children/Child[2]/CINdetails[1]/ReferralNFA"),
    }


def test_unusable_files_raise_file_level_errors(tmp_path: Path) -> None:
    broken = _write(tmp_path, "broken.xml", "<Message><Children><Child></Message>")
    with pytest.raises(FileLevelError, match="not well-formed"):
        ADAPTER.adapt([broken], EXTRACT_DATE)
    other = _write(tmp_path, "other.xml", "<Return><Children/></Return>")
    with pytest.raises(FileLevelError, match="root element"):
        ADAPTER.adapt([other], EXTRACT_DATE)
    empty = _write(tmp_path, "empty.xml", "<Message><Header/></Message>")
    with pytest.raises(FileLevelError, match="Children"):
        ADAPTER.adapt([empty], EXTRACT_DATE)


# --- the shared samples -----------------------------------------------------------------------


def _sample_files() -> list[Path]:
    return [
        *sorted((SAMPLES / "csc-validator-be-cin" / "fake_data").glob("*.xml")),
        SAMPLES / "liia-tools" / "cin_census" / "cin-2022.xml",
        SAMPLES / "liia-tools-pipeline" / "cin_census" / "BAR_cin_2022.xml",
    ]


def test_every_sample_parses_and_stages() -> None:
    files = [p for p in _sample_files() if p.is_file()]
    if not files:
        pytest.skip("/work/shared/samples not available")
    for path in files:
        assert ADAPTER.claims(path), path.name
        adapted = ADAPTER.adapt([path], EXTRACT_DATE)
        frames = frames_by_table(adapted)
        # Each sample's children, counted by a plain text search of the file.
        text = path.read_text(encoding="utf-8")
        assert frames["ssd_person"].height == len(re.findall(r"<Child>", text)), path.name
        assert frames["ssd_cin_episodes"].height == text.count("<CINdetails>"), path.name


def test_fake_cin_data_counts() -> None:
    path = SAMPLES / "csc-validator-be-cin" / "fake_data" / "fake_CIN_data.xml"
    if not path.is_file():
        pytest.skip("/work/shared/samples not available")
    frames = frames_by_table(ADAPTER.adapt([path], EXTRACT_DATE))
    # 332 children and 402 episodes (samples README); no assessment, s47 or plan blocks.
    assert frames["ssd_person"].height == 332
    assert frames["ssd_cin_episodes"].height == 402
    assert frames["ssd_cin_assessments"].height == 0
    assert frames["ssd_cp_plans"].height == 0
    _assert_stages_cleanly(
        {t: f for t, f in frames.items() if t in ("ssd_person", "ssd_cin_episodes")}
    )


def test_dfe_example_child_2022() -> None:
    path = SAMPLES / "liia-tools-pipeline" / "cin_census" / "BAR_cin_2022.xml"
    if not path.is_file():
        pytest.skip("/work/shared/samples not available")
    f = frames_by_table(ADAPTER.adapt([path], EXTRACT_DATE))
    # Read off the file: one s47 conferenced 1970-02-11, and an episode-level conference on
    # 1970-02-06 that matches no enquiry (so a transfer-in); the plan started 1970-02-17,
    # the day of neither, so neither conference is linked to it.
    icpc = f["ssd_initial_cp_conference"].sort("icpc_icpc_date")
    assert icpc["icpc_icpc_date"].to_list() == ["1970-02-06", "1970-02-11"]
    assert icpc["icpc_icpc_transfer_in"].to_list() == ["Y", "N"]
    assert icpc["icpc_icpc_outcome_cp_flag"].to_list() == ["N", "N"]
    assert f["ssd_cp_plans"]["cppl_icpc_id"].to_list() == [None]
    assert f["ssd_person"]["pers_death_date"].to_list() == ["1980-10-08"]


# --- the writer and the round trip ----------------------------------------------------------


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cin_round_trip")
    generated = generate_la(
        "994", dt.date(2024, 4, 1), dt.date(2026, 4, 30), out, scale=0.05, seed=3, n_extracts=1
    )
    return generated[-1].path


@pytest.fixture(scope="module")
def older_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2022-23 history (GenderCurrent) in which the first conference of the year that made
    a plan is turned into a transfer-in (no enquiry), so the census carries at least one."""
    out = tmp_path_factory.mktemp("cin_round_trip_2023")
    generated = generate_la(
        "990", dt.date(2022, 4, 1), dt.date(2023, 5, 31), out, scale=0.1, seed=1, n_extracts=1
    )
    folder = generated[-1].path
    path = folder / "ssd_initial_cp_conference.csv"
    icpcs = pl.read_csv(path, infer_schema_length=0)
    chosen = (
        icpcs.filter(
            pl.col("icpc_icpc_date").is_between(pl.lit("2022-04-01"), pl.lit("2023-03-31"))
            & pl.col("icpc_cp_plan_id").is_not_null()
        )
        .sort("icpc_icpc_id")["icpc_icpc_id"]
        .first()
    )
    turned = pl.col("icpc_icpc_id") == chosen
    icpcs.with_columns(
        pl.when(turned).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("icpc_s47_enquiry_id", "icpc_icpc_target_date")
    ).with_columns(
        pl.when(turned)
        .then(pl.lit("Y"))
        .otherwise("icpc_icpc_transfer_in")
        .alias("icpc_icpc_transfer_in")
    ).write_csv(path)
    return folder


def _ssd(extract_dir: Path, table: str) -> pl.DataFrame:
    return pl.read_csv(extract_dir / f"{table}.csv", infer_schema_length=0)


def _d(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _expected(extract_dir: Path, year: int) -> dict[str, list[dict]]:
    """The census's rows worked out from the SSD tables with plain loops: who is in the year
    (open at any point 1 April - 31 March), what is not yet known at 31 March, and ids as the
    adapter's docstring builds them."""
    first, ref = dt.date(year - 1, 4, 1), dt.date(year, 3, 31)

    def open_in_year(start: dt.date | None, end: dt.date | None) -> bool:
        return start is not None and start <= ref and (end is None or end >= first)

    def known(value: str | None) -> str | None:
        return value if value and _d(value) <= ref else None  # type: ignore[operator]

    episodes = {r["cine_referral_id"]: r for r in _ssd(extract_dir, "ssd_cin_episodes").to_dicts()}
    in_scope = {
        k: r for k, r in episodes.items()
        if open_in_year(_d(r["cine_referral_date"]), _d(r["cine_close_date"]))
    }  # fmt: skip
    new_ref = {k: f"{r['cine_person_id']}|{r['cine_referral_date']}" for k, r in episodes.items()}
    exp: dict[str, list[dict]] = {t: [] for t in PROVIDES}
    for r in in_scope.values():
        closed = known(r["cine_close_date"])
        exp["ssd_cin_episodes"].append({
            "cine_referral_id": new_ref[r["cine_referral_id"]],
            "cine_person_id": r["cine_person_id"],
            "cine_referral_date": r["cine_referral_date"],
            "cine_cin_primary_need_code": r["cine_cin_primary_need_code"],
            "cine_referral_source_code": r["cine_referral_source_code"],
            "cine_referral_nfa": r["cine_referral_nfa"] or "N",  # the writer's blank -> 0
            "cine_close_reason": r["cine_close_reason"] if closed else None,
            "cine_close_date": closed,
        })  # fmt: skip
    children = {r["cine_person_id"] for r in in_scope.values()}
    for r in _ssd(extract_dir, "ssd_person").to_dicts():
        if r["pers_person_id"] in children:
            exp["ssd_person"].append({
                "pers_person_id": r["pers_person_id"], "pers_sex": r["pers_sex"],
                "pers_ethnicity": r["pers_ethnicity"], "pers_dob": r["pers_dob"],
                "pers_death_date": known(r["pers_death_date"]),
            })  # fmt: skip
    for r in _ssd(extract_dir, "ssd_cin_assessments").to_dicts():
        start, auth = r["cina_assessment_start_date"], r["cina_assessment_auth_date"]
        if r["cina_referral_id"] in in_scope and open_in_year(_d(start), _d(auth)):
            rid = new_ref[r["cina_referral_id"]]
            exp["ssd_cin_assessments"].append({
                "cina_assessment_id": f"{rid}|A|{start}", "cina_person_id": r["cina_person_id"],
                "cina_referral_id": rid, "cina_assessment_start_date": start,
                "cina_assessment_auth_date": known(auth),
            })  # fmt: skip
    icpcs = _ssd(extract_dir, "ssd_initial_cp_conference").to_dicts()
    held_by_s47 = {r["icpc_s47_enquiry_id"]: r["icpc_icpc_date"] for r in icpcs}
    s47_new: dict[str, str] = {}
    for r in _ssd(extract_dir, "ssd_s47_enquiry").to_dicts():
        start = r["s47e_s47_start_date"]
        ends = [d for d in (r["s47e_s47_end_date"], held_by_s47.get(r["s47e_s47_enquiry_id"])) if d]
        if r["s47e_referral_id"] in in_scope and open_in_year(
            _d(start), _d(max(ends, default=None))
        ):
            rid = new_ref[r["s47e_referral_id"]]
            s47_new[r["s47e_s47_enquiry_id"]] = f"{rid}|S47|{start}"
            exp["ssd_s47_enquiry"].append({
                "s47e_s47_enquiry_id": s47_new[r["s47e_s47_enquiry_id"]],
                "s47e_referral_id": rid, "s47e_person_id": r["s47e_person_id"],
                "s47e_s47_start_date": start,
            })  # fmt: skip
    # Each conference's episode: its enquiry's, or for a transfer-in the child's episode open
    # that day. In the census: an enquiry's conference held by 31 March, a transfer-in held in
    # the year.
    s47_referral = {
        r["s47e_s47_enquiry_id"]: r["s47e_referral_id"]
        for r in _ssd(extract_dir, "ssd_s47_enquiry").to_dicts()
    }
    icpc_episode: dict[str, str] = {}  # SSD conference id -> SSD referral id
    icpc_new: dict[str, str] = {}  # SSD conference id -> census conference id
    for r in icpcs:
        held = r["icpc_icpc_date"]
        if r["icpc_s47_enquiry_id"] is not None:
            icpc_episode[r["icpc_icpc_id"]] = s47_referral[r["icpc_s47_enquiry_id"]]
            if r["icpc_s47_enquiry_id"] in s47_new and known(held):
                icpc_new[r["icpc_icpc_id"]] = f"{s47_new[r['icpc_s47_enquiry_id']]}|ICPC"
            continue
        open_then = [
            e for e in episodes.values()
            if e["cine_person_id"] == r["icpc_person_id"]
            and e["cine_referral_date"] <= held
            and (e["cine_close_date"] is None or e["cine_close_date"] >= held)
        ]  # fmt: skip
        if not open_then:
            continue
        episode = max(open_then, key=lambda e: e["cine_referral_date"])["cine_referral_id"]
        icpc_episode[r["icpc_icpc_id"]] = episode
        if first <= _d(held) <= ref:  # type: ignore[operator]
            icpc_new[r["icpc_icpc_id"]] = f"{new_ref[episode]}|ICPC|{held}"
    plans = _ssd(extract_dir, "ssd_cp_plans").to_dicts()
    plan_new: dict[str, str] = {}
    for r in plans:
        start, end = r["cppl_cp_plan_start_date"], r["cppl_cp_plan_end_date"]
        episode = icpc_episode.get(r["cppl_icpc_id"])
        if episode in in_scope and open_in_year(_d(start), _d(end)):
            rid = new_ref[episode]
            plan_new[r["cppl_cp_plan_id"]] = f"{rid}|CPP|{start}"
            exp["ssd_cp_plans"].append({
                "cppl_cp_plan_id": plan_new[r["cppl_cp_plan_id"]],
                "cppl_person_id": r["cppl_person_id"],
                # Linked only when its conference is in the census too.
                "cppl_icpc_id": icpc_new.get(r["cppl_icpc_id"]),
                "cppl_cp_plan_start_date": start, "cppl_cp_plan_end_date": known(end),
                "cppl_cp_plan_initial_category":
                    ABUSE_CATEGORY_MAP[r["cppl_cp_plan_initial_category"].upper()],
                "cppl_cp_plan_latest_category":
                    ABUSE_CATEGORY_MAP[r["cppl_cp_plan_latest_category"].upper()],
                # NumberOfPreviousCPP: the child's plans in the extract that started earlier.
                "cppl_previous_cp_plans": str(sum(
                    1 for p in plans
                    if p["cppl_person_id"] == r["cppl_person_id"]
                    and p["cppl_cp_plan_start_date"] < start
                )),
            })  # fmt: skip
    for r in icpcs:
        if r["icpc_icpc_id"] in icpc_new:
            plan = plan_new.get(r["icpc_cp_plan_id"])
            exp["ssd_initial_cp_conference"].append({
                "icpc_icpc_id": icpc_new[r["icpc_icpc_id"]],
                "icpc_s47_enquiry_id": s47_new.get(r["icpc_s47_enquiry_id"]),
                "icpc_person_id": r["icpc_person_id"], "icpc_cp_plan_id": plan,
                # A blank transfer-in flag is read as "not a transfer-in" (as the KPIs do).
                "icpc_icpc_transfer_in": r["icpc_icpc_transfer_in"] or "N",
                "icpc_icpc_target_date": r["icpc_icpc_target_date"],
                "icpc_icpc_date": r["icpc_icpc_date"],
                "icpc_icpc_outcome_cp_flag": "Y" if plan else "N",
            })  # fmt: skip
    for r in _ssd(extract_dir, "ssd_cp_reviews").to_dicts():
        when = r["cppr_cp_review_date"]
        if r["cppr_cp_plan_id"] in plan_new and first <= _d(when) <= ref:  # type: ignore[operator]
            pid = plan_new[r["cppr_cp_plan_id"]]
            exp["ssd_cp_reviews"].append({
                "cppr_cp_review_id": f"{pid}|REV|{when}", "cppr_person_id": r["cppr_person_id"],
                "cppr_cp_plan_id": pid, "cppr_cp_review_date": when,
            })  # fmt: skip
    return exp


@pytest.mark.parametrize("year", [2023, 2025, 2026])
def test_round_trip_gives_the_extracts_rows(
    extract: Path, older_extract: Path, tmp_path: Path, year: int
) -> None:
    folder = older_extract if year == 2023 else extract
    out = write_cin_census(folder, tmp_path / f"cin_{year}.xml", year)
    adapted = ADAPTER.adapt([out], EXTRACT_DATE)
    frames = frames_by_table(adapted)
    expected = _expected(folder, year)
    if year == 2023:
        # The transfer-in made in the fixture comes back as one, linked to its plan.
        icpc = frames["ssd_initial_cp_conference"].filter(pl.col("icpc_icpc_transfer_in") == "Y")
        assert icpc.height == 1
        assert icpc["icpc_s47_enquiry_id"].to_list() == [None]
        assert icpc["icpc_cp_plan_id"].is_not_null().all()
    # The fixture is big enough to exercise every table in both years.
    for table, columns in PROVIDES.items():
        assert expected[table], (year, table)
        cols = sorted(columns)
        key = TABLES_BY_NAME[table].key
        got = frames[table].select(cols).sort(key)
        want = pl.DataFrame(expected[table], schema={c: pl.String for c in cols}).sort(key)
        assert got.to_dicts() == want.to_dicts(), (year, table)
    _assert_stages_cleanly(frames)


@pytest.mark.parametrize("year", [2025, 2026])
def test_written_census_is_valid_against_the_xsd(extract: Path, tmp_path: Path, year: int) -> None:
    xsd = XSD_DIR / f"CIN_schema_{year}.xsd"
    if not xsd.is_file():
        pytest.skip("reference schemas not available")
    out = write_cin_census(extract, tmp_path / f"cin_{year}.xml", year)
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    valid = schema.validate(etree.parse(str(out)))
    assert valid, [str(e) for e in list(schema.error_log)[:5]]
    adapted = ADAPTER.adapt([out], EXTRACT_DATE)
    assert not [n for n in adapted.notes if n.rule.startswith("cin_schema")]


def test_writer_scope_and_older_element_names(tmp_path: Path) -> None:
    """A hand-made extract: who is in the 2023 census and what is known at 31 March 2023."""
    folder = tmp_path / "993" / "2023-06-04"
    folder.mkdir(parents=True)
    (folder / "ssd_person.csv").write_text(
        "pers_person_id,pers_sex,pers_ethnicity,pers_dob,pers_death_date\n"
        "1,F,WBRI,2010-01-01,\n"
        "2,M,,2023-05-01,\n"  # born after 31 March 2023: expected date of birth
        "3,U,AIND,2011-01-01,\n",  # episode closed before the year: not in the census
        encoding="utf-8",
    )
    (folder / "ssd_cin_episodes.csv").write_text(
        "cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,"
        "cine_referral_source_code,cine_referral_nfa,cine_close_reason,cine_close_date\n"
        "R1,1,2022-03-01,N1,6,N,RC7,2023-04-15\n"  # closes after 31 March: open in the census
        "R2,2,2023-02-01,N1,,,,\n"
        "R3,3,2021-01-01,N5,1A,N,RC7,2022-03-31\n",
        encoding="utf-8",
    )
    (folder / "ssd_cin_assessments.csv").write_text(
        "cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,"
        "cina_assessment_auth_date\n"
        "A1,1,R1,2022-03-02,2022-03-30\n"  # authorised before the year: not in it
        "A2,1,,2023-03-20,2023-04-20\n",  # no referral id: placed in R1, still open at 31/3
        encoding="utf-8",
    )
    out = write_cin_census(folder, tmp_path / "cin.xml", 2023)
    root = etree.parse(str(out)).getroot()
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2023-03-31"
    assert root.findtext("Header/Source/LEA") == "993"
    kids = root.findall("Children/Child")
    assert [k.findtext("ChildIdentifiers/LAchildID") for k in kids] == ["1", "2"]
    first, second = kids
    assert first.findtext("ChildIdentifiers/GenderCurrent") == "2"
    assert first.find("ChildIdentifiers/Sex") is None
    assert first.findtext("CINdetails/CINclosureDate") is None
    assert first.findtext("CINdetails/ReasonForClosure") is None
    starts = [a.findtext("AssessmentActualStartDate") for a in first.iter("Assessments")]
    assert starts == ["2023-03-20"]
    assert first.findtext("CINdetails/Assessments/AssessmentAuthorisationDate") is None
    assert second.findtext("ChildIdentifiers/ExpectedPersonBirthDate") == "2023-05-01"
    assert second.findtext("ChildIdentifiers/PersonBirthDate") is None
    assert second.findtext("ChildIdentifiers/GenderCurrent") == "1"
    assert second.findtext("ChildCharacteristics/Ethnicity") == "NOBT"
    assert second.findtext("CINdetails/ReferralSource") == "10"
    assert second.findtext("CINdetails/ReferralNFA") == "0"
