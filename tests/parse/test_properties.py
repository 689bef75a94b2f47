"""Property-based tests (hypothesis) of reading, segmenting and attributing.

Hostile documents are generated from small word lists written for these tests
(no corpus text): mixed Chinese and English, control characters, odd Unicode,
very long lines, runs of blank lines, paragraph numbers that skip, repeat or go
backwards.  For every input, reading either works or raises
:class:`positions.InputError` (one line, naming the file), and every row of the
statements table is citable: ``doc.text[char_start:char_end] == text``.

Runs are derandomized, so CI sees the same examples every time;
``pytest tests/parse/test_properties.py --hypothesis-show-statistics`` reports how
many inputs each property ran and where they ended (``InputError: empty file``,
``zh, 3+ paragraphs``, ...).
"""

from __future__ import annotations

import math
import random
import tempfile
import warnings
from bisect import bisect_right
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

import positions
from positions import STATEMENT_COLUMNS, InputError, split_sentences
from positions.base.config import DEFAULT_CONFIG
from positions.base.schema import STATEMENT_DTYPES
from positions.parse.gazetteer import gazetteer
from positions.parse.speakers import SpeakerContext, attribute, find_attendance
from positions.read.encoding import decode
from positions.read.layout import parse_layout
from positions.read.metadata import find_dates, find_session

PROPERTY = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# --------------------------------------------------------------------------- building blocks

ZH_WORDS = (
    "许多发言者", "一些发言者", "有几名发言者", "其他发言者", "这些发言者", "他们", "会上普遍认为", "主席", "报告员（加拿大）",
    "马耳他代表以欧洲联盟成员国的名义作了发言", "认为", "表示支持", "不需要", "新的国际法律文书", "包括", "以及", "或者",
    "而另有些代表团则反对", "下列国家的代表作了发言：", "阿尔及利亚、越南和", "出席会议的有 87 个会员国", "专家组第三次会议",
    "2017 年 4 月 10 日至 13 日在维也纳举行", "《公约》", "第三条", "说：", "会议", "一致通过",
)
EN_WORDS = (
    "Many speakers", "Some delegations", "A few experts", "Most participants", "Other speakers", "The delegation of France",
    "The representative of Jamaica", "on behalf of the European Union", "agreed", "stressed", "did not", "said",
    "a new international legal instrument", "para. 12", "No. 5", "e.g.", "U.N.", "Mr. J. Smith", "2.5 million", "they",
    "These speakers", "while others", "whereas some", "It was generally agreed that", "The Chair, Ana Silva (Brazil),",
    "Statements were made by the representatives of", "Algeria, Viet Nam and", "The meeting was attended by 59 member States",
    "held in Vienna from 10 to 13 April 2017", "on its third session", "Report of the Ad Hoc Committee", "The Committee",
)
PUNCTUATION = (
    "。", "；", "，", "：", "、", "“", "”", "《", "》", "（", "）", "「", "」", "‘", "’", "！", "？",
    ".", "?", "!", ";", ":", ",", "(", ")", "[", "]", '"', "'", "...", "——", "-", "。”", ".”",
)
SPACES = (" ", " ", " ", "  ", "\t", "\u3000", "\xa0")
# Characters whose case folding, width or script trips naive code: ſ and K match s and k
# case-insensitively, İ matches i; combining marks, emoji, CJK beyond the BMP.
ODD = ("ſ", "İ", "ı", "\u212a", "ß", "e\u0301", "\U0001f600", "１２", "٣", "Ⅳ", "ﬁ", "\U00020000", "\u200b", "\ufeff", "\ufffd")
CONTROLS = (*(chr(c) for c in range(0x20)), "\x7f", "\x85", "\u2028", "\u2029", "\r\n")
NUMBER_MARKS = (". ", ". ", ".", "．", ".\t", " . ", ".\u3000", ")")
LABELS = ("（a）", "(b) ", "一、", "二．", "I. ", "IV. ", "A. ", "B．", "第三章 ", "Chapter II. ", "• ", "(iii) ")
HEADERS = (
    "V.17-02476 2/10", "UNODC/CCPCJ/EG.4/2017/4", "Page 3 of 10", "第 3 页", "- 4 -", "17-02476", "http://undocs.org/A/1",
    "www.unodc.org", "Distr.: General", "Original: English", "联合国", "10 April 2017", "2017 年 4 月 10 日",
)
TITLES = ("", "", "Report of the Ad Hoc Committee on its third session, held in Vienna from 10 to 13 April 2017\n\n",
          "专家组第三次会议 2017 年 4 月 10 日至 13 日在维也纳举行的会议的报告\n\n", "I. Introduction\n")
LINE_ENDS = ("\n",) * 8 + ("\r\n", "\r", "\n\n", "\n\n\n\n", "\f", "\n\f\n", "\u2028", "")
ENCODINGS = ("utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gb18030")

# Any character a file can hold (no lone surrogates).
CHARACTERS = st.characters(blacklist_categories=("Cs",))

fragments = st.one_of(
    st.sampled_from(ZH_WORDS),
    st.sampled_from(EN_WORDS),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(SPACES),
    st.sampled_from(ODD),
    st.text(CHARACTERS, max_size=6),
    st.one_of(st.integers(0, 2000), st.integers(0, 10**500)).map(str),  # numbers, and runs of digits
)
# Letters that Unicode case-insensitive matching takes for ASCII ones: ſ s, K k, İ and ı i.
LOOKALIKES = {"s": "ſ", "S": "ſ", "k": "\u212a", "K": "\u212a", "i": "ı", "I": "İ"}


@st.composite
def plain_sentences(draw) -> str:
    """A sentence that reads like a report's: subject, verb, object, stop, in either language."""
    zh = draw(st.booleans())
    words = ZH_WORDS if zh else EN_WORDS
    parts = draw(st.lists(st.sampled_from(words), min_size=1, max_size=5))
    stop = draw(st.sampled_from(("。", "；", "，", "") if zh else (".", ";", ",", "")))
    return ("" if zh else " ").join(parts) + stop


sentences = st.one_of(plain_sentences(), st.lists(fragments, min_size=1, max_size=12).map("".join))


@st.composite
def documents(draw) -> str:
    """A text file's content: numbered and unnumbered paragraphs, headings, headers, blank runs, long lines."""
    parts = [draw(st.sampled_from(TITLES))]
    number = draw(st.integers(0, 2))
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(("numbered", "numbered", "numbered", "text", "text", "label", "blank", "header", "long")))
        if kind == "numbered":
            number += draw(st.sampled_from((1, 1, 1, 1, 0, 2, 3, -1, -3)))  # skips, repeats, goes backwards
            line = f"{number}{draw(st.sampled_from(NUMBER_MARKS))}{draw(sentences)}"
        elif kind == "label":
            line = draw(st.sampled_from(LABELS)) + draw(sentences)
        elif kind == "blank":
            line = draw(st.sampled_from(("", "", " ", "\t", "\u3000", "  \t ")))
        elif kind == "header":
            line = draw(st.sampled_from(HEADERS))
        elif kind == "long":
            sentence = draw(sentences) + draw(st.sampled_from(SPACES))
            line = sentence * max(1, draw(st.integers(1000, 20000)) // len(sentence))
        else:
            line = " ".join(draw(st.lists(sentences, min_size=1, max_size=4)))
        parts.append(line + draw(st.sampled_from(LINE_ENDS)))
    text = "".join(parts)
    if draw(st.booleans()):  # some ASCII letters swapped for their case-insensitive look-alikes
        rnd = draw(st.randoms(use_true_random=False))
        text = "".join(LOOKALIKES[c] if c in LOOKALIKES and rnd.random() < 0.3 else c for c in text)
    for position, char in draw(st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(CONTROLS)), max_size=3)):
        i = position % (len(text) + 1)
        text = text[:i] + char + text[i:]
    return text


# --------------------------------------------------------------------------- checks

SPEAKER_KINDS = {"delegation", "group", "quantified", "officer", "meeting", "unknown"}  # README: Speakers
QUANTIFIERS = {"one", "several", "some", "many", "most", "general", "unspecified"}


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def check_error(err: InputError, path: Path) -> None:
    """A clean error: one line that starts with the file."""
    assert err.path == str(path)
    assert str(err).startswith(f"{path}: ") and err.problem.strip()
    assert "\n" not in str(err) and "\r" not in str(err)


def check_warnings(caught: list) -> None:
    for w in caught:
        assert issubclass(w.category, UserWarning), (w.category, str(w.message))


def check_attribution(kind, speaker, quantifier, weight: float) -> None:
    """Types and weights as the README's Speakers section documents them."""
    speaker, quantifier = (None if _missing(v) else v for v in (speaker, quantifier))
    assert kind in SPEAKER_KINDS, kind
    assert isinstance(weight, float) and math.isfinite(weight) and weight >= 0, weight
    if kind in ("quantified", "meeting"):
        assert speaker is None, speaker
    else:
        assert isinstance(speaker, str) and speaker.strip() and quantifier is None, (kind, speaker, quantifier)
    if kind == "quantified":
        assert quantifier in QUANTIFIERS, quantifier
    if quantifier in DEFAULT_CONFIG.fixed_weights:
        assert weight == DEFAULT_CONFIG.fixed_weights[quantifier]
    elif quantifier in DEFAULT_CONFIG.share_weights:
        participants = weight / DEFAULT_CONFIG.share_weights[quantifier]
        assert participants >= 1 and participants == pytest.approx(round(participants)), weight
    elif quantifier is None:
        assert weight == (DEFAULT_CONFIG.meeting_weight if kind == "meeting" else DEFAULT_CONFIG.named_weight)
    else:
        pytest.fail(f"unknown quantifier {quantifier!r}")


def check_document(doc: positions.Document) -> None:
    """Paragraphs in order, inside the text, not overlapping; line breaks normalised."""
    assert doc.lang in ("zh", "en")
    assert "\r" not in doc.text and "\f" not in doc.text
    position = 0
    for paragraph in doc.paragraphs:
        assert position <= paragraph.start <= paragraph.end <= len(doc.text), paragraph
        position = paragraph.end


def check_table(table: pd.DataFrame, doc: positions.Document) -> None:
    """The offset invariant, and every paragraph's text in its statements, in order."""
    assert list(table.columns) == STATEMENT_COLUMNS
    assert {c: str(t) for c, t in table.dtypes.items()} == STATEMENT_DTYPES
    assert set(table.doc_id) <= {doc.doc_id} and set(table.lang) <= {doc.lang}
    starts = [p.start for p in doc.paragraphs]
    rows: dict[int, list[tuple[int, int, int]]] = {}
    k = number = 0
    for row in table.itertuples(index=False):
        assert doc.text[row.char_start:row.char_end] == row.text, (row.para, row.sent)
        assert row.text.strip() == row.text != "", (row.para, row.sent)  # no surrounding white space
        previous, k = k, bisect_right(starts, row.char_start) - 1
        assert k >= max(0, previous), (row.para, row.sent, "rows out of document order")
        assert row.char_end <= doc.paragraphs[k].end, (row.para, row.sent, "outside its paragraph")
        paragraph = doc.paragraphs[k]
        assert (_missing(row.para) and paragraph.number is None) or row.para == paragraph.number
        if not _missing(row.para):  # paragraph numbers run in order
            assert row.para >= number, (row.para, number)
            number = row.para
        assert row.section == paragraph.section
        check_attribution(row.speaker_kind, row.speaker, row.quantifier, row.weight)
        spans = rows.setdefault(k, [])
        if not spans or spans[-1] != (row.sent, row.char_start, row.char_end):  # one row per speaker
            spans.append((row.sent, row.char_start, row.char_end))
    for k, paragraph in enumerate(doc.paragraphs):
        spans = rows.get(k, [])
        assert [sent for sent, _, _ in spans] == list(range(1, len(spans) + 1)), paragraph
        position = paragraph.start
        for _, start, end in spans:
            assert position <= start < end, (paragraph, start, end)  # ordered, not overlapping
            assert not doc.text[position:start].strip(), "text between statements is lost"
            position = end
        assert not doc.text[position:paragraph.end].strip(), "text at a paragraph's end is lost"


def read_and_check(data: bytes, speech: bool = False) -> str:
    """Write ``data`` as a .txt file and read it the public way; what happened, for the statistics."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.txt"
        if speech:  # a UN General Debate Corpus file: the speaker comes from its name
            path = Path(folder) / "Session 74 - 2019" / "FRA_74_2019.txt"
            path.parent.mkdir()
        path.write_bytes(data)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                doc = positions.read_document(path)
            except InputError as err:
                check_error(err, path)
                return f"InputError: {err.problem}"
            table = positions.statements(path)
        check_warnings(caught)
        check_document(doc)
        check_table(table, doc)
        if speech:
            assert set(table.speaker) <= {"FRA"}
        count = len(doc.paragraphs)
        return f"{doc.lang}, {'3+' if count > 2 else count} paragraphs"


# --------------------------------------------------------------------------- whole documents


@settings(PROPERTY, max_examples=160)
@given(text=documents(), encoding=st.sampled_from(ENCODINGS), speech=st.booleans())
@example(text="1. 下列国家的代表作了发言：和。\n2. Two.\n3. Three.\n", encoding="utf-8", speech=False)
@example(text="Report on its firſt session, held on 10 Auguſt 2017\n\nThe representative of İran agreed.\n",
         encoding="utf-8", speech=False)
@example(text="The meeting was attended by " + "9" * 400 + " member States. Most speakers agreed.\n",
         encoding="utf-8", speech=False)
def test_documents_read_or_raise_input_error(text: str, encoding: str, speech: bool) -> None:
    event(read_and_check(text.encode(encoding), speech))


@settings(PROPERTY, max_examples=120)
@given(text=st.text(CHARACTERS, max_size=3000))
def test_random_unicode_files(text: str) -> None:
    event(read_and_check(text.encode("utf-8")))


@settings(PROPERTY, max_examples=120)
@given(data=st.binary(max_size=3000))
def test_random_byte_files(data: bytes) -> None:
    event(read_and_check(data))


# --------------------------------------------------------------------------- decoding


def _decoded(data: bytes) -> str | None:
    """``decode(data)``: the text, or None after a clean InputError; any warning a UserWarning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            text = decode(data, "some.txt")
        except InputError as err:
            assert err.path == "some.txt" and "\n" not in str(err)
            event(f"InputError: {err.problem}")
            return None
    check_warnings(caught)
    assert isinstance(text, str) and text.strip()
    text.encode("utf-8")  # no lone surrogates: every later step can write it out
    event("text, with a warning" if caught else "text")
    return text


@settings(PROPERTY, max_examples=250)
@given(data=st.one_of(st.binary(max_size=500), documents().map(lambda t: t.encode("utf-8")),
                      st.tuples(documents(), st.sampled_from(ENCODINGS), st.binary(max_size=4), st.integers(0, 10**6))
                      .map(lambda d: _spliced(d[0].encode(d[1]), d[2], d[3]))))
def test_decode_returns_text_or_input_error(data: bytes) -> None:
    _decoded(data)


def _spliced(data: bytes, junk: bytes, position: int) -> bytes:
    """``data`` with a few arbitrary bytes inserted: invalid UTF-8, an odd length, a stray NUL."""
    i = position % (len(data) + 1)
    return data[:i] + junk + data[i:]


def _looks_binary(text: str) -> bool:
    """Enough control characters that decode may take the file for binary data."""
    return sum(c < " " and c not in "\t\n\r\x0c" or c == "\x7f" for c in text[:20000]) > 3


@settings(PROPERTY, max_examples=200)
@given(text=st.one_of(documents(), st.text(CHARACTERS)).map(lambda t: t.replace("\x00", "")),
       encoding=st.sampled_from(("utf-8", "utf-8-sig", "utf-16")))
def test_decode_gives_back_utf8_and_utf16_text(text: str, encoding: str) -> None:
    """Text in UTF-8 (with or without BOM) or UTF-16 with BOM decodes to itself, BOMs stripped."""
    decoded = _decoded(text.encode(encoding))
    if decoded is None:
        assert not text.lstrip("\ufeff").strip() or _looks_binary(text)
    else:
        assert decoded == text.lstrip("\ufeff")


@settings(PROPERTY, max_examples=100)
@given(words=st.lists(st.sampled_from(ZH_WORDS + ("。", "；", "，", "《", "》", " ", "\n", "\r\n")), min_size=1, max_size=40))
def test_decode_gives_back_chinese_gb18030_text(words: list[str]) -> None:
    """Chinese in GB18030 decodes to itself, odd length or even (not taken for BOM-less UTF-16)."""
    text = "".join(words)
    decoded = _decoded(text.encode("gb18030"))
    assert decoded == text or (decoded is None and not text.strip())


# --------------------------------------------------------------------------- segmenting


@settings(PROPERTY, max_examples=300)
@given(text=st.one_of(documents(), st.text(CHARACTERS), sentences),
       bounds=st.one_of(st.none(), st.tuples(st.integers(0, 5000), st.integers(0, 5000))),
       lang=st.sampled_from(("zh", "en")))
@example(text="会议讨论了《许多发言者认为不需要。", bounds=None, lang="zh")
def test_sentence_spans_partition_the_paragraph(text: str, bounds: tuple[int, int] | None, lang: str) -> None:
    """Spans inside the paragraph, increasing, without surrounding white space; only white space between them."""
    if bounds is None:
        start, end = 0, len(text)
        spans = split_sentences(text, lang=lang)
    else:
        start, end = sorted(min(b, len(text)) for b in bounds)
        spans = split_sentences(text, start, end, lang)
    event(f"{min(len(spans), 5)}{'+' if len(spans) > 5 else ''} sentences")
    position = start
    for s, e in spans:
        assert position <= s < e <= end, (s, e)
        assert not text[position:s].strip(), "text between sentences is lost"
        assert not text[s].isspace() and not text[e - 1].isspace()
        position = e
    assert not text[position:end].strip(), "text at the end is lost"


# --------------------------------------------------------------------------- attributing


@settings(PROPERTY, max_examples=500)
@given(run=st.lists(sentences, min_size=1, max_size=4), lang=st.sampled_from(("zh", "en")),
       participants=st.one_of(st.none(), st.integers(0, 500)))
@example(run=["下列国家的代表作了发言：和。"], lang="zh", participants=None)
@example(run=["Statements were made by the representatives of the following: and."], lang="en", participants=None)
@example(run=["The representative of İRAN, on behalf of the Group of 77 and China, said so."], lang="en", participants=None)
def test_attribution_of_a_run_of_statements(run: list[str], lang: str, participants: int | None) -> None:
    """Every statement gets a speaker (one row at least), of the documented kinds, with its cue in its text."""
    context = SpeakerContext(lang, participants)
    previous = None
    for sentence in run:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            found = attribute(sentence, previous, context)
        check_warnings(caught)
        assert found, sentence
        for a in found:
            check_attribution(a.speaker_kind, a.speaker, a.quantifier, a.weight)
            assert a.cue == "" or a.cue in sentence, (a.cue, sentence)
        event(found[0].speaker_kind)
        previous = found


# --------------------------------------------------------------------------- regressions


def test_names_matched_by_unicode_case_folding():
    """Case-insensitive patterns match ſ as s and İ as i; looking the match up must not fail."""
    assert find_dates("held in Vienna from 10 to 13 Auguſt 2017") == ("2017-08-10", "2017-08-13")
    assert find_dates("10 ſeptember 2017") == ("2017-09-10", "2017-09-10")
    assert find_session("Report on its firſt ſeſſion", "") == 1
    assert [entity.code for *_, entity in gazetteer().find("İRAN and Kenya")] == ["IRN", "KEN"]
    found = attribute("The representative of İran said so.", None, SpeakerContext("en"))
    assert [(a.speaker_kind, a.speaker) for a in found] == [("delegation", "IRN")]


def test_attendance_counts_are_numbers_of_participants():
    """A run of digits is not an attendance count: no integer-conversion error, no infinite weight."""
    assert find_attendance("attended by " + "9" * 5000 + " member States.", "en") == {}
    assert find_attendance("出席会议的有 " + "9" * 5000 + " 个会员国。", "zh") == {}
    assert find_attendance("attended by 59 member States and 3 observer States.", "en") == {
        "member_states": 59, "observer_states": 3}


def test_a_list_of_speakers_without_names_keeps_its_statement():
    """下列国家的代表作了发言：和 names nobody; the statement still gets a row."""
    for sentence, lang in (("下列国家的代表作了发言：和。", "zh"),
                           ("Statements were made by the representatives of the following: and.", "en")):
        found = attribute(sentence, None, SpeakerContext(lang))
        assert [(a.speaker_kind, a.speaker, a.weight) for a in found] == [("meeting", None, 0.0)]
        assert found[0].cue in sentence


def test_an_unmatched_opening_bracket_does_not_end_a_sentence():
    text = "会议讨论了《许多发言者认为不需要。一些发言者表示支持（"
    assert [text[s:e] for s, e in split_sentences(text, lang="zh")] == [
        "会议讨论了《许多发言者认为不需要。", "一些发言者表示支持（"]


# Inputs that once took time growing with the square of their size (timed in benchmarks/bench_hostile.py):
# here, what they must give.
def test_100000_lines_without_numbers_are_one_paragraph():
    layout = parse_layout("Many speakers agreed on the text\n" * 100_000)
    assert len(layout.paragraphs) == 1 and len(layout.text) == 100_000 * 33 - 1


def test_unmatched_brackets_are_one_sentence():
    assert split_sentences("《" * 20_000 + "）" * 20_000, lang="zh") == [(0, 40_000)]


def test_the_semicolons_of_a_long_list_do_not_end_its_statement():
    text = "许多" * 200_000 + "包括" + "一些；" * 5_000
    assert split_sentences(text, lang="zh") == [(0, len(text))]


# --------------------------------------------------------------------------- one 5 MB line

ZH_STATEMENTS = ("许多发言者认为不需要新的国际法律文书。", "一些发言者表示支持；", "而另有些代表团则反对。",
                 "他们说：“我们支持。”", "《公约》第三条（a）项包括：", "会上普遍认为，合作很重要。")
EN_STATEMENTS = ("Many speakers agreed.", "The delegation of France, on behalf of the European Union, said so.",
                 "See para. 12 (b), e.g. Art. 3.", "They stressed it; while others did not.", "It costs 2.5 million.")


@pytest.fixture()
def no_progress():
    previous = positions.set_progress(False)
    yield
    positions.set_progress(previous)


@pytest.mark.parametrize(("chinese", "lang"), [(0.8, "zh"), (0.3, "en")])
def test_a_file_that_is_one_5_mb_line(tmp_path, no_progress, chinese: float, lang: str):
    """Mixed Chinese and English statements, 5 MB without a line break: read, segmented, citable."""
    rng = random.Random(5)
    parts: list[str] = []
    size = 0
    while size < 5_000_000:
        parts.append(rng.choice(ZH_STATEMENTS if rng.random() < chinese else EN_STATEMENTS))
        size += len(parts[-1].encode("utf-8")) + 1
    path = tmp_path / "one-line.txt"
    path.write_text(" ".join(parts), encoding="utf-8")
    assert path.stat().st_size >= 5_000_000 and b"\n" not in path.read_bytes()
    doc = positions.read_document(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # names not in the gazetteer
        table = positions.statements([doc])
    check_document(doc)
    check_table(table, doc)
    assert doc.lang == lang and len(doc.paragraphs) == 1 and len(table) > 50_000
    assert table.text.str.contains("许多发言者").any() and table.text.str.contains("Many speakers").any()
