"""The independent certificate checker (``persuasion check CERT``).

No solver, no numpy, no floating point: the step verifiers use exact
rationals from the standard library; the only package code they share with
the producer is the validated reader of the file formats
(:mod:`persuasion.instance`, :mod:`persuasion.profile`, which use
jsonschema).  Importing the package registers every step kind.
"""

from persuasion.check.core import CLAIMS, FORMAT, StepFailure, check
from persuasion.check import analytic, game, theorems  # noqa: F401  (register their step kinds)

__all__ = ["CLAIMS", "FORMAT", "StepFailure", "check"]
