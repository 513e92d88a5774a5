"""What the clinic pack says about a KPI's SPC, in words and icons, for its index and pages.

Two judgements sit side by side in a clinic: RAG (the latest value by the target's measure
against the target) and SPC assurance (where the current segment's process limits lie against the
same target). They answer different questions and can differ: a value can meet the target this
month while the process's limits still lie below it. :func:`target_sentence` says both in one
sentence that is true for each, so a row never reads "GREEN" beside a bare "consistently failing
the target".

Icons follow NHS England's Making Data Count (variation: grey common cause, blue improvement,
orange concern, purple neutral, with H or L for a high or low special cause; assurance: P pass,
F fail, ? hit and miss), drawn as small inline SVG with their meaning in words beside them, so
the table reads the same without colour or images.
"""

import html

import polars as pl

from pipelines.lib.publish import clinic_spc

ASSURANCE_WORDS = {
    "consistently_passing": "consistently passing the target",
    "consistently_failing": "consistently failing the target",
    "hit_and_miss": "hit and miss against the target",
}
VARIATION_WORDS = {
    "common_cause": "common cause",
    "improvement": "special cause: improvement",
    "concern": "special cause: concern",
    "neutral": "special cause: neutral",
    "too_few_points": "too few points for a verdict",
}
_BLUE, _ORANGE, _PURPLE, _GREY = "#1d70b8", "#f47738", "#5e3a8c", "#7f7f7f"
_VARIATION_ICONS = {"common_cause": (_GREY, ""), "improvement": (_BLUE, ""),
                    "concern": (_ORANGE, ""), "neutral": (_PURPLE, "")}  # fmt: skip
_ASSURANCE_ICONS = {"consistently_passing": (_BLUE, "P"), "consistently_failing": (_ORANGE, "F"),
                    "hit_and_miss": (_GREY, "?")}  # fmt: skip


def _e(text: object) -> str:
    return html.escape(str(text))


def _icon(colour: str, letter: str, words: str) -> str:
    return (
        # The words are always written beside the icon: screen readers skip the picture.
        f'<svg class="icon" width="22" height="22" viewBox="0 0 22 22" aria-hidden="true" '
        f'data-meaning="{_e(words)}"><title>{_e(words)}</title>'
        f'<circle cx="11" cy="11" r="9.5" fill="white" stroke="{colour}" stroke-width="3"/>'
        f'<text x="11" y="15" text-anchor="middle" font-size="11" font-weight="700" '
        f'fill="{colour}">{_e(letter)}</text></svg>'
    )


def latest_verdict(series: pl.DataFrame) -> tuple[str, str | None, str | None]:
    """(chart type, variation of the last point, assurance) of a page's SPC series."""
    if not series.height:
        return "none", None, None
    last = series.row(-1, named=True)
    return str(last["chart_type"]), last["variation"], last["assurance"]


def variation_words(series: pl.DataFrame) -> str:
    """The latest point's variation as a phrase (or why there is none)."""
    chart, variation, _ = latest_verdict(series)
    if chart == "none":
        return "no weekly values"
    if chart == "values_only":
        held = series["chart_reason"][-1] != clinic_spc.NOT_HELD
        return "too few values for a chart" if held else "SPC not held for this week"
    if chart == "run_chart":
        return "run chart: no SPC verdict for this kind of series"
    return VARIATION_WORDS[str(variation)]


def variation_cell(series: pl.DataFrame) -> str:
    chart, variation, _ = latest_verdict(series)
    words = variation_words(series)
    if chart != "xmr" or variation == "too_few_points":
        return f'<span class="muted">{_e(words)}</span>'
    colour, letter = _VARIATION_ICONS[str(variation)]
    if variation != "common_cause":
        letter = "H" if series["special_cause_side"][-1] == "high" else "L"
    return f'{_icon(colour, letter, words)} <span class="var-{_e(variation)}">{_e(words)}</span>'


def assurance_cell(series: pl.DataFrame) -> str:
    _, _, assurance = latest_verdict(series)
    if assurance not in _ASSURANCE_ICONS:
        return '<span class="muted">no assurance</span>'
    colour, letter = _ASSURANCE_ICONS[str(assurance)]
    words = ASSURANCE_WORDS[str(assurance)]
    return f"{_icon(colour, letter, words)} {_e(words)}"


def target_sentence(rag: str | None, assurance: str | None) -> str:
    """RAG and SPC assurance against the same target, in one sentence true for both.

    ``rag`` green means the latest value by the target's measure met it; amber or red, missed.
    ``assurance`` comes from the current segment's process limits (see ``spc.assurance``)."""
    met = None if rag is None else rag == "green"
    if assurance is None:
        return "" if met is None else ("target met" if met else "target not met")
    if met is None:
        return f"the process is {ASSURANCE_WORDS[assurance]}"
    if assurance == "consistently_passing":
        return (
            "target met, and the process's limits are all on the target's side: it reliably "
            "meets it"
            if met
            else "target not met this time, although the process's limits are all on the "
            "target's side: it usually meets it"
        )
    if assurance == "consistently_failing":
        return (
            "target met this time, but the process is not yet reliably meeting it: its limits "
            "lie on the wrong side of the target"
            if met
            else "target not met, and the process's limits all lie on the wrong side of it: "
            "it will not be met without a change"
        )
    return (
        "target met; the process will sometimes miss it (the target is within its limits)"
        if met
        else "target not met; the process will sometimes meet it (the target is within its limits)"
    )


CHART_WORDS = {"xmr": "XmR", "run_chart": "run chart", "values_only": "values only",
               "none": "no values"}  # fmt: skip


def summary_table(rows: list[tuple[str, str, pl.DataFrame]]) -> str:
    """Every KPI with its chart type, variation and assurance (icon and words), linking to its
    page; ``rows`` are (link, label, SPC series)."""
    body = "".join(
        f'<tr><th scope="row"><a href="{_e(link)}">{_e(label)}</a></th>'
        f"<td>{_e(CHART_WORDS[latest_verdict(series)[0]])}</td>"
        f"<td>{variation_cell(series)}</td><td>{assurance_cell(series)}</td></tr>"
        for link, label, series in rows
    )
    return (
        "<h2>Summary: variation and assurance of every KPI</h2>"
        '<table class="summary-table"><caption>The latest week of each KPI: variation and '
        "assurance as NHS England's Making Data Count reads them (XmR charts only; stocks and "
        "rolling twelve-month series are run charts, with no verdict)</caption><thead><tr>"
        '<th scope="col">KPI</th><th scope="col">Chart</th><th scope="col">Variation</th>'
        f'<th scope="col">Assurance</th></tr></thead><tbody>{body}</tbody></table>'
    )
