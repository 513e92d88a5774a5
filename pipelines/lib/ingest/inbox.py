"""The inbox: which LA folders and extract folders (deliveries) exist, and which are complete.

``<inbox>/<la_code>/la.yaml`` configures an LA; each ``<inbox>/<la_code>/<YYYY-MM-DD>/`` folder
is an extract, and its files, hashed together, make a *delivery*. Nothing here writes to the
warehouse: ``receive`` reads a delivery, ``stage`` types it.
"""

import datetime as dt
import hashlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.lib.la_config import ConfigError, LAConfig, load_la_config
from pipelines.lib.paths import link_outside

_DATE_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Marker files a sender may drop beside the tables (see the inbox sensor); never data.
MARKER_FILES = frozenset({"_ready", "_ready.txt", ".ds_store", "thumbs.db"})


@dataclass(frozen=True)
class ExtractFolder:
    la_code: str
    extract_date: dt.date
    path: Path


@dataclass
class InboxLA:
    """One LA's folder in the inbox: its configuration and extract folders, oldest first."""

    la_code: str
    path: Path
    config: LAConfig | None
    config_error: str | None
    extracts: list[ExtractFolder] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def folder_signature(folder: Path) -> str:
    """Names, sizes and modification times of a folder's files: changes whenever a file is
    added, replaced or still being written (cheap: no file is read)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def is_complete(folder: Path, quiet_seconds: float, now: float | None = None) -> bool:
    """A delivery is complete when the sender dropped a ``_READY`` marker in it, or when it has
    files and none changed for ``quiet_seconds`` (a copy still running keeps touching them)."""
    files = [p for p in folder.iterdir() if p.is_file()]
    if any(p.name.lower() in ("_ready", "_ready.txt") for p in files):
        return True
    data = [p for p in files if p.name.lower() not in MARKER_FILES and not p.name.startswith(".")]
    if not data:
        return False
    newest = max(max(p.stat().st_mtime for p in data), folder.stat().st_mtime)
    return (now if now is not None else time.time()) - newest >= quiet_seconds


def scan_la(inbox: Path, la_code: str, quiet_seconds: float | None = None) -> InboxLA:
    """The LA's configuration and extract folders. With ``quiet_seconds`` (runs started by the
    inbox sensor), folders not complete yet are left for a later run and said so."""
    la = _inbox_la(inbox, la_code)
    for child in sorted(la.path.iterdir()):
        if not child.is_dir() or child.name.startswith("."):
            continue
        if not _DATE_FOLDER.match(child.name):
            la.problems.append(
                f"{child}: not an extract folder (expected a YYYY-MM-DD name); ignored"
            )
            continue
        try:
            day = dt.date.fromisoformat(child.name)
        except ValueError:
            la.problems.append(f"{child}: '{child.name}' is not a real date; ignored")
            continue
        # A link out of the inbox (a folder, or a file in it) is never read.
        refused = [(p, link_outside(p, inbox)) for p in [child]]
        refused += [] if refused[0][1] else [(p, link_outside(p, inbox)) for p in child.iterdir()]
        la.problems += [f"{p}: a link to {t}, outside the inbox; refused (not read)"
                        for p, t in refused if t is not None]  # fmt: skip
        if refused[0][1]:
            continue
        if quiet_seconds is not None and not is_complete(child, quiet_seconds):
            la.problems.append(
                f"{child}: not complete yet (no _READY marker, and files changed in the last "
                f"{quiet_seconds:g} s); left for a later run"
            )
            continue
        la.extracts.append(ExtractFolder(la_code, day, child))
    la.extracts.sort(key=lambda e: e.extract_date)
    return la


def _inbox_la(inbox: Path, la_code: str) -> InboxLA:
    """The LA's folder with its configuration (or why it has none), no extract folders yet."""
    la_dir = inbox / la_code
    if not la_dir.is_dir():
        raise ConfigError(f"{la_dir}: no such LA folder in the inbox")
    try:
        config: LAConfig | None = load_la_config(la_dir)
        error = None
    except ConfigError as exc:
        config, error = None, str(exc)
    return InboxLA(la_code=la_code, path=la_dir, config=config, config_error=error)


def as_scanned(
    inbox: Path, la_code: str, folders: Sequence[str], problems: Sequence[str]
) -> InboxLA:
    """The LA as a scan before the run found it (``folders``, oldest first, and ``problems``):
    the folders are not listed again; ``la.yaml`` is read (parsed once per version of it)."""
    la = _inbox_la(inbox, la_code)
    la.extracts = [
        ExtractFolder(la_code, dt.date.fromisoformat(Path(f).name), Path(f)) for f in folders
    ]
    la.problems = list(problems)
    return la


def scan_inbox(inbox: Path, quiet_seconds: float | None = None) -> list[InboxLA]:
    if not inbox.is_dir():
        raise ConfigError(f"{inbox}: the inbox folder does not exist")
    return [
        scan_la(inbox, child.name, quiet_seconds)
        for child in sorted(inbox.iterdir())
        if child.is_dir() and not child.name.startswith(".")
    ]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def delivery(extract: ExtractFolder) -> tuple[list[Path], dict[str, str], str]:
    """An extract folder's files, their SHA-256, and the delivery id they make together."""
    files = sorted(
        f
        for f in extract.path.iterdir()
        if f.is_file()
        and f.name.lower() not in MARKER_FILES
        and not f.name.startswith(".")
        and link_outside(f, extract.path.parents[1]) is None
    )
    hashes = {f.name: sha256_file(f) for f in files}
    # The date is part of the delivery: the same files sent for two dates are two deliveries.
    fingerprint = hashlib.sha256(
        (extract.extract_date.isoformat() + "\n")
        .join([""] + [f"{n}:{h}\n" for n, h in sorted(hashes.items())])
        .encode()
    ).hexdigest()
    return files, hashes, fingerprint[:16]
