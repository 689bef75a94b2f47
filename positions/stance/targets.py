"""Which targets of a codebook a statement addresses.

A statement addresses a target when it names it (《布达佩斯公约》, "a universal
convention on cybercrime") or refers back to it after the target was named
earlier in the same paragraph (该《公约》, 此种文书, "such an instrument").
Where references overlap, the longest wins, then the target named last; a
document whose body names a target (the Ad Hoc Committee on Cybercrime's
reports) lets "the convention" refer to it from the first paragraph.
Look-alikes are refused by each target's ``excludes`` cues (Budapest the city
never matches a name; "norms of responsible State behaviour" and "existing
instruments" are excluded spans), and a target with ``context`` cues counts
only in a paragraph or document about that context (capacity building against
cybercrime, not for climate finance).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

try:  # the parser of the re module: public as sre_parse before Python 3.11
    import re._constants as _sre
    import re._parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre
    import sre_parse as _sre_parse

from ..base.schema import SCHEMAS, empty, require, typed
from .codebook import Codebook, load_codebook

__all__ = ["TARGET_COLUMNS", "Mention", "detect_targets", "find_mentions"]

TARGET_COLUMNS = list(SCHEMAS["targets"])
_REQUIRED = ["doc_id", "para", "sent", "lang", "text"]


@dataclass(frozen=True)
class Mention:
    """A target named or referred to inside one statement.

    ``start``/``end`` are offsets into the statement's text; ``via`` is
    ``"name"`` or ``"reference"``.

    Examples
    --------
    >>> find_mentions("Some speakers supported a new convention on cybercrime.", "en")
    [Mention(target='new_treaty', via='name', start=24, end=54, cue='a new convention on cybercrime')]
    """

    target: str
    via: str
    start: int
    end: int
    cue: str


class _Compiled:
    """A codebook's cues for one language, compiled once."""

    def __init__(self, book: Codebook, lang: str) -> None:
        def joined(target: str, kind: str, langs: tuple[str, ...] = (lang,)) -> re.Pattern | None:
            patterns = [p for one in langs for p in book.cues(target, kind, one)]
            return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None

        every = tuple(sorted({one for t in book.target_ids for cues in book.targets[t].values()
                              if isinstance(cues, dict) for one in cues if isinstance(cues[one], list)}))

        self.targets = book.target_ids
        self.names = {t: joined(t, "names") for t in self.targets}
        self.refers = {t: joined(t, "refers") for t in self.targets}
        self.excludes = {t: joined(t, "excludes") for t in self.targets}
        self.context = {t: joined(t, "context", every) for t in self.targets}
        self.any_language_names = {t: joined(t, "names", every) for t in self.targets}
        self.any_language_body = re.compile("|".join(f"(?:{p.pattern})" for p in self.any_language_names.values()
                                                     if p), re.I).search
        self.literals = {t: _literals(book.cues(t, "names", lang)) for t in self.targets}


@lru_cache(maxsize=32)
def _compiled_json(book_json: str, lang: str) -> _Compiled:
    return _Compiled(Codebook.from_json(book_json), lang)


def _compiled(book: Codebook, lang: str) -> _Compiled:
    """The compiled cues of ``book`` for ``lang`` (cached)."""
    return _compiled_json(book.to_json(), "zh" if lang == "zh" else "en")


def find_mentions(text: str, lang: str, codebook: Codebook | None = None,
                  named_before: dict[str, int] | None = None, targets=None) -> list[Mention]:
    """Targets a statement names or refers to, in order of position.

    Parameters
    ----------
    text : str
        The statement.
    lang : {"zh", "en"}
    codebook : Codebook, optional
        The default cybercrime codebook when not given.
    named_before : dict, optional
        Targets named earlier in the paragraph, to the order in which they were
        last named.  References count only for these (and for targets named
        earlier in this statement).  ``None`` counts no reference.
    targets : collection of str, optional
        Look for these targets only (default: all of the codebook's).

    Returns
    -------
    list of Mention

    Examples
    --------
    >>> [(m.target, m.via) for m in find_mentions("一些发言者表示认为，《布达佩斯公约》正逐渐过时。", "zh")]
    [('budapest_convention', 'name')]
    >>> find_mentions("A workshop was held in Budapest in 2022.", "en")
    []
    >>> [m.cue for m in find_mentions("Such an instrument would take years.", "en", named_before={"new_treaty": 1})]
    ['Such an instrument']
    """
    cues = _compiled(codebook or load_codebook(), lang)
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    wanted = cues.targets if targets is None else [t for t in cues.targets if t in targets]
    for target in wanted:
        matches = [m for m in cues.names[target].finditer(text) if m.end() > m.start()] if cues.names[target] else []
        excluded = _spans(cues.excludes[target], text) if matches else []
        for match in matches:
            if not _overlaps(match.span(), excluded):
                found.append(Mention(target, "name", match.start(), match.end(), match.group()))
                taken.append(match.span())
    if named_before is None:
        return sorted(found, key=lambda m: m.start)
    recency = dict(named_before)
    for rank, mention in enumerate(found, start=max(recency.values(), default=0) + 1):
        recency[mention.target] = rank
    candidates: list[tuple[int, int, Mention]] = []
    for target, order in recency.items():
        pattern = cues.refers.get(target)
        if pattern is None or (targets is not None and target not in targets):
            continue
        matches = list(pattern.finditer(text))
        excluded = _spans(cues.excludes[target], text) if matches else []
        for match in matches:
            span = match.span()
            if span[1] > span[0] and not _overlaps(span, excluded) and not _overlaps(span, taken):
                candidates.append((span[1] - span[0], order, Mention(target, "reference", *span, match.group())))
    for _, _, mention in sorted(candidates, key=lambda c: (-c[0], -c[1])):
        if not _overlaps((mention.start, mention.end), taken):
            found.append(mention)
            taken.append((mention.start, mention.end))
    return sorted(found, key=lambda m: m.start)


def detect_targets(statements: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """The targets each statement addresses: one row per (statement, target).

    Parameters
    ----------
    statements : DataFrame
        The statements table (at least ``doc_id``, ``para``, ``sent``,
        ``lang``, ``text``; ``body`` is used for context cues when present).
    codebook : Codebook, optional
        The default cybercrime codebook when not given.

    Returns
    -------
    DataFrame
        ``row`` (the index label of the statement's first row in
        ``statements``), ``target``, ``via`` (``name`` or ``reference``),
        ``cue`` (the first text that matched) and its ``start`` and ``end``
        in the statement's text.

    Examples
    --------
    >>> import positions as pos
    >>> table = pos.statements(pos.demo_files()[:1])
    >>> found = detect_targets(table)
    >>> sorted(found.target.unique())
    ['budapest_convention', 'capacity_building', 'human_rights', 'new_treaty']
    """
    book = codebook or load_codebook()
    require(statements, _REQUIRED, "statements", "pass the table from statements()")
    if statements.empty:
        return empty("targets")
    duplicated = statements.duplicated(["doc_id", "para", "sent"]).to_numpy()
    unique = statements[~duplicated] if duplicated.any() else statements  # no copy when there is nothing to drop
    paragraph = unique.groupby(["doc_id", "para"], sort=False, dropna=False).ngroup().to_numpy()
    order = np.lexsort((unique["sent"].to_numpy(), paragraph))  # a paragraph's sentences together, in order
    if not np.array_equal(order, np.arange(len(order))):
        unique, paragraph = unique.iloc[order], paragraph[order]
    bodies = _distinct_values(unique["body"]) if "body" in unique.columns else np.full(len(unique), "", dtype=object)
    langs = np.where(_distinct_values(unique["lang"]) == "zh", "zh", "en")
    named = _named(unique["text"], langs, bodies, paragraph, book)
    seeding = {body for body in set(bodies) if body and _compiled(book, "en").any_language_body(body)}
    hot = np.zeros(paragraph.max() + 1, dtype=bool)
    hot[paragraph[list(named)]] = True
    if seeding:
        hot[paragraph[np.isin(bodies, list(seeding))]] = True
    positions_hot = np.flatnonzero(hot[paragraph])
    texts = dict(zip(positions_hot.tolist(), unique["text"].iloc[positions_hot].astype(object)))  # those read only
    labels = unique.index.to_numpy()
    rows: list[tuple] = []
    start = 0
    for end in range(1, len(positions_hot) + 1):
        if end == len(positions_hot) or paragraph[positions_hot[end]] != paragraph[positions_hot[start]]:
            members = positions_hot[start:end]
            found = set().union(*(named.get(int(i), set()) for i in members))
            rows.extend(_paragraph_targets([texts[i] for i in members], langs[members[0]], bodies[members[0]],
                                           labels[members], book, found))
            start = end
    return typed(pd.DataFrame(rows, columns=TARGET_COLUMNS), "targets")


def _distinct_values(column: pd.Series) -> np.ndarray:
    """``column`` as an object array with "" for missing values, making one str per distinct value, not per row."""
    codes, values = pd.factorize(column, use_na_sentinel=True)
    return np.append(np.asarray(values, dtype=object), "")[codes]  # code -1 (missing) takes the "" at the end


def _named(text: pd.Series, langs: np.ndarray, bodies: np.ndarray, paragraph: np.ndarray,
           book: Codebook) -> dict[int, set[str]]:
    """The targets each statement names, by position (statements naming none are left out).

    Two vectorised passes with pyarrow's RE2 (fast on a million statements)
    keep the statements that contain a required literal of some target's
    names, and the paragraphs that match some target's context cues; only the
    statements left meet the targets' full patterns, in Python's ``re``.
    """
    named: dict[int, set[str]] = {}
    for lang in sorted(set(langs.tolist())):
        cues = _compiled(book, lang)
        in_lang = langs == lang
        literal_sets = [cues.literals[t] for t in cues.targets if cues.names[t] is not None]
        if any(literals is None for literals in literal_sets):
            candidates = in_lang
        else:
            union = sorted(set().union(*literal_sets), key=len, reverse=True)
            candidates = in_lang & _contains(text, "|".join(re.escape(x) for x in union))
        contexts = [cues.context[t].pattern for t in cues.targets if cues.context[t] is not None]
        in_context = np.zeros(paragraph.max() + 1, dtype=bool)
        if contexts:
            near = in_lang & _contains(text, "|".join(f"(?:{p})" for p in contexts))
            in_context[paragraph[near]] = True
        plain = text.iloc[np.flatnonzero(candidates)].astype(object)
        every_literal = sorted(set().union(*(x for x in cues.literals.values() if x)))
        for i, statement in zip(np.flatnonzero(candidates), plain):
            lowered = statement.lower()
            present = {x for x in every_literal if x in lowered}  # looked for once, not once per target
            for target in cues.targets:
                pattern, literals, context = cues.names[target], cues.literals[target], cues.context[target]
                if pattern is None or (literals is not None and literals.isdisjoint(present)):
                    continue
                if context is not None and not in_context[paragraph[i]] and not context.search(bodies[i] or ""):
                    continue
                if pattern.search(statement):
                    named.setdefault(int(i), set()).add(target)
    return named


def _contains(text: pd.Series, pattern: str) -> np.ndarray:
    """Rows of ``text`` matching ``pattern`` case-insensitively, by RE2 (pyarrow); Python's re if RE2 cannot."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        found = pc.match_substring_regex(pa.array(text.astype("string[pyarrow]")), pattern, ignore_case=True)
        return found.to_numpy(zero_copy_only=False).astype(bool)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # look-arounds and the like
        compiled_pattern = re.compile(pattern, re.I)
        return np.array([bool(compiled_pattern.search(t)) for t in text.astype(object)], dtype=bool)


def _literals(patterns: list[str]) -> set[str] | None:
    """Lower-cased strings one of which every match of any of ``patterns`` contains, or None.

    Read off the parsed patterns: the longest run of literal characters that
    every match must contain (through groups, alternatives and repeats of at
    least one).  None when some pattern has no such run: then no prefilter.
    """
    found: set[str] = set()
    for pattern in patterns:
        try:
            required = _required(list(_sre_parse.parse(pattern)))
        except Exception:  # an unusual construct: give up the prefilter, never a match
            return None
        if not required:
            return None
        found |= required
    return found or None


def _required(items: list) -> set[str] | None:
    best: set[str] | None = None
    run: list[str] = []

    def consider(candidates: set[str] | None) -> None:
        nonlocal best
        if candidates and (best is None or min(map(len, candidates)) > min(map(len, best))):
            best = candidates

    def flush() -> None:
        if run:
            consider({"".join(run).lower()})
            run.clear()

    for op, value in items:
        if op is _sre.LITERAL:
            run.append(chr(value))
            continue
        flush()
        if op is _sre.SUBPATTERN:
            consider(_required(list(value[-1])))
        elif op is _sre.BRANCH:
            branches = [_required(list(branch)) for branch in value[1]]
            if all(branches):
                consider(set().union(*branches))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and value[0] >= 1:
            consider(_required(list(value[2])))
    flush()
    return best


def _paragraph_targets(texts: list[str], lang: str, body: str, labels, book: Codebook, named: set[str]):
    cues = _compiled(book, lang)
    named_before = {t: 0 for t in cues.targets if body and cues.any_language_names[t]
                    and cues.any_language_names[t].search(body)}
    whole = None
    active = set()
    for target in named | set(named_before):
        if cues.context[target] is not None:
            whole = whole or " ".join(texts) + " " + body
            if not cues.context[target].search(whole):
                continue
        active.add(target)
    if not active:
        return
    order = 0
    for text, label in zip(texts, labels):
        chosen: dict[str, Mention] = {}  # each target's first name in the statement, else its first reference
        for mention in find_mentions(text, lang, book, named_before, targets=active):
            if mention.via == "name":
                order += 1
                named_before[mention.target] = order
            if mention.target not in chosen or (mention.via == "name" and chosen[mention.target].via != "name"):
                chosen[mention.target] = mention
        for mention in sorted(chosen.values(), key=lambda m: m.start):
            yield label, mention.target, mention.via, mention.cue, mention.start, mention.end


def _spans(pattern: re.Pattern | None, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)] if pattern else []


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)
