"""KPIs from a statutory return agree with the same KPIs from the SSD extract it was written from.

The generator writes one synthetic SSD extract; the CIN census and SSDA903 writers turn it into
the return a council would send for the year to 31 March 2024. Both go through the whole ingest
(adapters, staging) and the KPI engine in their own warehouses. For the months inside the
collection year, every KPI the return can give (``availability.verdict``) must have the same
numerator, denominator and value from both, except where the return, by design, does not know
something the extract knows; those KPIs are listed with the reason.
"""

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest

from pipelines.lib import calendar, ingest, warehouse
from pipelines.lib import sources_doc as availability
from pipelines.lib.kpi.definitions import load_definitions
from pipelines.lib.kpi.engine import compute_extract
from pipelines.synthetic import generate_la
from pipelines.synthetic.cin_writer import write_cin_census
from pipelines.synthetic.ssda903_writer import write_ssda903

LA = "994"
YEAR = 2024  # the collection year ending 31 March 2024
YEAR_START, YEAR_END = dt.date(YEAR - 1, 4, 1), dt.date(YEAR, 3, 31)

# KPIs a return gives but cannot agree on, by design of the return. (Data-quality KPIs with one
# value per delivery, ``per_extract``, measure the delivery itself and are never compared.)
DIFFERENT_BY_DESIGN = {
    "cin_census": {
        # A child's referrals before the year are not in the census unless still open, so a
        # re-referral within 12 months of one is not recognised.
        "rereferral_12m_pct": "earlier referrals closed before the year are not in the census",
        # Reviews held before the year are not in the census, so a plan open since before
        # April looks as if its earlier review deadlines were missed.
        "cp_reviews_timely_pct": "reviews before the collection year are not in the census",
        # The census holds only the year's assessments: the denominator is not the extract's.
        "dq_assessments_unauthorised_90d_pct": "the census holds only the year's assessments",
    },
    "ssda903": {
        # As for CP reviews in the CIN census: reviews before the year are not in the return.
        "cla_reviews_timely_pct": "reviews before the collection year are not in the return",
        # Episodes that ended before the year are not in a one-year return, so a continuous
        # time in care seems to start with the year's first episode: fewer children reach 2.5
        # years in care (a return of several years gives the whole stretch).
        "cla_long_term_stability_pct": "episodes before the collection year are not in the return",
    },
}
# KPIs that look back twelve months from each date: only the value at 31 March has its whole
# window inside the collection year (rolling KPIs are treated the same way). OC2 says only
# whether a child's checks were up to date at 31 March: the adapter dates them 31 March, so the
# health assessment and dental check KPIs agree at 31 March only.
LAST_MONTH_ONLY = {
    "cla_3plus_placements_pct",
    "cla_3plus_social_workers_pct",
    "cla_health_assessment_pct",
    "cla_dental_check_pct",
}


def _kpis(inbox: Path, data_dir: Path) -> pl.DataFrame:
    """Ingest, stage and compute every KPI for the LA's newest extract in ``inbox``."""
    definitions = load_definitions()
    with warehouse.connect(data_dir / "csc.duckdb", write=True) as con:
        warehouse.ensure_schema(con)
        calendar.install_calendar(con)
        found = ingest.scan_la(inbox, LA, quiet_seconds=-1)
        assert found.config is not None, found.config_error
        ingest.save_la_config(con, found.config)
        for extract in found.extracts:
            result = ingest.receive_extract(con, extract)
            assert result.status == "received", result.file_errors
        (staged,) = ingest.stage_received(con, LA)
        compute_extract(con, definitions, LA, staged.extract_date)
        return con.execute(
            """select kpi_id, grain, period_start, period_end, numerator, denominator, value
               from kpi.kpi_values where la_code = ? and grain = 'month'
                 and period_start >= ? and period_end <= ?""",
            [LA, YEAR_START, YEAR_END],
        ).pl()


@pytest.fixture(scope="module")
def ssd(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pl.DataFrame]:
    inbox = tmp_path_factory.mktemp("ssd_inbox")
    (extract,) = generate_la(
        LA, dt.date(2021, 4, 1), dt.date(2024, 5, 31), inbox, scale=0.1, seed=11, n_extracts=1
    )
    return extract.path, _kpis(inbox, tmp_path_factory.mktemp("ssd_data"))


def _return_inbox(extract: Path, root: Path) -> Path:
    """An inbox holding the LA's la.yaml and one extract folder dated 31 March."""
    inbox = root / "inbox"
    folder = inbox / LA / YEAR_END.isoformat()
    folder.mkdir(parents=True)
    shutil.copy(extract.parent / "la.yaml", inbox / LA / "la.yaml")
    return folder


def _compare(source_format: str, ssd: pl.DataFrame, other: pl.DataFrame) -> None:
    kpis = {k.id: k for k in load_definitions()}
    expected_kpis = {
        k
        for k, kpi in kpis.items()
        if availability.verdict(kpi, source_format).available and not kpi.per_extract
    } - set(DIFFERENT_BY_DESIGN.get(source_format, {}))
    assert expected_kpis, f"no KPI is available from {source_format}"
    got = set(other["kpi_id"].unique())
    assert expected_kpis <= got, f"not computed from {source_format}: {expected_kpis - got}"
    key = ["kpi_id", "grain", "period_start", "period_end"]
    # A rolling KPI's month is the twelve months to its end: only the one ending on 31 March
    # lies inside the collection year.
    rolling = sorted(k for k in expected_kpis if kpis[k].kind == "rolling" or k in LAST_MONTH_ONLY)
    inside = pl.col("kpi_id").is_in(sorted(expected_kpis)) & (
        ~pl.col("kpi_id").is_in(rolling) | (pl.col("period_end") == YEAR_END)
    )
    joined = ssd.filter(inside).join(
        other.filter(inside), on=key, how="full", suffix="_return", coalesce=True
    )
    differ = joined.filter(
        (pl.col("numerator") != pl.col("numerator_return"))
        | (pl.col("denominator") != pl.col("denominator_return"))
        | (pl.col("value") != pl.col("value_return"))
        | pl.col("value").is_null().xor(pl.col("value_return").is_null())
    )
    with pl.Config(tbl_rows=40, tbl_cols=12, tbl_width_chars=200):
        assert differ.is_empty(), str(
            differ.sort(key)
            .select(
                "kpi_id",
                "period_end",
                "numerator",
                "numerator_return",
                "denominator",
                "denominator_return",
                "value",
                "value_return",
            )
            .head(40)
        )
    # Every month of the year was compared for each KPI (the last one for rolling KPIs).
    months = dict(joined.group_by("kpi_id").len().iter_rows())
    assert months == {k: 1 if k in rolling else 12 for k in expected_kpis}


def test_kpis_from_the_cin_census_agree_with_the_ssd_extract(
    ssd: tuple[Path, pl.DataFrame], tmp_path: Path
) -> None:
    extract, ssd_values = ssd
    folder = _return_inbox(extract, tmp_path)
    write_cin_census(extract, folder / "cin_census_2024.xml", YEAR, la_code=LA)
    cin_values = _kpis(folder.parent.parent, tmp_path / "data")
    _compare("cin_census", ssd_values, cin_values)


def test_kpis_from_the_ssda903_return_agree_with_the_ssd_extract(
    ssd: tuple[Path, pl.DataFrame], tmp_path: Path
) -> None:
    extract, ssd_values = ssd
    folder = _return_inbox(extract, tmp_path)
    write_ssda903(extract, folder, YEAR)
    values = _kpis(folder.parent.parent, tmp_path / "data")
    _compare("ssda903", ssd_values, values)
