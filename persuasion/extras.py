"""The optional parts of ``persuasion`` and the extras that install them.

``pip install persuasion`` carries only what ``solve``, ``verify``, ``certify``
and ``check`` need.  A sweep's figures need matplotlib (the ``figures``
extra), a sweep on a Dask cluster needs Dask's distributed scheduler (the
``cluster`` extra), and Alice's quantal response in closed form
(:mod:`persuasion.quantal`) needs sympy (the ``quantal`` extra), and a
Parquet ratings table for ``hull`` needs pyarrow (the ``parquet`` extra);
``persuasion[all]`` brings every extra.  :func:`require` tells, without
importing anything, whether an extra is installed, so that a command can
refuse before any work with one line naming the extra to install.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

__all__ = [
    "CLUSTER",
    "FIGURES",
    "PARQUET",
    "QUANTAL",
    "Extra",
    "MissingExtra",
    "missing",
    "require",
]


@dataclass(frozen=True)
class Extra:
    """An extra of the ``persuasion`` distribution: its name, the modules it provides, what for."""

    name: str
    modules: tuple[str, ...]
    purpose: str


FIGURES = Extra("figures", ("matplotlib",), "drawing figures")
"""matplotlib: ``simulate --out DIR`` and ``hull --out DIR`` draw ``DIR/figures/*.png`` (unless
``--no-figures``)."""

CLUSTER = Extra("cluster", ("dask", "distributed"), "running a sweep on a Dask cluster")
"""Dask and its distributed scheduler: ``simulate --dask ADDRESS``."""

QUANTAL = Extra("quantal", ("sympy",), "Alice's quantal response in closed form")
"""sympy: the exact (irrational) probabilities of :mod:`persuasion.quantal`."""

PARQUET = Extra("parquet", ("pyarrow",), "reading a Parquet ratings table")
"""pyarrow: ``hull RATINGS.parquet`` (:func:`persuasion.hull_audit.table.read_ratings`)."""


class MissingExtra(ImportError):
    """A module of an extra is not installed; the message says which extra installs it."""


def missing(extra: Extra, module: str) -> MissingExtra:
    """The error for ``module`` of ``extra`` not installed: one line naming the extra.

    Parameters
    ----------
    extra
        The extra that provides ``module``.
    module
        The top-level module that is absent.

    Returns
    -------
    MissingExtra
        For example ``drawing figures needs matplotlib, which is not
        installed: pip install 'persuasion[figures]'``.
    """
    return MissingExtra(
        f"{extra.purpose} needs {module}, which is not installed: "
        f"pip install 'persuasion[{extra.name}]'",
        name=module,
    )


def require(extra: Extra) -> None:
    """Check that every module of ``extra`` can be imported, without importing it.

    Parameters
    ----------
    extra
        :data:`FIGURES`, :data:`CLUSTER`, :data:`QUANTAL` or :data:`PARQUET`.

    Raises
    ------
    MissingExtra
        When a module is not installed, or is blocked (``sys.modules[name] = None``);
        its message is that of :func:`missing`.
    """
    for module in extra.modules:
        if _absent(module):
            raise missing(extra, module)


def _absent(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is None
    except (ImportError, ValueError):  # a module without a spec
        return True
