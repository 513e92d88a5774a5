"""The HTML of the clinic pack's service-area and team pages (read by ``clinic_teams``): the
index's "By service area and team" section, a page per service area (its KPIs recorded by team
with the LA's figure beside, then a table of its teams) and a page per team (its KPIs with its
service area's and the LA's beside). Every value the extract or la.yaml gives (team names above
all) is escaped; every figure is written by ``lib/formatting.py``."""

import html
from collections.abc import Sequence

from pipelines.lib import formatting
from pipelines.lib.publish import clinic_html
from pipelines.lib.publish.by_service import LA_TITLE, WHOLE_SERVICE, service_title
from pipelines.lib.publish.clinic_page import fmt_change, fmt_value
from pipelines.lib.publish.clinic_teams import (
    NO_SERVICE_NOTE,
    Figure,
    KpiFigures,
    TeamPages,
    against_la,
    service_file,
    team_file,
    teams_sentence,
)

SECTION_ID = "by-service"
SECTION_TITLE = "By service area and team"
CHANGE_NOTE = "Change: on the week before, for weekly figures where both weeks are held."
PART_NOTE = (
    "A team's or service area's count (or rate per 10,000 of the LA's children) is a part of "
    "the LA's: Against the LA gives its share of the LA's figure."
)
COMPARE_NOTE = (
    "Against the LA compares the figures as printed; better or worse by the KPI's polarity."
)
DASH_NOTE = "A dash: no figure (no event in the period, or nobody counted)."


def _e(text: object) -> str:
    return html.escape(str(text))


def _link(href: str, text: str) -> str:
    return f'<a href="{_e(href)}">{_e(text)}</a>'


def _part(number: float | None) -> str:
    """A numerator or denominator: whole when it is (children, events), else to one decimal
    place (FTE)."""
    if number is None:
        return "–"
    return formatting.value_text(number, "count" if float(number).is_integer() else "ratio")


def _num(text: str) -> str:
    return f'<td class="num">{_e(text)}</td>'


def _figure_cells(kpi: KpiFigures, figure: Figure | None) -> str:
    unit = kpi.kpi.unit
    if figure is None:
        return _num("–") * 4
    return (
        _num(fmt_value(figure.value, unit))
        + _num(_part(figure.numerator))
        + _num(_part(figure.denominator))
        + _num(fmt_change(figure.change, unit))
    )


def _kpi_cell(kpi: KpiFigures) -> str:
    return f'<th scope="row">{_link(f"{kpi.kpi.id}.html", kpi.kpi.label)}</th>'


def _header_row(*titles: str) -> str:
    return (
        "<thead><tr>" + "".join(f'<th scope="col">{_e(t)}</th>' for t in titles) + "</tr></thead>"
    )


def _period_note(pages: TeamPages, shown: Sequence[KpiFigures]) -> str:
    """What period the rows are for: the week, and, where a KPI had no figure by team for it,
    the latest period before it (each row says which)."""
    week = formatting.long_date(pages.week_end)
    text = (
        f"The clinic's week ends on {week}. Each row says the period its figures are for; the "
        "LA's figure beside is for the same period."
    )
    if any(k.grain != "week" or k.period_end != pages.week_end for k in shown):
        text += (
            f" A KPI with no figure by team for the week ending {week} shows the latest period "
            "the engine holds before it."
        )
    return text


def _notes(pages: TeamPages, shown: Sequence[KpiFigures], missing: str) -> str:
    lines = [_period_note(pages, shown), CHANGE_NOTE, COMPARE_NOTE, DASH_NOTE]
    if any(k.kpi.unit in ("count", "rate_per_10k") for k in shown):
        lines.insert(2, PART_NOTE)
    if missing:
        lines.append(missing)
    return "".join(f'<p class="muted">{_e(line)}</p>' for line in lines)


def _not_recorded(pages: TeamPages, dimension: str, code: str | None, who: str) -> str:
    labels = [k.label for k in pages.not_recorded(dimension, code)]
    if not labels:
        return ""
    return f"Nothing recorded for {who} in the period: {'; '.join(labels)}."


def _main_table(
    pages: TeamPages, dimension: str, code: str | None, title: str, beside: str | None
) -> tuple[str, list[KpiFigures]]:
    """The group's KPIs: its figure, numerator, denominator and change, the service area's
    (``beside``, on a team's page) and the LA's figure, and the group against the LA."""
    rows, shown = [], []
    for kpi, figure in pages.recorded(dimension, code):
        shown.append(kpi)
        unit = kpi.kpi.unit
        service = ""
        if beside is not None:
            service = _num(fmt_value(_value(kpi.services.get(pages.service_of(code))), unit))
        rows.append(
            f"<tr>{_kpi_cell(kpi)}<td>{_e(kpi.period)}</td>{_figure_cells(kpi, figure)}"
            f"{service}{_num(fmt_value(_value(kpi.la), unit))}"
            f"<td>{_e(against_la(kpi.kpi, figure, kpi.la) or '–')}</td></tr>"
        )
    if not rows:
        return f"<p>No KPI recorded by team has a figure for {_e(title)}.</p>", shown
    columns = ["KPI", "Figures for", title, "Numerator", "Denominator", "Change on the week before"]
    columns += [beside] if beside is not None else []
    columns += [LA_TITLE, "Against the LA"]
    table = (
        f"<table><caption>KPIs recorded by team: {_e(title)}, with the LA beside</caption>"
        f"{_header_row(*columns)}<tbody>{''.join(rows)}</tbody></table>"
    )
    return table, shown


def _value(figure: Figure | None) -> float | None:
    return None if figure is None else figure.value


def _teams_table(pages: TeamPages, code: str | None, title: str) -> str:
    """A row per KPI recorded for the service area, a column per team, the service and the LA."""
    teams = pages.teams_in(code)
    if not teams:
        return ""
    rows = []
    for kpi, figure in pages.recorded("service_area", code):
        unit = kpi.kpi.unit
        cells = "".join(_num(fmt_value(_value(kpi.teams.get(t)), unit)) for t in teams)
        rows.append(
            f"<tr>{_kpi_cell(kpi)}<td>{_e(kpi.period)}</td>{cells}"
            f"{_num(fmt_value(figure.value, unit))}{_num(fmt_value(_value(kpi.la), unit))}</tr>"
        )
    if not rows:
        return ""
    head = "".join(
        f'<th scope="col">{_link(team_file(t), pages.team_title(t))}</th>' for t in teams
    )
    return (
        f"<h2>Teams</h2><table><caption>KPIs recorded by team: the teams of {_e(title)}"
        f'</caption><thead><tr><th scope="col">KPI</th><th scope="col">Figures for</th>{head}'
        f'<th scope="col">{_e(WHOLE_SERVICE)}</th>'
        f'<th scope="col">{_e(LA_TITLE)}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _back() -> str:
    return f"<p>{_link(f'index.html#{SECTION_ID}', 'All service areas and teams')}</p>"


def service_page(pages: TeamPages, code: str | None) -> str:
    """The ``<main>`` of a service area's page."""
    title = service_title(code)
    teams = pages.teams_in(code)
    links = ", ".join(_link(team_file(t), pages.team_title(t)) for t in teams)
    about = f"<p>{_e(NO_SERVICE_NOTE)}</p>" if code is None else ""
    table, shown = _main_table(pages, "service_area", code, title, None)
    missing = _not_recorded(pages, "service_area", code, "this service area")
    return (
        f'<main><section class="page"><h1>{_e(title)}</h1>{about}'
        f"<p>{_e(teams_sentence(pages, code))}" + (f" {links}." if links else "") + "</p>"
        f"{table}{_teams_table(pages, code, title)}{_notes(pages, shown, missing)}{_back()}"
        "</section></main>"
    )


def team_page(pages: TeamPages, team: str | None) -> str:
    """The ``<main>`` of a team's page."""
    title = pages.team_title(team)
    service = pages.service_of(team)
    service_link = (
        _link(service_file(service), service_title(service))
        if service in pages.services
        else _e(service_title(service))
    )
    if team is None:
        where = f"Records with no team. Their figures count in {service_link}."
    elif service is None:
        where = (
            "Service area: none (la.yaml service_areas does not list this team); its figures "
            f"count in {service_link}."
        )
    else:
        where = f"Service area: {service_link}."
    table, shown = _main_table(pages, "team", team, title, service_title(service))
    missing = _not_recorded(pages, "team", team, "this team")
    return (
        f'<main><section class="page"><h1>{_e(title)}</h1><p>{where}</p>{table}'
        f"{_notes(pages, shown, missing)}{_back()}</section></main>"
    )


def index_section(pages: TeamPages) -> str:
    """The index's section linking every service-area and team page."""
    rows = "".join(
        f'<tr><th scope="row">{_link(service_file(s), service_title(s))}</th><td>'
        + ", ".join(_link(team_file(t), pages.team_title(t)) for t in pages.teams_in(s))
        + "</td></tr>"
        for s in pages.services
    )
    count = len(pages.kpis)
    text = (
        f"{count} KPI{'' if count == 1 else 's'} recorded by team, for each service area and "
        f"team, with the LA's figure beside: for the week ending "
        f"{formatting.long_date(pages.week_end)}"
    )
    if any(k.grain != "week" or k.period_end != pages.week_end for k in pages.kpis):
        text += ", or the latest period before it where a KPI has no figure by team for that week"
    text += " (each row says which period)."
    empty = ""
    if pages.empty_services:
        titles = "; ".join(service_title(s) for s in pages.empty_services)
        empty = f'<p class="muted">No figure recorded by team in: {_e(titles)}.</p>'
    return (
        f'<h2 id="{SECTION_ID}">{SECTION_TITLE}</h2><p>{_e(text)}</p><table>'
        f"{_header_row('Service area', 'Teams with figures')}<tbody>{rows}</tbody></table>{empty}"
    )


def page_files(pages: TeamPages, title: str, subtitle: str, footer: str) -> dict[str, str]:
    """Every service-area and team page of a pack: file name -> HTML."""
    files = {
        service_file(s): clinic_html.plain_page(
            service_title(s), title, subtitle, footer, service_page(pages, s)
        )
        for s in pages.services
    }
    for t in pages.teams:
        files[team_file(t)] = clinic_html.plain_page(
            pages.team_title(t), title, subtitle, footer, team_page(pages, t)
        )
    return files
