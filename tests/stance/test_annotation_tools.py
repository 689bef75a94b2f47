"""The annotation tools people use round-trip: suggest -> label in the tool's export format -> import -> train.

The labels come from the demo's own annotations of session 3 (``fill`` of
``test_labelling``), written as each tool writes its export: Label Studio's
JSON with ``annotations``, doccano's JSONL with the kept ``label``, Prodigy's
``db-out`` JSONL with ``answer``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import positions
from positions.stance.annotations import ANNOTATION_COLUMNS
from positions.stance.tools import label_studio_config
from support import run_cli
from test_labelling import N, expected_annotations, fill, gold, old, same_annotations  # noqa: F401 (fixtures)

TOOLS = {"label-studio": ".json", "doccano": ".jsonl", "prodigy": ".jsonl"}


@pytest.fixture(scope="module")
def picks(demo_statements, old) -> pd.DataFrame:
    return positions.suggest(demo_statements, n=N, exclude=old)


def read_tasks(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else [json.loads(line) for line in text.splitlines()]


def label_in_tool(tool: str, tasks: list[dict], labels: list[dict]) -> list[dict]:
    """What the tool exports once the annotator has labelled the tasks (the last one left undone)."""
    out = []
    for number, (task, label) in enumerate(zip(tasks, labels), 1):
        choice = "none" if label["target"] == "none" else label["stance"]
        who = label["annotator"]
        if tool == "label-studio":
            done = [] if choice is None else [{"id": number, "completed_by": {"email": who} if who else 1,
                                              "was_cancelled": False, "result": [
                {"from_name": "stance", "to_name": "text", "type": "choices", "value": {"choices": [choice]}}]}]
            out.append({"id": number, **task, "annotations": done})
        elif tool == "doccano":
            out.append({"id": number, **task, "label": [] if choice is None else [choice],
                        **({"annotator": who} if who else {})})
        else:
            out.append({**task, "accept": [] if choice is None else [choice],
                        "answer": "ignore" if choice is None else "accept",
                        **({"_annotator_id": who} if who else {})})
    return out


def write_tasks(path: Path, tasks: list[dict]) -> None:
    text = (json.dumps(tasks, ensure_ascii=False) if path.suffix == ".json"
            else "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in tasks))
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module", params=list(TOOLS))
def exported(request, tmp_path_factory, picks) -> tuple[str, Path]:
    tool = request.param
    path = tmp_path_factory.mktemp(tool) / f"next{TOOLS[tool]}"
    positions.export_suggestions(picks, path, format=tool)
    return tool, path


def test_the_tasks_carry_the_statement_its_key_the_mention_and_the_suggested_stance(exported, picks):
    tool, path = exported
    tasks = read_tasks(path)
    assert len(tasks) == N
    for task, row in zip(tasks, picks.itertuples()):
        data = task["data"] if tool == "label-studio" else task["meta"] if tool == "prodigy" else task
        assert (data["doc_id"], data["para"], data["sent"], data["hash"], data["target"]) == (
            row.doc_id, int(row.para), int(row.sent), row.hash, row.target)
        text = data["text"] if tool == "label-studio" else task["text"]
        assert text == row.text
        if tool == "label-studio":
            (prediction,) = task["predictions"]
            choices = [r for r in prediction["result"] if r["type"] == "choices"]
            spans = [r["value"] for r in prediction["result"] if r["type"] == "labels"]
            assert choices[0]["value"]["choices"] == [row.predicted]
            assert prediction["score"] == pytest.approx(row.confidence)
        elif tool == "doccano":
            assert task["label"] == [row.predicted]
            spans = []
        else:
            assert task["accept"] == [row.predicted]
            assert [o["id"] for o in task["options"]] == ["favor", "against", "neutral", "none"]
            spans = task["spans"]
        for span in spans:
            assert span.get("labels", [span.get("label")]) == [row.target]
            assert row.text[span["start"]:span["end"]]
    if tool == "label-studio":
        assert any(r["type"] == "labels" for t in tasks for r in t["predictions"][0]["result"])
    if tool == "prodigy":
        assert any(t["spans"] for t in tasks)


def test_labels_from_the_tool_come_back_as_standoff_annotations_and_train(exported, tmp_path, picks, gold, old,
                                                                          demo_statements):
    tool, path = exported
    labels = fill(picks, gold)
    done = tmp_path / f"export{path.suffix}"
    write_tasks(done, label_in_tool(tool, read_tasks(path), labels))
    imported = positions.import_labels(done, demo_statements, annotator="ann-a")
    same_annotations(imported, expected_annotations(picks, labels, "ann-a"))
    assert len(imported) == N - 1 and (imported.target == "none").sum() == 1

    old_file, new_file = tmp_path / "old.csv", tmp_path / "new.csv"
    positions.write_annotations(old[ANNOTATION_COLUMNS], str(old_file))
    positions.write_annotations(imported, str(new_file))
    data = positions.training_data(positions.read_annotations([str(old_file), str(new_file)]), positions.demo_dir())
    assert len(data) == len(old) + len(imported)
    model = positions.train(data, n_splits=3)
    assert model.card_["training"]["sessions"] == {"Ad Hoc Committee on Cybercrime": [1, 2, 3]}


def test_a_label_for_a_statement_that_has_since_changed_is_refused(exported, tmp_path, picks, gold, demo_statements):
    tool, path = exported
    done = tmp_path / f"export{path.suffix}"
    write_tasks(done, label_in_tool(tool, read_tasks(path), fill(picks, gold)))
    first = picks.iloc[0]
    changed = demo_statements.copy()
    hit = (changed.doc_id == first.doc_id) & (changed.para == first.para) & (changed.sent == first.sent)
    changed.loc[hit, "text"] = changed.loc[hit, "text"] + " (corrected)"
    where = "task 1" if tool == "label-studio" else "line 1"
    with pytest.raises(positions.InputError, match=rf"{where}: {first.doc_id} paragraph {first.para} sentence "
                                                   rf"{first.sent} no longer exists") as caught:
        positions.import_labels(done, changed)
    assert caught.value.path == str(done)


def test_two_labels_on_one_task_and_a_task_without_its_key_are_named(tmp_path, picks, demo_statements):
    path = tmp_path / "next.jsonl"
    positions.export_suggestions(picks, path, format="doccano")
    tasks = read_tasks(path)
    write_tasks(path, [{**tasks[0], "label": ["favor", "against"]}])
    with pytest.raises(positions.InputError, match="line 1: 2 labels .favor, against.; choose one"):
        positions.import_labels(path, demo_statements)
    write_tasks(path, [{k: v for k, v in tasks[0].items() if k != "hash"}])
    with pytest.raises(positions.InputError, match="line 1: missing hash"):
        positions.import_labels(path, demo_statements)
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(positions.InputError, match="not a JSON Lines export"):
        positions.import_labels(path, demo_statements)


def test_the_label_studio_interface_names_every_target_and_stance():
    config = label_studio_config(positions.load_codebook())
    for name in [*positions.load_codebook().target_ids, "favor", "against", "neutral", "none"]:
        assert f'value="{name}"' in config


def test_the_command_line_suggests_and_imports_each_format(tmp_path):
    demo = positions.demo_dir()
    for tool, suffix in TOOLS.items():
        out = tmp_path / f"next-{tool}{suffix}"
        made = run_cli("suggest", demo, "-n", "3", "--format", tool, "--out", out, cwd=tmp_path)
        assert made.returncode == 0, made.stderr
        tasks = read_tasks(out)
        assert len(tasks) == 3
        labels = [{"target": "x", "stance": "neutral", "annotator": None}] * 3
        done = tmp_path / f"done-{tool}{suffix}"
        write_tasks(done, label_in_tool(tool, tasks, labels))
        back = run_cli("import-labels", done, "--corpus", demo, "--out", tmp_path / f"{tool}.csv", cwd=tmp_path)
        assert back.returncode == 0, back.stderr
        assert pd.read_csv(tmp_path / f"{tool}.csv").stance.tolist() == ["neutral"] * 3
    wrong = run_cli("suggest", demo, "--format", "doccano", "--out", tmp_path / "next.json", cwd=tmp_path)
    assert wrong.returncode == 2 and "--format doccano is written as .jsonl" in wrong.stderr
