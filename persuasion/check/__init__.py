"""The independent certificate checker (``persuasion check CERT``).

Standard library only (plus :mod:`persuasion.lp.checker`, itself standard
library only): no solver, no numpy, nothing that the producer of a
certificate relies on.  Importing the package registers every step kind.
"""

from persuasion.check.core import FORMAT, StepFailure, check
from persuasion.check import analytic, game, theorems  # noqa: F401  (register their step kinds)

__all__ = ["FORMAT", "StepFailure", "check"]
