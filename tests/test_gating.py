"""Gating per KPI (issue 13): a table that fails a blocking check withholds exactly the KPIs that
read it, which keep their last good values; every other KPI is published; the run says so.

A good extract of LA 900 (people, contacts, referrals) is run once (module-scoped, copied per
case); then a newer extract arrives whose contacts are broken in one way, and the run goes on.
"""

import shutil
import textwrap
from pathlib import Path

import duckdb
import pytest

from pipelines.lib.kpi.definitions import load_definitions
from pipelines.run_report import KPIS_WITHHELD
from tests.conftest import CONTACTS_CSV, PERSON_CSV, write_extract
from tests.ingest.test_bad_inputs import _isolate, run

LA = "900"
GOOD = "2024-01-07"
NEW = "2024-01-14"
REFERRALS = """
cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,cine_referral_nfa,cine_close_reason,cine_close_date,cine_referral_team
R1,C1,2024-01-02,N1,1A,N,,,T1
R2,C2,2024-01-03,N1,2B,N,,,T1
R3,C3,2024-01-05,N1,5A,N,,,T2
"""
TABLES = {"ssd_person": PERSON_CSV, "ssd_contacts": CONTACTS_CSV, "ssd_cin_episodes": REFERRALS}
# Contacts whose dates were exported as numbers (Excel serials): staging rejects every row.
CONTACTS_AS_NUMBERS = """
cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code
K1,C1,45293,1A
K2,C2,45294,6
K3,C3,45295,2a
"""
# Valid contacts, one of three dated in 2099: the "not after the extract date" rule fails.
CONTACTS_2099 = """
cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code
K1,C1,2024-01-02 09:30,1A
K2,C2,2099-01-03,6
K3,C3,2024-01-04,2a
"""
READ_CONTACTS = {k.id for k in load_definitions() if "ssd_contacts" in k.all_tables}


def _query(data: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(data / "warehouse" / "csc.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _values(data: Path, day: str, kpis: set[str]) -> list[tuple]:
    """A set of KPIs' values of one extract (without the extract date)."""
    rows = _query(
        data,
        """select kpi_id, grain, period_start, period_end, numerator, denominator, value
           from kpi.kpi_values where la_code = ? and extract_date = ? order by all""",
        [LA, day],
    )
    return [r for r in rows if r[0] in kpis]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("gating_base")
    write_extract(data / "inbox", LA, GOOD, TABLES)
    with pytest.MonkeyPatch.context() as env:
        _isolate(env, data)
        assert run(data) == 0
    return data


@pytest.fixture
def data(base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _isolate(monkeypatch, tmp_path)
    target = tmp_path / "data"
    shutil.copytree(base, target, ignore=shutil.ignore_patterns("dagster_home"))
    return target


def test_the_base_extract_computes_kpis_with_and_without_contacts(base: Path) -> None:
    available = {
        r[0]
        for r in _query(
            base,
            "select kpi_id from kpi.kpi_availability where extract_date = ? and available",
            [GOOD],
        )
    }
    # Both kinds exist, so that a contacts failure has something to withhold and to publish.
    assert available & READ_CONTACTS
    assert available - READ_CONTACTS
    assert _query(base, "select count(*) from kpi.kpi_withheld") == [(0,)]


@pytest.mark.parametrize(
    ("contacts", "rule"),
    [
        (CONTACTS_AS_NUMBERS, "no more than 50% of the delivered rows are rejected"),
        (CONTACTS_2099, "cont_contact_date is not after the extract date (2024-01-14)"),
    ],
    ids=["all_rows_rejected", "dates_in_2099"],
)
def test_a_failed_table_withholds_exactly_its_kpis_and_the_rest_publish(
    data: Path, contacts: str, rule: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = {**TABLES, "ssd_contacts": contacts}
    # New referral R4 (14 Jan) so that the KPIs that do not read contacts change.
    tables["ssd_cin_episodes"] = REFERRALS + "R4,C1,2024-01-12,N1,1A,N,,,T1\n"
    write_extract(data / "inbox", LA, NEW, {k: textwrap.dedent(v) for k, v in tables.items()})
    capsys.readouterr()
    code = run(data)
    printed = capsys.readouterr().out
    assert code == KPIS_WITHHELD, printed
    assert "Result: published with KPIs withheld (exit 3)." in printed
    assert "published, with KPIs withheld" in printed and "stg/ssd_contacts" in printed

    withheld = _query(
        data,
        """select kpi_id, layer, asset, rule, since::varchar, values_from::varchar
           from kpi.kpi_withheld where la_code = ? and extract_date = ? order by 1""",
        [LA, NEW],
    )
    # Exactly the KPIs that read ssd_contacts, each for the contacts rule, since this extract,
    # showing the good extract's values.
    assert {w[0] for w in withheld} == READ_CONTACTS
    assert {w[1:] for w in withheld} == {("stg", "ssd_contacts", w[3], NEW, GOOD) for w in withheld}
    assert all(w[3].startswith(rule) for w in withheld), withheld

    # The withheld KPIs keep the good extract's values; the others are the new extract's own.
    assert _values(data, NEW, READ_CONTACTS) == _values(data, GOOD, READ_CONTACTS)
    assert _values(data, GOOD, READ_CONTACTS)
    others = {r[0] for r in _query(data, "select distinct kpi_id from kpi.kpi_values")}
    others -= READ_CONTACTS
    assert others
    assert _values(data, NEW, others) != _values(data, GOOD, others)

    # Every output was written and says so.
    published = data / "published" / LA
    pack = published / "internal" / "clinic" / "2024-01-08" / "index.html"
    assert pack.is_file(), printed
    text = pack.read_text(encoding="utf-8")
    assert "withheld because a table they read failed a blocking check" in text
    assert "stg/ssd_contacts" in text
    assert "the last good values shown are from the extract of 07 January 2024" in text
    withheld_page = (published / "withheld.html").read_text(encoding="utf-8")
    assert "Published with KPIs withheld" in withheld_page
    assert "withheld.html" in (published / "index.html").read_text(encoding="utf-8")
    assert not (published / "not-published.html").exists()
    board = next((published / "internal" / "board" / "monthly").rglob("*.html")).read_text(
        encoding="utf-8"
    )
    assert "withheld since the extract of 14 January 2024" in board
    note = data / "restricted" / LA / "worklists" / NEW / "KPIS-WITHHELD.txt"
    assert "stg/ssd_contacts" in note.read_text(encoding="utf-8")
