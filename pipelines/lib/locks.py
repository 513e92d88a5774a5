"""Lock files that say who holds them: which process (pid, host, command), for what, since when.

Every lock of the installation (the warehouse's single writer, one run at a time per LA, the
creation of Dagster's storage, an output folder's swap) is an exclusive ``flock`` on a file,
released by the kernel when its process ends: a lock file left by a killed run is harmless. The
holder writes its description into the file, so a process that has to wait says what it waits
for, and for whom, every ``CSC_LOCK_REPORT_SECONDS`` (default 30 s), and gives up with a clear
message after its timeout.
"""

import datetime as dt
import fcntl
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import IO

TIMEOUT_ENV = "CSC_LOCK_TIMEOUT_SECONDS"
REPORT_ENV = "CSC_LOCK_REPORT_SECONDS"
DEFAULT_TIMEOUT_S = 3600.0
DEFAULT_REPORT_S = 30.0
POLL_S = 0.2


# What this process is doing ("the run of LA 992"), added to the description of any lock it takes.
ACTIVITY: ContextVar[str] = ContextVar("csc_lock_activity", default="")


class LockTimeout(TimeoutError):
    """A lock another process held for longer than this one would wait."""


def stderr(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def timeout_seconds(default: float = DEFAULT_TIMEOUT_S) -> float:
    return float(os.environ.get(TIMEOUT_ENV) or default)


def report_seconds() -> float:
    return float(os.environ.get(REPORT_ENV) or DEFAULT_REPORT_S)


def describe_self(purpose: str) -> str:
    """What this process writes into a lock it holds."""
    command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv else "python"
    since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    activity = f" for {ACTIVITY.get()}" if ACTIVITY.get() else ""
    return (
        f"{purpose}{activity} (pid {os.getpid()} on {socket.gethostname()}, "
        f"command `{command[:120]}`, since {since})"
    )


def holder(path: Path) -> str:
    """Who holds the lock at ``path``, as it wrote itself into the file."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    return text[:300] or "another process (it has not said which yet)"


class Held:
    """A lock this process holds until ``release`` (which a later thread may call)."""

    def __init__(self, path: Path, handle: IO[str]) -> None:
        self.path, self._handle = path, handle

    def release(self) -> None:
        if self._handle.closed:
            return
        self._handle.truncate(0)
        self._handle.flush()
        fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
        self._handle.close()


def acquire(
    path: Path,
    what: str,
    purpose: str,
    *,
    timeout_s: float | None = None,
    echo: Callable[[str], None] | None = None,
) -> Held:
    """Take the lock file ``path`` (``what`` names it in messages: "the warehouse", "LA 992").

    While another process holds it: say so at once and then every few seconds, and raise
    ``LockTimeout`` naming the holder after ``timeout_s`` (default ``CSC_LOCK_TIMEOUT_SECONDS``,
    else an hour)."""
    limit = timeout_seconds() if timeout_s is None else timeout_s
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        _acquire(handle.fileno(), path, what, limit, echo or stderr)
        handle.truncate(0)
        handle.write(describe_self(purpose) + "\n")
        handle.flush()
    except BaseException:
        handle.close()
        raise
    return Held(path, handle)


@contextmanager
def hold(
    path: Path,
    what: str,
    purpose: str,
    *,
    timeout_s: float | None = None,
    echo: Callable[[str], None] | None = None,
) -> Iterator[Held]:
    """``acquire`` for the length of a ``with`` block."""
    held = acquire(path, what, purpose, timeout_s=timeout_s, echo=echo)
    try:
        yield held
    finally:
        held.release()


def _acquire(fd: int, path: Path, what: str, limit: float, say: Callable[[str], None]) -> None:
    started = time.monotonic()
    next_report = started
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        waited = time.monotonic() - started
        if waited >= limit:
            raise LockTimeout(
                f"{what} is locked by {holder(path)}; gave up after waiting {waited:.0f} s "
                f"(lock file {path}; {TIMEOUT_ENV} sets how long to wait)"
            )
        if time.monotonic() >= next_report:
            first = next_report == started
            say(
                f"{'Waiting' if first else 'Still waiting'} for {what}: locked by "
                f"{holder(path)}; waited {waited:.0f} s of at most {limit:.0f} s"
            )
            next_report = time.monotonic() + report_seconds()
        time.sleep(min(POLL_S, max(limit - waited, 0.01)))
