"""The generator above scale 1, where the workforce and the contact volumes are large.

A short history keeps this quick (about 2 s): at scale 12 the workforce already passes 4,000
workers, whose ids then reach the range personal advisers were numbered from (9001).
"""

import datetime as dt
import pathlib

import polars as pl
import pytest

from pipelines.synthetic import generate_la


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("large")
    results = generate_la(
        "992", dt.date(2023, 10, 1), dt.date(2024, 3, 31), out, scale=12, seed=7, profile="city"
    )
    return results[-1].path


def _read(folder: pathlib.Path, table: str) -> pl.DataFrame:
    return pl.read_csv(folder / f"{table}.csv", infer_schema_length=0)


def test_professional_ids_unique_and_every_reference_resolves(large: pathlib.Path) -> None:
    professionals = _read(large, "ssd_professionals")["prof_professional_id"]
    # A shared id (a personal adviser numbered like a social worker) makes the ingest reject both
    # rows, and every involvement of either becomes an orphan.
    assert professionals.n_unique() == len(professionals)
    known = set(professionals)
    references = {
        "ssd_involvements": "invo_professional_id",
        "ssd_cin_assessments": "cina_assessment_worker_id",
        "ssd_care_leavers": "clea_care_leaver_personal_advisor",
    }
    for table, column in references.items():
        ids = set(_read(large, table)[column].drop_nulls())
        assert ids, table
        assert ids <= known, (table, len(ids - known))
    advisers = set(
        _read(large, "ssd_involvements").filter(pl.col("invo_professional_role_id") == "PA")[
            "invo_professional_id"
        ]
    )
    workers = set(_read(large, "ext_worker_periods")["worker_id"])
    assert advisers and not advisers & workers


def test_repeat_contacts_spread_over_children(large: pathlib.Path) -> None:
    # Repeats whose earlier contact falls before the history start used to be matched to the
    # first contact of the history, piling thousands of contacts onto one child.
    per_child = _read(large, "ssd_contacts").group_by("cont_person_id").len()["len"]
    assert per_child.max() <= 20  # type: ignore[operator]
    # Repeats still happen: some children have several contacts in half a year.
    assert (per_child >= 2).sum() > 1000
