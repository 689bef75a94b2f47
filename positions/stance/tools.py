"""The annotation tools people use: suggestions in Label Studio, doccano and Prodigy formats, and their exports read back.

Each suggestion (a statement and a target) becomes one task: the statement's
text, its key (``doc_id``, ``para``, ``sent``, ``hash``) and target as
metadata, the target's mention as a span at its offsets in the text, and the
model's stance as a pre-annotation.  An annotator picks ``favor``,
``against`` or ``neutral``, or ``none`` when the statement does not address
the target.  :func:`read_tool` turns a tool's export into the rows that
:func:`positions.stance.labelling.import_labels` checks (every label, and
that every statement still exists).

- **Label Studio** (``.json``): tasks with ``data`` and ``predictions``; the
  export (JSON) has each task's ``annotations``.  :func:`label_studio_config`
  is the labelling interface to paste into the project's settings.
- **doccano** (``.jsonl``, text classification): ``text``, ``label`` and the
  key; the export (JSONL) has the labels the annotator kept.
- **Prodigy** (``.jsonl``, the ``choice`` interface): ``text``, ``spans``,
  ``options``, ``accept`` and ``meta``; ``prodigy db-out`` adds ``answer``
  (only accepted answers count).
"""

from __future__ import annotations

import json

import pandas as pd

from ..base.errors import InputError
from ..base.schema import STANCES
from .codebook import Codebook
from .targets import find_mentions

__all__ = ["TOOLS", "label_studio_config", "read_tool", "tool_of", "write_tool"]

TOOLS = {"label-studio": ".json", "doccano": ".jsonl", "prodigy": ".jsonl"}
"""The annotation tools, and the suffix of the files they import and export."""
_CHOICES = [*STANCES, "none"]
_KEY = ("doc_id", "para", "sent", "hash", "target")


def tool_of(path: str, tool: str | None = None) -> str | None:
    """The tool a file is for: ``tool`` when given, ``label-studio`` for ``.json``, else None (xlsx, csv).

    A ``.jsonl`` file needs ``tool`` when written; when read it is Prodigy's if
    its first task has ``options`` or ``answer``, else doccano's.

    Examples
    --------
    >>> tool_of("next.json"), tool_of("next.xlsx"), tool_of("next.jsonl", "prodigy")
    ('label-studio', None, 'prodigy')
    """
    if tool is not None:
        if tool not in TOOLS:
            raise ValueError(f"format must be xlsx, csv or one of {', '.join(TOOLS)}; got {tool!r}")
        return tool
    return "label-studio" if path.lower().endswith(".json") else None


def label_studio_config(codebook: Codebook) -> str:
    """Label Studio's labelling interface for the tasks: the text, the target's mention, the stance.

    Examples
    --------
    >>> from positions.stance.codebook import load_codebook
    >>> '<Choice value="against"/>' in label_studio_config(load_codebook())
    True
    """
    labels = "".join(f'<Label value="{t}"/>' for t in codebook.target_ids)
    choices = "".join(f'<Choice value="{c}"/>' for c in _CHOICES)
    return (f'<View><Header value="$target"/><Labels name="target" toName="text">{labels}</Labels>'
            f'<Text name="text" value="$text"/><Choices name="stance" toName="text" choice="single">{choices}'
            "</Choices></View>")


def write_tool(table: pd.DataFrame, path: str, tool: str, codebook: Codebook) -> None:
    """Write suggestions (the columns of ``SUGGESTION_COLUMNS``) as ``tool``'s import file at ``path``.

    Examples
    --------
    >>> import os, tempfile, positions as pos
    >>> picks = pos.suggest(pos.statements(pos.demo_files()), n=2)
    >>> path = os.path.join(tempfile.mkdtemp(), "next.jsonl")
    >>> write_tool(picks, path, "prodigy", pos.load_codebook())
    >>> task = json.loads(open(path, encoding="utf-8").readline())
    >>> task["accept"] == [picks.predicted.iloc[0]], task["meta"]["hash"] == picks.hash.iloc[0]
    (True, True)
    """
    tasks = [_task(row, tool, codebook) for row in table.astype(object).where(table.notna(), None).to_dict("records")]
    with open(path, "w", encoding="utf-8") as stream:
        if tool == "label-studio":
            json.dump(tasks, stream, ensure_ascii=False, indent=1)
        else:
            stream.writelines(json.dumps(task, ensure_ascii=False) + "\n" for task in tasks)


def _task(row: dict, tool: str, codebook: Codebook) -> dict:
    key = {k: (int(row[k]) if k in ("para", "sent") else row[k]) for k in _KEY}
    text, target, stance = row["text"], row["target"], row["predicted"]
    mentions = [m for m in find_mentions(text, row["lang"], codebook) if m.target == target][:1]
    if tool == "label-studio":
        result = [{"from_name": "stance", "to_name": "text", "type": "choices", "value": {"choices": [stance]}}]
        result += [{"from_name": "target", "to_name": "text", "type": "labels",
                    "value": {"start": m.start, "end": m.end, "text": m.cue, "labels": [target]}} for m in mentions]
        return {"data": {"text": text, **key},
                "predictions": [{"model_version": "positions", "score": row["confidence"], "result": result}]}
    if tool == "doccano":
        return {"text": text, "label": [stance], **key}
    return {"text": text, "spans": [{"start": m.start, "end": m.end, "label": target} for m in mentions],
            "options": [{"id": c, "text": c} for c in _CHOICES], "accept": [stance], "meta": key}


def read_tool(path: str, tool: str | None = None) -> pd.DataFrame:
    """A tool's export as rows to check: ``where`` (the task), the key, ``target``, ``stance``, ``annotator``.

    A task the annotator did not finish (no annotation, or a Prodigy answer
    other than ``accept``) has an empty ``stance``; ``none`` becomes the
    target ``none``.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "done.jsonl")
    >>> _ = open(path, "w").write(json.dumps({"text": "t", "label": ["favor"], "doc_id": "d", "para": 1,
    ...                                       "sent": 2, "hash": "ab", "target": "new_treaty"}) + "\\n")
    >>> read_tool(path)[["where", "doc_id", "stance"]].values.tolist()
    [['line 1', 'd', 'favor']]
    """
    tasks = _load(path)
    if tool is None:
        tool = "label-studio" if path.lower().endswith(".json") else (
            "prodigy" if tasks and ("options" in tasks[0] or "answer" in tasks[0]) else "doccano")
    where = "task" if tool == "label-studio" else "line"
    rows = []
    for number, task in enumerate(tasks, 1):
        if not isinstance(task, dict):
            raise InputError(path, f"{where} {number}: not a {tool} task")
        key, chosen, annotator = _labels(task, tool)
        missing = [k for k in _KEY if key.get(k) in (None, "")]
        if missing:
            raise InputError(path, f"{where} {number}: missing {', '.join(missing)}; export the tasks with "
                                   "positions suggest and keep their data")
        if len(chosen) > 1:
            raise InputError(path, f"{where} {number}: {len(chosen)} labels ({', '.join(chosen)}); choose one")
        stance = chosen[0].lower() if chosen else ""
        target = "none" if stance == "none" else str(key["target"])
        rows.append({"where": f"{where} {number}", **{k: str(key[k]) for k in _KEY}, "target": target,
                     "stance": "" if stance == "none" else stance, "annotator": annotator or ""})
    return pd.DataFrame(rows, columns=["where", *_KEY, "stance", "annotator"])


def _load(path: str) -> list:
    try:
        with open(path, encoding="utf-8") as stream:
            if path.lower().endswith(".json"):
                tasks = json.load(stream)
                return tasks if isinstance(tasks, list) else [tasks]
            return [json.loads(line) for line in stream if line.strip()]
    except (ValueError, UnicodeDecodeError) as err:
        raise InputError(path, f"not a JSON{'' if path.lower().endswith('.json') else ' Lines'} export "
                               f"({str(err).splitlines()[0]})") from None


def _labels(task: dict, tool: str) -> tuple[dict, list[str], str | None]:
    """(key, labels chosen, annotator) of one exported task."""
    if tool == "label-studio":
        done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        last = done[-1] if done else {}
        chosen = [c for r in last.get("result", []) if r.get("from_name") == "stance"
                  for c in r.get("value", {}).get("choices", [])]
        who = last.get("completed_by")  # a user id, or (older exports) the user with an e-mail address
        return task.get("data", {}), chosen, who.get("email") if isinstance(who, dict) else None
    if tool == "doccano":
        labels = task.get("label") or []
        chosen = [str(x) for x in (labels if isinstance(labels, list) else [labels])]
        return {**task.get("meta", {}), **task}, chosen, task.get("annotator")
    chosen = [str(x) for x in task.get("accept") or []] if task.get("answer") == "accept" else []
    return task.get("meta", {}), chosen, task.get("_annotator_id")
