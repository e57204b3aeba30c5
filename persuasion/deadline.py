"""A deadline that the engine's long loops check, so that a time limit ends one best response too.

``persuasion solve --time-limit`` bounds best-response dynamics
(:func:`persuasion.equilibrium.best_response_dynamics`).  Checking the limit
only between best responses lets one long best response overrun it by
minutes (an exact simplex fallback on a degenerate LP, a large enumeration).
So the dynamics set a deadline for what they call (:func:`until`), and the
loops where a best response spends its time -- the enumeration of inducible
vectors (:mod:`persuasion.cells`, :mod:`persuasion.inducible`), every exact
LP (:mod:`persuasion.lp.pipeline`), every pivot of the exact simplex
(:mod:`persuasion.lp.simplex`) and every HiGHS run, a float MILP's too, while
it runs (:func:`persuasion.lp.highs.run`) -- call :func:`check`, which raises
:class:`DeadlinePassed` once it is over.  The dynamics catch it and report
the best profile judged so far; nothing half-computed is ever reported.

The deadline lives in a :class:`contextvars.ContextVar`: without one (every
other command) :func:`check` costs one lookup and never raises.  Stdlib only.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator

_DEADLINE: contextvars.ContextVar[tuple[float, Callable[[], float]] | None] = (
    contextvars.ContextVar("persuasion_deadline", default=None)
)


class DeadlinePassed(Exception):
    """The deadline set by :func:`until` passed inside a computation (caught by whoever set it)."""


@contextlib.contextmanager
def until(at: float | None, clock: Callable[[], float]) -> Iterator[None]:
    """Within the block, :func:`check` raises once ``clock()`` reaches ``at`` (None: no
    deadline of its own).  A deadline already set outside stays in force: the earlier of the two
    holds (``persuasion search --time-limit`` around the dynamics of each evaluation).  Nested
    deadlines share ``clock``."""
    outer = _DEADLINE.get()
    if outer is not None and (at is None or outer[0] < at):
        at, clock = outer
    token = _DEADLINE.set(None if at is None else (at, clock))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def active() -> bool:
    """Is a deadline set (whether or not it has passed)?"""
    return _DEADLINE.get() is not None


def check() -> None:
    """Raise :class:`DeadlinePassed` if the current deadline (if any) has passed."""
    current = _DEADLINE.get()
    if current is not None and current[1]() >= current[0]:
        raise DeadlinePassed
