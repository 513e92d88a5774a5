"""Writing an output folder so that readers see the old one or the new one, never half of
either, a failure leaves the old one in place, and a crash at any moment never leaves it missing.

The new folder is written beside the target, under a hidden name carrying the writer's pid
(``.<name>.pid<pid>-<random>``), then exchanged with the target in one atomic step
(``renameat2(RENAME_EXCHANGE)``), under a lock on the parent folder so two runs never swap the same
output at once. Where the file system cannot exchange, the old folder is first moved aside
(``.old-<name>-<random>/<name>``) and the new one renamed in; a crash between the two renames is
repaired by ``clean_leftovers``, which every swap and every run calls: it puts a moved-aside
folder back when its target is missing, and removes what crashed writers left behind.
"""

import ctypes
import errno
import fcntl
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_STAGING = re.compile(r"^\.(?P<name>.+)\.pid(?P<pid>\d+)-[a-z0-9_]{8}$")
_OLD = re.compile(r"^\.old-(?P<name>.+)-[a-z0-9_]{8}$")
# Staging folders of earlier versions carried no pid: any left is from a run long gone.
_LEGACY_STAGING = re.compile(r"^\.(?P<name>.+)-[a-z0-9_]{8}$")
# Folders this process is writing into right now (the clinic pack of one LA is drawn beside the
# next LA's run): never taken for a crashed writer's leftovers.
_ACTIVE: set[Path] = set()
_ACTIVE_GUARD = threading.Lock()

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when this system or file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextmanager
def _swap_lock(parent: Path) -> Iterator[None]:
    """The parent folder itself is the lock (``flock`` on a directory): no lock file appears
    among the outputs, and a swap takes milliseconds, so waiting for one needs no report."""
    fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def replace_folder(staging: Path, target: Path) -> None:
    """Move a fully written folder into place; the old one goes only once the new one is in."""
    with _swap_lock(target.parent):
        _clean(target.parent, keep=staging)
        if not target.exists():
            os.replace(staging, target)
            return
        if _exchange(staging, target):
            shutil.rmtree(staging, ignore_errors=True)  # now the old folder
            return
        old = Path(tempfile.mkdtemp(prefix=f".old-{target.name}-", dir=target.parent))
        os.replace(target, old / target.name)
        try:
            os.replace(staging, target)
        except BaseException:
            os.replace(old / target.name, target)
            raise
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """An empty folder beside ``target`` to write into; it replaces ``target`` when the block
    ends without an error, and is thrown away otherwise."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.pid{os.getpid()}-", dir=target.parent))
    with _ACTIVE_GUARD:
        _ACTIVE.add(staging)
    try:
        yield staging
        replace_folder(staging, target)
    finally:
        with _ACTIVE_GUARD:
            _ACTIVE.discard(staging)
        shutil.rmtree(staging, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process's own live folders are in _ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean(parent: Path, keep: Path | None = None) -> list[str]:
    """Repair and tidy one folder's hidden leftovers (the caller holds its swap lock)."""
    done = []
    for child in sorted(parent.iterdir()) if parent.is_dir() else []:
        old = _OLD.match(child.name)
        staging = _STAGING.match(child.name)
        if not child.is_dir() or not (old or staging or _LEGACY_STAGING.match(child.name)):
            continue
        if old:
            moved, target = child / old["name"], parent / old["name"]
            if moved.is_dir() and not target.exists():
                os.replace(moved, target)  # a swap that crashed half way: the old one comes back
                done.append(f"{target}: put back (a run stopped while replacing it)")
            shutil.rmtree(child, ignore_errors=True)
        else:
            with _ACTIVE_GUARD:
                if child in _ACTIVE or child == keep or (staging and _alive(int(staging["pid"]))):
                    continue
            shutil.rmtree(child, ignore_errors=True)
            done.append(f"{child}: removed (left half-written by a run that stopped)")
    return done


def clean_leftovers(root: Path) -> list[str]:
    """Under ``root`` (an LA's published or restricted folder): put back every output a crash
    left moved aside, and remove folders left half-written by runs that stopped. One line per
    repair, for the run's output."""
    if not root.is_dir():
        return []
    done = []
    parents = {root} | {p.parent for p in root.rglob(".*") if p.is_dir()}
    for parent in sorted(parents):
        if any(part.startswith(".") for part in parent.relative_to(root).parts):
            continue  # inside a folder being written or thrown away: handled with it
        if not any(c.is_dir() and _LEGACY_STAGING.match(c.name) for c in parent.iterdir()):
            continue
        with _swap_lock(parent):
            done += _clean(parent)
    return done
