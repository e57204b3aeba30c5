"""Small LPs with hand-computed exact answers."""

from fractions import Fraction as F

import pytest

from persuasion.lp import LinearProgram, check_certificate, solve


def test_textbook_max():
    # max 3x + 2y; x + y <= 4, x + 3y <= 6, x <= 3  ->  x=3, y=1, value 11
    lp = LinearProgram(sense="max")
    x, y = lp.add_variable(3), lp.add_variable(2)
    lp.add_constraint({x: 1, y: 1}, "<=", 4)
    lp.add_constraint({x: 1, y: 3}, "<=", 6)
    lp.add_constraint({x: 1}, "<=", 3)
    res = solve(lp)
    assert res.status == "optimal"
    assert res.value == 11
    assert res.x == (3, 1)
    assert sum(F(b) * v for b, v in zip((4, 6, 3), res.y, strict=True)) == 11
    check_certificate(res.certificate)


def test_min_with_ge_eq_and_free_unique_duals():
    # min x + 2y + z, x + y >= 2, y - z == 1/2, z free, x, y >= 0, z >= -1 (as a row)
    # optimum: y = 1/2 + z, x = 2 - y; cost = x + 2y + z = 2 + y + z = 5/2 + 2z, z = -1 -> y < 0
    # infeasible, so y = 0, z = -1/2, x = 2: cost 2 - 1/2 = 3/2.
    lp = LinearProgram(sense="min")
    x, y, z = lp.add_variable(1), lp.add_variable(2), lp.add_variable(1, free=True)
    r0 = lp.add_constraint({x: 1, y: 1}, ">=", 2)
    r1 = lp.add_constraint({y: 1, z: -1}, "==", F(1, 2))
    r2 = lp.add_constraint({z: 1}, ">=", -1)
    res = solve(lp)
    assert (res.status, res.value, res.x) == ("optimal", F(3, 2), (2, 0, F(-1, 2)))
    # duals: x basic -> y0 = 1; z free basic -> -y1 + y2 = 1 with y2 = 0 (slack basic) -> y1 = -1
    assert res.y[r0] == 1 and res.y[r1] == -1 and res.y[r2] == 0
    check_certificate(res.certificate)


def test_dual_sign_convention_is_shadow_price():
    # max x s.t. x <= 5 has y = 1 (raising the rhs raises the value); min x s.t. x >= 5 also y = 1;
    # max -x s.t. x >= 5 has y = -1; min -x s.t. x <= 5 has y = -1.
    cases = [("max", 1, "<=", 1), ("min", 1, ">=", 1), ("max", -1, ">=", -1), ("min", -1, "<=", -1)]
    for sense, c, row_sense, expected in cases:
        lp = LinearProgram(sense=sense)
        lp.add_variable(c)
        lp.add_constraint({0: 1}, row_sense, 5)
        res = solve(lp)
        assert res.value == 5 * c and res.y == (expected,)
        check_certificate(res.certificate)


def test_fraction_data_and_exact_value():
    # max x/3 + y/7; x + y <= 1/10; x, y >= 0  ->  1/30
    lp = LinearProgram(sense="max")
    x, y = lp.add_variable(F(1, 3)), lp.add_variable(F(1, 7))
    lp.add_constraint({x: 1, y: 1}, "<=", F(1, 10))
    res = solve(lp)
    assert res.value == F(1, 30) and res.x == (F(1, 10), 0) and res.y == (F(1, 3),)


def test_infeasible_farkas():
    lp = LinearProgram(sense="min")
    x = lp.add_variable(1)
    lp.add_constraint({x: 1}, ">=", 2)
    lp.add_constraint({x: 1}, "<=", 1)
    res = solve(lp)
    assert res.status == "infeasible" and res.value is None and res.x is None
    assert res.y[0] <= 0 <= res.y[1] and 2 * res.y[0] + res.y[1] < 0
    check_certificate(res.certificate)


def test_infeasible_through_free_variables():
    # x + y == 1 and x + y == 2 with x, y free
    lp = LinearProgram(sense="max")
    x, y = lp.add_variable(0, free=True), lp.add_variable(0, free=True)
    lp.add_constraint({x: 1, y: 1}, "==", 1)
    lp.add_constraint({x: 1, y: 1}, "==", 2)
    res = solve(lp)
    assert res.status == "infeasible"
    assert res.y[0] == -res.y[1] and res.y[0] + 2 * res.y[1] < 0
    check_certificate(res.certificate)


def test_unbounded_ray():
    # max x - y, x - y >= 2, y free: ray must have x - y growing
    lp = LinearProgram(sense="max")
    x, y = lp.add_variable(1), lp.add_variable(-1, free=True)
    lp.add_constraint({x: 1, y: -1}, ">=", 2)
    res = solve(lp)
    assert res.status == "unbounded" and res.value is None
    assert res.x[0] - res.x[1] >= 2 and res.ray[0] - res.ray[1] > 0 and res.ray[0] >= 0
    check_certificate(res.certificate)


def test_unbounded_min_without_rows():
    lp = LinearProgram(sense="min")
    lp.add_variable(-1)
    res = solve(lp)
    assert res.status == "unbounded" and res.ray[0] > 0
    check_certificate(res.certificate)


def test_empty_lp_and_trivial_rows():
    lp = LinearProgram(sense="max")
    res = solve(lp)
    assert (res.status, res.value, res.x, res.y) == ("optimal", 0, (), ())
    lp.add_variable(0)
    lp.add_constraint({}, "<=", 3)
    res = solve(lp)
    assert res.status == "optimal" and res.value == 0
    check_certificate(res.certificate)
    lp.add_constraint({}, ">=", 1)  # 0 >= 1
    res = solve(lp)
    assert res.status == "infeasible"
    check_certificate(res.certificate)


def test_builder_rejects_floats_and_bad_input():
    lp = LinearProgram(sense="max")
    with pytest.raises(TypeError):
        lp.add_variable(0.5)
    x = lp.add_variable(1)
    with pytest.raises(TypeError):
        lp.add_constraint({x: 0.1}, "<=", 1)
    with pytest.raises(IndexError):
        lp.add_constraint({x + 1: 1}, "<=", 1)
    with pytest.raises(ValueError):
        lp.add_constraint({x: 1}, "<", 1)
    with pytest.raises(ValueError):
        LinearProgram(sense="maximise")
    assert lp.num_variables == 1 and lp.num_constraints == 0


def test_coefficients_beyond_float_range_are_handled_exactly():
    """Rows whose integers overflow a double still reach HiGHS (as correctly rounded quotients)."""
    big = F(10**400 + 1, 10**400)
    lp = LinearProgram(sense="max")
    x = lp.add_variable(objective=1)
    lp.add_constraint({x: big}, "<=", big)
    result = solve(lp)
    assert result.status == "optimal" and result.value == 1
