"""Documents: cleaned, citable text with metadata and numbered paragraphs."""

from __future__ import annotations

import calendar
import html
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..base.config import DEFAULT_CONFIG, Config
from ..base.errors import InputError, error_mode
from . import metadata
from .files import Source, iter_sources, read_text
from .layout import Paragraph, parse_layout

__all__ = ["Document", "document_html", "expand_inputs", "iter_documents", "read_document", "ungdc_session_date"]

UNGDC_BODY = "General Assembly"


@dataclass
class Document:
    """One document: its cleaned text, metadata and paragraphs.

    Attributes
    ----------
    doc_id : str
        The file name without extension (``2017-third-meeting.zh``,
        ``RUS_74_2019``); annotations refer to documents by it.
    source : str
        The path it was read from.
    text : str
        The cleaned text every offset points into.
    meta : dict
        ``title``, ``body``, ``session``, ``start_date``, ``end_date``,
        ``session_date``, ``venue``, ``symbol``, ``lang``, ``year``: the same
        keys for every kind of document (None where the document does not say).
    paragraphs : list of Paragraph
    speaker : dict or None
        For a speech (a UN General Debate Corpus file): ``speaker_kind`` and
        ``speaker`` of the whole document.

    Examples
    --------
    >>> import positions as pos
    >>> doc = pos.read_document(pos.demo_files()[1])
    >>> doc.doc_id, doc.lang, doc.meta["session"], doc.paragraphs[4].number
    ('ahc-2022-session1.zh', 'zh', 1, 5)
    """

    doc_id: str
    source: str
    text: str
    meta: dict
    paragraphs: list[Paragraph] = field(default_factory=list)
    speaker: dict | None = None

    def _repr_html_(self) -> str:
        """In Jupyter: the metadata and the first paragraphs (escaped)."""
        return document_html(self)

    @property
    def lang(self) -> str:
        """The document's language, ``zh`` or ``en``."""
        return self.meta["lang"]


def ungdc_session_date(year: int) -> str:
    """The date given to a General Assembly session: the third Tuesday of September.

    That is the opening day under rule 1 of the Assembly's rules of procedure;
    sessions before 1990 sometimes opened on other days, so read it as the
    session's date, not the speech's.

    Examples
    --------
    >>> ungdc_session_date(2019)
    '2019-09-17'
    """
    tuesdays = [d for d in calendar.Calendar().itermonthdates(year, 9)
                if d.month == 9 and d.weekday() == calendar.TUESDAY]
    return tuesdays[2].isoformat()


def read_document(source: Source | str | os.PathLike, config: Config = DEFAULT_CONFIG) -> Document:
    """Read and clean one document.

    Parameters
    ----------
    source : Source, str or os.PathLike
        A file; a UN General Debate Corpus file is recognised by its place
        (``Session NN - YYYY/ISO_NN_YYYY.txt``).
    config : Config
        Its ``max_file_mb`` limits the file's size.

    Returns
    -------
    Document

    Raises
    ------
    InputError
        The file cannot be read, or holds no paragraph of text.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.txt"
    >>> _ = p.write_text("Report on the third session, held in Vienna from 10 to 13 April 2017\\n\\n"
    ...                  "1. Many speakers agreed.\\n2. Some did not.\\n3. The meeting closed.")
    >>> doc = read_document(p)
    >>> doc.meta["session"], doc.meta["start_date"], doc.meta["venue"], len(doc.paragraphs)
    (3, '2017-04-10', 'Vienna', 3)
    """
    if not isinstance(source, Source):
        source = next(iter_sources([str(source)]))
    raw = read_text(source.path, config)
    layout = parse_layout(raw, numbered=False if source.ungdc else None)
    if not layout.paragraphs:
        raise InputError(source.path, "no paragraph of text found")
    doc_id = os.path.splitext(os.path.basename(source.path))[0]
    lang = metadata.detect_lang(layout.text)
    if source.ungdc:
        return _speech(source, doc_id, layout, lang)
    opening = layout.text[: layout.paragraphs[0].end]
    front = " ".join(layout.front)
    start, end = metadata.find_dates(layout.title, front)
    meta = {
        "title": layout.title or None,
        "body": metadata.find_body(layout.title, front or opening),
        "session": metadata.find_session(layout.title, layout.text, int(start[:4]) if start else None),
        "start_date": start,
        "end_date": end,
        "session_date": start,
        "venue": metadata.find_venue(layout.title, front),
        "symbol": layout.symbol,
        "lang": lang,
        "year": int(start[:4]) if start else None,
    }
    return Document(doc_id, source.path, layout.text, meta, layout.paragraphs)


def _speech(source: Source, doc_id: str, layout, lang: str) -> Document:
    info = source.ungdc
    code = info["code"]
    venue = "Paris" if info["year"] in (1948, 1951) else "New York"
    meta = {
        "title": f"Statement by {code} in the general debate of the General Assembly, "
                 f"session {info['session']} ({info['year']})",
        "body": UNGDC_BODY,
        "session": info["session"],
        "start_date": None,
        "end_date": None,
        "session_date": ungdc_session_date(info["year"]),
        "venue": venue,
        "symbol": None,
        "lang": lang,
        "year": info["year"],
    }
    kind = "group" if code == "EU" else "delegation"
    return Document(doc_id, source.path, layout.text, meta, layout.paragraphs,
                    speaker={"speaker_kind": kind, "speaker": code})


def iter_documents(inputs, on_error: str = "fail", errors: list | None = None,
                   config: Config = DEFAULT_CONFIG) -> Iterator[Document]:
    """Read every document that ``inputs`` names, in order.

    Parameters
    ----------
    inputs : str, os.PathLike, Document, or a list of them
        Files, folders (a UN General Debate Corpus folder is recognised),
        glob patterns, or documents already read.
    on_error : {"fail", "skip"}
        ``skip`` records each bad file's :class:`InputError` in ``errors``
        and goes on; ``fail`` stops at the first (raises it).
    errors : list, optional
        Receives the skipped errors.
    config : Config
        Its ``max_file_mb`` limits each file's size.

    Yields
    ------
    Document

    Examples
    --------
    >>> docs = iter_documents(["no-such-file.txt"], on_error="skip", errors=(errs := []))
    >>> list(docs), [str(e) for e in errs]
    ([], ['no-such-file.txt: no such file or folder'])
    """
    on_error = error_mode(on_error)
    for item in expand_inputs(inputs, on_error, errors):
        if isinstance(item, Document):
            yield item
            continue
        try:
            yield read_document(item, config)
        except InputError as err:
            _handle(err, on_error, errors)


def expand_inputs(inputs, on_error: str = "fail", errors: list | None = None) -> list[Source | Document]:
    """The sources (and documents already read) that ``inputs`` names, in order.

    Parameters are those of :func:`iter_documents`.

    Examples
    --------
    >>> expand_inputs([], "skip")
    []
    """
    on_error = error_mode(on_error)
    items = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    out: list[Source | Document] = []
    for item in items:
        if isinstance(item, (Document, Source)):
            out.append(item)
            continue
        try:
            out.extend(iter_sources([str(item)]))
        except InputError as err:
            _handle(err, on_error, errors)
    return out


def _handle(err: InputError, on_error: str, errors: list | None) -> None:
    if on_error == "fail":
        raise err
    if errors is not None:
        errors.append(err)


_PREVIEW_PARAGRAPHS = 3
_PREVIEW_CHARS = 300


def document_html(doc: Document) -> str:
    """A document's metadata and first paragraphs as HTML (``Document._repr_html_``); all text escaped.

    Examples
    --------
    >>> import positions as pos
    >>> page = document_html(pos.read_document(pos.demo_files()[0]))
    >>> "<th>body</th><td>Ad Hoc Committee on Cybercrime</td>" in page
    True
    """
    esc = html.escape
    meta = {k: v for k, v in doc.meta.items() if v not in (None, "", {})}
    rows = "".join(f"<tr><th>{esc(str(k))}</th><td>{esc(str(v))}</td></tr>" for k, v in meta.items())
    preview = []
    for paragraph in doc.paragraphs[:_PREVIEW_PARAGRAPHS]:
        text = doc.text[paragraph.start:paragraph.end]
        text = text if len(text) <= _PREVIEW_CHARS else text[:_PREVIEW_CHARS - 1] + "…"
        number = f"¶{paragraph.number} " if paragraph.number is not None else ""
        preview.append(f"<p><small>{esc(number)}</small>{esc(text)}</p>")
    more = len(doc.paragraphs) - _PREVIEW_PARAGRAPHS
    tail = f"<p><small>… {more} more paragraphs</small></p>" if more > 0 else ""
    return (f"<div><strong>{esc(doc.doc_id)}</strong> <small>{esc(doc.source)}; {len(doc.paragraphs)} paragraphs, "
            f"{len(doc.text):,} characters</small><table>{rows}</table>{''.join(preview)}{tail}</div>")
