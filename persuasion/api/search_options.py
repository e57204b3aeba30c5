"""The options of :func:`persuasion.search`, checked as the command line checks them.

Each bad option is one :class:`~persuasion.api.common.OptionError` naming it, before any work
(review of issue 10, findings 8 and 10): the numbers are those ``persuasion search`` accepts, and
an option that cannot matter for the property is refused rather than silently ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from persuasion.api import checks
from persuasion.api.common import OptionError
from persuasion.limits import MAX_RUNS

__all__ = ["EPSILON_PROPERTIES", "check_options"]

EPSILON_PROPERTIES = ("theorem-1-tightness", "theorem-6-tightness", "hull-failure")
"""The properties ``max_epsilon`` restricts; the others ignore it, so it is refused there."""

SMALLEST = {"senders": 1, "states": 2, "actions": 2}
"""The least number of senders, states and actions of a size grid (``--senders`` etc.)."""


def _sizes(name: str, values: Any) -> None:
    if values is None:
        return
    if isinstance(values, str | bytes) or not isinstance(values, Sequence) or not values:
        raise ValueError(f"{name} must be a non-empty sequence of integers, not {values!r}")
    for value in values:
        checks.integer(name, value, SMALLEST[name])


def check_options(
    property: Any, seed: Any, budget: Any, time_limit: Any, sizes: tuple, max_epsilon: Any,
    jobs: Any,
) -> None:  # fmt: skip
    """Refuse a bad option of :func:`persuasion.search` in one line.

    Raises
    ------
    OptionError
        Naming the option: not a string property, a seed below 0, a budget outside 1 to
        ``MAX_RUNS``, a negative or infinite time limit, a size below the smallest, a bound on
        ``eps`` that is not an exact rational > 0 or that the property ignores, fewer than 2
        senders for ``more-senders-less`` (it removes one), other than 2 for
        ``more-senders-less-worst``, jobs below 1.
    """
    try:
        if not isinstance(property, str):
            raise ValueError(f"property must be a string, not {property!r}")
        checks.integer("seed", seed, 0)
        checks.integer("budget", budget, 1, MAX_RUNS)
        checks.seconds("time_limit", time_limit)
        for name, values in zip(SMALLEST, sizes, strict=True):
            _sizes(name, values)
        if jobs is not None:
            checks.integer("jobs", jobs, 1)
        if max_epsilon is not None:
            checks.rational("max_epsilon", max_epsilon, Fraction(0), strict=True)
    except ValueError as exc:
        raise OptionError(str(exc)) from None
    _check_relevant(property, sizes[0], max_epsilon)


def _check_relevant(property: str, senders: Sequence[int] | None, max_epsilon) -> None:
    """Refuse options that cannot matter for ``property``."""
    if max_epsilon is not None and property not in EPSILON_PROPERTIES:
        raise OptionError(
            f"max_epsilon (--max-epsilon) only applies to {', '.join(EPSILON_PROPERTIES)}; "
            f"{property} does not look at eps"
        )
    if property == "more-senders-less-worst" and senders is not None and set(senders) != {2}:
        raise OptionError(
            "more-senders-less-worst compares two senders with one: the number of senders "
            "(--senders) must be 2"
        )
    if property == "more-senders-less" and senders is not None and min(senders) < 2:
        raise OptionError(
            "more-senders-less removes a sender and needs two or more: every number of senders "
            "(--senders) must be >= 2"
        )
