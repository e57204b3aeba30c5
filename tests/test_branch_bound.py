"""The exact branch and bound over sets of response vectors: the same value as the set enumeration,
and a tree whose every leaf bound, re-derived here by tree.md's formula, is at most that value."""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction as F

from hypothesis import given, settings, strategies as st

import persuasion.branch_bound as bnb
import persuasion.limited as limited_module
from persuasion.cells import certified_responses
from persuasion.inducible import inducible_responses
from persuasion.model import silent_profile
from persuasion.problem import deviation_problem
from persuasion.room import room
from persuasion.testing import instances, profiles, rationals

from test_sender import indifferent_instances, limited_settings


def tree_bound(problem, vectors, node, inside=frozenset(), outside=frozenset()):
    """tree.md's bound of a tree witness (its JSON), written out independently: every leaf's bound,
    with the path's fixings checked (a branch fixes a vector not yet fixed) and every path covered
    (both children).

    A leaf's optional ``"floor"`` multiplier ``f`` adds ``f * alice_k`` to each ``val_k`` and
    subtracts ``f * floor`` (the Alice-floor extension)."""
    if "branch" in node:
        k = node["branch"]
        assert set(node) == {"branch", "in", "out"} and 0 <= k < len(vectors)
        assert k not in inside and k not in outside
        return [
            *tree_bound(problem, vectors, node["in"], inside | {k}, outside),
            *tree_bound(problem, vectors, node["out"], inside, outside | {k}),
        ]
    assert set(node) <= {"mu", "lambda", "rho", "floor"}
    mu, rho = [F(v) for v in node["mu"]], F(node["rho"])
    f = F(node.get("floor", 0))
    assert rho >= 0 and f >= 0 and len(mu) == problem.num_features
    total = sum(mu) + problem.messages * rho - (f * problem.alice_floor if f else 0)
    for k, r in enumerate(vectors):
        if k in outside:
            continue
        column = []
        for xb in range(problem.num_features):
            v = (
                sum(problem.sender_values[t][xb][r[t]] for t in range(problem.num_situations))
                - mu[xb]
            )
            if f:
                v += f * sum(
                    problem.alice_values[t][xb][r[t]] for t in range(problem.num_situations)
                )
            column.append(v)
        for j, t, b, y in node["lambda"]:
            y = F(y)
            assert j not in outside and y >= 0 and b != vectors[j][t]
            if j == k:
                for xb in range(problem.num_features):
                    column[xb] += y * (
                        problem.alice_values[t][xb][r[t]] - problem.alice_values[t][xb][b]
                    )
        s = sum(max(F(0), v) for v in column)
        total += s - rho if k in inside else max(F(0), s - rho)
    return [total]


def limited_problems():
    """Small limited-message problems: ties, zero cells, Alice features, an Alice floor (Section
    E)."""

    @st.composite
    def build(draw):
        inst = draw(
            st.one_of(
                indifferent_instances(),
                instances(max_states=3, max_actions=3, max_senders=2, max_alice_features=2),
            )
        )
        profile = (
            draw(profiles(inst))
            if len(inst.senders) > 1 and draw(st.booleans())
            else silent_profile(inst)
        )
        problem = deviation_problem(inst, profile, 0)
        return dataclasses.replace(
            problem,
            messages=draw(st.integers(1, max(1, problem.num_features - 1))),
            alice_floor=draw(st.none() | st.none() | rationals(4, -1, 1)),
            floor_strict=draw(st.booleans()),
        )

    return build()


@settings(max_examples=60, deadline=None)
@given(limited_problems())
def test_branch_and_bound_equals_the_set_enumeration(problem):
    vectors = inducible_responses(problem)
    exact = limited_module.by_subsets(problem, vectors)
    found = bnb.branch_and_bound(problem, vectors)
    if exact is None:
        assert found is None
        return
    assert found is not None and found.value == exact[0]
    assert len(found.chosen) <= problem.messages and room(problem, found.chosen) is not None
    assert found.result.value == found.value
    bounds = tree_bound(problem, vectors, found.tree.to_witness())
    assert max(bounds) == found.tree.bound
    assert found.tree.proven == (max(bounds) <= found.value)
    if found.tree.proven:
        assert max(bounds) == found.value


@settings(max_examples=30, deadline=None)
@given(limited_problems(), rationals(4, -3, 3), st.data())
def test_an_empty_box_is_bounded_below_any_target(problem, target, data):
    """A box no scheme fits (every vector out but a few, which cannot cover every x_B or the floor)
    gets multipliers from its Farkas certificate whose bound, by tree.md's formula, is at most the
    target."""
    vectors = inducible_responses(problem)
    kept = data.draw(st.sets(st.integers(0, len(vectors) - 1), max_size=1))
    relaxation = bnb._Relaxation(problem, vectors)
    node = bnb._Node(frozenset(), frozenset(range(len(vectors))) - kept)
    relaxation.solve(node)
    if node.bound is not None:
        return  # the kept vector covers every x_B: not empty
    mu, lambdas, rho, floor = relaxation.infeasible_leaf(node, target)
    leaf = {
        "mu": [str(v) for v in mu],
        "lambda": [[k, t, b, str(y)] for k, t, b, y in lambdas],
        "rho": str(rho),
    }
    if floor:
        leaf["floor"] = str(floor)
    assert tree_bound(problem, vectors, leaf, frozenset(), node.outside) == [
        bnb.leaf_bound(problem, vectors, frozenset(), node.outside, mu, lambdas, rho, floor)
    ]
    assert tree_bound(problem, vectors, leaf, frozenset(), node.outside)[0] <= target


def test_past_the_subset_limit_the_value_is_proven_exactly_where_a_milp_only_claimed_it():
    """99 inducible vectors, 2 messages: 4,950 sets, past SUBSET_LIMIT. The MILP route (as before)
    gives the same value but only as the solver's claim, below the LP over every vector; the branch
    and bound proves it (every leaf's bound, re-derived here, is at most the value)."""
    from persuasion.experiments.families import Size, generate, random_profile
    from persuasion.sender import best_response

    from test_sender import ETA, subset_limit

    inst = generate("random", 3, Size(3, 4, 4))
    problem = dataclasses.replace(deviation_problem(inst, random_profile(inst, 3), 0), messages=2)
    vectors = certified_responses(problem)  # the reference's list, faster (tests/test_cells.py)
    assert len(vectors) + math.comb(len(vectors), 2) > limited_module.SUBSET_LIMIT
    best = best_response(problem, ETA)
    assert (best.method, best.optimality, best.value) == ("branch-and-bound", "exact", F(246, 1075))
    unlimited = best_response(dataclasses.replace(problem, messages=problem.num_features), ETA)
    assert best.value < unlimited.value
    with subset_limit(0):
        milp = best_response(problem, ETA)
    assert (milp.method, milp.optimality, milp.value) == ("milp", "milp-solver", best.value)
    assert (
        best.tree.proven and max(tree_bound(problem, vectors, best.tree.to_witness())) == best.value
    )
    phis = [phi for _, phi in best.columns]
    assert len(phis) <= 2 and problem.actual_value(phis) == best.achieved >= best.value - ETA


@settings(max_examples=30, deadline=None)
@given(limited_problems())
def test_past_the_node_limit_the_search_gives_up_and_the_fallback_decides(problem):
    """With room for no branching (``NODE_LIMIT = 1``) the search answers only when its root closes;
    otherwise None, and ``limited_supremum`` falls back to the enumeration, with the same value."""
    vectors = inducible_responses(problem)
    found = bnb.branch_and_bound(problem, vectors)
    old, bnb.NODE_LIMIT = bnb.NODE_LIMIT, 1
    try:
        limited = bnb.branch_and_bound(problem, vectors)
        with limited_settings(SUBSETS_FIRST=0):
            fallback = limited_module.limited_supremum(problem, vectors)
    finally:
        bnb.NODE_LIMIT = old
    if found is None:
        assert limited is None and fallback is None
        return
    assert (limited is None) == isinstance(found.tree.root, bnb.Branch)
    assert fallback[0] == found.value
    assert fallback[4] == ("lp+subsets" if limited is None else "branch-and-bound")


@settings(max_examples=120, deadline=None)
@given(limited_problems(), st.data())
def test_attainment_over_the_pruned_candidates_agrees_with_every_optimal_set(problem, data):
    """Complementary slackness prunes where attainment looks
    (:class:`persuasion.obedience.Candidate`: the LP's and the tree leaves' zero reduced costs and
    tight strict rows); deciding attainment over every optimal set of at most ``m`` vectors, nothing
    pruned, gives the same answer."""
    from persuasion.room import good_solution
    from persuasion.sender import best_response

    if data.draw(
        st.booleans()
    ):  # enough messages too: attainment then looks at the LP's candidate only
        problem = dataclasses.replace(problem, messages=problem.num_features + 1)
    found = best_response(problem, F(1, 1000))
    if found is None or found.attained is None:
        return
    sets = limited_module.optimal_sets(problem, inducible_responses(problem))
    if sets is None:
        return
    reference = any(
        (good := good_solution(problem, s, found.value)) is not None
        and len(good) <= problem.messages
        for s in sets
    )
    assert found.attained == reference


def _within(columns, candidate) -> bool:
    """Is every message of the scheme one of the candidate's vectors, sent only where it may be?"""
    where = dict(
        zip(candidate.vectors, candidate.sent_at or [None] * len(candidate.vectors), strict=True)
    )
    return all(
        r in where and (where[r] is None or all(xb in where[r] for xb, p in enumerate(phi) if p))
        for r, phi in columns
    )


@settings(max_examples=100, deadline=None)
@given(limited_problems())
def test_the_lp_candidate_holds_every_scheme_worth_the_lp_optimum(problem):
    """:meth:`persuasion.obedience.Program.usable`: a scheme over every vector that reaches the LP's
    optimum with every message strictly induced exists exactly when one exists within the candidate,
    and lies within it."""
    from persuasion.lp import solve
    from persuasion.obedience import best_response_program
    from persuasion.room import good_solution

    vectors = inducible_responses(problem)
    program = best_response_program(problem, vectors)
    result = solve(program.lp)
    if result.status != "optimal":
        return
    candidate = program.usable(result, vectors)
    everywhere = good_solution(problem, vectors, result.value)
    within = good_solution(problem, list(candidate.vectors), result.value, candidate.sent_at)
    assert (everywhere is None) == (within is None)
    if everywhere is not None:
        assert _within(everywhere, candidate) and _within(within, candidate)


@settings(max_examples=100, deadline=None)
@given(limited_problems())
def test_the_tree_candidates_hold_every_scheme_worth_the_value(problem):
    """:func:`persuasion.branch_bound._candidates`: every optimal set's scheme that reaches the
    value with every message strictly induced lies within one of the tree's candidates."""
    from persuasion.room import good_solution

    vectors = inducible_responses(problem)
    found = bnb.branch_and_bound(problem, vectors)
    exact = limited_module.by_subsets(problem, vectors)
    if found is None or exact is None:
        return
    for s in exact[3]:
        good = good_solution(problem, s, found.value)
        if good is not None:
            assert any(_within(good, c) for c in found.candidates)


@settings(max_examples=60, deadline=None)
@given(limited_problems(), st.data())
def test_a_margin_program_held_at_zero_somewhere_stores_its_rows_as_add_constraint_would(
    problem, data
):
    """:func:`persuasion.obedience.margin_program` with ``sent_at`` drops some ``x_B`` from an
    obedience row: what is left is stored scaled by the lcm of *its* denominators, as
    :meth:`persuasion.lp.LinearProgram.add_constraint` stores every row (not by the whole row's
    scale), and its columns stay ascending with the margin last."""
    from persuasion.lp.model import scale_to_integers
    from persuasion.obedience import margin_program

    vectors = inducible_responses(problem)[:4]
    sent_at = tuple(
        data.draw(st.frozensets(st.integers(0, problem.num_features - 1))) for _ in vectors
    )
    value = data.draw(st.none() | rationals(4, -1, 1))
    lp = margin_program(problem, vectors, value, sent_at).lp.freeze()
    for (cols, values), nums, rhs, rhs_num, scale in zip(
        lp.rows, lp.row_nums, lp.rhs, lp.rhs_nums, lp.row_scale, strict=True
    ):
        assert list(cols) == sorted(set(cols))
        assert (nums, rhs_num, scale) == scale_to_integers(values, rhs)


def _relaxation_row_by_row(problem, vectors):
    """The relaxation's LP as the module's docstring states it, built one row at a time by the
    general builder: ``max sum val_k phi_k`` s.t. obedience of every vector (but the rows ``phi >=
    0`` implies: no negative coefficient), ``b_k <= 1`` and ``phi_k(x_B) <= b_k``, ``sum_k
    phi_k(x_B) = 1``, ``sum_k b_k <= m`` (and Alice's floor)."""
    from persuasion.lp import LinearProgram

    lp = LinearProgram(sense="max")
    phi = [[lp.add_variable(objective=c) for c in problem.sender_column(r)] for r in vectors]
    budget = [lp.add_variable() for _ in vectors]
    for k, r in enumerate(vectors):
        for t, a in enumerate(r):
            for _, _, coefficients in problem.obedience(t, a):
                if any(g < 0 for g in coefficients.values()):
                    lp.add_constraint({phi[k][xb]: g for xb, g in coefficients.items()}, ">=", 0)
        lp.add_constraint({budget[k]: 1}, "<=", 1)
        for v in phi[k]:
            lp.add_constraint({v: 1, budget[k]: -1}, "<=", 0)
    for xb in range(problem.num_features):
        lp.add_constraint({p[xb]: 1 for p in phi}, "==", 1)
    lp.add_constraint({b: 1 for b in budget}, "<=", problem.messages)
    if problem.alice_floor is not None:
        lp.add_constraint(
            {
                p[xb]: c
                for p, r in zip(phi, vectors, strict=True)
                for xb, c in enumerate(problem.alice_column(r))
                if c
            },
            ">=",
            problem.alice_floor,
        )
    return lp.freeze()


@given(st.data())
def test_the_relaxation_is_the_lp_written_row_by_row(data):
    """Its rows are added in blocks of integers already scaled (to save the general builder's
    conversions): the same LP, number for number, with and without an Alice floor."""
    inst = data.draw(
        instances(max_states=3, max_actions=3, max_senders=2, max_alice_features=2, max_messages=2)
    )
    problem = deviation_problem(inst, data.draw(profiles(inst)), 0)
    if data.draw(st.booleans()):
        problem = dataclasses.replace(problem, alice_floor=data.draw(rationals(4, -1, 1)))
    vectors = certified_responses(problem)
    assert (
        bnb._Relaxation(problem, vectors).lp.base.content
        == _relaxation_row_by_row(problem, vectors).content
    )


@given(st.data())
def test_the_value_lp_without_the_implied_rows_is_the_lp_with_every_row(data):
    """The obedience LP leaves out the rows with no negative coefficient (``phi >= 0`` satisfies
    them): the same optimum as with every row, with and without an Alice floor."""
    from persuasion.lp import LinearProgram, solve
    from persuasion.obedience import best_response_program

    inst = data.draw(
        instances(max_states=3, max_actions=3, max_senders=2, max_alice_features=2, max_messages=2)
    )
    problem = deviation_problem(inst, data.draw(profiles(inst)), 0)
    if data.draw(st.booleans()):
        problem = dataclasses.replace(problem, alice_floor=data.draw(rationals(4, -1, 1)))
    vectors = certified_responses(problem)
    every = LinearProgram(sense="max")
    phi = [[every.add_variable(objective=c) for c in problem.sender_column(r)] for r in vectors]
    for k, r in enumerate(vectors):
        for t, a in enumerate(r):
            for _, _, coefficients in problem.obedience(t, a):
                if coefficients:
                    every.add_constraint({phi[k][xb]: g for xb, g in coefficients.items()}, ">=", 0)
    for xb in range(problem.num_features):
        every.add_constraint({p[xb]: 1 for p in phi}, "==", 1)
    if problem.alice_floor is not None:
        every.add_constraint(
            {
                p[xb]: c
                for p, r in zip(phi, vectors, strict=True)
                for xb, c in enumerate(problem.alice_column(r))
                if c
            },
            ">=",
            problem.alice_floor,
        )
    kept, full = solve(best_response_program(problem, vectors).lp), solve(every)
    assert (kept.status, kept.value) == (full.status, full.value)
