"""The two fictional demo LAs (``csc-kpis demo``)."""

import datetime as dt
import pathlib
import sys
from typing import NamedTuple

from pipelines.synthetic.generate import GeneratedExtract, Progress, generate_la


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


def main(argv: list[str]) -> int:
    """The demo extracts in the inbox ``argv[0]``, with progress on stdout: what
    ``csc-kpis demo`` runs in a child process (:data:`CHILD`) while it loads the pipeline."""
    (inbox,) = argv

    def say(message: str) -> None:
        sys.stdout.write(message + "\n")
        sys.stdout.flush()

    generate_demo(pathlib.Path(inbox), progress=say)
    return 0


# The child's command line after the interpreter (``-c``, not ``-m``: this module is already
# imported by its package, which ``-m`` warns about).
CHILD = (
    "-c",
    "import sys; from pipelines.synthetic.demo import main; sys.exit(main(sys.argv[1:]))",
)
