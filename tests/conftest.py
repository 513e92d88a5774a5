"""Shared test helpers: small hand-written extracts in the contract's layout."""

import shutil
import textwrap
from pathlib import Path

import pytest

from pipelines import cli
from pipelines.synthetic import generate_demo

SHARED = Path(__file__).resolve().parents[2] / "shared"

LA_YAML = """\
la_name: Testshire Borough Council (fictional)
population_0_17: {2022: 50000, 2023: 50500}
roles: {SW: ALLOCATED_SOCIAL_WORKER, PA: PERSONAL_ADVISER}
service_areas: {T1: front_door, T2: fieldwork}
targets: []
"""


def write_extract(
    inbox: Path,
    la_code: str,
    extract_date: str,
    tables: dict[str, str],
    la_yaml: str | None = LA_YAML,
) -> Path:
    """Write ``<inbox>/<la>/<date>/<table>.csv`` files from dedented CSV text."""
    la_dir = inbox / la_code
    folder = la_dir / extract_date
    folder.mkdir(parents=True, exist_ok=True)
    if la_yaml is not None:
        (la_dir / "la.yaml").write_text(la_yaml)
    for name, text in tables.items():
        target = folder / (name if "." in name else f"{name}.csv")
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


PERSON_CSV = """
pers_person_id,pers_forename,pers_surname,pers_common_child_id,pers_sex,pers_ethnicity,pers_dob,pers_death_date,pers_postcode
C1,Amberly,Testperson,9990000011,F,WBRI,2015-03-01,,ZZ9 9ZZ
C2,Brennock,Testperson,9990000022,Male,WBRI,01/02/2016,,ZZ9 9ZY
C3,Corvin,Testperson,9990000033,2,AIND,2010-11-30,,
"""
CONTACTS_CSV = """
cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code,cont_contact_source_desc
K1,C1,2024-01-02 09:30,1A,Family member
K2,C2,03/01/2024 10:00,6,Police
K3,C3,2024-01-04,2a,Schools
"""


@pytest.fixture
def good_tables() -> dict[str, str]:
    return {"ssd_person": PERSON_CSV, "ssd_contacts": CONTACTS_CSV}


def shared_or_skip(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared reference folder is not beside this checkout)")
    return path


DEMO_SCALE = 0.1


@pytest.fixture(autouse=True)
def _no_dagster_history(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs in tests keep Dagster's history in memory (test_cli.py checks the real instance)."""
    monkeypatch.setenv("CSC_DAGSTER_EPHEMERAL", "1")


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding the two demo LAs, generated at a small scale and run once.

    Tests must not change it: copy it first (see test_end_to_end.py)."""
    root = tmp_path_factory.mktemp("demo")
    generate_demo(root / "inbox", scale=DEMO_SCALE)
    with pytest.MonkeyPatch.context() as env:
        for key in ("DAGSTER_HOME", "CSC_DATA_DIR", "CSC_INBOX"):
            env.setenv(key, str(root / "unused"))
        env.setenv("CSC_DAGSTER_EPHEMERAL", "1")
        assert cli.main(["run", "--inbox", str(root / "inbox"), "--data-dir", str(root)]) == 0
        # As `csc-kpis demo` does: a run writes no adviser report (it is six-weekly).
        assert cli.main(["adviser", "--data-dir", str(root)]) == 0
    return root


def copy_demo(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the demo data folder to change (without its Dagster history), with
    the environment pointing nowhere else."""
    copy = tmp_path / "data"
    shutil.copytree(demo, copy, ignore=shutil.ignore_patterns("dagster_home"))
    for key in ("DAGSTER_HOME", "CSC_DATA_DIR", "CSC_INBOX"):
        monkeypatch.setenv(key, str(tmp_path / "unused"))
    return copy
