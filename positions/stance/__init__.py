"""Stage 3, stance: statements to the classified table (targets and stance), and the models that do it.

``codebook`` holds the targets, ``targets`` finds which a statement addresses,
``rules`` reads the stance cues, ``tokenize`` segments words, ``learner`` is
the stance model, ``model`` saves and loads it safely, and ``classified``
makes the classified table.  For retraining: ``annotations`` (standoff
labels), ``training`` (fitting, and cross-validation on text the model has
not seen), ``evaluation`` (the metrics and the model card), and ``labelling``
(the round trip with annotators).
"""

import importlib

_MODULES = ("rules", "learner", "targets", "codebook", "classified", "model", "tokenize", "annotations", "training",
            "evaluation", "labelling")


def __getattr__(name: str):
    """A name of any module of this stage: ``from positions.stance import StanceClassifier`` (as before 0.2) works."""
    for module in _MODULES:
        found = importlib.import_module(f"{__name__}.{module}")
        if name in getattr(found, "__all__", ()):
            return getattr(found, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
