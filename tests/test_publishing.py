"""What the demo publishes, end to end: every output for both LAs, no identifier under
published/, the board report's slow objectives, suppression in the scrutiny export, the clinic
pack drawn by a browser with no network, and gating when a later extract is broken."""

import csv
import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import duckdb
import openpyxl
import polars as pl
import pytest

from pipelines import cli
from pipelines.lib.kpi.definitions import load_definitions
from pipelines.lib.publish.disclosure import load_policy
from pipelines.synthetic import generate_la
from tests.conftest import DEMO_SCALE, copy_demo

NEWEST = {"991": dt.date(2011, 9, 25), "992": dt.date(2024, 3, 31)}
WEEK = {"991": "2011-09-19", "992": "2024-03-25"}


def query(root: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(root / "warehouse" / "csc.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.mark.parametrize("la", ["991", "992"])
def test_every_output_is_written_and_linked(demo_data: Path, la: str) -> None:
    published = demo_data / "published" / la
    pack = published / "internal" / "clinic" / WEEK[la]
    charts = {p.stem for p in (pack / "charts").glob("*.svg")}
    assert charts == {p.stem for p in (pack / "charts").glob("*.png")}
    assert len(charts) >= 50
    for kpi_id in charts:
        assert (pack / f"{kpi_id}.html").is_file()
    landing = (published / "index.html").read_text(encoding="utf-8")
    board = published / "internal" / "board" / "monthly"
    [month] = [p for p in board.iterdir() if not p.name.startswith(".")]
    adviser = published / "internal" / "board" / "adviser" / NEWEST[la].isoformat()
    for suffix in ("html", "xlsx", "docx"):
        assert (month / f"board-report-{month.name}.{suffix}").is_file()
        assert (adviser / f"adviser-report-{adviser.name}.{suffix}").is_file()
        assert f"{adviser.name}/adviser-report-{adviser.name}.{suffix}" in landing
    scrutiny = published / "public" / "scrutiny" / NEWEST[la].isoformat()
    assert (scrutiny / "scrutiny-figures.csv").is_file()
    assert (scrutiny / "scrutiny-figures.xlsx").is_file()
    worklists = demo_data / "restricted" / la / "worklists" / NEWEST[la].isoformat()
    assert list(worklists.glob("*.xlsx"))
    assert f'href="internal/clinic/{WEEK[la]}/index.html"' in landing
    assert "scrutiny/" in landing and "board/monthly/" in landing
    assert "worklists" not in landing.replace("worklists are restricted", "")
    assert not (published / "not-published.html").exists()
    # The pack links the validation report of the extract it shows.
    index = (pack / "index.html").read_text(encoding="utf-8")
    assert 'href="validation.html"' in index
    assert NEWEST[la].isoformat() in (pack / "validation.html").read_text(encoding="utf-8")


def _identifiers(root: Path) -> set[str]:
    rows = query(
        root,
        """select distinct pers_person_id from stg.ssd_person
           union select distinct prof_professional_id from stg.ssd_professionals
           union select distinct worker_id from stg.ext_worker_periods""",
    )
    return {str(r[0]) for r in rows if r[0]}


def _texts(folder: Path):  # type: ignore[no-untyped-def]
    for path in folder.rglob("*"):
        if not path.is_file() or path.suffix == ".png" or path.name == "vega.js":
            continue  # PNGs are drawn from the specs in the pages; vega.js is the library
        if path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as book:
                for name in book.namelist():
                    # What the workbook or document says (not its theme and style tables).
                    if re.match(r"(xl/(worksheets/.*|sharedStrings)|word/(document|header"
                                r"\d*|footer\d*))\.xml$", name):  # fmt: skip
                        yield f"{path}:{name}", book.read(name).decode("utf-8", "replace")
        else:
            yield str(path), path.read_text(encoding="utf-8", errors="replace")


def test_no_person_or_worker_identifier_is_published(demo_data: Path) -> None:
    ids = _identifiers(demo_data)
    assert len(ids) > 100
    # An identifier as a whole token (a CSV field, a table cell, a word), not the digits of a
    # decimal number.
    token = re.compile(r"(?<![\w.])(\w+)(?!\w|\.\d)")
    found = []
    for where, text in _texts(demo_data / "published"):
        hits = ids.intersection(token.findall(text))
        if hits:
            found.append((where, sorted(hits)[:5]))
    assert not found


def test_board_report_lists_the_planted_slow_objectives(demo_data: Path) -> None:
    labels = {k.id: k.label for k in load_definitions()}
    [folder] = (demo_data / "published" / "992" / "internal" / "board" / "monthly").glob("2024-*")
    page = (folder / f"board-report-{folder.name}.html").read_text(encoding="utf-8")
    document = docx.Document(str(folder / f"board-report-{folder.name}.docx"))
    words = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    book = openpyxl.load_workbook(folder / f"board-report-{folder.name}.xlsx", read_only=True)
    sheet_text = "\n".join(
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
    )
    # The city's planted stories: return home interviews and 21+ pathway plans slow to progress.
    for kpi_id in ("rhi_72h_pct", "care_leavers_21plus_pa_pct"):
        assert labels[kpi_id] in page
        assert labels[kpi_id] in words
        assert labels[kpi_id] in sheet_text
    slow = page.lower().index("slow to progress")
    assert page.index(labels["rhi_72h_pct"]) > slow


def test_adviser_report_opens_with_progress_since_the_last_report(demo_data: Path) -> None:
    # The demo writes one adviser report per LA (no earlier one): since six weeks before.
    adviser = demo_data / "published" / "992" / "internal" / "board" / "adviser"
    assert [p.name for p in adviser.iterdir()] == ["2024-03-31"]
    page = (adviser / "2024-03-31" / "adviser-report-2024-03-31.html").read_text(encoding="utf-8")
    since = page.index("<h2>Since the last report (18 February 2024)</h2>")
    assert (
        "No earlier adviser report is published for the LA, so the last report is taken to be six "
        "weeks before this one (18 February 2024)." in page
    )
    assert since < page.index("<h2>Summary</h2>")
    assert " in January 2024 to " in page and "Contributions to strengthen" in page
    commentary = demo_data / "commentary" / "992" / "adviser-report-2024-03-31.yaml"
    assert "care_leavers_21_plus:" in commentary.read_text(encoding="utf-8")
    [month] = (demo_data / "published" / "992" / "internal" / "board" / "monthly").glob("2024-*")
    board = (month / f"board-report-{month.name}.html").read_text(encoding="utf-8")
    assert "Since the last report" not in board


def test_a_run_writes_no_adviser_report_and_the_next_report_is_since_the_last_written(
    demo_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = copy_demo(demo_data, tmp_path, monkeypatch)
    monkeypatch.setenv("CSC_DAGSTER_EPHEMERAL", "1")
    adviser = copy / "published" / "992" / "internal" / "board" / "adviser"
    # Six weeks later the city's next extract: its run writes the board report, not the
    # adviser's (weekly extracts in between would write none either).
    later = tmp_path / "later"
    [extract] = generate_la("992", dt.date(2021, 4, 1), dt.date(2024, 5, 12), later,
                            scale=DEMO_SCALE, profile="city", n_extracts=1)  # fmt: skip
    shutil.copytree(extract.path, copy / "inbox" / "992" / "2024-05-12")
    run = ["run", "--inbox", str(copy / "inbox"), "--data-dir", str(copy), "--la", "992"]
    assert cli.main(run) == 0
    assert [p.name for p in adviser.iterdir()] == ["2024-03-31"]
    # Asked for, it is dated by the new extract and compares with the report written before.
    assert cli.main(["adviser", "--la", "992", "--data-dir", str(copy)]) == 0
    page = (adviser / "2024-05-12" / "adviser-report-2024-05-12.html").read_text(encoding="utf-8")
    assert "<h2>Since the last report (31 March 2024)</h2>" in page
    assert (
        "The last report is the adviser report of 31 March 2024, the newest published for the LA "
        "before this one." in page
    )
    # March 2024 (the last whole month on 31 March) against April 2024 (on 12 May).
    assert " in March 2024 to " in page and " in April 2024" in page
    assert cli.main(["adviser", "--la", "993", "--data-dir", str(copy)]) == 2


def _small_counts(path: Path, exempt: set[str]) -> list[tuple[str, str, str]]:
    """Cells of count columns showing a count the policy suppresses (1 to 5 by default)."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows, path
    columns = [c for c in rows[0] if c.endswith(("numerator", "denominator"))]
    columns += ["value", "last_year_value"]
    found = []
    for row in rows:
        if row["kpi_id"] in exempt and row.get("team", "All teams").startswith("All teams"):
            continue
        for column in columns:
            if column.endswith("value") and row["unit"] != "count":
                continue
            cell = row[column]
            if cell not in ("", "c", "z", "x", "low") and load_policy().is_small(float(cell)):
                found.append((row["kpi_id"], column, cell))
    return found


@pytest.mark.parametrize("la", ["991", "992"])
def test_scrutiny_export_suppresses_small_counts(demo_data: Path, la: str) -> None:
    folder = demo_data / "published" / la / "public" / "scrutiny" / NEWEST[la].isoformat()
    # Only what the policy exempts (nothing by default) may show 1 to 5, at LA level.
    exempt = set(load_policy().exempt_kpis)
    assert not _small_counts(folder / "scrutiny-figures.csv", exempt)
    assert not _small_counts(folder / "scrutiny-by-team.csv", exempt)
    with (folder / "scrutiny-by-team.csv").open(encoding="utf-8") as handle:
        text = handle.read()
    assert ",c," in text  # the demo's small teams do get suppressed
    book = openpyxl.load_workbook(folder / "scrutiny-figures.xlsx", read_only=True)
    assert "Notes" in book.sheetnames


# --- the clinic pack in a browser -----------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _render(page: Path, profile: Path) -> str:
    """The page's DOM after its scripts ran, in headless Chromium with no network."""
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--disable-sync", f"--user-data-dir={profile}",
        # Belt and braces: any request that leaves the machine goes to a closed port.
        "--proxy-server=http://127.0.0.1:9", "--virtual-time-budget=30000",
        "--dump-dom", page.as_uri(),
    ]  # fmt: skip
    if shutil.which("unshare") and os.geteuid() == 0:
        command = ["unshare", "--net", "--", *command]  # no network interface at all
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("la", ["991", "992"])
def test_clinic_pack_renders_every_chart_offline(demo_data: Path, la: str, tmp_path: Path) -> None:
    pack = demo_data / "published" / la / "internal" / "clinic" / WEEK[la]
    for html_file in pack.glob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert not re.search(r"<(script|link)\b[^>]*(src|href)=[\"']?https?://", text), html_file
        assert "cdn." not in text, html_file
    expected = len(list((pack / "charts").glob("*.svg")))
    dom = _render(pack / "all-charts.html", tmp_path / "profile-all")
    body = re.search(r"<body[^>]*>", dom)
    assert body, dom[:500]
    attributes = dict(re.findall(r'data-charts-(\w+)="(\d+)"', body.group(0)))
    assert attributes == {"rendered": str(expected), "failed": "0", "total": str(expected)}
    assert dom.count('class="marks"') >= expected  # vega-embed's SVG, one per chart
    # A single KPI page draws on its own too.
    first = sorted((pack / "charts").glob("*.svg"))[0].stem
    dom = _render(pack / f"{first}.html", tmp_path / "profile-one")
    assert 'data-charts-rendered="1"' in dom and 'data-charts-failed="0"' in dom


def test_a_broken_table_withholds_its_kpis_and_the_rest_publish(
    demo_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = copy_demo(demo_data, tmp_path, monkeypatch)
    published = copy / "published" / "992"
    # A week later the city delivers an extract whose CP plans all end before they start:
    # readable, so it is staged, but the plans' blocking suite fails.
    later = tmp_path / "later"
    [extract] = generate_la("992", dt.date(2021, 4, 1), dt.date(2024, 4, 7), later,
                            scale=DEMO_SCALE, profile="city", n_extracts=1)  # fmt: skip
    plans = extract.path / "ssd_cp_plans.csv"
    frame = pl.read_csv(plans, infer_schema=False)
    frame = frame.with_columns(
        pl.when(pl.col("cppl_cp_plan_end_date").is_not_null())
        .then(pl.lit("2000-01-01"))
        .alias("cppl_cp_plan_end_date")
    )
    frame.write_csv(plans)
    shutil.copytree(extract.path, copy / "inbox" / "992" / extract.extract_date.isoformat())
    assert cli.main(["run", "--inbox", str(copy / "inbox"), "--data-dir", str(copy),
                     "--la", "992"]) == 3  # fmt: skip
    # Published from the new extract, the plans' KPIs withheld with the last good values.
    assert not (published / "not-published.html").exists()
    notice = (published / "withheld.html").read_text(encoding="utf-8")
    assert "stg/ssd_cp_plans" in notice and "31 March 2024" in notice
    assert 'href="withheld.html"' in (published / "index.html").read_text(encoding="utf-8")
    pack = (published / "internal" / "clinic" / "2024-04-01" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "stg/ssd_cp_plans" in pack
    newest = query(copy, "select max(extract_date)::varchar from kpi.kpi_runs where la_code='992'")
    assert newest == [("2024-04-07",)]
    same = query(
        copy,
        """select count(*) = 0 from (
               (select kpi_id, grain, period_end, value from kpi.kpi_values
                where la_code = '992' and extract_date = '2024-04-07' and kpi_id = 'cp_plans_open'
                except select kpi_id, grain, period_end, value from kpi.kpi_values
                where la_code = '992' and extract_date = '2024-03-31' and kpi_id = 'cp_plans_open'))""",
    )
    assert same == [(True,)]
