"""Paragraph numbering and headings of documents, on small layouts written for the tests."""

from __future__ import annotations

from positions.read.layout import parse_layout


def paragraphs(raw: str) -> list[tuple[int | None, str, str]]:
    layout = parse_layout(raw)
    return [(p.number, p.section, layout.text[p.start:p.end]) for p in layout.paragraphs]


def test_a_lost_paragraph_number_does_not_swallow_the_rest():
    raw = ("Report\n\n1. One.\n2. Two agreed. The agenda:\n1. Opening.\n2. Other.\n"
           "3 . Lost its number.\n4. Four.\n5. Five.\n")
    assert [n for n, _, _ in paragraphs(raw)] == [1, 2, 4, 5]
    assert paragraphs(raw)[1][2] == "Two agreed. The agenda:\n1. Opening.\n2. Other. 3 . Lost its number."


def test_numbers_inside_a_sentence_are_not_paragraphs():
    raw = "Report\n\n1. One.\n2. It cited resolution\n4. of the Assembly.\n3. Three.\n"
    assert [n for n, _, _ in paragraphs(raw)] == [1, 2, 3]


def test_bare_number_lines_and_wrapped_headings():
    raw = ("Report\n\nI. Summary of the deliberations held on a subject whose heading\n"
           "runs onto a second line\n\n1.\nThe Group met.\n\n2.\n许多发言者\n表示支持。\n3. Done.\n")
    got = paragraphs(raw)
    assert got[0] == (1, "I. Summary of the deliberations held on a subject whose heading runs onto a second line",
                      "The Group met.")
    assert got[1][2] == "许多发言者表示支持。"


def test_full_width_numbers_and_headings():
    raw = "报告\n\n一、导言\n1．许多发言者表示支持。\n2．一些发言者表示反对。\nA．其他事项\n3．没有其他事项。\n"
    assert paragraphs(raw) == [(1, "一、导言", "许多发言者表示支持。"), (2, "一、导言", "一些发言者表示反对。"),
                               (3, "一、导言 > A．其他事项", "没有其他事项。")]
