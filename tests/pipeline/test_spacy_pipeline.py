"""The spaCy pipeline gives the pandas path's rows, on the 2017 report and a General Debate session."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
import spacy

import positions as pos


def test_the_2017_report_gives_the_same_rows_on_both_paths(report_2017, classified_2017):
    docs = list(pos.spacy_docs([report_2017]))
    pd.testing.assert_frame_equal(pos.spacy_table(docs), classified_2017)
    assert len(docs[0].spans["positions"]) == len(classified_2017) > 100


def test_session_77_gives_the_same_rows_on_both_paths(ungdc):
    session = ungdc / "Session 77 - 2022"
    expected = pos.classify(pos.statements([session]))
    docs = list(pos.spacy_docs([session], batch_size=16))
    assert len(docs) == len(list(session.glob("*.txt")))
    pd.testing.assert_frame_equal(pos.spacy_table(docs), expected)
    assert not expected.empty


def test_spans_sit_on_the_statement_and_its_mention_with_the_speaker(report_2017, classified_2017):
    doc = next(iter(pos.spacy_docs([report_2017])))
    for span, row in zip(doc.spans["positions"], classified_2017.itertuples(index=False)):
        assert span.start_char <= row.char_start < row.char_end <= span.end_char
        assert span._.mention.start_char <= row.mention_start < row.mention_end <= span._.mention.end_char
        assert (span._.target, span._.stance, span._.confidence) == (row.target, row.stance, row.confidence)
        assert [c["text"] for c in span._.cues] == [doc.text[c["start"]:c["end"]] for c in span._.cues]
    many = [s for s in doc.spans["positions"] if s._.row["para"] == 41]
    assert many and all(s._.speaker == s._.row["quantifier"] for s in many if s._.row["speaker_kind"] == "quantified")


def test_paragraph_53_names_59_speakers_as_spans_and_the_phrase_matcher_finds_them(report_2017, statements_2017):
    doc = next(iter(pos.spacy_docs([report_2017])))
    listed = statements_2017[statements_2017.para == 53]
    start, end = int(listed.char_start.min()), int(listed.char_end.max())
    named = [s for s in doc.spans["speakers"] if start <= s.start_char and s.end_char <= end]
    assert len(named) == 59 and {s.label_ for s in named} == set(listed.speaker)
    matched = [s for s in doc.spans["names"] if start <= s.start_char and s.end_char <= end]  # the PhraseMatcher
    assert len(matched) == 59 and {s.label_ for s in matched} == set(listed.speaker)


def test_a_blank_spacy_pipeline_takes_the_components_by_name_from_the_entry_points():
    script = ("import spacy; nlp = spacy.blank('en'); "
              "[nlp.add_pipe(n) for n in ('positions_speakers', 'positions_targets')]; "
              "nlp.add_pipe('positions_stance', config={'model': 'rules'}); "
              "doc = nlp('Some speakers did not support a new convention on cybercrime.'); "
              "print([(s._.speaker, s._.target, s._.stance) for s in doc.spans['positions']])")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[('some', 'new_treaty', 'against')]"


def test_the_stance_component_alone_says_what_it_needs():
    nlp = spacy.blank("en")
    pos.nlp("en")  # registers the factories in this process
    nlp.add_pipe("positions_stance", config={"model": "rules"})
    with pytest.raises(ValueError, match="needs positions_speakers before it"):
        nlp("We support a new convention on cybercrime.")


def test_chinese_is_segmented_by_jieba_and_classified():
    doc = pos.nlp("zh", model="rules")("许多发言者认为不需要制定新的网络犯罪问题全球法律文书。")
    assert [t.text for t in doc][:3] == ["许多", "发言者", "认为"]
    assert [(s._.speaker, s._.target, s._.stance) for s in doc.spans["positions"]] == [("many", "new_treaty",
                                                                                         "against")]
