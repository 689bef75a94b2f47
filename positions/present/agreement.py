"""The brief's cross-lingual check: how often the language versions of a report agree, and where they do not.

:func:`language_sentences` turns the table of
:func:`positions.aggregate.languages.language_agreement` into the brief's
``languages`` section: the agreement rate, then each disagreement with the
paragraph cited in both versions and the call the positions count.
"""

from __future__ import annotations

import pandas as pd

from ..stance.codebook import Codebook
from .words import ordered_targets, percent, target_label, words

__all__ = ["language_sentences"]


def _stance(value, phrases: dict) -> str:
    return phrases["lang_missing"] if not isinstance(value, str) else phrases[value]


def language_sentences(agreement: pd.DataFrame, book: Codebook, lang: str):
    """The ``languages`` section of the brief: rows of (section, target, session_label, text, sources).

    Nothing when no report was read in two languages.

    Examples
    --------
    >>> import positions as pos
    >>> from positions.aggregate.languages import language_agreement
    >>> table = language_agreement(pos.classify(pos.statements(pos.demo_files())))
    >>> rows = list(language_sentences(table, pos.load_codebook(), "en"))
    >>> rows[0][3][:38], len(rows) == 1 + int((table.agree == "no").sum())
    ('The English and Chinese versions were ', True)
    """
    if agreement.empty:
        return
    phrases = words(lang)
    names = phrases["lang_names"]
    pairs = agreement[["lang_a", "lang_b"]].drop_duplicates()
    langs = phrases["list"].join(phrases["lang_and"].join(names.get(x, x) for x in pair)
                                 for pair in pairs.itertuples(index=False, name=None))
    agree = int((agreement["agree"] == "yes").sum())
    reports = agreement[["doc_id_a", "doc_id_b"]].drop_duplicates()
    yield ("languages", None, None,
           phrases["lang_rate"].format(langs=langs, reports=len(reports), agree=agree, n=len(agreement),
                                       rate=percent(agree / len(agreement)))
           + (phrases["lang_tail"] if agree < len(agreement) else ""), "")
    rank = {t: i for i, t in enumerate(ordered_targets(agreement["target"], book))}
    differ = agreement[agreement["agree"] == "no"]
    differ = differ.assign(_rank=differ["target"].map(rank)).sort_values(["doc_id_a", "para", "_rank"], kind="stable")
    for row in differ.itertuples(index=False):
        used = row.lang_a if row.used == row.doc_id_a else row.lang_b
        text = phrases["lang_pair"].format(
            target=target_label(row.target, lang, book), para=row.para,
            lang_a=names.get(row.lang_a, row.lang_a), stance_a=_stance(row.stance_a, phrases),
            lang_b=names.get(row.lang_b, row.lang_b), stance_b=_stance(row.stance_b, phrases),
            used=names.get(used, used), conf_a=_confidence(row.confidence_a), conf_b=_confidence(row.confidence_b))
        yield "languages", row.target, None, text, f"{row.doc_id_a} ¶{row.para}; {row.doc_id_b} ¶{row.para}"


def _confidence(value) -> str:
    return "–" if pd.isna(value) else f"{value:.2f}"
