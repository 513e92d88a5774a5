"""Resources: the warehouse and the paths it and the inbox live at."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb

from pipelines.lib import paths, warehouse

# One connection at a time in this process. DuckDB refuses a read-only connection while the same
# process holds a writing one (and the other way round), and runs of this process may overlap:
# the command line draws one LA's clinic pack while the next LA's run goes on.
WAREHOUSE_GATE = threading.RLock()


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse and the inbox. Blank settings mean: ``CSC_DATA_DIR`` / ``CSC_INBOX``
    from the environment at run time, else ``data/`` in the project."""

    data_dir: str = ""
    inbox: str = ""
    # Set by the inbox sensor: extract folders must have a _READY marker or have been quiet this
    # long; -1 (a run started by hand) takes every folder as it is.
    quiet_seconds: float = -1

    @property
    def paths(self) -> paths.DataPaths:
        return paths.resolve_paths(self.data_dir or None, self.inbox or None).ensure()

    @contextmanager
    def connect(self, *, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        with WAREHOUSE_GATE, warehouse.connect(self.paths.warehouse, write=write) as con:
            if write:
                warehouse.ensure_schema(con)
            yield con


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"warehouse": Warehouse()})
