"""Write files whole or not at all (a temporary file renamed into place), and tables as text.

Tables arrive as batches of plain columns (``{column: values}``), so the
command line writes CSV and JSON Lines without importing pandas.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

__all__ = ["EXCEL_ROWS", "FORMATS", "atomic_path", "table_format", "table_text", "write_table", "write_text",
           "write_xlsx"]

FORMATS = (".csv", ".jsonl", ".parquet")


def table_format(path: str) -> str:
    """The output format a file name asks for, or a ValueError naming the allowed ones.

    Examples
    --------
    >>> table_format("out.Parquet")
    '.parquet'
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path}: unknown output format {suffix or '(none)'!r}; use {', '.join(FORMATS)}")
    return suffix


def write_table(batches: Iterable[dict[str, list]], columns: list[str], out: str | None,
                dtypes: dict[str, str] | None = None) -> int:
    """Write column batches to ``out`` (CSV on stdout if None); returns the rows written.

    The file appears only when every batch is written; on any error the
    temporary file is removed and an existing ``out`` is left as it was.
    ``dtypes`` are the pandas dtypes a Parquet file records, so that
    ``pandas.read_parquet`` gives back the table's own types.

    Examples
    --------
    >>> import os, tempfile
    >>> out = os.path.join(tempfile.mkdtemp(), "t.jsonl")
    >>> write_table([{"a": [1, 2]}], ["a"], out), open(out).read()
    (2, '{"a": 1}\\n{"a": 2}\\n')
    """
    if out is None:
        return _write_csv(batches, columns, sys.stdout)
    suffix = table_format(out)
    with atomic_path(out) as temporary:
        if suffix == ".parquet":
            return _write_parquet(batches, columns, temporary, dtypes or {})
        with open(temporary, "w", encoding="utf-8", newline="") as stream:
            write = _write_csv if suffix == ".csv" else _write_jsonl
            return write(batches, columns, stream)


@contextmanager
def atomic_path(out: str | os.PathLike) -> Iterator[str]:
    """A temporary path beside ``out`` that becomes ``out`` when the block succeeds.

    On any error, KeyboardInterrupt included, the temporary file is removed
    and an existing ``out`` is left as it was.

    Examples
    --------
    >>> import os, tempfile
    >>> out = os.path.join(tempfile.mkdtemp(), "t.txt")
    >>> with atomic_path(out) as part:
    ...     _ = open(part, "w").write("whole")
    >>> open(out).read()
    'whole'
    """
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes 0600; the file gets the user's usual permissions
    try:
        yield temporary
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def write_text(out: str | os.PathLike, text: str) -> None:
    """Write a text file (UTF-8) whole or not at all.

    Examples
    --------
    >>> import os, tempfile
    >>> out = os.path.join(tempfile.mkdtemp(), "t.md")
    >>> write_text(out, "# brief"); open(out).read()
    '# brief'
    """
    with atomic_path(out) as temporary:
        Path(temporary).write_text(text, encoding="utf-8")


def _rows(batch: dict[str, list], columns: list[str]):
    return zip(*(batch[c] for c in columns))


def _write_csv(batches: Iterable[dict[str, list]], columns: list[str], stream: IO[str]) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    rows, header = 0, False
    for batch in batches:
        if not header:  # only once a batch is read: a run that fails first prints nothing
            writer.writerow(columns)
            header = True
        for row in _rows(batch, columns):
            writer.writerow(row)
            rows += 1
    if not header:
        writer.writerow(columns)
    return rows


def _write_jsonl(batches: Iterable[dict[str, list]], columns: list[str], stream: IO[str]) -> int:
    rows = 0
    for batch in batches:
        for row in _rows(batch, columns):
            stream.write(json.dumps(dict(zip(columns, row)), ensure_ascii=False) + "\n")
            rows += 1
    return rows


def _write_parquet(batches: Iterable[dict[str, list]], columns: list[str], path: str,
                   dtypes: dict[str, str]) -> int:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    rows = 0
    try:
        for batch in batches:
            frame = pd.DataFrame(batch, columns=columns).astype(dtypes)
            if writer is None:
                schema = pa.Schema.from_pandas(frame, preserve_index=False)
                for i, field in enumerate(schema):
                    if pa.types.is_null(field.type):
                        schema = schema.set(i, pa.field(field.name, pa.string()))
                writer = pq.ParquetWriter(path, schema)
            writer.write_table(pa.Table.from_pandas(frame, schema=writer.schema, preserve_index=False))
            rows += len(frame)
        if writer is None:
            empty = pd.DataFrame({c: [] for c in columns}).astype(dtypes)
            pq.write_table(pa.Table.from_pandas(empty, preserve_index=False), path)
    finally:
        if writer is not None:
            writer.close()
    return rows


EXCEL_ROWS = 1_048_575  # rows of an Excel sheet, less the header


def write_xlsx(table, out: str | os.PathLike, sheet: str = "table") -> None:
    """Write a DataFrame as one Excel sheet, whole or not at all; cells keep their text as text.

    A cell that begins with ``=`` stays a string (never a formula), and
    characters Excel cannot store (control characters) become U+FFFD.

    Examples
    --------
    >>> import os, tempfile, pandas as pd
    >>> out = os.path.join(tempfile.mkdtemp(), "t.xlsx")
    >>> write_xlsx(pd.DataFrame({"text": ["=1+1"]}), out)
    >>> pd.read_excel(out).text.tolist()
    ['=1+1']
    """
    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    if len(table) > EXCEL_ROWS:
        raise ValueError(f"{out}: {len(table):,} rows are more than an Excel sheet holds ({EXCEL_ROWS + 1:,})")
    book = Workbook(write_only=True)
    page = book.create_sheet(sheet)
    page.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in table.columns:
        cell = WriteOnlyCell(page, value=str(name))
        cell.font = bold
        header.append(cell)
    page.append(header)

    def value(v):
        if isinstance(v, str):
            v = ILLEGAL_CHARACTERS_RE.sub("\ufffd", v)
            if v.startswith("="):
                cell = WriteOnlyCell(page, value=v)
                cell.data_type = "s"
                return cell
            return v
        if v is None or pd.isna(v):
            return None
        return v.item() if hasattr(v, "item") else v

    for row in table.astype(object).itertuples(index=False, name=None):
        page.append([value(v) for v in row])
    with atomic_path(out) as temporary:
        book.save(temporary)



def table_text(table, columns: list[str] | None = None) -> str:
    """A DataFrame as a fixed-width text table (numbers with two decimals, ``-`` where missing).

    Examples
    --------
    >>> import pandas as pd
    >>> print(table_text(pd.DataFrame({"a": ["x"], "f": [0.5]})))
    a  f
    x  0.50
    """
    import numpy as np
    import pandas as pd

    def cell(value) -> str:
        if value is None or (np.ndim(value) == 0 and pd.isna(value)):
            return "-"
        return f"{value:.2f}" if isinstance(value, (float, np.floating)) else str(value)

    columns = columns or list(table.columns)
    cells = [[cell(v) for v in row] for row in table[columns].itertuples(index=False)]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)
