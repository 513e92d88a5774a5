"""Lists 8 and 9 (children in care, care leavers) as contract rows.

A List 8 row is one period of care: one episode starting the period (reason ``S``), its current
placement and current legal status. An adviser's name becomes an opaque token (``PA:`` + a
hash), because only whether one is recorded is used.
"""

import hashlib

from pipelines.lib.adapters.annex_a.cells import collapse
from pipelines.lib.adapters.annex_a.context import WorkbookMapper, key
from pipelines.lib.adapters.annex_a.reading import ListSheet, Row
from pipelines.lib.adapters.annex_a.spec import ELIGIBILITY, NO_ADVISER, SUITABILITY


def children_in_care(m: WorkbookMapper) -> None:
    """List 8: per row, the period of care (one episode), its current placement and its
    current legal status, each ending when the period ceased."""
    c = m.convert
    for sheet, row, child, (episodes, placements, statuses) in m.list_rows(
        8, "ssd_cla_episodes", "ssd_cla_placement", "ssd_legal_status"
    ):
        start = c.date(sheet, row, "cla_start")
        ceased = m.optional(sheet, row, "cla_ceased", c.date)
        period_id = key("CLA", child, start)
        episodes.add(
            row,
            {
                "clae_cla_episode_id": period_id,
                "clae_person_id": child,
                "clae_cla_episode_start_date": start,
                # The row's period of care starts on this date: a new period (903 RNE S).
                "clae_cla_episode_start_reason": "S",
                "clae_cla_primary_need_code": m.optional(sheet, row, "cla_need", c.code),
                "clae_cla_episode_ceased": ceased,
                "clae_cla_episode_ceased_reason": m.optional(
                    sheet, row, "cla_ceased_reason", c.code
                ),
                "clae_cla_id": period_id,
                "clae_entered_care_date": start,
            },
        )
        placement_start = m.optional(sheet, row, "placement_start", c.date)
        placement_type = m.optional(sheet, row, "placement_type", c.code)
        provider = m.optional(sheet, row, "placement_provider", c.code)
        if placement_start or placement_type or provider:
            placements.add(
                row,
                {
                    "clap_cla_placement_id": key("PLA", child, placement_start),
                    "clap_cla_id": period_id,
                    "clap_person_id": child,
                    "clap_cla_placement_start_date": placement_start,
                    "clap_cla_placement_end_date": ceased,
                    "clap_cla_placement_type": placement_type,
                    "clap_cla_placement_provider": provider,
                },
            )
        status = m.optional(sheet, row, "legal_status", c.code)
        status_start = m.optional(sheet, row, "legal_status_start", c.date)
        if status or status_start:
            statuses.add(
                row,
                {
                    "lega_legal_status_id": key("LS", child, status_start),
                    "lega_person_id": child,
                    "lega_legal_status": status,
                    "lega_legal_status_start_date": status_start,
                    "lega_legal_status_end_date": ceased,
                },
            )


def _eligibility(m: WorkbookMapper, sheet: ListSheet, row: Row) -> str | None:
    label = m.optional(sheet, row, "eligibility", m.convert.label)
    if label is None:
        return None
    lowered = label.lower()
    for start, canonical in ELIGIBILITY:
        if lowered.startswith(start):
            return canonical
    return label


def _suitability(m: WorkbookMapper, sheet: ListSheet, row: Row) -> str | None:
    label = m.optional(sheet, row, "accommodation_suitable", m.convert.label)
    if label is None:
        return None
    return SUITABILITY.get(label.lower(), label)


def _adviser_token(name: str | None) -> str | None:
    if name is None or name.strip().lower() in NO_ADVISER:
        return None
    digest = hashlib.sha256(collapse(name).lower().encode("utf-8")).hexdigest()
    return f"PA:{digest[:12]}"


def care_leavers(m: WorkbookMapper) -> None:
    """List 9: one ``ssd_care_leavers`` row per child."""
    c = m.convert
    for sheet, row, child, (out,) in m.list_rows(9, "ssd_care_leavers"):
        out.add(
            row,
            {
                "clea_table_id": key("CL", child),
                "clea_person_id": child,
                "clea_care_leaver_eligibility": _eligibility(m, sheet, row),
                "clea_care_leaver_in_touch": m.optional(sheet, row, "in_touch", c.code),
                "clea_care_leaver_latest_contact": m.optional(sheet, row, "latest_contact", c.date),
                "clea_care_leaver_accommodation": m.optional(sheet, row, "accommodation", c.code),
                "clea_care_leaver_accom_suitable": _suitability(m, sheet, row),
                "clea_care_leaver_activity": m.optional(sheet, row, "activity", c.code),
                "clea_pathway_plan_review_date": m.optional(sheet, row, "pathway_plan", c.date),
                "clea_care_leaver_personal_advisor": _adviser_token(
                    m.optional(sheet, row, "personal_adviser", c.text)
                ),
                "clea_care_leaver_allocated_team": m.optional(sheet, row, "team", c.text),
            },
        )
