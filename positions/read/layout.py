"""Repair a document's layout into citable text with numbered paragraphs.

Characters are kept as they are; only layout changes: stray URL lines, page
headers and footers, job and page numbers are dropped, lines broken inside a
sentence are joined (Chinese without a space, English with one, hyphenated
words rejoined where the document itself writes them whole), and paragraphs
are found by their numbers (``1.``, ``2.``, ... in order) or, in unnumbered
texts, by line breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Layout", "Paragraph", "is_cjk", "is_header_line", "parse_layout"]

_URL_LINE = re.compile(r"^\s*(?:(?:https?://|www\.)\S+\s*)+$")
_SYMBOL = r"[A-Z][A-Za-z]{0,9}(?:\.\d+)?(?:/[A-Za-z0-9.\-]+)+"
_JOB = r"(?:[A-Z]{1,2}\.)?\d{2}-\d{5}"
_HEADER_TOKEN = (
    rf"(?:{_SYMBOL}|{_JOB}|\(\w\)|\d{{1,4}}/\d{{1,4}}|\d{{1,4}}|\d{{6}}|\*\d{{5,}}\*"
    r"|-\s*\d{1,4}\s*-|Page\s+\d+(?:\s+of\s+\d+)?|第\s*\d+\s*页)"
)
_HEADER_LINE = re.compile(rf"^\s*{_HEADER_TOKEN}(?:\s+{_HEADER_TOKEN})*\s*$")
_SYMBOL_LINE = re.compile(rf"^\s*({_SYMBOL})\s*$")
_PARA_START = re.compile(r"^\s*(\d{1,3})[.．](?:[ \t\u3000]+(?=\S)|[ \t\u3000]*$|(?=[\u4e00-\u9fff]))")
_LABEL = re.compile(r"\d{1,3}[.．]\s*")
_CHAPTER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[.、．]|[IVXL]{1,6}\.|第[一二三四五六七八九十]{1,3}章"
    r"|Chapter\s+[IVXL\d]{1,6}\.?)[ \t\u3000]*(?=\S)"
)
_SUBSECTION = re.compile(r"^\s*[A-Z][.．](?:[ \t\u3000]+(?=\S)|(?=[\u4e00-\u9fff]))")
_LIST_ITEM = re.compile(r"^\s*(?:[•●▪◦·]|\([a-z]{1,4}\)|（[a-z一二三四五六七八九十]{1,4}）|\d{1,2}\.\s)")
_TERMINAL = tuple("。！？.!?；;：:")
_CLOSERS = "”’\"')）」』》]"
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_FRONT_NOISE = re.compile(
    r"^\s*(?:(?:Distr\.?|Original|原文|Limited|Restricted|Item|项目|议程项目|Provisional agenda|临时议程)\b"
    rf"|(?:General|Chinese|English|French|Spanish|Russian|Arabic|中文|英文|法文|俄文|西班牙文|阿拉伯文)\s*$"
    rf"|(?:United Nations|联合国)\s*(?:{_SYMBOL})?\s*$|\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}\s*$"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$)",
    re.IGNORECASE,
)
_FRONT_SYMBOL = re.compile(rf"^\s*(?:United Nations|联合国)?\s*({_SYMBOL})\s*$")
_MIN_NUMBERED = 2  # paragraphs numbered 1., 2., ... in order: a report of two paragraphs is one too
_MAX_FRONT = 3000  # a report's front matter before paragraph 1 (title, symbol, dates): at most this, ...
_MAX_FRONT_SHARE = 0.1  # ... or this share of the text; more, and the numbers belong to a list inside the text
_MAX_SKIP = 2


def is_cjk(char: str) -> bool:
    """True for a Chinese character or full-width punctuation.

    Examples
    --------
    >>> is_cjk("发"), is_cjk("，"), is_cjk("a")
    (True, True, False)
    """
    code = ord(char)
    return (
        0x3000 <= code <= 0x303F or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x2FA1F
    )


def is_header_line(line: str) -> bool:
    """A page header or footer line: document symbol, job number, page number.

    Examples
    --------
    >>> is_header_line("V.17-02476 2/10"), is_header_line("UNODC/CCPCJ/EG.4/2017/4")
    (True, True)
    >>> is_header_line("2. Some speakers agreed.")
    False
    """
    return bool(_HEADER_LINE.match(line))


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: its number (None when unnumbered), section path and span.

    Examples
    --------
    >>> import positions as pos
    >>> from positions.read.files import read_text
    >>> layout = parse_layout(read_text(pos.demo_files()[0]))
    >>> paragraph = layout.paragraphs[4]
    >>> paragraph.number, paragraph.section, layout.text[paragraph.start:paragraph.end][:24]
    (5, 'II. Summary of deliberations > B. A new international instrument', 'Many speakers doubted th')
    """

    number: int | None
    section: str
    start: int
    end: int


@dataclass
class Layout:
    """The cleaned text of a document with its paragraphs and headings.

    Examples
    --------
    >>> import positions as pos
    >>> from positions.read.files import read_text
    >>> layout = parse_layout(read_text(pos.demo_files()[0]))
    >>> layout.title[:44], layout.numbered, len(layout.paragraphs) > 10
    ('Report of the Ad Hoc Committee on Cybercrime', True, True)
    """

    text: str
    paragraphs: list[Paragraph]
    title: str = ""
    front: list[str] = field(default_factory=list)
    symbol: str | None = None
    numbered: bool = False


def parse_layout(raw: str, numbered: bool | None = None) -> Layout:
    """Clean a document's raw text and find its paragraphs and sections.

    Parameters
    ----------
    raw : str
        Text as it comes out of a PDF, Word file, web page or text file.
    numbered : bool, optional
        Whether paragraphs are numbered (``1.``, ``2.``, ...; a UN report).
        By default the text decides: at least two paragraph numbers in order,
        with no more than a report's front matter before the first.  A
        speech is never numbered (its numbered lists are not paragraphs).

    Returns
    -------
    Layout
        ``text`` is the cleaned, citable text; every paragraph's span indexes it.

    Examples
    --------
    >>> raw = ("Report\\n\\nI. Introduction\\n1. Many speakers\\nagreed.\\nhttp://undocs.org/A/1\\n"
    ...        "2. One did not.\\nA. Other matters\\n3. None.")
    >>> layout = parse_layout(raw)
    >>> [(p.number, p.section, layout.text[p.start:p.end]) for p in layout.paragraphs]  # doctest: +NORMALIZE_WHITESPACE
    [(1, 'I. Introduction', 'Many speakers agreed.'), (2, 'I. Introduction', 'One did not.'),
     (3, 'I. Introduction > A. Other matters', 'None.')]
    """
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    symbol = None
    kept: list[str] = []
    for line in lines:
        if not line.strip():
            kept.append("")
        elif _URL_LINE.match(line):
            continue
        elif is_header_line(line):
            found = _SYMBOL_LINE.match(line)
            if found and symbol is None:
                symbol = found.group(1)
        else:
            kept.append(line.rstrip())
    starts = _numbered_starts(kept) if numbered is not False else {}
    if numbered is None:
        numbered = len(starts) >= _MIN_NUMBERED and _short_front(kept, min(starts))
    if numbered:
        blocks, front = _numbered_blocks(kept, starts)
    else:
        blocks, front = _plain_blocks(kept), []
    if symbol is None:
        symbol = next((m.group(1) for m in map(_FRONT_SYMBOL.match, front) if m), None)
    vocabulary = _Vocabulary(kept)
    return _assemble(blocks, front, vocabulary, symbol, numbered)


def _short_front(lines: list[str], first: int) -> bool:
    """Whether what comes before paragraph 1 is a report's front matter, not most of a text."""
    front = sum(len(line) for line in lines[:first])
    return front <= max(_MAX_FRONT, _MAX_FRONT_SHARE * sum(len(line) for line in lines))


def _numbered_starts(lines: list[str]) -> dict[int, int]:
    """Line index -> paragraph number, for numbers that run 1, 2, 3, ... in order.

    A number may skip ahead by up to ``_MAX_SKIP`` (a paragraph whose number the
    extraction lost) where the line before ends a sentence; numbered items
    inside a paragraph (an agenda 1., 2., ...) never run in order with it.
    """
    starts: dict[int, int] = {}
    expected = 1
    previous = ""
    for i, line in enumerate(lines):
        match = _PARA_START.match(line)
        if match:
            number = int(match.group(1))
            skips = expected < number <= expected + _MAX_SKIP and _ends_sentence(previous)
            if number == expected or (starts and skips):
                starts[i] = number
                expected = number + 1
        if line.strip():
            previous = line
    return starts


@dataclass
class _Block:
    kind: str  # "heading", "chapter", "para"
    number: int | None
    lines: list[str]


def _numbered_blocks(lines: list[str], starts: dict[int, int]) -> tuple[list[_Block], list[str]]:
    front: list[str] = []
    blocks: list[_Block] = []
    heading_open = False
    for i, line in enumerate(lines):
        if i in starts:
            blocks.append(_Block("para", starts[i], [line]))
            heading_open = False
        elif not line.strip():
            continue
        elif level := _heading_level(line):
            blocks.append(_Block(level, None, [line.strip()]))
            heading_open = True
        elif not blocks:
            front.append(line.strip())
        elif heading_open and _continues_heading(lines, i, starts):
            blocks[-1].lines.append(line.strip())
        elif blocks[-1].kind != "para":
            blocks.append(_Block("para", None, [line]))
            heading_open = False
        else:
            blocks[-1].lines.append(line)
    return blocks, front


def _heading_level(line: str) -> str | None:
    stripped = line.strip()
    if len(stripped) > 200 or stripped.endswith(("。", ".")) and not stripped.endswith("..."):
        return None
    if _CHAPTER.match(line):
        return "chapter"
    if _SUBSECTION.match(line):
        return "heading"
    return None


def _continues_heading(lines: list[str], i: int, starts: dict[int, int]) -> bool:
    """A line after a heading belongs to it if a heading or paragraph comes next."""
    following = (j for j in range(i + 1, len(lines)) if lines[j].strip())
    for _, j in zip(range(2), following):
        if j in starts or _heading_level(lines[j]):
            return True
    return False


def _plain_blocks(lines: list[str]) -> list[_Block]:
    """Paragraphs of a text without paragraph numbers, numbered in order from 1."""
    content = [line for line in lines if line.strip()]
    if not content:
        return []
    has_blank = len(content) < len(lines)
    unterminated = sum(not _ends_sentence(line) for line in content)
    wrapped = unterminated > len(content) / 2
    width = _line_width(content) if wrapped else 0
    following = _next_content(lines)
    blocks: list[_Block] = []
    current: list[str] = []
    for i, line in enumerate(lines):
        if not line.strip():
            if current and has_blank and not wrapped and _ends_sentence(current[-1]):
                blocks.append(_Block("para", None, current))
                current = []
            continue
        current.append(line)
        if _paragraph_ends(line, following[i], wrapped, width, has_blank):
            blocks.append(_Block("para", None, current))
            current = []
    if current:
        blocks.append(_Block("para", None, current))
    for number, block in enumerate(blocks, 1):
        block.number = number
    return blocks


def _next_content(lines: list[str]) -> list[str]:
    """For each line, the next line that is not blank ("" after the last)."""
    following = [""] * len(lines)
    for i in range(len(lines) - 2, -1, -1):
        following[i] = lines[i + 1] if lines[i + 1].strip() else following[i + 1]
    return following


def _paragraph_ends(line: str, nxt: str, wrapped: bool, width: int, has_blank: bool) -> bool:
    if not nxt:
        return True
    if not _ends_sentence(line):
        return False
    if wrapped:
        return len(line.strip()) < 0.85 * width
    return not has_blank or not nxt[:1].islower()


def _ends_sentence(line: str) -> bool:
    return line.rstrip().rstrip(_CLOSERS).endswith(_TERMINAL)


def _line_width(lines: list[str]) -> int:
    lengths = sorted(len(line.strip()) for line in lines)
    return lengths[int(0.9 * (len(lengths) - 1))]


class _Vocabulary:
    """Words a document writes whole, to rejoin words hyphenated at a line end."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        self._words: set[str] | None = None

    def whole(self, word: str) -> bool:
        if self._words is None:
            joined = " ".join(self._lines)
            self._words = set(re.findall(r"[a-z]+", joined.lower()))
        return word.lower() in self._words


def _join(lines: list[str], vocabulary: _Vocabulary) -> str:
    out = lines[0].strip()
    for line in lines[1:]:
        nxt = line.strip()
        if not nxt:
            continue
        if _LIST_ITEM.match(line):
            out += "\n" + nxt
        elif is_cjk(out[-1]) or is_cjk(nxt[0]):
            out += nxt
        elif out.endswith("-") and out[-2:-1].isalpha() and nxt[:1].isalpha():
            head = re.search(r"[A-Za-z]+-$", out)
            tail = re.match(r"[A-Za-z]+", nxt)
            if head and tail and nxt[0].islower() and vocabulary.whole(head.group(0)[:-1] + tail.group(0)):
                out = out[:-1] + nxt
            else:
                out += nxt
        else:
            out += " " + nxt
    return out


def _assemble(blocks: list[_Block], front: list[str], vocabulary: _Vocabulary,
              symbol: str | None, numbered: bool) -> Layout:
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    offset = 0
    title_lines = [line for line in front if not _FRONT_NOISE.match(line)]
    title = _join(title_lines, vocabulary) if title_lines else ""
    if title:
        parts.append(title)
        offset = len(title) + 2
    chapter, sub, section = "", "", ""
    for block in blocks:
        if block.kind in ("chapter", "heading"):
            heading = _join(block.lines, vocabulary)
            if block.kind == "chapter":
                chapter, sub = heading, ""
            else:
                sub = heading
            section = " > ".join(s for s in (chapter, sub) if s)
            parts.append(heading)
            offset += len(heading) + 2
            continue
        body = _join(block.lines, vocabulary)
        start = offset + (_LABEL.match(body).end() if block.number and numbered else 0)
        paragraphs.append(Paragraph(block.number, section, start, offset + len(body)))
        parts.append(body)
        offset += len(body) + 2
    return Layout("\n\n".join(parts), paragraphs, title, front, symbol, numbered)
