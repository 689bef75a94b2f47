"""The brief rendered as Markdown and as one HTML page, and a position table styled for a notebook.

Every piece of document text is HTML-escaped.  Documents
(``Document._repr_html_``) and models (``StanceClassifier._repr_mimebundle_``)
render themselves in their own stages.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from .brief import SECTIONS
from .words import STANCE_COLORS, session_name, signed, words

__all__ = ["brief_html", "brief_markdown", "cited_paragraphs", "style_positions"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def brief_markdown(sentences: pd.DataFrame, *, lang: str = "en", title: str | None = None,
                   charts: list[tuple[str, str]] | None = None, notes: list[str] | None = None,
                   subtitle: str | None = None) -> str:
    """The brief as Markdown: sections of sentences, each followed by its sources; charts before the methods.

    Parameters
    ----------
    sentences : DataFrame
        From :func:`brief_sentences`.
    lang : {"en", "zh"}
    title : str, optional
    charts : list of (path, caption), optional
        Images to show, paths relative to where the brief is written.
    notes : list of str, optional
        Extra lines for the methods section (e.g. which files were written).
    subtitle : str, optional
        A line under the title.

    Examples
    --------
    >>> from positions.present.brief import BRIEF_COLUMNS
    >>> rows = pd.DataFrame([["positions", "t", "s", "A <b>bold</b> claim.", "doc ¶3"]], columns=BRIEF_COLUMNS)
    >>> print(brief_markdown(rows, title="T"))  # doctest: +NORMALIZE_WHITESPACE
    # T
    <BLANKLINE>
    ## Main positions
    <BLANKLINE>
    - A \\<b\\>bold\\</b\\> claim. [doc ¶3]
    <BLANKLINE>
    """
    phrases = words(lang)
    lines = [f"# {_md(title or phrases['positions'])}", ""]
    if subtitle:
        lines += [f"_{_md(subtitle)}_", ""]
    for section, part, extra in _sections(sentences, notes, charts):
        if section == "charts":
            lines += [f"## {phrases['charts']}", ""]
            for path, caption in charts or []:
                lines += [f"![{_md(caption)}]({path})", "", f"_{_md(caption)}_", ""]
            continue
        lines += [f"## {phrases[section]}", ""]
        for row in part.itertuples(index=False):
            sources = f" [{_md(row.sources)}]" if isinstance(row.sources, str) and row.sources else ""
            lines.append(f"- {_md(row.text)}{sources}")
        lines += [f"- {_md(note)}" for note in extra]
        lines.append("")
    return "\n".join(lines)


def _sections(sentences: pd.DataFrame, notes: list[str] | None, charts: list | None = None):
    """(section, its sentences, extra lines) in reading order, with ``charts`` before the methods."""
    for section in SECTIONS:
        if section == "methods" and charts:
            yield "charts", None, []
        part = sentences[sentences["section"] == section]
        extra = list(notes or []) if section == "methods" else []
        if not part.empty or extra:
            yield section, part, extra


_CSS = """body { font-family: "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif; max-width: 52em;
       margin: 2em auto; line-height: 1.5; color: #222; }
.sources { color: #555; font-size: 0.9em; }
figure { margin: 1.5em 0; } img { max-width: 100%; } figcaption { color: #555; font-size: 0.9em; }
.subtitle { color: #555; }"""


def brief_html(sentences: pd.DataFrame, *, lang: str = "en", title: str | None = None,
               charts: list[tuple[str, str]] | None = None, notes: list[str] | None = None,
               subtitle: str | None = None, explanations: tuple[str, set] | None = None) -> str:
    """The brief as one HTML page; every piece of text is escaped, so markup in a document stays text.

    ``explanations`` is ``(page, paragraphs)``: each cited ``doc ¶N`` of
    ``paragraphs`` (a set of ``(doc_id, N)``) links to its section of
    ``page`` (:func:`positions.pipeline.explain.explanations_page`).

    Examples
    --------
    >>> from positions.present.brief import BRIEF_COLUMNS
    >>> rows = pd.DataFrame([["positions", "t", "s", "<script>alert(1)</script>", "doc ¶3"]], columns=BRIEF_COLUMNS)
    >>> "<script>" in brief_html(rows), "&lt;script&gt;alert(1)&lt;/script&gt;" in brief_html(rows)
    (False, True)
    """
    phrases = words(lang)
    esc = html.escape
    heading = esc(title or phrases["positions"])
    body = [f"<h1>{heading}</h1>"]
    if subtitle:
        body.append(f'<p class="subtitle">{esc(subtitle)}</p>')
    for section, part, extra in _sections(sentences, notes, charts):
        if section == "charts":
            body.append(f"<h2>{esc(phrases['charts'])}</h2>")
            body += [f'<figure><img src="{esc(path, quote=True)}" alt="{esc(caption, quote=True)}">'
                     f"<figcaption>{esc(caption)}</figcaption></figure>" for path, caption in charts]
            continue
        body += [f"<h2>{esc(phrases[section])}</h2>", "<ul>"]
        for row in part.itertuples(index=False):
            sources = (f' <span class="sources">[{_linked(row.sources, explanations)}]</span>'
                       if isinstance(row.sources, str) and row.sources else "")
            body.append(f"<li>{esc(row.text)}{sources}</li>")
        body += [f"<li>{esc(note)}</li>" for note in extra]
        body.append("</ul>")
    code = "zh-Hans" if lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{code}">\n<head>\n<meta charset="utf-8">\n<title>{heading}</title>\n'
            f"<style>\n{_CSS}\n</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


_CITED = re.compile(r"^(?P<doc>.+?) (?P<paras>¶\d+(?:, ¶\d+)*)$")


def cited_paragraphs(sentences: pd.DataFrame) -> list[tuple[str, int]]:
    """Every ``(doc_id, para)`` the brief's sentences cite, in the order cited.

    Examples
    --------
    >>> rows = pd.DataFrame({"sources": ["a ¶2, ¶9; b ¶3", "b ¶3; and 2 more paragraphs", None]})
    >>> cited_paragraphs(rows)
    [('a', 2), ('a', 9), ('b', 3)]
    """
    found = {}
    for sources in sentences["sources"].dropna():
        for part in str(sources).split("; "):
            match = _CITED.match(part)
            if match:
                found.update(dict.fromkeys((match["doc"], int(n)) for n in re.findall(r"\d+", match["paras"])))
    return list(found)


def _linked(sources: str, explanations: tuple[str, set] | None) -> str:
    """Escaped sources, each cited paragraph with an explanation a link to it."""
    if not explanations:
        return html.escape(sources)
    from ..pipeline.explain import explanation_anchor

    page, explained = explanations
    parts = []
    for part in sources.split("; "):
        match = _CITED.match(part)
        if not match:
            parts.append(html.escape(part))
            continue
        doc = match["doc"]
        links = [f'<a href="{html.escape(page, quote=True)}#{explanation_anchor(doc, int(n))}">¶{n}</a>'
                 if (doc, int(n)) in explained else f"¶{n}" for n in re.findall(r"\d+", match["paras"])]
        parts.append(f"{html.escape(doc)} {', '.join(links)}")
    return "; ".join(parts)


def style_positions(positions: pd.DataFrame, lang: str = "en"):
    """A position table styled for a notebook: shares as bars in the stance colours, net positions signed.

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
    shown = positions.assign(session_label=[session_name(s, lang) for s in positions["session_label"]])
    columns = [c for c in ("session_label", "target", "statements", "weight", "favor_share", "against_share",
                           "neutral_share", "net", "net_low", "net_high", "delegations") if c in shown.columns]

    def bars(column: pd.Series) -> list[str]:
        colour = STANCE_COLORS[column.name.removesuffix("_share")]
        return [f"background: linear-gradient(90deg, {colour}66 {share:.0%}, transparent {share:.0%}); "
                f"border-left: 3px solid {colour}" if pd.notna(share) else "" for share in column]

    shares = [c for c in columns if c.endswith("_share")]
    headers = [{"selector": f"th.col_heading.col{columns.index(c)}",
                "props": f"background-color: {STANCE_COLORS[c.removesuffix('_share')]}; color: white"} for c in shares]
    return (shown[columns].style.apply(bars, subset=shares).set_table_styles(headers)
            .format({**{c: "{:.0%}" for c in shares}, "weight": "{:g}", "net": signed, "net_low": signed,
                     "net_high": signed}, na_rep="–")
            .hide(axis="index"))
