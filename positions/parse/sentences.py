"""Split paragraphs into sentences (statements), keeping character offsets.

Chinese ends a sentence at 。！？ and at ； where it ends a clause (not
between the items of a list), never inside 《》“”（）; English handles abbreviations (para., No.,
Art., U.N., e.g.), initials and decimals.  A sentence that joins two speakers
with 而 / "while" is cut there too (CODEBOOK.md: the unit is a statement).
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_PAIRS = {"《": "》", "“": "”", "（": "）", "「": "」", "『": "』", "‘": "’", "(": ")", "〈": "〉", "[": "]"}
_OPENERS = {close: open_ for open_, close in _PAIRS.items()}
_BRACKET_CLASS = "[" + re.escape("".join(_PAIRS) + "".join(_OPENERS)) + "]"
_BRACKETS = re.compile(_BRACKET_CLASS)
# Where a Chinese sentence may end or a quotation open or close: brackets, stops, ；, "，而", line breaks.
_ZH_EVENTS = re.compile(_BRACKET_CLASS + r"|\n|[。！？!?]+|；|，(?=而)")
_QUOTES = {"“", "「", "『", "‘"}
_ZH_END = set("。！？!?")
# A clause that opens with its own speaker: a new statement after ； or ，而.
_ZH_NEW_SPEAKER = re.compile(
    r"^(?:而|但|另|则|此外|同时)*(?:[^，。；：]{0,12}?(?:发言者|代表团|代表|与会者)|会上|他们|她们|这些|其他|另有|有些|一些"
    r"|有几|一名|许多|多数|大多数|主席|秘书处|报告员)"
)
_ZH_CONTINUES = re.compile(r"^(?:以及|及|和|或|或者|并|并且|而且|同时还|包括|例如|如|其中)")
_ZH_LIST_INTRO = re.compile(r"包括|如下|例如|下列|以下|：|:")
# A stop (and closing quotes or brackets) before a space, a line break, "; " or ", while": where a sentence may end.
# The first character is matched alone, so that the regular expression engine skips to it (twice as fast).
_EN_CANDIDATE = re.compile(
    r"[.!?\n;,](?:(?<=[.!?])[.!?]*[\"'”’)\]]*(?=\s|$)|(?<=\n)|(?<=;)(?=\s)|(?<=,)(?=\s+(?:while|whereas)\s))"
)
_EN_NEW_SPEAKER = re.compile(
    r"\s*(?:while\s+|whereas\s+)?(?:(?:other|some|many|several|most|numerous|a few|a number of|one)\s+"
    r"(?:other\s+)?(?:speakers?|delegations?|participants?|representatives?|experts?)|others\b|"
    r"these speakers|they\b)",
    re.IGNORECASE,
)
_NON_SPACE = re.compile(r"\S")
_WORD = re.compile(r"[A-Za-z]+")
_ABBREVIATIONS = frozenset(
    ["para", "paras", "no", "nos", "art", "arts", "e.g", "i.e", "u.n", "u.s", "u.k", "u.s.s.r", "mr", "mrs", "ms", "messrs", "dr", "prof", "st", "vs", "v", "cf", "vol", "p", "pp", "ch", "sect", "fig", "approx", "etc", "al", "viz", "gen", "rev", "corr", "add", "suppl", "inc", "ltd", "co", "jr", "sr", "hon", "h.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "a.m", "p.m", "ibid", "op", "cit", "doc", "res", "sess", "mt", "ft"]
)
_CAN_END = frozenset({"etc", "u.n", "u.s", "u.k", "u.s.s.r", "a.m", "p.m"})
_STARTERS = frozenset(
    ["the", "this", "that", "these", "those", "it", "its", "we", "our", "i", "in", "on", "at", "for", "a", "an", "as", "but", "and", "however", "they", "he", "she", "there", "such", "while", "with", "our", "my", "his", "her", "their", "one", "some", "many", "most", "several", "other", "all", "no"]
)


def split_sentences(text: str, start: int = 0, end: int | None = None,
                    lang: str = "en") -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``, as offsets into ``text``.

    Parameters
    ----------
    text : str
        The document's cleaned text.
    start, end : int
        The paragraph's span.
    lang : {"zh", "en"}
        Chinese rules for ``zh``; English rules for anything else.

    Returns
    -------
    list of (int, int)
        Spans without surrounding white space; ``text[s:e]`` is a sentence.

    Examples
    --------
    >>> t = "一名发言者说：“我们支持。”他们审议了题为“交流；合作。”的项目；这些发言者还指出，需要更新。"
    >>> [t[s:e] for s, e in split_sentences(t, lang="zh")]
    ['一名发言者说：“我们支持。”', '他们审议了题为“交流；合作。”的项目；', '这些发言者还指出，需要更新。']
    >>> t = "See para. 12 of doc. No. 5, e.g. Art. 32(b). It costs 2.5 million. Mr. J. Smith agreed."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['See para. 12 of doc. No. 5, e.g. Art. 32(b).', 'It costs 2.5 million.', 'Mr. J. Smith agreed.']
    """
    end = len(text) if end is None else end
    cuts = _zh_cuts(text, start, end) if lang == "zh" else _en_cuts(text, start, end)
    spans = []
    previous = start
    for cut in [*cuts, end]:
        s, e = previous, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
        previous = cut
    return spans


def _matched_pairs(text: str, start: int, end: int) -> dict[int, int]:
    """Opening bracket or quote position -> its closing position."""
    stack: list[tuple[str, int]] = []
    depths: dict[str, list[int]] = {opener: [] for opener in _PAIRS}  # each opener's places in the stack
    pairs: dict[int, int] = {}
    for match in _BRACKETS.finditer(text, start, end):
        char, i = match.group(0), match.start()
        if char in _PAIRS:
            depths[char].append(len(stack))
            stack.append((char, i))
            continue
        if depths[_OPENERS[char]]:  # close the innermost opener of its kind, and those opened inside it
            depth = depths[_OPENERS[char]][-1]
            pairs[stack[depth][1]] = i
            for opener, _ in stack[depth:]:
                depths[opener].pop()
            del stack[depth:]
    return pairs


def _zh_cuts(text: str, start: int, end: int) -> list[int]:
    pairs = _matched_pairs(text, start, end)
    closing = {close: open_ for open_, close in pairs.items()}
    cuts: list[int] = []
    open_stack: list[int] = []
    intros: dict[int, int] = {}
    for match in _ZH_EVENTS.finditer(text, start, end):
        i, mark = match.start(), match.group(0)
        if i in pairs:
            open_stack.append(i)
        elif i in closing:
            if open_stack and open_stack[-1] == closing[i]:
                open_stack.pop()
        elif mark == "\n":
            cuts.append(i + 1)
        elif mark[0] in _ZH_END:
            if not open_stack:
                cuts.append(match.end())
            elif _ends_direct_quote(text, open_stack, pairs, match.end()):
                cuts.append(match.end() + 1)
        elif mark in ("；", "，") and not open_stack:  # not an unmatched bracket
            if _zh_clause_ends(text, mark, cuts[-1] if cuts else start, match.end(), end, intros):
                cuts.append(match.end())
    return cuts


def _ends_direct_quote(text: str, open_stack: list[int], pairs: dict[int, int], j: int) -> bool:
    """A quotation introduced by a colon (说：“…。”) ends its sentence with it."""
    if len(open_stack) != 1 or pairs[open_stack[0]] != j:
        return False
    opener = open_stack[0]
    return text[opener] in _QUOTES and text[opener - 1:opener] in ("：", ":")


def _zh_clause_ends(text: str, mark: str, since: int, i: int, end: int, intros: dict[int, int]) -> bool:
    """Whether ； (or ，before 而) ends a statement.

    ； ends one unless what follows continues it (以及, 或者, ...) or it
    separates the items of a list (包括…；…；以及…).  ，而 ends one only where
    而 brings in another speaker (…，而另有些代表团则反对).  ``intros`` keeps,
    for each statement start ``since``, where the first list intro after it
    ends, so that a long list is searched once.
    """
    clause = text[i:min(end, i + 40)].lstrip()
    if _ZH_CONTINUES.match(clause):
        return False
    if mark == "；":
        if since not in intros:
            intro = _ZH_LIST_INTRO.search(text, since, end)
            intros[since] = intro.end() if intro else end + 1
        return intros[since] > i
    return bool(_ZH_NEW_SPEAKER.match(clause))


def _en_cuts(text: str, start: int, end: int) -> list[int]:
    cuts: list[int] = []
    new_speaker = _EN_NEW_SPEAKER.match
    for match in _EN_CANDIDATE.finditer(text, start, end):
        mark = match.group()
        cut = match.end()
        if mark == "\n":
            cuts.append(cut)
        elif mark == ";" or mark == ",":
            if new_speaker(text, cut, end):
                cuts.append(cut)
        elif _en_sentence_ends(text, match.start(), cut, end):
            cuts.append(cut)
    return cuts


def _en_sentence_ends(text: str, dot: int, cut: int, end: int) -> bool:
    """Whether the stop at ``dot`` ends a sentence, judged on the 40 characters after ``cut``."""
    limit = min(end, cut + 40)
    first = _NON_SPACE.search(text, cut, limit)
    if first is None:
        return True
    head = first.start()
    if text[head].islower() or text[head] in ",;:":
        return False
    if text[dot] != ".":
        return True
    token = text[_start_of_token(text, dot):dot]
    word = token.lower()
    next_word = _WORD.match(text, head, limit)
    starts_sentence = next_word is not None and next_word.group().lower() in _STARTERS
    if word in _CAN_END:
        return starts_sentence
    if word in _ABBREVIATIONS:
        return False
    if len(word) == 1 and token.isupper():
        return False  # an initial: "John F. Kennedy"
    if "." in word:
        return starts_sentence  # "U.N." and the like
    return True


def _start_of_token(text: str, dot: int) -> int:
    """Index where the word (letters and dots) before position ``dot`` starts."""
    i = dot
    while i > 0:
        char = text[i - 1]
        if not (char.isalpha() or char == "."):
            break
        i -= 1
    return i
