"""The caption of a chart for papers: whose figures, which KPI, the period shown, the extract
they come from and the date drawn.

An officer pastes the PNG into a committee paper on its own, away from the page it came from,
so the image carries its caption (under its title, with the protective marking: see
``publish.marking.mark_chart_spec``); the board report prints the same words under each chart.
"""

import datetime as dt
import re
import textwrap

from pipelines.lib import formatting

# Characters a caption line holds under a chart 680 pixels wide at Vega's subtitle size (12 px:
# about 5 pixels a character, leaving a margin).
LINE_LENGTH = 125


def period_shown(grain: str, first: dt.date, last: dt.date) -> str:
    """The points a chart shows: ``monthly, April 2023 to March 2024`` or ``weekly, weeks
    ending 9 October 2022 to 31 March 2024``."""
    if grain == "month":
        return f"monthly, {first:%B %Y} to {last:%B %Y}"
    if grain == "week":
        return f"weekly, weeks ending {formatting.long_date(first)} to {formatting.long_date(last)}"
    raise ValueError(f"no caption wording for the grain {grain!r}")


def chart_caption(
    la_name: str,
    la_code: str,
    kpi_label: str,
    grain: str,
    first: dt.date,
    last: dt.date,
    extract_date: dt.date,
    drawn: dt.date,
) -> str:
    return (
        f"{la_name} ({la_code}): {kpi_label}, {period_shown(grain, first, last)}. "
        f"Source: extract of {formatting.long_date(extract_date)}. "
        f"Drawn {formatting.long_date(drawn)}."
    )


def captioned(spec: dict[str, object], caption: str) -> dict[str, object]:
    """``spec`` with ``caption`` under its title, in lines that fit the chart's width (a Vega
    title does not wrap its text), broken after a full stop, a comma or the LA's code, so a date
    is not cut in two (only a phrase longer than a line is broken between words)."""
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    lines: list[str] = []
    for phrase in re.split(r"(?:(?<=[.,])|(?<=\):)) ", caption):
        if lines and len(lines[-1]) + 1 + len(phrase) <= LINE_LENGTH:
            lines[-1] += " " + phrase
        else:
            lines += textwrap.wrap(phrase, LINE_LENGTH)
    return {**spec, "title": {"text": text, "subtitle": lines}}
