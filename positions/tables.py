"""The statements and participants tables, and document metadata.

``statements`` is the contract of DESIGN.md: one row per statement and
speaker, with ``document.text[char_start:char_end] == text`` on every row.
A statement that names several speakers (欧洲联盟和欧洲委员会的代表也作了发言)
has a row for each, with the same offsets.
"""

from __future__ import annotations

import logging
import multiprocessing
import warnings
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING

from ._progress import progress
from .config import DEFAULT_CONFIG, Config
from .documents import Document, expand_inputs, iter_documents
from .segment import split_sentences
from .speakers import Attribution, SpeakerContext, attribute, find_attendance

_log = logging.getLogger("positions")

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CLASSIFIED_COLUMNS",
    "CLASSIFIED_DTYPES",
    "PARTICIPANT_COLUMNS",
    "STATEMENT_COLUMNS",
    "attributed",
    "info",
    "iter_statement_columns",
    "iter_statements",
    "participants",
    "statements",
]

STATEMENT_COLUMNS = [
    "doc_id", "source", "body", "session", "session_date", "lang", "section", "para", "sent",
    "char_start", "char_end", "text", "speaker_kind", "speaker", "on_behalf_of", "quantifier", "weight",
]
CLASSIFIED_COLUMNS = STATEMENT_COLUMNS + ["target", "stance", "confidence"]
CLASSIFIED_DTYPES = {"target": "string", "stance": "string", "confidence": "float64"}
PARTICIPANT_COLUMNS = ["doc_id", "para", "speaker", "speaker_kind", "on_behalf_of", "role"]
STATEMENT_DTYPES = {
    **{c: "string" for c in ("doc_id", "source", "body", "session_date", "lang", "section", "text",
                             "speaker_kind", "speaker", "on_behalf_of", "quantifier")},
    "session": "Int64", "para": "Int64", "sent": "int64", "char_start": "int64", "char_end": "int64",
    "weight": "float64",
}


def attributed(doc: Document, config: Config = DEFAULT_CONFIG):
    """Sentences of a document with their attributions, and the participants stated.

    Parameters
    ----------
    doc : Document
    config : Config

    Returns
    -------
    rows : list of (Paragraph, int, int, int, list of Attribution)
        Paragraph, sentence number in it (from 1), start, end, attributions.
    participants : dict
        ``participants`` (number of delegations used for ``most``/``general``
        weights), ``participants_source`` and ``attendance`` counts.

    Examples
    --------
    >>> import positions as pos
    >>> rows, stated = attributed(pos.read_document(pos.demo_files()[0]))
    >>> paragraph, sent, start, end, found = rows[6]
    >>> paragraph.number, sent, found[0].quantifier, stated["participants"]
    (5, 1, 'many', 19)
    """
    sentences = [
        (paragraph, n, start, end)
        for paragraph in doc.paragraphs
        for n, (start, end) in enumerate(split_sentences(doc.text, paragraph.start, paragraph.end, doc.lang), 1)
    ]
    if doc.speaker:
        fixed = [Attribution(doc.speaker["speaker_kind"], doc.speaker["speaker"], None, None,
                             config.named_weight, "file name", "speaker")]
        return [(*s, fixed) for s in sentences], {"participants": 1, "participants_source": "speech",
                                                   "attendance": {}}
    context = SpeakerContext(doc.lang, None, config, doc_id=doc.doc_id)
    rows = []
    previous: list[Attribution] | None = None
    current = None
    for paragraph, n, start, end in sentences:
        if paragraph is not current:
            current, previous, context.para = paragraph, None, paragraph.number
        found = attribute(doc.text[start:end], previous, context)
        rows.append((paragraph, n, start, end, found))
        previous = found
    attendance = find_attendance(doc.text, doc.lang)
    listed = {a.speaker for *_, found in rows for a in found if a.role == "speaker" and a.speaker_kind == "delegation"}
    if listed:
        stated, source = len(listed), "States that took the floor"
    elif attendance.get("member_states"):
        stated, source = attendance["member_states"], "attendance"
    else:
        stated, source = config.participants_fallback, "fallback"
    rows = [(paragraph, n, start, end, [_shared_weight(a, stated, config) for a in found])
            for paragraph, n, start, end, found in rows]
    return rows, {"participants": stated, "participants_source": source, "attendance": attendance}


def _shared_weight(a: Attribution, participants: int, config: Config) -> Attribution:
    """Weights of ``most`` and ``general`` once the participants are known."""
    if a.quantifier in config.share_weights:
        return replace(a, weight=config.weight(a.quantifier, participants))
    return a


def _document_rows(doc: Document, config: Config) -> dict[str, list]:
    rows, _ = attributed(doc, config)
    meta = doc.meta
    columns: dict[str, list] = {c: [] for c in STATEMENT_COLUMNS}
    for paragraph, n, start, end, found in rows:
        text = doc.text[start:end]
        for a in found:
            columns["section"].append(paragraph.section)
            columns["para"].append(paragraph.number)
            columns["sent"].append(n)
            columns["char_start"].append(start)
            columns["char_end"].append(end)
            columns["text"].append(text)
            columns["speaker_kind"].append(a.speaker_kind)
            columns["speaker"].append(a.speaker)
            columns["on_behalf_of"].append(a.on_behalf_of)
            columns["quantifier"].append(a.quantifier)
            columns["weight"].append(a.weight)
    size = len(columns["text"])
    for column, value in (("doc_id", doc.doc_id), ("source", doc.source), ("body", meta["body"]),
                          ("session", meta["session"]), ("session_date", meta["session_date"]),
                          ("lang", doc.lang)):
        columns[column] = [value] * size
    return columns


def _merge(batch: list[dict[str, list]]) -> dict[str, list]:
    return {c: [v for part in batch for v in part[c]] for c in STATEMENT_COLUMNS}


def _frame(columns: dict[str, list]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(columns, columns=STATEMENT_COLUMNS).astype(STATEMENT_DTYPES)


def iter_statement_columns(inputs, *, on_error: str = "raise", errors: list | None = None,
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
    items = expand_inputs(inputs, on_error, errors)
    batches = [items[i:i + batch_size] for i in range(0, len(items), batch_size)]
    workers = min(workers, len(batches))
    if workers <= 1:
        results = ((*_batch(batch, on_error, config), []) for batch in batches)
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


def _batch(items: list, on_error: str, config: Config) -> tuple[dict[str, list], list]:
    skipped: list = []
    parts = [_document_rows(doc, config) for doc in iter_documents(items, on_error, skipped, config)]
    return _merge(parts), skipped


def _pool_batch(items: list, on_error: str, config: Config) -> tuple[dict[str, list], list, list]:
    """:func:`_batch` in a worker process, with the warnings it raised, to be raised again in the parent."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        columns, skipped = _batch(items, on_error, config)
    return columns, skipped, [(str(w.message), w.category, w.filename, w.lineno) for w in caught]


def iter_statements(inputs, *, on_error: str = "raise", errors: list | None = None,
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
        yield _frame(columns)


def statements(inputs, *, on_error: str = "raise", config: Config = DEFAULT_CONFIG,
               workers: int = 1, backend: str = "pandas") -> pd.DataFrame:
    """The statements table of one or more documents.

    Parameters
    ----------
    inputs : str, os.PathLike, Document, or a list of them
        Files (.txt, .pdf, .docx, .html), folders (a UN General Debate Corpus
        folder is recognised) or glob patterns.
    on_error : {"raise", "skip"}
        ``skip`` leaves out unreadable files with a warning.
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
        from ._dask import dask_statements

        return dask_statements(inputs, on_error=on_error, config=config)
    if backend != "pandas":
        raise ValueError(f"backend must be 'pandas' or 'dask'; got {backend!r}")
    errors: list = []
    parts = list(iter_statements(inputs, on_error=on_error, errors=errors, config=config, workers=workers))
    for err in errors:
        warnings.warn(f"skipped {err}")
    if not parts:
        return _frame(_merge([]))
    import pandas as pd

    table = pd.concat(parts, ignore_index=True)
    _log.info("read %d documents: %d statements", table["doc_id"].nunique(), len(table))
    return table


def participants(inputs, *, on_error: str = "raise", errors: list | None = None,
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

    frame = pd.DataFrame.from_records(records, columns=PARTICIPANT_COLUMNS)
    return frame.astype({"para": "Int64"})


def info(inputs, *, on_error: str = "raise", errors: list | None = None,
         config: Config = DEFAULT_CONFIG) -> list[dict]:
    """Each document's metadata, with paragraph, statement and participant counts.

    Parameters
    ----------
    inputs, on_error, errors, config
        As for :func:`iter_statements`.

    Returns
    -------
    list of dict

    Examples
    --------
    >>> import positions as pos
    >>> first = pos.info(pos.demo_files())[0]
    >>> first["session"], first["venue"], first["start_date"]
    (1, 'Vienna', '2022-03-07')
    """
    out = []
    for doc in iter_documents(inputs, on_error, errors, config):
        rows, stated = attributed(doc, config)
        speakers = {(a.speaker, a.speaker_kind) for *_, found in rows for a in found if a.role == "speaker"}
        out.append({
            "doc_id": doc.doc_id, "source": doc.source, **doc.meta,
            "paragraphs": len(doc.paragraphs), "statements": len(rows),
            "speakers": sorted(code for code, kind in speakers if kind in ("delegation", "group")),
            "speaking_delegations": sum(kind == "delegation" for _, kind in speakers),
            "speaking_groups": sum(kind == "group" for _, kind in speakers),
            **stated,
        })
    return out
