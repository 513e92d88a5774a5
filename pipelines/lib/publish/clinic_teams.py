"""What the clinic pack's service-area and team pages show, read from the engine's tables of the
pack's extract (``kpi.kpi_values_by_dimension`` beside ``kpi.kpi_values``; nothing recomputed),
and the sentences those pages write.

Each KPI recorded by team is shown for the clinic's week: the week ending on the pack's Sunday.
A KPI with no figure by team for that week (a flow with no event in it) shows what the engine
holds at the latest period end on or before that Sunday (the finest grain first), and every row
says which period its figures are for; the LA's figure beside is for the same period. Teams are
named from ``ssd_department`` of the pack's extract (a team without a name keeps its id; records
with no team are "Team not recorded"); service areas come from la.yaml ``service_areas``.
Figures are not suppressed: the pack is for the council's internal meeting.
"""

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from pipelines.lib import formatting
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.engine import GRAINS
from pipelines.lib.publish import by_service

# As the board report's service tables head them (``board.service_tables``, which imports the
# clinic's chart pieces, so it is not imported here).
NO_SERVICE_NOTE = by_service.NO_SERVICE_ABOUT[0].upper() + by_service.NO_SERVICE_ABOUT[1:] + "."
# Units whose figure for a team is a part of the LA's (a count of events, a rate over the LA's
# whole population): set beside the LA's as a share, never as "higher" or "lower".
PART_UNITS = ("count", "rate_per_10k")


@dataclass(frozen=True)
class Figure:
    """One group's figure for a KPI, with its change on the week before (weekly figures where
    both weeks are held). ``recorded`` is false for a count of 0 that the engine holds no row
    for (nothing recorded for the group in the period)."""

    numerator: float | None
    denominator: float | None
    value: float | None
    change: float | None = None
    recorded: bool = True


@dataclass(frozen=True)
class KpiFigures:
    """A KPI's figures for one period: the LA's, each service area's and each team's."""

    kpi: KpiDefinition
    grain: str
    period_start: dt.date
    period_end: dt.date
    la: Figure | None
    services: dict[str | None, Figure]  # service-area code (None: no service area) -> figure
    teams: dict[str | None, Figure]  # team id (None: not recorded) -> figure

    @property
    def period(self) -> str:
        return period_label(self.kpi, self.grain, self.period_start, self.period_end)


@dataclass(frozen=True)
class TeamPages:
    """Everything the service-area and team pages of one pack show."""

    week_end: dt.date
    kpis: tuple[KpiFigures, ...]
    names: dict[str, str]  # team id -> name from the extract
    area_of: dict[str, str]  # team id -> service-area code (la.yaml)
    services: tuple[str | None, ...]  # a page each, in reading order (None: no service area)
    teams: tuple[str | None, ...]  # a page each, by name (None: not recorded, last)
    empty_services: tuple[str, ...]  # la.yaml service areas with no figure

    def service_of(self, team: str | None) -> str | None:
        """The team's service area; None for a team la.yaml does not place or no team (as the
        engine rolls teams up)."""
        return None if team is None else self.area_of.get(team)

    def teams_in(self, service: str | None) -> list[str | None]:
        return [t for t in self.teams if self.service_of(t) == service]

    def team_title(self, team: str | None) -> str:
        return by_service.group_title("team", team, self.names)

    def recorded(self, dimension: str, code: str | None) -> list[tuple[KpiFigures, Figure]]:
        """The KPIs with a figure the engine recorded for a group (``team`` or
        ``service_area``) in their period, with that figure."""
        found = []
        for k in self.kpis:
            figure = (k.teams if dimension == "team" else k.services).get(code)
            if figure is not None and figure.recorded:
                found.append((k, figure))
        return found

    def not_recorded(self, dimension: str, code: str | None) -> list[KpiDefinition]:
        """The KPIs with nothing recorded for a group in their period."""
        shown = {k.kpi.id for k, _ in self.recorded(dimension, code)}
        return [k.kpi for k in self.kpis if k.kpi.id not in shown]


def _file_part(code: str) -> str:
    """A code from the extract or la.yaml as part of a file name: as it is when it is plain,
    otherwise cleaned and told apart from others by a digest of the code."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}", code):
        return code
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", code).strip("-")[:30]
    digest = hashlib.sha256(code.encode()).hexdigest()[:8]
    return f"{cleaned}-{digest}" if cleaned else digest


def service_file(code: str | None) -> str:
    # "services-" and "teams-" (plural) cannot be the page of any code.
    return "services-not-listed.html" if code is None else f"service-{_file_part(code)}.html"


def team_file(team: str | None) -> str:
    return "teams-not-recorded.html" if team is None else f"team-{_file_part(team)}.html"


def period_label(kpi: KpiDefinition, grain: str, start: dt.date, end: dt.date) -> str:
    """Which period a figure is for: a stock at its date, a rolling KPI the 12 months to it,
    a flow its week or the period's first and last days."""
    if kpi.kind == "snapshot":
        return f"at {formatting.long_date(end)}"
    if kpi.kind == "rolling":
        return f"12 months to {formatting.long_date(end)}"
    if grain == "week":
        return f"week ending {formatting.long_date(end)}"
    return f"{formatting.long_date(start)} to {formatting.long_date(end)}"


def against_la(kpi: KpiDefinition, figure: Figure | None, la: Figure | None) -> str:
    """The group's figure against the LA's, as printed: "higher than the LA (better)", "the
    same as the LA"; a count or a rate over the LA's population is a part of the LA's, shown as
    its share ("25.0% of the LA's"). Empty when either figure is missing."""
    if figure is None or la is None or figure.value is None or la.value is None:
        return ""
    if kpi.unit in PART_UNITS:
        if la.value == 0:
            return ""
        share = formatting.value_text(100 * figure.value / la.value, "percent")
        return f"{share} of the LA's"
    places = formatting.places(kpi.unit)
    mine = formatting.round_half_up(figure.value, places)
    theirs = formatting.round_half_up(la.value, places)
    if mine == theirs:
        return "the same as the LA"
    higher = mine > theirs
    side = "higher than the LA" if higher else "lower than the LA"
    if kpi.polarity == "neutral":
        return side
    better = higher == (kpi.polarity == "up")
    return f"{side} ({'better' if better else 'worse'})"


def teams_sentence(pages: TeamPages, service: str | None) -> str:
    """How many teams of a service area have figures ("3 teams have figures this week"), and
    records with no team where the page counts them."""
    teams = [t for t in pages.teams_in(service) if t is not None]
    count = f"{len(teams)} team{'' if len(teams) == 1 else 's'}"
    text = f"{count} with figures" if teams else "No team with figures"
    if None in pages.teams_in(service):
        text += ", and records with no team (" + by_service.NOT_RECORDED + ")"
    return text + "."


def _choose_period(
    con: duckdb.DuckDBPyConnection, la_code: str, kpi_id: str, extract: dt.date, day: dt.date
) -> tuple[str, dt.date, dt.date] | None:
    """(grain, start, end) of the latest period by team ending on or before ``day``: the week
    ending on it when the engine holds one; at a shared end, the finest grain."""
    row = con.execute(
        """select grain, period_start, period_end from kpi.kpi_values_by_dimension
           where la_code = ? and kpi_id = ? and extract_date = ? and dimension = 'team'
             and period_end <= ?
           order by period_end desc, list_position(?, grain)
           limit 1""",
        [la_code, kpi_id, extract, day, list(GRAINS)],
    ).fetchone()
    return (str(row[0]), row[1], row[2]) if row else None


def _figure(
    cell: by_service.Cell | None, kpi: KpiDefinition, la: by_service.Cell | None
) -> Figure | None:
    """A group's figure; a count with no row is 0 when the LA has a figure (nobody counted)."""
    if cell is None:
        if kpi.unit == "count" and la is not None and la.value is not None:
            return Figure(0.0, None, 0.0, recorded=False)
        return None
    return Figure(cell.numerator, cell.denominator, cell.value)


def _with_change(now: Figure | None, before: Figure | None) -> Figure | None:
    if now is None or now.value is None or before is None or before.value is None:
        return now
    return dataclasses.replace(now, change=now.value - before.value)


Breakdowns = dict[str, by_service.Breakdown]  # dimension -> a KPI's figures by it


def _read_period(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    kpi: KpiDefinition,
    extract: dt.date,
    grain: str,
    end: dt.date,
) -> Breakdowns:
    return {
        d: by_service.breakdown(con, la_code, kpi, d, end, grain, extract)
        for d in ("team", "service_area")
    }


def _kpi_figures(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    extract: dt.date,
    period: tuple[str, dt.date, dt.date],
    read: Breakdowns,
    groups: dict[str, Sequence[str | None]],
) -> KpiFigures:
    """A KPI's figures for the groups with pages, with the change on the week before."""
    grain, start, end = period
    kpi = read["team"].kpi
    week_before = end - dt.timedelta(days=7)
    earlier = (
        _read_period(con, la_code, kpi, extract, grain, week_before) if grain == "week" else None
    )
    la_now = read["team"].la
    la_before = earlier["team"].la if earlier else None

    def figures(dimension: str) -> dict[str | None, Figure]:
        found: dict[str | None, Figure] = {}
        for code in groups[dimension]:
            now = _figure(read[dimension].groups.get(code), kpi, la_now)
            if earlier:
                before = _figure(earlier[dimension].groups.get(code), kpi, la_before)
                now = _with_change(now, before)
            if now is not None:
                found[code] = now
        return found

    la = _figure(la_now, kpi, None)
    if earlier:
        la = _with_change(la, _figure(la_before, kpi, None))
    return KpiFigures(kpi, grain, start, end, la, figures("service_area"), figures("team"))


def read_team_pages(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    week: dt.date,
    extract: dt.date,
    definitions: Sequence[KpiDefinition],
) -> TeamPages | None:
    """The service-area and team pages of the pack for ``week`` (its Monday) read from
    ``extract``; None when no KPI recorded by team has a figure by team up to the week's end."""
    week_end = week + dt.timedelta(days=6)
    periods, read = {}, {}
    for kpi in by_service.team_kpis(definitions):
        period = _choose_period(con, la_code, kpi.id, extract, week_end)
        if period is not None:
            periods[kpi.id] = period
            read[kpi.id] = _read_period(con, la_code, kpi, extract, period[0], period[2])
    if not periods:
        return None
    # The groups with a figure in any KPI's period: a page each (la.yaml codes with nothing
    # recorded, such as a directorate's own, would be pages of blanks).
    seen = {
        d: {code for r in read.values() for code in r[d].groups} for d in ("team", "service_area")
    }
    names = by_service.team_names(con, la_code, extract)
    area_of = by_service.service_areas(con, la_code)
    # Sorted by code first, so teams of one name keep one order from run to run.
    ordered = {d: sorted(codes, key=lambda c: (c is None, c or "")) for d, codes in seen.items()}
    services = by_service.group_order("service_area", ordered["service_area"], {})
    teams = by_service.group_order("team", ordered["team"], names)
    groups: dict[str, Sequence[str | None]] = {"team": teams, "service_area": services}
    figures = tuple(
        _kpi_figures(con, la_code, extract, periods[k], read[k], groups) for k in periods
    )
    listed = by_service.group_order("service_area", sorted(set(area_of.values())), {})
    empty = tuple(str(code) for code in listed if code not in seen["service_area"])
    return TeamPages(week_end, figures, names, area_of, tuple(services), tuple(teams), empty)
