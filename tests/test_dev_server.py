"""`make dev`: the Dagster UI answers on 127.0.0.1 only, and stops cleanly on SIGTERM, even when
a script started it in the background (which makes it ignore SIGINT, and Dagster then ignored
SIGTERM too)."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening_addresses(port: int) -> set[str]:
    """Local addresses listening on ``port`` (from /proc/net/tcp*, state 0A = LISTEN)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.rsplit(":", 1)
            if state == "0A" and int(port_hex, 16) == port:
                found.add(address)
    return found


def test_make_dev_serves_the_ui_on_loopback_and_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        "CSC_DATA_DIR": str(tmp_path),
    }
    # As a script does it: `make dev &` in a non-interactive shell, then SIGTERM to make alone.
    server = subprocess.Popen(
        [
            "sh",
            "-c",
            f'make --no-print-directory dev DEV_PORT={port} >/dev/null 2>&1 & echo "$!"; wait',
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    assert server.stdout is not None
    make_pid = int(server.stdout.readline())
    try:
        deadline, status = time.monotonic() + 120, None
        while time.monotonic() < deadline and status != 200:
            assert server.poll() is None, "make dev exited before the UI answered"
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/server_info", timeout=2
                ) as reply:
                    status = reply.status
            except OSError:
                time.sleep(1)
        assert status == 200
        # Bound to loopback only (127.0.0.1 is 0100007F in /proc/net/tcp), never 0.0.0.0.
        assert listening_addresses(port) == {"0100007F"}
    finally:
        os.kill(make_pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            raise AssertionError("make dev did not stop within 60 s of SIGTERM") from None
    # Every process it started (webserver, daemon, code server) is gone.
    deadline, leftover = time.monotonic() + 30, True
    while leftover and time.monotonic() < deadline:
        try:
            os.killpg(server.pid, 0)
            time.sleep(0.5)
        except ProcessLookupError:
            leftover = False
    assert not leftover, "processes of make dev were still running 30 s after SIGTERM"
    assert (tmp_path / "dagster_home" / "dagster.yaml").is_file()
