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
