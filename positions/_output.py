"""Write tables whole or not at all: a temporary file renamed into place.

Tables arrive as batches of plain columns (``{column: values}``), so the
command line writes CSV and JSON Lines without importing pandas.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Iterable

FORMATS = (".csv", ".jsonl", ".parquet")


def table_format(path: str) -> str:
    """The output format a file name asks for, or a ValueError naming the allowed ones."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path}: unknown output format {suffix or '(none)'!r}; use {', '.join(FORMATS)}")
    return suffix


def write_table(batches: Iterable[dict[str, list]], columns: list[str], out: str | None) -> int:
    """Write column batches to ``out`` (CSV on stdout if None); returns the rows written.

    The file appears only when every batch is written; on any error the
    temporary file is removed and an existing ``out`` is left as it was.
    """
    if out is None:
        return _write_csv(batches, columns, sys.stdout)
    suffix = table_format(out)
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(handle)
    try:
        if suffix == ".parquet":
            rows = _write_parquet(batches, columns, temporary)
        else:
            with open(temporary, "w", encoding="utf-8", newline="") as stream:
                write = _write_csv if suffix == ".csv" else _write_jsonl
                rows = write(batches, columns, stream)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
    return rows


def _rows(batch: dict[str, list], columns: list[str]):
    return zip(*(batch[c] for c in columns))


def _write_csv(batches: Iterable[dict[str, list]], columns: list[str], stream: IO[str]) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    rows = 0
    for batch in batches:
        for row in _rows(batch, columns):
            writer.writerow(row)
            rows += 1
    return rows


def _write_jsonl(batches: Iterable[dict[str, list]], columns: list[str], stream: IO[str]) -> int:
    rows = 0
    for batch in batches:
        for row in _rows(batch, columns):
            stream.write(json.dumps(dict(zip(columns, row)), ensure_ascii=False) + "\n")
            rows += 1
    return rows


def _write_parquet(batches: Iterable[dict[str, list]], columns: list[str], path: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    rows = 0
    try:
        for batch in batches:
            table = pa.Table.from_pydict({c: batch[c] for c in columns})
            if writer is None:
                schema = pa.schema([pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f
                                    for f in table.schema])
                writer = pq.ParquetWriter(path, schema)
            writer.write_table(table.cast(writer.schema))
            rows += table.num_rows
        if writer is None:
            pq.write_table(pa.table({c: pa.array([], pa.string()) for c in columns}), path)
    finally:
        if writer is not None:
            writer.close()
    return rows
