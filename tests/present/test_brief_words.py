"""The brief's words follow the documented thresholds, in English and Chinese; its speakers are names, not fragments."""

import re

import pandas as pd
import pytest

import positions as pos
from positions.aggregate.thresholds import MAJORITY, MARGIN, MIN_UNITS
from positions.present.brief import brief_sentences
from positions.present.words import delegation_name

PHRASES = {  # verdict: (English, Chinese), as the brief prints them
    "mostly_favor": ("mostly in favour", "以支持为主"), "mostly_against": ("mostly against", "以反对为主"),
    "mostly_neutral": ("mostly neutral", "以中立为主"), "more_favor": ("more in favour than against", "支持多于反对"),
    "more_against": ("more against than in favour", "反对多于支持"), "divided": ("divided", "意见分歧"),
    "unclear": ("without a clear position", "无明确立场"),
}


def _position(favor: float, against: float, neutral: float) -> pd.DataFrame:
    """One session, one target: a quantified statement per stance, in its own paragraph, weighted by its share."""
    rows = [(stance, weight) for stance, weight in (("favor", favor), ("against", against), ("neutral", neutral))
            if weight]
    return pd.DataFrame([{c: None for c in pos.CLASSIFIED_COLUMNS} | {
        "doc_id": "r.en", "body": "Ad Hoc Committee on Cybercrime", "session": 1, "session_date": "2022-03-01",
        "lang": "en", "para": i + 1, "sent": 1, "text": f"Statement {i + 1}.", "speaker_kind": "quantified",
        "weight": float(weight), "target": "new_treaty", "stance": stance, "confidence": 0.9}
        for i, (stance, weight) in enumerate(rows)])


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("shares, expected", [
    ((51, 9, 40), "mostly_favor"), ((50, 0, 50), "more_favor"), ((49, 9, 42), "more_favor"),
    ((9, 51, 40), "mostly_against"), ((20, 29, 51), "mostly_neutral"), ((20, 30, 50), "more_against"),
    ((35, 25, 40), "more_favor"), ((34, 25, 41), "unclear"), ((40, 31, 29), "divided"), ((45, 45, 10), "divided"),
    ((30, 39, 31), "divided"), ((40, 30, 30), "more_favor"),
])
def test_the_position_is_worded_by_the_thresholds(shares, expected, lang):
    sentences = brief_sentences(_position(*shares), model="rules", lang=lang, n_boot=50)
    text = sentences[sentences.section == "positions"].text.iloc[0]
    index = 0 if lang == "en" else 1
    assert PHRASES[expected][index] in text
    others = [p[index] for key, p in PHRASES.items() if key != expected and p[index] not in PHRASES[expected][index]]
    assert not [p for p in others if p in text], text
    if lang == "en":
        assert f"{shares[0]}% in favour, {shares[1]}% against and {shares[2]}% neutral" in text
    else:
        assert f"支持 {shares[0]}%，反对 {shares[1]}%，中立 {shares[2]}%" in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_methods_list_the_thresholds(lang):
    methods = brief_sentences(_position(5, 1, 1), model="rules", lang=lang, n_boot=50).query("section == 'methods'")
    text = " ".join(methods.text)
    assert (MAJORITY, MARGIN, MIN_UNITS) == (0.5, 0.10, 5)
    if lang == "en":
        assert "more than 50% of the weight" in text and "at least 10% of the weight" in text
        assert "at least 5 paragraphs on the target" in text and "too few statements to tell" in text
        assert "3 paragraph-target units in all" in text
    else:
        assert "超过 50% 时才称“以…为主”" in text and "不小于 10% 称“支持多于反对”" in text
        assert "都不少于 5 段" in text and "发言太少，无法判断" in text
        assert "共 3 个段落—议题单位" in text


def _shares(text: str, lang: str):
    pattern = (r"statements were (.+?): (\d+)% in favour, (\d+)% against and (\d+)% neutral" if lang == "en"
               else r"相关发言(.+?)：支持 (\d+)%，反对 (\d+)%，中立 (\d+)%")
    found = re.search(pattern, text)
    return found.group(1), [int(v) for v in found.groups()[1:]]


@pytest.fixture(scope="module")
def briefs(demo_statements, demo_classified, statements_2017, classified_2017):
    model = pos.load_model()
    return {(name, lang): (brief_sentences(classified, statements=statements, model=model, lang=lang), classified)
            for name, statements, classified in [("demo", demo_statements, demo_classified),
                                                 ("2017", statements_2017, classified_2017)]
            for lang in ("en", "zh")}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("report", ["demo", "2017"])
def test_no_mostly_below_a_majority_and_no_shift_claim_from_too_few_paragraphs(briefs, report, lang):
    sentences, classified = briefs[report, lang]
    mostly = "mostly " if lang == "en" else "为主"
    heads = [t for t in sentences[sentences.section == "positions"].text
             if ("statements were" if lang == "en" else "相关发言") in t]
    assert len(heads) >= 4
    for text in heads:
        verdict, (favor, against, neutral) = _shares(text, lang)
        if mostly in verdict:
            assert max(favor, against, neutral) > 50, text
    shifts = pos.shift_table(classified)
    claims = sentences[sentences.text.str.contains("\\), more than the sampling noise\\.|），超出抽样噪声。", regex=True)]
    assert len(claims) == shifts.beyond_noise.sum()
    assert (shifts[shifts.beyond_noise][["units_from", "units_to"]] >= MIN_UNITS).all().all()
    few = shifts[shifts[["units_from", "units_to"]].min(axis=1) < MIN_UNITS]
    told = (sentences.section == "shifts") & sentences.text.str.contains("too few statements to tell|发言太少，无法判断", regex=True)
    assert told.sum() == len(few)


_NAMES = re.compile(r"(?:发言者们?|代表团|代表|与会者|国家|speakers|delegations?|participants|representatives|experts"
                    r"|speaker|认为|赞成|同意|agreed|recogni[sz]ed|noted)$", re.IGNORECASE)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("report", ["demo", "2017"])
def test_speakers_in_the_brief_are_names_not_fragments(briefs, report, lang):
    sentences, classified = briefs[report, lang]
    text = "\n".join(sentences.text)
    came = r"came from (.+?): “" if lang == "en" else r"来自(.+?)：“"
    labels = re.findall(came, text)
    assert len(labels) >= 5
    delegations = {delegation_name(code, lang) for code in classified.speaker.dropna().unique()}
    quantified = (r"(?:“(?P<cue>[^”]+)”|(?P<name>[^“”(（]+)) ?[(（]\w+[,，] ?(?:weight|权重) [\d.]+[)）]")
    for label in labels:
        if label in delegations:
            continue
        found = re.fullmatch(quantified, label)
        assert found, label
        assert _NAMES.search(found["cue"] or found["name"].strip()) or found["name"].strip() in (
            "the meeting in general", "会议普遍意见"), label
    weights = sentences[(sentences.section == "methods") & (sentences.sources != "")]  # a line per quantifier
    quoted_cues = re.findall(r"“([^”]{1,30})”", " ".join(weights.text))
    assert quoted_cues and [c for c in quoted_cues if not _NAMES.search(c)] == []
    assert "“会上广泛”" not in text and "会上广泛（" not in text


def _two_versions(zh_stance: str, en_stance: str) -> pd.DataFrame:
    """One paragraph read in Chinese and English; the Chinese call is the more confident one."""
    base = {c: None for c in pos.CLASSIFIED_COLUMNS} | {
        "body": "Ad Hoc Committee on Cybercrime", "session": 1, "session_date": "2022-03-01", "para": 1, "sent": 1,
        "speaker_kind": "quantified", "quantifier": "many", "weight": 10.0, "target": "new_treaty"}
    return pd.DataFrame([base | {"doc_id": "r.zh", "lang": "zh", "text": "许多发言者支持新公约。", "stance": zh_stance,
                                 "confidence": 0.9},
                         base | {"doc_id": "r.en", "lang": "en", "text": "Many speakers supported a new convention.",
                                 "stance": en_stance, "confidence": 0.6}])


@pytest.mark.parametrize("en_stance, quoted", [("favor", "Many speakers supported"), ("neutral", "许多发言者支持")])
def test_an_english_brief_quotes_the_english_version_where_it_takes_the_same_stance(en_stance, quoted):
    sentences = brief_sentences(_two_versions("favor", en_stance), model="rules", lang="en", n_boot=50)
    heaviest = sentences[sentences.text.str.contains("weightiest statement in favour")].iloc[0]
    assert quoted in heaviest.text
    assert heaviest.sources == ("r.en ¶1" if en_stance == "favor" else "r.zh ¶1")


def test_english_counts_of_one_are_singular(statements_2017, classified_2017):
    text = " ".join(brief_sentences(classified_2017, statements=statements_2017, n_boot=50).text)
    assert "Input: 1 document (zh 1), 192 statements" in text
    assert "most, weight 0.6 × 59 participants = 35.4 (“多数发言者”): 1 statement. " in text + " "
    assert not re.search(r"\b1 (more )?[a-z-]+s\b", text), re.findall(r"\b1 (?:more )?[a-z-]+s\b", text)
