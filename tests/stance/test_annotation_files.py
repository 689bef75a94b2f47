"""The project's own annotations: valid, standoff, and still pointing at the real documents."""

from pathlib import Path

import positions as pos

ROOT = Path(__file__).resolve().parents[2]
ANNOTATIONS = ROOT / "data" / "annotations"


def test_every_statement_of_the_2017_report_is_annotated_and_found_again(statements_2017):
    labels = pos.read_annotations(ANNOTATIONS / "expert-group-2017.csv")
    table = statements_2017
    found = pos.annotated_statements(labels, table)
    assert found.attrs["missing"] == []
    assert len(found) == len(labels)
    assert set(zip(table.para, table.sent)) == set(zip(labels.para, labels.sent))
    assert "text" not in pos.read_annotations(ANNOTATIONS).columns


def test_the_codebook_examples_are_annotated_as_the_codebook_says(statements_2017):
    labels = pos.read_annotations(ANNOTATIONS / "expert-group-2017.csv").set_index(["para", "sent", "target"])
    table = statements_2017.drop_duplicates(["para", "sent"]).set_index(["para", "sent"])
    examples = {(41, 1, "new_treaty"): "against", (44, 6, "new_treaty"): "favor",
                (16, 6, "budapest_convention"): "against", (45, 8, "draft_study"): "favor"}
    for (para, sent, target), stance in examples.items():
        assert labels.loc[(para, sent, target), "stance"] == stance
        assert labels.loc[(para, sent, target), "hash"] == pos.statement_hash(table.loc[(para, sent), "text"])


def test_the_two_annotations_of_the_2017_report_agree_on_the_treaty_targets():
    first = pos.read_annotations(ANNOTATIONS / "expert-group-2017.csv")
    second = pos.read_annotations(ROOT / "data" / "agreement" / "expert-group-2017.ann-zh2.csv")
    table = pos.agreement(first, second).set_index("target")
    assert table.loc["all", "statements"] == 192
    for target in ("new_treaty", "budapest_convention"):
        assert table.loc[target, "detection_kappa"] >= 0.9
        assert table.loc[target, "stance_kappa"] >= 0.9
