"""The weekly performance-clinic pack: a static site per LA and week that opens from the file
system with no network.

``data/published/<la>/internal/clinic/<week>/`` (``<week>`` = the Monday the week starts) holds
``index.html`` (a summary of every KPI's SPC, then KPIs by notice area), one page per KPI with
its chart (XmR or run chart), its data as a table and a text description, ``all-charts.html``
(every chart on one page, for printing), ``charts/`` (PNG and SVG of every chart for papers),
``validation.html`` (the extract's validation report), ``service-*.html`` and ``team-*.html`` (a
page per service area and team, ``clinic_teams``) and ``assets/`` (one local copy of Vega,
Vega-Lite and vega-embed shared by every page).

The pack for a week uses the first extract (with KPIs computed) dated on or after the week's
Sunday, so the whole week was known; its weekly series stops at that Sunday and SPC limits are
computed from those points only, as the clinic saw them. A past week with no extract of its own
is restated from the next extract (the footer says so).

The pack is read (``clinic_read``), rendered as HTML (``clinic_html``) and charts
(``charts.xmr``), and written here, swapped in whole.
"""

import contextlib
import datetime as dt
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import vl_convert

from pipelines.lib.charts.caption import captioned, chart_caption
from pipelines.lib.charts.render import ChartRenderer
from pipelines.lib.charts.xmr import xmr_spec
from pipelines.lib.kpi.definitions import KpiDefinition
from pipelines.lib.kpi.targets import Plan
from pipelines.lib.paths import internal_outputs
from pipelines.lib.publish import clinic_html, clinic_teams_html, folders, marking, site, style
from pipelines.lib.publish.clinic_page import KpiPage, fmt_change, fmt_value
from pipelines.lib.publish.clinic_read import (
    PackContents,
    extract_for_week,
    read_clinic_pack,
    week_start,
)

# The pack's entry points, with the names the schedules, sensors and formatting tests use.
__all__ = [
    "ClinicPack",
    "PackContents",
    "extract_for_week",
    "fmt_change",
    "fmt_value",
    "read_clinic_pack",
    "render_clinic_pack",
    "week_start",
    "write_clinic_pack",
]

# The JavaScript bundle of the first pack this process wrote (see ``_write_bundle``).
_bundle: dict[str, str] = {}


def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one classic script that sets window globals (built by
    vl-convert from the versions it renders PNG and SVG with, so pages and images agree)."""
    if "js" not in _bundle:
        _bundle["js"] = vl_convert.javascript_bundle(None)  # type: ignore[arg-type]
    return _bundle["js"]


def _write_bundle(path: Path, renderer: ChartRenderer | None) -> None:
    """The bundle takes vl-convert seconds to build and holds the interpreter meanwhile: the
    first pack has a drawing helper build it (while the pages are built here); later packs of
    the same process copy it (kept after the pack is written, see ``_keep_bundle``)."""
    if "js" in _bundle or renderer is None:
        path.write_text(vega_bundle(), encoding="utf-8")
    else:
        renderer.submit_bundle(path)


def _keep_bundle(path: Path) -> None:
    if "js" not in _bundle and path.is_file():
        _bundle["js"] = path.read_text(encoding="utf-8")


def paper_spec(contents: PackContents, page: KpiPage, spec: dict[str, object]) -> dict[str, object]:
    """The spec of a chart's PNG and SVG for papers: its caption and the marking in the image."""
    provenance, days = contents.provenance, page.series["period_end"]
    caption = chart_caption(
        provenance.la_name, contents.la_code, page.kpi.label, "week", days[0], days[-1],
        contents.extract, provenance.generated_at.date(),
    )  # fmt: skip
    return marking.mark_chart_spec(captioned(spec, caption))


@dataclass(frozen=True)
class ClinicPack:
    folder: Path
    week: dt.date
    extract_date: dt.date
    charts: int
    kpis_shown: int


def write_clinic_pack(
    con: duckdb.DuckDBPyConnection,
    la_code: str,
    week: dt.date,
    definitions: Sequence[KpiDefinition],
    plans: dict[str, Plan],
    published_dir: Path,
    run_id: str,
    images: bool = True,
) -> ClinicPack:
    """Write the pack for ``week`` (its Monday), replacing that week's pack only when every page
    was written. Raises ``figures.NotPublishable`` when a blocking check of the extract it would
    show failed: the previous pack stays."""
    contents = read_clinic_pack(con, la_code, week, definitions, plans, run_id)
    return render_clinic_pack(contents, published_dir, images)


def render_clinic_pack(
    contents: PackContents, published_dir: Path, images: bool = True
) -> ClinicPack:
    """Write a pack read by :func:`read_clinic_pack` (with PNG and SVG unless ``images`` is
    false), replacing that week's pack only when every page was written."""
    la_code, week, extract = contents.la_code, contents.week, contents.extract
    provenance, la_plans, pages = contents.provenance, contents.la_plans, contents.pages
    week_end = week + dt.timedelta(days=6)
    title = f"Performance clinic: {provenance.la_name}, week ending {week_end:%d %B %Y}"
    restated = extract > week_end + dt.timedelta(days=6)
    footer = provenance.footer() + (
        f" Restated: no extract of the week itself had KPIs computed; figures are from the "
        f"extract of {extract:%d %B %Y}, cut at the week's end."
        if restated
        else ""
    )
    target_dir = internal_outputs(published_dir, la_code) / "clinic" / week.isoformat()
    with (
        folders.replacing(target_dir) as staging,
        ChartRenderer() if images else contextlib.nullcontext() as renderer,
    ):
        (staging / "assets").mkdir()
        (staging / "charts").mkdir()
        _write_bundle(staging / "assets" / "vega.js", renderer)
        specs: dict[str, dict[str, object]] = {}
        for page in pages:
            if page.unavailable or page.chart_type not in ("xmr", "run_chart"):
                continue
            drawn = specs[page.kpi.id] = xmr_spec(
                page.series,
                f"{page.kpi.label} (weekly)",
                page.kpi.unit,
                targets=page.targets,
                trajectory=page.trajectory,
                benchmarks=page.benchmarks,
                description=page.description(week_end),
            )
            if renderer is not None:  # drawn by the helper process while the pages are built
                charts = staging / "charts"
                renderer.submit(
                    paper_spec(contents, page, drawn),
                    charts / f"{page.kpi.id}.svg",
                    charts / f"{page.kpi.id}.png",
                )
        (staging / "assets" / "clinic.css").write_text(style.stylesheet(), encoding="utf-8")
        (staging / "assets" / "clinic.js").write_text(clinic_html.CLINIC_JS, encoding="utf-8")
        subtitle = (
            f"Weekly series to {week_end:%d %B %Y} from the extract of {extract:%d %B %Y}. "
            "SPC: Making Data Count XmR rules; targets from the LA's notice or plan."
        )
        banner = site.validation_note(provenance)
        teams = contents.teams
        teams_index = clinic_teams_html.index_section(teams) if teams else ""
        pages_html = {
            "index.html": clinic_html.index_page(
                title, subtitle, footer, pages, la_plans, banner, teams_index
            ),
            **{
                f"{page.kpi.id}.html": clinic_html.kpi_page(title, subtitle, footer, page, specs)
                for page in pages
            },
            "all-charts.html": clinic_html.all_charts_page(title, subtitle, footer, pages, specs),
            **(clinic_teams_html.page_files(teams, title, subtitle, footer) if teams else {}),
        }
        for name, text in pages_html.items():
            (staging / name).write_text(text, encoding="utf-8")
        report = internal_outputs(published_dir, la_code) / "validation" / f"{extract}.html"
        if report.is_file():
            shutil.copyfile(report, staging / "validation.html")
        else:
            (staging / "validation.html").write_text(
                clinic_html.missing_validation_page(footer), encoding="utf-8"
            )
        marking.mark_html_files(staging)  # internal: unsuppressed figures
    _keep_bundle(target_dir / "assets" / "vega.js")
    return ClinicPack(target_dir, week, extract, len(specs), sum(not p.unavailable for p in pages))
