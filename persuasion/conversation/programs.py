"""The linear programs of a sender's best response in a conversation, for one plan of Alice's or
over all of them.

A pure plan ``sigma`` of Alice's gives a move at every live information set
(:mod:`persuasion.conversation.sequences`).  With ``V_K`` Alice's value at
``K`` under ``sigma`` -- where she acts, the action's form; where she talks,
the sum of ``V`` over the sets following her move -- ``sigma`` is her actual
(tie-broken) response to a plan ``r`` exactly when, at every live ``K``,
``V_K >= Q_K(b)`` for every move ``b``, strictly for every ``b`` before
``sigma(K)`` in her tie order.  :func:`fixed_program` writes these rows for
one ``sigma``: all weak (the closure, whose optimum is ``LP(sigma)``), or
with the strict ones as ``>= t`` to decide whether any plan makes ``sigma``
her response (``t* > 0``).  :func:`search_program` is the mixed-integer
program over every ``sigma`` (in the spirit of Bosansky and Cermak 2015):
binaries ``z_{K,b}`` choose Alice's moves, big-M rows tie ``V_K`` to the
chosen move, and the sender's utility is read off pairs ``x(K, b) r(s)`` of
her sequence-form realisation and the sender's plan.  Its optimum bounds the supremum
from above (ties counted in the sender's favour), and so does its linear
relaxation.

In the best-AI selection game (Definition 16) a sender who must be selected
adds one row to each program: Alice's value -- the sum of ``V`` over her
first information sets, linear in the plan -- reaches the floor
:attr:`~persuasion.conversation.sequences.PlanSpace.alice_floor` (in the
margin program, a strict floor by ``t``).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from persuasion.conversation.sequences import Form, PlanSpace
from persuasion.lp import LinearProgram

__all__ = ["fixed_program", "local_program", "path_objective", "search_program"]


def path_objective(space: PlanSpace, choice: tuple[int, ...]) -> Form:
    """The sender's utility under Alice's plan ``choice`` as a form in the sender's plan: the
    forms of the actions she takes on the sets her plan reaches."""
    total: Form = {}
    stack = [k for k in space.live if space.game.alice_parent[k] is None]
    while stack:
        k = stack.pop()
        if k in space.utility:
            for s, c in space.utility[k][choice[k]].items():
                total[s] = total.get(s, 0) + c
        else:
            stack.extend(space.after[k][choice[k]])
    return {s: c for s, c in total.items() if c}


def _plan_rows(lp: LinearProgram, space: PlanSpace, objective: Form) -> None:
    """The plan's variables (one per sequence, in index order) and its rows."""
    for s in range(space.size):
        lp.add_variable(objective.get(s, 0))
    for root in space.roots.values():
        lp.add_constraint({root: 1}, "==", 1)
    for info, up in space.parent.items():
        row = {space.sequences[info, m]: 1 for m in range(space.game.infosets[info].moves)}
        row[up] = -1
        lp.add_constraint(row, "==", 0)


def _move_form(space: PlanSpace, values: dict[int, int], k: int, b: int) -> dict[int, Fraction]:
    """``Q_K(b)``: Alice's value of move ``b`` at ``k``, over the plan and the ``values``
    columns of the sets after it."""
    if k in space.alice:
        return dict(space.alice[k][b])
    return {values[j]: Fraction(1) for j in space.after[k][b]}


def _minus(left: dict[int, Fraction], form: dict[int, Fraction]) -> dict[int, Fraction]:
    """``left - form``, columns summed."""
    row = dict(left)
    for j, c in form.items():
        row[j] = row.get(j, 0) - c
    return row


def _floor_rows(lp: LinearProgram, space: PlanSpace, values: dict[int, int], t=None) -> None:
    """With :attr:`PlanSpace.alice_floor`: Alice's value, the sum of ``V`` over her first sets,
    at least its bound (with ``t``, a strict floor's margin: at least the bound plus ``t``)."""
    floor = space.alice_floor
    if floor is None:
        return
    row = {values[k]: Fraction(1) for k in space.live if space.game.alice_parent[k] is None}
    if t is not None and floor.strict:
        row[t] = Fraction(-1)
    lp.add_constraint(row, ">=", floor.bound)


def fixed_program(
    space: PlanSpace,
    choice: tuple[int, ...],
    strict: bool = False,
    floor: Fraction | None = None,
) -> tuple[LinearProgram, int | None]:
    """``LP(sigma)`` for Alice's plan ``choice``, or with ``strict`` the margin program (maximise
    ``t <= 1`` with each strict row ``>= t``; ``floor``: only plans worth at least ``floor`` to
    the sender).  Returns the program and ``t``'s column (None without ``strict``).  The plan's
    columns come first, in sequence order."""
    lp = LinearProgram("max")
    objective = path_objective(space, choice)
    _plan_rows(lp, space, {} if strict else objective)
    values = {k: lp.add_variable(free=True) for k in space.live}
    t = lp.add_variable(1) if strict else None
    if t is not None:
        lp.add_constraint({t: 1}, "<=", 1)
    if floor is not None:
        lp.add_constraint(objective, ">=", floor)
    _floor_rows(lp, space, values, t)
    for k in space.live:
        order = space.order(k)
        chosen = choice[k]
        before = set(order[: order.index(chosen)])
        lp.add_constraint(_minus({values[k]: 1}, _move_form(space, values, k, chosen)), "==", 0)
        for b in order:
            if b == chosen:
                continue
            row = _minus({values[k]: 1}, _move_form(space, values, k, b))
            if t is not None and b in before:
                row[t] = Fraction(-1)
            lp.add_constraint(row, ">=", 0)
    return lp, t


def _big_m(matrix) -> Fraction:
    """A bound on the gap between two plans' values at one set: the utility's range (every set's
    mass is at least 0 and at most 1), at least 1."""
    values = [v for row in matrix for v in row]
    return max(Fraction(max(values) - min(values)), Fraction(1))


def local_program(space: PlanSpace, k: int, b: int) -> tuple[LinearProgram, int]:
    """The margin program of one set ``k`` where Alice acts: maximise ``t <= 1`` over plans
    where action ``b`` beats every action before it in her tie order by ``t`` and is at least as
    good as every later one.  A non-positive optimum rules ``b`` out at ``k`` under every plan of
    Alice's.  Returns the program and ``t``'s column."""
    lp = LinearProgram("max")
    _plan_rows(lp, space, {})
    t = lp.add_variable(1)
    lp.add_constraint({t: 1}, "<=", 1)
    order = space.order(k)
    before = set(order[: order.index(b)])
    for other in order:
        if other != b:
            row = _minus(dict(space.alice[k][b]), space.alice[k][other])
            if other in before:
                row[t] = Fraction(-1)
            lp.add_constraint(row, ">=", 0)
    return lp, t


class _Pairs:
    """The columns ``p(sigma_A, s) = x(sigma_A) r(s)`` of :func:`search_program`, made when first
    named (``sigma_A`` None: the plan's own column ``r(s)``), each at most ``r(s)`` and worth
    what the sender gets there when ``sigma_A`` is an action.  With ``x`` integral the rows
    force the product: at Alice's chosen move the pairs split as ``r`` does and no pair exceeds
    its ``r``; elsewhere they are 0."""

    def __init__(self, lp: LinearProgram, space: PlanSpace) -> None:
        self.lp, self.space, self.columns = lp, space, {}

    def __call__(self, alice: tuple[int, int] | None, s: int) -> int:
        if alice is None:
            return s
        column = self.columns.get((alice, s))
        if column is None:
            k, b = alice
            gain = self.space.utility[k][b].get(s, 0) if k in self.space.utility else 0
            column = self.columns[alice, s] = self.lp.add_variable(gain)
            self.lp.add_constraint({column: 1, s: -1}, "<=", 0)  # p <= r(s)
        return column


def _pair_rows(lp: LinearProgram, space: PlanSpace, k: int, x: dict, pair: _Pairs) -> None:
    """At Alice's set ``k``: her sequence-form rows, the pairs' rows (they split over her moves
    as ``x`` does, and over the sender's answers as ``r`` does), and where she acts obedience."""
    order, up = space.order(k), space.game.alice_parent[k]
    row = {x[k, b]: Fraction(1) for b in order}
    if up is not None:
        row[x[up]] = Fraction(-1)
    lp.add_constraint(row, "==", 0 if up is not None else 1)
    for s in space.support[k]:
        lp.add_constraint({**{pair((k, b), s): 1 for b in order}, pair(up, s): -1}, "==", 0)
        for b in order:
            lp.add_constraint({pair((k, b), s): 1, x[k, b]: -1}, "<=", 0)
    if k in space.alice:
        for a in order:
            for b in order:
                gap = _minus(space.alice[k][a], space.alice[k][b])
                if b != a and any(gap.values()):
                    lp.add_constraint({pair((k, a), s): c for s, c in gap.items()}, ">=", 0)
        return
    for v in order:
        answered = {space.owner[s] for j in space.after[k][v] for s in space.support[j]}
        for info in {info for info, _ in answered}:
            moves = range(space.game.infosets[info].moves)
            row = {pair((k, v), space.sequences[info, m]): 1 for m in moves}
            lp.add_constraint({**row, pair((k, v), space.parent[info]): -1}, "==", 0)


def search_program(
    space: PlanSpace,
    cuts: list[tuple[int, ...]],
    banned: frozenset = frozenset(),
    fixed: Mapping[int, int] | None = None,
) -> tuple[LinearProgram, dict[tuple[int, int], int]]:
    """The program over every plan of Alice's: binaries ``z_{K,b}`` choose her move at every
    live set (in ``[0, 1]`` in its relaxation), none of the plans in ``cuts`` nor any move
    ``(K, b)`` in ``banned`` allowed, the move ``fixed[K]`` forced; ``V_K`` tied to the chosen
    move by big-M rows.  The sender's utility is read off the pairs ``p((K, b), s) = x(K, b)
    r(s)``, with ``x`` Alice's sequence-form realisation of the ``z`` (Bosansky and Cermak
    2015), with Alice's incentive rows on them where she acts (as in the one-round obedience
    LP): valid for every plan, they tighten the relaxation.  Returns the program and the
    ``z``."""
    big = _big_m(space.game.instance.alice_utility)
    lp = LinearProgram("max")
    _plan_rows(lp, space, {})
    values = {k: lp.add_variable(free=True) for k in space.live}
    z = {(k, b): lp.add_variable() for k in space.live for b in space.order(k)}
    x = {(k, b): lp.add_variable() for k in space.live for b in space.order(k)}
    pair = _Pairs(lp, space)
    _floor_rows(lp, space, values)
    for k in space.live:
        lp.add_constraint({z[k, b]: 1 for b in space.order(k)}, "==", 1)
        for b in space.order(k):
            lp.add_constraint({z[k, b]: 1}, "<=", 1)
            lp.add_constraint({x[k, b]: 1, z[k, b]: -1}, "<=", 0)
            gap = _minus({values[k]: 1}, _move_form(space, values, k, b))
            lp.add_constraint(gap, ">=", 0)
            lp.add_constraint({**gap, z[k, b]: big}, "<=", big)
        _pair_rows(lp, space, k, x, pair)
    for k, b in banned:
        lp.add_constraint({z[k, b]: 1}, "==", 0)
    for k, b in (fixed or {}).items():
        lp.add_constraint({z[k, b]: 1}, "==", 1)
    for cut in cuts:
        lp.add_constraint({z[k, cut[k]]: 1 for k in space.live}, "<=", len(space.live) - 1)
    return lp, z
