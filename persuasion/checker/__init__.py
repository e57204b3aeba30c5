"""The certificate kernel (``persuasion check CERT``): standard library only, no solver.

:func:`check` re-derives a ``persuasion-certificate/2`` claim from the
embedded instance and the certificate's witnesses, or raises
:class:`Invalid` with one line.  The chains of every claim kind
(:mod:`persuasion.checker.claims`, :mod:`persuasion.checker.analytic`) are
registered by the first :func:`check`, so that reading :data:`CLAIMS` (the
CLI's ``--claim`` choices) loads nothing else.
"""

from persuasion.checker.core import CLAIMS, FORMAT, Invalid, check

__all__ = ["CLAIMS", "FORMAT", "Invalid", "check"]
