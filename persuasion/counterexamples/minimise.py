"""Minimise a finding: the smallest instance near it that still shows it.

Greedy and deterministic: try, in a fixed order, every simpler neighbour of the point -- one sender,
state, action or message fewer, a utility or weight made 0 or an integer, a prior made uniform or a
weight 1 -- and move to the first that keeps the finding and is no bigger in any measure of
:func:`persuasion.counterexamples.space.complexity`; stop when none does.  So minimisation never
loses the finding and never grows the instance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import replace
from fractions import Fraction

from persuasion.counterexamples.space import Point, complexity

__all__ = ["minimise", "minimised", "no_bigger", "simpler"]

MAX_STEPS = 200
"""At most this many accepted simplifications (each strictly lowers the complexity, so far fewer
are ever needed; the cap only bounds the work)."""


def no_bigger(candidate: Point, point: Point) -> bool:
    """Is ``candidate`` at most ``point`` in every measure, and smaller in one?"""
    small, big = complexity(candidate), complexity(point)
    return all(s <= b for s, b in zip(small, big, strict=True)) and small != big


def _drop(items: tuple, index: int) -> tuple:
    return items[:index] + items[index + 1 :]


def _without_sender(p: Point, i: int) -> Point | None:
    if len(p.utilities) < 2:
        return None
    weights = None if p.weights is None else _drop(p.weights, i)
    if weights is not None and not any(weights):
        return None
    return replace(
        p, utilities=_drop(p.utilities, i), messages=_drop(p.messages, i), weights=weights
    )


def _columns(m, y: int):
    return None if m is None else tuple(_drop(row, y) for row in m)


def _without_state(p: Point, y: int) -> Point | None:
    if p.states < 3:
        return None
    messages = tuple(min(k, p.states - 1) for k in p.messages)
    return replace(
        p,
        prior=_drop(p.prior, y),
        utilities=tuple(_columns(u, y) for u in p.utilities),
        alice=_columns(p.alice, y),
        messages=messages,
    )


def _without_action(p: Point, a: int) -> Point | None:
    if p.actions < 3:
        return None
    order = tuple(b - (b > a) for b in p.tie_break if b != a)
    alice = None if p.alice is None else _drop(p.alice, a)
    return replace(
        p, utilities=tuple(_drop(u, a) for u in p.utilities), alice=alice, tie_break=order
    )


def _set(m, a: int, y: int, value: Fraction):
    return tuple(
        tuple(value if (i, j) == (a, y) else v for j, v in enumerate(row))
        for i, row in enumerate(m)
    )


def _numbers(p: Point) -> Iterator[Point]:
    """``p`` with one utility entry rounded down, up or to 0, a weight lowered, the prior eased."""
    for which, m in [*enumerate(p.utilities), *([("alice", p.alice)] if p.alice else [])]:
        for a, row in enumerate(m):
            for y, v in enumerate(row):
                for value in sorted({Fraction(0), Fraction(math.floor(v)), Fraction(math.ceil(v))}):
                    if value != v:
                        new = _set(m, a, y, value)
                        if which == "alice":
                            yield replace(p, alice=new)
                        else:
                            yield replace(p, utilities=_put(p.utilities, which, new))
    for i, w in enumerate(p.weights or ()):
        if w > 1:
            yield replace(p, weights=_put(p.weights, i, 1))
    yield replace(p, prior=(1,) * p.states)
    for y, w in enumerate(p.prior):
        if w > 1:
            yield replace(p, prior=_put(p.prior, y, 1))


def _put(items: tuple, index: int, value) -> tuple:
    return items[:index] + (value,) + items[index + 1 :]


def simpler(p: Point) -> Iterator[Point]:
    """Every simpler neighbour of ``p``, senders first, then states, actions, messages, numbers."""
    for make, count in (
        (_without_sender, len(p.utilities)),
        (_without_state, p.states),
        (_without_action, p.actions),
    ):
        for index in range(count):
            candidate = make(p, index)
            if candidate is not None:
                yield candidate
    if p.space == "free":
        for i, k in enumerate(p.messages):
            if k > 1:
                yield replace(p, messages=_put(p.messages, i, k - 1))
    yield from _numbers(p)


def minimise(point: Point, keeps: Callable[[Point], bool]) -> Point:
    """The greedy minimum of ``point`` among points for which ``keeps`` is true.

    Parameters
    ----------
    point : Point
        A point for which ``keeps`` is true.
    keeps : callable
        ``keeps(candidate)``: does the candidate still show the finding?

    Returns
    -------
    Point
        A point for which ``keeps`` is true, no bigger than ``point`` in any measure of
        :func:`~persuasion.counterexamples.space.complexity`, and with no simpler neighbour
        (:func:`simpler`) that keeps the finding.
    """
    return minimised(point, keeps)[0]


def minimised(point: Point, keeps: Callable[[Point], bool]) -> tuple[Point, bool]:
    """:func:`minimise`, and whether it finished: a deadline that passes (``keeps`` raising
    :class:`~persuasion.deadline.DeadlinePassed`) stops it at the last point accepted."""
    from persuasion.deadline import DeadlinePassed

    for _ in range(MAX_STEPS):
        try:
            step = next((c for c in simpler(point) if no_bigger(c, point) and keeps(c)), None)
        except DeadlinePassed:
            return point, False
        if step is None:
            break
        point = step
    return point, True
