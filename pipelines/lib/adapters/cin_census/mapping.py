"""Census elements as contract rows: a child, its episodes of need and, inside each, its
assessments, section 47 enquiries, initial conferences, plans and reviews; with the notes on
what was repaired or has no place in the contract."""

from collections import Counter
from pathlib import Path

from lxml import etree

from pipelines.lib.adapters.base import NOT_MAPPED, REPAIRED, AdapterNote
from pipelines.lib.adapters.cin_census.reading import (
    kid,
    kids,
    text_in,
    xml_path,
    xs_date,
)
from pipelines.lib.adapters.cin_census.record_ids import (
    assessment_id,
    icpc_id_for_s47,
    plan_id,
    referral_id,
    review_id,
    s47_id,
    transfer_in_icpc_id,
)
from pipelines.lib.adapters.cin_census.spec import (
    FALSE_VALUES,
    SEX_CODES,
    TABLE_COLUMNS,
    TRUE_VALUES,
    UNMAPPED_PARTS,
)
from pipelines.lib.contract import ABUSE_CATEGORY_MAP
from pipelines.lib.readers import ROW_COLUMN


def _flag(value: str | None) -> str | None:
    if value is None:
        return None
    low = value.lower()
    if low in TRUE_VALUES:
        return "Y"
    if low in FALSE_VALUES:
        return "N"
    return value


def _code(value: str | None) -> str | None:
    return None if value is None else value.upper()


def _category(value: str | None) -> str | None:
    if value is None:
        return None
    return ABUSE_CATEGORY_MAP.get(value.upper(), value.upper())


class CensusFile:
    """Rows and notes for one census file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows: dict[str, list[dict[str, object]]] = {t: [] for t in TABLE_COLUMNS}
        self.notes: list[AdapterNote] = []
        self.unmapped: Counter[str] = Counter()

    def note(self, el: etree._Element, rule: str, message: str, action: str, **kw: str) -> None:
        self.notes.append(
            AdapterNote(
                source_file=self.path.name,
                rule=rule,
                message=message,
                action=action,
                source_row=el.sourceline,
                location=xml_path(el),
                **kw,
            )
        )

    def child(self, child: etree._Element) -> None:
        ids = kid(child, "childidentifiers")
        chars = kid(child, "childcharacteristics")
        person = text_in(ids, "lachildid")
        dob = xs_date(text_in(ids, "personbirthdate"))
        expected = xs_date(text_in(ids, "expectedpersonbirthdate"))
        if dob is None and expected is not None:
            dob = expected
            self.note(
                ids if ids is not None else child,
                "expected_birth_date",
                "no PersonBirthDate: the expected date of birth (unborn child) is used",
                REPAIRED,
                column="ExpectedPersonBirthDate",
                value=expected,
            )
        sex = text_in(ids, "sex", "gendercurrent", "gender")
        self.rows["ssd_person"].append(
            {
                ROW_COLUMN: child.sourceline,
                "pers_person_id": person,
                "pers_sex": SEX_CODES.get(sex.upper(), sex) if sex else None,
                "pers_ethnicity": _code(text_in(chars, "ethnicity")),
                "pers_dob": dob,
                "pers_death_date": xs_date(text_in(ids, "persondeathdate")),
            }
        )
        if kid(chars, "disabilities") is not None:
            self.unmapped["disabilities"] += 1
        for episode in kids(child, "cindetails"):
            self.episode(person, episode)

    def episode(self, person: str | None, ep: etree._Element) -> None:
        referral_date = xs_date(text_in(ep, "cinreferraldate"))
        ref = referral_id(person, referral_date)
        self.rows["ssd_cin_episodes"].append(
            {
                ROW_COLUMN: ep.sourceline,
                "cine_referral_id": ref,
                "cine_person_id": person,
                "cine_referral_date": referral_date,
                "cine_cin_primary_need_code": _code(text_in(ep, "primaryneedcode")),
                "cine_referral_source_code": _code(text_in(ep, "referralsource")),
                "cine_referral_nfa": _flag(text_in(ep, "referralnfa")),
                "cine_close_reason": _code(text_in(ep, "reasonforclosure")),
                "cine_close_date": xs_date(text_in(ep, "cinclosuredate")),
            }
        )
        for part in ("cinplandates", "preproceedingsandfgdm"):
            self.unmapped[part] += len(kids(ep, part))
        for assessment in kids(ep, "assessments"):
            start = xs_date(text_in(assessment, "assessmentactualstartdate"))
            self.rows["ssd_cin_assessments"].append(
                {
                    ROW_COLUMN: assessment.sourceline,
                    "cina_assessment_id": assessment_id(ref, start),
                    "cina_person_id": person,
                    "cina_referral_id": ref,
                    "cina_assessment_start_date": start,
                    "cina_assessment_auth_date": xs_date(
                        text_in(assessment, "assessmentauthorisationdate")
                    ),
                }
            )
            if kid(assessment, "factorsidentifiedatassessment") is not None:
                self.unmapped["factorsidentifiedatassessment"] += 1
        # Plans first: a conference is linked to the plan of the episode starting on its date.
        plans_by_start: dict[str, str | None] = {}
        plan_rows: list[dict[str, object]] = []
        for plan in kids(ep, "childprotectionplans"):
            start = xs_date(text_in(plan, "cppstartdate"))
            pid = plan_id(ref, start)
            if start is not None:
                plans_by_start.setdefault(start, pid)
            plan_rows.append(
                {
                    ROW_COLUMN: plan.sourceline,
                    "cppl_cp_plan_id": pid,
                    "cppl_person_id": person,
                    "cppl_icpc_id": None,
                    "cppl_cp_plan_start_date": start,
                    "cppl_cp_plan_end_date": xs_date(text_in(plan, "cppenddate")),
                    "cppl_cp_plan_initial_category": _category(
                        text_in(plan, "initialcategoryofabuse")
                    ),
                    "cppl_cp_plan_latest_category": _category(
                        text_in(plan, "latestcategoryofabuse")
                    ),
                    "cppl_previous_cp_plans": text_in(plan, "numberofpreviouscpp"),
                }
            )
            # Review dates sit in <Reviews>; some software writes them straight in the plan.
            reviews = kid(plan, "reviews")
            for review in kids(plan if reviews is None else reviews, "cppreviewdate"):
                when = xs_date(text_in(review))
                self.rows["ssd_cp_reviews"].append(
                    {
                        ROW_COLUMN: review.sourceline,
                        "cppr_cp_review_id": review_id(pid, when),
                        "cppr_person_id": person,
                        "cppr_cp_plan_id": pid,
                        "cppr_cp_review_date": when,
                    }
                )
        icpc_by_date: dict[str, str | None] = {}
        for enquiry in kids(ep, "section47"):
            start = xs_date(text_in(enquiry, "s47actualstartdate"))
            sid = s47_id(ref, start)
            self.rows["ssd_s47_enquiry"].append(
                {
                    ROW_COLUMN: enquiry.sourceline,
                    "s47e_s47_enquiry_id": sid,
                    "s47e_referral_id": ref,
                    "s47e_person_id": person,
                    "s47e_s47_start_date": start,
                }
            )
            held = xs_date(text_in(enquiry, "dateofinitialcpc"))
            if held is None:
                continue
            cid = icpc_id_for_s47(sid)
            icpc_by_date.setdefault(held, cid)
            target = xs_date(text_in(enquiry, "initialcpctarget"))
            self._icpc(enquiry, cid, sid, person, "N", target, held, plans_by_start)
        episode_icpc = xs_date(text_in(ep, "dateofinitialcpc"))
        if episode_icpc is not None and episode_icpc not in icpc_by_date:
            cid = transfer_in_icpc_id(ref, episode_icpc)
            icpc_by_date[episode_icpc] = cid
            self._icpc(ep, cid, None, person, "Y", None, episode_icpc, plans_by_start)
        for row in plan_rows:
            began = row["cppl_cp_plan_start_date"]
            row["cppl_icpc_id"] = icpc_by_date.get(began) if isinstance(began, str) else None
        self.rows["ssd_cp_plans"].extend(plan_rows)

    def _icpc(
        self,
        el: etree._Element,
        cid: str | None,
        enquiry: str | None,
        person: str | None,
        transfer_in: str,
        target: str | None,
        held: str,
        plans_by_start: dict[str, str | None],
    ) -> None:
        plan = plans_by_start.get(held)
        self.rows["ssd_initial_cp_conference"].append(
            {
                ROW_COLUMN: el.sourceline,
                "icpc_icpc_id": cid,
                "icpc_s47_enquiry_id": enquiry,
                "icpc_person_id": person,
                "icpc_cp_plan_id": plan,
                "icpc_icpc_transfer_in": transfer_in,
                "icpc_icpc_target_date": target,
                "icpc_icpc_date": held,
                "icpc_icpc_outcome_cp_flag": "Y" if plan is not None else "N",
            }
        )

    def unmapped_notes(self, root: etree._Element) -> None:
        for part, count in self.unmapped.items():
            if count:
                self.note(
                    root,
                    "not_in_contract",
                    f"{count} {UNMAPPED_PARTS[part]} block(s) have no place in the contract "
                    "and are not read",
                    NOT_MAPPED,
                    column=part,
                )
