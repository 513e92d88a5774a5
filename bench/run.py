"""Benchmark: how long each pipeline stage takes, and how much memory, as the volume grows.

For each ``--scale`` it generates one synthetic extract of one LA (the demo city's profile and
history, volumes multiplied by the scale), then runs each stage in its own process
(``bench/stages.py``: reference, ingest, staging, kpi, checks, publish), then the whole run as one
process (``csc-kpis run``, on a fresh data folder), and finally the demo end to end
(``csc-kpis demo``: two LAs, every output). It records wall time, CPU time and peak memory of
every process, writes ``bench/results.json`` with the targets met or missed, and draws
``bench/time_vs_scale.png``. A missed target is a finding, not an error: the exit code is 0
unless a process failed. See bench/README.md.

    .venv/bin/python bench/run.py --scales 1 10 50 [--with-150] [--keep]
"""

import argparse
import datetime as dt
import functools
import hashlib
import itertools
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.stages import STAGES  # noqa: E402

STAGES_SCRIPT = ROOT / "bench" / "stages.py"
DEFAULT_OUT = ROOT / "bench" / "results.json"
LA_CODE = "992"  # the demo city: its profile, history and plans
PACKAGES = ("duckdb", "polars", "pyarrow", "dagster", "great-expectations", "pandas", "altair")

# Targets (issue 6): on a 2-core machine.
DEMO_LIMIT_S = 60.0
KPI_LIMIT_S = 30.0
MEMORY_LIMIT_MB = 4096.0  # 4 GiB
TARGET_SCALE = 50.0
# "No worse than linear": between two scales s1 < s2, a time t2 passes when
# t2 <= LINEAR_SLACK * (s2 / s1) * max(t1, FIXED_OVERHEAD_S). Times under a second are fixed
# overheads (opening the warehouse, reading definitions) that say nothing about growth.
LINEAR_SLACK = 1.1
FIXED_OVERHEAD_S = 1.0


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


@dataclass
class Measured:
    """One process: wall and CPU seconds (CPU summed over its threads) and peak resident memory."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    other_cpu_s: float | None = None
    error: str | None = None


def machine_busy_s() -> float | None:
    """CPU seconds the whole machine has been busy since boot (Linux ``/proc/stat``)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def measure(command: list[str], log: Path, env: dict[str, str] | None = None) -> Measured:
    """Run a command to completion, its output to ``log``; ``wait4`` gives this process's own
    resource use (peak RSS of the process itself, not the sum of every child ever run)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        busy_before = machine_busy_s()
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        busy_after = machine_busy_s()
    cpu = usage.ru_utime + usage.ru_stime
    # CPU the rest of the machine used meanwhile: other work competing for the cores.
    other = None
    if busy_before is not None and busy_after is not None:
        other = round(max(busy_after - busy_before - cpu, 0.0), 1)
    process.returncode = os.waitstatus_to_exitcode(status)
    error = None
    if process.returncode != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-15:]
        error = f"exit code {process.returncode}: " + "\n".join(tail)
    return Measured(
        wall_s=round(wall, 3),
        cpu_s=round(cpu, 3),
        peak_rss_mb=round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
        returncode=process.returncode,
        other_cpu_s=other,
        error=error,
    )


def child_env(dagster_home: Path | None = None) -> dict[str, str]:
    """The environment for a measured process: no inherited data folder or inbox."""
    env = {k: v for k, v in os.environ.items() if k not in ("CSC_DATA_DIR", "CSC_INBOX")}
    if dagster_home is not None:
        env["DAGSTER_HOME"] = str(dagster_home)
    return env


def cli_command() -> list[str]:
    script = Path(sys.executable).with_name("csc-kpis")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "pipelines.cli"]


def folder_mb(path: Path) -> float:
    if not path.exists():
        return 0.0
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return round(total / 2**20, 1)


def git_state() -> dict[str, Any]:
    """The commit measured, and whether the pipeline code differed from it."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        except OSError:
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    changed = git("status", "--porcelain", "--", "pipelines", "kpi_definitions")
    diff = git("diff", "HEAD", "--", "pipelines", "kpi_definitions")
    return {
        "commit": git("rev-parse", "HEAD"),
        "uncommitted_pipeline_changes": None if changed is None else bool(changed),
        "pipeline_diff_sha1": hashlib.sha1((diff or "").encode()).hexdigest()[:12],
    }


def settings() -> dict[str, Any]:
    """Settings that change what is measured (DuckDB's memory cap, if the warehouse has one)."""
    from pipelines.lib import warehouse

    env = getattr(warehouse, "MEMORY_LIMIT_ENV", None)
    default = getattr(warehouse, "DEFAULT_MEMORY_LIMIT", None)
    return {
        "duckdb_memory_limit": (os.environ.get(env) if env else None) or default or "DuckDB default"
    }


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    memory_gb = None
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory_gb = round(pages / 2**30, 1)
    except (ValueError, OSError):
        pass
    cpu_model = None
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    versions: dict[str, str | None] = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cores": os.cpu_count(),
        "cpu": cpu_model,
        "memory_gb": memory_gb,
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "packages": versions,
    }


@functools.cache
def _history() -> tuple[dt.date, dt.date, str, str]:
    """The demo city's history, profile and name. Read in a child process: the benchmark's own
    process must stay small, because a child counts its parent's pages in its peak memory until
    it execs (importing the generator here would add ~80 MB to every measured process)."""
    code = (
        "import json; from pipelines.synthetic import DEMO_LAS; "
        f"la = next(la for la in DEMO_LAS if la.la_code == {LA_CODE!r}); "
        "print(json.dumps([la.start.isoformat(), la.end.isoformat(), la.profile, la.la_name]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    start, end, profile, name = json.loads(done.stdout)
    return dt.date.fromisoformat(start), dt.date.fromisoformat(end), profile, name


def generate(scale: float, inbox: Path, logs: Path) -> Measured:
    """One extract of the demo city at ``scale`` (the volume grows with the scale only)."""
    start, end, profile, name = _history()
    command = [
        *cli_command(), "generate", "--la-code", LA_CODE,
        "--from", start.isoformat(), "--to", end.isoformat(),
        "--scale", str(scale), "--profile", profile, "--extracts", "1",
        "--la-name", f"{name} x{scale:g}", "--out", str(inbox),
    ]  # fmt: skip
    return measure(command, logs / "generate.log", child_env())


def run_stage(stage: str, data_dir: Path, inbox: Path, logs: Path) -> dict[str, Any]:
    """One stage in its own process; its own report (steps, rows) merged in."""
    report_path = logs / f"{stage}.json"
    command = [
        sys.executable, str(STAGES_SCRIPT), stage, "--data-dir", str(data_dir),
        "--inbox", str(inbox), "--la-code", LA_CODE, "--report", str(report_path),
    ]  # fmt: skip
    result: dict[str, Any] = asdict(measure(command, logs / f"{stage}.log", child_env()))
    if report_path.is_file():
        report = json.loads(report_path.read_text())
        result.update({k: report[k] for k in ("import_s", "work_s", "steps", "rows")})
    return result


def run_whole(inbox: Path, data_dir: Path, logs: Path) -> Measured:
    """``csc-kpis run`` on a fresh data folder: every asset, Dagster included, one process."""
    env = child_env(data_dir / "dagster_home")
    env["CSC_DAGSTER_EPHEMERAL"] = "1"  # no run history written (it is not what we measure)
    command = [*cli_command(), "run", "--inbox", str(inbox), "--data-dir", str(data_dir)]
    return measure(command, logs / "run.log", env)


def run_demo(work: Path) -> dict[str, Any]:
    """``csc-kpis demo`` into a fresh folder, as ``make demo`` runs it (history written)."""
    data_dir = work / "demo"
    command = [*cli_command(), "demo", "--data-dir", str(data_dir)]
    measured = measure(command, work / "logs" / "demo.log", child_env(data_dir / "dagster_home"))
    return {**asdict(measured), "command": "csc-kpis demo --data-dir <fresh folder>"}


def bench_scale(scale: float, work: Path) -> dict[str, Any]:
    """Generate, then every stage, then the whole run, at one scale."""
    inbox, data_dir, logs = work / "inbox", work / "stages", work / "logs"
    say(f"\n== scale {scale:g}: generating one extract of LA {LA_CODE} ...")
    generated = generate(scale, inbox, logs)
    result: dict[str, Any] = {
        "scale": scale,
        "generate": asdict(generated),
        "inbox_mb": folder_mb(inbox),
        "stages": {},
    }
    if generated.error:
        say(f"   generation FAILED: {generated.error}")
        return result
    say(f"   {generated.wall_s:.1f} s, {result['inbox_mb']:,} MB of CSV")
    for stage in STAGES:
        measured = run_stage(stage, data_dir, inbox, logs)
        result["stages"][stage] = measured
        say(
            f"   {stage:<10} {measured['wall_s']:8.1f} s wall {measured['cpu_s']:8.1f} s CPU "
            f"{measured['peak_rss_mb']:8,.0f} MB"
        )
        if measured["error"]:
            say(f"   {stage} FAILED: {measured['error']}")
            skipped = list(STAGES[STAGES.index(stage) + 1 :])
            if skipped:
                result["skipped"] = {"stages": skipped, "reason": f"{stage} failed"}
            break
    result["warehouse_mb"] = folder_mb(data_dir / "warehouse")
    rows = result["stages"].get("staging", {}).get("rows", {})
    result["rows"] = {
        "extract_total": result["stages"].get("ingest", {}).get("rows", {}).get("raw_total"),
        "current": rows.get("current"),
        **{k: v for k, v in result["stages"].get("kpi", {}).get("rows", {}).items()},
    }
    shutil.rmtree(data_dir, ignore_errors=True)  # the whole run starts from nothing
    whole = run_whole(inbox, work / "run", logs)
    result["whole_run"] = asdict(whole)
    say(
        f"   {'whole run':<10} {whole.wall_s:8.1f} s wall {whole.cpu_s:8.1f} s CPU "
        f"{whole.peak_rss_mb:8,.0f} MB" + (f"  FAILED: {whole.error}" if whole.error else "")
    )
    return result


def error_headline(error: str | None) -> str | None:
    """The line of a failed process's output that says what went wrong."""
    if not error:
        return None
    lines = [line.strip() for line in error.splitlines() if line.strip()]
    for line in lines:
        if ("Error" in line or "Exception" in line or "FAILED" in line) and "File " not in line:
            return line[:300]
    return lines[0][:300] if lines else None


# --- targets --------------------------------------------------------------------------------


def series(scales: list[dict[str, Any]]) -> dict[str, list[tuple[float, float]]]:
    """Seconds against scale for each stage (time in the stage, without interpreter start-up
    and imports) and for the whole run (process wall time)."""
    out: dict[str, list[tuple[float, float]]] = {}
    for entry in sorted(scales, key=lambda e: e["scale"]):
        for stage, measured in entry.get("stages", {}).items():
            if measured.get("returncode") == 0 and "work_s" in measured:
                out.setdefault(stage, []).append((entry["scale"], measured["work_s"]))
        whole = entry.get("whole_run")
        if whole and whole["returncode"] == 0:
            out.setdefault("whole run", []).append((entry["scale"], whole["wall_s"]))
    return out


def unmeasured(scales: list[dict[str, Any]]) -> list[str]:
    """Points missing from the growth series: processes that failed or did not run."""
    missing = []
    for entry in sorted(scales, key=lambda e: e["scale"]):
        label = f"scale {entry['scale']:g}"
        for stage, measured in entry.get("stages", {}).items():
            if measured.get("returncode") != 0:
                missing.append(f"{stage} at {label} (failed)")
        for stage in entry.get("skipped", {}).get("stages", []):
            missing.append(f"{stage} at {label} (not run)")
        whole = entry.get("whole_run")
        if whole and whole["returncode"] != 0:
            missing.append(f"whole run at {label} (failed)")
    return missing


def growth_checks(points: list[tuple[float, float]]) -> list[dict[str, Any]]:
    """The linear-growth rule between each pair of consecutive scales."""
    checks = []
    for (s1, t1), (s2, t2) in itertools.pairwise(points):
        allowed = LINEAR_SLACK * (s2 / s1) * max(t1, FIXED_OVERHEAD_S)
        exponent = math.log(t2 / t1) / math.log(s2 / s1) if t1 > 0 and t2 > 0 else None
        checks.append(
            {
                "from_scale": s1,
                "to_scale": s2,
                "from_s": t1,
                "to_s": t2,
                "time_ratio": round(t2 / t1, 2) if t1 > 0 else None,
                "scale_ratio": round(s2 / s1, 2),
                "allowed_s": round(allowed, 2),
                "growth_exponent": round(exponent, 2) if exponent is not None else None,
                "met": t2 <= allowed,
            }
        )
    return checks


def evaluate_targets(
    scales: list[dict[str, Any]], demo: dict[str, Any] | None
) -> dict[str, dict[str, Any]]:
    """Each target with met true/false (null when what it needs was not measured)."""
    targets: dict[str, dict[str, Any]] = {}
    if demo is None:
        targets["demo_under_60s"] = {"met": None, "note": "the demo was not run (--no-demo)"}
    else:
        targets["demo_under_60s"] = {
            "met": demo["returncode"] == 0 and demo["wall_s"] < DEMO_LIMIT_S,
            "wall_s": demo["wall_s"],
            "limit_s": DEMO_LIMIT_S,
            "rule": "`csc-kpis demo` into a fresh folder (generation, two LAs, every output), "
            "process wall time",
        }
    at_target = next((e for e in scales if e["scale"] == TARGET_SCALE), None)
    kpi = at_target["stages"].get("kpi") if at_target else None
    if at_target is None or kpi is None:
        why = f"scale {TARGET_SCALE:g} was not run" if at_target is None else "kpi stage not run"
        targets["kpi_engine_scale50_under_30s"] = {"met": None, "note": why}
        targets["peak_memory_scale50_under_4gb"] = {"met": None, "note": why}
    else:
        targets["kpi_engine_scale50_under_30s"] = {
            "met": kpi["returncode"] == 0 and kpi["wall_s"] < KPI_LIMIT_S,
            "failed": error_headline(kpi.get("error")),
            "wall_s": kpi["wall_s"],
            "work_s": kpi.get("work_s"),
            "steps": kpi.get("steps"),
            "limit_s": KPI_LIMIT_S,
            "rule": "wall time of the kpi stage process (engine for the newest extract, status, "
            "SPC), interpreter start-up and imports included",
        }
        processes = dict(at_target["stages"])
        if at_target.get("whole_run"):
            processes["whole run"] = at_target["whole_run"]
        peaks = {name: m["peak_rss_mb"] for name, m in processes.items()}
        failed = [name for name, m in processes.items() if m["returncode"] != 0]
        targets["peak_memory_scale50_under_4gb"] = {
            "met": max(peaks.values()) < MEMORY_LIMIT_MB and not failed,
            "peak_rss_mb": max(peaks.values()),
            "by_process": peaks,
            "failed_processes": failed,
            "not_run": at_target.get("skipped", {}).get("stages", []),
            "limit_mb": MEMORY_LIMIT_MB,
            "rule": "largest peak resident memory of any process at scale 50 (each stage and "
            "the whole run; generating the data not counted)",
        }
    growth = {name: growth_checks(points) for name, points in series(scales).items()}
    growth = {name: checks for name, checks in growth.items() if checks}
    if not growth:
        targets["linear_growth"] = {"met": None, "note": "fewer than two scales measured"}
    else:
        failed = [
            f"{name} {c['from_scale']:g}->{c['to_scale']:g}"
            for name, checks in growth.items()
            for c in checks
            if not c["met"]
        ]
        targets["linear_growth"] = {
            "met": not failed,
            "missed": failed,
            "not_evaluated": unmeasured(scales),
            "rule": f"between consecutive scales s1 < s2: t2 <= {LINEAR_SLACK} x (s2/s1) x "
            f"max(t1, {FIXED_OVERHEAD_S:g} s); t is a stage's time in the stage (without "
            "interpreter start-up and imports) and the whole run's process wall time. "
            "growth_exponent = log(t2/t1) / log(s2/s1) (1 = linear) is shown for reading",
            "by_series": growth,
        }
    return targets


CONTENDED_SHARE = 0.25  # other work averaging a quarter of a core or more


def contention(scales: list[dict[str, Any]], demo: dict[str, Any] | None) -> dict[str, Any]:
    """How much other work shared the machine while each process ran. Wall times of a
    contended process are inflated; its CPU time much less so."""
    measured: list[tuple[str, dict[str, Any]]] = []
    for entry in scales:
        label = f"scale {entry['scale']:g}"
        if entry.get("generate"):
            measured.append((f"{label} generate", entry["generate"]))
        measured += [(f"{label} {name}", m) for name, m in entry.get("stages", {}).items()]
        if entry.get("whole_run"):
            measured.append((f"{label} whole run", entry["whole_run"]))
    if demo:
        measured.append(("demo", demo))
    contended = {
        name: round(m["other_cpu_s"] / m["wall_s"], 2)
        for name, m in measured
        if m.get("other_cpu_s") is not None
        and m["wall_s"] > 0
        and m["other_cpu_s"] / m["wall_s"] >= CONTENDED_SHARE
    }
    return {
        "rule": "other_cpu_s = CPU seconds the rest of the machine used while the process ran "
        f"(/proc/stat); a process is contended when other_cpu_s / wall_s >= {CONTENDED_SHARE}",
        "other_cpu_s_total": round(sum(m.get("other_cpu_s") or 0 for _, m in measured), 1),
        "contended": contended,
    }


# --- report ---------------------------------------------------------------------------------


def summary_table(scales: list[dict[str, Any]], demo: dict[str, Any] | None) -> str:
    """Wall s / CPU s / peak MB per process and scale, as plain text."""
    ordered = sorted(scales, key=lambda e: e["scale"])
    header = f"{'process':<12}" + "".join(
        f"{'scale ' + format(e['scale'], 'g'):>26}" for e in ordered
    )
    units = f"{'wall s':>10}{'CPU s':>8}{'peak MB':>8}"
    lines = [header, f"{'':<12}" + units * len(ordered)]
    for name in ("generate", *STAGES, "whole run"):
        cells = []
        for entry in ordered:
            if name == "generate":
                m = entry.get("generate")
            elif name == "whole run":
                m = entry.get("whole_run")
            else:
                m = entry.get("stages", {}).get(name)
            if not m:
                cells.append(f"{'-':>26}")
            elif m["returncode"] != 0:
                cells.append(f"{'FAILED':>26}")
            else:
                cells.append(f"{m['wall_s']:>10.1f}{m['cpu_s']:>8.1f}{m['peak_rss_mb']:>8,.0f}")
        lines.append(f"{name:<12}" + "".join(cells))
    if demo:
        lines.append(
            f"\ndemo end to end: {demo['wall_s']:.1f} s wall, {demo['cpu_s']:.1f} s CPU, "
            f"{demo['peak_rss_mb']:,.0f} MB peak"
        )
    return "\n".join(lines)


def target_lines(targets: dict[str, dict[str, Any]]) -> list[str]:
    lines = []
    for name, target in targets.items():
        verdict = {True: "MET", False: "MISSED", None: "NOT MEASURED"}[target["met"]]
        detail = target.get("note", "")
        if target.get("failed"):
            detail = f"FAILED after {target['wall_s']:.1f} s: {target['failed']}"
        elif "wall_s" in target:
            detail = f"{target['wall_s']:.1f} s (limit {target['limit_s']:g} s)"
        elif "peak_rss_mb" in target:
            detail = f"{target['peak_rss_mb']:,.0f} MB (limit {target['limit_mb']:,.0f} MB)"
            if target.get("failed_processes"):
                detail += "; failed: " + ", ".join(target["failed_processes"])
        elif target.get("missed"):
            detail = "super-linear: " + ", ".join(target["missed"])
        if target.get("not_evaluated"):
            detail += "; not evaluated: " + ", ".join(target["not_evaluated"])
        lines.append(f"  {verdict:<13}{name}: {detail}")
    return lines


def processes_of(entry: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The stage processes and the whole run of one scale, by name."""
    named = list(entry.get("stages", {}).items())
    if entry.get("whole_run"):
        named.append(("whole run", entry["whole_run"]))
    return named


def write_chart(scales: list[dict[str, Any]], path: Path) -> Path | None:
    """Log-log chart of seconds against scale, one line per stage and the whole run, with a
    dashed line of linear growth for reference."""
    import altair as alt
    import polars as pl
    import vl_convert

    points = [
        {"series": name, "scale": scale, "seconds": max(seconds, 0.01)}
        for name, values in series(scales).items()
        for scale, seconds in values
    ]
    if not points:
        return None
    frame = pl.DataFrame(points)
    measured = sorted(set(frame["scale"]))
    order = [s for s in (*STAGES, "whole run") if s in set(frame["series"])]
    x = alt.X(
        "scale:Q",
        scale=alt.Scale(type="log", domain=[measured[0], measured[-1]], nice=False),
        axis=alt.Axis(values=measured, format="~g"),
        title="scale (x the demo city's volume)",
    )
    y = alt.Y("seconds:Q", scale=alt.Scale(type="log"), title="seconds")
    colour = alt.Color("series:N", sort=order, title=None)
    lines = (
        alt.Chart(frame.to_pandas())
        .mark_line(point=True)
        .encode(x=x, y=y, color=colour, tooltip=["series", "scale", "seconds"])
    )
    layers: list[Any] = [lines]
    failures = [
        {"series": name, "scale": entry["scale"], "seconds": max(measured["wall_s"], 0.01)}
        for entry in scales
        for name, measured in processes_of(entry)
        if measured["returncode"] != 0
    ]
    if failures:
        # Where a process failed: its wall time when it stopped, marked with a cross.
        layers.append(
            alt.Chart(pl.DataFrame(failures).to_pandas())
            .mark_point(shape="cross", size=140, filled=True)
            .encode(x=x, y=y, color=colour, tooltip=["series", "scale", "seconds"])
        )
    whole = frame.filter(pl.col("series") == "whole run").sort("scale")
    if whole.height:
        first_scale, first_s = whole["scale"][0], whole["seconds"][0]
        top = frame["scale"].max()
        reference = pl.DataFrame(
            {"scale": [first_scale, top], "seconds": [first_s, first_s * top / first_scale]}
        )
        layers.append(
            alt.Chart(reference.to_pandas())
            .mark_line(strokeDash=[4, 4], color="grey")
            .encode(x=x, y=y)
        )
    chart = alt.layer(*layers).properties(
        width=520,
        height=340,
        title=alt.Title(
            "Time against scale (log-log)",
            subtitle="stages: time in the stage; whole run: process wall; dashed: linear growth; "
            "cross: the process failed",
        ),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(vl_convert.vegalite_to_png(chart.to_dict(validate=False), scale=2))
    return path


def measure_all(args: argparse.Namespace, argv: list[str] | None) -> dict[str, Any]:
    """Every scale, then the demo: the measurements, before any judging."""
    scales = sorted(set(args.scales + ([150.0] if args.with_150 else [])))
    work = Path(tempfile.mkdtemp(prefix="csc-bench-", dir=args.workdir))
    say(f"Benchmark in {work} (scales {', '.join(f'{s:g}' for s in scales)})")
    host = machine()
    code_at_start = git_state()
    load = os.getloadavg()[0]
    if load > 0.5:
        say(f"Note: the machine is already busy (load {load:.1f}); wall times will be inflated.")
    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    demo = None
    try:
        for scale in scales:
            results.append(bench_scale(scale, work / f"scale-{scale:g}"))
            if not args.keep:
                shutil.rmtree(work / f"scale-{scale:g}", ignore_errors=True)
        if not args.no_demo:
            say("\n== demo end to end (csc-kpis demo, two LAs, every output) ...")
            demo = run_demo(work)
            note = f"  FAILED: {demo['error']}" if demo["error"] else ""
            say(f"   {demo['wall_s']:.1f} s wall{note}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    start, end, profile, _ = _history()
    not_run: list[dict[str, Any]] = [
        {"scale": s, "reason": "not requested (--scales / --with-150)"}
        for s in (1.0, 10.0, 50.0, 150.0)
        if s not in scales
    ]
    not_run += [{"scale": e["scale"], **e["skipped"]} for e in results if "skipped" in e]
    return {
        "generated_at": dt.datetime.now().replace(microsecond=0).isoformat(),
        "command": "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "total_s": round(time.perf_counter() - started, 1),
        "machine": host,
        "code": code_at_start,
        "code_changed_during_run": git_state() != code_at_start,
        "settings": settings(),
        "la": {
            "la_code": LA_CODE,
            "profile": profile,
            "history": [start.isoformat(), end.isoformat()],
            "extracts_per_scale": 1,
        },
        "units": {
            "wall_s": "seconds",
            "cpu_s": "seconds (user + system, all threads, the process's children included)",
            "peak_rss_mb": "MiB: the largest resident set of the process or any of its children",
        },
        "scales": results,
        "not_run": not_run,
        "demo_end_to_end_s": demo["wall_s"] if demo else None,
        "demo": demo,
    }


def score(output: dict[str, Any]) -> dict[str, Any]:
    """Judge the measurements against the targets (again, with --rescore)."""
    output["targets"] = evaluate_targets(output["scales"], output["demo"])
    output["contention"] = contention(output["scales"], output["demo"])
    return output


def report(output: dict[str, Any], out: Path, chart: Path | None) -> int:
    """Print the summary; 1 when a process failed, else 0 (missed targets included)."""
    results, demo = output["scales"], output["demo"]
    say("\n" + summary_table(results, demo))
    say("\nTargets:")
    for line in target_lines(output["targets"]):
        say(line)
    if output.get("code_changed_during_run"):
        say(
            "\nWARNING: the pipeline code changed while the benchmark ran: the results mix "
            "versions. Run it again."
        )
    if output["contention"]["contended"]:
        say(
            "\nOther work shared the machine (wall times inflated; average cores used by it): "
            + ", ".join(f"{n} {share:g}" for n, share in output["contention"]["contended"].items())
        )
    say(f"\nResults: {out}" + (f"\nChart:   {chart}" if chart else ""))
    processes = [
        m
        for entry in results
        for m in [entry.get("generate"), *entry.get("stages", {}).values(), entry.get("whole_run")]
    ]
    failed = [m for m in [*processes, demo] if m and m["returncode"] != 0]
    if failed:
        say(f"\n{len(failed)} process(es) FAILED: see the errors in {out}")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0, 50.0])
    parser.add_argument("--with-150", action="store_true", help="add scale 150 (England's year)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results JSON")
    parser.add_argument("--chart", type=Path, default=None, help="PNG (default beside --out)")
    parser.add_argument("--keep", action="store_true", help="keep the generated data and logs")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo end to end")
    parser.add_argument("--workdir", type=Path, default=None, help="where temp data goes")
    parser.add_argument(
        "--rescore",
        action="store_true",
        help="measure nothing: judge the results already in --out again and redraw the chart",
    )
    args = parser.parse_args(argv)

    chart_path = args.chart or args.out.with_name("time_vs_scale.png")
    output = json.loads(args.out.read_text()) if args.rescore else measure_all(args, argv)
    output = score(output)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(output, indent=2, default=str) + "\n")
    chart = write_chart(output["scales"], chart_path)
    return report(output, args.out, chart)


if __name__ == "__main__":
    raise SystemExit(main())
