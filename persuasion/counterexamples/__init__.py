"""``persuasion search``: hunt for instances where a property of the paper's results is extreme.

Random restarts plus local search over small rational instances
(:mod:`~persuasion.counterexamples.space`, :mod:`~persuasion.counterexamples.engine`), run on local
processes or Dask (:mod:`~persuasion.counterexamples.runner`), resumable from an output folder
(:mod:`~persuasion.counterexamples.folder`); the best instance found is minimised
(:mod:`~persuasion.counterexamples.minimise`) and written with a certificate
(:mod:`~persuasion.counterexamples.finding`).  The properties are :data:`PROPERTIES`
(:mod:`~persuasion.counterexamples.properties`), scored at the first equilibrium or the worst for
Alice found on each instance (:mod:`~persuasion.counterexamples.choice`).  The front door is
:func:`persuasion.search`; the package is not named ``search`` because no module is named like a
front-door function.
"""

from persuasion.counterexamples.properties import PROPERTIES

__all__ = ["PROPERTIES"]
