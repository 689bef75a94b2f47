"""Stage 3, stance: statements to the classified table (targets and stance), and the models that do it.

``codebook`` holds the targets, ``targets`` finds which a statement addresses,
``rules`` reads the stance cues, ``tokenize`` segments words, ``learner`` is
the stance model, ``model`` saves and loads it safely, and ``classified``
makes the classified table.  For retraining: ``annotations`` (standoff
labels), ``training`` (fitting, and cross-validation on text the model has
not seen), ``evaluation`` (the metrics and the model card), and ``labelling``
(the round trip with annotators).

The names of its modules can be imported from the package itself
(``from positions.stance import StanceClassifier``, as before 0.2, and as
model files saved before 0.2 name it); they load on first use.
"""

from ..base import names_of

__getattr__ = names_of(__name__, ("rules", "learner", "targets", "codebook", "classified", "model", "tokenize",
                                  "annotations", "training", "evaluation", "labelling", "features"))
