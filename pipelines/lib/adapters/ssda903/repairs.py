"""LIIA's episode fixes (liia-tools-pipeline ``fix_episodes.py``) for several years of 903
returns joined together: open episodes of older returns closed, duplicates deleted, overlaps
and gaps between returns closed (``domain-notes.md`` 2.3). Each fix is an ``AdapterNote``."""

import datetime as dt
from collections import defaultdict

from pipelines.lib.adapters.base import REPAIRED, ROW_DROPPED, AdapterNote
from pipelines.lib.adapters.ssda903.episodes import Episode
from pipelines.lib.adapters.ssda903.spec import LIIA_MARKERS

_SAME_FOR_DUPLICATE = ("RNE", "LS", "PLACE", "PLACE_PROVIDER", "PL_POST", "URN")


def episode_note(
    ep: Episode, rule: str, message: str, action: str, column: str | None, value: str | None
) -> AdapterNote:
    """A note about one episode row."""
    return AdapterNote(str(ep.path), rule, message, action, ep.row, None, column, value)


def as_text(value: object) -> str:
    """A value as a note shows it: a date in ISO, nothing as ``blank``."""
    if value is None:
        return "blank"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def fix_episodes(episodes: list[Episode], notes: list[AdapterNote]) -> list[Episode]:
    """LIIA's episode fixes (liia-tools-pipeline ``fix_episodes.py``), stage 1 then stage 2.

    Only an open episode from a return older than the LA's latest (stage 1) or an episode
    followed by one from a later return (stage 2) is touched, so one return is never changed.
    """
    latest: dict[str, int] = {}
    for ep in episodes:
        latest[ep.la] = max(latest.get(ep.la, ep.year), ep.year)
    by_child: dict[tuple[str, str | None], list[Episode]] = defaultdict(list)
    for ep in episodes:
        by_child[(ep.la, ep.child)].append(ep)
    kept: list[Episode] = []
    for group in by_child.values():
        group.sort(key=lambda e: (e.decom or dt.date.min, e.year))
        kept.extend(_stage2(_stage1(group, latest, notes), notes))
    return kept


def _same(a: Episode, b: Episode) -> bool:
    return all(a.get(c) == b.get(c) for c in _SAME_FOR_DUPLICATE)


def _stage1(
    group: list[Episode], latest: dict[str, int], notes: list[AdapterNote]
) -> list[Episode]:
    decisions: list[str | None] = []
    for i, ep in enumerate(group):
        prev = group[i - 1] if i > 0 else None
        nxt = group[i + 1] if i + 1 < len(group) else None
        rule = None
        if ep.dec is None and ep.year != latest[ep.la]:
            if (nxt is not None and nxt.decom != ep.decom and _same(ep, nxt)) or (
                prev is not None and prev.decom != ep.decom and _same(ep, prev)
            ):
                rule = "RULE_3"
            elif prev is not None and prev.year > ep.year:
                rule = "RULE_3A"
            elif nxt is None:
                rule = "RULE_2"
            elif nxt.get("RNE") == "S":
                rule = "RULE_1A"
            else:
                rule = "RULE_1"
        decisions.append(rule)
    out: list[Episode] = []
    for i, (ep, rule) in enumerate(zip(group, decisions, strict=True)):
        nxt = group[i + 1] if i + 1 < len(group) else None
        if rule in ("RULE_3", "RULE_3A"):
            why = (
                "duplicate of a neighbouring episode"
                if rule == "RULE_3"
                else "replaced by an episode submitted in a later return"
            )
            notes.append(
                episode_note(
                    ep,
                    f"903_{rule.lower()}",
                    f"{rule}: open episode of child {ep.child} from DECOM {as_text(ep.decom)} "
                    f"(return {ep.year}) deleted: {why}",
                    ROW_DROPPED,
                    "DECOM",
                    ep.get("DECOM"),
                )
            )
            continue
        if rule is not None:
            end_of_year = dt.date(ep.year, 3, 31)
            old_rec, old_rpc = ep.rec, ep.rpc
            if rule == "RULE_1":
                assert nxt is not None
                ep.dec, ep.rec = nxt.decom, "X1"
                if nxt.get("RNE") in ("P", "B", "T", "U"):
                    ep.rpc = "LIIAF"
                why = "the child stays looked after: it ends when the next episode starts"
            elif rule == "RULE_1A":
                assert nxt is not None and nxt.decom is not None
                ep.dec, ep.rec = min(end_of_year, nxt.decom - dt.timedelta(days=1)), "E99"
                why = "the child left care and came back later"
            else:
                ep.dec, ep.rec = end_of_year, "E99"
                why = "the child is in no later return"
            changes = f"DEC blank -> {as_text(ep.dec)}; REC {as_text(old_rec)} -> {ep.rec}"
            if ep.rpc != old_rpc:
                changes += f"; REASON_PLACE_CHANGE {as_text(old_rpc)} -> {ep.rpc}"
            markers = [m for m in (ep.rec, ep.rpc) if m in LIIA_MARKERS]
            if markers:
                changes += f" ({', '.join(markers)}: LIIA marker, not a DfE code, loaded as blank)"
            ep.rules.append(rule)
            notes.append(
                episode_note(
                    ep,
                    f"903_{rule.lower()}",
                    f"{rule}: open episode of child {ep.child} from DECOM {as_text(ep.decom)} "
                    f"(return {ep.year}) closed, {why}: {changes}",
                    REPAIRED,
                    "DEC",
                    None,
                )
            )
        out.append(ep)
    return out


def _stage2(group: list[Episode], notes: list[AdapterNote]) -> list[Episode]:
    for i, ep in enumerate(group[:-1]):
        nxt = group[i + 1]
        if ep.dec is None or nxt.decom is None or ep.year >= nxt.year:
            continue
        if ep.dec > nxt.decom:
            rule, why = "RULE_4", "overlaps the next episode (from a later return)"
        elif ep.dec < nxt.decom and ep.rec == "X1":
            rule, why = "RULE_5", "ends (X1) before the next episode (from a later return) starts"
        else:
            continue
        old = ep.dec
        ep.dec = nxt.decom
        ep.rules.append(rule)
        notes.append(
            episode_note(
                ep,
                f"903_{rule.lower()}",
                f"{rule}: episode of child {ep.child} from DECOM {as_text(ep.decom)} "
                f"(return {ep.year}) {why}: DEC {as_text(old)} -> {as_text(ep.dec)}",
                REPAIRED,
                "DEC",
                as_text(old),
            )
        )
    return group


def blank_marker(value: str | None) -> str | None:
    """LIIA's markers are not DfE codes: they load as blank (the fix's note says so)."""
    return None if value in LIIA_MARKERS else value
