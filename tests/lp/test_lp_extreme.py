"""LP data beyond a double's range (1e400, 1e-400): scaled exactly for HiGHS, never an
OverflowError.

Issue 7, point 2(b).  Scaling a row (with its right-hand side) by a positive
number changes no optimum; scaling the objective by ``k`` multiplies the
optimal value by ``k``.  So an LP whose rows and objective are multiplied by
huge or tiny powers of ten must give exactly the unscaled answers -- and the
float route (a HiGHS basis) must still be the one that finds them.
"""

import random
from fractions import Fraction as F

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from persuasion.lp import LinearProgram, check_certificate, solve
from persuasion.lp.doubles import FAST_BITS, float_model
from persuasion.lp.highs import float_solve
from persuasion.lp.scaled import IntegerLP
from lp_testing import boxed, random_lp

HUGE = F(10**400)
TINY = F(1, 10**400)


def scaled_copy(lp: LinearProgram, row_factors: list[F], objective_factor: F) -> LinearProgram:
    """``lp`` with row ``i`` (and its right-hand side) times ``row_factors[i]`` and the objective
    times a factor."""
    data = lp.freeze()
    out = LinearProgram(sense=data.sense)
    for c, free in zip(data.objective, data.free, strict=True):
        out.add_variable(F(c) * objective_factor, free=free)
    for (cols, vals), sense, b, k in zip(
        data.rows, data.senses, data.rhs, row_factors, strict=True
    ):
        out.add_constraint({j: v * k for j, v in zip(cols, vals, strict=True)}, sense, b * k)
    return out


def transport() -> LinearProgram:
    """max 3x + 2y + z s.t. x + y + z <= 4, x + 3y <= 6, x - z <= 1, x, y, z >= 0 (optimum 9 at x =
    5/2, z = 3/2)."""
    lp = LinearProgram(sense="max")
    x, y, z = lp.add_variable(3), lp.add_variable(2), lp.add_variable(1)
    lp.add_constraint({x: 1, y: 1, z: 1}, "<=", 4)
    lp.add_constraint({x: 1, y: 3}, "<=", 6)
    lp.add_constraint({x: 1, z: -1}, "<=", 1)
    return lp


def test_transport_optimum_pinned():
    result = solve(transport())
    assert result.status == "optimal" and result.value == 9


def test_huge_and_tiny_rows_and_objective_give_the_same_exact_optimum_through_highs():
    base = transport()
    for rows, objective in [
        ([HUGE, HUGE, HUGE], F(1)),
        ([TINY, TINY, TINY], F(1)),
        ([F(1), F(1), F(1)], HUGE),
        ([F(1), F(1), F(1)], TINY),
        ([HUGE, TINY, F(1)], HUGE),
        ([TINY, HUGE, HUGE], TINY),
    ]:
        lp = scaled_copy(base, rows, objective)
        ilp = IntegerLP(lp.freeze())
        model = float_model(ilp)
        assert model is not None
        assert np.all(np.isfinite(model.values)) and np.all(model.values != 0)
        result = solve(lp)
        check_certificate(result.certificate)
        assert result.status == "optimal" and result.value == 9 * objective
        assert result.method.startswith("highs"), (
            result.method
        )  # the scaled float solve found the basis


def test_ordinary_lps_reach_highs_as_the_same_doubles():
    """No shift for numbers within 2**FAST_BITS: HiGHS sees what it always saw."""
    lp = transport()
    lp.add_constraint({0: F(1, 3), 1: F(10**30)}, ">=", F(-7, 10**20))
    ilp = IntegerLP(lp.freeze())
    model = float_model(ilp)
    data = ilp.data
    expected = [
        a / scale for nums, scale in zip(data.row_nums, data.row_scale, strict=True) for a in nums
    ]  # row by row
    assert model.values.tolist() == expected
    assert model.rhs.tolist() == [b / s for b, s in zip(data.rhs_nums, data.row_scale, strict=True)]
    assert model.objective.tolist() == [3.0, 2.0, 1.0]


def test_an_lp_no_scaling_fits_in_doubles_falls_back_to_the_exact_simplex():
    """max x s.t. x + y <= 2**2100, x <= 1/2, y <= 1: the first row and its right-hand side span
    2**2100, and the columns tie x and y to rows near 1, so no power-of-two scaling fits in
    doubles."""
    lp = LinearProgram(sense="max")
    x, y = lp.add_variable(1), lp.add_variable(0)
    lp.add_constraint({x: 1, y: 1}, "<=", 2**2100)
    lp.add_constraint({x: 1}, "<=", F(1, 2))
    lp.add_constraint({y: 1}, "<=", 1)
    assert float_model(IntegerLP(lp.freeze())) is None
    assert float_solve(IntegerLP(lp.freeze())).status == "error"
    result = solve(lp)
    check_certificate(result.certificate)
    assert (result.status, result.value, result.method) == ("optimal", F(1, 2), "exact-simplex")


def test_fast_path_bound_is_what_doubles_hold():
    assert 2.0**FAST_BITS < 2.0**1023 and 2.0**-FAST_BITS > 2.0**-1022


@given(
    st.integers(0, 10**6),
    st.lists(st.sampled_from([-450, -400, -39, 0, 39, 400, 450]), min_size=8, max_size=8),
)
def test_random_lps_scaled_by_extreme_powers_of_ten_keep_their_optimum(seed, exponents):
    rng = random.Random(seed)
    lp = boxed(random_lp(rng, n=rng.randint(1, 3), m=rng.randint(1, 3)), bound=3)
    m = lp.num_constraints
    rows = [F(10) ** exponents[i % 7] for i in range(m)]
    objective = F(10) ** exponents[7]
    expected = solve(lp)
    result = solve(scaled_copy(lp, rows, objective))
    check_certificate(result.certificate)
    assert result.status == expected.status
    if expected.status == "optimal":
        assert result.value == expected.value * objective
