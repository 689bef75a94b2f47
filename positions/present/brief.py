"""The brief: plain sentences generated from the tables, each citing its source paragraphs.

:func:`brief_sentences` turns a classified table (and, when the report has
them already, its position and shift tables) into a tidy table of
sentences in Chinese or English: the main position on each target, the
shifts between sessions, which delegations spoke for or against each target
in which session, and a methods note (inputs, model and its measured
accuracy, weights, how intervals are made).
It reads the evidence the classified table carries (the speaker's words in
``speaker_cue``) and runs neither attribution nor the rules again.
:mod:`positions.present.render` renders it as Markdown and HTML.
"""

from __future__ import annotations

import re

import pandas as pd

from ..aggregate.languages import language_agreement, language_units
from ..aggregate.positions import SIGN, held, position_table, prepared, shift_table
from ..aggregate.sessions import ordered_sessions, session_labels
from ..aggregate.thresholds import MAJORITY, MARGIN, MIN_UNITS, verdict
from ..base.config import DEFAULT_CONFIG, Config
from ..base.schema import SCHEMAS, to_pandas, typed
from ..stance.codebook import Codebook
from ..stance.learner import model_codebook
from .agreement import language_sentences
from .words import (
    CITED_PARAGRAPHS,
    cite,
    delegation_name,
    number,
    ordered_targets,
    percent,
    quantifier_name,
    session_name,
    signed,
    speaker_name,
    speaker_words,
    target_label,
    words,
)

__all__ = ["BRIEF_COLUMNS", "SECTIONS", "brief_sentences", "methods_sentences"]

BRIEF_COLUMNS = list(SCHEMAS["brief"])
SECTIONS = ("positions", "shifts", "delegations", "languages", "methods")
_QUOTE_CHARS = 160
_ONE = re.compile(r"\b1 (more )?(document|statement|paragraph|report|session|change|paragraph-target unit)s\b")


def brief_sentences(classified: pd.DataFrame, *, statements: pd.DataFrame | None = None, model=None,
                    model_file: str | None = None, lang: str = "en", weighted: bool = True, n_boot: int = 1000,
                    seed: int = 0, config: Config = DEFAULT_CONFIG, positions: pd.DataFrame | None = None,
                    shifts: pd.DataFrame | None = None, agreement: pd.DataFrame | None = None) -> pd.DataFrame:
    """The brief's sentences, generated from the tables, each citing its source paragraphs.

    Parameters
    ----------
    classified : DataFrame
        From :func:`positions.stance` (and :func:`positions.relabel_sessions`).
    statements : DataFrame, optional
        The statements table it came from, for the counts in the methods note.
    model : StanceClassifier or "rules", optional
        The stance model used, for the methods note (its card gives the
        measured accuracy).
    model_file : str, optional
        How to name the model file in the methods note.
    lang : {"en", "zh"}
    weighted : bool
        Whether shares and net positions count each statement by its weight.
    n_boot, seed : int
        Bootstrap resamples and seed of the intervals (:func:`positions.position_table`).
    config : Config
        The weights used to build the statements table, for the methods note.
    positions, shifts, agreement : DataFrame, optional
        The position and shift tables of ``classified``, made with the same
        ``weighted``, ``n_boot`` and ``seed``, and its
        :func:`positions.aggregate.languages.language_agreement`, when they
        are made already (a report makes them once); computed here otherwise.

    Returns
    -------
    DataFrame
        ``section`` (``positions``, ``shifts``, ``delegations``,
        ``languages`` where language versions of a report were read,
        ``methods``),
        ``target`` and ``session_label`` (where the sentence is about one),
        ``text`` (a plain sentence; document text is quoted as it is) and
        ``sources`` (``doc_id ¶para, ¶para; ...``).

    Examples
    --------
    >>> import positions as pos
    >>> sentences = brief_sentences(pos.classify(pos.statements(pos.demo_files())))
    >>> first = sentences.iloc[0]
    >>> first.section, first.target, first.sources.split(" ")[0]
    ('positions', 'new_treaty', 'ahc-2023-session3.en')
    """
    words(lang)
    classified = to_pandas(classified)
    book = model_codebook(model)
    table = prepared(classified, weighted)
    if positions is None:
        positions = position_table(classified, weighted=weighted, n_boot=n_boot, seed=seed)
    if shifts is None:
        shifts = shift_table(classified, weighted=weighted, n_boot=n_boot, seed=seed)
    if agreement is None:
        agreement = language_agreement(classified)
    order = list(ordered_sessions(classified)["session_label"])
    versions = classified.assign(_unit=language_units(classified))
    rows = [*_position_sentences(table, positions, versions, book, lang, weighted),
            *_shift_sentences(table, shifts, book, lang),
            *_delegation_sentences(table, order, book, lang),
            *language_sentences(agreement, book, lang),
            *methods_sentences(table, statements, model, model_file, book, lang, weighted, n_boot, seed, config)]
    brief = pd.DataFrame(rows, columns=BRIEF_COLUMNS)
    if lang == "en":
        brief["text"] = brief["text"].map(_singular)
    return typed(brief, "brief")


def _singular(text: str) -> str:
    """English counts of one take the singular: "1 statements" -> "1 statement", "and 1 more paragraphs" too."""
    return _ONE.sub(lambda m: f"1 {m.group(1) or ''}{m.group(2)}", text)


def _position_sentences(table: pd.DataFrame, positions: pd.DataFrame, versions: pd.DataFrame, book: Codebook,
                        lang: str, weighted: bool):
    phrases = words(lang)
    for target in ordered_targets(positions["target"], book):
        part = positions[positions["target"] == target].sort_values("session_date", kind="stable")
        head = part.iloc[-1]
        last = head["session_label"]
        rows = table[(table["target"] == target) & (table["_group"] == last)]
        interval = ("" if pd.isna(head["net_low"]) else
                    phrases["interval"].format(low=signed(head["net_low"]), high=signed(head["net_high"])))
        named = ("" if not head["delegations"] else phrases["named_one"] if head["delegations"] == 1
                 else phrases["named"].format(d=int(head["delegations"])))
        label = target_label(target, lang, book)
        text = phrases["position"].format(
            target=label, session=session_name(last, lang),
            verdict=phrases["verdict"][verdict(head["favor_share"], head["against_share"], head["neutral_share"])],
            favor=percent(head["favor_share"]), against=percent(head["against_share"]),
            neutral=percent(head["neutral_share"]), weighting=phrases["weighted" if weighted else "unweighted"],
            net=signed(head["net"]), interval=interval, named=named,
            n=_count(int(head["statements"]), phrases) + _units(int(head["units"]), phrases))
        yield "positions", target, last, text, cite(rows, lang)
        if len(part) > 1:
            start = part.iloc[0]
            ends = table[(table["target"] == target) & table["_group"].isin([start["session_label"], last])]
            yield ("positions", target, None,
                   phrases["trajectory"].format(target=label, k=len(part), a=signed(start["net"]),
                                                first=session_name(start["session_label"], lang),
                                                b=signed(head["net"]), last=session_name(last, lang)),
                   cite(ends, lang))
        for stance in ("favor", "against"):
            taking = rows[rows["stance"] == stance]
            if taking.empty:
                continue
            top = _in_language(taking.sort_values(["_w", "doc_id", "para", "sent"],
                                                  ascending=[False, True, True, True], kind="stable").iloc[0],
                               versions, lang)
            yield ("positions", target, last,
                   phrases["heaviest"].format(target=label, stance=phrases[stance], session=session_name(last, lang),
                                              who=speaker_name(top, lang), quote=_quote(top["text"])),
                   cite(top.to_frame().T, lang))


def _in_language(top: pd.Series, versions: pd.DataFrame, lang: str) -> pd.Series:
    """The quoted statement in the brief's language: the same paragraph's version, where it takes the same stance."""
    if top["lang"] == lang:
        return top
    same = versions[(versions["_unit"] == top["_unit"]) & (versions["para"] == top["para"])
                    & (versions["target"] == top["target"]) & (versions["stance"] == top["stance"])
                    & (versions["lang"] == lang)]
    return top if same.empty else same.sort_values(["weight", "sent"], ascending=[False, True], kind="stable").iloc[0]


def _count(n: int, phrases: dict) -> str:
    return phrases["statement"] if n == 1 else phrases["statements"].format(n=n)


def _units(n: int, phrases: dict) -> str:
    return phrases["in_unit"] if n == 1 else phrases["in_units"].format(u=n)


def _quote(text: str) -> str:
    text = re.sub(r"\s+", " ", str(text)).strip()
    return text if len(text) <= _QUOTE_CHARS else text[:_QUOTE_CHARS - 1].rstrip() + "…"


def _shift_sentences(table: pd.DataFrame, shifts: pd.DataFrame, book: Codebook, lang: str):
    """Shifts beyond the noise; shifts with too few paragraphs to tell; else the largest change, within the noise."""
    phrases = words(lang)
    if shifts.empty:
        yield "shifts", None, None, phrases["one_session"], ""
        return
    few = shifts[shifts[["units_from", "units_to"]].min(axis=1) < MIN_UNITS]
    for row in shifts.itertuples(index=False):
        rows = table[(table["target"] == row.target)
                     & table["_group"].isin([row.from_session_label, row.to_session_label])]
        named = dict(target=target_label(row.target, lang, book), a=signed(row.net_from), b=signed(row.net_to),
                     s1=session_name(row.from_session_label, lang), s2=session_name(row.to_session_label, lang),
                     c=signed(row.change))
        if row.beyond_noise:
            text = phrases["shift"].format(direction=phrases["rose" if row.change > 0 else "fell"], **named,
                                           low=signed(row.change_low), high=signed(row.change_high))
        elif min(row.units_from, row.units_to) < MIN_UNITS:
            text = phrases["too_few"].format(n1=row.units_from, n2=row.units_to, k=MIN_UNITS, **named)
        else:
            continue
        yield "shifts", row.target, row.to_session_label, text, cite(rows, lang)
    within = shifts[~shifts["beyond_noise"] & ~shifts.index.isin(few.index)]
    if not shifts["beyond_noise"].any() and not within.empty:
        largest = within.loc[within["change"].abs().idxmax()]
        rows = table[(table["target"] == largest.target)
                     & table["_group"].isin([largest.from_session_label, largest.to_session_label])]
        yield ("shifts", largest.target, largest.to_session_label,
               phrases["no_shift"].format(k=len(within), target=target_label(largest.target, lang, book),
                                          s1=session_name(largest.from_session_label, lang),
                                          s2=session_name(largest.to_session_label, lang),
                                          c=signed(largest.change)), cite(rows, lang))


def _delegation_sentences(table: pd.DataFrame, order: list[str], book: Codebook, lang: str):
    phrases = words(lang)
    named = table[table["speaker_kind"].isin(["delegation", "group"]) & table["speaker"].notna()]
    if named.empty:
        yield "delegations", None, None, phrases["no_delegations"], ""
        return
    rank = {name: i for i, name in enumerate(order)}
    named = named.assign(_sign=named["stance"].map(SIGN))
    stances = (named.groupby(["target", "_group", "speaker"], sort=False)["_sign"].mean()
               .map(held).rename("held").reset_index())
    for target in ordered_targets(stances["target"], book):
        label = target_label(target, lang, book)
        mine = stances[stances["target"] == target]
        for session in sorted(mine["_group"].unique(), key=rank.get):
            for stance in ("favor", "against"):
                speakers = sorted(mine[(mine["_group"] == session) & (mine["held"] == stance)]["speaker"])
                if not speakers:
                    continue
                rows = named[(named["target"] == target) & (named["_group"] == session)
                             & named["speaker"].isin(speakers)]
                yield ("delegations", target, session,
                       phrases["delegations_line"].format(
                           target=label, session=session_name(session, lang), stance=phrases["stance_of"][stance],
                           names=phrases["list"].join(delegation_name(s, lang) for s in speakers)),
                       cite(rows, lang, limit=max(CITED_PARAGRAPHS, len(speakers))))
        for speaker, spoken in mine.groupby("speaker", sort=True):
            spoken = spoken.sort_values("_group", key=lambda s: s.map(rank), kind="stable")
            steps = list(zip(spoken["_group"], spoken["held"]))
            for (s1, a), (s2, b) in zip(steps, steps[1:]):
                if a != b:
                    rows = named[(named["target"] == target) & (named["speaker"] == speaker)
                                 & named["_group"].isin([s1, s2])]
                    yield ("delegations", target, s2,
                           phrases["moved"].format(target=label, who=delegation_name(speaker, lang),
                                                   a=phrases["held"][a], s1=session_name(s1, lang),
                                                   b=phrases["held"][b], s2=session_name(s2, lang)),
                           cite(rows, lang))


_ZH_CV = re.compile(r"grouped by (\w+), (\d+) folds")


def _distinct(phrases) -> list[str]:
    """Phrases without repeats that differ only in case, in first-seen order."""
    kept: dict[str, str] = {}
    for phrase in phrases:
        if phrase:
            kept.setdefault(phrase.casefold(), phrase)
    return list(kept.values())


def methods_sentences(table: pd.DataFrame, statements: pd.DataFrame | None, model, model_file: str | None,
                      book: Codebook, lang: str, weighted: bool, n_boot: int, seed: int, config: Config):
    """The methods section: inputs, model and its measured accuracy, weights, how intervals are made.

    ``table`` is the classified table with each row's session (``_group``)
    and weight (``_w``), as :func:`positions.aggregate.positions.prepared`
    gives it; the other parameters are those of
    :func:`positions.present.brief.brief_sentences`.  Yields the rows of the
    brief's table.

    Examples
    --------
    >>> import positions as pos
    >>> from positions.aggregate.positions import prepared
    >>> table = prepared(pos.classify(pos.statements(pos.demo_files()), model="rules"), weighted=True)
    >>> rows = list(methods_sentences(table, None, "rules", None, pos.load_codebook(), "en", True, 1000, 0,
    ...                               pos.DEFAULT_CONFIG))
    >>> rows[0][3][:24]
    'Input: 6 documents (en 3'
    """
    phrases = words(lang)
    source = statements if statements is not None else table
    order = ordered_sessions(source)
    langs = ", ".join(f"{k} {v}" for k, v in source.groupby("lang")["doc_id"].nunique().sort_index().items())
    first, last = (session_name(order["session_label"].iloc[i], lang) for i in (0, -1))
    spanned = (phrases["m_session"].format(first=first) if len(order) == 1
               else phrases["m_sessions"].format(k=len(order), first=first, last=last))
    yield ("methods", None, None,
           phrases["m_input"].format(docs=source["doc_id"].nunique(), langs=langs,
                                   statements=len(source.drop_duplicates(["doc_id", "para", "sent"])),
                                   sessions=spanned, rows=len(table)), "")
    if model is None or isinstance(model, str):
        described = phrases["m_rules"]
    else:
        card = model.card_
        described = phrases["m_trained"].format(file=model_file or phrases["m_passed"], desc=card["model"],
                                              name=card["model"].split(":")[0], rows=card["training"]["statements"])
    yield "methods", None, None, phrases["m_model"].format(book=book.id, version=book.version, model=described), ""
    if model is not None and not isinstance(model, str):
        summary = pd.DataFrame(model.card_["metrics"]["summary"])
        overall = summary[summary["lang"] == "all"].set_index("target")["f_avg"]
        scores = phrases["list"].join(f"{target_label(t, lang, book) if t != 'all' else phrases['all']} {overall[t]:.2f}"
                                    for t in [*book.target_ids, "all"] if t in overall and pd.notna(overall[t]))
        cv = model.card_["metrics"]["cross_validation"]
        cv = _ZH_CV.sub(r"按 \1 分组，\2 折", cv) if lang == "zh" else cv
        yield "methods", None, None, phrases["m_scores"].format(cv=cv, scores=scores), ""
        weak = [target_label(t, lang, book) for t in book.target_ids if t in overall and overall[t] < 0.6]
        if weak:
            yield "methods", None, None, phrases["m_weak"].format(targets=phrases["list"].join(weak)), ""
    yield ("methods", None, None, phrases["m_weights" if weighted else "m_unweighted"].format(
        named=number(config.named_weight), meeting=number(config.meeting_weight)), "")
    quantified = table[table["quantifier"].notna() & table["speaker_kind"].isin(["quantified", "meeting"])]
    if quantified.empty:
        yield "methods", None, None, phrases["m_no_quantifier"], ""
    for quantifier, rows in sorted(quantified.groupby("quantifier"), key=lambda item: -item[1]["weight"].max()):
        cues = _distinct(map(speaker_words, rows["speaker_cue"].dropna()))[:4]
        weight = rows["weight"].astype(float).max()
        if quantifier in config.share_weights:
            share = config.share_weights[quantifier]
            shown = phrases["m_share_weight"].format(share=number(share), participants=round(weight / share),
                                                   value=number(weight))
        else:
            shown = number(weight)
        yield ("methods", None, None,
               phrases["m_quantifier"].format(quantifier=quantifier_name(quantifier, lang), weight=shown,
                                            words=phrases["list"].join(f"“{c}”" for c in cues) if cues else "–",
                                            n=len(rows.drop_duplicates(["doc_id", "para", "sent"]))),
               cite(rows, lang))
    units = len(table[["_para", "target"]].drop_duplicates())
    yield "methods", None, None, phrases["m_net"].format(n_boot=f"{n_boot:,}", seed=seed, units=units), ""
    yield ("methods", None, None, phrases["m_words"].format(majority=percent(MAJORITY), margin=percent(MARGIN),
                                                            min_units=MIN_UNITS), "")
    both = source.groupby(session_labels(source))["lang"].nunique()
    if (both > 1).any():
        yield ("methods", None, None,
               phrases["m_languages"].format(sessions=phrases["list"].join(session_name(s, lang) for s in both[both > 1].index)),
               "")
