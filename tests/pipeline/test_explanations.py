"""Explanations people can see: each cited statement of the 2017 brief links to its mention, speaker and cues."""

from __future__ import annotations

import html
import re
import warnings

import pytest

import positions as pos
from positions.parse.speakers import SpeakerContext
from positions.pipeline.explain import explanation_anchor


@pytest.fixture(scope="module")
def report(tmp_path_factory, statements_2017):
    out = tmp_path_factory.mktemp("report") / "brief-2017"
    pos.write_report(statements_2017, out, lang="zh", formats=("png",), n_boot=200)
    return out


def test_every_cited_paragraph_of_the_2017_brief_links_to_its_explanation(report, classified_2017):
    brief = (report / "brief.html").read_text(encoding="utf-8")
    page = (report / "explanations.html").read_text(encoding="utf-8")
    sources = re.findall(r'<span class="sources">\[(.*?)\]</span>', brief)
    cited = {(doc, int(n)) for s in sources for doc, paras in re.findall(r"([\w.-]+) ((?:(?:<a [^>]*>)?¶\d+(?:</a>)?(?:, )?)+)", s)
             for n in re.findall(r"¶(\d+)", paras)}
    classified = set(zip(classified_2017.doc_id, classified_2017.para.astype(int)))
    assert len(cited & classified) >= 10
    for doc, para in cited & classified:
        anchor = explanation_anchor(doc, para)
        assert f'href="explanations.html#{anchor}"' in brief
        assert f'<section id="{anchor}">' in page
    assert sum(f'id="{explanation_anchor(d, p)}"' in page for d, p in classified) == len(cited & classified)


def test_an_explanation_shows_the_mention_the_speaker_and_each_cue(classified_2017, report_2017):
    text = pos.read_document(report_2017).text
    row = classified_2017[(classified_2017.para == 26) & (classified_2017.sent == 3)].iloc[0]
    shown = pos.explain(row)
    assert (row.target, row.stance, row.speaker_cue) == ("draft_study", "favor", "许多发言者")
    assert shown.spans == [(text[row.mention_start:row.mention_end], "draft_study"), ("许多发言者", "speaker many"),
                           ("有意义", "favor (cue +2)"), ("需要", "favor (cue +2)")]
    assert all(html.escape(label) in shown.html for _, label in shown.spans)
    shown_text = re.sub(r"<[^>]+>|\s", "", shown.html)  # displaCy puts a space after each word
    for _, label in shown.spans:
        shown_text = shown_text.replace(re.sub(r"\s", "", label), "")
    assert re.sub(r"\s", "", row.text) in shown_text
    assert shown._repr_html_() == shown.html and "2017-third-meeting.zh ¶26.3" in shown.html


def test_a_text_is_explained_after_it_is_classified_and_a_target_it_misses_is_named():
    shown = pos.explain("Some speakers objected to the idea that a new instrument on cybercrime was needed.")
    assert shown.row["stance"] == "against" and shown.spans[1] == ("Some speakers", "speaker some")
    with pytest.raises(ValueError, match="addresses not 'budapest_convention'"):
        pos.explain("Some speakers supported a new convention on cybercrime.", target="budapest_convention")


def test_the_speaker_explanation_of_version_0_2_still_works_with_a_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert pos.explain("许多发言者认为不需要。", None, SpeakerContext("zh")) == ("many", "许多发言者")
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
    assert pos.explain_speaker("许多发言者认为不需要。", None, SpeakerContext("zh")) == ("many", "许多发言者")
