"""``warehouse.current_extract``: the one answer to "which extract of an LA is current"."""

import datetime as dt
from pathlib import Path

from pipelines.lib import warehouse


def test_the_current_extract_is_the_newest_loaded_one(tmp_path: Path) -> None:
    # By hand: 992's loaded extracts are 7 and 14 January; the 21st was rejected and the 28th
    # superseded, so the 14th is current. 993 has only a received (not yet staged) extract.
    deliveries = [
        ("992", "2024-01-07", "loaded"),
        ("992", "2024-01-14", "loaded"),
        ("992", "2024-01-21", "rejected"),
        ("992", "2024-01-28", "superseded"),
        ("993", "2024-01-14", "received"),
    ]
    with warehouse.connect(tmp_path / "csc.duckdb", write=True) as con:
        warehouse.ensure_schema(con)
        for la, day, status in deliveries:
            con.execute(
                """insert into meta.deliveries (la_code, extract_date, delivery_id, status,
                   folder, n_files) values (?, ?, ?, ?, '', 0)""",
                [la, day, f"{la}-{day}", status],
            )
        assert warehouse.current_extract(con, "992") == dt.date(2024, 1, 14)
        assert warehouse.current_extract(con, "993") is None
        assert warehouse.current_extract(con, "994") is None
        # The current views read the same extract.
        con.execute(
            """insert into stg.ssd_person (la_code, extract_date, pers_person_id)
               values ('992', '2024-01-07', 'old'), ('992', '2024-01-14', 'current')"""
        )
        assert con.execute("select pers_person_id from current.ssd_person").fetchall() == [
            ("current",)
        ]
