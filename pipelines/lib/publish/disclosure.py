"""Statistical disclosure control for public outputs: the policy, primary suppression, rounding,
and the GSS symbols (secondary suppression in tables with totals: ``suppression.py``).

Numbers and their status travel separately (a value column and a ``<value>_status`` column); only
the published file shows a symbol in place of a number. Statuses and their GSS / DfE symbols:

========================  ======  ==========================================================
status                    symbol  meaning
========================  ======  ==========================================================
``suppressed``            ``c``   confidential: a small count, or a figure that would reveal one
``not_applicable``        ``z``   not applicable (no target, denominator 0, no denominator)
``not_available``         ``x``   not available (KPI's input absent, nothing published)
``rounds_to_zero``        ``low`` not zero, but rounds to 0 at the published precision
========================  ======  ==========================================================

The policy lives in ``kpi_definitions/disclosure.yaml``:

- ``threshold`` (integer >= 1, default 6): counts from 1 to ``threshold - 1`` are suppressed
  (primary suppression); 0 stays 0. The default suppresses 1 to 5, as the DfE's children in need
  tables do.
- ``decimals`` (mapping, optional): decimal places for ``percent``, ``rate_per_10k`` and
  ``other`` (averages, ratios, FTEs), each an integer 0-6 (default 1). Counts are not rounded.
- ``exempt_kpis`` (mapping, optional): KPI id -> why its LA-level figures are not counts of
  children (workforce FTEs). Exemption is per KPI, not per area or unit, because the workforce area
  also holds counts of children (unallocated children, the cases behind caseloads).

Suppression rules, after domain-notes section 4:

1. Primary: a count from 1 to ``threshold - 1`` is ``c``.
2. Derived: a percentage, rate or average is ``c`` when a count it is made of is ``c``.
3. Secondary: in a table with totals, while a line (a row or column with its total) holds exactly
   one ``c`` cell, the smallest non-zero visible cell of the line (a non-total cell if there is
   one) is also ``c``, until no line holds exactly one; then no ``c`` cell can be recovered by
   subtracting the visible cells of its line from the total.
4. Complements: a percentage's numerator published beside its denominator reveals their
   difference (32 of 35 on time: 3 late), so that difference is protected like a count: when it
   is small the numerator is ``c`` (and the percentage with it), and in a table by team it is an
   unpublished column of the table (``suppress_pairs``).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipelines.lib.kpi.definitions import DEFINITIONS_DIR

POLICY_FILE = DEFINITIONS_DIR / "disclosure.yaml"

SUPPRESSED = "suppressed"
NOT_APPLICABLE = "not_applicable"
NOT_AVAILABLE = "not_available"
ROUNDS_TO_ZERO = "rounds_to_zero"
SYMBOLS = {SUPPRESSED: "c", NOT_APPLICABLE: "z", NOT_AVAILABLE: "x", ROUNDS_TO_ZERO: "low"}
SYMBOL_MEANINGS = {
    "c": "Confidential: suppressed to protect children's identities (a count below the "
    "threshold, a figure made from one, or a further cell suppressed so the first cannot be "
    "worked out from a total).",
    "z": "Not applicable: no target set, a denominator of 0, or a figure that has no numerator "
    "and denominator.",
    "x": "Not available: the extract does not hold what the figure needs, or no figure has "
    "been published.",
    "low": "Rounds to 0 at the precision shown, but is not 0.",
}
DECIMAL_KEYS = ("percent", "rate_per_10k", "other")
POLICY_KEYS = ("threshold", "decimals", "exempt_kpis")


class PolicyError(ValueError):
    """The disclosure policy file is wrong; the message names the file and the key."""


@dataclass(frozen=True)
class DisclosurePolicy:
    """How a public output protects small numbers. The defaults are the strictest: nothing is
    exempt."""

    threshold: int = 6
    percent_decimals: int = 1
    rate_decimals: int = 1
    other_decimals: int = 1
    # KPI id -> why its LA-level figures need no primary suppression.
    exempt_kpis: Mapping[str, str] = field(default_factory=dict)

    def is_small(self, value: float | None) -> bool:
        """A count that must not be shown: above 0 and below the threshold."""
        return value is not None and 0 < value < self.threshold

    def is_exempt(self, kpi_id: str) -> bool:
        return kpi_id in self.exempt_kpis

    def decimals(self, unit: str) -> int:
        """Decimal places for a value in ``unit`` (a KPI unit; counts are whole numbers)."""
        if unit == "count":
            return 0
        if unit == "percent":
            return self.percent_decimals
        if unit == "rate_per_10k":
            return self.rate_decimals
        return self.other_decimals

    def describe(self) -> list[str]:
        """The policy in sentences, for a notes sheet."""
        top = self.threshold - 1
        lines = [
            (
                f"Primary suppression: any count of children or events from 1 to {top} is shown "
                "as c. True zeros are shown as 0."
                if top >= 1
                else "Primary suppression: none (the threshold is 1)."
            ),
            "Derived figures: a percentage, rate or average is shown as c when a count it is "
            "made of (its numerator or its denominator) is suppressed.",
            "Secondary suppression: in a table with a total, if a row or column (with its "
            "total) would hold exactly one suppressed cell, the next smallest non-zero cell in "
            "it is suppressed too (a team before the total), repeated until no row or column "
            "holds exactly one; a suppressed cell then cannot be worked out by subtraction. A "
            "total suppressed this way is suppressed in every table of the export.",
            f"Rounding: percentages to {_places(self.percent_decimals)}, rates per 10,000 "
            f"children to {_places(self.rate_decimals)}, averages and ratios to "
            f"{_places(self.other_decimals)}; counts are not rounded. A value that is not 0 but "
            "rounds to 0 is shown as low.",
            "Counts left out: a percentage's numerator is shown as c when, beside its "
            "denominator, it would reveal a suppressed count by subtraction (32 of 35 on time "
            "reveals 3 late); by team, those counts are protected like the cells of the table.",
            "England and statistical-neighbour figures are shown as the DfE published them "
            "(its own suppression and precision), never suppressed again.",
        ]
        if self.exempt_kpis:
            lines.append(
                "Exempt from primary suppression at LA level, because they are not counts of "
                f"children: {', '.join(self.exempt_kpis)}. By team they are suppressed like any "
                "count, because a team's few workers are identifiable."
            )
            lines += [f"{kpi_id}: {reason}" for kpi_id, reason in self.exempt_kpis.items()]
        return lines


def _places(decimals: int) -> str:
    return "whole numbers" if decimals == 0 else f"{decimals} decimal place" + "s" * (decimals > 1)


def _decimals(raw: Any, path: Path) -> dict[str, int]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PolicyError(f"{path}: 'decimals' must be a mapping of {', '.join(DECIMAL_KEYS)}")
    found = {}
    for key, value in raw.items():
        if key not in DECIMAL_KEYS:
            raise PolicyError(
                f"{path}: 'decimals.{key}' is not a known unit; expected {', '.join(DECIMAL_KEYS)}"
            )
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
            raise PolicyError(f"{path}: 'decimals.{key}' must be a whole number from 0 to 6")
        found[key] = value
    return found


def load_policy(path: Path | None = None) -> DisclosurePolicy:
    """The policy in ``path`` (default ``kpi_definitions/disclosure.yaml``); keys left out take
    the defaults of ``DisclosurePolicy``. Raises ``PolicyError`` naming the file and the key."""
    path = path or POLICY_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PolicyError(f"{path}: the disclosure policy file is missing") from exc
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path}: not valid YAML ({exc})") from exc
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise PolicyError(f"{path}: expected a mapping of {', '.join(POLICY_KEYS)}")
    unknown = sorted(str(k) for k in raw if k not in POLICY_KEYS)
    if unknown:
        raise PolicyError(
            f"{path}: unknown key(s) {', '.join(unknown)}; expected {', '.join(POLICY_KEYS)}"
        )
    threshold = raw.get("threshold", DisclosurePolicy.threshold)
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise PolicyError(f"{path}: 'threshold' must be a whole number of at least 1")
    decimals = _decimals(raw.get("decimals"), path)
    exempt = raw.get("exempt_kpis") or {}
    if not isinstance(exempt, dict):
        raise PolicyError(f"{path}: 'exempt_kpis' must be a mapping of KPI id to the reason")
    for kpi_id, reason in exempt.items():
        if not isinstance(reason, str) or not reason.strip():
            raise PolicyError(f"{path}: 'exempt_kpis.{kpi_id}' must give the reason as text")
    return DisclosurePolicy(
        threshold=threshold,
        percent_decimals=decimals.get("percent", DisclosurePolicy.percent_decimals),
        rate_decimals=decimals.get("rate_per_10k", DisclosurePolicy.rate_decimals),
        other_decimals=decimals.get("other", DisclosurePolicy.other_decimals),
        exempt_kpis={str(k): " ".join(str(v).split()) for k, v in exempt.items()},
    )


def derived_status(
    value_status: str | None, component_statuses: Sequence[str | None]
) -> str | None:
    """A derived figure's status: ``suppressed`` when a count it is made of is, unless the figure
    itself is already not applicable or not available."""
    if value_status is None and SUPPRESSED in component_statuses:
        return SUPPRESSED
    return value_status


def rounded_status(value: float | None, status: str | None, decimals: int) -> str | None:
    """``rounds_to_zero`` for a shown value that is not 0 but would be printed as 0."""
    if status is None and value is not None and value != 0 and round(value, decimals) == 0:
        return ROUNDS_TO_ZERO
    return status
