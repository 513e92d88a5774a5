"""An SSD extract folder written as the SSDA903 return of one collection year (CSV tables).

``write_ssda903(extract_dir, out_dir, collection_year)`` reads the extract's tables (CSV,
Parquet or XLSX, typed by the project's staging) and writes what a council would upload to the
DfE for the year 1 April ``collection_year - 1`` to 31 March ``collection_year``:

- ``episodes.csv``: every ``ssd_cla_episodes`` row open at some time in the year (DECOM on or
  before 31 March, DEC blank or on or after 1 April), with LS from the legal status and PLACE,
  PLACE_PROVIDER from the placement open on its DECOM; REASON_PLACE_CHANGE (the ending
  placement's change reason) on the episode whose DEC ends its placement. DEC and REC are blank
  when the episode ended after 31 March, as they were at the time of the return. HOME_POST,
  PL_POST and URN are written blank (the extract carries none of them).
- ``header.csv``: the children of ``episodes.csv`` and ``oc3.csv``; SEX as 1/2 before the
  2024-25 return and M/F/U from it (U before 2024-25 is written blank: there was no code);
  UPN, MOTHER and MC_DOB blank.
- ``reviews.csv``: reviews held in the year (cancelled ones are not 903 reviews).
- ``missing.csv``: missing or away episodes open at some time in the year (dates only).
- ``oc3.csv``: care leavers whose 17th to 21st birthday falls in the year, with the extract's
  current in-touch, activity and accommodation (an extract holds only the current state, not
  the state at the birthday).
- ``sw_episodes.csv`` (from the 2023-24 return): allocated social worker involvements of the
  children in ``episodes.csv`` open at some time in the year; a role is an allocated social
  worker when the LA's ``la.yaml`` (beside the extract folder) maps it so, or when it is
  ``ALLOCATED_SOCIAL_WORKER``.

- ``uasc.csv`` and ``oc2.csv`` when the extract has ``ssd_immigration_status`` and
  ``ssd_cla_health`` (see ``ssda903_outcomes``).

No AD1, placed-for-adoption or previous-permanence table is written: the extract contract holds
none of their fields. Dates are ``DD/MM/YYYY``.
"""

import csv
import datetime as dt
import re
from pathlib import Path

import polars as pl
import yaml

from pipelines.lib.contract import TABLES_BY_NAME
from pipelines.lib.readers import read_table_file
from pipelines.synthetic.ssda903_outcomes import (
    OC2_COLUMNS,
    UASC_COLUMNS,
    in_care_12_months,
    oc2_rows,
    uasc_rows,
)

EPISODE_COLUMNS = (
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
)  # fmt: skip
HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
REVIEW_COLUMNS = ("CHILD", "DOB", "REVIEW", "REVIEW_CODE")
MISSING_COLUMNS = ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END")
OC3_COLUMNS = ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM")
SW_COLUMNS = ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON")
ALLOCATED = "ALLOCATED_SOCIAL_WORKER"


_TEMPORAL = re.compile(
    r"^(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})/(\d{4}))"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_TRUE = {"Y", "YES", "1", "TRUE"}
_FALSE = {"N", "NO", "0", "FALSE"}


def _value(kind: str, codes: dict[str, str] | None, text: str | None) -> object:
    """One cell typed as the staging types it (dates ISO or UK, flags, canonical codes); a value
    the staging would not accept is None."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    if kind in ("date", "datetime"):
        m = _TEMPORAL.match(text)
        if not m:
            return None
        y, mo, d = (
            (m.group(1), m.group(2), m.group(3))
            if m.group(1)
            else (m.group(6), m.group(5), m.group(4))
        )
        try:
            stamp = dt.datetime(
                int(y),
                int(mo),
                int(d),
                int(m.group(7) or 0),
                int(m.group(8) or 0),
                int(m.group(9) or 0),
            )
        except ValueError:
            return None
        return stamp.date() if kind == "date" else stamp
    if kind == "flag":
        upper = text.upper()
        return True if upper in _TRUE else False if upper in _FALSE else None
    if codes is not None:
        return codes.get(re.sub(r"\s+", " ", text.upper()))
    return text


def _load(extract_dir: Path, table: str) -> pl.DataFrame | None:
    """A table of the extract with typed contract columns (the staging's rules; a value it would
    not accept is blank). Read in Python: the tables a return needs are small."""
    found = [
        p
        for p in sorted(extract_dir.iterdir())
        if p.stem.lower() == table and p.suffix.lower() in (".csv", ".parquet", ".xlsx")
    ]
    if not found:
        return None
    raw = read_table_file(found[0], table).frame
    contract = TABLES_BY_NAME[table]
    columns: dict[str, list[object]] = {}
    schema: dict[str, pl.DataType] = {}
    for col in contract.columns:
        codes = None
        if col.codes is not None:
            codes = {c.upper(): c for c in col.codes}
            codes.update({k.upper(): v for k, v in col.code_map.items()})
        texts = raw[col.name].to_list() if col.name in raw.columns else [None] * raw.height
        columns[col.name] = [_value(col.kind, codes, t) for t in texts]
        schema[col.name] = {
            "date": pl.Date(),
            "datetime": pl.Datetime("us"),
            "flag": pl.Boolean(),
        }.get(col.kind, pl.String())
    return pl.DataFrame(columns, schema=schema)


def _uk(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    day = value.date() if isinstance(value, dt.datetime) else value
    return day.strftime("%d/%m/%Y")


def _write(path: Path, columns: tuple[str, ...], rows: list[dict[str, object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        out.writeheader()
        for row in rows:
            out.writerow({c: "" if row.get(c) is None else row[c] for c in columns})
    return path


def _open_at(
    left: pl.DataFrame, right: pl.DataFrame, person: str, start: str, end: str, on: str
) -> pl.DataFrame:
    """For each ``left`` row (person, ``on`` date), the ``right`` row of the person open on that
    date (start on or before, end blank or after); the latest start when several are."""
    joined = left.join(right, left_on="CHILD", right_on=person, how="left")
    hit = (pl.col(start) <= pl.col(on)) & (pl.col(end).is_null() | (pl.col(end) > pl.col(on)))
    joined = joined.filter(hit | pl.col(start).is_null())
    joined = joined.sort(start, descending=True, nulls_last=True)
    picked = joined.unique(subset=["_episode"], keep="first", maintain_order=True)
    return left.join(
        picked.drop([c for c in left.columns if c != "_episode"]), on="_episode", how="left"
    )


def _allocated_roles(extract_dir: Path) -> set[str]:
    roles = {ALLOCATED}
    config = extract_dir.parent / "la.yaml"
    if config.exists():
        mapping = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("roles") or {}
        roles |= {str(k).strip().upper() for k, v in mapping.items() if v == ALLOCATED}
    return roles


def write_ssda903(extract_dir: Path, out_dir: Path, collection_year: int) -> list[Path]:
    """Write the extract in ``extract_dir`` as the SSDA903 return for the year ending 31 March
    ``collection_year`` into ``out_dir``; returns the files written."""
    year_start, year_end = dt.date(collection_year - 1, 4, 1), dt.date(collection_year, 3, 31)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    person = _load(extract_dir, "ssd_person")
    episodes = _load(extract_dir, "ssd_cla_episodes")
    if person is None or episodes is None:
        raise FileNotFoundError(f"{extract_dir} has no ssd_person or ssd_cla_episodes table")
    dob = {r["pers_person_id"]: r["pers_dob"] for r in person.iter_rows(named=True)}

    eps = episodes.filter(
        (pl.col("clae_cla_episode_start_date") <= year_end)
        & (
            pl.col("clae_cla_episode_ceased").is_null()
            | (pl.col("clae_cla_episode_ceased") >= year_start)
        )
    ).with_columns(
        pl.col("clae_person_id").alias("CHILD"),
        pl.col("clae_cla_episode_start_date").alias("DECOM"),
        pl.int_range(pl.len()).alias("_episode"),
    )
    placements = _load(extract_dir, "ssd_cla_placement")
    if placements is not None:
        eps = _open_at(
            eps,
            placements,
            "clap_person_id",
            "clap_cla_placement_start_date",
            "clap_cla_placement_end_date",
            "DECOM",
        )
    legal = _load(extract_dir, "ssd_legal_status")
    if legal is not None:
        eps = _open_at(
            eps,
            legal,
            "lega_person_id",
            "lega_legal_status_start_date",
            "lega_legal_status_end_date",
            "DECOM",
        )
    episode_rows: list[dict[str, object]] = []
    for r in eps.sort(["CHILD", "DECOM"]).iter_rows(named=True):
        ceased = r["clae_cla_episode_ceased"]
        ended = ceased is not None and ceased <= year_end
        placement_end = r.get("clap_cla_placement_end_date")
        episode_rows.append(
            {
                "CHILD": r["CHILD"],
                "DECOM": _uk(r["DECOM"]),
                "RNE": r["clae_cla_episode_start_reason"],
                "LS": r.get("lega_legal_status"),
                "CIN": r["clae_cla_primary_need_code"],
                "PLACE": r.get("clap_cla_placement_type"),
                "PLACE_PROVIDER": r.get("clap_cla_placement_provider"),
                "DEC": _uk(ceased) if ended else None,
                "REC": r["clae_cla_episode_ceased_reason"] if ended else None,
                "REASON_PLACE_CHANGE": (
                    r.get("clap_cla_placement_change_reason")
                    if ended and placement_end is not None and placement_end == ceased
                    else None
                ),
            }
        )
    written.append(_write(out_dir / "episodes.csv", EPISODE_COLUMNS, episode_rows))
    children = {str(r["CHILD"]) for r in episode_rows}

    oc3_rows = _care_leavers(extract_dir, dob, year_start, year_end)
    header_rows = []
    wanted = children | {str(r["CHILD"]) for r in oc3_rows}
    for r in person.sort("pers_person_id").iter_rows(named=True):
        if r["pers_person_id"] not in wanted:
            continue
        sex = r["pers_sex"]
        if collection_year < 2025:
            sex = {"M": "1", "F": "2"}.get(sex or "")
        header_rows.append(
            {
                "CHILD": r["pers_person_id"],
                "SEX": sex,
                "DOB": _uk(r["pers_dob"]),
                "ETHNIC": r["pers_ethnicity"],
            }
        )
    written.append(_write(out_dir / "header.csv", HEADER_COLUMNS, header_rows))

    statuses = _load(extract_dir, "ssd_immigration_status")
    if statuses is not None:
        person903 = {str(r["CHILD"]): {"SEX": r["SEX"], "DOB": r["DOB"]} for r in header_rows}
        rows = uasc_rows(statuses, children, person903, year_start, year_end)
        written.append(_write(out_dir / "uasc.csv", UASC_COLUMNS, rows))
    health = _load(extract_dir, "ssd_cla_health")
    if health is not None:
        cohort = in_care_12_months(eps, year_end)
        written.append(
            _write(out_dir / "oc2.csv", OC2_COLUMNS, oc2_rows(health, cohort, dob, year_end))
        )

    reviews = _load(extract_dir, "ssd_cla_reviews")
    if reviews is not None:
        owner = {
            r["clae_cla_id"]: r["clae_person_id"]
            for r in episodes.iter_rows(named=True)
            if r["clae_cla_id"] is not None
        }
        if placements is not None:
            for r in placements.iter_rows(named=True):
                owner.setdefault(r["clap_cla_id"], r["clap_person_id"])
        held = reviews.filter(
            (pl.col("clar_cla_review_cancelled") != True)  # noqa: E712 - null (unknown) is kept
            | pl.col("clar_cla_review_cancelled").is_null()
        ).filter(pl.col("clar_cla_review_date").is_between(year_start, year_end))
        found = sorted(
            (owner[r["clar_cla_id"]], r["clar_cla_review_date"])
            for r in held.iter_rows(named=True)
            if r["clar_cla_id"] in owner
        )
        review_rows: list[dict[str, object]] = [
            {"CHILD": child, "DOB": _uk(dob.get(child)), "REVIEW": _uk(day)} for child, day in found
        ]
        written.append(_write(out_dir / "reviews.csv", REVIEW_COLUMNS, review_rows))

    missing = _load(extract_dir, "ssd_missing")
    if missing is not None:
        start = pl.col("miss_missing_episode_start_date").dt.date()
        end = pl.col("miss_missing_episode_end_date").dt.date()
        spells = missing.filter((start <= year_end) & (end.is_null() | (end >= year_start)))
        missing_rows = []
        for r in spells.sort(["miss_person_id", "miss_missing_episode_start_date"]).iter_rows(
            named=True
        ):
            back = r["miss_missing_episode_end_date"]
            missing_rows.append(
                {
                    "CHILD": r["miss_person_id"],
                    "DOB": _uk(dob.get(r["miss_person_id"])),
                    "MISSING": r["miss_missing_episode_type"],
                    "MIS_START": _uk(r["miss_missing_episode_start_date"]),
                    "MIS_END": _uk(back) if back is not None and back.date() <= year_end else None,
                }
            )
        written.append(_write(out_dir / "missing.csv", MISSING_COLUMNS, missing_rows))

    if oc3_rows or _load(extract_dir, "ssd_care_leavers") is not None:
        written.append(_write(out_dir / "oc3.csv", OC3_COLUMNS, oc3_rows))

    involvements = _load(extract_dir, "ssd_involvements") if collection_year >= 2024 else None
    if involvements is not None:
        roles = _allocated_roles(extract_dir)
        workers = involvements.filter(
            pl.col("invo_professional_role_id")
            .str.strip_chars()
            .str.to_uppercase()
            .is_in(list(roles))
            & pl.col("invo_person_id").is_in(list(children))
            & (pl.col("invo_involvement_start_date") <= year_end)
            & (
                pl.col("invo_involvement_end_date").is_null()
                | (pl.col("invo_involvement_end_date") >= year_start)
            )
        )
        sw_rows = []
        for r in workers.sort(["invo_person_id", "invo_involvement_start_date"]).iter_rows(
            named=True
        ):
            ended = r["invo_involvement_end_date"]
            sw_rows.append(
                {
                    "CHILD": r["invo_person_id"],
                    "DOB": _uk(dob.get(r["invo_person_id"])),
                    "SW_ID": r["invo_professional_id"],
                    "SW_DECOM": _uk(r["invo_involvement_start_date"]),
                    "SW_DEC": _uk(ended) if ended is not None and ended <= year_end else None,
                    "SW_REASON": r["invo_worker_change_reason"],
                }
            )
        written.append(_write(out_dir / "sw_episodes.csv", SW_COLUMNS, sw_rows))
    return written


def birthday_in_year(born: dt.date, year_start: dt.date, year_end: dt.date) -> bool:
    """Whether a 17th to 21st birthday (29 February counts on 28 February) falls in the year."""
    for age in range(17, 22):
        year = born.year + age
        day = dt.date(year, 2, 28) if (born.month, born.day) == (2, 29) else born.replace(year=year)
        if year_start <= day <= year_end:
            return True
    return False


def _care_leavers(
    extract_dir: Path, dob: dict[str, dt.date | None], year_start: dt.date, year_end: dt.date
) -> list[dict[str, object]]:
    leavers = _load(extract_dir, "ssd_care_leavers")
    if leavers is None:
        return []
    rows = []
    for r in leavers.sort("clea_person_id").iter_rows(named=True):
        born = dob.get(r["clea_person_id"])
        if born is None or not birthday_in_year(born, year_start, year_end):
            continue
        accom, suitable = r["clea_care_leaver_accommodation"], r["clea_care_leaver_accom_suitable"]
        if accom and len(accom) == 1 and accom != "0" and suitable:
            accom = f"{accom}{suitable}"
        rows.append(
            {
                "CHILD": r["clea_person_id"],
                "DOB": _uk(born),
                "IN_TOUCH": r["clea_care_leaver_in_touch"],
                "ACTIV": r["clea_care_leaver_activity"],
                "ACCOM": accom,
            }
        )
    return rows
