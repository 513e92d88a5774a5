"""The children in need (CIN) census XML as contract tables.

The CIN census is the DfE's annual child-level return: every child in need at any point in the
collection year (1 April to 31 March), with each episode of need (``CINdetails``) and, inside
it, the episode's assessments, section 47 enquiries, initial child protection conferences and
child protection plans with their reviews. This adapter reads any schema year from 2017 to
2026: element names are matched case-insensitively and without namespaces, and both
``GenderCurrent`` (to 2024, codes 1/2/0/9) and ``Sex`` (2025 on, M/F/U) are read.

What becomes what:

- ``Child`` -> ``ssd_person`` (``LAchildID`` is the person id in every table). An unborn
  child's ``ExpectedPersonBirthDate`` is used as the date of birth when there is no
  ``PersonBirthDate`` (a note says so). UPNs are not read.
- ``CINdetails`` -> ``ssd_cin_episodes``; ``Assessments`` -> ``ssd_cin_assessments``;
  ``Section47`` -> ``ssd_s47_enquiry``; a ``Section47`` with a ``DateOfInitialCPC`` ->
  ``ssd_initial_cp_conference``; ``ChildProtectionPlans`` -> ``ssd_cp_plans``;
  ``Reviews/CPPreviewDate`` -> ``ssd_cp_reviews``.
- An episode's own ``DateOfInitialCPC`` that matches none of its enquiries' conferences is a
  conference without an enquiry: a transfer-in conference (the census records no enquiry for a
  child who arrives on another authority's plan), so ``icpc_icpc_transfer_in`` is ``Y``.
  Conferences that follow an enquiry are ``N``.
- A conference's outcome is ``Y`` and it is linked to a plan when a plan of the same episode
  starts on the conference date (a plan starts at the conference that made it); otherwise ``N``.

Ids. The census has an id for the child only. The others are built from the child id and the
dates that identify the event, so the same record gets the same id in every year's file:

- referral ``<LAchildID>|<CINreferralDate>``
- assessment ``<referral id>|A|<AssessmentActualStartDate>``
- s47 enquiry ``<referral id>|S47|<S47ActualStartDate>``; its conference ``<s47 id>|ICPC``
- transfer-in conference ``<referral id>|ICPC|<DateOfInitialCPC>``
- plan ``<referral id>|CPP|<CPPstartDate>``; review ``<plan id>|REV|<CPPreviewDate>``

Two records with the same id (two assessments of an episode starting on the same day) are left
to staging's duplicate rule: an exact repeat keeps the first, different values reject both.

Schema. When the file's collection year has an XSD available (``CIN_schema_<year>.xsd`` in
``CSC_CIN_SCHEMA_DIR``, else in ``schemas/`` beside this package, which ships the 2025 and 2026
schemas), the file is validated and each schema error becomes a note with its line and XML
path; the rows are still adapted (staging judges the values). Only XML that cannot be parsed at
all rejects the file.

Modules: ``spec`` (what the census gives the contract, and its codes), ``record_ids``,
``reading`` (the XML, any schema year), ``schema`` (the shipped XSDs and validation),
``mapping`` (the contract rows) and ``adapter`` (the entry point ``dispatch`` calls).
"""

from pipelines.lib.adapters.cin_census.adapter import (
    ADAPTER,
    CinCensusAdapter,
    frames_by_table,
)
from pipelines.lib.adapters.cin_census.schema import SCHEMA_DIR_ENV, SCHEMA_ERROR
from pipelines.lib.adapters.cin_census.spec import LIMITS, PROVIDES

__all__ = [
    "ADAPTER",
    "LIMITS",
    "PROVIDES",
    "SCHEMA_DIR_ENV",
    "SCHEMA_ERROR",
    "CinCensusAdapter",
    "frames_by_table",
]
