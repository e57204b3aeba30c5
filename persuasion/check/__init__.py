"""The certificate kernel (``persuasion check CERT``): standard library only, no solver.

:func:`check` re-derives a ``persuasion-certificate/2`` claim from the
embedded instance and the certificate's witnesses, or raises
:class:`Invalid` with one line.  Importing the package registers the chains
of every claim kind (:mod:`persuasion.check.claims`,
:mod:`persuasion.check.analytic`).
"""

from persuasion.check.core import CLAIMS, FORMAT, Invalid, check
from persuasion.check import analytic, claims  # noqa: F401  (register their chains)

__all__ = ["CLAIMS", "FORMAT", "Invalid", "check"]
