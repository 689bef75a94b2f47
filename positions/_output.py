"""Write tables whole or not at all: a temporary file renamed into place."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Iterable

import pandas as pd

FORMATS = (".csv", ".jsonl", ".parquet")


def table_format(path: str) -> str:
    """The output format a file name asks for, or a ValueError naming the allowed ones."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path}: unknown output format {suffix or '(none)'!r}; use {', '.join(FORMATS)}")
    return suffix


def write_frames(frames: Iterable[pd.DataFrame], out: str | None) -> int:
    """Write DataFrames one after another to ``out`` (CSV on stdout if None).

    The file appears only when every frame is written; on any error the
    temporary file is removed and an existing ``out`` is left as it was.
    Returns the number of rows written.
    """
    if out is None:
        rows = 0
        for i, frame in enumerate(frames):
            frame.to_csv(sys.stdout, index=False, header=i == 0)
            rows += len(frame)
        return rows
    suffix = table_format(out)
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(handle)
    try:
        rows = _write(frames, temporary, suffix)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
    return rows


def _write(frames: Iterable[pd.DataFrame], path: str, suffix: str) -> int:
    rows = 0
    if suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer = None
        try:
            for frame in frames:
                table = pa.Table.from_pandas(frame, preserve_index=False)
                if writer is None:
                    schema = _nullable_strings(table.schema)
                    writer = pq.ParquetWriter(path, schema)
                writer.write_table(table.cast(writer.schema))
                rows += len(frame)
        finally:
            if writer is not None:
                writer.close()
        return rows
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for i, frame in enumerate(frames):
            if suffix == ".csv":
                frame.to_csv(handle, index=False, header=i == 0)
            else:
                frame.to_json(handle, orient="records", lines=True, force_ascii=False)
            rows += len(frame)
    return rows


def _nullable_strings(schema):
    """Columns that are all null in the first batch hold text in later ones."""
    import pyarrow as pa

    return pa.schema([pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f for f in schema])
