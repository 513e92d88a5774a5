"""la.yaml is bounded in size and structure, its values are type-checked and its messages quote
at most a short excerpt (the run-level cases are in test_bad_inputs.py)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipelines.lib import ingest, la_config
from pipelines.lib.la_config import ConfigError, load_la_config
from tests.ingest.test_bad_inputs import billion_laughs

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter so that the measure is this load's alone.
MEASURE = textwrap.dedent(
    """
    import sys, time, tracemalloc
    from pathlib import Path
    from pipelines.lib.la_config import ConfigError, load_la_config
    tracemalloc.start()
    started = time.perf_counter()
    try:
        load_la_config(Path(sys.argv[1]))
        print("loaded")
    except ConfigError as exc:
        print(exc)
    print(time.perf_counter() - started)
    print(tracemalloc.get_traced_memory()[1])
    """
)


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "la.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_alias_bomb_is_refused_in_under_a_second_and_100_mb(tmp_path: Path) -> None:
    write(tmp_path, billion_laughs())
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
        timeout=60,
    )
    message, seconds, peak = done.stdout.splitlines()
    assert (
        message
        == f"{tmp_path / 'la.yaml'}: its aliases expand to more than 100,000 values; not read"
    )
    assert float(seconds) < 1.0
    assert int(peak) < 100 * 2**20


def test_a_small_nest_of_aliases_loads(tmp_path: Path) -> None:
    # Anchors have honest uses: the same dates for several KPIs.
    write(
        tmp_path,
        "la_name: X\nspc_changes:\n  a: &d [2023-01-09]\n  b: *d\n",
    )
    assert load_la_config(tmp_path).spc_changes["b"] == load_la_config(tmp_path).spc_changes["a"]


def test_an_alias_inside_itself_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "la_name: X\nroles: &r {A: *r}\n")
    with pytest.raises(ConfigError, match="an alias refers to a value that contains it"):
        load_la_config(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("la_name: [a, b]\n", "'la_name' must be text, got a list"),
        ("la_name: 12\n", "'la_name' must be text, got a number"),
        ("la_name: {a: 1}\n", "'la_name' must be text, got a mapping"),
        ("la_name: ''\n", "'la_name' is required (the council's name)"),
        ("roles: {}\n", "'la_name' is required (the council's name)"),
        ("la_name: X\nroles: {SW: [1, 2]}\n", "roles: 'SW' must be text, got a list"),
        ("la_name: X\nservice_areas: {T1: 3}\n", "service_areas: 'T1' must be text, got a number"),
        ("la_name: X\ntargets: [a, [b]]\n", "'targets' entries must be text, got a list"),
        (
            "la_name: X\nbenchmarks: {local_authority: true}\n",
            "benchmarks: 'local_authority' must be text, got true/false",
        ),
        ("- a\n- b\n", "expected a mapping of settings, got a list"),
    ],
)
def test_values_are_type_checked(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_la_config(tmp_path)
    assert str(raised.value) == f"{tmp_path / 'la.yaml'}: {message}"


def test_a_message_quotes_at_most_a_short_excerpt(tmp_path: Path) -> None:
    long = "Z" * 5000
    write(tmp_path, f"la_name: X\nroles: {{SW: {long}}}\npopulation_0_17: {{2022: [{long}]}}\n")
    with pytest.raises(ConfigError) as raised:
        load_la_config(tmp_path)
    text = str(raised.value)
    assert text.startswith(f"{tmp_path / 'la.yaml'}: population_0_17 entry 2022: ['ZZZ")
    assert len(text) < len(str(tmp_path)) + 160


def test_a_numeric_team_code_is_read_as_text(tmp_path: Path) -> None:
    write(
        tmp_path,
        "la_name: X\nservice_areas: {12: fieldwork}\nroles: {SW: allocated_social_worker}\n",
    )
    config = load_la_config(tmp_path)
    assert config.service_areas == {"12": "fieldwork"}
    assert config.roles == {"SW": "ALLOCATED_SOCIAL_WORKER"}


def test_parsed_once_per_version_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "900").mkdir()
    write(tmp_path / "900", "la_name: First\n")
    calls: list[Path] = []
    parse = la_config._parse

    def counting(path: Path) -> object:
        calls.append(path)
        return parse(path)

    monkeypatch.setattr(la_config, "_parse", counting)
    # The command line scans the inbox, then the Dagster run scans the LA again.
    assert ingest.scan_inbox(tmp_path)[0].config.la_name == "First"  # type: ignore[union-attr]
    assert ingest.scan_la(tmp_path, "900").config.la_name == "First"  # type: ignore[union-attr]
    assert len(calls) == 1
    # A changed file is read again.
    write(tmp_path / "900", "la_name: Second, renamed\n")
    assert load_la_config(tmp_path / "900").la_name == "Second, renamed"
    assert len(calls) == 2
