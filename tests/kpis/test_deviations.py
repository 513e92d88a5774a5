"""kpi_definitions/DEVIATIONS.md: generated from the YAMLs, current, and complete for every KPI
that differs from the DfE."""

from pipelines import cli
from pipelines.lib.kpi.definitions import load_definitions
from pipelines.lib.kpi.deviations import DEVIATIONS_FILE, deviations, deviations_table


def test_the_deviations_table_is_up_to_date() -> None:
    expected = deviations_table(load_definitions())
    assert DEVIATIONS_FILE.read_text(encoding="utf-8") == expected, (
        "kpi_definitions/DEVIATIONS.md is out of date: run `csc-kpis deviations --write`"
    )
    assert cli.main(["deviations", "--check"]) == 0


def test_every_kpi_that_differs_says_how() -> None:
    table = DEVIATIONS_FILE.read_text(encoding="utf-8")
    for kpi in load_definitions():
        if kpi.dfe_comparable is False:
            assert deviations(kpi), f"{kpi.id}: differs from the DfE but no assumption says how"
        if kpi.dfe_comparable is not None:
            assert f"`{kpi.id}`" in table
            for line in deviations(kpi):
                assert " ".join(line.split()) in table
