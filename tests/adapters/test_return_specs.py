"""The SSDA903 and CIN census spec.yaml files: what a mistyped edit would break without another
test noticing (a code YAML reads as a number or a boolean, a column the contract lacks, a
table recognised before the one it must come after)."""

from collections.abc import Iterable

from pipelines.lib.adapters.cin_census import spec as cin_spec
from pipelines.lib.adapters.ssda903 import spec as s903_spec
from pipelines.lib.contract import TABLES_BY_NAME


def _known(table: str, columns: Iterable[str]) -> bool:
    return table in TABLES_BY_NAME and set(columns) <= set(TABLES_BY_NAME[table].column_names)


def test_codes_read_as_text() -> None:
    # Unquoted, 1: M would have the key 1 (a number), and no GenderCurrent code would match;
    # yes/no unquoted are booleans.
    assert cin_spec.SEX_CODES == {
        "M": "M",
        "F": "F",
        "U": "U",
        "1": "M",
        "2": "F",
        "0": "U",
        "9": "U",
    }
    assert {"1", "true", "y", "yes"} == cin_spec.TRUE_VALUES
    assert {"0", "false", "n", "no"} == cin_spec.FALSE_VALUES
    assert {"S", "P", "T", "B", "U"} == s903_spec.PLACEMENT_CHANGE
    assert {"S", "L", "B", "U"} == s903_spec.LEGAL_CHANGE


def test_every_column_given_is_a_contract_column() -> None:
    for table, columns in cin_spec.TABLE_COLUMNS.items():
        assert _known(table, columns), table
    for table, columns in s903_spec.PROVIDES.items():
        assert _known(table, columns), table


def test_903_tables_are_recognised_in_the_right_order() -> None:
    tables = list(s903_spec.SIGNATURES)
    # The header's columns are a subset of no other table's, but uasc has CHILD, SEX and DOB
    # too: the header (with ETHNIC) must be tried first.
    assert tables[:2] == ["episodes", "header"]
    assert tables.index("header") < tables.index("uasc")
    assert set(s903_spec.NAMES.values()) <= set(tables)
    assert set(s903_spec.UNUSED_TABLES) <= set(tables)
    assert set(s903_spec.XML_UNUSED.values()) <= set(s903_spec.UNUSED_TABLES)
