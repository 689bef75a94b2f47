"""Codebooks: the default one, a user's own (a made-up plastics treaty) end to end, and bad files."""

from __future__ import annotations

import copy
import re
import textwrap
from pathlib import Path

import pytest
import yaml

import positions as pos

# The target ids of CODEBOOK.md, in its order.
CYBERCRIME = ("new_treaty", "budapest_convention", "capacity_building", "draft_study", "human_rights")

PLASTICS = textwrap.dedent(r"""
    # A made-up codebook for a made-up treaty, written for these tests.
    id: plastics
    version: 1
    title: {en: A made-up plastics treaty, zh: 虚构的塑料条约}
    targets:
      global_ban:
        label: {en: Global ban on single-use plastics, zh: 全球一次性塑料禁令}
        names:
          en: ['\bglobal ban\b']
          zh: ['全球(?:性)?禁令']
        refers:
          en: ['\b(?:such a|the|this) ban\b']
          zh: ['该禁令|这一禁令']
        against:
          en: ['\bunenforceable\b']
          zh: ['无法执行']
      recycling_fund:
        label: {en: Recycling fund, zh: 回收基金}
        names:
          en: ['\brecycling fund\b']
          zh: ['回收基金']
        favor:
          en: ['\bcontribut\w*']
          zh: ['出资']
    """)

REPORT_EN = textwrap.dedent("""\
    Report of the Negotiating Committee on a Made-up Plastics Treaty on its first session, held in Nairobi from 4 to 8 March 2030

    I. Summary of deliberations

    1. Many speakers supported a global ban on single-use plastics. They said that such a ban was needed to protect the oceans.

    2. Some speakers opposed a global ban. These speakers said that it would be unenforceable in small island States.

    3. Several speakers called for a recycling fund. One speaker said that her Government would contribute to the recycling fund.

    4. One speaker said that the weather in Nairobi had been pleasant. Such a ban was not discussed by that speaker.

    5. Some speakers recalled the Budapest Convention and called for a new treaty on cybercrime.
    """)

REPORT_ZH = textwrap.dedent("""\
    虚构塑料条约谈判委员会第一届会议报告，2030 年 3 月 4 日至 8 日在内罗毕举行

    一. 审议情况概要

    1. 许多发言者支持全球禁令。他们认为该禁令对保护海洋是必要的。

    2. 一些发言者反对全球禁令，认为其在小岛屿国家无法执行。

    3. 一名发言者说，其本国政府将为回收基金出资。
    """)


PLASTICS_STANCES = {  # (para, sent, target): the rules' stance in the English report; the Chinese one has no (3, 2)
    (1, 1, "global_ban"): "favor",
    (1, 2, "global_ban"): "favor",
    (2, 1, "global_ban"): "against",
    (3, 1, "recycling_fund"): "favor",
    (3, 2, "recycling_fund"): "favor",
}


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def book(tmp_path):
    return pos.load_codebook(_write(tmp_path, "plastics.yaml", PLASTICS))


def test_default_codebook_has_the_five_targets_of_the_codebook():
    default = pos.load_codebook()
    assert default.id == "cybercrime"
    assert default.target_ids == CYBERCRIME
    for target in CYBERCRIME:
        for lang in ("en", "zh"):
            assert default.cues(target, "names", lang), (target, lang)
            assert default.label(target, lang)


def test_codebook_md_lists_the_same_targets():
    codebook_md = Path(__file__).resolve().parents[3] / "shared" / "CODEBOOK.md"
    if not codebook_md.is_file():
        pytest.skip("shared/CODEBOOK.md is not next to the project")
    text = codebook_md.read_text(encoding="utf-8")
    section = text[text.index("## Targets"):text.index("Stance labels")]
    assert tuple(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M)) == CYBERCRIME


def test_user_codebook_loads(book):
    assert book.id == "plastics"
    assert book.target_ids == ("global_ban", "recycling_fund")
    assert book.label("recycling_fund", "zh") == "回收基金"
    assert pos.Codebook.from_json(book.to_json()).digest == book.digest


def test_user_codebook_end_to_end_english(book, tmp_path):
    table = pos.statements(_write(tmp_path, "plastics-2030-session1.en.txt", REPORT_EN))
    found = pos.detect_targets(table, book)
    keyed = {(int(table.loc[r.row, "para"]), int(table.loc[r.row, "sent"])): (r.target, r.via)
             for r in found.itertuples()}
    assert keyed == {
        (1, 1): ("global_ban", "name"),
        (1, 2): ("global_ban", "reference"),
        (2, 1): ("global_ban", "name"),
        (3, 1): ("recycling_fund", "name"),
        (3, 2): ("recycling_fund", "name"),
    }  # paragraph 4's "such a ban" has nothing to refer to; paragraph 5 is about another codebook's targets

    classified = pos.classify(table, model="rules", codebook=book)
    assert list(classified.columns) == pos.CLASSIFIED_COLUMNS
    assert set(classified.target) == {"global_ban", "recycling_fund"}
    stances = {(r.para, r.sent, r.target): r.stance for r in classified.itertuples()}
    assert stances == PLASTICS_STANCES
    assert classified.confidence.between(0, 1).all()


def test_user_codebook_end_to_end_chinese(book, tmp_path):
    table = pos.statements(_write(tmp_path, "plastics-2030-session1.zh.txt", REPORT_ZH))
    classified = pos.classify(table, model="rules", codebook=book)
    stances = {(r.para, r.sent, r.target): r.stance for r in classified.itertuples()}
    assert stances == {key: stance for key, stance in PLASTICS_STANCES.items() if key != (3, 2, "recycling_fund")}


def test_user_codebook_mentions_and_rule_stance(book):
    mentions = pos.find_mentions("They said that such a ban was needed.", "en", book, named_before={"global_ban": 1})
    assert [(m.target, m.via, m.cue) for m in mentions] == [("global_ban", "reference", "such a ban")]
    assert pos.find_mentions("Some speakers called for a new treaty on cybercrime.", "en", book) == []
    assert pos.rule_stance("One speaker said the global ban would be unenforceable.", "global_ban", "en",
                           book)[0] == "against"


# -- bad codebooks ------------------------------------------------------------------------------

BAD = {
    "not-yaml": ("id: plastics\ntargets: [global_ban\n", "not valid YAML"),
    "not-a-mapping": ("just a sentence about plastics\n", "a codebook is a mapping"),
    "no-targets": ("id: plastics\nversion: 1\n", "has no 'targets'"),
    "empty-targets": ("id: plastics\ntargets: {}\n", "'targets' must map target ids"),
    "invalid-regex": ("id: plastics\ntargets:\n  global_ban:\n    names:\n      en: ['global (ban']\n",
                      "target 'global_ban': names.en: invalid pattern 'global (ban'"),
    "target-without-names": ("id: plastics\ntargets:\n  global_ban:\n    label: Global ban\n"
                             "    refers:\n      en: ['such a ban']\n", "target 'global_ban' has no names"),
    "target-with-empty-names": ("id: plastics\ntargets:\n  global_ban:\n    names:\n      en: []\n      zh: []\n",
                                "target 'global_ban' has no names"),
    "target-id-none": ("id: plastics\ntargets:\n  none:\n    names:\n      en: ['nothing at all']\n",
                       "target id 'none'"),
    "target-id-capitals": ("id: plastics\ntargets:\n  GlobalBan:\n    names:\n      en: ['global ban']\n",
                           "target id 'GlobalBan' must be lower-case"),
    "cues-not-a-list": ("id: plastics\ntargets:\n  global_ban:\n    names:\n      en: 'global ban'\n",
                        "names.en must be a list of patterns"),
    "version-not-a-number": ("id: plastics\nversion: two\ntargets:\n  global_ban:\n    names:\n      en: ['ban']\n",
                             "version must be an integer"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_codebook_names_the_file_and_the_problem(tmp_path, name):
    text, problem = BAD[name]
    path = _write(tmp_path, f"{name}.yaml", text)
    with pytest.raises(pos.InputError) as caught:
        pos.load_codebook(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert problem in message
    assert "\n" not in message
    assert isinstance(caught.value, ValueError)


def test_unreadable_and_missing_codebook_files(tmp_path):
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00 not text")
    for path in (binary, tmp_path / "missing.yaml"):
        with pytest.raises(pos.InputError, match=re.escape(f"{path}: cannot read the codebook")):
            pos.load_codebook(path)


ACCEPTED_THEN_BROKEN = {
    "inline-flag": "id: plastics\ntargets:\n  global_ban:\n    names:\n      en: ['(?i)global ban']\n",
    "group-name-twice": ("id: plastics\ntargets:\n  global_ban:\n    names:\n      en: ['(?P<w>global) ban']\n"
                         "  recycling_fund:\n    names:\n      en: ['(?P<w>recycling) fund']\n"),
}


@pytest.mark.parametrize("name", list(ACCEPTED_THEN_BROKEN))
def test_patterns_valid_alone_are_refused_or_work(tmp_path, name):
    path = _write(tmp_path, f"{name}.yaml", ACCEPTED_THEN_BROKEN[name])
    try:
        book = pos.load_codebook(path)
    except pos.InputError as err:
        assert str(err).startswith(f"{path}: ")
        return
    assert [m.target for m in pos.find_mentions("We want a global ban.", "en", book)] == ["global_ban"]


# -- digest -------------------------------------------------------------------------------------

def _dump(folder: Path, name: str, data: dict) -> Path:
    return _write(folder, name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_digest_is_stable_and_changes_with_a_cue(tmp_path):
    default = pos.load_codebook()
    same = pos.load_codebook(_dump(tmp_path, "same.yaml", copy.deepcopy(default.to_dict())))
    assert same.digest == default.digest
    assert re.fullmatch(r"[0-9a-f]{16}", default.digest)

    added = copy.deepcopy(default.to_dict())
    added["targets"]["budapest_convention"]["names"]["en"].append(r"\bETS\s*185 treaty\b")
    assert pos.load_codebook(_dump(tmp_path, "added.yaml", added)).digest != default.digest

    edited = copy.deepcopy(default.to_dict())
    cues = edited["targets"]["new_treaty"]["against"]["en"]
    cues[0] = cues[0] + r"|\bredundant\b"
    assert pos.load_codebook(_dump(tmp_path, "edited.yaml", edited)).digest != default.digest


def test_to_dict_does_not_expose_the_codebook(tmp_path):
    default = pos.load_codebook()
    before = default.cues("budapest_convention", "names", "en")
    plain = default.to_dict()
    try:
        plain["targets"]["budapest_convention"]["names"]["en"].append(r"\bplaceholder cue\b")
        assert pos.load_codebook().cues("budapest_convention", "names", "en") == before
    finally:
        names = default.targets["budapest_convention"]["names"]["en"]
        if names and names[-1] == r"\bplaceholder cue\b":
            names.pop()  # undo, so that no other test sees the edit


def test_digest_of_a_user_codebook_changes_with_a_cue(tmp_path, book):
    edited = _write(tmp_path, "edited.yaml", PLASTICS.replace(r"'\bunenforceable\b'", r"'\bunworkable\b'"))
    assert pos.load_codebook(edited).digest != book.digest
    again = _write(tmp_path, "again.yaml", PLASTICS)
    assert pos.load_codebook(again).digest == book.digest
