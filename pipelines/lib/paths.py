"""The one place that decides where data lives.

Defaults sit under ``data/`` in the project; ``CSC_DATA_DIR`` moves the whole tree, and the
command line can override the inbox and data folder separately.
"""

import os
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
