"""The same public functions on Dask: statements partitioned by whole documents, classified partition by partition.

``statements(inputs, backend="dask")`` gives a ``dask.dataframe`` whose
partitions each hold whole documents (so a reference back to a target never
crosses a partition); :func:`positions.classify` maps itself over such a
collection; the aggregation functions compute the (small) classified table
and go on in pandas.  Computing uses ``dask.distributed`` when a client
exists, else Dask's local scheduler.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass

import pandas as pd

from .config import DEFAULT_CONFIG, Config
from .documents import expand_inputs
from .tables import _batch, _frame, _merge
from .tokenize import optional_import

__all__ = ["dask_statements", "is_dask", "to_pandas"]


def is_dask(table) -> bool:
    """Whether ``table`` is a Dask collection (without importing Dask).

    Examples
    --------
    >>> is_dask(pd.DataFrame())
    False
    """
    return type(table).__module__.split(".")[0] in ("dask", "dask_expr")


def to_pandas(table) -> pd.DataFrame:
    """A Dask collection computed into one pandas DataFrame (index 0..n-1); a pandas one as it is.

    Examples
    --------
    >>> to_pandas(pd.DataFrame({"a": [1]})).a.tolist()
    [1]
    """
    if not is_dask(table):
        return table
    # optimized first: reading and classifying a partition become one task (a plain compute sends three)
    return table.optimize().compute().reset_index(drop=True)


def dask_statements(inputs, *, on_error: str = "raise", config: Config = DEFAULT_CONFIG,
                    documents_per_partition: int = 200):
    """The statements table as a Dask DataFrame, ``documents_per_partition`` whole documents a partition.

    Unreadable inputs are found when the files are listed (``on_error``);
    a document that fails while a worker reads it raises there, or, with
    ``on_error="skip"``, is left out with a warning.

    Examples
    --------
    >>> import positions as pos
    >>> table = dask_statements(pos.demo_files(), documents_per_partition=4)
    >>> table.npartitions, len(table.compute())
    (2, 285)
    """
    dd = optional_import("dask.dataframe", '"positions[dask]"')
    items = expand_inputs(inputs, "raise" if on_error == "raise" else "skip", None)
    batches = [_Batch(tuple(items[i:i + documents_per_partition]))
               for i in range(0, len(items), documents_per_partition)]
    meta = _frame(_merge([]))
    return dd.from_map(_partition, batches, on_error=on_error, config=config, meta=meta, enforce_metadata=False)


@dataclass(frozen=True)
class _Batch:
    """One partition's sources, with a cheap Dask token (Dask's own walks every field of every source: 2 s for the UNGDC)."""

    items: tuple

    def __dask_tokenize__(self) -> str:
        return hashlib.sha256(repr(self.items).encode("utf-8", "surrogatepass")).hexdigest()


def _partition(batch: _Batch, on_error: str, config: Config) -> pd.DataFrame:
    columns, skipped = _batch(list(batch.items), "raise" if on_error == "raise" else "skip", config)
    for err in skipped:
        warnings.warn(f"skipped {err}", stacklevel=2)
    return _frame(columns)
