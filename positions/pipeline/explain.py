"""Explanations people can see: a classified row's mention, speaker and cues in displaCy's span style.

:func:`explain` renders one statement (a row of the classified table, or a
text it classifies first) from the evidence columns (``mention_start``,
``mention_end``, ``speaker_cue``, ``cues``): nothing is decided again.
:func:`explanations_page` gathers the explanations of the paragraphs a brief
cites into one HTML page, with an anchor per paragraph
(:func:`explanation_anchor`).
"""

from __future__ import annotations

import html
import json
import warnings
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ..parse.speakers import explain as speaker_explanation
from .language import blank, speaker_label, text_document

__all__ = ["Explanation", "explain", "explain_speaker", "explanation_anchor", "explanations_page"]

COLOURS = {"favor": "#56B4E9", "against": "#E69F00", "neutral": "#BBBBBB", "mention": "#CC79A7",
           "speaker": "#009E73"}
"""Span colours (Okabe-Ito, colour-blind safe): cues by the stance they were read as, the mention, the speaker."""


@dataclass(frozen=True)
class Explanation:
    """A rendered explanation: ``html`` (displaCy's span style), shown as such in Jupyter.

    Attributes
    ----------
    row : dict
        The classified row explained.
    spans : list of (str, str)
        ``(words, label)`` of the mention, the speaker and each cue, in that order.
    html : str

    Examples
    --------
    >>> shown = Explanation({}, [("a new treaty", "new_treaty")], "<div>...</div>")
    >>> str(shown), shown._repr_html_()
    ('new_treaty: a new treaty', '<div>...</div>')
    """

    row: dict
    spans: list
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return "; ".join(f"{label}: {words}" for words, label in self.spans)


def explain(row_or_text, *args, target: str | None = None, model="rules") -> Explanation:
    """Why a statement has its stance on a target, rendered: the mention, the speaker and each cue.

    Parameters
    ----------
    row_or_text : a row of the classified table (Series or dict), or str
        A row is rendered from its evidence columns as it is.  A text is
        classified first (:func:`positions.classify`, by ``model``).
    target : str, optional
        For a text addressing several targets: which one (default: the first).
    model : StanceClassifier, path, ``"rules"`` or None
        For a text: what classifies it (default the rules; None for the shipped model).

    Returns
    -------
    Explanation
        Shown in Jupyter; ``.html`` outside it; ``str()`` lists the spans.

    Examples
    --------
    >>> import positions as pos
    >>> shown = pos.explain("Many speakers did not support a new convention on cybercrime.")
    >>> str(shown)
    'new_treaty: a new convention on cybercrime; speaker many: Many speakers; against (negated -1): support'
    >>> "displacy" in shown.html or 'class="spans"' in shown.html
    True

    The form of version 0.2, ``explain(sentence, previous, context)``, is
    :func:`explain_speaker` and still works, with a DeprecationWarning.
    """
    if args:
        warnings.warn("positions.explain(sentence, previous, context) is now positions.explain_speaker",
                      DeprecationWarning, stacklevel=2)
        return speaker_explanation(row_or_text, *args)
    if isinstance(row_or_text, str):
        row_or_text = _classified_row(row_or_text, target, model)
    row = dict(row_or_text)
    spans = _spans(row)
    return Explanation(row, [(row["text"][s:e], label) for s, e, label in spans], _render(row, spans))


def explain_speaker(sentence: str, previous, context) -> tuple[str, str]:
    """Who a sentence is attributed to, and the words that decided it: ``("many", "许多发言者")``.

    This is :func:`positions.parse.speakers.explain`.

    Examples
    --------
    >>> from positions.parse.speakers import SpeakerContext
    >>> explain_speaker("许多发言者认为不需要。", None, SpeakerContext("zh"))
    ('many', '许多发言者')
    """
    return speaker_explanation(sentence, previous, context)


def _classified_row(text: str, target: str | None, model) -> pd.Series:
    from ..parse.build import document_columns, statements_frame
    from ..stance.classified import classify

    table = classify(statements_frame(document_columns(text_document(text))), model=model)
    if target is not None:
        table = table[table["target"] == target]
    if table.empty:
        raise ValueError(f"the text addresses {'no target' if target is None else 'not ' + repr(target)}: "
                         "nothing to explain")
    return table.iloc[0]


def _spans(row: dict) -> list[tuple[int, int, str]]:
    """(start, end, label) in the statement's text: the mention, the speaker's words, each cue."""
    offset = int(row["char_start"])
    spans = [(int(row["mention_start"]) - offset, int(row["mention_end"]) - offset, str(row["target"]))]
    cue = row.get("speaker_cue")
    at = row["text"].find(cue) if isinstance(cue, str) and cue else -1
    if at >= 0:
        spans.append((at, at + len(cue), f"speaker {speaker_label(row)}"))
    for found in json.loads(row["cues"]):
        spans.append((found["start"] - offset, found["end"] - offset,
                      f"{found['stance']} ({found['why']} {found['weight']:+g})"))
    return spans


@lru_cache(maxsize=2)
def _tokenizer(lang: str):
    return blank("zh" if lang == "zh" else "en")


def _render(row: dict, spans: list[tuple[int, int, str]]) -> str:
    from spacy import displacy

    doc = _tokenizer(str(row.get("lang") or "en"))(row["text"])
    shown = [doc.char_span(s, e, label=label, alignment_mode="expand") for s, e, label in spans]
    doc.spans["sc"] = [span for span in shown if span is not None]
    colours = {label.upper(): COLOURS["mention"] if i == 0 else
               COLOURS["speaker"] if label.startswith("speaker") else COLOURS[label.split(" ")[0]]
               for i, (_, _, label) in enumerate(spans)}
    markup = displacy.render(doc, style="span", jupyter=False, options={"colors": colours})
    where = f"{row.get('doc_id', '')} ¶{row['para']}.{row['sent']}" if pd.notna(row.get("para")) else ""
    head = (f"<p><b>{html.escape(where)}</b> {html.escape(str(row['target']))}: {html.escape(str(row['stance']))} "
            f"(confidence {float(row['confidence']):.2f}, {html.escape(str(row.get('model', '')))})</p>")
    return f'<div class="explanation">{head}{markup}</div>'


def explanation_anchor(doc_id: str, para) -> str:
    """The id of a cited paragraph's section on the explanations page.

    Examples
    --------
    >>> explanation_anchor("2017-third-meeting.zh", 41)
    'p-2017-third-meeting.zh-41'
    """
    return "p-" + "".join(c if c.isalnum() or c in "._-" else "_" for c in f"{doc_id}-{para}")


def explanations_page(classified: pd.DataFrame, paragraphs, title: str = "Explanations", lang: str = "en") -> str:
    """One HTML page with the explanation of every classified statement in the given paragraphs.

    Parameters
    ----------
    classified : DataFrame
        The classified table.
    paragraphs : iterable of (doc_id, para)
        The paragraphs to explain (those a brief cites); each gets a section
        with the id :func:`explanation_anchor`.

    Examples
    --------
    >>> import positions as pos
    >>> table = pos.classify(pos.statements(pos.demo_files()[:1]), model="rules")
    >>> page = explanations_page(table, [("ahc-2022-session1.en", 5)])
    >>> 'id="p-ahc-2022-session1.en-5"' in page, page.count('class="explanation"')
    (True, 3)
    """
    body = [f"<h1>{html.escape(title)}</h1>"]
    keyed = classified.assign(_para=classified["para"].astype("Int64"))
    for doc_id, para in dict.fromkeys((str(d), int(p)) for d, p in paragraphs):
        rows = keyed[(keyed["doc_id"] == doc_id) & (keyed["_para"] == para)]
        if rows.empty:
            continue
        body.append(f'<section id="{explanation_anchor(doc_id, para)}"><h2>{html.escape(doc_id)} ¶{para}</h2>')
        body += [explain(row).html for _, row in rows.drop(columns="_para").iterrows()]
        body.append("</section>")
    code = "zh-Hans" if lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{code}">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}'
            "</title>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")
