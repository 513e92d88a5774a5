"""The one place that decides where data lives.

Defaults sit under ``data/`` in the project; ``CSC_DATA_DIR`` moves the whole tree, and the
command line can override the inbox and data folder separately.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR_ENV = "CSC_DATA_DIR"
PUBLIC_FOLDER = "public"
INTERNAL_FOLDER = "internal"
INBOX_ENV = "CSC_INBOX"


@dataclass(frozen=True)
class DataPaths:
    """Where the inbox, warehouse and outputs are for one installation."""

    data_dir: Path
    inbox: Path

    @property
    def warehouse_dir(self) -> Path:
        return self.data_dir / "warehouse"

    @property
    def warehouse(self) -> Path:
        return self.warehouse_dir / "csc.duckdb"

    @property
    def published(self) -> Path:
        """Aggregate outputs, one folder per LA: ``public/`` may be made public (disclosure
        controlled), ``internal/`` is for internal meetings (marked OFFICIAL-SENSITIVE)."""
        return self.data_dir / "published"

    @property
    def restricted(self) -> Path:
        """Child-level outputs (worklists): never shared."""
        return self.data_dir / "restricted"

    @property
    def dagster_home(self) -> Path:
        return self.data_dir / "dagster_home"

    @property
    def locks(self) -> Path:
        """Lock files: one run at a time per LA (see ``pipelines.lib.locks``)."""
        return self.data_dir / "locks"

    def ensure(self) -> "DataPaths":
        for folder in (self.warehouse_dir, self.published, self.restricted):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def public_outputs(published: Path, la_code: str) -> Path:
    """An LA's outputs that may be made public: the scrutiny figures, after disclosure control."""
    return published / la_code / PUBLIC_FOLDER


def internal_outputs(published: Path, la_code: str) -> Path:
    """An LA's outputs for internal meetings (clinic pack, board and adviser reports): small
    numbers unsuppressed, every page and file marked OFFICIAL-SENSITIVE."""
    return published / la_code / INTERNAL_FOLDER


def default_data_dir() -> Path:
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env).expanduser().resolve() if env else PROJECT_ROOT / "data"


def resolve_paths(data_dir: str | Path | None = None, inbox: str | Path | None = None) -> DataPaths:
    """Paths from explicit arguments, else the environment, else the project defaults."""
    root = Path(data_dir).expanduser().resolve() if data_dir else default_data_dir()
    if inbox:
        inbox_path = Path(inbox).expanduser().resolve()
    elif os.environ.get(INBOX_ENV):
        inbox_path = Path(os.environ[INBOX_ENV]).expanduser().resolve()
    else:
        inbox_path = root / "inbox"
    return DataPaths(data_dir=root, inbox=inbox_path)


# An LA is named by its three-digit DfE LA code (the code EES and the DfE's returns join on).
_LA_CODE = re.compile(r"\d{3}")


def la_code_problem(name: str) -> str | None:
    """Why ``name`` cannot be an LA folder's name, or None when it is an LA code."""
    if _LA_CODE.fullmatch(name):
        return None
    shown = name if len(name) <= 40 else name[:40] + "..."
    return (
        f"{shown!r} is not an LA code (an LA folder is named by the LA's three-digit DfE code, "
        "e.g. 992)"
    )


def link_outside(path: Path, root: Path) -> Path | None:
    """Where ``path`` leads when it is a symbolic link (or lies under one) that leaves ``root``:
    such a file is never read (an inbox holds what was delivered, not links to elsewhere)."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):
        return path
    return None if target.is_relative_to(root.resolve()) else target
