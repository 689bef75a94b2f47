"""Measure stance models and target detection against annotations.

Metrics (by target, stance and language):

- precision, recall and F1 of each stance;
- F_avg, SemEval-2016's measure: the mean of the F1 of ``favor`` and of
  ``against``.  A stance with neither gold nor predicted statements in a group
  is left out of the mean (NaN when both are);
- macro-F1 over the three stances present, and accuracy;
- target detection: precision and recall of the (statement, target) pairs
  found by :func:`positions.stance.targets.detect_targets` on annotated
  statements, and the share of annotated look-alikes (``none`` statements)
  left without a target.

:func:`evaluation_text` prints what
:func:`positions.stance.training.evaluate` gives, and :func:`card_markdown`
a model's card (the measured quality of a model is what its card is for).
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from ..base.output import table_text
from ..base.schema import STANCES
from .codebook import Codebook, load_codebook
from .targets import detect_targets

__all__ = ["card_html", "card_markdown", "comparison_text", "confusion", "detection_metrics", "evaluation_text", "stance_metrics",
           "summary_text"]

_HEAD = ["target", "lang", "n", "accuracy", "f_avg", "macro_f1"]


def stance_metrics(predictions: pd.DataFrame, by: tuple[str, ...] = ("target", "lang")) -> dict[str, pd.DataFrame]:
    """Precision, recall, F1, F_avg and macro-F1 of stance predictions.

    Parameters
    ----------
    predictions : DataFrame
        With ``stance`` (gold), ``predicted`` and the ``by`` columns.
    by : tuple of str
        Grouping columns; an ``all`` group over everything is added for each.

    Returns
    -------
    dict
        ``by_stance``: one row per group and stance (precision, recall, f1,
        support); ``summary``: one row per group (n, accuracy, f_avg,
        macro_f1).

    Examples
    --------
    >>> p = pd.DataFrame({"target": "t", "lang": "en", "stance": ["favor", "against", "neutral"],
    ...                   "predicted": ["favor", "favor", "neutral"]})
    >>> stance_metrics(p)["summary"].query("target == 't' and lang == 'en'")[["n", "f_avg"]].values.tolist()
    [[3.0, 0.3333333333333333]]
    """
    by = list(by)
    groups = [((), predictions)]
    for size in range(len(by), 0, -1):
        columns = by[:size]
        groups += [(k if isinstance(k, tuple) else (k,), g) for k, g in predictions.groupby(columns)]
    stance_rows, summary_rows = [], []
    for key, group in groups:
        labels = dict(zip(by, list(key) + ["all"] * (len(by) - len(key))))
        gold, pred = group["stance"].astype(str), group["predicted"].astype(str)
        p, r, f, s = precision_recall_fscore_support(gold, pred, labels=list(STANCES), zero_division=0)
        present = {st: (gold == st).any() or (pred == st).any() for st in STANCES}
        for i, stance in enumerate(STANCES):
            stance_rows.append({**labels, "stance": stance, "precision": p[i], "recall": r[i], "f1": f[i],
                                "support": int(s[i])})
        polar = [f[i] for i, st in enumerate(STANCES) if st in ("favor", "against") and present[st]]
        macro = [f[i] for i, st in enumerate(STANCES) if present[st]]
        summary_rows.append({**labels, "n": len(group), "accuracy": float((gold == pred).mean()),
                             "f_avg": float(np.mean(polar)) if polar else np.nan,
                             "macro_f1": float(np.mean(macro)) if macro else np.nan})
    return {"by_stance": pd.DataFrame(stance_rows), "summary": pd.DataFrame(summary_rows)}


def confusion(predictions: pd.DataFrame) -> pd.DataFrame:
    """Confusion matrix of stance predictions: gold stances as rows, predicted as columns.

    Examples
    --------
    >>> p = pd.DataFrame({"stance": ["favor", "against"], "predicted": ["favor", "favor"]})
    >>> confusion(p).loc["against", "favor"]
    np.int64(1)
    """
    matrix = confusion_matrix(predictions["stance"].astype(str), predictions["predicted"].astype(str),
                              labels=list(STANCES))
    return pd.DataFrame(matrix, index=pd.Index(STANCES, name="gold"), columns=pd.Index(STANCES, name="predicted"))


def detection_metrics(data: pd.DataFrame, statements: pd.DataFrame | None = None,
                      codebook: Codebook | None = None) -> pd.DataFrame:
    """Target detection against annotations: precision and recall, and look-alikes refused.

    Parameters
    ----------
    data : DataFrame
        From :func:`training_data` (``none`` rows included).
    statements : DataFrame, optional
        The statements table of the annotated documents, so that references
        back see their paragraphs; by default the annotated statements alone.
    codebook : Codebook, optional

    Returns
    -------
    DataFrame
        One row per ``file`` (annotation file) and for ``all``, and per
        target: ``tp``, ``fp``, ``fn``, ``precision``, ``recall``,
        ``negatives`` (annotated ``none`` statements) and ``negatives_clear``
        (the share of them given no target).

    Examples
    --------
    >>> import positions as pos
    >>> table = detection_metrics(pos.training_data(pos.demo_annotations(), pos.demo_dir()))
    >>> table.query("by == 'file' and group == 'all'")[["precision", "negatives"]].values.tolist()
    [[1.0, 60]]
    """
    book = codebook or load_codebook()
    table = statements if statements is not None else data
    found = detect_targets(table, book)
    unique = table.drop_duplicates(["doc_id", "para", "sent"])
    found = found.assign(doc_id=unique.loc[found["row"], "doc_id"].astype(str).to_numpy(),
                         para=unique.loc[found["row"], "para"].astype("int64").to_numpy(),
                         sent=unique.loc[found["row"], "sent"].astype("int64").to_numpy())
    keys = ["doc_id", "para", "sent"]
    data = data.assign(doc_id=data["doc_id"].astype(str), file=data.get("file", "annotations"))
    scope = data[keys + ["file"]].drop_duplicates(keys)
    predicted = found[keys + ["target"]].merge(scope, on=keys)
    gold = data[data["target"] != "none"][keys + ["target", "file"]]
    merged = predicted.merge(gold, on=keys + ["target", "file"], how="outer", indicator=True)
    negatives = data[data["target"] == "none"][keys + ["file"]].drop_duplicates(keys)
    fired = negatives.merge(predicted[keys].drop_duplicates(), on=keys, how="left", indicator=True)
    rows = []
    for column in ("file", "target"):
        keys = sorted(set(data[column].astype(str)) - {"none"})
        for key, group in [("all", merged)] + [(k, merged[merged[column] == k]) for k in keys]:
            tp = int((group["_merge"] == "both").sum())
            fp = int((group["_merge"] == "left_only").sum())
            fn = int((group["_merge"] == "right_only").sum())
            row = {"by": column, "group": key, "tp": tp, "fp": fp, "fn": fn,
                   "precision": tp / (tp + fp) if tp + fp else np.nan, "recall": tp / (tp + fn) if tp + fn else np.nan}
            if column == "file":
                neg = fired if key == "all" else fired[fired["file"] == key]
                row["negatives"] = len(neg)
                row["negatives_clear"] = float((neg["_merge"] == "left_only").mean()) if len(neg) else np.nan
            rows.append(row)
    table = pd.DataFrame(rows).drop_duplicates(["by", "group"]).reset_index(drop=True)
    return table.astype({"negatives": "Int64"})


def evaluation_text(tables: dict, groups: str) -> str:
    """What ``positions evaluate`` prints: the tables of :func:`positions.stance.training.evaluate` as text.

    Examples
    --------
    >>> import positions as pos
    >>> tables = pos.evaluate(pos.training_data(pos.demo_annotations(), pos.demo_dir()), n_splits=3)
    >>> evaluation_text(tables, "doc_id").splitlines()[0][:40]
    'Stance, cross-validated: 3 folds grouped'
    """
    folds = tables["folds"]
    parts = [f"Stance, cross-validated: {folds.fold.nunique()} folds grouped by {groups} "
             f"(no fold tests on a {groups} it trained on); {len(folds)} statement-target pairs.",
             "F_avg = mean F1 of favor and against (SemEval-2016); '-' where a group has neither.", "",
             summary_text(tables["summary"]), "",
             "By stance:", table_text(tables["by_stance"][tables["by_stance"].target != "all"],
                                      ["target", "lang", "stance", "precision", "recall", "f1", "support"]), "",
             "Confusion (rows gold, columns predicted):", tables["confusion"].to_string()]
    if len(tables["by_session"]):
        parts += ["", "By session:", table_text(tables["by_session"], ["session", "target", "n", "accuracy", "f_avg"])]
    if len(tables["detection"]):  # annotations of documents: target detection is measured too
        parts += ["", "Target detection on the annotated statements (negatives_clear: share of statements annotated "
                  "'none' given no target):",
                  table_text(tables["detection"], ["by", "group", "tp", "fp", "fn", "precision", "recall", "negatives",
                                                   "negatives_clear"])]
    return "\n".join(parts)


def comparison_text(table: pd.DataFrame) -> str:
    """Old against new model, side by side (the table of :func:`positions.stance.training.compare_with_new`).

    Examples
    --------
    >>> table = pd.DataFrame({"model": ["old", "new"], "target": "all", "lang": "all", "f_avg": [0.5, 0.75]})
    >>> print(comparison_text(table).splitlines()[-1])
    all     all   0.50       0.75
    """
    wide = table.pivot_table(index=["target", "lang"], columns="model", values="f_avg", sort=False)
    wide = wide.reindex(columns=[c for c in ("old", "new") if c in wide.columns]).reset_index()
    wide.columns = [str(c) if c in ("target", "lang") else f"f_avg_{c}" for c in wide.columns]
    return ("F_avg on the same folds: 'old' trains without the new annotations, 'new' with them.\n"
            + table_text(wide))


def summary_text(summary: pd.DataFrame) -> str:
    """The cross-validated summary by target and language, as a text table.

    Examples
    --------
    >>> print(summary_text(pd.DataFrame({"target": ["all"], "lang": ["all"], "n": [3], "f_avg": [0.5]})))
    target  lang  n  f_avg
    all     all   3  0.50
    """
    return table_text(summary, [c for c in _HEAD if c in summary.columns])


def _ranges(numbers: list[int]) -> str:
    """1, 2, 3, 5 -> '1-3, 5'."""
    parts: list[str] = []
    for number in numbers:
        if parts and number == int(parts[-1].split("-")[-1]) + 1:
            parts[-1] = f"{parts[-1].split('-')[0]}-{number}"
        else:
            parts.append(str(number))
    return ", ".join(parts)


def card_markdown(card: dict) -> str:
    """The model card as Markdown, written beside the model file.

    Examples
    --------
    >>> import positions as pos
    >>> card_markdown(pos.load_model().card_).splitlines()[0]
    '# Model card: stance model for the `cybercrime` codebook'
    """
    training, metrics = card["training"], card["metrics"]
    summary = pd.DataFrame(metrics["summary"])
    lines = [
        f"# Model card: stance model for the `{card['codebook']['id']}` codebook", "",
        f"- Model: {card['model']}",
        f"- Parameters: {', '.join(f'{k}={v}' for k, v in sorted(card['params'].items()))}",
        f"- Word segmenter: {card.get('tokenizer', 'default')}",
        f"- Codebook: `{card['codebook']['id']}` version {card['codebook']['version']}, digest "
        f"`{card['codebook']['digest']}`; targets {', '.join(card['codebook']['targets'])}",
        f"- Shared stance cues (resources/stance.yaml): digest `{card.get('stance_cues', '-')}`",
        f"- Annotations: {card['annotations']['rows']} rows, digest `{card['annotations']['digest']}`:",
        *[f"  - {name}: {entry['rows']} rows, digest `{entry['digest'][:16]}`"
          for name, entry in card["annotations"]["files"].items()],
        f"- Trained on {training['statements']} statement-target pairs from {len(training['documents'])} documents; "
        f"languages {training['languages']}",
        f"- Sessions covered: {'; '.join(f'{body} {_ranges(numbers)}' for body, numbers in training['sessions'].items())}",
        f"- Versions: {', '.join(f'{k} {v}' for k, v in card['versions'].items())}", "",
        f"## Cross-validated metrics ({metrics['cross_validation']})", "",
        "```", summary_text(summary), "```", "",
        "## Labels", "", *[f"- {k}: {v}" for k, v in training["labels"].items()], "",
        *_card_extras(card),
        "Rebuild: see models/README.md.", "",
    ]
    return "\n".join(lines)


def _card_extras(card: dict) -> list[str]:
    """The card's labelled counts by target and language, reliability table, rules' share and peer-benchmark scores."""
    lines = []
    by_lang = pd.DataFrame(card["training"].get("labels_by_lang", []))
    if not by_lang.empty:
        wide = by_lang.pivot_table(index=["target", "lang"], columns="stance", values="n", aggfunc="sum",
                                   fill_value=0).astype(int)
        wide = wide.reindex(columns=[s for s in STANCES if s in wide.columns]).reset_index()
        lines += ["## Labelled statements by target and language", "", "```", table_text(wide), "```", ""]
    if card.get("reliability"):
        lines += ["## Reliability of `confidence` (out-of-fold: how often the predicted stance is right)", "",
                  "```", table_text(pd.DataFrame(card["reliability"])), "```", ""]
    ruled = card.get("chosen", {}).get("rules_answer_for")
    if ruled is not None:
        lines += ["## Where the rules answer (targets on which they beat the learner in its inner cross-validation)", "",
                  f"- {', '.join(ruled) or 'none'}, in every language; also any target of the codebook "
                  "in a language the learner has no labelled statement of", ""]
    peer = card.get("peer_benchmarks")
    lines += ["## Peer benchmarks of the same learner (pooled F_avg x 100; benchmarks/bench_peer.py)", ""]
    if peer:
        lines += [f"- {name}: learner {entry['learner_median']}, plain baseline {entry['baseline_median']} "
                  f"(median of {len(entry['runs'])} runs)" for name, entry in peer.items()
                  if isinstance(entry, dict) and "learner_median" in entry]
        lines += [f"- Measured at commit {peer.get('commit')} on {peer.get('machine')}", ""]
    else:
        lines += ["- Not measured for these settings (no entry in models/peer-benchmarks.json).", ""]
    return lines


def card_html(card: dict) -> str:
    """A model card's summary as HTML: what the model is, what it learnt from, how well it does.

    Examples
    --------
    >>> import positions as pos
    >>> "new_treaty" in card_html(pos.load_model().card_)
    True
    """
    esc = html.escape
    training = card["training"]
    summary = pd.DataFrame(card["metrics"]["summary"])
    overall = summary[summary["lang"] == "all"][["target", "n", "f_avg", "macro_f1", "accuracy"]]
    table = overall.to_html(index=False, float_format=lambda v: f"{v:.2f}", na_rep="–", border=0)
    sessions = "; ".join(f"{body} {', '.join(map(str, numbers[:3]))}{'…' if len(numbers) > 3 else ''}"
                         for body, numbers in training["sessions"].items())
    return (f"<div><strong>{esc(card['model'])}</strong><br>"
            f"<small>codebook {esc(card['codebook']['id'])} v{card['codebook']['version']}; trained on "
            f"{training['statements']} annotated statement-target pairs from {len(training['documents'])} documents "
            f"({esc(', '.join(f'{k} {v}' for k, v in training['languages'].items()))}); sessions: {esc(sessions)}"
            f"</small><br>Cross-validated ({esc(card['metrics']['cross_validation'])}):{table}</div>")
