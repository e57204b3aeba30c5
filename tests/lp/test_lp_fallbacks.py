"""Each fallback step, forced by a float backend that lies or fails."""

import random

import pytest

import persuasion.lp.pipeline as pipeline
from persuasion.lp import LinearProgram, check_certificate, solve
from persuasion.lp.highs import FloatOutcome, float_solve
from persuasion.lp.kernel import Basis
from persuasion.lp.simplex import exact_simplex
from lp_testing import random_lp


def _textbook():
    # max 3x + 2y; x + y <= 4, x + 3y <= 6, x <= 3  ->  11 at (3, 1)
    lp = LinearProgram(sense="max")
    x, y = lp.add_variable(3), lp.add_variable(2)
    lp.add_constraint({x: 1, y: 1}, "<=", 4)
    lp.add_constraint({x: 1, y: 3}, "<=", 6)
    lp.add_constraint({x: 1}, "<=", 3)
    return lp


def _patch(monkeypatch, first, second=None):
    """Replace the float backend: ``first`` answers normal calls, ``second`` strict ones (None: the
    real one)."""

    def fake(ilp, strict=False):
        if strict:
            return second(ilp) if second else float_solve(ilp, strict=True)
        return first(ilp)

    monkeypatch.setattr(pipeline, "float_solve", fake)


def test_feasible_suboptimal_basis_is_pivoted(monkeypatch):
    _patch(monkeypatch, lambda ilp: FloatOutcome("optimal", Basis((1,), (1,))))
    res = solve(_textbook())
    assert (res.status, res.value, res.method) == ("optimal", 11, "highs-basis+exact-pivots")


def test_infeasible_basis_goes_to_strict_resolve(monkeypatch):
    _patch(monkeypatch, lambda ilp: FloatOutcome("optimal", Basis((0,), (0,))))
    res = solve(_textbook())
    assert (res.status, res.value, res.method) == ("optimal", 11, "highs-strict-resolve")


def test_malformed_basis_goes_to_strict_resolve(monkeypatch):
    _patch(monkeypatch, lambda ilp: FloatOutcome("optimal", Basis((0, 1), ())))
    res = solve(_textbook())
    assert (res.value, res.method) == (11, "highs-strict-resolve")


def test_everything_failing_ends_in_the_exact_simplex(monkeypatch):

    def bad(ilp):
        return FloatOutcome("error")

    _patch(monkeypatch, bad, bad)
    res = solve(_textbook())
    assert (res.status, res.value, res.method) == ("optimal", 11, "exact-simplex")
    check_certificate(res.certificate)


@pytest.mark.parametrize("claim", ["infeasible", "unbounded", "infeasible-or-unbounded", "error"])
def test_false_claims_are_corrected(monkeypatch, claim):
    rng = random.Random(claim)
    lps = [random_lp(rng, rng.randint(1, 4), rng.randint(1, 4)) for _ in range(12)]
    truth = [exact_simplex(lp.freeze()) for lp in lps]
    _patch(monkeypatch, lambda ilp: FloatOutcome(claim), lambda ilp: FloatOutcome(claim))
    for lp, (status, x, _, _) in zip(lps, truth, strict=True):
        res = solve(lp)
        check_certificate(res.certificate)
        assert res.status == status
        if status == "optimal":
            assert res.value == sum(c * v for c, v in zip(lp.freeze().objective, x, strict=True))


def test_optimal_claim_on_an_infeasible_lp_is_corrected(monkeypatch):
    lp = LinearProgram(sense="max")
    x = lp.add_variable(1)
    lp.add_constraint({x: 1}, ">=", 2)
    lp.add_constraint({x: 1}, "<=", 1)

    def claim(ilp):
        return FloatOutcome("optimal", Basis((0,), (0,)))

    _patch(monkeypatch, claim, claim)
    res = solve(lp)
    assert (res.status, res.method) == ("infeasible", "exact-simplex")
    check_certificate(res.certificate)
