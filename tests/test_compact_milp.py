"""The float compact MILP: an upper bound of the exact best response, equal to it where ties do not
matter.

The exact reference is :func:`persuasion.sender.best_response` (Alice's real
tie-break).  Where ties go the sender's way, the reference is brute force:
the obedience LP (weak, :func:`persuasion.obedience.best_response_program`)
over *every* response vector, or over every set of ``m`` of them when the
sender has fewer messages than features.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from fractions import Fraction as F

import pytest
from hypothesis import given, settings, strategies as st

from persuasion.compact_milp import compact_milp
from persuasion.experiments.families import Size, generate, random_profile
from persuasion.lp import solve
from persuasion.model import silent_profile
from persuasion.obedience import best_response_program
from persuasion.problem import SenderProblem, aligned_problem, deviation_problem, make_problem
from persuasion.sender import best_response
from persuasion.testing import instances, profiles, rationals


def near(exact: F, value: float, tolerance: float) -> bool:
    """``|exact - value| <= tolerance``, compared exactly (a double is a rational)."""
    return abs(exact - F(value)) <= F(tolerance)


def at_most(exact: F, bound: float, tolerance: float) -> bool:
    """``exact <= bound + tolerance``, compared exactly."""
    return exact <= F(bound) + F(tolerance)


def sender_favoured_value(problem) -> F | None:
    """The best response with ties in the sender's favour, by brute force (None: no scheme meets the
    floor).

    Every response vector (one action per situation), weak obedience; a scheme
    with ``m`` messages uses at most ``m`` vectors, and one with ``|X_B|``
    vectors is always enough (Caratheodory), so with ``m >= |X_B|`` one LP over
    all vectors decides, else the best LP over the sets of ``m`` vectors.
    """
    vectors = list(itertools.product(range(problem.num_actions), repeat=problem.num_situations))
    if problem.messages >= problem.num_features:
        sets = [vectors]
    else:
        sets = itertools.combinations(vectors, problem.messages)
    values = [
        result.value
        for subset in sets
        if (result := solve(best_response_program(problem, list(subset)).lp)).status == "optimal"
    ]
    return max(values, default=None)


SMALL = dict(max_states=2, max_actions=3, max_senders=2, max_alice_features=2, max_messages=2)
"""At most 4 situations and 81 response vectors: the brute force stays small."""


@st.composite
def problems(draw, **sizes):
    """A sender's deviation problem against a random profile, sometimes with an Alice floor."""
    inst = draw(instances(**sizes))
    problem = deviation_problem(
        inst, draw(profiles(inst)), draw(st.integers(0, inst.num_senders - 1))
    )
    if draw(st.booleans()):
        problem = dataclasses.replace(
            problem, alice_floor=draw(rationals(4)), floor_strict=draw(st.booleans())
        )
    return problem


@settings(max_examples=30)
@given(problems(**SMALL), st.booleans())
def test_milp_is_the_sender_favoured_value_and_bounds_the_exact_one(problem, tighten):
    """Both models (textbook and tightened) find the value with ties to the sender, never below the
    exact one."""
    result = compact_milp(problem, tighten=tighten)
    reference = sender_favoured_value(problem)
    exact = best_response(problem)
    if reference is None:
        assert result.status == "infeasible" and exact is None
        return
    assert result.status == "optimal" and not result.timed_out
    assert near(reference, result.value, result.tolerance)
    assert at_most(reference, result.bound, result.tolerance)
    assert F(result.value) <= F(result.bound) + F(result.tolerance)
    if exact is not None:
        assert exact.value <= reference
        assert at_most(exact.value, result.bound, result.tolerance)
    assert 1 <= len(result.responses) <= problem.messages
    assert all(len(r) == problem.num_situations for r in result.responses)


@settings(max_examples=30)
@given(instances(max_states=3, max_actions=3, max_senders=1, max_alice_features=2, max_messages=3))
def test_milp_equals_exact_when_ties_do_not_matter(inst):
    """Definition 8's aligned sender: a tie leaves Alice -- hence this sender -- with the same
    value."""
    problem = aligned_problem(inst)
    result = compact_milp(problem)
    assert result.status == "optimal"
    assert near(best_response(problem).value, result.value, result.tolerance)


@pytest.mark.parametrize(
    "slug, sender, value",
    [
        ("kg-prosecutor", 0, F(3, 5)),
        ("judge-prosecutor", 0, F(5, 3)),
        ("judge-prosecutor", 1, F(1)),
        ("medical", 0, F(11, 6)),
        ("medical", 1, F(43, 30)),
        ("medical", 2, F(17, 15)),
        ("two-prosecutors-selection", 0, F(3, 5)),
        ("two-prosecutors-selection", 1, F(3, 5)),
        ("aligned-3-states-2-messages", 0, F(2, 3)),
    ],
)
def test_catalog_values_against_silent_others(catalog, slug, sender, value):
    """Pinned exact suprema; on the catalog ties do not change them, so the MILP finds the same."""
    inst = catalog(slug)
    problem = deviation_problem(inst, silent_profile(inst), sender)
    assert best_response(problem).value == value
    result = compact_milp(problem)
    assert result.status == "optimal"
    assert near(value, result.value, result.tolerance) and near(
        value, result.bound, result.tolerance
    )


def test_kg_prosecutor_tie_goes_to_the_sender():
    """Kamenica-Gentzkow's prosecutor: the MILP's 'convict' message leaves the judge exactly
    indifferent.

    The exact supremum 3/5 is not attained (ties go to acquittal); the MILP
    reaches 3/5 with a scheme that needs the tie to go the prosecutor's way.
    """
    alice = ((F(1), F(0)), (F(0), F(1)))  # acquit is right when innocent, convict when guilty
    prosecutor = ((F(0), F(0)), (F(1), F(1)))
    weights = [[(F(7, 10), F(0)), (F(0), F(3, 10))]]
    problem = make_problem([(0, ())], weights, alice, prosecutor, (0, 1), 2)
    exact = best_response(problem)
    assert exact.value == F(3, 5) and exact.attained is False
    result = compact_milp(problem)
    assert near(F(3, 5), result.value, result.tolerance)
    assert sorted(result.responses) == [(0,), (1,)]


def test_milp_exceeds_exact_when_alice_always_ties():
    """Alice indifferent between two actions whatever she learns, ties against the sender: 0
    exactly, 1 in the MILP."""
    alice = ((F(1, 2), F(1, 4)), (F(1, 2), F(1, 4)))
    sender = ((F(0), F(0)), (F(1), F(1)))
    weights = [[(F(1, 2), F(0)), (F(0), F(1, 2))]]
    problem = make_problem([(0, ())], weights, alice, sender, (0, 1), 2)
    assert best_response(problem).value == 0
    result = compact_milp(problem)
    assert result.status == "optimal"
    assert near(F(1), result.value, result.tolerance)
    assert result.responses == ((1,),)


def test_obedience_binds():
    """Alice wants a0 in state y0 (prior 2/3) and a1 in y1 (1/3); the sender always wants a1.

    Obedience (the big-M rows) caps how much of y0 the a1 message can carry:
    all of y1 plus half of y0, 2/3 in all (Kamenica-Gentzkow).  A big-M too
    small to bind would leave the MILP at 1 (always a1).
    """
    alice = ((F(1), F(0)), (F(0), F(1)))
    sender = ((F(0), F(0)), (F(1), F(1)))
    problem = make_problem(
        [(0, ())], [[(F(2, 3), F(0)), (F(0), F(1, 3))]], alice, sender, (0, 1), 2
    )
    assert best_response(problem).value == F(2, 3)
    for tighten in (True, False):
        result = compact_milp(problem, tighten=tighten)
        assert near(F(2, 3), result.value, result.tolerance)


def test_zero_time_limit_stops_with_no_claim():
    """With no time left HiGHS stops at once: time limit, no scheme, no finite bound."""
    inst = generate("random", 1, Size(3, 3, 3))
    problem = deviation_problem(inst, random_profile(inst, 1), 0)
    result = compact_milp(problem, time_limit=0)
    assert (result.status, result.timed_out, result.value, result.responses) == (
        "time-limit",
        True,
        None,
        (),
    )
    assert math.isinf(result.bound) and result.bound > 0


@pytest.mark.parametrize("shift", [600, -600])
def test_value_and_bound_are_in_the_problems_units_when_its_numbers_need_scaling(shift):
    """Review of issue 8: numbers beyond 2**400 make the doubles pipeline scale the objective by a
    power of two; the bound was returned in those scaled units (a bound of 9 for a value near
    7e299), so ``limited.by_compact_milp``'s check ``LP(S) >= bound - tolerance`` accepted any
    set."""
    weights = [
        [[F(1, 8), F(3, 8), F(0)], [F(2, 8), F(0), F(1, 8)], [F(0), F(1, 8), F(2, 8)]],
        [[F(1, 8), F(0), F(0)], [F(0), F(1, 8), F(0)], [F(0), F(0), F(1, 8)]],
    ]
    alice = [[F(1), F(0), F(1, 2)], [F(0), F(1), F(1, 4)], [F(1, 2), F(1, 2), F(0)]]
    sender = [[F(1), F(1, 4), F(0)], [F(0), F(1, 2), F(1)], [F(3, 4), F(0), F(1, 4)]]
    keys = [(0, ()), (1, ())]
    small = compact_milp(make_problem(keys, weights, alice, sender, [0, 1, 2], 2))
    scale = F(2) ** shift
    big = compact_milp(
        make_problem(
            keys, weights, alice, [[u * scale for u in row] for row in sender], [0, 1, 2], 2
        )
    )
    assert small.status == big.status == "optimal"
    assert math.isclose(big.bound, math.ldexp(small.bound, shift), rel_tol=1e-6)
    assert math.isclose(big.value, math.ldexp(small.value, shift), rel_tol=1e-6)
    exact = best_response(
        make_problem(keys, weights, alice, sender, [0, 1, 2], 2), F(1, 1000)
    ).value
    assert at_most(exact * scale, big.bound, big.tolerance)
    assert big.tolerance < math.ldexp(1e-3, shift) + 1e-3


def test_values_beyond_doubles_are_a_value_error_that_by_compact_milp_turns_into_a_fallback():
    """Review of issue 8: sender values near 2**1100 fit the scaled doubles but not their
    objective's units; ``float(objective_mass)`` raised OverflowError, which
    ``limited.by_compact_milp`` (catching ValueError, the documented signal to fall back) let escape
    as a crash of a valid best response."""
    from persuasion.inducible import inducible_responses
    from persuasion.limited import by_compact_milp

    weights = [[[F(1, 2), F(0)], [F(0), F(1, 2)]]]
    big = F(2) ** 1100
    problem = make_problem(
        [(0, ())], weights, [[F(1), F(0)], [F(0), F(1)]], [[big, F(0)], [F(0), big]], [0, 1], 1
    )
    with pytest.raises(ValueError):
        compact_milp(problem)
    assert by_compact_milp(problem, inducible_responses(problem)) is None


def _table(rows, scale=1):
    return tuple(tuple(tuple(F(x) * scale for x in row) for row in t) for t in rows)


def test_compact_milp_set_is_checked_in_the_problems_units_at_huge_utilities():
    """Sender utilities near 1e300 (ties everywhere in Alice's values): the compact MILP's bound
    came back in the doubles pipeline's scaled units, so ``by_compact_milp`` accepted a set worth
    6e300 against an exact limited supremum of 6.5e300, claimed optimal ("milp-solver")."""
    from persuasion.cells import certified_responses
    from persuasion.limited import by_compact_milp, by_subsets

    big = 10**300
    problem = SenderProblem(
        num_features=4,
        keys=((0, ()), (1, ()), (2, ())),
        q=_table(
            [
                [[0, 0], [1, 0], [1, 1], [1, 0]],
                [[0, 1], [1, 0], [0, 1], [0, 0]],
                [[0, 0], [0, 1], [1, 1], [0, 1]],
            ]
        ),
        alice_values=_table(
            [
                [[0, 0, 0], [1, 0, 1], [2, 1, 2], [1, 0, 1]],
                [[1, 1, 1], [1, 0, 1], [1, 1, 1], [0, 0, 0]],
                [[0, 0, 0], [1, 1, 1], [2, 1, 2], [1, 1, 1]],
            ]
        ),
        sender_values=_table(
            [
                [[0, 0, 0], [1, 0, 0], ["5/4", 0, "3/4"], [1, 0, 0]],
                [["1/4", 0, "3/4"], [1, 0, 0], ["1/4", 0, "3/4"], [0, 0, 0]],
                [[0, 0, 0], ["1/4", 0, "3/4"], ["5/4", 0, "3/4"], ["1/4", 0, "3/4"]],
            ],
            big,
        ),
        tie_break=(1, 0, 2),
        messages=3,
        num_actions=3,
    )
    vectors = certified_responses(problem)
    exact = by_subsets(problem, vectors)
    assert exact[0] == F(13, 2) * big
    found = by_compact_milp(problem, vectors)
    assert found is None or found[0] == exact[0]
