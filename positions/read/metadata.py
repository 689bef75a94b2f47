"""A report's metadata from its own words: body, session, dates, venue, language."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

__all__ = ["detect_lang", "find_body", "find_dates", "find_session", "find_venue"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_ZH_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_EN_ORDINALS = {
    w: i for i, w in enumerate(
        ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"], 1)
}
_MONTHS = {
    m: i for i, m in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], 1)
}
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
# (pattern, canonical name); the first that the title, or failing that the opening lines, names.
_BODIES = (
    (r"全面研究网络犯罪问题(?:政府间)?专家组|网络犯罪问题(?:政府间)?专家组|Expert Group (?:to Conduct a Comprehensive Study )?on Cybercrime",
     "Expert Group on Cybercrime"),
    (r"特设委员会|Ad Hoc Committee", "Ad Hoc Committee on Cybercrime"),
    (r"预防犯罪和刑事司法委员会|Commission on Crime Prevention and Criminal Justice",
     "Commission on Crime Prevention and Criminal Justice"),
    (r"联合国大会|一般性辩论|General Assembly|General Debate", "General Assembly"),
)
_VENUES = {
    "维也纳": "Vienna", "纽约": "New York", "日内瓦": "Geneva", "内罗毕": "Nairobi", "曼谷": "Bangkok",
    "多哈": "Doha", "京都": "Kyoto", "巴黎": "Paris", "罗马": "Rome", "伦敦": "London", "海牙": "The Hague",
    "亚的斯亚贝巴": "Addis Ababa", "阿布贾": "Abuja", "圣地亚哥": "Santiago", "布鲁塞尔": "Brussels",
}
_ZH_VENUE = re.compile(r"在([\u4e00-\u9fff]{2,8}?)举行")
_EN_VENUE = re.compile(r"\b(?:held|convened|meeting|session) (?:in|at) ((?:the )?[A-Z][a-z]+(?: [A-Z][a-z]+)?)")
_ZH_RANGE = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*(?:至|到|-|—|–)\s*(?:(\d{4})\s*年\s*)?"
    r"(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日)?"
)
_EN_RANGE = re.compile(
    rf"(\d{{1,2}})(?:\s+{_MONTH})?(?:\s+(\d{{4}}))?\s*(?:to|-|–|—|and)\s*(\d{{1,2}})\s+{_MONTH},?\s+(\d{{4}})",
    re.IGNORECASE,
)
_EN_DAY = re.compile(rf"(\d{{1,2}})\s+{_MONTH},?\s+(\d{{4}})", re.IGNORECASE)
_ZH_SESSION = re.compile(r"第([一二三四五六七八九十]{1,3})(?:次|届)(?:会议|续会)")
_EN_SESSION = re.compile(
    r"\b(" + "|".join(_EN_ORDINALS) + r"|\d{1,2}(?:st|nd|rd|th))\s+(?:\(resumed\)\s+)?(?:session|meeting)\b",
    re.IGNORECASE,
)


def detect_lang(text: str) -> str:
    """``zh`` when Chinese characters outnumber Latin letters, else ``en``.

    Examples
    --------
    >>> detect_lang("许多发言者认为 Budapest"), detect_lang("Many speakers")
    ('zh', 'en')
    """
    sample = text[:2000]
    cjk = len(_CJK.findall(sample))
    latin = len(_LATIN.findall(sample)) if cjk else 0
    return "zh" if cjk * 2 > latin else "en"


def find_body(title: str, opening: str) -> str | None:
    """The UN body a report is of, from its title or, failing that, its opening.

    Examples
    --------
    >>> find_body("全面研究网络犯罪问题专家组 2017 年 4 月 10 日至 13 日在维也纳举行的会议的报告", "")
    'Expert Group on Cybercrime'
    """
    for text in (title, opening):
        for pattern, name in _BODIES:
            if re.search(pattern, text):
                return name
    return None


def _matched(names: dict[str, int], word: str) -> int:
    """The value of the name a case-insensitive pattern matched as ``word``.

    Unicode case-insensitive matching is wider than ``lower()``: ſ matches s,
    K (Kelvin) k, İ i; so ``Auguſt`` is August.
    """
    if word.lower() in names:
        return names[word.lower()]
    return next(value for name, value in names.items() if re.fullmatch(name, word, re.IGNORECASE))


def _ordinal(word: str) -> int:
    if word[0].isdigit():
        return int(re.match(r"\d+", word).group(0))
    if word in _ZH_NUMERALS:
        return _ZH_NUMERALS[word]
    if word[0] not in _ZH_NUMERALS:
        return _matched(_EN_ORDINALS, word)
    if word.startswith("十"):
        return 10 + _ZH_NUMERALS[word[1]]
    tens = _ZH_NUMERALS[word[0]] * 10
    return tens + (_ZH_NUMERALS[word[2]] if len(word) == 3 else 0)


def find_session(title: str, text: str, year: int | None = None) -> int | None:
    """The session (or meeting) number a report is of.

    The title's ordinal (第三次会议, "third session") if it has one; otherwise the
    ordinal the text names most often, leaving out mentions of other meetings:
    those dated in another year close by (2013 年的专家组第二次会议) and those
    listed with others (第一和第二次会议).

    Examples
    --------
    >>> text = "专家组第一次会议于 2011 年在维也纳举行。" + "会议审议了各项议程。" * 5 + "筹备第三次会议。"
    >>> find_session("", text, 2017)
    3
    >>> find_session("Report on its second session", "")
    2
    """
    for pattern in (_ZH_SESSION, _EN_SESSION):
        found = pattern.search(title)
        if found:
            return _ordinal(found.group(1))
    counts: Counter[int] = Counter()
    for pattern in (_ZH_SESSION, _EN_SESSION):
        for found in pattern.finditer(text):
            near = text[max(0, found.start() - 50):found.end() + 15]
            years = {int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", near)}
            if years - {year}:
                continue
            if re.search(r"(?:和|、|及|and|, )$", text[max(0, found.start() - 2):found.start()]):
                continue
            counts[_ordinal(found.group(1))] += 1
    if not counts:
        return None
    return max(counts, key=lambda n: (counts[n], n))


def find_dates(title: str, front: str = "") -> tuple[str | None, str | None]:
    """Start and end dates (ISO) a title gives: 2017 年 4 月 10 日至 13 日, 10 to 13 April 2017.

    Examples
    --------
    >>> find_dates("会议 2017 年 4 月 10 日至 13 日在维也纳举行")
    ('2017-04-10', '2017-04-13')
    >>> find_dates("held in New York from 28 February to 11 March 2022")
    ('2022-02-28', '2022-03-11')
    """
    for text in (title, front):
        found = _ZH_RANGE.search(text)
        if found and (found.group(6) or text is title):
            y, m, d, y2, m2, d2 = found.groups()
            start = _iso(y, m, d)
            return start, (_iso(y2 or y, m2 or m, d2) if d2 else start)
        found = _EN_RANGE.search(text)
        if found:
            d, m, y, d2, m2, y2 = found.groups()
            return _iso(y or y2, _matched(_MONTHS, m or m2), d), _iso(y2, _matched(_MONTHS, m2), d2)
        found = _EN_DAY.search(text) if text is title else None
        if found:
            single = _iso(found.group(3), _matched(_MONTHS, found.group(2)), found.group(1))
            return single, single
    return None, None


def _iso(year: str | int, month: str | int, day: str | int) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def find_venue(title: str, front: str = "") -> str | None:
    """Where the meeting was held, in English: 在维也纳举行 -> Vienna.

    Examples
    --------
    >>> find_venue("2017 年 4 月 10 日至 13 日在维也纳举行的会议的报告")
    'Vienna'
    """
    for text in (title, front):
        found = _ZH_VENUE.search(text)
        if found:
            return _VENUES.get(found.group(1), found.group(1))
        found = _EN_VENUE.search(text)
        if found:
            return found.group(1)
    for text in (title, front):
        for name, english in _VENUES.items():
            if name in text or re.search(rf"\b{english}\b", text):
                return english
    return None
