"""The named start profiles of best-response dynamics, defined once.

- ``oblivious``: every sender's single-sender optimum, as if Alice heard only
  them (Definitions 18-19; :func:`persuasion.equilibrium.oblivious_profile`);
- ``silent``: every sender always sends their first message (no information);
- ``revealing``: every sender reveals their feature ``x_B`` (Remark 4);
- ``random``: random schemes drawn from a seed (sweeps only).

``solve --start`` and :func:`persuasion.solve` take the names of :data:`AUTO`
or ``auto``, which tries them in that order; ``simulate --start`` takes every
name of :data:`STARTS`.  Importable without loading any solver.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from persuasion.model import Instance, Profile

__all__ = ["AUTO", "STARTS", "SWEEP", "start_profile", "start_seed"]


def _oblivious(instance: Instance, seed: int, eta: Fraction) -> Profile:
    from persuasion.equilibrium import oblivious_profile

    return oblivious_profile(instance, eta)


def _silent(instance: Instance, seed: int, eta: Fraction) -> Profile:
    from persuasion.model import silent_profile

    return silent_profile(instance)


def _revealing(instance: Instance, seed: int, eta: Fraction) -> Profile:
    from persuasion.model import revealing_profile

    return revealing_profile(instance)


def _random(instance: Instance, seed: int, eta: Fraction) -> Profile:
    from persuasion.experiments.families import random_profile

    return random_profile(instance, seed)


_BUILDERS = {"oblivious": _oblivious, "silent": _silent, "revealing": _revealing, "random": _random}
"""How each named start profile is built, from the instance, a seed and eta."""

STARTS = tuple(_BUILDERS)
"""Every named start profile, in the order sweeps list them."""

AUTO = ("revealing", "silent", "oblivious")
"""The starts ``auto`` tries, in order: the named starts a solve accepts besides ``auto``."""

SWEEP = ("oblivious", "silent", "random")
"""The starts a sweep plays by default."""


def start_profile(
    instance: Instance, name: str, *, seed: int = 0, eta: Fraction = Fraction(1, 1000)
) -> Profile:
    """The start profile called ``name`` (one of :data:`STARTS`).

    Parameters
    ----------
    instance : Instance
        The instance played.
    name : str
        The start's name.
    seed : int
        Seeds the ``random`` start's schemes.
    eta : Fraction
        The approximation allowed for the ``oblivious`` start's unattained optima.

    Returns
    -------
    Profile

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`STARTS`.
    """
    if name not in _BUILDERS:
        raise ValueError(f"unknown start {name!r} (choose from {', '.join(STARTS)})")
    return _BUILDERS[name](instance, seed, eta)


def start_seed(seed: int, k: int) -> int:
    """The seed of random start ``k`` of a search seeded ``seed``: the Cantor pairing of the two,
    one-to-one, so searches with different seeds share no random start (``seed + k`` made seeds
    0 and 1 share all but one)."""
    return (seed + k) * (seed + k + 1) // 2 + k
