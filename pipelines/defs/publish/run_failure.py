"""A failed LA run's steps, read for the "not published" page (``lib/publish/not_published``).

The command line's run report and the daemon's run-failure sensor both report a failed run of
``refresh_la``; each reads its step failures here, so they judge a run the same way. A run the
command line started carries ``REPORTED_BY_CLI``: it reports the run itself, and the sensor
leaves it alone (when a daemon runs on the same data folder), so the page has one writer.
"""

from collections.abc import Iterable

import dagster as dg

from pipelines.defs.publish.assets import WORKLISTS_KEY
from pipelines.lib.publish.not_published import REFUSED_MARK, FailedStep

REPORTED_BY_CLI = {"csc_kpis/reported_by": "cli"}
# Steps whose failure leaves every published output as it was: the worklists are restricted.
UNPUBLISHED_STEPS = frozenset({WORKLISTS_KEY.to_python_identifier()})


def failed_steps(events: Iterable[dg.DagsterEvent]) -> list[FailedStep]:
    """The failed steps the published outputs depend on, each marked when it was an output that
    refused (and wrote the page itself)."""
    failed = []
    for event in events:
        if not event.is_step_failure or event.step_key in UNPUBLISHED_STEPS:
            continue
        user = event.step_failure_data.user_failure_data
        refused = user is not None and REFUSED_MARK in user.metadata
        failed.append(FailedStep(str(event.step_key), refused))
    return failed


def reported_by_cli(run: dg.DagsterRun) -> bool:
    return all(run.tags.get(key) == value for key, value in REPORTED_BY_CLI.items())
