"""The library as a spaCy pipeline: speakers, target mentions and stance as components of a ``Language``.

``nlp("en")`` / ``nlp("zh")`` give a blank spaCy pipeline (Chinese segmented
by jieba, no download) with three components, registered as spaCy factories
(also through the ``spacy_factories`` entry point, :mod:`positions.pipeline.factories`, so
``spacy.blank("en").add_pipe("positions_stance")`` works once ``positions``
is installed):

- ``positions_speakers``: the statements of the document and their speakers
  (:func:`positions.parse.build.document_columns`), as ``doc.spans["statements"]``,
  the words that name each speaker as ``doc.spans["speakers"]``, and every
  gazetteer name (a ``PhraseMatcher``) as ``doc.spans["names"]``;
- ``positions_targets``: target mentions from the codebook
  (:func:`positions.stance.targets.detect_targets`), ``doc.spans["targets"]``;
- ``positions_stance``: one span per statement, speaker and target
  (:func:`positions.stance.classified.classify`), ``doc.spans["positions"]``,
  with ``._.target``, ``._.stance``, ``._.confidence``, ``._.cues`` and
  ``._.speaker``.

The components call the functions that make the pandas tables, so the two
paths give the same rows (:func:`spacy_table` turns the spans back into the
classified table).
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache, partial
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..base.config import DEFAULT_CONFIG
from ..base.schema import CLASSIFIED_COLUMNS, typed
from ..read.documents import Document, iter_documents
from ..read.layout import Paragraph
from ..read.metadata import detect_lang
from ..parse.build import document_columns, statements_frame

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COMPONENTS", "blank", "document_doc", "nlp", "register_factories", "spacy_docs", "spacy_table", "speaker_label", "text_document"]

COMPONENTS = ("positions_speakers", "positions_targets", "positions_stance")
"""The components :func:`nlp` adds, in order; each needs the ones before it."""
_SPAN_ATTRIBUTES = ("speaker", "speaker_kind", "quantifier", "weight", "target", "stance", "confidence", "cues",
                    "mention", "row")


def nlp(lang: str = "en", model: str | None = None):
    """A spaCy pipeline of the library's components for ``lang`` (``en`` or ``zh``).

    Parameters
    ----------
    lang : {"en", "zh"}
        English: spaCy's blank English; Chinese: spaCy's Chinese with the
        jieba segmenter (its bundled dictionary, no download).
    model : str, optional
        The stance model: a model file, ``"rules"``, or None for the shipped model.

    Returns
    -------
    spacy.language.Language

    Examples
    --------
    >>> import positions as pos
    >>> pipeline = pos.nlp("en", model="rules")
    >>> pipeline.pipe_names
    ['positions_speakers', 'positions_targets', 'positions_stance']
    >>> doc = pipeline("Many speakers supported a new convention on cybercrime.")
    >>> [(s.text[:13], s._.speaker, s._.target, s._.stance) for s in doc.spans["positions"]]
    [('Many speakers', 'many', 'new_treaty', 'favor')]
    """
    pipeline = blank(lang)
    pipeline.add_pipe("positions_speakers")
    pipeline.add_pipe("positions_targets")
    pipeline.add_pipe("positions_stance", config={"model": model or "shipped"})
    return pipeline


def blank(lang: str):
    """spaCy's blank pipeline for ``lang``: English, or Chinese segmented by jieba (no download).

    Examples
    --------
    >>> [t.text for t in blank("zh")("许多发言者认为不需要新的法律文书")][:3]
    ['许多', '发言者', '认为']
    """
    spacy = register_factories()
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
    if lang == "zh":  # spaCy's Chinese segmenter is jieba with its bundled dictionary; quiet, as in tokenize
        import jieba

        jieba.setLogLevel(logging.WARNING)
    config = {"nlp": {"tokenizer": {"segmenter": "jieba"}}} if lang == "zh" else {}
    return spacy.blank(lang, config=config)


def document_doc(document: Document, pipeline):
    """A spaCy ``Doc`` of a read document (its cleaned text), not yet through the components.

    ``pipeline(document_doc(d, pipeline))`` and ``pipeline.pipe`` of such docs
    keep the document's id, session and paragraphs; plain text gives each
    line a paragraph of its own and ``doc_id`` "text".

    Examples
    --------
    >>> import positions as pos
    >>> pipeline = pos.nlp("en", model="rules")
    >>> doc = pipeline(document_doc(pos.read_document(pos.demo_files()[0]), pipeline))
    >>> len(doc.spans["statements"]), doc.spans["positions"][0]._.row["doc_id"]
    (25, 'ahc-2022-session1.en')
    """
    doc = pipeline.make_doc(document.text)
    doc._.positions_document = document
    return doc


def spacy_docs(inputs, model: str | None = None, batch_size: int = 8) -> Iterator:
    """Read ``inputs`` and run each document through the pipeline of its language, in batches (``nlp.pipe``).

    Examples
    --------
    >>> import positions as pos
    >>> docs = list(spacy_docs(pos.demo_files()[:2], model="rules"))
    >>> [d.lang_ for d in docs], [len(d.spans["positions"]) for d in docs]
    (['en', 'zh'], [14, 14])
    """
    pipelines: dict = {}
    batch: list[Document] = []
    for document in iter_documents(inputs):
        if batch and batch[-1].lang != document.lang:
            yield from _run(batch, pipelines, model, batch_size)
            batch = []
        batch.append(document)
    yield from _run(batch, pipelines, model, batch_size)


def _run(documents: list[Document], pipelines: dict, model: str | None, batch_size: int) -> Iterator:
    if not documents:
        return
    lang = "zh" if documents[0].lang == "zh" else "en"
    pipeline = pipelines.get(lang) or pipelines.setdefault(lang, nlp(lang, model))
    yield from pipeline.pipe((document_doc(d, pipeline) for d in documents), batch_size=batch_size)


def spacy_table(docs: Iterable) -> pd.DataFrame:
    """The classified table of processed docs, read back from their ``doc.spans["positions"]``.

    Examples
    --------
    >>> import positions as pos
    >>> table = spacy_table(spacy_docs(pos.demo_files()[:1], model="rules"))
    >>> table.equals(pos.classify(pos.statements(pos.demo_files()[:1]), model="rules"))
    True
    """
    import pandas as pd

    rows = [span._.row for doc in docs for span in doc.spans["positions"]]
    return typed(pd.DataFrame(rows, columns=CLASSIFIED_COLUMNS), "classified")


def _spacy():
    from ..base.errors import optional_import

    spacy = optional_import("spacy", "spacy")
    from spacy.tokens import Doc, Span

    for name in ("positions_document", "positions_statements"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    for name in _SPAN_ATTRIBUTES:
        if not Span.has_extension(name):  # spaCy keys span values by offsets alone; ours by the span's id too
            Span.set_extension(name, getter=partial(_get, name=name))
    return spacy


def _key(span) -> tuple:
    return ("positions", span.start_char, span.end_char, span.label_, span.id_)


def _get(span, name: str):
    value = span.doc.user_data.get(_key(span), {}).get(name)
    return span.doc.char_span(*value, alignment_mode="expand") if name == "mention" and value else value


def _set(span, **values) -> None:
    span.doc.user_data.setdefault(_key(span), {}).update(values)


def text_document(text: str) -> Document:
    """Plain text as a document (``doc_id`` "text"): each non-empty line a paragraph, numbered in order.

    Examples
    --------
    >>> [p.number for p in text_document("Many speakers agreed.\\n\\nOthers did not.").paragraphs]
    [1, 2]
    """
    paragraphs, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            paragraphs.append(Paragraph(len(paragraphs) + 1, "", start, start + len(line)))
        start += len(line) + 1
    meta = {"body": None, "session": None, "session_date": None, "lang": detect_lang(text)}
    return Document("text", "text", text, meta, paragraphs)


def _span(doc, start: int, end: int, label: str, number: int = 0):
    """A span over the tokens covering ``start:end``; ``number`` tells spans on the same words apart."""
    return doc.char_span(int(start), int(end), label=label or "", alignment_mode="expand", span_id=str(number))


class Speakers:
    """``positions_speakers``: the document's statements and speakers, by the library's attribution.

    Also every name of the gazetteer (delegations, groups, organisations, in
    English and Chinese) found by a spaCy ``PhraseMatcher``, as
    ``doc.spans["names"]`` labelled with the entity's id.
    """

    def __init__(self, name: str = "positions_speakers", nlp=None) -> None:
        from spacy.matcher import PhraseMatcher

        from ..parse.gazetteer import gazetteer

        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for code, entity in gazetteer().entities.items():
            self.matcher.add(code, [nlp.make_doc(n) for n in dict.fromkeys((entity.name_en, entity.name_zh)) if n])

    def __call__(self, doc):
        document = doc._.positions_document or text_document(doc.text)
        table = statements_frame(document_columns(document, DEFAULT_CONFIG))
        doc._.positions_statements = table
        statements, speakers = [], []
        for (start, end), rows in table.groupby(["char_start", "char_end"], sort=False):
            span = _span(doc, start, end, "statement")
            _speaker_attributes(span, rows.iloc[0])
            statements.append(span)
            for row in rows.to_dict("records"):
                cue = row["speaker_cue"]
                at = row["text"].find(cue) if isinstance(cue, str) and cue else -1
                if at >= 0:
                    cue = _span(doc, start + at, start + at + len(cue), speaker_label(row))
                    speakers.append(cue)
        doc.spans["statements"] = statements
        doc.spans["speakers"] = speakers
        doc.spans["names"] = self.matcher(doc, as_spans=True)
        return doc


def speaker_label(row) -> str:
    """What names a statement's speaker: the delegation or group's id, else the quantifier, else the kind.

    Examples
    --------
    >>> speaker_label({"speaker": None, "quantifier": "many", "speaker_kind": "quantified"})
    'many'
    """
    return next((str(row[c]) for c in ("speaker", "quantifier", "speaker_kind") if isinstance(row[c], str) and row[c]),
                "")


def _speaker_attributes(span, row) -> None:
    _set(span, speaker=speaker_label(row), speaker_kind=row["speaker_kind"],
         quantifier=row["quantifier"] if isinstance(row["quantifier"], str) else None, weight=float(row["weight"]))


class Targets:
    """``positions_targets``: the codebook's target mentions, by the library's target detection."""

    def __init__(self, name: str = "positions_targets") -> None:
        from ..stance.codebook import load_codebook

        self.name = name
        self.codebook = load_codebook()

    def __call__(self, doc):
        from ..stance.targets import detect_targets

        table = _statements_of(doc, self.name)
        found = detect_targets(table, self.codebook)
        starts = table["char_start"].to_numpy()
        doc.spans["targets"] = [_span(doc, starts[row] + s, starts[row] + e, t)
                                for row, t, s, e in zip(found["row"], found["target"], found["start"], found["end"])]
        return doc


class Stance:
    """``positions_stance``: one span per statement, speaker and target, by :func:`classify`."""

    def __init__(self, name: str = "positions_stance", model: str = "shipped") -> None:
        from ..stance.model import load_model

        self.name = name
        self.model = "rules" if model == "rules" else load_model(None if model == "shipped" else model)

    def __call__(self, doc):
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable, batch_size: int = 8) -> Iterator:
        """Classify the statements of a batch of docs at once (one call of the model per batch)."""
        import pandas as pd

        from ..stance.classified import classify

        batch = list(docs)
        tables = [_statements_of(doc, self.name).assign(doc_id=f"{i}\x00") for i, doc in enumerate(batch)]
        if not tables:
            return
        classified = classify(pd.concat(tables, ignore_index=True), model=self.model)
        parts = dict(iter(classified.groupby("doc_id", sort=False)))
        for i, doc in enumerate(batch):
            own = parts.get(f"{i}\x00", classified.iloc[0:0])
            own = own.assign(doc_id=doc._.positions_statements["doc_id"].iloc[0] if len(own) else "text")
            doc.spans["positions"] = [_position(doc, row, k) for k, row in enumerate(own.to_dict("records"))]
            yield doc


def _statements_of(doc, component: str) -> pd.DataFrame:
    if doc._.positions_statements is None:
        raise ValueError(f"{component} needs positions_speakers before it in the pipeline "
                         "(nlp.add_pipe('positions_speakers', first=True))")
    return doc._.positions_statements


def _position(doc, row: dict, number: int):
    span = _span(doc, row["char_start"], row["char_end"], row["target"], number)
    _speaker_attributes(span, row)
    _set(span, target=row["target"], stance=row["stance"], confidence=float(row["confidence"]),
         cues=json.loads(row["cues"]), mention=(int(row["mention_start"]), int(row["mention_end"])),
         row={c: row[c] for c in CLASSIFIED_COLUMNS})
    return span


def make_speakers(nlp, name: str) -> Speakers:
    """The ``positions_speakers`` factory (also the ``spacy_factories`` entry point)."""
    return Speakers(name, nlp)


def make_targets(nlp, name: str) -> Targets:
    """The ``positions_targets`` factory (also the ``spacy_factories`` entry point)."""
    return Targets(name)


def make_stance(nlp, name: str, model: str) -> Stance:
    """The ``positions_stance`` factory; ``model`` is a model file, ``"rules"`` or ``"shipped"``."""
    return Stance(name, model)


@lru_cache(maxsize=1)
def register_factories():
    """Register the components as spaCy factories, once; returns the ``spacy`` module.

    spaCy is imported here, not when this module is (a report needs it for its
    explanations only, at the end): :func:`blank` and :func:`nlp` call this,
    and so does the ``spacy_factories`` entry point
    (:mod:`positions.pipeline.factories`).

    Examples
    --------
    >>> register_factories().Language.has_factory("positions_stance")
    True
    """
    spacy = _spacy()
    for name, make, defaults in (("positions_speakers", make_speakers, {}), ("positions_targets", make_targets, {}),
                                 ("positions_stance", make_stance, {"model": "shipped"})):
        spacy.Language.factory(name, default_config=defaults, func=make)
    return spacy
