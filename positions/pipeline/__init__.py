"""Stage 3b, pipeline: the library as spaCy components, and explanations rendered with displaCy.

``language`` makes a spaCy ``Language`` whose components (speakers, target
mentions, stance) are the library's own functions, so a spaCy ``Doc`` carries
the same rows as the classified table; ``explain`` renders a classified row's
evidence (mention, speaker, cues) in displaCy's span style.  spaCy is
imported here and in no earlier stage, on first use.
"""

from ..base import names_of

__getattr__ = names_of(__name__, ("language", "explain"))
