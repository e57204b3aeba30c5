"""solve_mixed against brute force over the integer variables."""

import itertools
import random
from fractions import Fraction as F

from persuasion.lp import LinearProgram, check_certificate, solve, solve_mixed


def _knapsack(rng):
    n = rng.randint(2, 6)
    lp = LinearProgram(sense="max")
    values = [F(rng.randint(1, 20), rng.randint(1, 3)) for _ in range(n)]
    weights = [rng.randint(1, 10) for _ in range(n)]
    for v in values:
        lp.add_variable(v)
    extra = lp.add_variable(F(1, 3))  # a continuous filler
    lp.add_constraint({**dict(enumerate(weights)), extra: 1}, "<=", rng.randint(5, 25))
    lp.add_constraint({extra: 1}, "<=", F(5, 2))
    for j in range(n):
        lp.add_constraint({j: 1}, "<=", 1)
    return lp, n


def test_knapsacks_match_brute_force():
    rng = random.Random(42)
    for _ in range(15):
        lp, n = _knapsack(rng)
        res = solve_mixed(lp, range(n))
        best = None
        for bits in itertools.product((0, 1), repeat=n):
            fixed = lp.copy()
            for j, b in enumerate(bits):
                fixed.add_constraint({j: 1}, "==", b)
            sub = solve(fixed)
            if sub.status == "optimal" and (best is None or sub.value > best):
                best = sub.value
        assert res.status == "optimal" and res.value == best
        assert res.optimality == "solver-tolerance"
        assert all(res.x[j] in (0, 1) for j in range(n))
        check_certificate(res.fixed_lp.certificate)


def test_integer_infeasibility_of_the_relaxation_is_certified():
    lp = LinearProgram(sense="min")
    x = lp.add_variable(1)
    lp.add_constraint({x: 1}, ">=", 3)
    lp.add_constraint({x: 1}, "<=", 2)
    res = solve_mixed(lp, [x])
    assert (res.status, res.optimality) == ("infeasible", "exact")
    check_certificate(res.fixed_lp.certificate)


def test_integer_infeasible_with_feasible_relaxation_is_the_solvers_claim():
    lp = LinearProgram(sense="min")
    x = lp.add_variable(1)
    lp.add_constraint({x: 2}, "==", 1)  # x = 1/2, no integer point
    res = solve_mixed(lp, [x])
    assert (res.status, res.fixed_lp, res.optimality) == ("infeasible", None, "solver-tolerance")
