"""The ``spacy_factories`` entry point: importing this module registers the library's spaCy components.

spaCy imports it when a pipeline asks for ``positions_speakers``,
``positions_targets`` or ``positions_stance`` by name, so that
``spacy.blank("en").add_pipe("positions_stance")`` works once ``positions`` is
installed.  :mod:`positions.pipeline.language` itself imports spaCy only when
a pipeline is made (:func:`~positions.pipeline.language.register_factories`).
"""

from __future__ import annotations

from .language import make_speakers, make_stance, make_targets, register_factories

__all__ = ["make_speakers", "make_stance", "make_targets"]

register_factories()
