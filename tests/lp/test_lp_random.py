"""Random LPs against independent exact references."""

import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from persuasion.lp import check_certificate, solve
from persuasion.lp.simplex import exact_simplex
from lp_testing import boxed, brute_force_optimum, random_lp, rebuilt


def test_boxed_random_lps_match_vertex_brute_force():
    rng = random.Random(20240501)
    statuses = set()
    for _ in range(120):
        lp = boxed(
            random_lp(rng, n=rng.randint(1, 3), m=rng.randint(0, 3)), bound=rng.randint(1, 4)
        )
        expected = brute_force_optimum(lp)
        res = solve(lp)
        check_certificate(res.certificate)
        statuses.add(res.status)
        if expected is None:
            assert res.status == "infeasible"
        else:
            assert res.status == "optimal" and res.value == expected
    assert statuses == {"optimal", "infeasible"}


def test_unboxed_random_lps_agree_with_exact_simplex():
    rng = random.Random(7)
    statuses = set()
    for _ in range(150):
        lp = random_lp(rng, n=rng.randint(1, 5), m=rng.randint(1, 5))
        res = solve(lp)
        status, x, y, ray = exact_simplex(lp.freeze())
        check_certificate(res.certificate)
        assert res.status == status
        if status == "optimal":
            assert res.value == sum(c * v for c, v in zip(lp.freeze().objective, x, strict=True))
        statuses.add(status)
    assert statuses == {"optimal", "infeasible", "unbounded"}


@st.composite
def lps(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    n, m = draw(st.integers(1, 5)), draw(st.integers(0, 6))
    return random_lp(
        random.Random(seed),
        n,
        m,
        span=draw(st.integers(1, 4)),
        density=draw(st.sampled_from((0.3, 0.7, 1.0))),
        tiny=draw(st.booleans()),
    )


@settings(max_examples=150, deadline=None)
@given(lps())
def test_every_result_is_certified_and_matches_reference(lp):
    res = solve(lp)
    check_certificate(res.certificate)
    status, x, _, _ = exact_simplex(lp.freeze())
    assert res.status == status
    if status == "optimal":
        assert res.value == sum(c * v for c, v in zip(lp.freeze().objective, x, strict=True))


@settings(max_examples=40, deadline=None)
@given(lps())
def test_exact_simplex_certificates_check(lp):
    from persuasion.lp.result import LPResult

    data = lp.freeze()
    status, x, y, ray = exact_simplex(data)
    value = (
        sum(c * v for c, v in zip(data.objective, x, strict=True)) if status == "optimal" else None
    )
    check_certificate(LPResult(status, value, x, y, ray, "exact-simplex", data).certificate)


@settings(max_examples=40, deadline=None)
@given(lps(), st.integers(-3, 3), st.sampled_from((1, 2, 5)))
def test_shifting_rhs_of_an_inequality_moves_value_by_its_dual_at_most(lp, step, den):
    """Sensitivity: for a max LP, value(b + t e_i) <= value(b) + t y_i for every t (y_i is a
    supergradient)."""
    res = solve(lp)
    if res.status != "optimal" or lp.num_constraints == 0:
        return
    t = Fraction(step, den)
    shifted = rebuilt(lp, rhs0=lp.freeze().rhs[0] + t)
    moved = solve(shifted)
    if moved.status != "optimal":
        return
    if lp.sense == "max":
        assert moved.value <= res.value + t * res.y[0]
    else:
        assert moved.value >= res.value + t * res.y[0]
