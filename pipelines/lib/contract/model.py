"""The extract contract's vocabulary: a table, a column, and which columns are direct identifiers.

The tables themselves are declared in ``ssd_tables.py`` and ``extension_tables.py``.
"""

from dataclasses import dataclass, field
from typing import Literal

ColumnKind = Literal["id", "text", "date", "datetime", "flag", "code", "int", "float", "json"]


@dataclass(frozen=True)
class Column:
    """One column of an extract table.

    ``required``: the column must be present in the file (a file-level error otherwise).
    ``nullable``: a blank value is allowed; a blank in a non-nullable column rejects the row.
    ``codes``: the canonical code values; input is matched case-insensitively after trimming,
    through ``code_map`` first (synonyms such as ``Neglect`` -> ``NEG``). An unknown code is
    cleared to blank (unknown) and recorded in the quarantine table; the row is kept.
    ``bounds``: for a number, the plausible (low, high) values, high None for no upper bound
    (``ranges.py``: outside them, a required value rejects the row, an optional one is cleared).
    ``kept``: False for free text that no KPI, check or output reads: blanked as the file is
    read (``screening.py``), so a name or NHS number typed into it is never stored.
    """

    name: str
    kind: ColumnKind
    required: bool = True
    nullable: bool = True
    codes: tuple[str, ...] | None = None
    code_map: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    bounds: tuple[float, float | None] | None = None
    kept: bool = True

    @property
    def sql_type(self) -> str:
        return {
            "id": "VARCHAR",
            "text": "VARCHAR",
            "code": "VARCHAR",
            "json": "VARCHAR",
            "date": "DATE",
            "datetime": "TIMESTAMP",
            "flag": "BOOLEAN",
            "int": "BIGINT",
            "float": "DOUBLE",
        }[self.kind]


@dataclass(frozen=True)
class Table:
    """One extract table. ``key`` is its row identifier (unique within an extract), if it has one.

    Several decisions per contact and several interviews per missing episode are allowed (the
    earliest counts), so those tables have no key.
    """

    name: str
    key: str | None
    area: str
    columns: tuple[Column, ...]
    extension: bool = False
    current_state: bool = False
    description: str = ""

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name}")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


# Direct identifiers: never loaded, whatever table they appear in (contract, "Data minimisation").
DIRECT_IDENTIFIER_COLUMNS = frozenset(
    {
        "pers_forename",
        "pers_surname",
        "pers_common_child_id",
        "pers_legacy_id",
        "pers_upn",
        "pers_uln",
        "pers_single_unique_id",
        "prof_professional_name",
        "prof_social_worker_registration_no",
    }
)
# Any column whose name contains one of these is treated as a direct identifier too.
DIRECT_IDENTIFIER_PARTS = ("postcode", "address", "forename", "surname", "_upn", "_uln", "nhs")


def is_direct_identifier(column_name: str) -> bool:
    name = column_name.strip().lower()
    return name in DIRECT_IDENTIFIER_COLUMNS or any(p in name for p in DIRECT_IDENTIFIER_PARTS)


def id_col(name: str, nullable: bool = False, **kw) -> Column:  # type: ignore[no-untyped-def]
    return Column(name, "id", nullable=nullable, **kw)


def date_col(name: str, nullable: bool = True, **kw) -> Column:  # type: ignore[no-untyped-def]
    return Column(name, "date", nullable=nullable, **kw)


def datetime_col(name: str, nullable: bool = True, **kw) -> Column:  # type: ignore[no-untyped-def]
    return Column(name, "datetime", nullable=nullable, **kw)


def code_col(
    name: str, codes: tuple[str, ...], code_map: dict[str, str] | None = None, **kw
) -> Column:  # type: ignore[no-untyped-def]
    return Column(name, "code", codes=codes, code_map=code_map or {}, **kw)


def flag_col(name: str, **kw) -> Column:  # type: ignore[no-untyped-def]
    return Column(name, "flag", **kw)


def text_col(name: str, **kw) -> Column:  # type: ignore[no-untyped-def]
    return Column(name, "text", **kw)
