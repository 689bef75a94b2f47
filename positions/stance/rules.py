"""Stance on a target by rules that explain themselves.

The rules (:func:`stance_cues`) read a statement clause by clause, keep the
clauses that speak of the target (and those that speak of no target), and
score each stance cue of ``resources/stance.yaml`` and of the codebook:

- a negator just before a cue turns it round (不支持, "do not support");
- a verb of opposing, or 不需要 / "no need", absorbs the cues after it in its
  clause ("objected to the idea that a new instrument was needed" is against);
- a rebuttal turns its clause round (反对制定全球文书是不合理的 is favour);
- a verb of harming whose object is the target itself is favour for it: in
  "no new instrument, it would harm capacity-building efforts" the harm is the
  reason against the instrument, and capacity building is what is defended;
- a clause that names no target speaks of the target named last before it
  ("…新的国际法律文书毫无增加值，因此予以反对" opposes the instrument, not
  what a later clause names);
- a clause after 但 / "but" / "unless" weighs double, one opened by 尽管 /
  "although" half.

The cues are the evidence of the classified table (:func:`cues_json`) and
features of the learned model (:mod:`positions.stance.learner`).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .codebook import Codebook, load_codebook
from .targets import find_mentions

__all__ = ["Cue", "cached_cues", "cues_json", "explain_stance", "lexicon_digest", "rule_stance", "stance_cues",
           "stance_label"]

_KINDS = ("favor", "against", "weak_favor", "negators", "governors", "harms", "rebuttals", "contrast", "concession",
          "neutral")
_CLAUSE_END = {"zh": r"[，,；;：:。！？!?]",  # and "…and warned that": a second reported claim is a clause of its own
               "en": r"[,;:.!?](?=\s|$)|\s[–—-]\s|\s(?=and (?:also )?(?:warned|stressed|said|noted|added|insisted"
                     r"|argued|emphasi[sz]ed|underlined|cautioned|recalled|called)\b)"}


@dataclass(frozen=True)
class Cue:
    """A stance cue found in a statement, with the weight the rules gave it.

    ``polarity`` is +1 (favour), -1 (against) or 0 (a neutral, reporting cue);
    ``why`` says how the rules read it: ``cue``, ``negated``, ``governed``
    (absorbed by a verb of opposing: weight 0), ``rebutted``.

    Examples
    --------
    >>> stance_cues("There is no need for a new treaty on cybercrime.", "new_treaty", "en")
    [Cue(start=9, end=16, text='no need', polarity=-1, weight=1.0, why='cue')]
    """

    start: int
    end: int
    text: str
    polarity: int
    weight: float
    why: str

    @property
    def score(self) -> float:
        """Signed contribution to the statement's stance."""
        return self.polarity * self.weight


class _Lexicon:
    def __init__(self, book: Codebook, lang: str) -> None:
        shared = _shared_lexicon()[lang]
        self.patterns = {kind: _union(shared.get(kind, [])) for kind in _KINDS}
        self.targets = {
            target: {kind: _union(book.cues(target, kind, lang)) for kind in ("favor", "against")}
            for target in book.target_ids
        }
        self.clause_end = re.compile(_CLAUSE_END[lang])


@lru_cache(maxsize=1)
def _shared_lexicon() -> dict:
    import yaml

    return yaml.safe_load(_lexicon_text())


def _lexicon_text() -> str:
    return resources.files("positions").joinpath("resources/stance.yaml").read_text(encoding="utf-8")


def lexicon_digest() -> str:
    """SHA-256 (16 hex digits) of the shared stance cues; model cards record it.

    Examples
    --------
    >>> len(lexicon_digest())
    16
    """
    return hashlib.sha256(_lexicon_text().encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=32)
def _lexicon(book_json: str, lang: str) -> _Lexicon:
    return _Lexicon(Codebook.from_json(book_json), lang)


def _union(patterns: list[str]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None


def _clauses(text: str, lexicon: _Lexicon) -> list[tuple[int, int, float]]:
    """Clause spans with their weights.

    A clause opened by a contrast word (但, "but") weighs 2, and so do the
    clauses after it up to the next semicolon or full stop; a clause opened
    by a concession word (尽管, "although", "while") weighs 0.5; others 1.
    """
    cuts = {0, len(text)}
    cuts.update(m.end() for m in lexicon.clause_end.finditer(text))
    for kind in ("contrast", "concession"):
        if lexicon.patterns[kind]:
            cuts.update(m.start() for m in lexicon.patterns[kind].finditer(text))
    bounds = sorted(cuts)
    spans = []
    in_contrast = False
    for start, end in zip(bounds, bounds[1:]):
        piece = text[start:end]
        opening = piece.lstrip(" ，,；;：:、")
        if re.search(r"[；;。.!?！？]\s*$", text[:start]):
            in_contrast = False
        if lexicon.patterns["contrast"] and lexicon.patterns["contrast"].match(opening):
            in_contrast = True
        conceding = bool(lexicon.patterns["concession"] and lexicon.patterns["concession"].match(opening))
        weight = 0.5 if conceding else 2.0 if in_contrast else 1.0
        if piece.strip():
            spans.append((start, end, weight))
    return spans


def stance_cues(text: str, target: str, lang: str, codebook: Codebook | None = None) -> list[Cue]:
    """The stance cues the rules read in a statement about ``target``.

    Parameters
    ----------
    text : str
        The statement.
    target : str
        A target id of the codebook.
    lang : {"zh", "en"}
    codebook : Codebook, optional

    Returns
    -------
    list of Cue
        In order of position; their scores sum to the rules' stance score.

    Examples
    --------
    >>> [(c.text, c.polarity, c.why) for c in stance_cues(
    ...     "一名发言者说，因为存在一项区域条约而反对制定全球文书是不合理的。", "new_treaty", "zh")]
    [('反对', 1, 'rebutted')]
    >>> [(c.text, c.why) for c in stance_cues("They did not support a new treaty on cybercrime.", "new_treaty", "en")]
    [('support', 'negated')]
    """
    book = codebook or load_codebook()
    if target not in book.targets:
        raise ValueError(f"unknown target {target!r}; the codebook {book.id!r} has {', '.join(book.target_ids)}")
    lang = "zh" if lang == "zh" else "en"
    lexicon = _lexicon(book.to_json(), lang)
    mentions = find_mentions(text, lang, book, named_before={target: 0})
    mine = [(m.start, m.end) for m in mentions if m.target == target]
    others = [(m.start, m.end) for m in mentions if m.target != target]
    cues: list[Cue] = []
    topic: bool | None = None  # whether the last clause that named a target named this one
    for start, end, weight in _clauses(text, lexicon):
        speaks_of_mine = any(s < end and start < e for s, e in mine)
        speaks_of_other = any(s < end and start < e for s, e in others)
        if speaks_of_mine or speaks_of_other:
            topic = speaks_of_mine
        if topic is False:
            continue
        clause_cues = _clause_cues(text, start, end, weight, target, lexicon, lang, mine)
        cues.extend(c for c in clause_cues if not any(c.start < e and s < c.end for s, e in mine))
    rebuttals = lexicon.patterns["rebuttals"]
    last = max((m.end() for m in rebuttals.finditer(text)), default=None) if rebuttals else None
    if last is not None:
        cues = [Cue(c.start, c.end, c.text, -c.polarity, c.weight, "rebutted")
                if c.polarity and c.weight and c.start < last + _WINDOW[lang] else c for c in cues]
    return cues


_WINDOW = {"zh": 12, "en": 40}
_SOURCES = (("governors", -1), ("against", -1), ("favor", 1), ("weak_favor", 1), ("neutral", 0))


def _clause_cues(text: str, start: int, end: int, weight: float, target: str, lexicon: _Lexicon,
                 lang: str, mine: list[tuple[int, int]]) -> list[Cue]:
    clause = text[start:end]
    harms = lexicon.patterns["harms"]
    found: list[tuple[int, int, int, str, int]] = []
    for kind, polarity in _SOURCES:
        for priority, pattern in enumerate((lexicon.targets[target].get(kind), lexicon.patterns.get(kind))):
            if pattern is None:
                continue
            for m in pattern.finditer(clause):
                if m.end() > m.start():
                    found.append((m.start(), m.end(), priority, kind, polarity))
    chosen: list[tuple[int, int, int, str, int]] = []
    for item in sorted(found, key=lambda f: (-(f[1] - f[0]), f[2], f[0])):
        if not any(item[0] < c[1] and c[0] < item[1] for c in chosen):
            chosen.append(item)
    chosen.sort()
    rebuttals = [m.span() for m in lexicon.patterns["rebuttals"].finditer(clause)] if lexicon.patterns["rebuttals"] else []
    negators = [m.span() for m in lexicon.patterns["negators"].finditer(clause)] if lexicon.patterns["negators"] else []
    negators = [(ns, ne) for ns, ne in negators  # a negator inside a cue or a rebuttal is part of it
                if not any(ns < c[1] and c[0] < ne for c in chosen) and not any(ns < e and s < ne for s, e in rebuttals)]
    window = _WINDOW[lang]
    cues: list[Cue] = []
    governed_until = -1
    blocking: list[int] = []  # where the polar cues are that end a negator's reach
    for s, e, _, kind, polarity in chosen:  # a modal (weak_favor) lets a negator through: 不应以…为蓝本
        why = "cue"
        strength = weight * (0.5 if kind == "weak_favor" else 1.0)
        if polarity and s < governed_until:
            why, strength = "governed", 0.0
        elif polarity:
            open_negators = [ne for ns, ne in negators if ne <= s and s - ne <= window
                             and not any(ne <= b < s for b in blocking)]
            if open_negators:
                polarity, why = -polarity, "negated"
        if kind == "governors" and why != "governed":
            governed_until = e + window * 2
        if polarity and kind == "against" and harms and harms.fullmatch(clause[s:e]) \
                and any(start + e <= ms <= start + e + window * 2 and ms < end for ms, _ in mine):
            polarity, why = (0, "protected") if why == "negated" else (1, "protected")
        cues.append(Cue(start + s, start + e, clause[s:e], polarity, strength, why))
        if polarity and kind != "weak_favor":
            blocking.append(s)
    return cues


def rule_stance(text: str, target: str, lang: str, codebook: Codebook | None = None) -> tuple[str, float]:
    """The rules' stance and score (favour positive) for one statement and target.

    Examples
    --------
    >>> rule_stance("许多发言者认为不需要就网络犯罪问题制定新的法律文书。", "new_treaty", "zh")
    ('against', -1.0)
    >>> rule_stance("Several speakers said that the Budapest Convention was outdated, but others praised it.",
    ...             "budapest_convention", "en")
    ('favor', 1.0)
    """
    score = sum(c.score for c in stance_cues(text, target, lang, codebook))
    return stance_label(score), float(score)


def stance_label(score: float) -> str:
    """The rules' stance for a score: favour from 0.75, against from -0.75, neutral between.

    Examples
    --------
    >>> stance_label(1.0), stance_label(-0.5)
    ('favor', 'neutral')
    """
    return "favor" if score >= 0.75 else "against" if score <= -0.75 else "neutral"


def explain_stance(text, target: str | None = None, lang: str | None = None,
                   codebook: Codebook | None = None) -> dict:
    """Why the rules gave their stance: the cues, how each was read, and the sum.

    Parameters
    ----------
    text : str, or a row of the classified table
        A statement, with its ``target`` and ``lang``; or a classified row
        (a pandas Series or dict), whose ``cues`` column is read as it is:
        nothing is run again.
    target, lang : str
        For a statement given as text.
    codebook : Codebook, optional

    Returns
    -------
    dict
        ``stance``, ``score`` and ``cues``: a list of ``(text, label, why,
        score)`` where label is the cue's stance after negation, opposition
        and rebuttal, and the cues' scores sum to ``score``.  For a row, also
        ``classified`` (the row's stance, which a model may have given against
        the rules), ``confidence`` and ``model``.

    Examples
    --------
    >>> explain_stance("另有发言者则表示倾向于不改动也不删除主要结论和备选案文。", "draft_study", "zh")["cues"]
    [('倾向于', 'favor', 'cue', 1.0), ('不改动也不删除', 'favor', 'cue', 1.0)]
    >>> row = {"cues": cues_json(stance_cues("No need for a new treaty on cybercrime.", "new_treaty", "en")),
    ...        "stance": "against", "confidence": 0.9, "model": "rules/cybercrime"}
    >>> explain_stance(row)["cues"], explain_stance(row)["score"]
    ([('No need', 'against', 'cue', -1.0)], -1.0)
    """
    if not isinstance(text, str):
        row = text
        cues = [(c["text"], c["stance"], c["why"], c["weight"]) for c in json.loads(row["cues"])]
        score = float(sum(weight for *_, weight in cues))
        return {"stance": stance_label(score), "score": score, "cues": cues, "classified": row["stance"],
                "confidence": float(row["confidence"]), "model": row["model"]}
    if target is None or lang is None:
        raise ValueError("explain_stance(text, target, lang): a statement given as text needs its target and lang")
    cues = stance_cues(text, target, lang, codebook)
    score = sum(c.score for c in cues)
    return {"stance": stance_label(score), "score": float(score),
            "cues": [(c.text, _POLARITY[c.polarity], c.why, c.score) for c in cues]}


@lru_cache(maxsize=100_000)
def cached_cues(text: str, target: str, lang: str, book_json: str) -> tuple[Cue, ...]:
    """:func:`stance_cues` of a statement, cached: the model's features and the table's evidence share them.

    A target outside the codebook has no cues.

    Examples
    --------
    >>> book = load_codebook()
    >>> [c.text for c in cached_cues("No need for a new treaty on cybercrime.", "new_treaty", "en", book.to_json())]
    ['No need']
    """
    book = Codebook.from_json(book_json)
    return tuple(stance_cues(text, target, lang, book)) if target in book.targets else ()


_POLARITY = {1: "favor", -1: "against", 0: "neutral"}


def cues_json(cues, offset: int = 0) -> str:
    """Cues as the JSON of the classified table's ``cues`` column, offsets shifted into the document.

    Each cue is ``{"text", "start", "end", "stance", "weight", "why"}``:
    ``stance`` is how the rules read it (after negation or rebuttal), ``weight``
    its signed contribution to the score.

    Examples
    --------
    >>> cues_json(stance_cues("We do not support a new treaty on cybercrime.", "new_treaty", "en"), offset=100)
    '[{"text":"support","start":110,"end":117,"stance":"against","weight":-1.0,"why":"negated"}]'
    """
    return json.dumps([{"text": c.text, "start": c.start + offset, "end": c.end + offset,
                        "stance": _POLARITY[c.polarity], "weight": c.score + 0.0, "why": c.why} for c in cues],
                      ensure_ascii=False, separators=(",", ":"))
