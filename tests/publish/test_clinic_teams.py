"""The clinic pack's service-area and team pages: read from a small hand-made warehouse whose
figures are written below (each expected figure worked out by hand from them), the sentences
the pages write, the pages of a written pack (names not codes, escaping), and the demo's pack."""

import dataclasses
import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipelines.lib import warehouse
from pipelines.lib.kpi.definitions import KpiDefinition, load_definitions
from pipelines.lib.kpi.engine import ensure_kpi_schema
from pipelines.lib.kpi.targets import load_plans
from pipelines.lib.publish import clinic, clinic_teams_html
from pipelines.lib.publish.clinic_teams import (
    Figure,
    TeamPages,
    against_la,
    period_label,
    read_team_pages,
    service_file,
    team_file,
    teams_sentence,
)
from tests.publish import test_clinic
from tests.test_publishing import WEEK

LA = test_clinic.LA
WEEK_START, SUNDAY, BEFORE = dt.date(2024, 3, 25), dt.date(2024, 3, 31), dt.date(2024, 3, 24)
EXTRACT = test_clinic.EXTRACT  # 31 March 2024, the week's Sunday
# A1 has a name to escape; F2 has no name in the extract (it keeps its id); X9 is in the
# extract but la.yaml does not place it; C1 is placed but has no figure.
NAMES = {"A1": "<b>A&B</b>", "F1": "Safeguarding Team 1", "F2": None, "X9": "Projects",
         "C1": "Children in Care Team 1"}  # fmt: skip
AREAS = {"A1": "front_door", "F1": "fieldwork", "F2": "fieldwork", "C1": "children_in_care"}
# (kpi, unit, grain, period start, period end, {team: (n, d)}, {service area: (n, d)}, LA (n, d)).
# None is "not recorded" (no team; no service area for X9 and for records with no team).
ROWS = [
    # A stock: the week ending on the Sunday and the week before.
    ("caseload_avg", "ratio", "week", dt.date(2024, 3, 25), SUNDAY,
     {"A1": (30, 3), "F1": (228, 10), "F2": (130, 8), "X9": (37, 2)},
     {"front_door": (30, 3), "fieldwork": (358, 18), None: (37, 2)}, (425, 23)),
    ("caseload_avg", "ratio", "week", dt.date(2024, 3, 18), BEFORE,
     {"A1": (30, 3), "F1": (220, 10), "F2": (130, 8), "X9": (37, 2)},
     {"front_door": (30, 3), "fieldwork": (350, 18), None: (37, 2)}, (417, 23)),
    # A count: nothing recorded for the fieldwork teams; one referral with no team this week.
    ("referrals_received", "count", "week", dt.date(2024, 3, 25), SUNDAY,
     {"A1": (5, None), None: (1, None)}, {"front_door": (5, None), None: (1, None)}, (6, None)),
    ("referrals_received", "count", "week", dt.date(2024, 3, 18), BEFORE,
     {"A1": (3, None)}, {"front_door": (3, None)}, (3, None)),
    # No figure by team in the week: an earlier week, then February (the latest period end on
    # or before the Sunday; the 12 months to 29 February end on the same day, a coarser grain).
    ("referral_seen_5wd_pct", "percent", "week", dt.date(2024, 2, 19), dt.date(2024, 2, 25),
     {"F1": (1, 1)}, {"fieldwork": (1, 1)}, (1, 1)),
    ("referral_seen_5wd_pct", "percent", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29),
     {"A1": (1, 2), "F1": (8, 10)}, {"front_door": (1, 2), "fieldwork": (8, 10)}, (9, 12)),
    ("referral_seen_5wd_pct", "percent", "rolling_12m", dt.date(2023, 3, 1),
     dt.date(2024, 2, 29), {"F1": (80, 100)}, {"fieldwork": (80, 100)}, (80, 100)),
]  # fmt: skip
KPIS = ("caseload_avg", "referrals_received", "referral_seen_5wd_pct")


def _value(unit: str, n: float, d: float | None) -> float:
    if d is None:
        return n
    return 100 * n / d if unit == "percent" else n / d


def add_teams(con: duckdb.DuckDBPyConnection) -> None:
    """The figures above, with the team names and la.yaml service areas, for LA and EXTRACT."""
    for team, name in NAMES.items():
        con.execute(
            """insert into stg.ssd_department (la_code, extract_date, source_file, source_row,
                   dept_team_id, dept_team_name) values (?, ?, 'f', 2, ?, ?)""",
            [LA, EXTRACT, team, name],
        )
    for team, area in AREAS.items():
        con.execute("insert into meta.la_service_areas values (?, ?, ?)", [LA, team, area])
    for kpi, unit, grain, start, end, teams, services, (la_n, la_d) in ROWS:
        for dimension, groups in (("team", teams), ("service_area", services)):
            for code, (n, d) in groups.items():
                con.execute(
                    "insert into kpi.kpi_values_by_dimension values (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    " ?, ?, ?)",
                    [LA, kpi, grain, start, end, dimension, code, n, d, _value(unit, n, d),
                     unit, EXTRACT],
                )  # fmt: skip
        con.execute(
            "insert into kpi.kpi_values values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [LA, kpi, grain, start, end, la_n, la_d, _value(unit, la_n, la_d), unit, EXTRACT],
        )


def _definitions() -> list[KpiDefinition]:
    return [k for k in load_definitions() if k.id in KPIS]


@pytest.fixture(scope="module")
def pages() -> Iterator[TeamPages]:
    con = duckdb.connect()
    warehouse.ensure_schema(con)
    ensure_kpi_schema(con)
    add_teams(con)
    found = read_team_pages(con, LA, WEEK_START, EXTRACT, _definitions())
    assert found is not None
    yield found
    con.close()


def _kpi(pages: TeamPages, kpi_id: str):  # type: ignore[no-untyped-def]
    return next(k for k in pages.kpis if k.kpi.id == kpi_id)


def test_pages_for_each_service_area_and_team_with_a_figure(pages: TeamPages) -> None:
    # Service areas in the order a service is read, "no service area" last; teams by name
    # (F2 keeps its id), "Team not recorded" last. C1 has no figure: no page, but said.
    assert pages.services == ("front_door", "fieldwork", None)
    assert pages.teams == ("A1", "F2", "X9", "F1", None)
    assert [pages.team_title(t) for t in pages.teams] == [
        "<b>A&B</b>", "F2", "Projects", "Safeguarding Team 1", "Team not recorded",
    ]  # fmt: skip
    assert pages.empty_services == ("children_in_care",)
    assert pages.teams_in("fieldwork") == ["F2", "F1"]
    assert pages.teams_in(None) == ["X9", None]


def test_the_week_and_the_week_before_with_the_la_beside(pages: TeamPages) -> None:
    caseload = _kpi(pages, "caseload_avg")
    assert (caseload.grain, caseload.period_end, caseload.period) == (
        "week", SUNDAY, "at 31 March 2024",
    )  # fmt: skip
    # F1 228 / 10 = 22.8, the week before 220 / 10 = 22.0: +0.8. Fieldwork 358 / 18 = 19.89,
    # before 350 / 18 = 19.44: +0.44. The LA 425 / 23 = 18.478, before 417 / 23 = 18.130: +0.35.
    f1 = caseload.teams["F1"]
    assert (f1.numerator, f1.denominator, f1.value) == (228, 10, 22.8)
    assert f1.change == pytest.approx(0.8)
    assert caseload.services["fieldwork"].change == pytest.approx(8 / 18)
    assert caseload.la is not None and caseload.la.value == pytest.approx(425 / 23)
    assert caseload.la.change == pytest.approx(8 / 23)
    # A count: A1 5 against 3 the week before; the referral with no team 1 against none held
    # (0: the LA counted 3); fieldwork teams counted nothing (0, not recorded).
    referrals = _kpi(pages, "referrals_received")
    assert referrals.teams["A1"].change == 2
    assert referrals.teams[None].change == 1
    assert referrals.teams["F1"] == Figure(0.0, None, 0.0, 0.0, recorded=False)


def test_a_kpi_with_no_weekly_figure_by_team_shows_the_latest_period_before(
    pages: TeamPages,
) -> None:
    # February's month ends on 29 February, after the week ending 25 February; the 12 months to
    # 29 February end then too but the month is the finer grain. No weekly change.
    seen = _kpi(pages, "referral_seen_5wd_pct")
    assert (seen.grain, seen.period_start, seen.period_end) == (
        "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29),
    )  # fmt: skip
    assert seen.period == "1 February 2024 to 29 February 2024"
    # The LA's figure beside is February's too: 9 / 12 = 75.0% (not the week's).
    assert seen.la == Figure(9, 12, 75.0)
    assert seen.teams["F1"] == Figure(8, 10, 80.0)
    assert seen.teams["F1"].change is None


def test_period_labels_say_which_period_a_figure_is_for() -> None:
    by_id = {k.id: k for k in load_definitions()}
    start, end = dt.date(2024, 3, 1), dt.date(2024, 3, 31)
    assert by_id["caseload_avg"].kind == "snapshot"
    assert period_label(by_id["caseload_avg"], "month", start, end) == "at 31 March 2024"
    assert by_id["referral_rate_per_10k"].kind == "rolling"
    assert (period_label(by_id["referral_rate_per_10k"], "week", start, end)
            == "12 months to 31 March 2024")  # fmt: skip
    flow = by_id["referrals_received"]
    assert flow.kind == "flow"
    assert period_label(flow, "week", dt.date(2024, 3, 25), end) == "week ending 31 March 2024"
    assert period_label(flow, "month", start, end) == "1 March 2024 to 31 March 2024"


def test_against_the_la_is_true_for_the_figures_as_printed(pages: TeamPages) -> None:
    caseload = _kpi(pages, "caseload_avg")
    kpi, la = caseload.kpi, caseload.la
    assert kpi.polarity == "down"
    # 22.8 against 18.5 (425 / 23 = 18.478): higher, and a higher caseload is worse.
    assert against_la(kpi, caseload.teams["F1"], la) == "higher than the LA (worse)"
    assert against_la(kpi, caseload.teams["A1"], la) == "lower than the LA (better)"  # 10.0
    # X9 37 / 2 = 18.5 and the LA 18.478 both print 18.5: the same, as a reader sees them.
    assert against_la(kpi, caseload.teams["X9"], la) == "the same as the LA"
    neutral = dataclasses.replace(kpi, polarity="neutral")
    assert against_la(neutral, caseload.teams["F1"], la) == "higher than the LA"
    # A count is a part of the LA's: A1's 5 of 6 referrals is 83.3% of them.
    referrals = _kpi(pages, "referrals_received")
    assert against_la(referrals.kpi, referrals.teams["A1"], referrals.la) == "83.3% of the LA's"
    assert against_la(kpi, None, la) == ""
    assert against_la(kpi, Figure(1, 0, None), la) == ""


def test_teams_sentence_counts_the_teams_with_figures(pages: TeamPages) -> None:
    assert teams_sentence(pages, "fieldwork") == "2 teams with figures."
    assert teams_sentence(pages, "front_door") == "1 team with figures."
    # X9 and the records with no team: one team, and the records said apart.
    assert teams_sentence(pages, None) == (
        "1 team with figures, and records with no team (Team not recorded)."
    )


def test_nothing_by_team_gives_no_pages() -> None:
    con = duckdb.connect()
    warehouse.ensure_schema(con)
    ensure_kpi_schema(con)
    add_teams(con)
    no_team = [k for k in load_definitions() if "team" not in k.dimensions][:3]
    assert read_team_pages(con, LA, WEEK_START, EXTRACT, no_team) is None
    # Before the first period by team held (the week of 1 January 2024): none either.
    assert read_team_pages(con, LA, dt.date(2024, 1, 1), EXTRACT, _definitions()) is None


def _cells(row: str) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", cell))
        for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)
    ]


def _rows(page: str, caption: str) -> list[list[str]]:
    """The body rows of the table whose caption starts with ``caption``."""
    table = re.search(rf"<caption>{re.escape(caption)}.*?</table>", page)
    assert table, caption
    body = table.group(0).split("<tbody>")[1]
    return [_cells(r) for r in re.findall(r"<tr>(.*?)</tr>", body)]


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    con = test_clinic.tiny_warehouse()
    add_teams(con)
    written = clinic.write_clinic_pack(
        con, LA, WEEK_START, _definitions(), load_plans(), tmp_path_factory.mktemp("pack"),
        "run-1234567890", images=False,
    )  # fmt: skip
    return written.folder


def test_the_index_links_every_service_area_and_team_page(pack: Path) -> None:
    index = (pack / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="by-service">By service area and team</h2>' in index
    # At the top, before the long summary of every KPI: a manager goes to their team's page.
    assert index.index('id="by-service"') < index.index("Summary: variation and assurance")
    # Three KPIs recorded by team; one shows February, so the index says a period may differ.
    assert (
        "3 KPIs recorded by team, for each service area and team, with the LA&#x27;s figure "
        "beside: for the week ending 31 March 2024, or the latest period before it where a KPI "
        "has no figure by team for that week (each row says which period)."
    ) in index
    links = re.findall(r'href="((?:service|services|team|teams)-[^"]+)"', index)
    assert sorted(set(links)) == sorted(
        ["service-front_door.html", "service-fieldwork.html", "services-not-listed.html",
         "team-A1.html", "team-F1.html", "team-F2.html", "team-X9.html",
         "teams-not-recorded.html"]
    )  # fmt: skip
    for link in links:
        assert (pack / link).is_file(), link
    assert "No figure recorded by team in: Children in care." in index


def test_team_names_not_codes_and_escaped(pack: Path) -> None:
    for page in [*pack.glob("team*.html"), *pack.glob("service*.html"), pack / "index.html"]:
        text = page.read_text(encoding="utf-8")
        assert "<b>A&B</b>" not in text, page.name
    team = (pack / "team-A1.html").read_text(encoding="utf-8")
    assert "<h1>&lt;b&gt;A&amp;B&lt;/b&gt;</h1>" in team
    assert "<title>&lt;b&gt;A&amp;B&lt;/b&gt;: Performance clinic" in team
    fieldwork = (pack / "service-fieldwork.html").read_text(encoding="utf-8")
    # F1 is named; F2 has no name in the extract and keeps its id.
    assert '<a href="team-F1.html">Safeguarding Team 1</a>' in fieldwork
    assert '<a href="team-F2.html">F2</a>' in fieldwork
    assert ">F1<" not in fieldwork
    assert "<h1>Team not recorded</h1>" in (pack / "teams-not-recorded.html").read_text()
    # Internal, unsuppressed: the pack's marking on every page.
    assert fieldwork.count("OFFICIAL-SENSITIVE") == 2


def test_a_service_area_page_with_the_la_beside_and_its_teams(pack: Path) -> None:
    page = (pack / "service-fieldwork.html").read_text(encoding="utf-8")
    rows = _rows(page, "KPIs recorded by team: Fieldwork")
    # KPI, figures for, fieldwork, numerator, denominator, change, the LA, against the LA.
    # Caseload 358 / 18 = 19.9 (+0.44: +0.4), the LA 18.5; February 8 / 10 = 80.0% against
    # the LA's February 9 / 12 = 75.0%, no weekly change.
    # In the order of the KPI definitions.
    assert rows == [
        ["Referrals where the child was seen within 5 working days",
         "1 February 2024 to 29 February 2024", "80.0%", "8", "10", "–", "75.0%",
         "higher than the LA (better)"],
        ["Average caseload per social worker FTE", "at 31 March 2024", "19.9", "358", "18",
         "+0.4", "18.5", "higher than the LA (worse)"],
    ]  # fmt: skip
    # The teams: F2 130 / 8 = 16.25 -> 16.3 (half up); F1 22.8.
    teams = _rows(page, "KPIs recorded by team: the teams of Fieldwork")
    assert teams[1] == ["Average caseload per social worker FTE", "at 31 March 2024", "16.3",
                        "22.8", "19.9", "18.5"]  # fmt: skip
    assert "2 teams with figures." in page
    assert "Nothing recorded for this service area in the period: Referrals received." in page
    assert "shows the latest period the engine holds before it" in page


def test_a_team_page_with_its_service_area_and_the_la(pack: Path) -> None:
    page = (pack / "team-A1.html").read_text(encoding="utf-8")
    assert 'Service area: <a href="service-front_door.html">Front door (MASH)</a>.' in page
    rows = _rows(page, "KPIs recorded by team: &lt;b&gt;A&amp;B&lt;/b&gt;")
    # KPI, figures for, A1, numerator, denominator, change, front door, the LA, against.
    # Caseload 30 / 3 = 10.0, unchanged; referrals 5 (+2), 5 of the LA's 6 = 83.3%; February
    # 1 / 2 = 50.0% against 75.0%.
    assert rows == [
        ["Referrals where the child was seen within 5 working days",
         "1 February 2024 to 29 February 2024", "50.0%", "1", "2", "–", "50.0%", "75.0%",
         "lower than the LA (worse)"],
        ["Referrals received", "week ending 31 March 2024", "5", "5", "–", "+2", "5", "6",
         "83.3% of the LA's"],
        ["Average caseload per social worker FTE", "at 31 March 2024", "10.0", "30", "3",
         "no change", "10.0", "18.5", "lower than the LA (better)"],
    ]  # fmt: skip
    # A count is shown as a share of the LA's, and the page says so; fieldwork shows no count.
    share_note = "count (or rate per 10,000 of the LA&#x27;s children) is a part of the LA&#x27;s"
    assert share_note in page
    assert share_note not in (pack / "service-fieldwork.html").read_text(encoding="utf-8")
    unplaced = (pack / "team-X9.html").read_text(encoding="utf-8")
    assert "la.yaml service_areas does not list this team" in unplaced
    assert '<a href="services-not-listed.html">No service area</a>' in unplaced


def test_the_index_section_says_only_the_week_when_every_kpi_has_it(pages: TeamPages) -> None:
    weekly = dataclasses.replace(
        pages, kpis=tuple(k for k in pages.kpis if k.kpi.id != "referral_seen_5wd_pct")
    )
    section = clinic_teams_html.index_section(weekly)
    assert "for the week ending 31 March 2024 (each row says which period)." in section
    assert "latest period before it" not in section
    assert "2 KPIs recorded by team" in section


def _number(text: str) -> float:
    found = re.search(r"[−-]?[\d,]+(?:\.\d+)?", text)
    assert found, text
    return float(found.group(0).replace(",", "").replace("−", "-"))


@pytest.mark.parametrize("la", ["991", "992"])
def test_the_demo_pack_has_service_area_and_team_pages(demo_data: Path, la: str) -> None:
    pack = demo_data / "published" / la / "internal" / "clinic" / WEEK[la]
    index = (pack / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="by-service">By service area and team</h2>' in index
    assert (pack / "service-fieldwork.html").is_file()
    teams = sorted(pack.glob("team-*.html"))
    assert len(teams) >= 5  # at the test's small scale; every one linked from the index
    assert {p.name for p in teams} <= set(re.findall(r'href="(team-[^"]+)"', index))
    for page in teams:
        heading = re.search(r"<h1>(.*?)</h1>", page.read_text(encoding="utf-8").split("<main>")[1])
        assert heading and not re.fullmatch(r"T\d+", heading.group(1)), page.name  # a name
    # Every comparison with the LA is true for the two figures printed on its row.
    for page in [*teams, *pack.glob("service*.html")]:
        text = page.read_text(encoding="utf-8")
        caption = re.search(r"<caption>(KPIs recorded by team: [^<]*?), with the LA", text)
        if not caption:
            continue
        for row in _rows(text, caption.group(1)):
            mine, theirs, said = row[2], row[-2], row[-1]
            if said.startswith(("higher", "lower", "the same")):
                expected = (
                    "the same" if _number(mine) == _number(theirs)
                    else "higher" if _number(mine) > _number(theirs) else "lower"
                )  # fmt: skip
                assert said.startswith(expected), (page.name, row)
    if la == "992":
        # The LA's figure beside is the one its KPI page shows for the week: caseload 16.5.
        kpi_page = (pack / "caseload_avg.html").read_text(encoding="utf-8")
        latest = re.search(r"Latest week: <strong>([^<]+)</strong>", kpi_page)
        assert latest
        fieldwork = _rows((pack / "service-fieldwork.html").read_text(encoding="utf-8"),
                          "KPIs recorded by team: Fieldwork")  # fmt: skip
        caseload = next(r for r in fieldwork if r[0] == "Average caseload per social worker FTE")
        assert caseload[-2] == latest.group(1)


def test_page_file_names_are_safe_for_any_code() -> None:
    assert team_file("T07") == "team-T07.html"
    assert team_file(None) == "teams-not-recorded.html"
    assert service_file("front_door") == "service-front_door.html"
    assert service_file(None) == "services-not-listed.html"
    # A code with characters a file name or a link should not carry: cleaned, and told apart
    # from the plain code it would otherwise become.
    odd = team_file("../T 1/<x>")
    assert re.fullmatch(r"team-T-1-x-[0-9a-f]{8}\.html", odd), odd
    assert odd != team_file("T-1-x") and odd != team_file("../T 1/<y>")
