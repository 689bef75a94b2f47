"""How documents, models and position tables look in Jupyter.

Jupyter calls ``Document._repr_html_`` and ``StanceClassifier._repr_mimebundle_``
on its own; :func:`style_positions` gives a position table as a pandas Styler
in the charts' stance colours.  All text from documents is HTML-escaped.
"""

from __future__ import annotations

import html

import pandas as pd

from .charts import STANCE_COLORS

__all__ = ["card_html", "document_html", "style_positions"]

_PREVIEW_PARAGRAPHS = 3
_PREVIEW_CHARS = 300


def style_positions(positions: pd.DataFrame, lang: str = "en"):
    """A position table styled for a notebook: stance colours, shares as bars, net positions signed.

    Parameters
    ----------
    positions : DataFrame
        From :func:`positions.position_table`.
    lang : {"en", "zh"}
        Language of the session names.

    Returns
    -------
    pandas.io.formats.style.Styler
        Display it in Jupyter, or ``.to_html()`` it for a brief.

    Examples
    --------
    >>> import positions as pos
    >>> table = pos.position_table(pos.classify(pos.statements(pos.demo_files())))
    >>> page = style_positions(table).to_html()
    >>> "#0072B2" in page and "−0.67" in page
    True
    """
    from ._formatting import session_name

    shown = positions.assign(session=[session_name(s, lang) for s in positions["session"]])
    columns = [c for c in ("session", "target", "stance", "statements", "weight", "share", "net", "net_low",
                           "net_high", "delegations") if c in shown.columns]

    def signed(value) -> str:
        return "–" if pd.isna(value) else f"{value:+.2f}".replace("-", "−")

    def colours(row: pd.Series) -> list[str]:
        colour = STANCE_COLORS.get(row["stance"], "#999999")
        share = 0.0 if pd.isna(row.get("share")) else float(row["share"])
        return [f"background-color: {colour}; color: white; font-weight: bold" if c == "stance" else
                f"background: linear-gradient(90deg, {colour}66 {share:.0%}, transparent {share:.0%})"
                if c == "share" else "" for c in row.index]

    return (shown[columns].style.apply(colours, axis=1)
            .format({"share": "{:.0%}", "weight": "{:g}", "net": signed, "net_low": signed, "net_high": signed},
                    na_rep="–")
            .hide(axis="index"))


def document_html(doc) -> str:
    """A document's metadata and first paragraphs as HTML (``Document._repr_html_``).

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
        number = f"¶{paragraph.number} " if getattr(paragraph, "number", None) is not None else ""
        preview.append(f"<p><small>{esc(number)}</small>{esc(text)}</p>")
    more = len(doc.paragraphs) - _PREVIEW_PARAGRAPHS
    tail = f"<p><small>… {more} more paragraphs</small></p>" if more > 0 else ""
    return (f"<div><strong>{esc(doc.doc_id)}</strong> <small>{esc(doc.source)}; {len(doc.paragraphs)} paragraphs, "
            f"{len(doc.text):,} characters</small><table>{rows}</table>{''.join(preview)}{tail}</div>")


def card_html(card: dict) -> str:
    """A model card's summary as HTML: what the model is, what it learnt from, how well it does.

    Examples
    --------
    >>> import positions as pos
    >>> "new_treaty" in card_html(pos.load_model().card_)
    True
    """
    esc = html.escape
    training = card["training"]
    summary = pd.DataFrame(card["metrics"]["summary"])
    overall = summary[summary["lang"] == "all"][["target", "n", "f_avg", "macro_f1", "accuracy"]]
    table = overall.to_html(index=False, float_format=lambda v: f"{v:.2f}", na_rep="–", border=0)
    sessions = "; ".join(f"{body} {', '.join(map(str, numbers[:3]))}{'…' if len(numbers) > 3 else ''}"
                         for body, numbers in training["sessions"].items())
    return (f"<div><strong>{esc(card['model'])}</strong><br>"
            f"<small>codebook {esc(card['codebook']['id'])} v{card['codebook']['version']}; trained on "
            f"{training['statements']} annotated statement-target pairs from {len(training['documents'])} documents "
            f"({esc(', '.join(f'{k} {v}' for k, v in training['languages'].items()))}); sessions: {esc(sessions)}"
            f"</small><br>Cross-validated ({esc(card['metrics']['cross_validation'])}):{table}</div>")
