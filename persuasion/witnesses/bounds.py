"""Certificates that bound a sender's best-response value from above.

An upper-bound witness proves ``sup over schemes <= sum_x_B mu(x_B)`` for one
sender problem (:mod:`persuasion.problem`) with two pieces of data that
:mod:`persuasion.checker.bounds` re-verifies without a solver (situations are
numbered as the problem numbers them, which is the kernel's order too):

* **Completeness.** Every response vector is either listed in ``vectors`` or
  extends a *pruned* partial assignment that no message can induce.  Each
  pruned assignment carries Motzkin multipliers ``Y >= 0`` (one per
  obedience row, strict or weak) and ``z >= 0`` with ``sum_strict Y + z = 1``
  and ``sum Y g(x_B) + z <= 0`` for every ``x_B``: a message ``nu`` inducing
  the assignment would make ``sum Y g . nu`` both ``> 0`` (or ``>= 0`` with
  ``z > 0``) and ``<= -z``.
* **Dual bound.** Multipliers ``mu(x_B)`` (free) and ``lambda >= 0`` on the
  obedience rows of every listed vector ``r`` with ``val_r(x_B) - mu(x_B) +
  sum lambda g(x_B) <= 0``.  Any scheme splits into messages that induce
  listed vectors ``r`` with weights ``phi_r`` in ``r``'s obedience cone, so
  its value ``sum_r val_r . phi_r <= sum_r mu . phi_r = sum mu``.  With a
  message limit, one set of multipliers per set of vectors a scheme could
  use (:func:`upper_bound_witness`), or -- when there are too many sets -- a
  branch-and-bound ``tree`` over the vectors a scheme uses, with the dual of
  the LP relaxation at every leaf: the tree with which the best response's
  own branch and bound proved its value (:mod:`persuasion.branch_bound`),
  when there is one the kernel can read, else one searched here
  (:func:`leaf_dual`, :func:`tree_witness`).

The multipliers solve the dual of the obedience LP
(:func:`persuasion.obedience.best_response_program`) exactly.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

from persuasion import limits
from persuasion.branch_bound import Branch, Tree
from persuasion.cells import certified_responses
from persuasion.lp import LPResult, LinearProgram, solve
from persuasion.numbers import fmt
from persuasion.problem import ResponseVector, SenderProblem
from persuasion.limited import SUBSET_LIMIT

TREE_NODE_LIMIT = SUBSET_LIMIT
"""Most nodes (one exact LP each) of a branch-and-bound tree witness: no more LPs than the
set witness it replaces may take.  A tree still open then keeps its open nodes as leaves: a
valid bound, above the optimum."""

TREE_LP_LIMIT = 1_000_000
"""Most LP columns the nodes of a tree witness may solve together (a node's relaxation has
``|X_B| + 1 + T (|A| - 1)`` columns per vector not fixed out, at most): about 30 s of exact
LPs on a 2-core machine (measured: a 763-vector root, 46,000 columns, in 1.3 s), so a sender
with hundreds of vectors gets a shallower tree instead of a long wait."""

TREE_DEPTH_LIMIT = limits.MAX_NESTING - 16
"""Deepest branch of a tree witness: a certificate nests the tree about 8 levels down and a
leaf 3 more, and ``persuasion check`` reads no file nested deeper than ``MAX_NESTING``."""


def motzkin(problem: SenderProblem, assignment: list[tuple[int, int]]) -> dict:
    """Multipliers proving that no message induces ``assignment`` (see the module docstring)."""
    lp = LinearProgram(sense="max")
    z = lp.add_variable()
    rows = []
    for t, a in assignment:
        for other, strict, coefficients in problem.obedience(t, a):
            rows.append((t, other, strict, coefficients, lp.add_variable()))
    lp.add_constraint({**{v: 1 for _, _, strict, _, v in rows if strict}, z: 1}, "==", 1)
    for xb in range(problem.num_features):
        row = {v: c[xb] for _, _, _, c, v in rows if xb in c}
        row[z] = Fraction(1)
        lp.add_constraint(row, "<=", 0)
    result = solve(lp)
    if result.status != "optimal":
        raise RuntimeError("a pruned assignment has no Motzkin certificate: the search is wrong")
    return {
        "assignment": [[t, a] for t, a in assignment],
        "z": fmt(result.x[z]),
        "multipliers": [[t, other, fmt(result.x[v])] for t, other, _, _, v in rows if result.x[v]],
    }


def dual_bound(
    problem: SenderProblem, vectors: list[ResponseVector], floor: Fraction | None = None
) -> tuple[list, list, Fraction]:
    """Dual multipliers ``(mu, lambda)`` for the obedience LP over ``vectors``, and ``sum mu``.

    Solves the dual directly: ``min sum mu`` subject to ``val_r(x_B) - mu(x_B)
    + sum lambda g(x_B) <= 0`` for every ``r`` in ``vectors`` and ``x_B``,
    ``lambda >= 0`` (and ``sum mu >= floor`` if given, so that a set whose
    own optimum is lower, or that carries no scheme at all, still gets
    multipliers summing to exactly ``floor``).
    """
    lp = LinearProgram(sense="min")
    mu = [lp.add_variable(objective=1, free=True) for _ in range(problem.num_features)]
    lambdas = []
    for k, r in enumerate(vectors):
        objective = problem.sender_column(r)
        rows = {xb: {mu[xb]: Fraction(-1)} for xb in range(problem.num_features)}
        _add_lambdas(problem, lp, k, r, rows, lambdas, 1)
        for xb, row in rows.items():
            lp.add_constraint(row, "<=", -objective[xb])
    if floor is not None:
        lp.add_constraint({m: 1 for m in mu}, ">=", floor)
    result = solve(lp)
    if result.status != "optimal":
        raise RuntimeError(f"the dual of the best-response LP is {result.status}")
    return (
        [fmt(result.x[m]) for m in mu],
        [[k, t, other, fmt(result.x[v])] for k, t, other, v in lambdas if result.x[v]],
        result.value,
    )


def _add_lambdas(
    problem: SenderProblem,
    lp: LinearProgram,
    k: int,
    r: ResponseVector,
    rows: dict,
    lambdas: list,
    sign: int,
) -> None:
    """A multiplier ``lambda >= 0`` per non-empty obedience row ``(t, b)`` of vector ``k`` (``r``),
    entering the dual row of every ``x_B`` with ``sign * g(x_B)``; recorded in ``lambdas`` as ``(k,
    t, b, variable)``."""
    for t, a in enumerate(r):
        for other, _, coefficients in problem.obedience(t, a):
            if coefficients:
                v = lp.add_variable()
                lambdas.append((k, t, other, v))
                for xb, g in coefficients.items():
                    rows[xb][v] = sign * g


def leaf_dual(
    problem: SenderProblem,
    vectors: list[ResponseVector],
    m: int,
    fixed_in: set[int] | frozenset[int],
    fixed_out: set[int] | frozenset[int],
    ceiling: Fraction | None = None,
) -> tuple[list, list, str, Fraction | None] | None:
    """The exact dual ``(mu, lambda entries, rho, bound)`` of one branch-and-bound leaf.

    The leaf's box is every set ``T`` of at most ``m`` of ``vectors`` (indices) with
    ``fixed_in <= T`` and ``T`` disjoint from ``fixed_out`` (``len(fixed_in) <= m``).  Its
    LP relaxation ``max sum_k val_k . phi_k`` subject to ``sum_k phi_k(x_B) = 1``, the
    obedience rows of every ``k`` not fixed out, ``phi_k(x_B) <= b_k``, ``sum b_k <= m``,
    ``0 <= b_k <= 1`` (``b_k = 1`` fixed in) has the dual solved here: ``min sum mu + m rho
    + sum_{fixed in} (s_k - rho) + sum_{free} max(0, s_k - rho)`` with ``s_k = sum_x max(0,
    val_k(x) - mu(x) + sum lambda g(x))``.  ``bound`` is that minimum, the LP's optimum,
    which :func:`persuasion.checker.bounds.upper_bound` re-derives from ``mu``, ``lambda`` and
    ``rho`` alone (docs/explanation/certificates.md, "The upper-bound witness").

    A box no scheme fits in (the relaxation infeasible, its dual unbounded) gives None, or,
    with a ``ceiling``, multipliers down the dual's ray whose bound is at most ``ceiling``
    (and ``bound`` None).
    """
    found = _leaf(problem, vectors, m, fixed_in, fixed_out, ceiling)
    return None if found is None else found[:4]


def _leaf(
    problem, vectors, m, fixed_in, fixed_out, ceiling=None
) -> tuple[list, list, str, Fraction | None, dict] | None:
    """:func:`leaf_dual`, and the relaxation's optimal mass ``sum_x phi_k(x)`` of every vector not
    fixed out."""
    if len(fixed_in) > m:
        raise ValueError(f"{len(fixed_in)} vectors fixed in, more than the {m} messages")
    lp = LinearProgram(sense="min")
    mu = [lp.add_variable(objective=1, free=True) for _ in range(problem.num_features)]
    rho = lp.add_variable(objective=m - len(fixed_in))
    lambdas, mass_rows = [], {}
    for k, r in enumerate(vectors):
        if k in fixed_out:
            continue
        sigma = [
            lp.add_variable(objective=1 if k in fixed_in else 0)
            for _ in range(problem.num_features)
        ]
        if k not in fixed_in:  # tau_k >= s_k - rho
            lp.add_constraint(
                {lp.add_variable(objective=1): 1, rho: 1, **{v: -1 for v in sigma}}, ">=", 0
            )
        rows = {
            xb: {sigma[xb]: Fraction(1), mu[xb]: Fraction(1)} for xb in range(problem.num_features)
        }
        _add_lambdas(problem, lp, k, r, rows, lambdas, -1)
        objective = problem.sender_column(r)
        mass_rows[k] = [lp.add_constraint(row, ">=", objective[xb]) for xb, row in rows.items()]
    result: LPResult = solve(lp)
    if result.status == "optimal":
        x, bound = result.x, result.value
        mass = {
            k: sum((abs(result.y[i]) for i in found), Fraction(0)) for k, found in mass_rows.items()
        }
    elif result.status == "unbounded":  # an empty box: walk down the dual's ray to the ceiling
        if ceiling is None:
            return None
        cost = result.lp.objective
        at = sum((c * v for c, v in zip(cost, result.x, strict=True)), Fraction(0))
        step = max(
            Fraction(0),
            (at - ceiling)
            / -sum((c * v for c, v in zip(cost, result.ray, strict=True)), Fraction(0)),
        )
        x, bound, mass = [v + step * d for v, d in zip(result.x, result.ray, strict=True)], None, {}
    else:
        raise RuntimeError(f"the dual of a branch-and-bound leaf is {result.status}")
    return (
        [fmt(x[v]) for v in mu],
        [[k, t, other, fmt(x[v])] for k, t, other, v in lambdas if x[v]],
        fmt(x[rho]),
        bound,
        mass,
    )


def tree_witness(
    problem: SenderProblem, vectors: list[ResponseVector], m: int, value: Fraction
) -> tuple[dict, Fraction]:
    """A branch-and-bound tree proving that no scheme with ``m`` messages beats ``value``, and its
    bound.

    Depth-first from the root relaxation (:func:`leaf_dual`), branching on the free vector of
    largest relaxation mass, "in" first.  A node is a leaf when

    * no scheme fits in its box (its multipliers are chosen at the end, bounding it by the tree's
      bound);
    * its bound is at most ``value``;
    * the vectors its relaxation uses (fixed in, or of positive mass) fit in ``m`` messages,
      so branching cannot lower it;
    * or branching could pass a budget, every pending node counted at this node's size:
      :data:`TREE_DEPTH_LIMIT`, :data:`TREE_NODE_LIMIT`, :data:`TREE_LP_LIMIT`, or half the
      kernel's ``MAX_OUTCOME_TERMS`` steps (the other half a margin for longer ``lambda`` lists).

    The bound is the largest leaf bound: ``value`` when the tree closes, otherwise above it
    but never above the root's, which is never above the one-set bound over all vectors.
    """
    root: dict = {}
    stack, empty = [(root, frozenset(), frozenset())], []
    nodes, work, columns, bound = 0, 0, 0, None
    per_vector = problem.num_features + 1 + problem.num_situations * (problem.num_actions - 1)
    while stack:
        node, fixed_in, fixed_out = stack.pop()
        found = _leaf(problem, vectors, m, fixed_in, fixed_out)
        nodes += 1
        depth = len(fixed_in) + len(fixed_out)
        size = (len(vectors) - len(fixed_out)) * per_vector
        columns += size
        if found is None:
            empty.append((node, fixed_in, fixed_out))
            work += 1 + depth + len(vectors) * problem.num_features
            columns += size  # solved again at the end
            continue
        mu, lambdas, rho, leaf_bound, mass = found
        used = set(fixed_in) | {k for k, w in mass.items() if w}
        free = [k for k in sorted(mass, key=lambda k: -mass[k]) if k not in fixed_in and mass[k]]
        # the kernel's count; then the two children and every node on the stack, each at most
        # this size
        leaf_work = 1 + depth + (len(vectors) + len(lambdas)) * problem.num_features
        pending = len(stack) + 2
        over = depth >= TREE_DEPTH_LIMIT or _past_budgets(
            nodes + pending, columns + pending * size, work + pending * leaf_work
        )
        if leaf_bound <= value or len(used) <= m or over:
            node.update({"mu": mu, "lambda": lambdas, "rho": rho})
            bound = leaf_bound if bound is None else max(bound, leaf_bound)
            work += leaf_work
            continue
        work += 1 + depth
        k, inside, outside = free[0], {}, {}
        node.update({"branch": k, "in": inside, "out": outside})
        stack += [(outside, fixed_in, fixed_out | {k}), (inside, fixed_in | {k}, fixed_out)]
    for node, fixed_in, fixed_out in empty:
        mu, lambdas, rho, _, _ = _leaf(problem, vectors, m, fixed_in, fixed_out, bound)
        node.update({"mu": mu, "lambda": lambdas, "rho": rho})
    return root, bound


def _past_budgets(nodes: int, columns: int, work: int) -> bool:
    """Would a tree of ``nodes`` nodes, ``columns`` LP columns solved and ``work`` kernel steps
    pass :data:`TREE_NODE_LIMIT`, :data:`TREE_LP_LIMIT` or half the kernel's
    ``MAX_OUTCOME_TERMS``?"""
    return (
        nodes > TREE_NODE_LIMIT or columns > TREE_LP_LIMIT or work > limits.MAX_OUTCOME_TERMS // 2
    )


def _readable(tree: Tree, num_vectors: int, num_features: int) -> bool:
    """Is ``tree`` within what the kernel reads: no branch deeper than :data:`TREE_DEPTH_LIMIT`, and
    at most half the kernel's ``MAX_OUTCOME_TERMS`` steps (counted as :func:`tree_witness`
    counts)."""
    work, stack = 0, [(tree.root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > TREE_DEPTH_LIMIT:
            return False
        if isinstance(node, Branch):
            work += 1 + depth
            stack += [(node.inside, depth + 1), (node.outside, depth + 1)]
        else:
            work += 1 + depth + (num_vectors + len(node.lambdas)) * num_features
    return work <= limits.MAX_OUTCOME_TERMS // 2


def upper_bound_witness(
    problem: SenderProblem, value: Fraction | None = None, tree: Tree | None = None
) -> tuple[dict, Fraction]:
    """The witness that no scheme is worth more than a bound in ``problem``, and that bound.

    :func:`persuasion.checker.bounds.upper_bound` re-derives the problem from the
    instance and checks the witness.  With enough messages one set of
    multipliers covers all inducible vectors.  With fewer messages ``m`` than
    ``|X_B|`` and a target ``value`` (the optimum found, proven or only a
    MILP solver's word), every set of ``m`` vectors gets its own multipliers
    summing to at least ``value``: a scheme with ``m`` messages induces at
    most ``m`` vectors, all inside one such set.  When there are more than
    :data:`SUBSET_LIMIT` sets, a branch-and-bound tree (:func:`tree_witness`)
    replaces them: its bound is ``value`` when the tree closes within its
    budget -- which proves a MILP's value exact -- otherwise a valid bound
    above it.  ``value`` is only a target: whatever it is, the kernel derives
    a true bound, never below the optimum.  ``tree``: the tree with which the
    best response's branch and bound proved ``value``
    (:attr:`persuasion.sender.BestResponse.tree`), written instead of
    searching again when it proves exactly ``value`` over the same vectors and
    the kernel can read it.
    """
    pruned: list = []
    vectors = certified_responses(problem, pruned)
    m = problem.messages
    witness = {
        "vectors": [list(r) for r in vectors],
        "pruned": [motzkin(problem, assignment) for assignment in pruned],
    }
    limited = m < problem.num_features and m < len(vectors) and value is not None
    if (
        limited
        and tree is not None
        and tree.value == value
        and tree.proven
        and set(tree.vectors) == set(vectors)
        and _readable(tree, len(vectors), problem.num_features)
    ):
        witness["tree"] = tree.to_witness(vectors)
        return witness, tree.bound
    if limited and math.comb(len(vectors), m) > SUBSET_LIMIT:
        witness["tree"], bound = tree_witness(problem, vectors, m, value)
        return witness, bound
    index_sets = [list(range(len(vectors)))]
    if limited:
        index_sets = [list(c) for c in itertools.combinations(range(len(vectors)), m)]
    sets, bound = [], None
    for chosen in index_sets:
        mu, lambdas, total = dual_bound(
            problem, [vectors[k] for k in chosen], value if len(index_sets) > 1 else None
        )
        sets.append({"vectors": chosen, "mu": mu, "lambda": lambdas})
        bound = total if bound is None else max(bound, total)
    witness["sets"] = sets
    return witness, bound
