"""Exact branch and bound over the sets of response vectors a limited scheme may use.

With ``m`` messages a scheme's messages induce at most ``m`` response vectors;
the limited supremum is the best obedience-LP value ``LP(S)`` over the sets
``S`` of at most ``m`` vectors *with room* (:mod:`persuasion.limited`).  The
search relaxes the choice of the set: one ``b_k`` in ``[0, 1]`` per vector,
``phi_k(x_B) <= b_k`` and ``sum_k b_k <= m`` over the obedience LP of every
vector (docs/explanation/best-response.md, "The exact branch and bound";
the tree witness format shared with ``persuasion check``).  Each node of
the tree fixes some ``b_k`` to 1 (``inside``) or 0 (``outside``) and solves
its relaxation exactly (the exact LP pipeline, warm-started from the previous
node's basis: :class:`persuasion.lp.warm.WarmLP`).  From the duals it keeps
multipliers ``(mu, lambda, rho)`` -- plus ``f`` on an Alice floor -- and
re-derives the node's bound from them by the tree formula
(:func:`leaf_bound`), which is a valid upper bound for *any* sign-correct
multipliers (weak duality; nothing the solver says is trusted).  A box with
no scheme at all gets multipliers from its Farkas certificate
(:meth:`_Relaxation.infeasible_leaf`).  A node whose optimum uses more than
``m`` vectors branches on the free vector whose weight ``max_x_B phi_k(x_B)``
is most fractional.

*Incumbents* are sets with room and their exact LP value: whenever a node's
optimum uses a set ``S`` of vectors that fits the budget together with the
vectors fixed inside, ``LP(S)`` is the node's value; if ``S`` has room
(:func:`persuasion.room.room`) it is a real, approachable value and the node
is closed.  A node whose bound is at most the best incumbent is a leaf; the
search visits nodes from the largest bound down (best first), so it stops as
soon as the largest open bound is the incumbent's.

When the relaxation's best set has *no* room (ties against the sender: the
LP's value is then not approachable with that set), the node is branched on a
free vector of the set (or any free vector), and when nothing is left to
branch -- every vector fixed, or the budget filled by the vectors inside --
the box's schemes use subsets of the vectors inside, each checked for room
with its exact LP.  The value found is then still exact (every set of at most
``m`` vectors lies in one leaf's box, and every leaf's box was either bounded
below the incumbent or searched exhaustively), but such a leaf's bound may
stay above it: the tree alone then does not prove the value, and
:attr:`Tree.proven` says so.  Past :data:`NODE_LIMIT` nodes the search gives
up (None) and the caller falls back to the MILP route.

The tree becomes the ``"tree"`` value of an upper-bound witness
(:meth:`Tree.to_witness`): ``{"branch": k, "in": node, "out": node}`` or a
leaf ``{"mu", "lambda", "rho"}``, numbers as exact strings, vectors numbered
as in ``vectors``.  A leaf under an Alice floor whose floor multiplier is not
zero also carries ``"floor": f`` (its bound adds ``f * alice_k`` to every
vector's ``val_k`` and subtracts ``f * floor``), an extension of tree.md.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass
from fractions import Fraction

from flint import fmpq

from persuasion.lp import LinearProgram, LPResult, solve
from persuasion.lp.warm import WarmLP
from persuasion.numbers import fmt
from persuasion.obedience import Candidate, best_response_program
from persuasion.problem import ResponseVector, SenderProblem
from persuasion.rationals import to_fmpq as _q, to_fraction as _fraction
from persuasion.room import room

NODE_LIMIT = 5000
"""Most branch-and-bound nodes solved before the search gives up (the caller then falls back)."""

ZERO = Fraction(0)


@dataclass(frozen=True)
class Leaf:
    """A leaf's multipliers: ``mu`` per ``x_B``, ``lambdas`` ``(k, t, b, y)``, ``rho``, the floor's
    ``f``, and the bound they prove."""

    mu: tuple[Fraction, ...]
    lambdas: tuple[tuple[int, int, int, Fraction], ...]
    rho: Fraction
    floor: Fraction
    bound: Fraction


@dataclass(frozen=True)
class Branch:
    """A node that fixes ``b_vector`` to 1 in ``inside`` and to 0 in ``outside``."""

    vector: int
    inside: Leaf | Branch
    outside: Leaf | Branch


@dataclass(frozen=True)
class Tree:
    """A branch-and-bound tree over the relaxation: ``root``, the value the search found, and the
    ``vectors`` its nodes number."""

    root: Leaf | Branch
    value: Fraction
    vectors: tuple[ResponseVector, ...]

    def leaves(self) -> list[Leaf]:
        """Every leaf, depth first (``inside`` before ``outside``)."""
        found, stack = [], [self.root]
        while stack:
            node = stack.pop()
            if isinstance(node, Leaf):
                found.append(node)
            else:
                stack += [node.outside, node.inside]
        return found

    @property
    def bound(self) -> Fraction:
        """The largest leaf bound: no scheme with at most ``m`` messages is worth more."""
        return max(leaf.bound for leaf in self.leaves())

    @property
    def proven(self) -> bool:
        """Does the tree alone prove :attr:`value` optimal (every leaf bound at most the value)?"""
        return self.bound <= self.value

    def to_witness(self, vectors: list[ResponseVector] | None = None) -> dict | None:
        """The ``"tree"`` value of an upper-bound witness (module docstring), its vectors numbered
        as in ``vectors`` (default: :attr:`vectors`); None if one of the tree's vectors is not
        listed there."""
        number = {r: k for k, r in enumerate(vectors if vectors is not None else self.vectors)}
        if not number.keys() >= set(self.vectors):
            return None
        renumber = [number[r] for r in self.vectors]

        def node(n):
            if isinstance(n, Branch):
                return {"branch": renumber[n.vector], "in": node(n.inside), "out": node(n.outside)}
            leaf = {
                "mu": [fmt(v) for v in n.mu],
                "lambda": [[renumber[k], t, b, fmt(y)] for k, t, b, y in n.lambdas],
                "rho": fmt(n.rho),
            }
            if n.floor:
                leaf["floor"] = fmt(n.floor)
            return leaf

        return node(self.root)


@dataclass(frozen=True)
class Outcome:
    """The search's answer: the exact ``value``, its optimal ``chosen`` set (with room), its exact
    LP, the tree, and the ``candidates`` (:class:`persuasion.obedience.Candidate`, smallest first):
    one of them holds the messages of every scheme with at most ``m`` messages worth ``value``
    (:func:`_candidates`), for the attainment step."""

    value: Fraction
    chosen: list[ResponseVector]
    result: LPResult
    tree: Tree
    candidates: list[Candidate]


def excess(
    problem: SenderProblem,
    vectors: list[ResponseVector],
    outside: frozenset[int],
    mu,
    lambdas,
    floor: Fraction = ZERO,
    objective: list[list[Fraction]] | None = None,
) -> dict[int, list[fmpq]]:
    """``v_k(x_B) = val_k(x_B) + f alice_k(x_B) - mu(x_B) + sum_{lambda on k} y g(x_B)`` for every
    ``k`` not ``outside``: what vector ``k``'s message at ``x_B`` adds above ``mu`` (tree.md).
    ``objective``: every vector's :meth:`persuasion.problem.SenderProblem.sender_column`, if already
    known (as :class:`~fractions.Fraction` or ``fmpq``).

    Exact, in python-flint's rationals (``fmpq``, about ten times faster than
    :class:`~fractions.Fraction` here, where every node of the branch and
    bound asks for every vector)."""
    if floor < 0 or any(y < 0 for *_, y in lambdas):
        raise ValueError("multipliers of the wrong sign")
    nb = problem.num_features
    extra: dict[int, list[fmpq]] = {}
    for k, t, b, y in lambdas:
        row = extra.setdefault(k, [fmpq()] * nb)
        a, y = vectors[k][t], _q(y)
        for xb, g in _advantages(problem, t, a, b).items():
            row[xb] += y * g
    mu, floor = [_q(m) for m in mu], _q(floor)
    found = {}
    for k, r in enumerate(vectors):
        if k in outside:
            continue
        value = objective[k] if objective is not None else problem.sender_column(r)
        v = [_q(value[xb]) - mu[xb] for xb in range(nb)]
        more = extra.get(k)
        if more is not None:
            v = [u + w for u, w in zip(v, more, strict=True)]
        if floor:
            v = [u + floor * _q(c) for u, c in zip(v, problem.alice_column(r), strict=True)]
        found[k] = v
    return found


def _advantages(problem: SenderProblem, t: int, a: int, other: int) -> dict[int, fmpq]:
    """The non-zero ``g(x_B)`` of Alice's preference for ``a`` over ``other`` in situation ``t``
    (:meth:`~persuasion.problem.SenderProblem.advantage`)."""
    for b, _, coefficients in problem.obedience(t, a):
        if b == other:
            return {xb: _q(g) for xb, g in coefficients.items()}
    raise ValueError(f"no obedience row for action {other} against {a}")


def leaf_bound(
    problem: SenderProblem,
    vectors: list[ResponseVector],
    fixed_in: frozenset[int],
    fixed_out: frozenset[int],
    mu,
    lambdas,
    rho: Fraction,
    floor: Fraction = ZERO,
    objective=None,
) -> Fraction:
    """The bound the multipliers prove on every scheme whose set of vectors lies in the box.

    ``sum mu - f floor + m rho + sum_{k inside} (s_k - rho) + sum_{k free} max(0, s_k - rho)`` with
    ``s_k = sum_x_B max(0, v_k(x_B))`` (:func:`excess`), the most vector ``k`` can add above ``mu``
    at full weight. Valid for any ``lambda, rho, f >= 0`` (tree.md's weak-duality argument), so the
    caller needs no solver's word.
    """
    if rho < 0:
        raise ValueError("multipliers of the wrong sign")
    total = sum(mu, ZERO) + problem.messages * rho
    if floor:
        total -= floor * problem.alice_floor
    zero, rho_q, added = (
        fmpq(),
        _q(rho),
        fmpq(),
    )  # the vectors' terms summed in fmpq, converted once
    for k, v in excess(problem, vectors, fixed_out, mu, lambdas, floor, objective).items():
        surplus = sum((u for u in v if u > 0), zero) - rho_q  # s_k - rho
        added += surplus if k in fixed_in or surplus > 0 else zero
    return total + _fraction(added)


@dataclass
class _Node:
    """One node while the search runs: its box, its relaxation's answer, and (once branched) its
    children."""

    inside: frozenset[int]
    outside: frozenset[int]
    bound: Fraction | None = None
    multipliers: tuple | None = (
        None  # (mu, lambdas, rho, floor); None for an infeasible box until the end
    )
    farkas: tuple | None = None
    support: list[int] | None = None
    mass: dict[int, Fraction] | None = None
    exhausted: bool = False
    branch: int | None = None
    children: tuple[_Node, _Node] | None = None


class _Relaxation:
    """The relaxation over every vector, built once; a box turns ``b_k <= 1`` into ``b_k == 1``
    (inside) or ``b_k <= 0`` (outside), is solved exactly, warm-started from the last box
    (:class:`persuasion.lp.warm.WarmLP`), and its multipliers are read from the duals."""

    def __init__(self, problem: SenderProblem, vectors: list[ResponseVector]):
        self.problem, self.vectors = problem, vectors
        self.objective = [problem.sender_column(r) for r in vectors]
        self.objective_q = [
            [_q(c) for c in column] for column in self.objective
        ]  # for every node's bound
        nb = problem.num_features
        lp = LinearProgram(sense="max")
        phi = [
            [lp.add_variable(objective=c) for c in self.objective[k]] for k in range(len(vectors))
        ]
        self.budget = [lp.add_variable() for _ in vectors]
        self.obedience: list[tuple[int, int, int, int]] = []  # (row, k, t, b)
        self.cap: list[int] = []  # the row b_k <= 1 of every vector
        for k, r in enumerate(vectors):
            rows = [
                (t, other, ([phi[k][xb] for xb in xbs], nums, 0, scale))
                for t, a in enumerate(r)
                for other, _, xbs, nums, scale in problem.obedience_rows(t, a, implied=False)
            ]
            added = lp.add_scaled_constraints([row for *_, row in rows], ">=")
            self.obedience += [
                (index, k, t, other) for index, (t, other, _) in zip(added, rows, strict=True)
            ]
            b = self.budget[
                k
            ]  # after every phi: the rows' columns are ascending, as the builder needs
            self.cap.append(
                lp.add_scaled_constraints(
                    [((b,), (1,), 1, 1)] + [((v, b), (1, -1), 0, 1) for v in phi[k]], "<="
                )[0]
            )  # b_k <= 1, then phi_k(x_B) <= b_k
        self.sums = list(
            lp.add_scaled_constraints(
                [(tuple(p[xb] for p in phi), (1,) * len(phi), 1, 1) for xb in range(nb)], "=="
            )
        )
        self.rho_row = lp.add_scaled_constraints(
            [(tuple(self.budget), (1,) * len(vectors), problem.messages, 1)], "<="
        )[0]
        self.floor_row = None
        if problem.alice_floor is not None:
            row: dict[int, Fraction] = {}
            for k, p in enumerate(phi):
                for xb, c in enumerate(problem.alice_column(vectors[k])):
                    if c:
                        row[p[xb]] = c
            self.floor_row = lp.add_constraint(row, ">=", problem.alice_floor)
        self.phi, self.lp = phi, WarmLP(lp.freeze())

    def solve(self, node: _Node) -> None:
        problem = self.problem
        box = {self.cap[k]: ("==", 1) for k in node.inside} | {
            self.cap[k]: ("<=", 0) for k in node.outside
        }
        result = self.lp.solve(box)
        y = result.y
        multipliers = (
            tuple(y[i] for i in self.sums),
            tuple(
                (k, t, b, -y[i]) for i, k, t, b in self.obedience if y[i] and k not in node.outside
            ),
            y[self.rho_row],
            -y[self.floor_row] if self.floor_row is not None else ZERO,
        )
        if result.status == "optimal":
            node.multipliers = multipliers
            node.bound = leaf_bound(
                problem,
                self.vectors,
                node.inside,
                node.outside,
                *multipliers,
                objective=self.objective_q,
            )
            node.mass = {
                k: max(result.x[v] for v in p)
                for k, p in enumerate(self.phi)
                if k not in node.outside
            }
            node.support = [k for k, u in node.mass.items() if u]
        elif result.status == "infeasible":
            node.farkas = (
                multipliers  # a ray of the relaxation's dual: finished against the final value
            )
        else:
            raise RuntimeError(
                f"a branch-and-bound relaxation is {result.status}; it is always bounded"
            )

    def infeasible_leaf(self, node: _Node, target: Fraction) -> tuple:
        """Multipliers bounding an empty box by at most ``target``: ``D0 + scale * ray``.

        ``D0`` (``mu`` the best value per ``x_B``, nothing else) bounds the box by
        ``sum mu``; the Farkas ray ``node.farkas`` of the box's dual bounds it by
        ``L0 < 0`` with every value taken as zero.  The tree formula is a
        maximum over the box of a function linear in the multipliers, so it is
        at most ``sum mu + scale * L0`` at ``D0 + scale * ray``.  (Should the ray
        not give ``L0 < 0``, ``D0`` alone: still a valid bound.)
        """
        problem, vectors, nb = self.problem, self.vectors, self.problem.num_features
        mu0 = tuple(
            max(
                [ZERO]
                + [self.objective[k][xb] for k in range(len(vectors)) if k not in node.outside]
            )
            for xb in range(nb)
        )
        mu_r, lambdas_r, rho_r, floor_r = node.farkas
        zero = [[ZERO] * nb for _ in vectors]
        ray = leaf_bound(
            problem, vectors, node.inside, node.outside, mu_r, lambdas_r, rho_r, floor_r, zero
        )
        if ray >= 0:
            return mu0, (), ZERO, ZERO
        scale = max(ZERO, (sum(mu0, ZERO) - target) / -ray) + 1
        return (
            tuple(a + scale * b for a, b in zip(mu0, mu_r, strict=True)),
            tuple((k, t, b, scale * y) for k, t, b, y in lambdas_r),
            scale * rho_r,
            scale * floor_r,
        )


def branch_and_bound(problem: SenderProblem, vectors: list[ResponseVector]) -> Outcome | None:
    """The best ``LP(S)`` over sets ``S`` of at most ``m`` of ``vectors`` with room, by exact branch
    and bound.

    Returns None when no set has room (only under an Alice floor) or past
    :data:`NODE_LIMIT` nodes.  See the module docstring for the search and
    what the tree proves.
    """
    m = problem.messages
    relaxation = _Relaxation(problem, vectors)
    incumbent = _Incumbent(problem, vectors)
    root = _Node(frozenset(), frozenset())
    relaxation.solve(root)
    heap, counter, solved = [], itertools.count(), 1
    if root.bound is not None:
        heapq.heappush(heap, (-root.bound, next(counter), root))
        if not incumbent.covers(root.bound):  # round the root: its m heaviest vectors
            heaviest = sorted(root.support, key=lambda k: -root.mass[k])[:m]
            incumbent.offer(sorted(heaviest))
    while heap:
        _, _, node = heapq.heappop(heap)
        if incumbent.covers(node.bound):
            break  # every open node's bound is this one's or smaller: all leaves
        k = _branching_vector(node, len(vectors), m, incumbent)
        if k is None:
            continue
        if solved + 2 > NODE_LIMIT:
            return None
        node.branch = k
        node.children = (
            _Node(node.inside | {k}, node.outside),
            _Node(node.inside, node.outside | {k}),
        )
        for child in node.children:
            relaxation.solve(child)
            solved += 1
            if child.bound is not None:
                heapq.heappush(heap, (-child.bound, next(counter), child))
    if incumbent.value is None:
        return None
    value = incumbent.value
    chosen = [vectors[k] for k in incumbent.subset]
    tree = Tree(_freeze(root, relaxation, value), value, tuple(vectors))
    return Outcome(value, chosen, incumbent.result, tree, _candidates(root, relaxation, value))


class _Incumbent:
    """The best set with room found so far: its value, its vectors' indices, its exact LP result."""

    def __init__(self, problem: SenderProblem, vectors: list[ResponseVector]):
        self.problem, self.vectors = problem, vectors
        self.value: Fraction | None = None
        self.subset: list[int] | None = None
        self.result = None

    def covers(self, bound: Fraction) -> bool:
        """Is ``bound`` no better than the incumbent (so its node cannot improve on it)?"""
        return self.value is not None and bound <= self.value

    def offer(self, subset: list[int]) -> None:
        """Keep the set ``subset`` if its exact ``LP`` beats the incumbent and it has room."""
        chosen = [self.vectors[k] for k in subset]
        result = solve(best_response_program(self.problem, chosen).lp)
        if result.status != "optimal" or self.covers(result.value):
            return
        if room(self.problem, chosen) is not None:
            self.value, self.subset, self.result = result.value, subset, result


def _branching_vector(node: _Node, num_vectors: int, m: int, incumbent: _Incumbent) -> int | None:
    """The vector to branch ``node`` on, or None when the node is settled without branching.

    When the relaxation's support (with the vectors fixed inside) fits in ``m`` messages, its
    set is offered to the incumbent first; a box whose sets all lie within the vectors inside
    is settled by offering every one of them (``node.exhausted``).  Otherwise the free vector
    whose weight is farthest from integral is chosen.
    """
    free = [k for k in range(num_vectors) if k not in node.inside and k not in node.outside]
    support = set(node.support) | node.inside
    if len(support) > m:
        return max(
            (k for k in node.support if k in free),
            key=lambda k: (min(node.mass[k], 1 - node.mass[k]), node.mass[k]),
        )
    incumbent.offer(sorted(node.support))  # the optimum is a set's own LP value
    if incumbent.covers(node.bound):
        return None
    if len(node.inside) == m or not free:
        node.exhausted = True  # the box's sets are subsets of the vectors inside: try them all
        for size in range(len(node.inside), 0, -1):
            for subset in itertools.combinations(sorted(node.inside), size):
                incumbent.offer(list(subset))
        return None
    candidates = [k for k in node.support if k in free] or free
    return candidates[0]


def _freeze(node: _Node, relaxation: _Relaxation, value: Fraction) -> Leaf | Branch:
    if node.children is not None:
        inside, outside = node.children
        return Branch(
            node.branch, _freeze(inside, relaxation, value), _freeze(outside, relaxation, value)
        )
    multipliers = node.multipliers or relaxation.infeasible_leaf(node, value)
    bound = (
        node.bound
        if node.multipliers
        else leaf_bound(
            relaxation.problem,
            relaxation.vectors,
            node.inside,
            node.outside,
            *multipliers,
            relaxation.objective,
        )
    )
    mu, lambdas, rho, floor = multipliers
    return Leaf(mu, lambdas, rho, floor, bound)


def _candidates(root: _Node, relaxation: _Relaxation, value: Fraction) -> list[Candidate]:
    """Per leaf that may hold a scheme worth ``value``, the vectors such a scheme can use, and
    where.

    A scheme with at most ``m`` messages worth ``value`` lies in one leaf's box
    and, with ``b`` its set's indicator, is an optimal point of that leaf's
    relaxation when the leaf's bound is ``value`` (a leaf bounded below
    ``value`` holds none).  The leaf's multipliers, completed by ``sigma =
    max(0, v)`` and ``tau_k = max(0, s_k - rho)``, are then an optimal dual
    solution, and complementary slackness holds between the two: ``b_k = 0``
    where ``s_k < rho`` (only the vectors inside and the free ones with ``s_k
    >= rho`` can be used); ``phi_k(x_B) = 0`` where ``v_k(x_B) < 0``
    (:func:`excess`); and every obedience row with ``lambda > 0`` holds with
    equality -- if it is strict, Alice is indifferent there and her
    tie-break leaves the vector (Definition 4), so a scheme that induces its
    vectors, as an attaining one does, does not use it.  An exhausted leaf
    (its bound may be above ``value``) holds subsets of the vectors inside.
    """
    problem, vectors = relaxation.problem, relaxation.vectors
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if node.children is not None:
            stack += node.children
            continue
        if node.bound is None or node.bound < value:
            continue
        if node.exhausted:
            found.append(Candidate(tuple(vectors[k] for k in sorted(node.inside))))
            continue
        mu, lambdas, rho, floor = node.multipliers
        v = excess(problem, vectors, node.outside, mu, lambdas, floor, relaxation.objective_q)
        tight = {k for k, t, b, y in lambdas if y and problem.rank(b) < problem.rank(vectors[k][t])}
        chosen, sent_at = [], []
        for k in sorted(v):
            where = frozenset(xb for xb, u in enumerate(v[k]) if u >= 0)
            if (
                (k in node.inside or _fraction(sum((u for u in v[k] if u > 0), fmpq())) >= rho)
                and k not in tight
                and where
            ):
                chosen.append(vectors[k])
                sent_at.append(where)
        found.append(Candidate(tuple(chosen), tuple(sent_at)))
    return sorted(set(found), key=lambda c: (len(c.vectors), c.vectors))
