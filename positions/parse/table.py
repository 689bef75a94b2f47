"""The statements and participants tables, and document metadata; on pandas or Dask.

``statements`` is the contract of DESIGN.md: one row per statement and
speaker, with ``document.text[char_start:char_end] == text`` on every row.
A statement that names several speakers (欧洲联盟和欧洲委员会的代表也作了发言)
has a row for each, with the same offsets.

On Dask (``statements(inputs, backend="dask")``) each partition holds whole
documents, so a reference back to a target never crosses a partition;
:func:`positions.stance` maps itself over the partitions, and the
aggregation functions compute the (small) classified table once and go on in
pandas.  Computing uses ``dask.distributed`` when a client exists, else Dask's
local scheduler.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import warnings
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..base.config import DEFAULT_CONFIG, Config, progress
from ..base.errors import error_mode, optional_import
from ..base.schema import PARTICIPANT_COLUMNS, typed
from ..read.documents import expand_inputs, iter_documents
from .build import attributed, batch_columns, merge_columns, statements_frame

_log = logging.getLogger("positions")

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["INFO_KEYS", "dask_statements", "info", "iter_statement_columns", "iter_statements", "participants",
           "statements"]

INFO_KEYS = ["doc_id", "source", "title", "body", "session", "start_date", "end_date", "session_date", "venue",
             "symbol", "lang", "year", "paragraphs", "statements", "speakers", "speaking_delegations",
             "speaking_groups", "participants", "participants_source", "attendance"]
"""The keys of :func:`info`'s dicts, the same for every kind of document."""


def iter_statement_columns(inputs, *, on_error: str = "fail", errors: list | None = None,
                           config: Config = DEFAULT_CONFIG, batch_size: int = 200,
                           workers: int = 1) -> Iterator[dict[str, list]]:
    """The statements table in batches, as plain columns (``{column: values}``).

    What :func:`iter_statements` wraps into DataFrames; the command line
    writes it without importing pandas.  Parameters are those of
    :func:`iter_statements`.

    Examples
    --------
    >>> import positions as pos
    >>> batch = next(pos.iter_statement_columns(pos.demo_files()[:1]))
    >>> batch["speaker"][5], batch["on_behalf_of"][5]
    ('PRT', 'EU')
    """
    on_error = error_mode(on_error)
    items = expand_inputs(inputs, on_error, errors)
    batches = [items[i:i + batch_size] for i in range(0, len(items), batch_size)]
    workers = min(workers, len(batches))
    if workers <= 1:
        results = ((*batch_columns(batch, on_error, config), []) for batch in batches)
        executor = None
    else:
        executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        results = executor.map(_pool_batch, batches, [on_error] * len(batches), [config] * len(batches))
    try:
        for columns, skipped, caught in progress(results, total=len(batches),
                                                 desc=f"reading {len(items)} documents", unit="batch"):
            for message, category, filename, lineno in caught:
                warnings.warn_explicit(message, category, filename, lineno)  # a worker's warning, said here
            if errors is not None:
                errors.extend(skipped)
            yield columns
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)


def _pool_batch(items: list, on_error: str, config: Config) -> tuple[dict[str, list], list, list]:
    """:func:`batch_columns` in a worker process, with the warnings it raised, to be raised again in the parent."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        columns, skipped = batch_columns(items, on_error, config)
    return columns, skipped, [(str(w.message), w.category, w.filename, w.lineno) for w in caught]


def iter_statements(inputs, *, on_error: str = "fail", errors: list | None = None,
                    config: Config = DEFAULT_CONFIG, batch_size: int = 200,
                    workers: int = 1) -> Iterator[pd.DataFrame]:
    """The statements table in batches of ``batch_size`` documents (for large corpora).

    Parameters
    ----------
    inputs, on_error, config
        As for :func:`statements`.
    errors : list, optional
        Receives the errors of skipped inputs (``on_error="skip"``).
    batch_size : int
        Documents per batch.
    workers : int
        Processes to read with (the command line uses one per CPU core).
        More than one starts a process pool that imports your ``__main__``
        again, so a script must call it under ``if __name__ == "__main__":``;
        notebooks need nothing.  Batches come out in input order either way.

    Yields
    ------
    pandas.DataFrame
        Statements of up to ``batch_size`` documents, columns :data:`STATEMENT_COLUMNS`.

    Examples
    --------
    >>> import positions as pos
    >>> [len(part.doc_id.unique()) for part in pos.iter_statements(pos.demo_files(), batch_size=4)]
    [4, 2]
    """
    for columns in iter_statement_columns(inputs, on_error=on_error, errors=errors, config=config,
                                          batch_size=batch_size, workers=workers):
        yield statements_frame(columns)


def statements(inputs, *, on_error: str = "fail", config: Config = DEFAULT_CONFIG,
               workers: int = 1, backend: str = "pandas") -> pd.DataFrame:
    """The statements table of one or more documents.

    Parameters
    ----------
    inputs : str, os.PathLike, Document, or a list of them
        Files (.txt, .pdf, .docx, .html), folders (a UN General Debate Corpus
        folder is recognised) or glob patterns.
    on_error : {"fail", "skip"}
        ``fail`` stops at the first unreadable file; ``skip`` leaves it out
        with a warning.
    config : Config
        Quantifier weights and the participants fallback.
    workers : int
        Processes to read with; see :func:`iter_statements`.
    backend : {"pandas", "dask"}
        ``dask`` returns a lazy ``dask.dataframe`` with whole documents in
        each partition (``pip install "positions[dask]"``); :func:`classify`
        and the aggregation functions take it as they take a pandas table,
        and it computes on a ``dask.distributed`` cluster when a client
        exists.

    Returns
    -------
    pandas.DataFrame (or dask.dataframe.DataFrame)
        Columns :data:`STATEMENT_COLUMNS`; one row per statement and speaker.

    Examples
    --------
    >>> import positions as pos
    >>> table = pos.statements(pos.demo_files())
    >>> row = table[table.para == 5].iloc[0]
    >>> row.speaker_kind, row.quantifier, float(row.weight)
    ('quantified', 'many', 10.0)
    """
    if backend == "dask":
        return dask_statements(inputs, on_error=on_error, config=config)
    if backend != "pandas":
        raise ValueError(f"backend must be 'pandas' or 'dask'; got {backend!r}")
    errors: list = []
    parts = list(iter_statements(inputs, on_error=on_error, errors=errors, config=config, workers=workers))
    for err in errors:
        warnings.warn(f"skipped {err}")
    if not parts:
        return statements_frame(merge_columns([]))
    import pandas as pd

    table = pd.concat(parts, ignore_index=True)
    _log.info("read %d documents: %d statements", table["doc_id"].nunique(), len(table))
    return table


def participants(inputs, *, on_error: str = "fail", errors: list | None = None,
                 config: Config = DEFAULT_CONFIG) -> pd.DataFrame:
    """Who took the floor, per document: the list of speakers, named speakers, officers.

    Parameters
    ----------
    inputs, on_error, errors, config
        As for :func:`iter_statements`.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``para``, ``speaker``, ``speaker_kind``,
        ``on_behalf_of``, ``role`` (``speaker`` or ``officer``), in the order
        the document names them.

    Examples
    --------
    >>> import positions as pos
    >>> table = pos.participants(pos.demo_files())
    >>> table[table.on_behalf_of.notna()][["speaker", "on_behalf_of"]].iloc[0].tolist()
    ['PRT', 'EU']
    """
    records = []
    for doc in iter_documents(inputs, on_error, errors, config):
        rows, _ = attributed(doc, config)
        seen = set()
        for paragraph, _, _, _, found in rows:
            for a in found:
                key = (paragraph.number, a.speaker, a.role, a.on_behalf_of)
                if a.role and key not in seen:
                    seen.add(key)
                    records.append((doc.doc_id, paragraph.number, a.speaker, a.speaker_kind, a.on_behalf_of, a.role))
            if doc.speaker:
                break
    import pandas as pd

    return typed(pd.DataFrame.from_records(records, columns=PARTICIPANT_COLUMNS), "participants")


def info(inputs, *, on_error: str = "fail", errors: list | None = None,
         config: Config = DEFAULT_CONFIG) -> list[dict]:
    """Each document's metadata, with paragraph, statement and participant counts.

    ``inputs``, ``on_error``, ``errors`` and ``config`` are those of :func:`iter_statements`.

    Returns
    -------
    list of dict
        One per document, with the keys :data:`INFO_KEYS` in that order
        (None where a document does not say: a speech has no venue dates).

    Examples
    --------
    >>> import positions as pos
    >>> first = pos.info(pos.demo_files())[0]
    >>> first["session"], first["venue"], first["start_date"], first["year"]
    (1, 'Vienna', '2022-03-07', 2022)
    """
    out = []
    for doc in iter_documents(inputs, on_error, errors, config):
        rows, stated = attributed(doc, config)
        speakers = {(a.speaker, a.speaker_kind) for *_, found in rows for a in found if a.role == "speaker"}
        found = {
            "doc_id": doc.doc_id, "source": doc.source, **doc.meta,
            "paragraphs": len(doc.paragraphs), "statements": len(rows),
            "speakers": sorted(code for code, kind in speakers if kind in ("delegation", "group")),
            "speaking_delegations": sum(kind == "delegation" for _, kind in speakers),
            "speaking_groups": sum(kind == "group" for _, kind in speakers),
            **stated,
        }
        out.append({key: found.get(key) for key in INFO_KEYS})
    return out


def dask_statements(inputs, *, on_error: str = "fail", config: Config = DEFAULT_CONFIG,
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
    on_error = error_mode(on_error)
    items = expand_inputs(inputs, on_error, None)
    batches = [_Batch(tuple(items[i:i + documents_per_partition]))
               for i in range(0, len(items), documents_per_partition)]
    meta = statements_frame(merge_columns([]))
    return dd.from_map(_partition, batches, on_error=on_error, config=config, meta=meta, enforce_metadata=False)


@dataclass(frozen=True)
class _Batch:
    """One partition's sources, with a cheap Dask token (Dask's own walks every field of every source: 2 s for the UNGDC)."""

    items: tuple

    def __dask_tokenize__(self) -> str:
        return hashlib.sha256(repr(self.items).encode("utf-8", "surrogatepass")).hexdigest()


def _partition(batch: _Batch, on_error: str, config: Config):
    columns, skipped = batch_columns(list(batch.items), on_error, config)
    for err in skipped:
        warnings.warn(f"skipped {err}", stacklevel=2)
    return statements_frame(columns)
