"""Health checks and immigration status of children in care (issue 18: LAIT 3 and UASC).

``ssd_cla_health``: every child in care (not on short breaks) is due a health assessment four
weeks after coming into care and then every year, and a dental check two months after and then
every year, while the period of care lasts. Whether a due check happens follows a curve that
improves after the notice (the story the charts show: health assessments from about three in four
to nine in ten, dental checks from about two in three to four in five); a check that happens
falls up to six weeks either side of its due date, so a late one can leave a child without one in
the twelve months to a date.

``ssd_immigration_status``: a share of the children coming into care aged 14 or over are
unaccompanied asylum-seeking children (UASC) from their first day in care to their 18th birthday;
the share rises after the notice (the National Transfer Scheme), so UASC are a growing part of
the children in care.

``clap_cla_placement_distance``: miles from home by placement type (near for family and
friends, further for children's homes), drawn from a skewed distribution whose scale shrinks
after the notice as more children are placed near home (the story of the share placed more than
20 miles away); one in fifty is not recorded.

All are drawn from a random stream of their own (``rng``), so adding them leaves every other
table of a seed as it was.
"""

import numpy as np

from pipelines.synthetic.common import YEAR, Context, Table
from pipelines.synthetic.profiles import Curve
from pipelines.synthetic.workdays import years_later

# Percentage of due checks that happen, by months from the notice date.
HEALTH_ASSESSMENT_DONE: Curve = ((-24.0, 74.0), (0.0, 76.0), (12.0, 86.0), (24.0, 90.0))
DENTAL_CHECK_DONE: Curve = ((-24.0, 62.0), (0.0, 66.0), (12.0, 74.0), (24.0, 80.0))
# (check type, days after coming into care of the first one, the curve)
CHECKS = (
    ("HEALTH_ASSESSMENT", 28, HEALTH_ASSESSMENT_DONE),
    ("DENTAL_CHECK", 61, DENTAL_CHECK_DONE),
)
JITTER_DAYS = 42
LOOK_BACK_DAYS = 400  # checks before the window: a year of them, for the first year's figures
# Percentage of children coming into care aged 14 or over who are UASC, by months from the notice.
UASC_SHARE: Curve = ((-24.0, 25.0), (0.0, 30.0), (18.0, 45.0), (36.0, 50.0))
UASC_FROM_AGE = 14
# Median miles from home by placement type; other types 6 miles.
MEDIAN_MILES = {"U1": 3.0, "U2": 3.0, "U3": 3.0, "P1": 2.0, "U4": 6.0, "U5": 6.0, "U6": 7.0,
                "K1": 25.0, "K2": 16.0, "R1": 20.0, "R2": 15.0, "R5": 30.0, "S1": 25.0,
                "H5": 9.0, "K3": 9.0, "A3": 10.0, "A4": 12.0, "A5": 10.0, "A6": 12.0}  # fmt: skip
DISTANCE_SCALE: Curve = ((-24.0, 1.2), (0.0, 1.2), (12.0, 1.0), (24.0, 0.85))
DISTANCE_NOT_RECORDED = 0.02


def health_checks(ctx: Context, per: Table, rng: np.random.Generator) -> Table:
    """``ssd_cla_health`` rows for the periods of care ``per`` (short breaks have none)."""
    periods = np.flatnonzero(~per["short_break"])
    last = np.minimum(per["end"][periods], ctx.d1 + 1) - 1  # the last day in care in the window
    types, people, days = [], [], []
    for check_type, first_after, curve in CHECKS:
        first = per["entry"][periods] + first_after
        n_due = np.where(last >= first, (last - first) // 365 + 1, 0)
        period = np.repeat(periods, n_due)
        nth = np.arange(n_due.sum()) - np.repeat(np.cumsum(n_due) - n_due, n_due)
        due = np.repeat(first, n_due) + 365 * nth
        done = rng.random(len(due)) < ctx.pct(curve, due)
        day = due + rng.integers(-JITTER_DAYS, JITTER_DAYS + 1, len(due))
        # Held while in care (after the first day, by the last) and inside the look-back.
        keep = (
            done
            & (day > per["entry"][period])
            & (day <= np.repeat(last, n_due))
            & (day >= ctx.d0 - LOOK_BACK_DAYS)
        )
        types.append(np.full(int(keep.sum()), check_type, dtype=object))
        people.append(per["person"][period[keep]])
        days.append(day[keep])
    person, day, check = np.concatenate(people), np.concatenate(days), np.concatenate(types)
    order = np.lexsort((check, day, person))
    return {
        "clah_health_check_id": np.arange(len(order)) + 3_100_001,
        "clah_person_id": person[order],
        "clah_health_check_type": check[order],
        "clah_health_check_date": day[order],
        "clah_health_check_status": np.full(len(order), "Completed", dtype=object),
    }


def immigration_statuses(ctx: Context, per: Table, rng: np.random.Generator) -> Table:
    """``ssd_immigration_status`` rows: UASC from coming into care to the 18th birthday."""
    periods = np.flatnonzero(~per["short_break"])
    entry, dob = per["entry"][periods], per["dob"][periods]
    old_enough = (entry - dob) >= UASC_FROM_AGE * YEAR
    uasc = old_enough & (rng.random(len(periods)) < ctx.pct(UASC_SHARE, entry))
    chosen = periods[uasc]
    order = np.lexsort((per["entry"][chosen], per["person"][chosen]))
    chosen = chosen[order]
    return {
        "immi_immigration_status_id": np.arange(len(chosen)) + 3_200_001,
        "immi_person_id": per["person"][chosen],
        "immi_immigration_status": np.full(len(chosen), "UASC", dtype=object),
        "immi_immigration_status_start_date": per["entry"][chosen],
        # after the extract date the snapshot blanks it (still UASC)
        "immi_immigration_status_end_date": years_later(per["dob"][chosen], 18),
    }


def placement_distances(ctx: Context, placement: Table, rng: np.random.Generator) -> np.ndarray:
    """Miles from home of each ``ssd_cla_placement`` row (NaN: not recorded)."""
    types = placement["clap_cla_placement_type"]
    start = placement["clap_cla_placement_start_date"]
    median = np.array([MEDIAN_MILES.get(t, 6.0) for t in types], dtype=np.float64)
    miles = median * ctx.curve(DISTANCE_SCALE, start) * rng.lognormal(0.0, 0.8, len(types))
    return np.where(rng.random(len(types)) < DISTANCE_NOT_RECORDED, np.nan, np.round(miles, 1))
