"""SSDA903 (children looked after return) as contract tables.

Reads the 903 as councils upload it to the DfE: CSV tables (``header``, ``episodes``, ``reviews``,
``missing``, ``oc2``, ``oc3``, ``uasc``, ``ad1``, ``placed_for_adoption``,
``previous_permanence``, ``sw_episodes`` from 2023-24, ``DoLo`` from 2026-27) or the XML
export (root element ``EXPSSDA903``). A file is recognised by its name (``episodes.csv``,
``SSDA903_2020_episodes.csv``, ``2017-episodes.csv``...) or, whatever its name, by its header
columns. Dates are ``DD/MM/YYYY`` (ISO is accepted too, as LIIA writes it).

What goes where:

- ``header`` -> ``ssd_person`` (CHILD, SEX 1/2 or M/F/U, DOB, ETHNIC; UPN, MOTHER, MC_DOB dropped).
- ``episodes`` -> ``ssd_cla_episodes``: one row per 903 episode, as the contract describes the
  table ("episodes of being looked after, as SSDA903 episodes"); ``ssd_cla_placement``: one row
  per placement, i.e. a run of episodes that starts with RNE S, P, T, B or U (or a change of
  PLACE or PLACE_PROVIDER) and ends with the DEC of the run's last episode;
  ``ssd_legal_status``: one row per run of episodes that starts with RNE S, L, B or U (or a
  change of LS). HOME_POST, PL_POST and URN are never carried.
- ``reviews`` -> ``ssd_cla_reviews`` (held reviews only, so ``cancelled`` is N).
- ``missing`` -> ``ssd_missing`` (dates only: the 903 has no times).
- ``oc3`` -> ``ssd_care_leavers`` (IN_TOUCH, ACTIV, ACCOM split into letter and suitability).
- ``sw_episodes`` -> ``ssd_involvements`` (role ``ALLOCATED_SOCIAL_WORKER``).
- ``uasc`` (or the XML header's ``UASC`` and ``DUC``) -> ``ssd_immigration_status``: one UASC
  span per child, from the DECOM of the child's first episode in the return(s) (the 903 has no
  date the status began) to DUC.
- ``oc2`` (or the XML's ``OC2``) -> ``ssd_cla_health``: a row per check coded 1
  (HEALTH_ASSESSMENT, TEETH_CHECK as DENTAL_CHECK, HEALTH_CHECK, the under fives' check, as
  HEALTH_SURVEILLANCE), dated 31 March of the return's year: OC2 says only that the check was up
  to date then, so the health KPIs from a 903 are the DfE's at 31 March only (``outcomes``).
- ``ad1``, ``placed_for_adoption``, ``previous_permanence``, ``DoLo``: the contract has no table
  for them; each file is reported as NOT_USED.

Ids the 903 does not have are built from what it does have, so they are the same every time:

- episode ``clae_cla_episode_id`` = ``CHILD_DECOM`` (DECOM as ``YYYY-MM-DD``; CHILD + DECOM is the
  903's own key);
- period of care ``clae_cla_id`` = ``CHILD_<first DECOM of the period of care>``. A period starts
  with an RNE S episode, after an episode that ceased with a reason other than X1, or after a gap;
  ``clae_entered_care_date`` is that first DECOM when it is an RNE S episode, blank when the
  period began before the earliest episode delivered (a 903 holds only the episodes open during
  its year);
- placement and legal-status ids = ``CHILD_<DECOM of the run's first episode>``;
- review ``CHILD_REVIEW``; missing episode ``CHILD_MIS_START_MISSING``; involvement
  ``CHILD_SW_ID_SW_DECOM``; care leaver row = ``CHILD``.

Made ids are unique by construction (``ids.MadeIds``): should two rows still share a key (two
LAs' children with one id in a LIIA file), the later gets ``#2``, ``#3``... in file order.

Repeats and rows with nowhere to go, each noted once per file with the count and rows
(``row_notes``):

- a row the same file repeats exactly is dropped (``duplicate_dropped``);
- an episode with the CHILD + DECOM, or a review or missing episode with the child and date (and
  type), of an earlier row of the same return but other values is left out, the earlier row
  used (``903_repeated_key``; a second review the same day differs only in REVIEW_CODE, which the
  contract does not hold). Two header or OC3 rows of one child go on to staging, which rejects
  both (the child's id is the return's own);
- a review of a child with no episode in the return is left out (``903_review_without_episode``):
  it belongs to no period of care, and the DfE portal checks a child's other tables only once
  their episodes are loaded (the validator's rule EPI). LIIA loads reviews as a table of their
  own, keyed by child, with no link to an episode.
- a UASC row of a child with no episode is left out (``903_uasc_without_episode``): its span
  would have no start; an OC2 check coded other than 0, 1 or blank is not loaded
  (``903_oc2_not_a_flag``, one note per file and column).

A header, review, missing, OC3 or UASC row of a child repeated in a later return is replaced by
the later one; a ROW_DROPPED note is written when the values differed (an identical repeat loses
nothing). Each return's OC2 is kept: it is that year's checks. A second UASC or OC2 row of a
child in one return is left out (``903_repeated_key``).

Several years delivered together (``2017-episodes.csv`` ... ``2021-episodes.csv``, or a LIIA
file with a ``YEAR`` column) are joined as LIIA does: an episode (CHILD + DECOM) delivered in
several returns keeps its latest return's values, then LIIA's episode fixes run (RULE_1, 1A, 2,
3, 3A on open episodes of earlier returns; RULE_4, 5 on overlaps and gaps between returns;
see ``domain-notes.md`` 2.3). Each fix is an ``AdapterNote``. A single return never triggers them:
every rule compares an episode with a later return. LIIA's markers ``E99`` (ceased, reason
unknown) and ``LIIAF`` (placement change reason unknown) are not DfE codes, so the adapter loads
them as blank values and says so in the note.

The return's year: the ``YEAR`` column if present, else the year ending on the 31 March on or
after the latest DECOM in the file (a 903's newest episode starts by 31 March of its year).

Modules: ``spec`` (the format as data: tables, file names, columns, codes, what it provides),
``dates``, ``reading`` (CSV tables and the XML export as rows), ``joining`` (which row of each
table is kept), ``repairs`` (LIIA's episode fixes), ``episodes`` (periods of care, placements,
legal statuses), ``mapping`` (the contract rows and their ids), ``outcomes`` (UASC and OC2
rows) and ``adapter`` (the entry point ``dispatch`` calls).
"""

from pipelines.lib.adapters.ssda903.adapter import ADAPTER, Ssda903Adapter
from pipelines.lib.adapters.ssda903.dates import parse_903_date, year_ending
from pipelines.lib.adapters.ssda903.mapping import split_accommodation
from pipelines.lib.adapters.ssda903.spec import LIMITS, PROVIDES

__all__ = [
    "ADAPTER",
    "LIMITS",
    "PROVIDES",
    "Ssda903Adapter",
    "parse_903_date",
    "split_accommodation",
    "year_ending",
]
