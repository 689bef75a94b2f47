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

import pandas as pd

from .codebook import Codebook, load_codebook

__all__ = ["Mention", "TARGET_COLUMNS", "detect_targets", "find_mentions"]

TARGET_COLUMNS = ["row", "target", "via", "cue"]
_REQUIRED = ["doc_id", "para", "sent", "lang", "text"]


@dataclass(frozen=True)
class Mention:
    """A target named or referred to inside one statement.

    ``start``/``end`` are offsets into the statement's text; ``via`` is
    ``"name"`` or ``"reference"``.
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
        self.any_name = re.compile("|".join(f"(?:{p.pattern})" for p in self.names.values() if p), re.I)


@lru_cache(maxsize=32)
def _compiled(book_json: str, lang: str) -> _Compiled:
    return _Compiled(Codebook.from_json(book_json), lang)


def compiled(book: Codebook, lang: str) -> _Compiled:
    """The compiled cues of ``book`` for ``lang`` (cached)."""
    return _compiled(book.to_json(), "zh" if lang == "zh" else "en")


def find_mentions(text: str, lang: str, codebook: Codebook | None = None,
                  named_before: dict[str, int] | None = None) -> list[Mention]:
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
    cues = compiled(codebook or load_codebook(), lang)
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for target in cues.targets:
        excluded = _spans(cues.excludes[target], text)
        for match in cues.names[target].finditer(text) if cues.names[target] else ():
            if match.end() > match.start() and not _overlaps(match.span(), excluded):
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
        if pattern is None:
            continue
        excluded = _spans(cues.excludes[target], text)
        for match in pattern.finditer(text):
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
        ``statements``), ``target``, ``via`` (``name`` or ``reference``) and
        ``cue`` (the first text that matched).

    Examples
    --------
    >>> import positions as pos
    >>> table = pos.statements(pos.demo_files()[:1])
    >>> found = detect_targets(table)
    >>> sorted(found.target.unique())
    ['budapest_convention', 'capacity_building', 'human_rights', 'new_treaty']
    """
    book = codebook or load_codebook()
    missing = [c for c in _REQUIRED if c not in statements.columns]
    if missing:
        raise ValueError(f"statements is missing column(s) {missing}; pass the table from statements()")
    if statements.empty:
        return pd.DataFrame({c: pd.Series(dtype="string" if c != "row" else "int64") for c in TARGET_COLUMNS})
    unique = statements.drop_duplicates(["doc_id", "para", "sent"])
    texts = unique["text"].astype(object).tolist()
    langs = ["zh" if lang == "zh" else "en" for lang in unique["lang"].astype(object).tolist()]
    named = [bool(compiled(book, lang).any_name.search(text)) for text, lang in zip(texts, langs)]
    keys = list(zip(unique["doc_id"].astype(object), unique["para"].astype(object)))
    bodies = unique["body"].astype(object).fillna("").tolist() if "body" in unique.columns else [""] * len(texts)
    seeding = {body for body in set(bodies) if body and compiled(book, "en").any_language_body(body)}
    hot = {key for key, hit, body in zip(keys, named, bodies) if hit or body in seeding}
    rows: list[tuple] = []
    paragraph: list[int] = []
    labels = unique.index.tolist()
    for i in range(len(texts) + 1):
        if paragraph and (i == len(texts) or keys[i] != keys[paragraph[0]]):
            rows.extend(_paragraph_targets(paragraph, texts, langs, bodies, labels, book))
            paragraph = []
        if i < len(texts) and keys[i] in hot:
            paragraph.append(i)
    table = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    return table.astype({"row": "int64", "target": "string", "via": "string", "cue": "string"})


def _paragraph_targets(members: list[int], texts, langs, bodies, labels, book: Codebook):
    lang = langs[members[0]]
    cues = compiled(book, lang)
    whole = " ".join(texts[i] for i in members) + " " + (bodies[members[0]] or "")
    allowed = {t for t in cues.targets if cues.context[t] is None or cues.context[t].search(whole)}
    body = bodies[members[0]] or ""
    named_before = {t: 0 for t in cues.targets if body and cues.any_language_names[t]
                    and cues.any_language_names[t].search(body)}
    order = 0
    for i in members:
        mentions = [m for m in find_mentions(texts[i], lang, book, named_before) if m.target in allowed]
        seen = set()
        for mention in mentions:
            if mention.via == "name":
                order += 1
                named_before[mention.target] = order
            if mention.target not in seen:
                seen.add(mention.target)
                yield labels[i], mention.target, mention.via, mention.cue


def _spans(pattern: re.Pattern | None, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)] if pattern else []


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)
