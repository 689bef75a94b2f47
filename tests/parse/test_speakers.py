"""Speaker attribution: English cues on a fixture report, Chinese cues as data, gazetteer, speeches."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import positions as pos
from positions.parse.gazetteer import gazetteer
from positions.parse.speakers import SpeakerContext, attribute, explain

DATA = Path(__file__).resolve().parent.parent / "data"  # tests/data


def _tsv(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def english():
    with pytest.warns(UserWarning, match="Freedonia"):
        return pos.statements(DATA / "en_report.txt")


EXPECTED = _tsv("en_report.expected.tsv")


@pytest.mark.parametrize("case", EXPECTED, ids=[f"{c['para']}.{c['sent']}" for c in EXPECTED])
def test_english_cues(english, case):
    row = english[(english.para == int(case["para"])) & (english.sent == int(case["sent"]))].iloc[0]
    got = [row.speaker_kind, row.speaker, row.on_behalf_of, row.quantifier]
    want = [case["speaker_kind"], case["speaker"] or None, case["on_behalf_of"] or None, case["quantifier"] or None]
    assert [None if pd.isna(v) else v for v in got] == want, row.text


def test_english_explanations_replay(english):
    doc = pos.read_document(DATA / "en_report.txt")
    context = SpeakerContext("en", participants=9)
    for case in EXPECTED:
        if not case["cue"] or case["cue"] in ("She", "They", "These speakers"):
            continue
        row = english[(english.para == int(case["para"])) & (english.sent == int(case["sent"]))].iloc[0]
        decision, cue = explain(doc.text[row.char_start:row.char_end].removeprefix("In that regard, "), None, context)
        assert cue.lower() == case["cue"].lower(), row.text
        replay = attribute(cue + " agreed.", None, context)[0]
        assert decision == (replay.quantifier or replay.speaker or replay.speaker_kind)


def test_english_list_attendance_and_weights(english):
    listed = english[english.para == 10]
    assert listed.speaker.tolist() == ["ARG", "CIV", "IRN", "KOR", "MDA", "TTO", "GBR", "USA", "VNM"]
    assert english[english.para == 11].speaker.tolist() == ["EU", "COE"]
    most = english[(english.para == 6) & (english.sent == 1)].weight.iloc[0]
    assert most == pytest.approx(0.6 * 12)  # the 9 listed States, and Jamaica, Germany and Brazil
    with pytest.warns(UserWarning, match="Freedonia"):
        info = pos.info(DATA / "en_report.txt")[0]
    assert info["attendance"] == {"member_states": 120, "intergovernmental_organizations": 4,
                                  "academic_institutions": 2, "private_sector": 1}
    assert (info["session"], info["venue"], info["start_date"], info["end_date"]) == (4, "Vienna", "2023-01-09", "2023-01-20")


def test_participants_fallback_is_documented_and_used():
    config = pos.Config(participants_fallback=50)
    context = SpeakerContext("en", participants=None, config=config)
    assert attribute("Most speakers agreed.", None, context)[0].weight == pytest.approx(30.0)
    assert pos.Config().weight("most", 59) == pytest.approx(35.4)


ZH = _tsv("zh_cues.tsv")


@pytest.mark.parametrize("case", ZH, ids=[c["cue"] for c in ZH])
def test_chinese_cues(case):
    context = SpeakerContext("zh", participants=40)
    found = attribute(case["text"], None, context)[0]
    assert (found.speaker_kind, found.quantifier, found.cue) == (case["speaker_kind"], case["quantifier"], case["cue"])


def test_chinese_anaphora_and_new_group():
    context = SpeakerContext("zh")
    first = attribute("有几名发言者分享了经验。", None, context)
    assert attribute("他们强调了培训。", first, context)[0].quantifier == "several"
    assert attribute("这些发言者还指出了困难。", first, context)[0].quantifier == "several"
    assert attribute("其他一些发言者表示反对。", first, context)[0].quantifier == "some"


def test_chinese_officer_with_country_and_on_behalf():
    context = SpeakerContext("zh")
    found = attribute("报告员 Christopher Ram（加拿大）介绍了报告。", None, context)[0]
    assert (found.speaker_kind, found.speaker) == ("officer", "CAN")
    assert attribute("报告员还解释了方法。", None, context)[0].speaker == "CAN"
    behalf = attribute("牙买加代表以加勒比共同体的名义作了发言。", None, context)[0]
    assert (behalf.speaker, behalf.on_behalf_of) == ("JAM", "CARICOM")


def test_unknown_name_is_kept_with_a_warning():
    with pytest.warns(UserWarning, match="Freedonia"):
        found = attribute("The representative of Freedonia said that it agreed.", None, SpeakerContext("en"))
    assert (found[0].speaker_kind, found[0].speaker) == ("unknown", "Freedonia")


@pytest.mark.parametrize("name, code", [
    ("伊朗伊斯兰共和国", "IRN"), ("伊朗", "IRN"), ("Iran (Islamic Republic of)", "IRN"),
    ("大不列颠及北爱尔兰联合王国", "GBR"), ("英国", "GBR"), ("美利坚合众国", "USA"), ("美国", "USA"),
    ("大韩民国", "KOR"), ("摩尔多瓦共和国", "MDA"), ("科特迪瓦", "CIV"), ("Côte d'Ivoire", "CIV"),
    ("European Union", "EU"), ("Council of Europe", "COE"), ("African Union", "AU"),
    ("Group of 77 and China", "G77"), ("CARICOM", "CARICOM"), ("ASEAN", "ASEAN"),
    ("Organization of American States", "OAS"), ("西欧及其他国家组", "WEOG"),
    ("Western European and Others Group", "WEOG"), ("Holy See", "VAT"), ("State of Palestine", "PSE"),
])
def test_gazetteer_names(name, code):
    assert gazetteer().lookup(name).code == code


def test_gazetteer_covers_the_membership():
    kinds = pd.Series([e.kind for e in gazetteer().entities.values()]).value_counts()
    assert kinds["member"] == 193 and kinds["observer"] == 2


def test_speeches_are_attributed_to_their_delegation(ungdc):
    table = pos.statements([ungdc / "Session 74 - 2019" / "RUS_74_2019.txt",
                            ungdc / "Session 73 - 2018" / "EU_73_2018.txt"])
    russia = table[table.doc_id == "RUS_74_2019"]
    assert len(russia) > 50
    assert set(zip(russia.speaker_kind, russia.speaker)) == {("delegation", "RUS")}
    assert russia.quantifier.isna().all() and (russia.weight == 1).all()
    assert set(table[table.doc_id == "EU_73_2018"].speaker_kind) == {"group"}
    participants = pos.participants(ungdc / "Session 74 - 2019" / "RUS_74_2019.txt")
    assert participants[["speaker", "speaker_kind", "role"]].values.tolist() == [["RUS", "delegation", "speaker"]]


@pytest.mark.parametrize("lang, sentence, speakers", [
    ("en", "Statements were made by experts from the following Member States: Algeria, Brazil, "
           "Trinidad and Tobago and Viet Nam.", ["DZA", "BRA", "TTO", "VNM"]),
    ("en", "Statements were also made by the observer for the European Union and by representatives "
           "of the Council of Europe.", ["EU", "COE"]),
    ("en", "Statements were made by the observers for the State of Palestine and the Holy See.", ["PSE", "VAT"]),
    ("zh", "以下国家的专家作了发言：阿尔及利亚、特立尼达和多巴哥、巴西和越南。", ["DZA", "TTO", "BRA", "VNM"]),
    ("zh", "欧洲联盟观察员也作了发言。", ["EU"]),
    ("zh", "葡萄牙代表以欧洲联盟及其成员国的名义作了发言。", ["PRT"]),
])
def test_lists_of_speakers_in_other_wordings(lang, sentence, speakers):
    found = attribute(sentence, None, SpeakerContext(lang))
    assert [a.speaker for a in found] == speakers
    assert {a.speaker_kind for a in found} <= {"delegation", "group"}
