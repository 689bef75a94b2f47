"""Stage 4, aggregate: the classified table summed by session.

``sessions`` orders sessions and relabels them from a sessions file,
``languages`` pairs the language versions of a report (a paragraph counts
once) and checks them against each other, ``thresholds`` holds the
documented thresholds of the brief's words, and ``positions`` gives each
session's position on each target, the shifts between sessions, and where
each named delegation stood.
Every public function here takes a Dask table as it takes a pandas one and
computes it once on the way in.

The names of its modules can be imported from the package itself
(``from positions.aggregate import position_table``, as before it was a
package); they load on first use.
"""

from ..base import names_of

__getattr__ = names_of(__name__, ("sessions", "languages", "thresholds", "positions"))
