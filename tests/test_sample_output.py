"""A council's first run on a real-format return is readable (issue 13): the 903 validator's
sample, dropped into an inbox as a council would, prints under 60 lines, with row-level defects
summarised per file, column and rule, and publishes (KPIs that read a failed table withheld)."""

import shutil
from pathlib import Path

import pytest

from pipelines.run_report import ALL_PUBLISHED, KPIS_WITHHELD
from tests.conftest import shared_or_skip
from tests.ingest.test_bad_inputs import _isolate, run

FILES = ("header", "episodes", "reviews", "missing", "oc2", "oc3", "uasc", "sw_episodes")


@pytest.mark.slow
def test_the_903_validator_sample_prints_under_60_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    samples = shared_or_skip("samples/csc-validator-be-903/fake_data")
    folder = tmp_path / "inbox" / "903" / "2018-03-31"
    folder.mkdir(parents=True)
    for name in FILES:
        shutil.copyfile(samples / f"{name}.csv", folder / f"{name}.csv")
    (folder.parent / "la.yaml").write_text("la_name: Sample 903 Council (fictional)\n")
    _isolate(monkeypatch, tmp_path)
    capsys.readouterr()
    code = run(tmp_path)
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    assert len(lines) < 60, printed
    assert code in (ALL_PUBLISHED, KPIS_WITHHELD), printed
    assert "clinic pack" in printed
    # The 3,070 reviews of children with no episode are one line, not 3,070 (or 200).
    reviews = [line for line in lines if "reviews.csv" in line]
    assert 0 < len(reviews) <= 4, reviews
