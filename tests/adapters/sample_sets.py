"""The public sample returns of issue 13, each as a council would drop it in the inbox: the
files of one extract folder and the date the folder should carry (the return's own date)."""

import datetime as dt
from pathlib import Path

from tests.conftest import shared_or_skip

V903 = "samples/csc-validator-be-903/fake_data"
V903_TABLES = (
    "header.csv", "episodes.csv", "reviews.csv", "missing.csv", "oc2.csv", "oc3.csv", "uasc.csv",
    "sw_episodes.csv",
)  # fmt: skip
WORKFORCE = "samples/liia-tools/social_work_workforce/social_work_workforce_2022.xml"
CIN_2022 = "samples/liia-tools/cin_census/cin-2022.xml"

# name -> (folder date, {file name in the folder: path under ../shared})
SAMPLE_SETS: dict[str, tuple[str, dict[str, str]]] = {
    "903_validator": ("2018-03-31", {n: f"{V903}/{n}" for n in V903_TABLES}),
    # The five files named 2017-2021 are the returns for the years to 31 March 2018-2022.
    "903_demand_model": ("2022-03-31", {}),
    "cin_2024": ("2024-03-31", {"CIN_Census_2024.xml": "samples/csc-validator-be-cin/fake_data/CIN_Census_2024.xml"}),
    "cin_2026": ("2026-03-31", {"CIN_Census_2026.xml": "samples/csc-validator-be-cin/fake_data/CIN_Census_2026.xml"}),
    "workforce_2022": ("2022-09-30", {"social_work_workforce_2022.xml": WORKFORCE}),
    "workforce_cin_903": (
        "2022-09-30",
        {
            "social_work_workforce_2022.xml": WORKFORCE,
            "cin_census_2022.xml": CIN_2022,
            **{n: f"{V903}/{n}" for n in ("header.csv", "episodes.csv", "reviews.csv")},
        },
    ),
    "903_xml": ("2018-03-31", {"fake_903.xml": f"{V903}/fake_903.xml"}),
    "cin_2022_liia": ("2022-03-31", {"cin-2022.xml": CIN_2022}),
    # LIIA's messy Annex A has no date; its newest rows are of February 2021.
    "annex_a_liia": ("2021-03-31", {"Annex_A.xlsx": "samples/liia-tools/annex_a/Annex_A.xlsx"}),
    "annex_a_2024": (
        "2024-01-31",
        {"Annex_A_2024_Jan.xlsx": "samples/liia-tools-pipeline/annex_a/Annex_A_2024_Jan.xlsx"},
    ),
}  # fmt: skip


def sample_files(name: str) -> tuple[dt.date, dict[str, Path]]:
    """The set's folder date and files (skips the test when ../shared is absent)."""
    day, files = SAMPLE_SETS[name]
    if name == "903_demand_model":
        folder = shared_or_skip("samples/cs-demand-model/combined")
        found = {p.name: p for p in sorted(folder.glob("*.csv"))}
    else:
        found = {target: shared_or_skip(source) for target, source in files.items()}
    return dt.date.fromisoformat(day), found
