"""Defects found by the adversarial review of issue 8's engine, each pinned by the input that showed it."""

from __future__ import annotations

import dataclasses
from fractions import Fraction as F

import pytest

from persuasion.problem import SenderProblem
from persuasion.sender import best_response


@pytest.mark.parametrize("route", ["enumeration", "cells"])
def test_a_strict_floor_no_scheme_beats_leaves_no_scheme(route):
    """Alice's best possible value is exactly the strict floor 1/2 (action 1 everywhere): no scheme
    gives her strictly more, so there is no best response (None).  The unlimited route took the
    weak-floor LP's value 0 and returned a scheme that does not meet the floor."""
    problem = SenderProblem(
        num_features=1, keys=((0, ()), (1, ())), weights=(((F(1, 3),),), ((F(2, 3),),)),
        alice_values=(((F(0), F(1, 6), F(0), F(0)),), ((F(0), F(1, 3), F(0), F(0)),)),
        sender_values=(((F(1, 6), F(0), F(0), F(4, 3)),), ((F(1, 3), F(0), F(0), F(8, 3)),)),
        tie_break=(3, 0, 1, 2), messages=2, num_actions=4, alice_floor=F(1, 2), floor_strict=True,
    )
    assert best_response(problem, F(1, 1000), route=route) is None
    weak = best_response(dataclasses.replace(problem, floor_strict=False), F(1, 1000), route=route)
    assert weak is not None and weak.value == 0 and weak.attained


def _table(rows, scale=1):
    return tuple(tuple(tuple(F(x) * scale for x in row) for row in t) for t in rows)


def test_compact_milp_set_is_checked_in_the_problems_units_at_huge_utilities():
    """Sender utilities near 1e300 (ties everywhere in Alice's values): the compact MILP's bound came
    back in the doubles pipeline's scaled units, so ``by_compact_milp`` accepted a set worth 6e300
    against an exact limited supremum of 6.5e300, claimed optimal ("milp-solver")."""
    from persuasion.cells import certified_responses
    from persuasion.limited import by_compact_milp, by_subsets

    big = 10**300
    problem = SenderProblem(
        num_features=4, keys=((0, ()), (1, ()), (2, ())),
        weights=_table([[[0, 0], [1, 0], [1, 1], [1, 0]], [[0, 1], [1, 0], [0, 1], [0, 0]],
                        [[0, 0], [0, 1], [1, 1], [0, 1]]]),
        alice_values=_table([[[0, 0, 0], [1, 0, 1], [2, 1, 2], [1, 0, 1]], [[1, 1, 1], [1, 0, 1], [1, 1, 1], [0, 0, 0]],
                             [[0, 0, 0], [1, 1, 1], [2, 1, 2], [1, 1, 1]]]),
        sender_values=_table([[[0, 0, 0], [1, 0, 0], ["5/4", 0, "3/4"], [1, 0, 0]],
                              [["1/4", 0, "3/4"], [1, 0, 0], ["1/4", 0, "3/4"], [0, 0, 0]],
                              [[0, 0, 0], ["1/4", 0, "3/4"], ["5/4", 0, "3/4"], ["1/4", 0, "3/4"]]], big),
        tie_break=(1, 0, 2), messages=3, num_actions=3,
    )
    vectors = certified_responses(problem)
    exact = by_subsets(problem, vectors)
    assert exact[0] == F(13, 2) * big
    found = by_compact_milp(problem, vectors)
    assert found is None or found[0] == exact[0]
