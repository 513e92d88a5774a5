"""The LA's "not published" page (``published/<la>/not-published.html``): what it says, and who
writes it when. This module is the page's one writer.

Three things keep an LA's newest extract from its outputs. Each is one kind of reason, and each
has one caller that writes the page:

- ``Refused``: the blocking checks of what an output shows failed (``figures.NotPublishable``).
  Written by the publish step that refused, which knows exactly which checks its figures rest
  on, and only for the LA's newest delivery: a past week backfilled from an older extract says
  nothing about what is published now.
- ``Rejected``: a delivery was rejected as delivered (a file unreadable, a required column
  missing), so the run stopped before any output was judged.
- ``StepFailed``: a step the published outputs depend on stopped with an error.

The last two are written after the run by what reports it: ``run_report`` for ``csc-kpis run``,
the daemon's run-failure sensor for the runs the daemon started (``after_failed_run``). A step
that refuses also fails its run; the reporter then finds the refusal among the failed steps and
leaves the step's page as it is, so the page is written once, with the refusal's precise words,
never overwritten with a vaguer account of the same failure.

A later publication from the newest delivery removes the page (``site.clear_not_published``).
"""

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.lib.paths import INTERNAL_FOLDER
from pipelines.lib.publish import site
from pipelines.lib.publish.figures import NotPublishable, la_name
from pipelines.lib.warehouse import current_extract

# The metadata key a publish step's failure carries when it refused (and wrote the page), so
# that the run's reporter knows not to write it again.
REFUSED_MARK = "not_published_page"


@dataclass(frozen=True)
class Refused:
    """The blocking checks of what an output shows failed."""

    extract_date: dt.date
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Rejected:
    """Deliveries rejected as delivered, since the current extract: (extract date, why)."""

    deliveries: tuple[tuple[dt.date, str], ...]


@dataclass(frozen=True)
class StepFailed:
    """Steps the published outputs depend on stopped with an error, in a run of ``extract_date``
    (the LA's newest delivery)."""

    steps: tuple[str, ...]
    extract_date: dt.date | None


Reason = Refused | Rejected | StepFailed


@dataclass(frozen=True)
class FailedStep:
    """A failed step of a run, as its reporter saw it: ``refused`` when it was an output that
    refused (it wrote the page itself)."""

    step: str
    refused: bool


def newest_delivery(con: duckdb.DuckDBPyConnection, la_code: str) -> dt.date | None:
    """The date of the LA's newest delivery that was loaded or rejected."""
    row = con.execute(
        """select max(extract_date) from meta.deliveries
           where la_code = ? and status in ('loaded', 'rejected')""",
        [la_code],
    ).fetchone()
    return row[0] if row else None


def _e(text: object) -> str:
    return html.escape(str(text))


def _extract(extract_date: dt.date | None, capital: bool = False) -> str:
    # Not str.capitalize(): that would lower-case the month too ("21 january").
    the = "The" if capital else "the"
    return f"{the} extract of {extract_date:%d %B %Y}" if extract_date else f"{the} newest extract"


def _validation_link(published_dir: Path, la_code: str, extract_date: dt.date | None) -> str:
    if extract_date is None:
        return ""
    report = f"{INTERNAL_FOLDER}/validation/{extract_date.isoformat()}.html"
    if not (published_dir / la_code / report).is_file():
        return ""
    return f'<p>Details, by file, row and column: <a href="{report}">validation report</a>.</p>'


def compose(reason: Reason, published_dir: Path, la_code: str, name: str, now: dt.datetime) -> str:
    """The page's body for ``reason``: a banner with what happened and why, then what stays and
    what to do."""
    who = f"{_e(name)} ({_e(la_code)})"
    if isinstance(reason, StepFailed):
        steps = ", ".join(f"<code>{_e(s)}</code>" for s in reason.steps)
        banner = (
            "<p><strong>Not published: a run stopped with an error.</strong> The run of "
            f"{_e(_extract(reason.extract_date))} for {who} failed in {steps}, so it did not "
            "make the outputs that depend on what failed. The run's log says what went "
            "wrong (the <code>csc-kpis run</code> output, or the run in Dagster's UI).</p>"
        )
        advice = (
            f"Put the fault right and run the LA again (<code>csc-kpis run --la {_e(la_code)}"
            "</code>); a run that publishes removes this page."
        )
        extract_date = reason.extract_date
    else:
        if isinstance(reason, Refused):
            extract_date = reason.extract_date
            items = reason.reasons
        else:
            extract_date = reason.deliveries[-1][0] if reason.deliveries else None
            items = tuple(f"extract {day} was rejected: {why}" for day, why in reason.deliveries)
        listed = "".join(f"<li>{_e(r)}</li>" for r in items) or "<li>no reason recorded</li>"
        banner = (
            "<p><strong>Not published: validation failed.</strong> "
            f"{_e(_extract(extract_date, capital=True))} for {who} did not pass its blocking "
            "checks, so no clinic pack, board report or scrutiny export was made from it.</p>"
            f"<ul>{listed}</ul>"
        )
        advice = (
            "Correct the extract and deliver it again (same date or a new one); the next run "
            "publishes it once its checks pass."
        )
    return (
        f'<div class="banner failed">{banner}</div>'
        f"{_validation_link(published_dir, la_code, extract_date)}"
        "<p>The outputs published before stay in place and are listed on the "
        f'<a href="index.html">LA page</a>. {advice}</p>'
        f'<p class="muted">Written {now:%d %B %Y %H:%M}.</p>'
    )


def write(published_dir: Path, la_code: str, name: str, reason: Reason) -> Path:
    """Write the page for ``reason`` and show it first on the LA's landing page."""
    path = published_dir / la_code / site.NOT_PUBLISHED
    body = compose(reason, published_dir, la_code, name, dt.datetime.now())
    site.write_page(path, site.page(f"Not published: {name} ({la_code})", body))
    site.write_la_index(published_dir, la_code, name)
    return path


def after_refusal(
    published_dir: Path,
    la_code: str,
    name: str,
    refused: NotPublishable,
    newest: dt.date | None,
) -> Path | None:
    """The publish step's call when its output refused: the page, when the refusal is about the
    LA's newest delivery (``newest``); None otherwise (nothing to say about what is published)."""
    if refused.extract_date is None:
        return None  # no extract to speak of (no KPIs computed yet): the step's failure says so
    if newest is not None and refused.extract_date < newest:
        return None
    return write(
        published_dir, la_code, name, Refused(refused.extract_date, tuple(refused.reasons))
    )


def rejected_since_current(con: duckdb.DuckDBPyConnection, la_code: str) -> Rejected:
    """The deliveries rejected since the LA's current extract (all of them when it has none)."""
    floor = current_extract(con, la_code) or dt.date(1900, 1, 1)
    rows = con.execute(
        """select extract_date, coalesce(message, 'a file could not be read as delivered')
           from meta.deliveries
           where la_code = ? and status = 'rejected' and extract_date >= ?
           order by extract_date""",
        [la_code, floor],
    ).fetchall()
    return Rejected(tuple((day, str(why)) for day, why in rows))


def after_failed_run(
    con: duckdb.DuckDBPyConnection,
    published_dir: Path,
    la_code: str,
    failed: Sequence[FailedStep],
) -> Path | None:
    """The reporter's call after an LA's run failed (``failed``: the steps the published
    outputs depend on that failed). An output that refused wrote the page already: it stays as
    written. Otherwise the page says which deliveries were rejected or, failing that, which
    steps stopped with an error. None when no page was written or stands."""
    page = published_dir / la_code / site.NOT_PUBLISHED
    if any(step.refused for step in failed):
        return page if page.is_file() else None
    rejected = rejected_since_current(con, la_code)
    name = la_name(con, la_code)
    if rejected.deliveries:
        return write(published_dir, la_code, name, rejected)
    if failed:
        steps = tuple(sorted({step.step for step in failed}))
        return write(published_dir, la_code, name, StepFailed(steps, newest_delivery(con, la_code)))
    return None
