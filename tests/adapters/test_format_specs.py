"""The adapters' spec.yaml files: what a mistyped edit would break without any other test
noticing (YAML reading ``"1"`` unquoted as a number, a list's key column not among its fields,
a pattern that does not compile)."""

import re
from pathlib import Path

import pytest

from pipelines.lib.adapters import format_spec
from pipelines.lib.adapters.annex_a import spec as annex_a_spec
from pipelines.lib.adapters.csww import spec as csww_spec


def test_annex_a_has_the_eleven_lists_with_titles() -> None:
    assert sorted(annex_a_spec.LIST_TITLES) == list(range(1, 12))
    assert all(title.startswith(f"List {n} (") for n, title in annex_a_spec.LIST_TITLES.items())
    # Early help, adoption and adopters have no contract table.
    assert sorted(annex_a_spec.NOT_USED_LISTS) == [2, 10, 11]


def test_annex_a_key_columns_are_fields_of_their_list() -> None:
    for list_no, key_field in annex_a_spec.KEY_FIELDS.items():
        assert key_field in {name for name, _ in annex_a_spec.LIST_FIELDS[list_no]}, list_no


def test_annex_a_patterns_compile() -> None:
    patterns = [p for _, p in annex_a_spec.COMMON_FIELDS]
    patterns += [p for fields in annex_a_spec.LIST_FIELDS.values() for _, p in fields]
    patterns += [p for _, p in annex_a_spec.SIGNATURES]
    for pattern in patterns:
        re.compile(pattern)
    # The adopter id is what a List 11 header row has instead of a child id.
    assert re.search(annex_a_spec.ADOPTER_ID, "adopter identifier")


def test_codes_read_as_text_not_numbers() -> None:
    """Unquoted, ``"1": resignation`` would be read with the key 1, and no census code would
    match; the same for the yes/no answers and the labels' codes."""
    assert set(csww_spec.LEAVING_REASONS) == {str(n) for n in range(1, 11)}
    assert set(csww_spec.ORG_ROLE_TITLES) == {str(n) for n in range(1, 7)}
    assert {"1", "yes"} <= annex_a_spec.YES and {"0", "no"} <= annex_a_spec.NO
    assert annex_a_spec.SOURCE_LABELS["police"] == "6"
    assert annex_a_spec.SUITABILITY == {"suitable": "1", "unsuitable": "2", "not suitable": "2"}


def test_a_spec_that_is_not_a_mapping_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"spec\.yaml: a format spec must be a mapping"):
        format_spec.load(path)
