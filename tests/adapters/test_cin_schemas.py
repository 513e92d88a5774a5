"""The CIN census XSDs ship inside the package, each with its licence note, and the adapter
validates against them with nothing outside the repository (no ../shared)."""

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from lxml import etree

from pipelines.lib.adapters.cin_census import ADAPTER, SCHEMA_DIR_ENV, SCHEMA_ERROR
from pipelines.lib.adapters.cin_census import schema as cin_schema
from pipelines.lib.paths import PROJECT_ROOT
from tests.adapters.test_cin_census import NEW_STYLE

OUTSIDE = (PROJECT_ROOT / "..").resolve()
NOTICE = cin_schema.SCHEMA_DIR / "NOTICE.md"
SHIPPED_YEARS = (2025, 2026)


def _xsds() -> list[Path]:
    return sorted(cin_schema.SCHEMA_DIR.glob("*.xsd"))


def _outside_repo(path: object) -> bool:
    resolved = Path(str(path)).resolve()
    return not resolved.is_relative_to(PROJECT_ROOT.resolve()) and resolved.is_relative_to(OUTSIDE)


@pytest.fixture
def no_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a machine without ../shared: any look at a file beside the repository fails."""
    monkeypatch.delenv(SCHEMA_DIR_ENV, raising=False)
    real_is_file, real_parse = Path.is_file, etree.parse

    def is_file(self: Path) -> bool:
        assert not _outside_repo(self), f"read outside the repository: {self}"
        return real_is_file(self)

    def parse(source: object, *args: object, **kwargs: object) -> etree._ElementTree:
        assert not _outside_repo(source), f"read outside the repository: {source}"
        return real_parse(source, *args, **kwargs)

    monkeypatch.setattr(Path, "is_file", is_file)
    monkeypatch.setattr(etree, "parse", parse)


@pytest.mark.usefixtures("no_shared")
def test_the_shipped_schemas_are_found_without_shared(tmp_path: Path) -> None:
    for year in SHIPPED_YEARS:
        assert cin_schema.schema_path(year) == cin_schema.SCHEMA_DIR / f"CIN_schema_{year}.xsd"
    assert cin_schema.schema_path(2022) is None
    path = tmp_path / "cin_2025.xml"
    path.write_text(NEW_STYLE, encoding="utf-8")
    adapted = ADAPTER.adapt([path], dt.date(2026, 5, 1))
    # NEW_STYLE's two faults under the 2025 schema (Sex must be M/F/U; ReferralNFA 0 or 1):
    # K2's <Sex>2</Sex> on line 28 and <ReferralNFA>false</ReferralNFA> on line 34.
    errors = {(n.source_row, n.location) for n in adapted.notes if n.rule == SCHEMA_ERROR}
    assert errors == {
        (28, "/Message/Children/Child[2]/ChildIdentifiers/Sex"),
        (34, "/Message/Children/Child[2]/CINdetails[1]/ReferralNFA"),
    }
    assert not [n for n in adapted.notes if n.rule == "cin_schema_unavailable"]


def test_the_adapter_is_found_in_the_repository() -> None:
    assert cin_schema.SCHEMA_DIR.is_relative_to(PROJECT_ROOT / "pipelines")
    assert [p.name for p in _xsds()] == [f"CIN_schema_{y}.xsd" for y in SHIPPED_YEARS]


def test_every_schema_has_its_licence_note() -> None:
    notice = NOTICE.read_text(encoding="utf-8")
    assert "MIT License" in notice
    assert "Copyright (c) 2022 Social Finance Digital Labs" in notice
    assert "SocialFinanceDigitalLabs/liia-tools-pipeline" in notice
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^\| (\S+\.xsd) \|.*\| ([0-9a-f]{64}) \|$", notice, flags=re.M)
    }
    assert set(rows) == {p.name for p in _xsds()}
    for xsd in _xsds():
        assert hashlib.sha256(xsd.read_bytes()).hexdigest() == rows[xsd.name], xsd.name
        etree.XMLSchema(etree.parse(str(xsd)))  # a usable schema, not a pointer or a stub
