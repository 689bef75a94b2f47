"""One document's statements: sentences attributed to speakers, as plain columns.

:func:`attributed` is the attribution of a document's sentences;
:func:`document_columns` turns it into the statements table's columns, and
:func:`statements_frame` makes a typed DataFrame of them.  The statements
functions and the Dask back end build their tables from these.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import chain
from typing import TYPE_CHECKING

from ..base.config import DEFAULT_CONFIG, Config
from ..base.schema import STATEMENT_COLUMNS, STATEMENT_DTYPES
from ..read.documents import Document, iter_documents
from .sentences import split_sentences
from .speakers import Attribution, SpeakerContext, attribute, find_attendance

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["attributed", "batch_columns", "document_columns", "merge_columns", "statements_frame"]


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


def document_columns(doc: Document, config: Config = DEFAULT_CONFIG) -> dict[str, list]:
    """A document's statements as plain columns (``{column: values}``), one row per statement and speaker.

    Examples
    --------
    >>> import positions as pos
    >>> columns = document_columns(pos.read_document(pos.demo_files()[0]))
    >>> columns["quantifier"][6], columns["speaker_cue"][6]
    ('many', 'Many speakers')
    """
    rows, _ = attributed(doc, config)
    meta = doc.meta
    flat = [(paragraph, n, start, end, a) for paragraph, n, start, end, found in rows for a in found]
    paragraphs, sents, starts, ends, found = (list(column) for column in zip(*flat)) if flat else ([],) * 5
    text = doc.text
    columns: dict[str, list] = {
        "section": [paragraph.section for paragraph in paragraphs],
        "para": [paragraph.number for paragraph in paragraphs],
        "sent": sents, "char_start": starts, "char_end": ends,
        "text": [text[start:end] for start, end in zip(starts, ends)],
        "speaker_kind": [a.speaker_kind for a in found], "speaker": [a.speaker for a in found],
        "on_behalf_of": [a.on_behalf_of for a in found], "quantifier": [a.quantifier for a in found],
        "weight": [a.weight for a in found], "speaker_cue": ["" if a.carried else a.cue for a in found],
    }
    size = len(flat)
    for column, value in (("doc_id", doc.doc_id), ("source", doc.source), ("body", meta["body"]),
                          ("session", meta["session"]), ("session_date", meta["session_date"]),
                          ("lang", doc.lang)):
        columns[column] = [value] * size
    return {c: columns[c] for c in STATEMENT_COLUMNS}


def merge_columns(parts: list[dict[str, list]]) -> dict[str, list]:
    """Several documents' columns as one batch (no documents: empty columns).

    Examples
    --------
    >>> merge_columns([])["doc_id"]
    []
    """
    return {c: list(chain.from_iterable(part[c] for part in parts)) for c in STATEMENT_COLUMNS}


def statements_frame(columns: dict[str, list]) -> pd.DataFrame:
    """The statements table of a batch of columns, with the schema's dtypes.

    Examples
    --------
    >>> statements_frame(merge_columns([])).columns.tolist()[:3]
    ['doc_id', 'source', 'body']
    """
    import pandas as pd

    # each column made with its dtype at once (not objects first, then converted: a third of the time)
    return pd.DataFrame({c: pd.array(columns[c], dtype=STATEMENT_DTYPES[c]) for c in STATEMENT_COLUMNS})


def batch_columns(items: list, on_error: str, config: Config = DEFAULT_CONFIG) -> tuple[dict[str, list], list]:
    """Read a batch of sources into one batch of columns, with the errors of the inputs skipped.

    Examples
    --------
    >>> import positions as pos
    >>> columns, skipped = batch_columns(pos.demo_files()[:2] + ["missing.txt"], "skip")
    >>> sorted(set(columns["doc_id"])), [str(e) for e in skipped]
    (['ahc-2022-session1.en', 'ahc-2022-session1.zh'], ['missing.txt: no such file or folder'])
    """
    skipped: list = []
    parts = [document_columns(doc, config) for doc in iter_documents(items, on_error, skipped, config)]
    return merge_columns(parts), skipped
