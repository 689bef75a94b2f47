"""Plain-text and Markdown renderings of evaluation tables and model cards, and session names."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_SESSION_NAMES = {  # body: (long zh, short en, short zh)
    "Expert Group on Cybercrime": ("网络犯罪问题专家组第{}次会议", "EG {}", "专家组第{}次"),
    "Ad Hoc Committee on Cybercrime": ("特设委员会第{}届会议", "AHC {}", "特委会第{}届"),
    "General Assembly": ("大会第{}届会议", "GA {}", "大会第{}届"),
}
_DEFAULT_LABEL = re.compile(rf"^({'|'.join(map(re.escape, _SESSION_NAMES))}) (\d+)$")


def session_name(label: str, lang: str, short: bool = False) -> str:
    """A session label as readers of ``lang`` name it; labels from a sessions file are kept as they are.

    ``short`` gives the form for chart axes (``GA 76``, ``大会第76届``).

    Examples
    --------
    >>> session_name("Expert Group on Cybercrime 3", "zh")
    '网络犯罪问题专家组第3次会议'
    >>> session_name("General Assembly 76", "en", short=True), session_name("Round 1", "zh")
    ('GA 76', 'Round 1')
    """
    found = _DEFAULT_LABEL.match(str(label))
    if not found or (lang != "zh" and not short):
        return str(label)
    long_zh, short_en, short_zh = _SESSION_NAMES[found.group(1)]
    template = (short_zh if short else long_zh) if lang == "zh" else short_en
    return template.format(found.group(2))


def abbreviations(labels, lang: str) -> str:
    """What the short session names of ``labels`` stand for, in English (``GA: General Assembly``); '' in Chinese.

    Examples
    --------
    >>> abbreviations(["General Assembly 76", "Round 1"], "en")
    'GA: General Assembly'
    """
    if lang == "zh":
        return ""
    bodies = [found.group(1) for found in map(_DEFAULT_LABEL.match, map(str, labels)) if found]
    return "; ".join(f"{_SESSION_NAMES[b][1].split()[0]}: {b}" for b in dict.fromkeys(bodies))


_HEAD = ["target", "lang", "n", "accuracy", "f_avg", "macro_f1"]


def _number(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return "-"
    if isinstance(value, (float, np.floating)):
        return f"{value:.2f}"
    return str(value)


def table_text(table: pd.DataFrame, columns: list[str] | None = None) -> str:
    """A fixed-width text table.

    Examples
    --------
    >>> print(table_text(pd.DataFrame({"a": ["x"], "f": [0.5]})))
    a  f
    x  0.50
    """
    columns = columns or list(table.columns)
    cells = [[_number(v) for v in row] for row in table[columns].itertuples(index=False)]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)


def summary_text(summary: pd.DataFrame) -> str:
    """The cross-validated summary by target and language."""
    return table_text(summary, [c for c in _HEAD if c in summary.columns])


def report_text(report: dict, groups: str) -> str:
    """What ``positions evaluate`` prints."""
    folds = report["folds"]
    parts = [f"Stance, cross-validated: {folds.fold.nunique()} folds grouped by {groups} "
             f"(no fold tests on a {groups} it trained on); {len(folds)} statement-target pairs.",
             "F_avg = mean F1 of favor and against (SemEval-2016); '-' where a group has neither.", "",
             summary_text(report["summary"]), "",
             "By stance:", table_text(report["by_stance"][report["by_stance"].target != "all"],
                                      ["target", "lang", "stance", "precision", "recall", "f1", "support"]), "",
             "By session:", table_text(report["by_session"], ["session", "target", "n", "accuracy", "f_avg"]), "",
             "Confusion (rows gold, columns predicted):", report["confusion"].to_string(), "",
             "Target detection on the annotated statements (negatives_clear: share of statements annotated "
             "'none' given no target):",
             table_text(report["detection"], ["by", "group", "tp", "fp", "fn", "precision", "recall", "negatives",
                                              "negatives_clear"])]
    return "\n".join(parts)


def comparison_text(table: pd.DataFrame) -> str:
    """Old against new model, side by side."""
    wide = table.pivot_table(index=["target", "lang"], columns="model", values="f_avg", sort=False)
    wide = wide.reindex(columns=[c for c in ("old", "new") if c in wide.columns]).reset_index()
    wide.columns = [str(c) if c in ("target", "lang") else f"f_avg_{c}" for c in wide.columns]
    return ("F_avg on the same folds: 'old' trains without the new annotations, 'new' with them.\n"
            + table_text(wide))


def _ranges(numbers: list[int]) -> str:
    """1, 2, 3, 5 -> '1-3, 5'.

    Examples
    --------
    >>> _ranges([1, 2, 3, 5])
    '1-3, 5'
    """
    parts: list[str] = []
    for number in numbers:
        if parts and number == int(parts[-1].split("-")[-1]) + 1:
            parts[-1] = f"{parts[-1].split('-')[0]}-{number}"
        else:
            parts.append(str(number))
    return ", ".join(parts)


def card_markdown(card: dict) -> str:
    """The model card as Markdown, written beside the model file."""
    training, metrics = card["training"], card["metrics"]
    summary = pd.DataFrame(metrics["summary"])
    lines = [
        f"# Model card: stance model for the `{card['codebook']['id']}` codebook", "",
        f"- Model: {card['model']}",
        f"- Parameters: {', '.join(f'{k}={v}' for k, v in sorted(card['params'].items()))}",
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
        "Rebuild: see models/README.md.", "",
    ]
    return "\n".join(lines)
