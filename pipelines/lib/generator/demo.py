"""The two fictional demo LAs (``csc-kpis demo``)."""

import datetime as dt
import pathlib
from typing import NamedTuple

from pipelines.lib.generator.generate import GeneratedExtract, Progress, generate_la


class DemoLA(NamedTuple):
    la_code: str
    la_name: str
    profile: str
    start: dt.date
    end: dt.date
    notice_date: dt.date
    targets: tuple[str, ...]


DEMO_LAS: tuple[DemoLA, ...] = (
    DemoLA(
        "991",
        "Fenshire County Council (fictional demo)",
        "county",
        dt.date(2008, 4, 1),
        dt.date(2011, 9, 30),
        dt.date(2010, 6, 29),
        ("improvement_notice_2010",),
    ),
    DemoLA(
        "992",
        "Kingsmere City Council (fictional demo)",
        "city",
        dt.date(2021, 4, 1),
        dt.date(2024, 3, 31),
        dt.date(2022, 10, 24),
        ("local_plan_2022",),
    ),
)


def generate_demo(
    inbox: pathlib.Path, *, scale: float = 1.0, seed: int = 0, progress: Progress | None = None
) -> list[GeneratedExtract]:
    """Weekly extracts for the last four weeks of each demo LA, into ``inbox``."""
    out: list[GeneratedExtract] = []
    for la in DEMO_LAS:
        out += generate_la(
            la.la_code,
            la.start,
            la.end,
            pathlib.Path(inbox),
            scale=scale,
            seed=seed,
            la_name=la.la_name,
            profile=la.profile,
            n_extracts=4,
            progress=progress,
        )
    return out
