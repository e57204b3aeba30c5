"""Analytic certificates: exp/log enclosures and Lemmas 1-2, Propositions 2-3 (Sections D.1, D.2, H).

The enclosures are compared with mpmath at 150 digits (the test's reference
only; the checker itself uses no floats).  Every produced certificate must
re-verify, and every tampered one must fail.
"""

from __future__ import annotations

import copy
import json
import math
import re
from fractions import Fraction as F
from pathlib import Path

import mpmath
import pytest
from hypothesis import given
from hypothesis import strategies as st

from persuasion.certify.analytic import (
    lemma_1_certificate,
    lemma_2_certificate,
    proposition_2_certificate,
    proposition_3_certificate,
)
from persuasion.check import StepFailure, check
from persuasion.check.analytic import (
    _atanh,
    _exp_taylor,
    exp_bounds,
    l1_bounds,
    log_bounds,
    quantal_gap_bounds,
    ratio_bounds,
    softmax_bounds,
)

mpmath.mp.dps = 150
SLACK = F(1, 10**140)  # far below every enclosure's width: only the reference's rounding


def exact(x: mpmath.mpf) -> F:
    """The binary value of an mpf, exactly."""
    man, exp = x.man_exp  # mpmath gives the mantissa's absolute value
    return (-1 if x < 0 else 1) * F(man) * F(2) ** exp


def mp(q: F) -> mpmath.mpf:
    return mpmath.mpf(q.numerator) / q.denominator


def encloses(bounds: tuple[F, F], true: mpmath.mpf) -> bool:
    t = exact(true)
    lo, hi = bounds
    tolerance = SLACK * (abs(t) + 1)
    return lo <= t + tolerance and t - tolerance <= hi


def softmax(z):
    top = max(z)
    e = [mpmath.exp(v - top) for v in z]
    total = mpmath.fsum(e)
    return [x / total for x in e]


rationals = st.fractions(min_value=-60, max_value=60, max_denominator=10**6)
positives = st.fractions(min_value=F(1, 10**6), max_value=10**6, max_denominator=10**6)
beliefs = st.lists(st.fractions(min_value=-3, max_value=3, max_denominator=50), min_size=1, max_size=5)
lambdas = st.fractions(min_value=F(1, 100), max_value=40, max_denominator=100)


# --------------------------------------------------------------------------- enclosures


@pytest.mark.parametrize("q", [F(0), F(1), F(-1), F(1, 3), F(-37, 7), F(100), F(1, 10**9), F(-5000), F(2**16)])
def test_exp_bounds_contain_e_to_the_q(q):
    for bits in (64, 200):
        lo, hi = exp_bounds(q, bits)
        assert lo <= hi and encloses((lo, hi), mpmath.exp(mp(q)))
        assert hi - lo <= lo / 2**bits


def test_exp_bounds_are_exact_at_zero_and_refuse_huge_exponents():
    assert exp_bounds(0) == (1, 1)
    with pytest.raises(ValueError):
        exp_bounds(2**16 + 1)


@given(rationals)
def test_exp_bounds_contain_and_shrink(q):
    widths = []
    for bits in (32, 64, 128):
        lo, hi = exp_bounds(q, bits)
        assert encloses((lo, hi), mpmath.exp(mp(q)))
        assert 0 < lo <= hi
        widths.append((hi - lo) / lo)
    assert widths[0] <= F(1, 2**32) and widths[2] <= F(1, 2**128)
    assert q == 0 or widths[0] > widths[1] > widths[2]


@pytest.mark.parametrize("terms", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("r", [F(1, 2), F(1, 3), F(1, 1000)])
def test_series_remainders_are_sound_for_every_truncation(r, terms):
    """Few terms at high precision: only the stated remainder bounds keep the true value inside."""
    lo, hi = _exp_taylor(r, r, 300, terms)
    assert encloses((lo, hi), mpmath.exp(mp(r)))
    assert hi - lo < 3 * r**terms / math.factorial(terms)
    w = r * F(2, 3)  # within [0, 1/3]
    lo, hi = _atanh(w, 300, terms)
    assert encloses((lo, hi), mpmath.atanh(mp(w)))
    assert hi - lo < 2 * w ** (2 * terms + 1)


@pytest.mark.parametrize("q", [F(1), F(2), F(8), F(1, 20), F(7, 5), F(3, 4), F(10**30), F(3, 10**40)])
def test_log_bounds_contain_ln_q(q):
    for bits in (64, 200):
        lo, hi = log_bounds(q, bits)
        assert encloses((lo, hi), mpmath.log(mp(q)))
        assert hi - lo <= F(1, 2**bits)


def test_log_bounds_are_exact_at_one_and_refuse_non_positive():
    assert log_bounds(1) == (0, 0)
    for q in (0, -1):
        with pytest.raises(ValueError):
            log_bounds(q)


@given(positives)
def test_log_bounds_contain_and_shrink(q):
    widths = []
    for bits in (32, 64, 128):
        lo, hi = log_bounds(q, bits)
        assert lo <= hi and encloses((lo, hi), mpmath.log(mp(q)))
        widths.append(hi - lo)
    assert widths[0] <= F(1, 2**32) and widths[2] <= F(1, 2**128)
    assert q == 1 or widths[0] > widths[1] > widths[2]


@given(st.lists(rationals, min_size=1, max_size=6))
def test_softmax_bounds_contain_softmax(z):
    for (lo, hi), p in zip(softmax_bounds(z, 64), softmax([mp(v) for v in z])):
        assert 0 <= lo <= hi <= 1 and encloses((lo, hi), p)


def test_softmax_of_far_apart_values_uses_the_tiny_bound():
    (top_lo, top_hi), (small_lo, small_hi) = softmax_bounds([F(0), F(-5000)], 64)
    assert small_lo == 0 < small_hi < F(1, 2**64) and top_lo <= top_hi == 1


# --------------------------------------------------------------------------- Lemma 1


def test_lemma_1_known_value():
    """mu = (1, 0), lambda = 1: gap = 1 - e/(1+e) = 1/(1+e) ~ 0.2689 <= ln 2 ~ 0.6931."""
    gap = quantal_gap_bounds([F(1), F(0)], F(1), 64)
    assert encloses(gap, 1 / (1 + mpmath.e))
    assert F(2689, 10**4) < gap[0] <= gap[1] < F(2690, 10**4)
    cert = lemma_1_certificate(["1", "0"], 1)
    assert check(cert) == 1
    assert cert["holds"] is True and cert["claim"] == "lemma-1"
    bound = [F(x) for x in cert["conclusion"]["bound_interval"]]
    assert encloses(tuple(bound), mpmath.log(2)) and bound[1] - bound[0] < F(1, 10**12)


@given(beliefs, lambdas)
def test_lemma_1_certificates_verify(mu, lam):
    cert = lemma_1_certificate(mu, lam)
    assert check(cert) == 1
    lo, hi = (F(x) for x in cert["conclusion"]["gap_interval"])
    m = [mp(v) for v in mu]
    p = softmax([mp(lam) * v for v in m])
    assert encloses((lo, hi), max(m) - mpmath.fsum(a * b for a, b in zip(p, m)))


@pytest.mark.parametrize("mu", [["1/2"], ["1", "1", "1"], ["2", "2", "0"]])
def test_lemma_1_exact_corners(mu):
    """One action or ties at the top: the checker's exact arithmetic handles a zero gap."""
    cert = lemma_1_certificate(mu, 3)
    assert check(cert) == 1
    if len(set(mu)) == 1:
        assert cert["conclusion"]["gap_interval"] == ["0", "0"]


def test_lemma_1_huge_lambda_gap_is_tiny():
    cert = lemma_1_certificate(["1", "0"], 1000)
    assert check(cert) == 1
    assert F(cert["conclusion"]["gap_interval"][1]) < F(1, 10**30)


# --------------------------------------------------------------------------- Lemma 2


@given(st.lists(st.tuples(st.fractions(-2, 2, max_denominator=30), st.fractions(-2, 2, max_denominator=30)), min_size=1, max_size=5), lambdas)
def test_lemma_2_certificates_verify(pairs, lam):
    u, v = [a for a, _ in pairs], [b for _, b in pairs]
    cert = lemma_2_certificate(u, v, lam)
    assert check(cert) == 1
    eps = max(abs(a - b) for a, b in pairs)
    assert F(cert["conclusion"]["epsilon"]) == eps
    p, q = softmax([mp(lam * a) for a in u]), softmax([mp(lam * b) for b in v])
    for claimed, own, pa, qa in zip(cert["conclusion"]["ratio_intervals"], ratio_bounds(u, v, lam, 64), p, q):
        assert encloses(tuple(F(x) for x in claimed), pa / qa)
        assert encloses(own, pa / qa)
    assert encloses(l1_bounds(u, v, lam, 64), mpmath.fsum(abs(a - b) for a, b in zip(p, q)))


def test_lemma_2_equal_and_shifted_utilities_are_exact():
    same = lemma_2_certificate(["1/3", "1"], ["1/3", "1"], 5)
    assert check(same) == 1 and same["conclusion"]["l1_interval"] == ["0", "0"]
    assert same["conclusion"]["bound_interval"] == ["1", "1"]
    shifted = lemma_2_certificate(["1/3", "1"], ["1/2", "7/6"], 5)
    assert check(shifted) == 1 and shifted["conclusion"]["ratio_intervals"] == [["1", "1"], ["1", "1"]]


def test_lemma_2_tiny_epsilon_needs_more_digits():
    tiny = F(1, 10**20)
    cert = lemma_2_certificate([0, 1], [0, 1 + tiny], 1)
    assert check(cert) == 1 and F(cert["conclusion"]["epsilon"]) == tiny


# --------------------------------------------------------------------------- Proposition 2


@given(st.fractions(F(1, 100), 20, max_denominator=100), st.fractions(0, 2, max_denominator=100))
def test_proposition_2_certificates_verify(lam, eps):
    cert = proposition_2_certificate(lam, eps)
    assert check(cert) == 1
    true = mpmath.expm1(4 * mp(lam) * mp(eps))
    assert encloses((F(cert["conclusion"]["delta_lower"]), F(cert["conclusion"]["delta"])), true)
    assert ("linearised" in cert["conclusion"]) == (lam * eps <= F(1, 4))


def test_proposition_2_known_values():
    cert = proposition_2_certificate("1/2", "1/10")  # e^(1/5) - 1 ~ 0.2214 <= 4e/20 ~ 0.5437
    assert check(cert) == 1
    assert F(2214, 10**4) < F(cert["conclusion"]["delta"]) < F(2215, 10**4)
    assert F(5436, 10**4) < F(cert["conclusion"]["linearised"]) < F(5437, 10**4)
    zero = proposition_2_certificate(1, 0)
    assert check(zero) == 1 and zero["conclusion"]["delta"] == "0"


# --------------------------------------------------------------------------- Proposition 3


def test_proposition_3_known_value():
    """|A| = |Y| = 2, eps = 1/10, delta = 1/20: (ln 8 + ln 20) / 0.02 ~ 253.76, so k = 254."""
    cert = proposition_3_certificate(2, 2, "1/10", "1/20")
    assert check(cert) == 1
    assert cert["conclusion"]["k"] == 254 and cert["conclusion"]["minimal"] is True


@given(st.integers(1, 20), st.integers(1, 20), st.fractions(F(1, 50), 1, max_denominator=100), st.fractions(F(1, 1000), 2, max_denominator=1000))
def test_proposition_3_minimal_k(actions, states, eps, delta):
    cert = proposition_3_certificate(actions, states, eps, delta)
    assert check(cert) == 1
    t = mpmath.log(2 * actions * states / mp(delta)) / (2 * mp(eps) ** 2)
    assert cert["conclusion"]["k"] == max(1, int(mpmath.floor(t)) + 1)


def test_proposition_3_threshold_zero_and_negative():
    assert proposition_3_certificate(1, 1, 1, 2)["conclusion"]["k"] == 1  # ln(2/2) = 0 exactly
    assert check(proposition_3_certificate(1, 1, 1, 2)) == 1
    assert check(proposition_3_certificate(1, 1, 1, 5)) == 1  # threshold < 0


# --------------------------------------------------------------------------- tampering


def _set(**fields):
    def change(step):
        step.update(fields)

    return change


def _swap(field):
    def change(step):
        step[field] = step[field][::-1]

    return change


def _collapse(field, keep, index=None):
    """Shrink a claimed interval to one of its ends: the true value (strictly inside) is then outside."""

    def change(step):
        pair = step[field] if index is None else step[field][index]
        pair[1 - keep] = pair[keep]

    return change


def _bump(field, index, delta):
    def change(step):
        if index is None:
            step[field] = str(F(step[field]) + delta)
        else:
            step[field][index] = str(F(step[field][index]) + delta)

    return change


def _below(field, value):
    """Replace ``field`` by a number 10^-20 below ``value`` (inside the claim's 10^-15 padding)."""

    def change(step):
        step[field] = str(F(int(mpmath.floor(value * 10**20)) - 1, 10**20))

    return change


LEMMA_1 = lambda: lemma_1_certificate(["1", "0", "1/2"], 2)
LEMMA_2 = lambda: lemma_2_certificate(["0", "1", "1/2"], ["1/10", "1", "1/3"], 3)
PROP_2 = lambda: proposition_2_certificate("1/2", "1/10")
PROP_3 = lambda: proposition_3_certificate(2, 2, "1/10", "1/20")

TAMPERS = {  # name: (certificate, change to its step, the failure message contains)
    "lemma-1 lambda": (LEMMA_1, _set(**{"lambda": "3"}), "gap is not proven"),
    "lemma-1 belief": (LEMMA_1, _bump("values", 2, F(1, 10)), "gap is not proven"),
    "lemma-1 swapped gap": (LEMMA_1, _swap("gap_interval"), "lower bound above"),
    "lemma-1 gap lower above truth": (LEMMA_1, _collapse("gap_interval", 1), "gap is not proven"),
    "lemma-1 gap upper below truth": (LEMMA_1, _collapse("gap_interval", 0), "gap is not proven"),
    "lemma-1 bound lower above truth": (LEMMA_1, _collapse("bound_interval", 1), "log|A|/lambda is not proven"),
    "lemma-1 gap over bound": (LEMMA_1, _set(gap_interval=["0", "2"]), "exceeds the bound"),
    "lemma-1 zero lambda": (LEMMA_1, _set(**{"lambda": "0"}), "must be positive"),
    "lemma-1 float": (LEMMA_1, _set(**{"lambda": 2.0}), "not an exact number"),
    "lemma-1 missing field": (LEMMA_1, lambda step: step.pop("values"), "malformed"),
    "lemma-2 lambda": (LEMMA_2, _set(**{"lambda": "4"}), "not proven to lie in bound_interval"),
    "lemma-2 u": (LEMMA_2, _bump("u", 0, F(1, 100)), "ratios P(a)/Q(a) are not proven"),
    "lemma-2 epsilon": (LEMMA_2, _set(epsilon="1/5"), "epsilon is not"),
    "lemma-2 swapped bound": (LEMMA_2, _swap("bound_interval"), "lower bound above"),
    "lemma-2 bound upper below truth": (LEMMA_2, _collapse("bound_interval", 0), "not proven to lie in bound_interval"),
    "lemma-2 ratio lower above truth": (LEMMA_2, _collapse("ratio_intervals", 1, 1), "ratios P(a)/Q(a) are not proven"),
    "lemma-2 ratio above the bound": (LEMMA_2, _set(ratio_intervals=[["1", "3"]] * 3), "may exceed"),
    "lemma-2 l1 upper below truth": (LEMMA_2, _collapse("l1_interval", 0), "||P - Q||_1 is not proven"),
    "lemma-2 short ratios": (LEMMA_2, lambda step: step["ratio_intervals"].pop(), "one ratio interval"),
    "proposition-2 delta below truth": (PROP_2, _below("delta", mpmath.expm1(mpmath.mpf(1) / 5)), "not proven <= delta"),
    "proposition-2 lambda": (PROP_2, _set(**{"lambda": "1"}), "not proven <= delta"),
    "proposition-2 eps": (PROP_2, _set(eps_u="1/9"), "not proven <= delta"),
    "proposition-2 delta_lower above truth": (PROP_2, _below("delta_lower", mpmath.expm1(mpmath.mpf(1) / 5) + mpmath.mpf(10) ** -19), "not proven >= delta_lower"),
    "proposition-2 linearised below truth": (PROP_2, _below("linearised", mpmath.e / 5), "not proven <= linearised"),
    "proposition-2 corollary outside range": (PROP_2, _set(eps_u="1", delta="100", delta_lower="0"), "needs lambda * eps_u <= 1/4"),
    "proposition-3 k too small": (PROP_3, _set(k="253"), "not proven to exceed"),
    "proposition-3 k not minimal": (PROP_3, _set(k="255", threshold_interval=["253", "254"]), "not shown minimal"),
    "proposition-3 epsilon": (PROP_3, _set(epsilon="1/9"), "threshold is not proven"),
    "proposition-3 delta": (PROP_3, _set(delta="1/40"), "not proven to exceed"),
    "proposition-3 actions": (PROP_3, _set(num_actions="3"), "not proven to exceed"),
    "proposition-3 threshold lower above truth": (PROP_3, _collapse("threshold_interval", 1), "threshold is not proven"),
    "proposition-3 fractional k": (PROP_3, _set(k="509/2"), "positive integer"),
    "proposition-3 minimal not a bool": (PROP_3, _set(minimal="yes"), "true or false"),
}


@pytest.mark.parametrize("name", sorted(TAMPERS))
def test_tampering_fails(name):
    make, change, problem = TAMPERS[name]
    cert = make()
    assert check(copy.deepcopy(cert)) == 1
    change(cert["steps"][0])
    with pytest.raises(StepFailure) as failure:
        check(cert)
    assert problem in failure.value.problem


def test_a_looser_true_claim_still_verifies():
    """Widening an interval or raising delta keeps the claim true: the checker accepts it."""
    cert = PROP_2()
    for place in (cert["steps"][0], cert["conclusion"]):
        place.update(delta="1", linearised="1")
    assert check(cert) == 1
    cert = LEMMA_1()
    for place in (cert["steps"][0], cert["conclusion"]):
        place["gap_interval"][0] = "0"
    assert check(cert) == 1


def test_proposition_3_without_minimality_accepts_a_larger_k():
    cert = PROP_3()
    for place in (cert["steps"][0], cert["conclusion"]):
        place.update(k="300", minimal=False)
        del place["threshold_interval"]
    assert check(cert) == 1


@pytest.mark.parametrize("make, key", [(LEMMA_1, "gap_interval"), (LEMMA_2, "l1_interval"), (PROP_2, "delta"),
                                       (PROP_3, "k"), (LEMMA_2, "ratio_intervals")])
def test_a_conclusion_that_differs_from_the_step_fails(make, key):
    cert = make()
    cert["conclusion"][key] = ["0", "1"] if key.endswith("interval") else "300"
    if key == "ratio_intervals":
        cert["conclusion"][key] = [["0", "1"]] * 3
    with pytest.raises(StepFailure, match="conclusion"):
        check(cert)


def test_holds_must_be_true():
    cert = LEMMA_1()
    cert["holds"] = False
    with pytest.raises(StepFailure, match="holds"):
        check(cert)


def test_unknown_kind_and_repeated_ids_fail():
    cert = LEMMA_1()
    cert["steps"].append(copy.deepcopy(cert["steps"][0]))
    with pytest.raises(StepFailure, match="repeated"):
        check(cert)


def test_the_worked_examples_of_the_docs_verify():
    """Every analytic step shown in docs/explanation/analytic-certificates.md re-verifies."""
    page = Path(__file__).resolve().parent.parent / "docs" / "explanation" / "analytic-certificates.md"
    blocks = re.findall(r"^```json\n(.*?)^```", page.read_text(encoding="utf-8"), re.DOTALL | re.MULTILINE)
    steps = [json.loads(block) for block in blocks]
    assert sorted(step["kind"] for step in steps) == ["lemma-1", "lemma-2", "proposition-2", "proposition-3"]
    for step in steps:
        assert check({"format": "persuasion-certificate/1", "holds": True, "steps": [step]}) == 1
