"""An XmR (SPC) chart of one KPI series, as the weekly clinic reads it."""

import altair as alt
import polars as pl

VARIATION_COLOURS = {
    "common_cause": "#7f7f7f",
    "improvement": "#1f77b4",
    "concern": "#ff7f0e",
    "neutral": "#9467bd",
}


def xmr_chart(spc: pl.DataFrame, title: str, unit: str = "") -> alt.LayerChart | alt.FacetChart:
    """Points coloured by variation, the mean and process limits; dashed limits when trial."""
    data = spc.select(
        "period_end", "value", "mean", "upper_process_limit", "lower_process_limit",
        "variation", "special_cause_rule", "trial_limits", "target_value",
    ).to_pandas()  # fmt: skip
    base = alt.Chart(data).encode(x=alt.X("period_end:T", title=None))
    line = base.mark_line(color="#bbbbbb").encode(y=alt.Y("value:Q", title=unit or None))
    points = base.mark_circle(size=45).encode(
        y="value:Q",
        color=alt.Color(
            "variation:N",
            scale=alt.Scale(domain=list(VARIATION_COLOURS), range=list(VARIATION_COLOURS.values())),
            legend=alt.Legend(title="Variation", orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("period_end:T", title="Period ending"),
            alt.Tooltip("value:Q", format=".1f"),
            alt.Tooltip("special_cause_rule:N", title="Special cause"),
        ],
    )
    dash = alt.condition("datum.trial_limits", alt.value([4, 4]), alt.value([1, 0]))
    mean = base.mark_line(color="#444444").encode(y="mean:Q")
    upper = base.mark_line(color="#d62728", strokeDash=[4, 4]).encode(
        y="upper_process_limit:Q", strokeDash=dash
    )
    lower = base.mark_line(color="#d62728", strokeDash=[4, 4]).encode(
        y="lower_process_limit:Q", strokeDash=dash
    )
    layers = [line, mean, upper, lower, points]
    if spc["target_value"].drop_nulls().len():
        layers.append(base.mark_line(color="#2ca02c").encode(y="target_value:Q"))
    return alt.layer(*layers).properties(title=title, width=640, height=260)
