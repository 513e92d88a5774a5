"""Lists 1, 3, 4 and 6 (contacts, referrals, assessments, children in need) as contract rows.

A List 6 episode that starts on the day of a List 3 referral of the same child is that
referral's episode: its need code, closure date and reason are added to the referral's row (and
noted). An assessment belongs to the child's latest referral (List 3 or 6) on or before it.
"""

from pipelines.lib.adapters.annex_a.context import WorkbookMapper, key, latest_on_or_before
from pipelines.lib.adapters.annex_a.reading import ListSheet
from pipelines.lib.adapters.base import REPAIRED
from pipelines.lib.readers import ROW_COLUMN


def contacts(m: WorkbookMapper) -> None:
    """List 1: one ``ssd_contacts`` row per contact (a time is kept when one is given)."""
    c = m.convert
    for sheet, row, child, (out,) in m.list_rows(1, "ssd_contacts"):
        day = c.date(sheet, row, "contact_date", keep_time=True)
        source = m.source(sheet, row, "contact_source")
        out.add(
            row,
            {
                "cont_contact_id": key("CON", child, day, source),
                "cont_person_id": child,
                "cont_contact_date": day,
                "cont_contact_source_code": source,
            },
        )


def referrals_and_episodes(m: WorkbookMapper) -> dict[str, list[tuple[str, str]]]:
    """List 3 referrals and List 6 episodes as ``ssd_cin_episodes``; returns each child's
    (start date, referral id) for linking assessments and enquiries."""
    c = m.convert
    by_id: dict[str, tuple[dict[str, object], ListSheet]] = {}
    index: dict[str, list[tuple[str, str]]] = {}
    for sheet, row, child, (out,) in m.list_rows(3, "ssd_cin_episodes"):
        day = c.date(sheet, row, "referral_date")
        record = out.add(
            row,
            {
                "cine_referral_id": key("REF", child, day),
                "cine_person_id": child,
                "cine_referral_date": day,
                "cine_referral_source_code": m.source(sheet, row, "referral_source"),
                "cine_referral_nfa": m.optional(sheet, row, "referral_nfa", c.flag),
                "cine_referral_team": m.optional(sheet, row, "team", c.text),
            },
        )
        by_id.setdefault(str(record["cine_referral_id"]), (record, sheet))
        if child and day:
            index.setdefault(child, []).append((day, str(record["cine_referral_id"])))
    for sheet, row, child, (out,) in m.list_rows(6, "ssd_cin_episodes"):
        day = c.date(sheet, row, "cin_start")
        episode = {
            "cine_cin_primary_need_code": m.optional(sheet, row, "primary_need", c.code),
            "cine_close_date": m.optional(sheet, row, "cin_close", c.date),
            "cine_close_reason": m.optional(sheet, row, "cin_close_reason", c.code),
        }
        team = m.optional(sheet, row, "team", c.text)
        referral_id = key("REF", child, day)
        if child and day and referral_id in by_id:
            referral, referral_sheet = by_id[referral_id]
            referral.update(episode)
            if referral.get("cine_referral_team") is None:
                referral["cine_referral_team"] = team
            m.reader.note(
                "cin_episode_merged",
                f"the episode of child {child} starting {day} is also the referral on "
                f"sheet '{referral_sheet.sheet}' row {referral[ROW_COLUMN]}; its need "
                "code, closure date and reason were added to that row",
                REPAIRED,
                source_row=row.number,
                location=sheet.location,
            )
            continue
        out.add(
            row,
            {
                "cine_referral_id": referral_id,
                "cine_person_id": child,
                "cine_referral_date": day,
                "cine_referral_team": team,
                **episode,
            },
        )
        if child and day:
            index.setdefault(child, []).append((day, referral_id))
    return index


def assessments(m: WorkbookMapper, referrals: dict[str, list[tuple[str, str]]]) -> None:
    """List 4: one ``ssd_cin_assessments`` row per assessment, linked to its referral."""
    c = m.convert
    for sheet, row, child, (out,) in m.list_rows(4, "ssd_cin_assessments"):
        start = c.date(sheet, row, "assessment_start")
        out.add(
            row,
            {
                "cina_assessment_id": key("ASM", child, start),
                "cina_person_id": child,
                "cina_referral_id": latest_on_or_before(referrals, child, start),
                "cina_assessment_start_date": start,
                "cina_assessment_child_seen": m.optional(sheet, row, "assessment_seen", c.flag),
                "cina_assessment_auth_date": m.optional(sheet, row, "assessment_auth", c.date),
                # "Assessed as requiring support?" No = no further action.
                "cina_assessment_outcome_nfa": (
                    c.flag(sheet, row, "assessment_in_need", invert=True)
                    if "assessment_in_need" in sheet.fields
                    else None
                ),
                "cina_assessment_team": m.optional(sheet, row, "team", c.text),
            },
        )
