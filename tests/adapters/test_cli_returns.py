"""`csc-kpis generate --format cin|903` and `csc-kpis sources`."""

from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.lib.adapters.dispatch import claim


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("cin", {"cin_census_2024.xml"}), ("903", {"header.csv", "episodes.csv", "reviews.csv"})],
)
def test_generate_writes_the_newest_extract_as_a_return(
    tmp_path: Path, fmt: str, expected: set[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "generate",
            "--la-code",
            "997",
            "--from",
            "2022-04-01",
            "--to",
            "2024-05-31",
            "--scale",
            "0.05",
            "--seed",
            "5",
            "--extracts",
            "2",
            "--out",
            str(tmp_path),
            "--format",
            fmt,
        ]
    )
    assert code == 0
    la = tmp_path / "997"
    # Only the return's folder is left, dated 31 March of the collection year, beside la.yaml.
    assert sorted(p.name for p in la.iterdir()) == ["2024-03-31", "la.yaml"]
    files = {p.name for p in (la / "2024-03-31").iterdir()}
    assert expected <= files
    formats = {claim(la / "2024-03-31" / name).source_format for name in files}  # type: ignore[union-attr]
    assert formats == {"cin_census" if fmt == "cin" else "ssda903"}
    assert "2024 " in capsys.readouterr().out


def test_sources_check_passes_on_the_committed_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out
