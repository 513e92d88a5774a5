"""The fault corpus: what a run does when the machine, not the data, goes wrong.

Each test plants one fault (a process killed at a bad moment, a lock held by another run, a full
disk, two runs at once, a half-copied folder) and checks the one-line message a user sees and
that nothing already written was lost. The quick ones drive the piece that meets the fault
directly (in a child process when the fault is a kill); whole runs are marked slow."""

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pipelines.lib import locks, paths
from pipelines.lib.publish import folders

ROOT = Path(__file__).resolve().parents[1]


def python(code: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """A child Python process running ``code`` (dedented) from the project root."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def write_output(folder: Path, text: str) -> None:
    folder.mkdir(parents=True)
    (folder / "board-report.html").write_text(text)


# --- a lock held by another run ---------------------------------------------------------------


HOLDER = """
    import sys, time
    from pathlib import Path
    from pipelines.lib import locks, paths
    with locks.hold(Path(sys.argv[1]), "LA 992", "the run of LA 992"):
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
"""


def test_a_held_lock_names_its_holder_while_waiting_and_on_giving_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock = tmp_path / "locks" / "la-992.lock"
    holder = python(HOLDER, str(lock), "30")
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        monkeypatch.setenv(locks.REPORT_ENV, "0.3")
        said: list[str] = []
        started = time.monotonic()
        with (
            pytest.raises(locks.LockTimeout) as caught,
            locks.hold(lock, "LA 992", "another run", timeout_s=1.0, echo=said.append),
        ):
            pass
        assert time.monotonic() - started < 5
        # Waiting is said at once and repeated, naming the run, its process, host and command.
        assert said[0].startswith("Waiting for LA 992: locked by the run of LA 992 (pid ")
        assert f"pid {holder.pid} on " in said[0] and "command `" in said[0] and "since " in said[0]
        assert len(said) >= 2 and said[1].startswith("Still waiting for LA 992")
        message = str(caught.value)
        assert "\n" not in message
        assert f"LA 992 is locked by the run of LA 992 (pid {holder.pid}" in message
        assert "gave up after waiting 1 s" in message and str(lock) in message
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_left_by_a_killed_run_is_free(tmp_path: Path) -> None:
    lock = tmp_path / "la-992.lock"
    holder = python(HOLDER, str(lock), "30")
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert "pid" in lock.read_text()  # its description stays in the file, harmlessly
    with locks.hold(lock, "LA 992", "the next run", timeout_s=2.0, echo=pytest.fail):
        assert "the next run" in lock.read_text()
    assert lock.read_text() == ""


# --- a crash in the middle of replacing an output ----------------------------------------------


SWAPPER = """
    import os, signal, sys
    from pathlib import Path
    from pipelines.lib.publish import folders
    target = Path(sys.argv[1])
    folders._exchange = lambda a, b: False  # a file system that cannot exchange two folders
    renames = []
    real_replace = os.replace
    def replace_then_die(source, destination):
        real_replace(source, destination)
        renames.append(destination)
        if len(renames) == 1:  # the old folder is moved aside; the new one is not in yet
            os.kill(os.getpid(), signal.SIGKILL)
    os.replace = replace_then_die
    with folders.replacing(target) as staging:
        (staging / "board-report.html").write_text("new")
"""


def test_a_crash_between_the_two_renames_of_a_swap_loses_no_output(tmp_path: Path) -> None:
    target = tmp_path / "992" / "board" / "monthly" / "2024-03"
    write_output(target, "old")
    crashed = python(SWAPPER, str(target))
    crashed.communicate(timeout=60)
    assert crashed.returncode == -signal.SIGKILL
    assert not target.exists()  # the moment the issue saw: the report missing
    staging, old = sorted(target.parent.iterdir())
    assert old.name.startswith(".old-2024-03-") and staging.name.startswith(".2024-03.pid")
    repaired = folders.clean_leftovers(tmp_path / "992")
    assert repaired == [
        f"{staging}: removed (left half-written by a run that stopped)",
        f"{target}: put back (a run stopped while replacing it)",
    ]
    assert (target / "board-report.html").read_text() == "old"
    assert sorted(p.name for p in target.parent.iterdir()) == ["2024-03"]


def test_the_next_swap_repairs_a_crashed_one_first(tmp_path: Path) -> None:
    target = tmp_path / "scrutiny" / "2024-03-24"
    write_output(target, "old")
    crashed = python(SWAPPER, str(target))
    crashed.communicate(timeout=60)
    with folders.replacing(tmp_path / "scrutiny" / "2024-03-31") as staging:
        (staging / "board-report.html").write_text("next week")
    assert (target / "board-report.html").read_text() == "old"
    assert sorted(p.name for p in target.parent.iterdir()) == ["2024-03-24", "2024-03-31"]


def test_a_swap_exchanges_the_folders_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "board" / "2024-03"
    write_output(target, "old")
    with folders.replacing(target) as staging:
        (staging / "board-report.html").write_text("new")
    assert (target / "board-report.html").read_text() == "new"
    assert os.listdir(target.parent) == ["2024-03"]


# --- two runs replacing the same output at once -----------------------------------------------


RACER = """
    import sys
    from pathlib import Path
    from pipelines.lib.publish import folders
    target = Path(sys.argv[1])
    if sys.argv[3] == "two-renames":  # a file system that cannot exchange two folders
        folders._exchange = lambda a, b: False
    for i in range(40):
        with folders.replacing(target) as staging:
            for n in range(5):
                (staging / f"file{n}.txt").write_text(sys.argv[2])
"""


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_two_runs_replacing_one_output_never_collide(tmp_path: Path, exchange: bool) -> None:
    target = tmp_path / "worklists" / "2024-03-24"
    how = "exchange" if exchange else "two-renames"
    racers = [python(RACER, str(target), name, how) for name in ("a", "b")]
    outputs = [racer.communicate(timeout=120)[0] for racer in racers]
    assert [racer.returncode for racer in racers] == [0, 0], outputs
    assert os.listdir(target.parent) == ["2024-03-24"]  # no stranded .old-* or staging folder
    texts = {(target / f"file{n}.txt").read_text() for n in range(5)}
    assert len(texts) == 1 and texts <= {"a", "b"}  # one run's whole folder, never a mix


# --- a run killed while writing an output ------------------------------------------------------


def test_half_written_folders_of_stopped_runs_are_removed_and_live_ones_kept(
    tmp_path: Path,
) -> None:
    worklists = tmp_path / "restricted" / "992" / "worklists"
    write_output(worklists / "2024-03-17", "last week")
    writer = python(
        """
        import os, sys
        from pathlib import Path
        from pipelines.lib.publish import folders
        with folders.replacing(Path(sys.argv[1])) as staging:
            (staging / "T1.xlsx").write_text("child-level rows")
            os.kill(os.getpid(), 9)
        """,
        str(worklists / "2024-03-24"),
    )
    writer.communicate(timeout=60)
    (legacy := worklists / ".2024-03-10-ab12cd34").mkdir()  # an earlier version's leftover
    live = worklists / f".2024-03-31.pid{os.getppid()}-x1y2z3w4"  # a run still writing
    live.mkdir()
    stranded = [p for p in worklists.iterdir() if p.name.startswith(".2024-03-24.pid")]
    assert len(stranded) == 1 and (stranded[0] / "T1.xlsx").exists()
    done = folders.clean_leftovers(tmp_path / "restricted" / "992")
    assert sorted(done) == sorted(
        f"{p}: removed (left half-written by a run that stopped)" for p in (legacy, stranded[0])
    )
    assert sorted(p.name for p in worklists.iterdir()) == [live.name, "2024-03-17"]
    assert (worklists / "2024-03-17" / "board-report.html").read_text() == "last week"


# --- a full disk ------------------------------------------------------------------------------


def test_a_full_disk_while_writing_an_output_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "published" / "992" / "scrutiny" / "2024-03-24"
    write_output(target, "old")

    def full(self: Path, *args: object, **kwargs: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))

    with pytest.raises(OSError) as caught, folders.replacing(target) as staging:
        monkeypatch.setattr(Path, "write_text", full)
        (staging / "scrutiny-figures.csv").write_text("x")
    monkeypatch.undo()
    assert caught.value.errno == errno.ENOSPC
    assert (target / "board-report.html").read_text() == "old"
    assert os.listdir(target.parent) == ["2024-03-24"]


# --- two first-ever runs at once on an empty data folder ---------------------------------------


OPENER = """
    import sys, time
    from pathlib import Path
    from pipelines import runner
    from pipelines.lib import paths
    data = Path(sys.argv[1])
    runner.use_data_dir(paths.resolve_paths(data, data / "inbox"))
    start = float(sys.argv[2])
    while time.time() < start:  # all open the history at the same moment
        time.sleep(0.005)
    runner.open_instance().get_runs(limit=1)
    print("opened", flush=True)
"""


def test_first_runs_at_once_on_an_empty_data_folder_all_open_the_run_history(
    tmp_path: Path,
) -> None:
    """Without the lock, two or three processes creating Dagster's SQLite history at once died
    with "table runs already exists" or alembic's "more than one head"."""
    start = str(time.time() + 12)  # after every process has imported Dagster
    env = {"CSC_DAGSTER_EPHEMERAL": ""}
    openers = [python(OPENER, str(tmp_path / "data"), start, env=env) for _ in range(3)]
    outputs = [opener.communicate(timeout=180)[0] for opener in openers]
    assert [opener.returncode for opener in openers] == [0, 0, 0], outputs
    assert all(out.strip().endswith("opened") for out in outputs)
    assert (tmp_path / "data" / "dagster_home" / "history" / "runs.db").is_file()


# --- a half-copied extract folder -------------------------------------------------------------


def test_a_half_copied_folder_is_left_alone_until_it_is_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dagster as dg

    from pipelines.defs.automation.sensors import inbox_sensor
    from pipelines.defs.resources import Warehouse
    from pipelines.lib import ingest
    from tests.conftest import PERSON_CSV, write_extract

    monkeypatch.setenv("CSC_INBOX_QUIET_SECONDS", "120")
    inbox = tmp_path / "inbox"
    folder = write_extract(inbox, "900", "2024-01-14", {"ssd_person": PERSON_CSV[:60]})
    context = dg.build_sensor_context(
        instance=dg.DagsterInstance.ephemeral(),
        resources={"warehouse": Warehouse(data_dir=str(tmp_path), inbox=str(inbox))},
    )
    result = inbox_sensor(context)
    assert not result.run_requests  # the copy may still be going on
    la = ingest.scan_la(inbox, "900", quiet_seconds=120)
    assert la.extracts == [] and la.problems == [
        f"{folder}: not complete yet (no _READY marker, and files changed in the last 120 s); "
        "left for a later run"
    ]
    (folder / "ssd_person.csv").write_text(PERSON_CSV.lstrip("\n"))
    (folder / "_READY").touch()
    assert [r.partition_key for r in inbox_sensor(context).run_requests] == ["900"]


# --- a full disk, as each part of a run meets it ----------------------------------------------


@pytest.fixture
def data_paths(tmp_path: Path) -> paths.DataPaths:
    return paths.resolve_paths(tmp_path / "data", tmp_path / "inbox").ensure()


@pytest.mark.parametrize(
    ("error", "place"),
    [
        # DuckDB writing the warehouse
        ('IO Error: Could not write file "{data}/warehouse/csc.duckdb.wal": No space left on '
         "device", "the warehouse ({data}/warehouse/csc.duckdb.wal)"),
        # Python writing an output
        ("OSError: [Errno 28] No space left on device: '{data}/published/992/board/x.xlsx'",
         "published outputs ({data}/published/992/board/x.xlsx)"),
        ("OSError: [Errno 28] No space left on device: '{data}/restricted/992/worklists/.t'",
         "restricted outputs ({data}/restricted/992/worklists/.t)"),
        # SQLite under Dagster's run history
        ("sqlite3.OperationalError: database or disk is full",
         "Dagster's run history ({data}/dagster_home)"),
    ],
)  # fmt: skip
def test_a_full_disk_is_named_in_one_line(
    data_paths: paths.DataPaths, error: str, place: str
) -> None:
    from pipelines import run_guard

    data = str(data_paths.data_dir)
    line = run_guard.explain(error.format(data=data), data_paths)
    assert line.startswith(f"No space left on device: {place.format(data=data)} is on a full disk")
    assert "\n" not in line and line.endswith("(the last good outputs stay in place)")


def test_a_broken_pipe_on_a_nearly_full_disk_is_the_full_disk(
    data_paths: paths.DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines import run_guard

    published = data_paths.published
    monkeypatch.setattr(run_guard, "free_bytes", lambda path: 4096 if path == published else 10**12)
    line = run_guard.explain("BrokenPipeError: [Errno 32] Broken pipe", data_paths)
    assert line.startswith(f"No space left on device: published outputs ({published})")
    monkeypatch.setattr(run_guard, "free_bytes", lambda path: 10**12)
    other = "KeyError: 'x'"
    assert run_guard.explain(other, data_paths) == other  # other errors are left as they are


def test_the_command_line_says_a_full_disk_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipelines import cli, runner

    data = tmp_path / "data"

    target = data / "published" / "992" / "index.html"

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(runner, "run_inbox", full)
    assert cli.main(["run", "--data-dir", str(data), "--inbox", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        f"csc-kpis run: No space left on device: published outputs ({target}) is on "
        f"a full disk ({run_guard_free(data)} MB free); free some space and run again (the last "
        "good outputs stay in place)\n"
    )
    assert "Traceback" not in captured.out + captured.err


def run_guard_free(data: Path) -> int:
    from pipelines import run_guard

    return run_guard.free_bytes(data / "published") // (1024 * 1024)


# --- a run that meets a lock held by another -------------------------------------------------


def test_a_run_meeting_a_held_warehouse_says_who_holds_it_and_gives_up_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipelines import cli
    from tests.conftest import PERSON_CSV, write_extract

    for key in ("DAGSTER_HOME", "CSC_DATA_DIR", "CSC_INBOX"):
        monkeypatch.setenv(key, str(tmp_path / "unused"))
    monkeypatch.setenv(locks.TIMEOUT_ENV, "3")
    monkeypatch.setenv(locks.REPORT_ENV, "1")
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    write_extract(inbox, "900", "2024-01-14", {"ssd_person": PERSON_CSV})
    lock = data / "warehouse" / "csc.duckdb.lock"
    holder = python(HOLDER.replace('"LA 992"', '"the warehouse"'), str(lock), "120")
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        started = time.monotonic()
        assert cli.main(["run", "--inbox", str(inbox), "--data-dir", str(data)]) == 1
        assert time.monotonic() - started < 90
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    waiting = f"Waiting for the warehouse {data / 'warehouse' / 'csc.duckdb'}: locked by the run "
    assert waiting + f"of LA 992 (pid {holder.pid} on " in err  # said at once, with who
    assert "Still waiting for the warehouse" in err  # and again while it waits
    last = err.strip().splitlines()[-1]
    assert last.startswith(
        "csc-kpis run: the working-day calendar could not be built: the warehouse "
    )
    assert f"is locked by the run of LA 992 (pid {holder.pid} on " in last
    assert "gave up after waiting 3 s" in last
    assert not (data / "published" / "900").exists()  # nothing was half done


# --- whole runs: killed at each phase, and two runs of one LA at once (slow) -------------------


def csc_kpis(inbox: Path, data: Path, *extra: str, ephemeral: bool = True) -> subprocess.Popen[str]:
    env = {**os.environ, "CSC_DAGSTER_EPHEMERAL": "1" if ephemeral else ""}
    for key in ("DAGSTER_HOME", "CSC_DATA_DIR", "CSC_INBOX"):
        env.pop(key, None)
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "csc-kpis"), "run", "--inbox", str(inbox),
         "--data-dir", str(data), *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip


def hidden_folders(data: Path) -> list[Path]:
    return [p for root in ("published", "restricted") for p in (data / root).rglob(".*")
            if p.is_dir()]  # fmt: skip


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder after a good run of LA 900's extract of 7 January, and an inbox holding
    the next week's extract too."""
    from tests.conftest import CONTACTS_CSV, PERSON_CSV, write_extract

    root = tmp_path_factory.mktemp("loaded")
    write_extract(root / "inbox", "900", "2024-01-07",
                  {"ssd_person": PERSON_CSV, "ssd_contacts": CONTACTS_CSV})  # fmt: skip
    run = csc_kpis(root / "inbox", root / "data")
    output = run.communicate(timeout=900)[0]
    assert run.returncode == 0, output
    more = CONTACTS_CSV + "K4,C1,2024-01-09,1A,Family member\n"
    write_extract(root / "inbox", "900", "2024-01-14",
                  {"ssd_person": PERSON_CSV, "ssd_contacts": more})  # fmt: skip
    return root


@pytest.mark.slow
@pytest.mark.parametrize("phase", ["reading", "staging", "KPIs computed", "publishing"])
def test_a_run_killed_at_any_phase_loses_nothing_and_the_next_run_recovers(
    loaded: Path, tmp_path: Path, phase: str
) -> None:
    import shutil

    from pipelines.lib import warehouse

    shutil.copytree(loaded, tmp_path / "copy")
    inbox, data = tmp_path / "copy" / "inbox", tmp_path / "copy" / "data"
    index = data / "published" / "900" / "index.html"
    pack = data / "published" / "900" / "internal" / "clinic" / "2024-01-01" / "index.html"
    before = {index: index.read_bytes(), pack: pack.read_bytes()}
    run = csc_kpis(inbox, data)
    assert run.stdout is not None
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if phase == "publishing":
            if hidden_folders(data):  # an output half written
                break
            time.sleep(0.05)
        elif phase in (run.stdout.readline() or "x"):
            break
        assert run.poll() is None, f"the run ended before {phase}"
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    # Nothing lost: the outputs published before are whole, the warehouse opens and its current
    # extract is the old one or the new one, never a mix.
    assert all(path.read_bytes() == content or path == index for path, content in before.items())
    assert index.is_file()
    with warehouse.connect(data / "warehouse" / "csc.duckdb") as con:
        current = con.execute("select distinct extract_date::varchar from current.ssd_contacts")
        assert current.fetchall() in ([("2024-01-07",)], [("2024-01-14",)])
    rerun = csc_kpis(inbox, data)
    output = rerun.communicate(timeout=900)[0]
    assert rerun.returncode == 0, output
    assert hidden_folders(data) == []  # what the killed run left is gone
    with warehouse.connect(data / "warehouse" / "csc.duckdb") as con:
        contacts = con.execute("select count(*) from current.ssd_contacts").fetchone()
    assert contacts == (4,)
    assert (
        data / "published" / "900" / "internal" / "clinic" / "2024-01-08" / "index.html"
    ).is_file()


@pytest.mark.slow
def test_two_runs_of_one_la_at_once_on_a_fresh_folder_both_complete(tmp_path: Path) -> None:
    from pipelines.lib import warehouse
    from tests.conftest import CONTACTS_CSV, PERSON_CSV, write_extract

    inbox, data = tmp_path / "inbox", tmp_path / "data"
    write_extract(inbox, "900", "2024-01-14",
                  {"ssd_person": PERSON_CSV, "ssd_contacts": CONTACTS_CSV})  # fmt: skip
    # Dagster's real run history (created by whichever run opens it first), as users run.
    runs = [csc_kpis(inbox, data, "--la", "900", ephemeral=False) for _ in range(2)]
    outputs = [run.communicate(timeout=1200)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    both = "\n".join(outputs)
    assert "Waiting for LA 900 (another run of it is going on): locked by the run of LA 900" in both
    assert "Errno" not in both and "Traceback" not in both
    assert hidden_folders(data) == []
    with warehouse.connect(data / "warehouse" / "csc.duckdb") as con:
        loaded = con.execute("select count(*) from meta.deliveries where status = 'loaded'")
        assert loaded.fetchone() == (1,)


def test_defect_lines_are_cut_at_200_and_say_how_many_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each line is already a summary per file, column and rule; past 200 of them the run says
    how many more lines there are and where the full list is."""
    from pipelines import run_guard
    from pipelines.lib import ingest

    monkeypatch.setattr(ingest, "issue_lines", lambda *a: [f"line {i}" for i in range(250)])
    lines = run_guard.defect_lines(None, "992", ["d1"])  # type: ignore[arg-type]
    assert lines[:200] == [f"line {i}" for i in range(200)] and len(lines) == 201
    assert lines[-1].startswith("... and 50 more lines; the full list is in stg.quarantine")
