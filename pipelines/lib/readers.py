"""Read one extract file (CSV, Parquet or XLSX) as text, keeping spreadsheet row numbers.

Every value comes back as a string (or null for blank) so that parsing, and its errors, happen
in one place (``staging``). ``source_row`` is the row a spreadsheet would show: the header is
row 1 in a CSV, and in a workbook the real sheet row (leading blank rows counted).
"""

import codecs
import csv
import datetime as dt
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

ROW_COLUMN = "source_row"
# What openpyxl raises on a file that is not a workbook or is damaged (zip, deflate or XML).
WORKBOOK_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    ValueError,
    SyntaxError,  # xml ParseError
)


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


class FileLevelError(ValueError):
    """A whole file cannot be used. The message names the file (and the column, if one)."""

    def __init__(self, file: Path | str, message: str, column: str | None = None) -> None:
        self.file = str(file)
        self.column = column
        self.detail = message
        where = f"{self.file}" + (f", column '{column}'" if column else "")
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class RawFile:
    """A file's rows as text. ``columns`` are the normalised header names, in file order."""

    path: Path
    frame: pl.DataFrame  # String columns named by normalised header, plus source_row
    columns: tuple[str, ...]


def normalise_header(name: object) -> str:
    return str(name if name is not None else "").replace("\ufeff", "").strip().lower()


def _check_header(path: Path, header: list[str]) -> None:
    if not any(header):
        raise FileLevelError(path, "the header row is empty")
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise FileLevelError(path, "the column appears twice in the header", column=name)
        seen.add(name)


_BOM = b"\xef\xbb\xbf"


def _check_utf8(path: Path, data: bytes) -> None:
    """Reject a file that is not UTF-8, naming the line of the first bad byte. Checked a block at
    a time, so a large file is never held twice (as bytes and as text)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    block = 1 << 24
    try:
        for start in range(0, len(data), block):
            decoder.decode(data[start : start + block], final=start + block >= len(data))
        return
    except UnicodeDecodeError:
        pass
    try:
        data.decode("utf-8-sig")  # the fault's exact place: only a file with one pays for this
    except UnicodeDecodeError as exc:
        # The codec counts from after a byte order mark.
        bad = exc.start + (len(_BOM) if data.startswith(_BOM) else 0)
        line = data[:bad].count(b"\n") + 1
        raise FileLevelError(
            path,
            f"not UTF-8 text (invalid byte 0x{data[bad]:02x} on line {line}); "
            "save the file as CSV UTF-8 and deliver it again",
        ) from exc


def read_csv(path: Path) -> RawFile:
    data = path.read_bytes()
    _check_utf8(path, data)
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if b"\r" in data:
        # Every line break as "\n" (as splitting on \r\n, \r and \n would), so a file saved
        # with old Mac or Windows line ends reads the same, quoted line breaks included.
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    # Leading lines that are blank (or only commas) come before the header; they count as rows.
    leading_blank = 0
    offset = 0
    while True:
        end = data.find(b"\n", offset)
        line = data[offset:] if end < 0 else data[offset:end]
        if line.strip(b" ,\t"):
            break
        if end < 0:
            raise FileLevelError(path, "the file is empty (no header row)")
        leading_blank += 1
        offset = end + 1
    header_line = line.decode("utf-8")
    try:
        header = [normalise_header(h) for h in next(csv.reader([header_line]))]
    except csv.Error as exc:
        raise FileLevelError(
            path, f"the header row (line {leading_blank + 1}) cannot be read as CSV ({exc})"
        ) from exc
    if len(header) == 1 and any(sep in header_line for sep in (";", "\t", "|")):
        raise FileLevelError(
            path, "the header has one column: the file is not comma-separated (wrong delimiter?)"
        )
    _check_header(path, header)
    # A blank header cell (trailing commas left by Excel) names a column as in a workbook: polars
    # would merge same-named columns and then find "more fields" in every row.
    header = [name or f"column_{i + 1}" for i, name in enumerate(header)]
    body = data[offset:] if offset else data
    del data
    try:
        frame = pl.read_csv(
            body,
            infer_schema=False,
            has_header=True,
            new_columns=header,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as exc:
        text = body.decode("utf-8")
        raise FileLevelError(
            path, f"cannot be read as CSV: {_first_bad_line(text, len(header), leading_blank, exc)}"
        ) from exc
    del body
    header_row = leading_blank + 1
    frame = frame.with_row_index(ROW_COLUMN, offset=header_row + 1).with_columns(
        pl.col(ROW_COLUMN).cast(pl.Int64)
    )
    frame = _blank_to_null(frame)
    # A wholly blank line is not a row (as in a workbook); the others keep their row numbers.
    values = [c for c in frame.columns if c != ROW_COLUMN]
    if values:
        frame = frame.filter(~pl.all_horizontal(pl.col(values).is_null()))
    return RawFile(path, frame, tuple(header))


def _first_bad_line(body: str, width: int, offset: int, exc: Exception) -> str:
    try:
        for number, row in enumerate(csv.reader(io.StringIO(body)), start=offset + 1):
            if len(row) != width and any(cell.strip() for cell in row):
                return f"row {number} has {len(row)} fields where the header has {width}"
    except csv.Error:  # a field beyond the csv module's size limit: polars' message will do
        pass
    return str(exc).splitlines()[0]


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "Y" if value else "N"
    return str(value)


def read_xlsx(path: Path, table: str) -> RawFile:
    import openpyxl  # imported here: only workbooks pay for it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except WORKBOOK_ERRORS as exc:
        raise FileLevelError(
            path,
            "cannot be opened as an .xlsx workbook (password-protected, corrupt or another "
            "format); remove any password and save as .xlsx",
        ) from exc
    try:
        names = workbook.sheetnames
        sheet_name = next((n for n in names if n.strip().lower() == table), None)
        if sheet_name is None:
            if len(names) != 1:
                raise FileLevelError(path, f"no sheet named '{table}' (sheets: {', '.join(names)})")
            sheet_name = names[0]
        rows = workbook[sheet_name].iter_rows(values_only=True)
        header: list[str] | None = None
        records: list[list[str | None]] = []
        row_numbers: list[int] = []
        try:
            for number, row in enumerate(rows, start=1):
                cells = [_cell_text(v) for v in row]
                if header is None:
                    if any(c is not None and c.strip() for c in cells):
                        header = [normalise_header(c) for c in cells]
                        while header and not header[-1]:
                            header.pop()
                    continue
                if not any(c is not None and c.strip() for c in cells):
                    continue
                cells = (cells + [None] * len(header))[: len(header)]
                records.append(cells)
                row_numbers.append(number)
        except WORKBOOK_ERRORS as exc:  # the sheet's data is damaged (read lazily, row by row)
            raise FileLevelError(
                path,
                f"sheet '{sheet_name}' cannot be read: the workbook is damaged "
                f"({_first_line(exc)}); open it in Excel and save it again as .xlsx",
            ) from exc
    finally:
        workbook.close()
    if header is None:
        raise FileLevelError(path, f"sheet '{sheet_name}' is empty (no header row)")
    _check_header(path, header)
    data = {name or f"column_{i + 1}": [r[i] for r in records] for i, name in enumerate(header)}
    frame = pl.DataFrame(data, schema={k: pl.String for k in data})
    frame = frame.with_columns(pl.Series(ROW_COLUMN, row_numbers, dtype=pl.Int64)).select(
        ROW_COLUMN, *data.keys()
    )
    return RawFile(path, _blank_to_null(frame), tuple(data))


def read_parquet(path: Path) -> RawFile:
    try:
        frame = pl.read_parquet(path)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise FileLevelError(
            path, f"cannot be read as Parquet ({str(exc).splitlines()[0]})"
        ) from exc
    header = [normalise_header(c) for c in frame.columns]
    _check_header(path, header)
    frame.columns = header
    text = []
    for name, dtype in frame.schema.items():
        if dtype.is_nested():
            raise FileLevelError(
                path, "holds lists or nested records, not one value per cell", column=name
            )
        if dtype == pl.Datetime or isinstance(dtype, pl.Datetime):
            text.append(pl.col(name).dt.strftime("%Y-%m-%d %H:%M:%S"))
        else:
            text.append(pl.col(name).cast(pl.String))
    try:
        frame = (
            frame.select(text)
            .with_row_index(ROW_COLUMN, offset=2)
            .with_columns(pl.col(ROW_COLUMN).cast(pl.Int64))
        )
    except pl.exceptions.PolarsError as exc:  # binary values that are not UTF-8 text...
        raise FileLevelError(
            path, f"has values that cannot be read as text ({_first_line(exc)})"
        ) from exc
    return RawFile(path, _blank_to_null(frame), tuple(header))


def _blank_to_null(frame: pl.DataFrame) -> pl.DataFrame:
    text_cols = [c for c, t in frame.schema.items() if t == pl.String]
    return frame.with_columns(
        [
            pl.when(pl.col(c).str.strip_chars() == "").then(None).otherwise(pl.col(c)).alias(c)
            for c in text_cols
        ]
    )


def read_table_file(path: Path, table: str) -> RawFile:
    """Read a table's file by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    if suffix == ".parquet":
        return read_parquet(path)
    if suffix == ".xlsx":
        return read_xlsx(path, table)
    raise FileLevelError(path, f"unsupported file type '{suffix}' (use .csv, .parquet or .xlsx)")
