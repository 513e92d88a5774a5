"""The ids the census does not have, made from the child id and the dates that identify each
record, so the same record gets the same id in every year's file (see the package's docstring).
Public so that the round-trip test and anyone matching census rows to an SSD extract build them
the same way."""


def _made(parent: str | None, *parts: str | None) -> str | None:
    """``parent|part|part``, a blank part as ''; no id without the parent's."""
    return None if parent is None else "|".join([parent, *(part or "" for part in parts)])


def referral_id(child_id: str | None, referral_date: str | None) -> str | None:
    return _made(child_id, referral_date)


def assessment_id(ref_id: str | None, start: str | None) -> str | None:
    return _made(ref_id, "A", start)


def s47_id(ref_id: str | None, start: str | None) -> str | None:
    return _made(ref_id, "S47", start)


def icpc_id_for_s47(enquiry_id: str | None) -> str | None:
    return _made(enquiry_id, "ICPC")


def transfer_in_icpc_id(ref_id: str | None, icpc_date: str | None) -> str | None:
    return _made(ref_id, "ICPC", icpc_date)


def plan_id(ref_id: str | None, start: str | None) -> str | None:
    return _made(ref_id, "CPP", start)


def review_id(cp_plan_id: str | None, review_date: str | None) -> str | None:
    return _made(cp_plan_id, "REV", review_date)
