"""An optional column a KPI cannot do without (``requires_columns``): absent from the extract, or
blank in every row, the KPI is "not available" with the reason, never 0% or blank (issue 18).

The LADO fixture is test_lado_new's, whose hand-worked values (January: 1 of 4 resolved within
one month, 2 of 4 within three) are computed here again when resolved_date is delivered.
"""

from pathlib import Path

import pytest

from pipelines.lib.kpi.definitions import DefinitionError, load_definition
from tests.kpis.harness import KpiOutput, run_kpis
from tests.kpis.test_lado_new import EXTRACT, LADO
from tests.kpis.test_placements_new import EPISODES, LEGAL, PLACEMENTS

LADO_KPIS = ["lado_resolved_1m_pct", "lado_resolved_3m_pct", "lado_substantiated_pct"]
RESOLVED = "the extract has no ext_lado_referrals.resolved_date (absent, or blank in every row)"


def _without_last_column(csv: str) -> str:
    return "\n".join(line.rsplit(",", 1)[0] for line in csv.strip().splitlines())


def _with_blank_last_column(csv: str) -> str:
    lines = csv.strip().splitlines()
    return "\n".join([lines[0], *(line.rsplit(",", 1)[0] + "," for line in lines[1:])])


@pytest.fixture(scope="module")
def no_resolved_date(tmp_path_factory: pytest.TempPathFactory) -> KpiOutput:
    # resolved_date is the last column of the fixture: the file is written without it.
    lado = _without_last_column(LADO)
    assert "resolved_date" not in lado
    return run_kpis(
        tmp_path_factory.mktemp("no_resolved"),
        {"ext_lado_referrals": lado},
        EXTRACT,
        [*LADO_KPIS, "lado_referrals"],
    )


@pytest.mark.parametrize("kpi_id", LADO_KPIS)
def test_lado_without_resolved_date_is_not_available(
    no_resolved_date: KpiOutput, kpi_id: str
) -> None:
    available, reason = no_resolved_date.available(kpi_id)
    assert not available
    assert reason == f"not available from this extract: {RESOLVED}"
    # No value at all, rather than 0%: the chart says "not available".
    assert no_resolved_date.values.filter(no_resolved_date.values["kpi_id"] == kpi_id).height == 0


def test_lado_referrals_are_still_counted_without_resolved_date(
    no_resolved_date: KpiOutput,
) -> None:
    # lado_referrals needs no resolution: January received L1, L2, L3, L4.
    assert no_resolved_date.available("lado_referrals") == (True, None)
    assert no_resolved_date.row("lado_referrals", "month", "2023-01-31") == (4, None, 4)


def test_a_column_blank_in_every_row_is_as_absent(tmp_path: Path) -> None:
    lado = _with_blank_last_column(LADO)
    out = run_kpis(tmp_path, {"ext_lado_referrals": lado}, EXTRACT, ["lado_resolved_3m_pct"])
    assert out.available("lado_resolved_3m_pct") == (
        False,
        f"not available from this extract: {RESOLVED}",
    )


def test_lado_with_resolved_date_is_computed(tmp_path: Path) -> None:
    out = run_kpis(tmp_path, {"ext_lado_referrals": LADO}, EXTRACT, LADO_KPIS)
    for kpi_id in LADO_KPIS:
        assert out.available(kpi_id) == (True, None)
    # test_lado_new's January: L1 on time for both, L2 a day late for one month, L3 late for
    # both, L4 never resolved.
    assert out.row("lado_resolved_1m_pct", "month", "2023-01-31") == (1, 4, 25)
    assert out.row("lado_resolved_3m_pct", "month", "2023-01-31") == (2, 4, 50)


def test_a_missing_table_is_said_once(tmp_path: Path) -> None:
    # Without ext_lado_referrals at all the table's reason stands alone (no column reason).
    out = run_kpis(tmp_path, {"ssd_cla_episodes": EPISODES}, EXTRACT, ["lado_resolved_1m_pct"])
    available, reason = out.available("lado_resolved_1m_pct")
    assert not available
    assert reason is not None and "ext_lado_referrals is absent" in reason
    assert "resolved_date" not in reason


def test_placement_distance_absent_is_not_available(tmp_path: Path) -> None:
    # test_placements_new's placements without clap_cla_placement_distance: no distances.
    assert "clap_cla_placement_distance" not in PLACEMENTS
    out = run_kpis(
        tmp_path,
        {"ssd_cla_episodes": EPISODES, "ssd_legal_status": LEGAL, "ssd_cla_placement": PLACEMENTS},
        EXTRACT,
        ["cla_placed_over_20_miles_pct"],
    )
    assert out.available("cla_placed_over_20_miles_pct") == (
        False,
        "not available from this extract: the extract has no "
        "ssd_cla_placement.clap_cla_placement_distance (absent, or blank in every row)",
    )


YAML = (
    "id: x_pct\nlabel: X\ndescription: X\narea: other\nnotice_areas: []\nkind: flow\n"
    "unit: percent\npolarity: up\ntables: [ext_lado_referrals]\nsource: local\n"
    "assumptions: [a]\n"
)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("resolved_date", "not written as table.column"),
        ("ext_lado.resolved_date", "not in the extract contract"),
        ("ext_lado_referrals.closed_date", "has no column 'closed_date'"),
        ("ssd_cla_placement.clap_cla_placement_distance", "not among the KPI's tables"),
    ],
)
def test_requires_columns_names_real_columns_of_its_tables(
    tmp_path: Path, entry: str, message: str
) -> None:
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "x_pct.sql").write_text("select 1")
    (folder / "x_pct.yaml").write_text(YAML + f"requires_columns: [{entry}]\n")
    with pytest.raises(DefinitionError, match=message):
        load_definition(folder / "x_pct.yaml")


def test_requires_columns_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "x_pct.sql").write_text("select 1")
    (folder / "x_pct.yaml").write_text(YAML + "requires_columns: [ext_lado_referrals.outcome]\n")
    kpi = load_definition(folder / "x_pct.yaml")
    assert kpi.requires_columns == ("ext_lado_referrals.outcome",)
