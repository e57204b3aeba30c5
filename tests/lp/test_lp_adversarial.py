"""Near-ties below double precision, degeneracy, and the repair paths."""

import random
from fractions import Fraction as F

from persuasion.lp import LinearProgram, check_certificate, solve
from persuasion.lp.highs import float_solve
from persuasion.lp.kernel import primal_dual
from persuasion.lp.pivots import primal_pivots
from persuasion.lp.scaled import IntegerLP
from persuasion.lp.verify import certify_optimal
from lp_testing import boxed, brute_force_optimum

TINY = F(1, 10**17)


def near_tie_lp(rng: random.Random, n: int) -> tuple[LinearProgram, F]:
    """max sum_j (1 + d_j) x_j s.t. sum x_j <= 1 (+ a few redundant rows); d_j ~ 1e-17, all equal as
    doubles."""
    lp = LinearProgram(sense="max")
    bonus = [rng.randint(0, 9) * TINY for _ in range(n)]
    for d in bonus:
        lp.add_variable(1 + d)
    lp.add_constraint({j: 1 for j in range(n)}, "<=", 1)
    for j in range(n):
        lp.add_constraint({j: 1}, "<=", 1)
    return lp, 1 + max(bonus)


def test_near_ties_are_repaired_exactly():
    rng = random.Random(3)
    methods = []
    for _ in range(25):
        lp, best = near_tie_lp(rng, rng.randint(2, 8))
        res = solve(lp)
        assert res.status == "optimal" and res.value == best
        check_certificate(res.certificate)
        methods.append(res.method)
    # the float basis was exactly suboptimal in some cases, so a repair ran
    assert any(m != "highs-basis" for m in methods)


def test_pivots_repair_a_suboptimal_float_basis():
    rng = random.Random(11)
    repaired = 0
    for _ in range(25):
        lp, best = near_tie_lp(rng, 6)
        ilp = IntegerLP(lp.freeze())
        basis = float_solve(ilp).basis
        if certify_optimal(ilp, basis, *primal_dual(ilp, basis, ilp.obj_nums)) is not None:
            continue
        fixed = primal_pivots(ilp, basis)
        value, _, _ = certify_optimal(ilp, fixed, *primal_dual(ilp, fixed, ilp.obj_nums))
        assert value == best
        repaired += 1
    assert repaired > 0


def test_near_tie_in_the_rhs():
    # x + y <= 1, x <= 1 - 1e-17, y <= 1e-17 + ... : exact optimum differs from the float one below
    # 1e-16
    lp = LinearProgram(sense="max")
    x, y = lp.add_variable(1 + TINY), lp.add_variable(1)
    lp.add_constraint({x: 1, y: 1}, "<=", 1)
    lp.add_constraint({x: 1}, "<=", 1 - TINY)
    lp.add_constraint({x: 1, y: -1}, ">=", -TINY)
    res = solve(lp)
    check_certificate(res.certificate)
    assert res.value == (1 + TINY) * (1 - TINY) + TINY
    assert res.x == (1 - TINY, TINY)


def test_degenerate_vertex_with_many_tight_rows():
    # the apex (1, 1, 1) of a pyramid is tight for 6 rows; optimum value 3, duals not unique
    lp = LinearProgram(sense="max")
    for _ in range(3):
        lp.add_variable(1)
    for a, b in [(0, 1), (1, 2), (0, 2)]:
        lp.add_constraint({a: 1, b: 1}, "<=", 2)
        lp.add_constraint({a: 2, b: 2}, "<=", 4)
    lp.add_constraint({0: 1, 1: 1, 2: 1}, "<=", 3)
    res = solve(lp)
    assert res.value == 3 and res.x == (1, 1, 1)
    check_certificate(res.certificate)


def test_redundant_equalities_and_duplicate_rows():
    lp = LinearProgram(sense="min")
    x, y, z = lp.add_variable(2), lp.add_variable(3), lp.add_variable(1, free=True)
    for _ in range(3):
        lp.add_constraint({x: 1, y: 1}, "==", 1)
    lp.add_constraint({x: 2, y: 2}, "==", 2)
    lp.add_constraint({x: 1, z: 1}, ">=", 0)
    lp.add_constraint({z: 1}, ">=", -5)
    res = solve(lp)
    # y = 1 - x, cost 2x + 3 - 3x + z = 3 - x + z with z >= max(-x, -5): z = -x -> 3 - 2x, x = 1 ->
    # 1
    assert res.value == 1 and res.x == (1, 0, -1)
    check_certificate(res.certificate)


def test_klee_minty_cube():
    n = 5
    lp = LinearProgram(sense="max")
    for j in range(n):
        lp.add_variable(2 ** (n - 1 - j))
    for i in range(n):
        lp.add_constraint({**{j: 2 ** (i - j + 1) for j in range(i)}, i: 1}, "<=", 5 ** (i + 1))
    res = solve(lp)
    assert res.value == 5**n and res.x == (0,) * (n - 1) + (5**n,)
    check_certificate(res.certificate)


def test_degenerate_random_lps_against_brute_force():
    """Rows through a common vertex (many ties) with tiny perturbations of the objective."""
    rng = random.Random(5)
    for _ in range(40):
        n = rng.randint(2, 3)
        vertex = [F(rng.randint(0, 2)) for _ in range(n)]
        lp = LinearProgram(sense=rng.choice(("min", "max")))
        for _ in range(n):
            lp.add_variable(
                F(rng.randint(-3, 3)) + rng.randint(-1, 1) * TINY, free=rng.random() < 0.3
            )
        for _ in range(rng.randint(n, n + 3)):
            a = {j: F(rng.randint(-2, 2)) for j in range(n)}
            lhs = sum(a[j] * vertex[j] for j in range(n))
            lp.add_constraint(
                a, rng.choice(("<=", ">=", "==")) if rng.random() < 0.2 else "<=", lhs
            )
        lp = boxed(lp, 3)
        res = solve(lp)
        check_certificate(res.certificate)
        expected = brute_force_optimum(lp)
        assert (res.status, res.value) == (
            ("infeasible", None) if expected is None else ("optimal", expected)
        )
