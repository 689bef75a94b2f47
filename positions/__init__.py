"""positions: how delegations' positions shift across sessions of UN negotiations.

Read UN meeting reports (Chinese, English) and speech collections into a
citable statements table, attributed to speakers; find the targets each
statement addresses and its stance on each; sum them by session into tables,
charts and a cited brief.

The package is laid out by stage, and this namespace re-exports the user API
of every stage.  Names load on first use, so ``import positions`` is quick
and nothing before the charts imports matplotlib.

Examples
--------
>>> import positions as pos
>>> table = pos.statements(pos.demo_files())
>>> sorted(table.lang.unique())
['en', 'zh']
"""

from __future__ import annotations

import importlib
import warnings

from . import compat
from .base.version import __version__ as __version__

# name -> the module (below positions) that defines it
_API = {
    "DEFAULT_CONFIG": "base.config", "Config": "base.config", "InputError": "base.errors",
    "CLASSIFIED_COLUMNS": "base.schema", "STATEMENT_COLUMNS": "base.schema", "set_progress": "base.config",
    "demo_annotations": "read.files", "demo_dir": "read.files", "demo_files": "read.files",
    "Document": "read.documents", "iter_documents": "read.documents", "read_document": "read.documents",
    "gazetteer": "parse.gazetteer", "split_sentences": "parse.sentences",
    "info": "parse.table", "iter_statement_columns": "parse.table", "iter_statements": "parse.table",
    "participants": "parse.table", "statements": "parse.table",
    "Codebook": "stance.codebook", "load_codebook": "stance.codebook",
    "detect_targets": "stance.targets", "find_mentions": "stance.targets",
    "explain_stance": "stance.rules", "rule_stance": "stance.rules",
    "StanceClassifier": "stance.learner", "load_model": "stance.model", "save_model": "stance.model",
    "classify": "stance.classified", "suggest": "stance.classified",
    "agreement": "stance.annotations", "annotated_statements": "stance.annotations",
    "read_annotations": "stance.annotations", "statement_hash": "stance.annotations",
    "write_annotations": "stance.annotations", "export_suggestions": "stance.labelling",
    "import_labels": "stance.labelling", "train": "stance.training", "training_data": "stance.training",
    "compare_models": "stance.training", "compare_with_new": "stance.training",
    "cross_validate": "stance.training", "evaluate": "stance.training",
    "nlp": "pipeline.language", "spacy_docs": "pipeline.language", "spacy_table": "pipeline.language",
    "explain": "pipeline.explain", "explain_speaker": "pipeline.explain",
    "Store": "store",
    "read_sessions_file": "aggregate.sessions", "relabel_sessions": "aggregate.sessions",
    "sessions": "aggregate.sessions", "position_table": "aggregate.positions", "shift_table": "aggregate.positions",
    "delegation_matrix": "aggregate.positions", "delegation_shifts": "aggregate.positions",
    "language_agreement": "aggregate.languages",
    "plot_delegation_heatmap": "present.charts", "plot_net_position": "present.charts",
    "plot_small_multiples": "present.charts", "plot_stance_shares": "present.charts", "save_chart": "present.charts",
    "brief_sentences": "present.brief", "brief_html": "present.render", "brief_markdown": "present.render",
    "write_report": "present.report", "style_positions": "present.render",
}
# old name -> (new name, version that renamed it): still there, with a DeprecationWarning
_RENAMED = {"evaluation_report": ("evaluate", "0.2")}


def __getattr__(name: str):
    if name in _RENAMED:
        new, version = _RENAMED[name]
        warnings.warn(f"positions.{name} is now positions.{new} (renamed in {version})", DeprecationWarning,
                      stacklevel=2)
        return __getattr__(new)
    if name in _API:
        value = getattr(importlib.import_module(f".{_API[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'positions' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])


__all__ = sorted(_API)
compat.install()
