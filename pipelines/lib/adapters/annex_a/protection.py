"""Lists 5 and 7 (s47 enquiries and ICPCs, child protection plans) as contract rows.

An ICPC is recorded when List 5 dates it or gives its outcome; it is linked to the CP plan that
starts on the day of the conference, and the plan to it.
"""

from pipelines.lib.adapters.annex_a.context import WorkbookMapper, key, latest_on_or_before


def cp_plan_starts(m: WorkbookMapper) -> dict[tuple[str, str], str]:
    """(child, plan start) -> plan id, to link a conference to the plan it began."""
    c = m.convert
    found: dict[tuple[str, str], str] = {}
    for sheet, row, child, _ in m.list_rows(7):
        start = c.date(sheet, row, "cp_start")
        if child and start:
            found.setdefault((child, start), key("CPP", child, start))
    return found


def s47_and_icpc(
    m: WorkbookMapper,
    referrals: dict[str, list[tuple[str, str]]],
    plans: dict[tuple[str, str], str],
) -> None:
    """List 5: one ``ssd_s47_enquiry`` row per enquiry, linked to the child's latest referral
    on or before it, and an ``ssd_initial_cp_conference`` row when a conference is dated or
    has an outcome."""
    c = m.convert
    for sheet, row, child, (enquiries, conferences) in m.list_rows(
        5, "ssd_s47_enquiry", "ssd_initial_cp_conference"
    ):
        start = c.date(sheet, row, "s47_start")
        enquiry_id = key("S47", child, start)
        enquiries.add(
            row,
            {
                "s47e_s47_enquiry_id": enquiry_id,
                "s47e_referral_id": latest_on_or_before(referrals, child, start),
                "s47e_person_id": child,
                "s47e_s47_start_date": start,
            },
        )
        held = m.optional(sheet, row, "icpc_date", c.date)
        outcome = m.optional(sheet, row, "icpc_outcome", c.flag)
        if held is None and outcome is None:
            continue  # no conference (yet): nothing to record
        plan_id = plans.get((child, held)) if child and held else None
        icpc_id = key("ICPC", child, start, held)
        if plan_id:
            m.icpc_by_plan.setdefault(plan_id, icpc_id)
        conferences.add(
            row,
            {
                "icpc_icpc_id": icpc_id,
                "icpc_s47_enquiry_id": enquiry_id,
                "icpc_person_id": child,
                "icpc_cp_plan_id": plan_id,
                "icpc_icpc_date": held,
                "icpc_icpc_outcome_cp_flag": outcome,
            },
        )


def cp_plans(m: WorkbookMapper) -> None:
    """List 7: one ``ssd_cp_plans`` row per plan, linked to the conference that began it."""
    c = m.convert
    for sheet, row, child, (out,) in m.list_rows(7, "ssd_cp_plans"):
        start = c.date(sheet, row, "cp_start")
        plan_id = key("CPP", child, start)
        out.add(
            row,
            {
                "cppl_cp_plan_id": plan_id,
                "cppl_person_id": child,
                "cppl_icpc_id": m.icpc_by_plan.get(plan_id),
                "cppl_cp_plan_start_date": start,
                "cppl_cp_plan_end_date": m.optional(sheet, row, "cp_end", c.date),
                "cppl_cp_plan_initial_category": m.optional(
                    sheet, row, "cp_initial_category", c.code
                ),
                "cppl_cp_plan_latest_category": m.optional(
                    sheet, row, "cp_latest_category", c.code
                ),
            },
        )
