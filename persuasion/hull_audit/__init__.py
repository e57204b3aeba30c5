"""Auditing a pool of models for weighted alignment: ``persuasion hull`` (issue 12).

Modules: :mod:`~persuasion.hull_audit.table` (reading a ratings table),
:mod:`~persuasion.hull_audit.qp` (warm-started least squares in Gram form),
:mod:`~persuasion.hull_audit.fits` (Appendix F's four fits over K, cross-validated),
:mod:`~persuasion.hull_audit.supnorm` (Definition 1's epsilon over K),
:mod:`~persuasion.hull_audit.kkt` (exact KKT certificates),
:mod:`~persuasion.hull_audit.run` (local processes or Dask),
:mod:`~persuasion.hull_audit.audit` (:func:`hull`), :mod:`~persuasion.hull_audit.result`,
:mod:`~persuasion.hull_audit.game` (a pool as a persuasion instance),
:mod:`~persuasion.hull_audit.files` (CSV and figures),
:mod:`~persuasion.hull_audit.command` (the CLI).
"""

from __future__ import annotations

import importlib

__all__ = ["HullResult", "Ratings", "hull", "read_ratings"]

_HOMES = {
    "hull": "audit",
    "HullResult": "result",
    "Ratings": "table",
    "read_ratings": "table",
}


def __getattr__(name: str):
    """Import the names lazily: the command line loads :mod:`persuasion.hull_audit.command` at every
    start, and numpy and HiGHS only when a pool is audited."""
    if name not in _HOMES:
        raise AttributeError(f"module 'persuasion.hull_audit' has no attribute {name!r}")
    return getattr(importlib.import_module(f"persuasion.hull_audit.{_HOMES[name]}"), name)
