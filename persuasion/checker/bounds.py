"""Upper bounds on a sender's best-response value from Motzkin and LP-dual witnesses.

The kernel derives the sender's problem itself (:func:`problem`): the
situations ``t = (x_A, m_{-i})`` of positive probability in a fixed order
(``x_A`` outer, then the other senders' messages), their weights
``q[t][x_B][y]``, the sender's utility and message budget.  A witness
(:func:`upper_bound`) then supplies, indexing into that problem:

* ``vectors``: the response vectors (an action per situation) a message may induce;
* ``pruned``: partial assignments ``[[t, a], ...]`` with Motzkin multipliers ``z``
  and ``[[t, b, y], ...]`` proving that no message induces them;
* ``sets``: dual multipliers ``mu`` (per ``x_B``) and ``lambda`` (``[[k, t, b, y], ...]``
  on the obedience rows of the set's ``k``-th vector) for every set of vectors
  a scheme could use; the bound is the largest ``sum mu``;
* or, instead of ``sets``, a ``tree``: a branch-and-bound tree over which vectors a
  scheme with the sender's ``m`` messages uses, with the dual of the LP relaxation at
  every leaf (:func:`_tree`); the bound is the largest leaf bound the kernel derives.

Why these checks prove it: docs/explanation/certificates.md ("The upper-bound witness").
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from persuasion import limits
from persuasion.checker.core import array, fields, index, number, numbers, require
from persuasion.checker.game import ZERO, Game, Scheme


@dataclass(frozen=True)
class Problem:
    """``alice[t][x_B][a]``, ``values[t][x_B][a]`` (the sender's), the message budget and the
    tie-break ranks."""

    alice: list
    values: list
    messages: int
    rank: list[int]


def problem(game: Game, utility, messages: int, others: list[tuple[int, Scheme]] = ()) -> Problem:
    """A sender's problem when the senders in ``others`` keep their schemes (none: the sender heard
    obliviously)."""
    alice, values = [], []
    for table in game.prior:
        for msgs in itertools.product(*(range(len(game.messages[j])) for j, _ in others)):
            q = []
            for xb, row in enumerate(table):
                p = math.prod(
                    (s[xb][m] for (_, s), m in zip(others, msgs, strict=True)), start=Fraction(1)
                )
                q.append([p * v for v in row])
            if any(any(r) for r in q):
                alice.append(
                    [
                        [
                            sum((p * u for p, u in zip(r, urow, strict=True)), ZERO)
                            for urow in game.alice
                        ]
                        for r in q
                    ]
                )
                values.append(
                    [
                        [
                            sum((p * u for p, u in zip(r, urow, strict=True)), ZERO)
                            for urow in utility
                        ]
                        for r in q
                    ]
                )
    rank = [0] * len(game.actions)
    for k, a in enumerate(game.tie_break):
        rank[a] = k
    return Problem(alice, values, messages, rank)


def upper_bound(witness: Any, where: str, p: Problem) -> Fraction:
    """The bound ``max sum mu`` the witness proves on every scheme's value; :class:`Invalid` if it
    proves nothing."""
    w = fields(witness, where, ("vectors", "pruned"), ("sets", "tree"))
    require(("sets" in w) != ("tree" in w), f"{where}: needs exactly one of 'sets' and 'tree'")
    nt, na = len(p.alice), len(p.rank)
    require(nt > 0, f"{where}: the problem has no situation")
    nb = len(p.alice[0])

    def advantage(t: int, a: int, b: int) -> list[Fraction]:
        """Alice's advantage of ``a`` over ``b`` in situation ``t``, per ``x_B``."""
        return [row[a] - row[b] for row in p.alice[t]]

    vectors = []
    for k, r in enumerate(array(w["vectors"], f"{where}.vectors")):
        vectors.append(
            tuple(
                index(a, na, f"{where}.vectors[{k}][{t}]")
                for t, a in enumerate(array(r, f"{where}.vectors[{k}]", nt))
            )
        )
    require(len(set(vectors)) == len(vectors), f"{where}.vectors: a vector is listed twice")
    pruned = [
        _motzkin(c, f"{where}.pruned[{k}]", p, advantage)
        for k, c in enumerate(array(w["pruned"], f"{where}.pruned"))
    ]
    _complete(vectors, pruned, nt, na, where)
    if "tree" in w:
        return _tree(w["tree"], f"{where}.tree", vectors, p, advantage)
    sets = array(w["sets"], f"{where}.sets")
    chosen = [_members(s, f"{where}.sets[{k}]", len(vectors)) for k, s in enumerate(sets)]
    everything = tuple(range(len(vectors)))
    if chosen != [everything]:
        m = p.messages
        require(
            m < len(vectors)
            and len(chosen) == math.comb(len(vectors), m)
            and sorted(chosen) == list(itertools.combinations(everything, m)),
            f"{where}.sets: must be one set of all vectors, or every set of {m} vectors (the "
            "sender's messages)",
        )
    totals = []
    for k, (s, members) in enumerate(zip(sets, chosen, strict=True)):
        totals.append(
            _dual(s, f"{where}.sets[{k}]", [vectors[j] for j in members], p, advantage, nb)
        )
    require(totals, f"{where}.sets: no set of multipliers")
    return max(totals)


def _motzkin(witness: Any, where: str, p: Problem, advantage) -> dict[int, int]:
    """A partial assignment no message induces: ``sum_strict Y + z = 1`` and ``z + sum Y g(x_B) <=
    0`` for all ``x_B``."""
    c = fields(witness, where, ("assignment", "z", "multipliers"))
    nt, na = len(p.alice), len(p.rank)
    assignment: dict[int, int] = {}
    for k, pair in enumerate(array(c["assignment"], f"{where}.assignment")):
        t, a = array(pair, f"{where}.assignment[{k}]", 2)
        t, a = (
            index(t, nt, f"{where}.assignment[{k}][0]"),
            index(a, na, f"{where}.assignment[{k}][1]"),
        )
        require(t not in assignment, f"{where}.assignment: situation {t} assigned twice")
        assignment[t] = a
    require(assignment, f"{where}.assignment: empty")
    z = number(c["z"], f"{where}.z")
    require(z >= 0, f"{where}.z: negative")
    strict, combo = z, [z] * len(p.alice[0])
    for k, entry in enumerate(array(c["multipliers"], f"{where}.multipliers")):
        t, b, y = array(entry, f"{where}.multipliers[{k}]", 3)
        t, b = (
            index(t, nt, f"{where}.multipliers[{k}][0]"),
            index(b, na, f"{where}.multipliers[{k}][1]"),
        )
        y = number(y, f"{where}.multipliers[{k}][2]")
        require(
            t in assignment and b != assignment[t] and y >= 0,
            f"{where}.multipliers[{k}]: not a non-negative multiplier on an obedience row of the "
            "assignment",
        )
        if p.rank[b] < p.rank[assignment[t]]:
            strict += y
        combo = [c0 + y * g for c0, g in zip(combo, advantage(t, assignment[t], b), strict=True)]
    require(strict == 1, f"{where}: the strict multipliers and z sum to {strict}, not 1")
    require(all(v <= 0 for v in combo), f"{where}: the multipliers do not rule the assignment out")
    return assignment


def _complete(
    vectors: list[tuple], pruned: list[dict[int, int]], nt: int, na: int, where: str
) -> None:
    """Every response vector is listed or extends a pruned assignment (a depth-first walk, with a
    budget on its steps: every node, and every pruned assignment compared with a node's
    children)."""
    listed, by_last = set(vectors), {}
    for a in pruned:
        by_last.setdefault(max(a), []).append(a)
    stack, steps = [[]], 0
    while stack:
        prefix = stack.pop()
        here = by_last.get(len(prefix), [])
        steps += 1 + na * len(here)
        require(
            steps <= limits.MAX_OUTCOME_TERMS,
            f"{where}: the completeness walk exceeds MAX_OUTCOME_TERMS = "
            f"{limits.MAX_OUTCOME_TERMS} steps",
        )
        if len(prefix) == nt:
            require(
                tuple(prefix) in listed,
                f"{where}: response vector {prefix} is neither listed nor ruled out",
            )
            continue
        for a in reversed(range(na)):
            nxt = prefix + [a]
            if not any(all(nxt[s] == b for s, b in c.items()) for c in here):
                stack.append(nxt)


def _members(witness: Any, where: str, count: int) -> tuple[int, ...]:
    s = fields(witness, where, ("vectors", "mu", "lambda"))
    members = tuple(
        index(k, count, f"{where}.vectors[{j}]")
        for j, k in enumerate(array(s["vectors"], f"{where}.vectors"))
    )
    require(list(members) == sorted(set(members)), f"{where}.vectors: must be increasing")
    return members


def _dual(
    witness: dict, where: str, members: list[tuple], p: Problem, advantage, nb: int
) -> Fraction:
    """``val_r(x_B) - mu(x_B) + sum lambda g(x_B) <= 0`` for every member ``r``; returns ``sum
    mu``."""
    mu = numbers(witness["mu"], f"{where}.mu", nb)
    totals = [
        [sum((p.values[t][xb][r[t]] for t in range(len(r))), ZERO) - mu[xb] for xb in range(nb)]
        for r in members
    ]
    for k, entry in enumerate(array(witness["lambda"], f"{where}.lambda")):
        j, t, b, y = array(entry, f"{where}.lambda[{k}]", 4)
        j = index(j, len(members), f"{where}.lambda[{k}][0]")
        t, b = (
            index(t, len(p.alice), f"{where}.lambda[{k}][1]"),
            index(b, len(p.rank), f"{where}.lambda[{k}][2]"),
        )
        y = number(y, f"{where}.lambda[{k}][3]")
        require(
            b != members[j][t] and y >= 0,
            f"{where}.lambda[{k}]: not a non-negative multiplier on an obedience row",
        )
        totals[j] = [
            v + y * g for v, g in zip(totals[j], advantage(t, members[j][t], b), strict=True)
        ]
    for r, row in zip(members, totals, strict=True):
        require(all(v <= 0 for v in row), f"{where}: the dual constraint of vector {list(r)} fails")
    return sum(mu, ZERO)


_LEAVE = object()
"""Marks, on the tree walk's stack, the point where both subtrees of a branch are done."""


def _tree(witness: Any, where: str, vectors: list[tuple], p: Problem, advantage) -> Fraction:
    """The largest leaf bound of a branch-and-bound tree over which vectors a scheme uses.

    A node is ``{"branch": k, "in": node, "out": node}`` (vector ``k``, not yet fixed on
    the path, is used / not used) or a leaf ``{"mu", "lambda", "rho"}``: ``mu`` per ``x_B``
    (free), ``lambda`` entries ``[k, t, b, y]`` (``y >= 0`` on an obedience row of a vector
    ``k`` not fixed out) and ``rho >= 0``.  With ``F1``/``F0`` the vectors fixed in/out on the
    leaf's path, ``s_k = sum_x max(0, val_k(x) - mu(x) + sum_lambda y g(x))`` for ``k`` not in
    ``F0``, the leaf bounds every scheme whose vectors ``T`` (``|T| <= m``) contain ``F1``
    and avoid ``F0`` by::

        sum mu + m rho + sum_{k in F1} (s_k - rho) + sum_{k free} max(0, s_k - rho)

    (weak duality for the relaxation ``phi_k(x) <= b_k``, ``sum b_k <= m``; proof in
    docs/explanation/certificates.md).  Every pattern ``T`` reaches exactly one leaf by its
    branches, so the largest leaf bound holds for every scheme.  The walk is iterative, and
    its work -- a node and its depth (the length of its name), a leaf's ``s_k`` and
    ``lambda`` entries per ``x_B`` -- is budgeted like the completeness walk's.
    """
    nb = len(p.alice[0])
    values = [
        [sum((p.values[t][xb][r[t]] for t in range(len(r))), ZERO) for xb in range(nb)]
        for r in vectors
    ]
    # on the current path: in (True), out (False) or free
    fixed: list[bool | None] = [None] * len(vectors)
    # (node, name, vector fixed on entering it, how, depth)
    stack: list = [(witness, where, None, None, 0)]
    steps, best = 0, None
    while stack:
        node, name, k, how, depth = stack.pop()
        if node is _LEAVE:
            fixed[k] = None
            continue
        if k is not None:
            fixed[k] = how
        steps += 1 + depth
        _within_budget(steps, where)
        if isinstance(node, dict) and "branch" in node:
            n = fields(node, name, ("branch", "in", "out"))
            j = index(n["branch"], len(vectors), f"{name}.branch")
            require(fixed[j] is None, f"{name}.branch: vector {j} is already fixed on this path")
            stack += [
                (_LEAVE, name, j, None, depth),
                (n["out"], f"{name}.out", j, False, depth + 1),
                (n["in"], f"{name}.in", j, True, depth + 1),
            ]
            continue
        leaf = fields(node, name, ("mu", "lambda", "rho"))
        entries = array(leaf["lambda"], f"{name}.lambda")
        steps += (len(vectors) + len(entries)) * nb
        _within_budget(steps, where)
        bound = _leaf_bound(leaf, entries, name, vectors, values, fixed, p, advantage)
        best = bound if best is None else max(best, bound)
    return best


def _within_budget(steps: int, where: str) -> None:
    require(
        steps <= limits.MAX_OUTCOME_TERMS,
        f"{where}: the tree walk exceeds MAX_OUTCOME_TERMS = {limits.MAX_OUTCOME_TERMS} steps",
    )


def _leaf_bound(
    leaf: dict,
    entries: list,
    name: str,
    vectors: list[tuple],
    values: list[list[Fraction]],
    fixed: list[bool | None],
    p: Problem,
    advantage,
) -> Fraction:
    """One leaf's bound ``sum mu + m rho + sum_{k in F1} (s_k - rho) + sum_{k free} max(0, s_k -
    rho)`` (:func:`_tree`), its multipliers checked; ``fixed`` marks the path's vectors."""
    nb = len(p.alice[0])
    mu = numbers(leaf["mu"], f"{name}.mu", nb)
    rho = number(leaf["rho"], f"{name}.rho")
    require(rho >= 0, f"{name}.rho: negative")
    rows: dict[int, list[Fraction]] = {}
    for e, entry in enumerate(entries):
        j, t, b, y = array(entry, f"{name}.lambda[{e}]", 4)
        j = index(j, len(vectors), f"{name}.lambda[{e}][0]")
        require(fixed[j] is not False, f"{name}.lambda[{e}]: vector {j} is fixed out on this path")
        t, b = (
            index(t, len(p.alice), f"{name}.lambda[{e}][1]"),
            index(b, len(p.rank), f"{name}.lambda[{e}][2]"),
        )
        y = number(y, f"{name}.lambda[{e}][3]")
        require(
            b != vectors[j][t] and y >= 0,
            f"{name}.lambda[{e}]: not a non-negative multiplier on an obedience row",
        )
        row = rows.setdefault(j, [v - u for v, u in zip(values[j], mu, strict=True)])
        rows[j] = [v + y * g for v, g in zip(row, advantage(t, vectors[j][t], b), strict=True)]
    bound = sum(mu, ZERO) + p.messages * rho
    for j, state in enumerate(fixed):
        if state is not False:
            excess = rows.get(j) or (v - u for v, u in zip(values[j], mu, strict=True))
            s = sum((max(ZERO, v) for v in excess), ZERO)
            bound += s - rho if state else max(ZERO, s - rho)
    return bound
