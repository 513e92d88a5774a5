"""The LAIT core KPIs reproduce, from a synthetic CIN census and SSDA903 return, the counts a
plain-Python reading of the return files gives.

The generator writes one synthetic SSD extract; the writers turn it into the CIN census XML and
the SSDA903 CSVs for the year to 31 March 2024. Both returns go, in one extract folder, through
the whole ingest (adapters, staging) and the KPI engine. Independently, this test reads the
files with the standard library only (``xml.etree``, ``csv``) and counts what the DfE counts for
the year: children in need at 31 March (open episode, not NFA), CP plans starting and ceasing in
the year, those ceasing after 729 days or more, and children starting to be looked after (RNE S,
legal status not V3/V4, each child once), UASC among the children looked after at 31 March
(uasc.csv), and health assessments and dental checks of the children in OC2 (looked after for 12
months at 31 March). The KPI's numerator at 31 March must equal each count, and a rate's value
the count over the la.yaml population of mid-2023 (the estimate in force at 31 March 2024).
"""

import csv
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl
import pytest
import yaml

from pipelines.synthetic import generate_la
from pipelines.synthetic.cin_writer import write_cin_census
from pipelines.synthetic.ssda903_writer import write_ssda903
from tests.adapters.test_round_trip import LA, YEAR_END, YEAR_START
from tests.adapters.test_round_trip import _kpis as monthly_kpis_of_the_year


def _date(text: str | None) -> dt.date | None:
    """ISO (the CIN census) or DD/MM/YYYY (the 903) date; None when blank."""
    if not text or not text.strip():
        return None
    text = text.strip()
    if "/" in text:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    return dt.date.fromisoformat(text[:10])


def _in_year(day: dt.date | None) -> bool:
    return day is not None and YEAR_START <= day <= YEAR_END


def _count_cin_census(path: Path) -> dict[str, tuple[int, int]]:
    """(numerator, denominator) counts from the CIN census XML, as the DfE reads it."""
    in_need: set[str] = set()
    started = ceased = ceased_long = 0
    for child in ET.parse(path).getroot().iter("Child"):
        child_id = child.findtext("ChildIdentifiers/LAchildID")
        assert child_id
        for details in child.findall("CINdetails"):
            referral = _date(details.findtext("CINreferralDate"))
            closed = _date(details.findtext("CINclosureDate"))
            nfa = details.findtext("ReferralNFA") in ("1", "true")
            if not nfa and referral and referral <= YEAR_END and (not closed or closed > YEAR_END):
                in_need.add(child_id)
            for plan in details.findall("ChildProtectionPlans"):
                start = _date(plan.findtext("CPPstartDate"))
                end = _date(plan.findtext("CPPendDate"))
                started += _in_year(start)
                if _in_year(end):
                    assert start and end
                    ceased += 1
                    ceased_long += (end - start).days >= 729
    return {
        "cin_rate_per_10k": (len(in_need), 0),
        "cp_plans_started_per_10k": (started, 0),
        "cp_plans_ceased_per_10k": (ceased, 0),
        "cp_ceased_2yrs_plus_pct": (ceased_long, ceased),
    }


def _count_ssda903(episodes: Path) -> int:
    """Children starting to be looked after in the year, from episodes.csv."""
    with episodes.open(newline="", encoding="utf-8") as handle:
        return len(
            {
                row["CHILD"]
                for row in csv.DictReader(handle)
                if row["RNE"] == "S"
                and _in_year(_date(row["DECOM"]))
                and row["LS"] not in ("V3", "V4")
            }
        )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _count_uasc(folder: Path) -> tuple[int, int]:
    """UASC among the children looked after at 31 March (LAIT 334): an episode begun by then and
    not ceased (DEC blank: it ended after 31 March, or has not), short breaks (V3/V4) out; UASC
    when uasc.csv lists the child with no DUC, or a DUC after 31 March."""
    looked_after = {
        row["CHILD"]
        for row in _rows(folder / "episodes.csv")
        if (day := _date(row["DECOM"])) is not None
        and day <= YEAR_END
        and not row["DEC"]
        and row["LS"] not in ("V3", "V4")
    }
    uasc = {
        row["CHILD"]
        for row in _rows(folder / "uasc.csv")
        if (duc := _date(row["DUC"])) is None or duc > YEAR_END
    }
    return len(looked_after & uasc), len(looked_after)


def _count_oc2(folder: Path, column: str) -> tuple[int, int]:
    """OC2 as the DfE reads it for LAIT 3: its rows are the children looked after for 12 months
    at 31 March; the numerator, those with ``column`` 1."""
    rows = _rows(folder / "oc2.csv")
    return sum(row[column] == "1" for row in rows), len(rows)


# KPIs whose DfE figure is the value at 31 March (the snapshot of the children then).
AT_31_MARCH = {"cla_uasc_pct", "cla_health_assessment_pct", "cla_dental_check_pct"}


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """An inbox holding one extract folder dated 31 March 2024 with both returns; the
    population in force at 31 March 2024."""
    generated = tmp_path_factory.mktemp("generated")
    (extract,) = generate_la(
        LA, dt.date(2020, 4, 1), dt.date(2024, 5, 31), generated, scale=0.1, seed=2, n_extracts=1
    )
    inbox = tmp_path_factory.mktemp("inbox")
    folder = inbox / LA / YEAR_END.isoformat()
    folder.mkdir(parents=True)
    la_yaml = (extract.path.parent / "la.yaml").read_text(encoding="utf-8")
    (inbox / LA / "la.yaml").write_text(la_yaml, encoding="utf-8")
    write_cin_census(extract.path, folder / "cin_census_2024.xml", 2024, la_code=LA)
    write_ssda903(extract.path, folder, 2024)
    population = yaml.safe_load(la_yaml)["population_0_17"][2023]
    return folder, population


def test_lait_core_kpis_reproduce_a_plain_count_of_the_returns(
    returns: tuple[Path, int], tmp_path: Path
) -> None:
    folder, population = returns
    expected = _count_cin_census(folder / "cin_census_2024.xml")
    expected["cla_started_per_10k"] = (_count_ssda903(folder / "episodes.csv"), 0)
    expected["cla_uasc_pct"] = _count_uasc(folder)
    expected["cla_health_assessment_pct"] = _count_oc2(folder, "HEALTH_ASSESSMENT")
    expected["cla_dental_check_pct"] = _count_oc2(folder, "TEETH_CHECK")
    # The synthetic year has something to count for each (a count of zero would prove little):
    # with this seed 303 children in need, 35 plans starting, 59 ceasing (7 after two years or
    # more), 13 children starting to be looked after; at 31 March 2 UASC of 55 children looked
    # after, and of 43 in care for 12 months 37 with a health assessment and 33 a dental check.
    assert all(n > 0 for n, _ in expected.values()), expected
    # The months of the collection year (the round-trip test's own ingest and engine run).
    months = monthly_kpis_of_the_year(folder.parent.parent, tmp_path)
    for kpi_id, (numerator, denominator) in expected.items():
        rows = months.filter(pl.col("kpi_id") == kpi_id)
        if kpi_id.endswith("_pct") and kpi_id not in AT_31_MARCH:
            # plans ceasing in the year: the twelve months' plans added up
            assert rows.height == 12, kpi_id
            got = {k: rows[k].sum() for k in ("numerator", "denominator")}
            got["value"] = round(100 * got["numerator"] / got["denominator"], 6)
        else:
            # the rates: the 12 months to 31 March (rolling) or the children at 31 March; the
            # UASC and OC2 shares: the children at 31 March
            at_end = rows.filter(pl.col("period_end") == YEAR_END)
            assert at_end.height == 1, kpi_id
            got = at_end.row(0, named=True)
        assert got["numerator"] == numerator, kpi_id
        if kpi_id.endswith("_per_10k"):
            assert got["denominator"] == population, kpi_id
            assert got["value"] == round(10_000 * numerator / population, 6), kpi_id
        else:
            assert got["denominator"] == denominator, kpi_id
            assert got["value"] == round(100 * numerator / denominator, 6), kpi_id
