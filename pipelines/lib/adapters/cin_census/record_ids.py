"""The ids the census does not have, made from the child id and the dates that identify each
record, so the same record gets the same id in every year's file (see the package's docstring).
Public so that the round-trip test and anyone matching census rows to an SSD extract build them
the same way."""


def referral_id(child_id: str | None, referral_date: str | None) -> str | None:
    return None if child_id is None else f"{child_id}|{referral_date or ''}"


def assessment_id(ref_id: str | None, start: str | None) -> str | None:
    return None if ref_id is None else f"{ref_id}|A|{start or ''}"


def s47_id(ref_id: str | None, start: str | None) -> str | None:
    return None if ref_id is None else f"{ref_id}|S47|{start or ''}"


def icpc_id_for_s47(enquiry_id: str | None) -> str | None:
    return None if enquiry_id is None else f"{enquiry_id}|ICPC"


def transfer_in_icpc_id(ref_id: str | None, icpc_date: str | None) -> str | None:
    return None if ref_id is None else f"{ref_id}|ICPC|{icpc_date or ''}"


def plan_id(ref_id: str | None, start: str | None) -> str | None:
    return None if ref_id is None else f"{ref_id}|CPP|{start or ''}"


def review_id(cp_plan_id: str | None, review_date: str | None) -> str | None:
    return None if cp_plan_id is None else f"{cp_plan_id}|REV|{review_date or ''}"
