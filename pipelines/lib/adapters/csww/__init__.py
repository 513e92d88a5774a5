"""The Children's Social Work Workforce census (CSWW) XML as extract-contract rows.

The DfE collects the CSWW once a year: one ``CSWWWorker`` record per children and family social
worker who was in post at 30 September or left during the year to 30 September, plus the
council's vacancies and agency cover at 30 September (``LALevelVacancies``). This adapter maps:

- every worker record to one ``ext_worker_periods`` row: ``RoleStartDate`` to ``RoleEndDate``
  (blank = still in post), agency flag (``AgencyWorker`` 1/0 -> Y/N), ``OrgRole`` (1-6 as is),
  FTE, and ``ReasonLeave`` as a plain-English leaving reason;
- its ``WorkingDaysLost`` (working days lost to sickness in the collection year) to one
  ``ext_absences`` row with reason ``SIC``, dated to the part of the collection year (1 October
  to 30 September) the worker was in post, with the days as given;
- the worker (one row per worker, from the newest census) to ``ssd_professionals``: agency flag,
  FTE, ``Cases30`` (cases held at 30 September) as the caseload, ``OrgRole`` as the job title;
- ``NumberOfVacancies`` to one ``ext_vacancies`` row for the whole council (team ``LA-<LEA>``:
  the census has no teams) as at the reference date.

Worker id. ``SWENo`` is the worker's Social Work England registration number: a direct
identifier, searchable on the public register, never loaded. The worker id is instead
``csww-`` + the first 20 hex digits of HMAC-SHA256(salt, "<LEA>|<SWENo upper case>"): the same
worker in the same council gets the same id in every census, two councils' ids never collide,
and the number cannot be read back from the id. The salt is ``CSC_WORKER_ID_SALT`` when that
environment variable is set (recommended: a secret kept by the council, unchanged between
runs, or every id changes), otherwise a fixed project salt; with the fixed salt anyone who has
this code and a list of registration numbers can work out which id belongs to whom, so the id
is a pseudonym, not anonymisation.

FTE. ``FTE30`` is the FTE at 30 September (domain notes §2.4); ``FTE`` the worker's FTE. A
worker in post at the reference date gets ``FTE30`` (``FTE`` when ``FTE30`` is absent); a
leaver, who was not in post at 30 September, gets ``FTE`` (``FTE30`` when absent).

Repairs, each with an ``AdapterNote``: a worker with no ``RoleStartDate`` (agency workers need
not give it) starts on the reference date if still in post, which is all the census vouches
for, or on ``RoleEndDate`` if a leaver (a zero-length period: never in post at any date, but
the leaving is kept). A repeated record of one worker with the same start date is left out.

Layouts. Element names are matched without regard to case or namespace prefix, so the layouts
of 2017-2025 with the same element names read alike. Verified against the liia-tools 2021 and
2022 samples and the 2022 XSD; the aliases ``LALevel`` (vacancies block, seen in liia-tools'
reader), ``Agency`` and the older registration-number names are read but unverified.

``source_row`` is the line of the ``CSWWWorker`` (or ``LALevelVacancies``) element.

The package: ``spec.yaml`` (what the census gives and cannot give, its codes and element names)
read by ``spec``; ``reading`` (the XML to worker records); ``workers`` (ids and the repairs);
``mapping`` (the records to contract tables).
"""

import datetime as dt
from pathlib import Path

from pipelines.lib.adapters.base import Adapted, AdapterNote, ReferenceDate
from pipelines.lib.adapters.csww.mapping import (
    absence_table,
    period_tables,
    professional_tables,
    vacancy_table,
)
from pipelines.lib.adapters.csww.reading import looks_like_census, read_census
from pipelines.lib.adapters.csww.spec import LIMITS, PROVIDES
from pipelines.lib.adapters.csww.workers import SALT_ENV, worker_id
from pipelines.lib.adapters.reference_dates import long_date

__all__ = ["ADAPTER", "LIMITS", "PROVIDES", "SALT_ENV", "SOURCE_FORMAT", "CswwAdapter", "worker_id"]

SOURCE_FORMAT = "csww"


class CswwAdapter:
    """The DfE Children's Social Work Workforce census XML (see the module docstring)."""

    source_format = SOURCE_FORMAT
    label = "workforce census XML"  # how outputs name the format

    def claims(self, path: Path) -> bool:
        return looks_like_census(path)

    def adapt(self, paths: list[Path], extract_date: dt.date) -> Adapted:
        """Rows for every census in ``paths``; where two censuses describe the same worker,
        the newer one wins (see ``mapping``)."""
        notes: list[AdapterNote] = []
        censuses = sorted(
            (read_census(path, extract_date, notes) for path in paths),
            key=lambda c: (c.reference_date, str(c.path)),
        )
        adapted = Adapted(source_format=SOURCE_FORMAT, notes=notes)
        if not censuses:
            return adapted
        adapted.reference_date = censuses[-1].reference_date
        adapted.reference_dates = [
            ReferenceDate(
                c.path.name,
                c.reference_date,
                f"the workforce census at {long_date(c.reference_date)}",
                c.told_by,
            )
            for c in censuses
            if c.told_by
        ]
        adapted.tables.extend(period_tables(censuses, notes))
        adapted.tables.extend(absence_table(c, notes) for c in censuses)
        adapted.tables.extend(
            vacancy_table(c, c.vacancies) for c in censuses if c.vacancies is not None
        )
        adapted.tables.extend(professional_tables(censuses, notes))
        return adapted


ADAPTER = CswwAdapter()
