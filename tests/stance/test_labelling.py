"""The retraining loop on the demo corpus: suggest, export, annotate, import, retrain, compare.

The demo annotations stand in for two rounds of work: the sessions 1 and 2
annotations are the "old" ones, and session 3 is the new session whose
statements the model suggests, an annotator labels (with the demo's own gold
labels, in a copy of the workbook, as a person would with Excel) and the
labels come back as standoff annotations for retraining.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import positions

openpyxl = pytest.importorskip("openpyxl")

from positions.base.schema import STANCES, statement_hash
from positions.stance.annotations import ANNOTATION_COLUMNS
from positions.stance.codebook import load_codebook
from positions.stance.labelling import SUGGESTION_COLUMNS

N = 8
KEY = ["doc_id", "para", "sent"]
SUGGEST_COLUMNS = ["doc_id", "para", "sent", "hash", "lang", "speaker", "target", "predicted", "confidence",
                   "uncertainty", "text", "stance", "annotator"]


def keys(frame: pd.DataFrame, columns=KEY) -> set:
    return {tuple(r) for r in frame[columns].astype(str).itertuples(index=False)}


@pytest.fixture(scope="module")
def table(demo_statements) -> pd.DataFrame:
    """The demo's statements (shared: never changed in place)."""
    return demo_statements


@pytest.fixture(scope="module")
def gold() -> pd.DataFrame:
    return positions.read_annotations(positions.demo_annotations())


@pytest.fixture(scope="module")
def old(gold) -> pd.DataFrame:
    """The annotations made before session 3."""
    return gold[~gold.doc_id.str.contains("session3")].reset_index(drop=True)


@pytest.fixture(scope="module")
def model():
    return positions.load_model()


@pytest.fixture(scope="module")
def picks(table, old, model) -> pd.DataFrame:
    """What the model suggests annotating in the new session."""
    return positions.suggest(table, n=N, model=model, exclude=old)


def fill(picks: pd.DataFrame, gold: pd.DataFrame) -> list[dict]:
    """What the annotator writes in each row: the gold stance; one row judged off-target; the last row left."""
    stances = {(r.doc_id, int(r.para), int(r.sent), r.target): r.stance for r in gold.itertuples()
               if r.target != "none"}
    labels = []
    for i, row in enumerate(picks.itertuples()):
        key = (row.doc_id, int(row.para), int(row.sent), row.target)
        if i == len(picks) - 1:
            labels.append({"target": row.target, "stance": None, "annotator": None})
        elif i == len(picks) - 2:
            labels.append({"target": "none", "stance": None, "annotator": "ann-b"})
        else:
            labels.append({"target": row.target, "stance": stances.get(key, "neutral"),
                           "annotator": "ann-b" if i % 2 else None})
    return labels


def expected_annotations(picks: pd.DataFrame, labels: list[dict], default: str) -> pd.DataFrame:
    rows = []
    for row, label in zip(picks.itertuples(), labels):
        if label["stance"] is None and label["target"] != "none":
            continue
        rows.append({"doc_id": row.doc_id, "para": int(row.para), "sent": int(row.sent), "hash": row.hash,
                     "target": label["target"], "stance": label["stance"], "annotator": label["annotator"] or default})
    return pd.DataFrame(rows, columns=ANNOTATION_COLUMNS)


def fill_workbook(source: Path, out: Path, labels: list[dict]) -> None:
    """Copy the exported workbook and type the labels in, as an annotator would."""
    shutil.copy(source, out)
    book = openpyxl.load_workbook(out)
    sheet = book["statements"]
    column = {cell.value: cell.column for cell in sheet[1]}
    for i, label in enumerate(labels, 2):
        for name in ("target", "stance", "annotator"):
            sheet.cell(row=i, column=column[name]).value = label[name]
    book.save(out)


def fill_csv(source: Path, out: Path, labels: list[dict]) -> None:
    with open(source, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    for row, label in zip(rows, labels):
        row.update({k: "" if v is None else v for k, v in label.items()})
    with open(out, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def same_annotations(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(got.columns) == ANNOTATION_COLUMNS
    normal = [g.astype(object).where(g.notna(), None).reset_index(drop=True) for g in (got, expected)]
    pd.testing.assert_frame_equal(normal[0], normal[1], check_dtype=False)


# --------------------------------------------------------------------------- suggest


def candidates(table: pd.DataFrame, model) -> pd.DataFrame:
    """Every (statement, target) pair the model's codebook detects, with the model's uncertainty."""
    from positions.stance.learner import model_codebook

    found = positions.detect_targets(table, model_codebook(model))
    first = table.loc[found["row"].to_numpy()]
    X = pd.DataFrame({"text": first["text"].astype(str).to_numpy(), "target": found["target"].astype(str).to_numpy(),
                      "lang": first["lang"].astype(str).to_numpy()})
    ordered = np.sort(model.predict_proba(X), axis=1)
    return X.assign(doc_id=first["doc_id"].astype(str).to_numpy(), para=first["para"].to_numpy(),
                    sent=first["sent"].to_numpy(), uncertainty=1.0 - (ordered[:, -1] - ordered[:, -2]))


def test_suggestions_are_distinct_and_most_uncertain_first(table, model):
    everything = candidates(table, model)
    picks = positions.suggest(table, n=N, model=model)
    assert list(picks.columns) == SUGGEST_COLUMNS
    assert len(picks) == N < len(everything)
    assert not picks.duplicated(KEY + ["target"]).any()
    assert not picks.duplicated(["doc_id", "para"]).any()  # no paragraph twice while others are left
    assert keys(picks, KEY + ["target"]) <= keys(everything, KEY + ["target"])

    ranked = np.sort(everything.uncertainty.to_numpy())[::-1]
    assert picks.uncertainty.iloc[0] == pytest.approx(ranked[0])
    # picked greedily among the 5n most uncertain left: never below the 6n-th most uncertain of all
    assert (picks.uncertainty >= ranked[6 * N - 1] - 1e-12).all()
    assert picks.uncertainty.mean() > everything.uncertainty.mean()

    assert picks.predicted.isin(STANCES).all() and picks.confidence.between(0, 1).all()
    assert picks.uncertainty.between(0, 1).all()
    assert (picks.hash == picks.text.map(statement_hash)).all()
    assert picks.stance.isna().all() and picks.annotator.isna().all()
    assert picks.target.isin(load_codebook().target_ids).all()


def test_exclude_leaves_out_what_is_annotated(table, gold, old, model, picks):
    assert len(picks) == N
    assert not keys(picks) & keys(old)
    assert picks.doc_id.str.contains("session3").all()  # the only statements not yet annotated
    again = positions.suggest(table, n=N, model=model, exclude=pd.concat([old, picks[KEY]]))
    assert len(again) == N and not keys(again) & (keys(old) | keys(picks))
    # everything the model would suggest in the demo is annotated already
    none_left = positions.suggest(table, n=N, model=model, exclude=gold)
    assert none_left.empty and {"doc_id", "target", "uncertainty", "stance"} <= set(none_left.columns)


# --------------------------------------------------------------------------- export


@pytest.fixture(scope="module")
def exported(tmp_path_factory, picks) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exported")
    paths = {suffix: folder / f"next{suffix}" for suffix in (".xlsx", ".csv")}
    for path in paths.values():
        positions.export_suggestions(picks, path)
    assert sorted(p.name for p in folder.iterdir()) == ["next.csv", "next.xlsx"]  # no temporary file left
    return paths


def test_workbook_offers_the_allowed_labels(exported, picks):
    book = openpyxl.load_workbook(exported[".xlsx"])
    sheet = book["statements"]
    header = [cell.value for cell in sheet[1]]
    assert header == SUGGESTION_COLUMNS
    assert sheet.max_row == len(picks) + 1
    back = pd.read_excel(exported[".xlsx"], sheet_name="statements", dtype=str)
    assert back.hash.tolist() == picks.hash.tolist() and back.text.tolist() == picks.text.tolist()
    assert back.target.tolist() == picks.target.tolist() and back.stance.isna().all()

    allowed = {"stance": list(STANCES), "target": [*load_codebook().target_ids, "none"]}
    validations = sheet.data_validations.dataValidation
    for name, labels in allowed.items():
        letter = sheet.cell(row=1, column=header.index(name) + 1).column_letter
        covering = [v for v in validations if any(r.min_col == r.max_col == header.index(name) + 1
                                                  for r in v.sqref.ranges)]
        assert len(covering) == 1, (name, [str(v.sqref) for v in validations])
        check = covering[0]
        assert check.type == "list"
        assert check.formula1.strip('"').split(",") == labels
        assert check.showErrorMessage
        (cells,) = check.sqref.ranges
        assert cells.min_row == 2 and cells.max_row >= len(picks) + 1, (letter, str(check.sqref))
    assert "instructions" in book.sheetnames


def test_csv_export_round_trips(exported, picks):
    back = pd.read_csv(exported[".csv"], dtype=str, keep_default_na=False)
    assert list(back.columns) == SUGGESTION_COLUMNS
    for column in ("doc_id", "hash", "lang", "target", "predicted", "text"):
        assert back[column].tolist() == picks[column].astype(str).tolist(), column
    assert back.para.astype(int).tolist() == picks.para.astype(int).tolist()
    np.testing.assert_allclose(back.confidence.astype(float), picks.confidence)
    assert (back.stance == "").all() and (back.annotator == "").all()


def test_export_refuses_other_formats(tmp_path, picks):
    with pytest.raises(ValueError, match=r"next\.txt"):
        positions.export_suggestions(picks, tmp_path / "next.txt")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- import


@pytest.fixture(scope="module")
def labels(picks, gold) -> list[dict]:
    return fill(picks, gold)


@pytest.fixture(scope="module")
def filled(tmp_path_factory, exported, labels) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("filled")
    paths = {".xlsx": folder / "done.xlsx", ".csv": folder / "done.csv"}
    fill_workbook(exported[".xlsx"], paths[".xlsx"], labels)
    fill_csv(exported[".csv"], paths[".csv"], labels)
    return paths


@pytest.fixture(scope="module")
def imported(filled, table) -> pd.DataFrame:
    return positions.import_labels(filled[".xlsx"], table, annotator="ann-a")


def test_import_gives_standoff_annotations(imported, picks, labels):
    assert "text" not in imported.columns
    same_annotations(imported, expected_annotations(picks, labels, "ann-a"))
    assert len(imported) == N - 1  # the row left without a stance is skipped
    assert (imported.target == "none").sum() == 1
    assert imported.loc[imported.target == "none", "stance"].isna().all()
    assert imported.loc[imported.target != "none", "stance"].isin(STANCES).all()
    assert set(imported.annotator) == {"ann-a", "ann-b"}


def test_imported_annotations_are_a_valid_annotation_file(tmp_path, imported):
    path = tmp_path / "session3.csv"
    positions.write_annotations(imported, str(path))
    back = positions.read_annotations(str(path))
    same_annotations(back[ANNOTATION_COLUMNS], imported)


def test_csv_labels_import_the_same(filled, table, imported):
    same_annotations(positions.import_labels(filled[".csv"], table, annotator="ann-a"), imported)


def test_import_without_annotator_says_unknown(filled, table, imported):
    plain = positions.import_labels(filled[".csv"], table)
    assert set(plain.annotator) == {"unknown", "ann-b"}


BREAKAGES = {
    # what the annotator did to the second labelled row -> what the error says
    "target": ("new_treatyy", r"row 3: unknown target 'new_treatyy'"),
    "stance": ("pro", r"row 3: unknown stance 'pro'"),
    "hash": ("0123456789ab", r"row 3: .*no longer exists"),
}


def _broken(path: Path, out: Path, column: str, value: str | None) -> None:
    """A copy of a filled file with one cell changed (row 3 of the sheet), or one column deleted."""
    if path.suffix == ".xlsx":
        shutil.copy(path, out)
        book = openpyxl.load_workbook(out)
        sheet = book["statements"]
        index = [cell.value for cell in sheet[1]].index(column) + 1
        if value is None:
            sheet.delete_cols(index)
        else:
            sheet.cell(row=3, column=index).value = value
        book.save(out)
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if value is None:
            frame = frame.drop(columns=column)
        else:
            frame.loc[1, column] = value
        frame.to_csv(out, index=False)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("column", list(BREAKAGES))
def test_import_names_the_file_and_the_row(tmp_path, filled, table, labels, suffix, column):
    assert labels[1]["stance"] and labels[1]["target"] != "none"  # row 3 is a labelled row
    value, problem = BREAKAGES[column]
    out = tmp_path / f"broken{suffix}"
    _broken(filled[suffix], out, column, value)
    with pytest.raises(positions.InputError, match=problem) as caught:
        positions.import_labels(out, table)
    assert caught.value.path == str(out) and str(out) in str(caught.value)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("column", ["hash", "stance"])
def test_import_names_a_missing_column(tmp_path, filled, table, suffix, column):
    out = tmp_path / f"broken{suffix}"
    _broken(filled[suffix], out, column, None)
    with pytest.raises(positions.InputError, match=rf"missing column\(s\) {column}") as caught:
        positions.import_labels(out, table)
    assert caught.value.path == str(out)


def test_import_of_changed_documents_names_the_statement(filled, table):
    """The documents changed since the suggestions: the statement's text (so its hash) is gone."""
    changed = table.copy()
    row = pd.read_csv(filled[".csv"], dtype=str).iloc[0]
    hit = (changed.doc_id == row.doc_id) & (changed.para == int(row.para)) & (changed.sent == int(row.sent))
    assert hit.any()
    changed.loc[hit, "text"] = changed.loc[hit, "text"] + " (corrected)"
    with pytest.raises(positions.InputError, match=rf"row 2: {row.doc_id} paragraph {row.para} .*no longer exists"):
        positions.import_labels(filled[".csv"], changed)


def test_import_refuses_missing_and_foreign_files(tmp_path, table):
    for path, problem in [(tmp_path / "absent.xlsx", "no such file"),
                          (tmp_path / "labels.txt", r"\.csv or \.xlsx"),
                          (tmp_path / "fake.xlsx", "not a readable")]:
        if path.name != "absent.xlsx":
            path.write_text("doc_id,para\n", encoding="utf-8")
        with pytest.raises(positions.InputError, match=problem) as caught:
            positions.import_labels(path, table)
        assert caught.value.path == str(path)


# --------------------------------------------------------------------------- retrain and compare


def test_retrain_with_the_new_labels_and_compare(tmp_path, old, imported, table):
    old_file, new_file = tmp_path / "sessions-1-2.csv", tmp_path / "session3.csv"
    positions.write_annotations(old[ANNOTATION_COLUMNS], str(old_file))
    positions.write_annotations(imported, str(new_file))
    annotations = positions.read_annotations([str(old_file), str(new_file)])
    data = positions.training_data(annotations, positions.demo_dir())
    assert len(data) == len(old) + len(imported)  # every label found its statement
    assert not data.duplicated(KEY + ["target"]).any()

    model = positions.train(data, n_splits=3)
    card = model.card_
    labelled = data[data.target != "none"]
    assert card["training"]["statements"] == len(labelled)
    assert sorted(card["annotations"]["files"]) == ["session3.csv", "sessions-1-2.csv"]
    assert card["training"]["sessions"] == {"Ad Hoc Committee on Cybercrime": [1, 2, 3]}
    predicted = positions.classify(table, model=model)
    assert len(predicted) and predicted.stance.isin(STANCES).all()

    new = positions.read_annotations(str(new_file))
    comparison = positions.compare_with_new(data, new, n_splits=3)
    assert set(comparison.model) == {"old", "new"}
    overall = comparison[(comparison.target == "all") & (comparison.lang == "all")].set_index("model")
    assert sorted(overall.index) == ["new", "old"]
    # the same folds: both models are tested on the same statements
    assert overall.loc["old", "n"] == overall.loc["new", "n"] == len(labelled)
    by_group = comparison.pivot_table(index=["target", "lang"], columns="model", values="n")
    assert (by_group["old"] == by_group["new"]).all()
    assert comparison.f_avg.dropna().between(0, 1).all()
