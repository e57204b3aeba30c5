"""Analytic certificates: exp/log enclosures and Lemmas 1-2, Propositions 2-3 (Sections D.1, D.2,
H).

The enclosures are compared with mpmath at 150 digits (the test's reference
only; the kernel itself uses no floats).  Every produced certificate must
re-verify, and every tampered one must fail.  The claims are about an
instance's beliefs, so the tests build instances with the beliefs they want
(:func:`beliefs_instance`, :func:`pair_instance`).
"""

from __future__ import annotations

import json
import math
import re
from fractions import Fraction as F
from pathlib import Path

import mpmath
import pytest
from hypothesis import given
from hypothesis import strategies as st

from persuasion.witnesses.analytic import (
    lemma_1_certificate,
    lemma_2_certificate,
    proposition_2_certificate,
    proposition_3_certificate,
)
from persuasion.checker import Invalid, check
from persuasion.cli import main
from persuasion.instance import Instance, parse_instance
from persuasion.checker.enclosures import (
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
beliefs = st.lists(
    st.fractions(min_value=-3, max_value=3, max_denominator=50), min_size=1, max_size=5
)
lambdas = st.fractions(min_value=F(1, 100), max_value=40, max_denominator=100)


# --------------------------------------------------------------------------- enclosures


@pytest.mark.parametrize(
    "q", [F(0), F(1), F(-1), F(1, 3), F(-37, 7), F(100), F(1, 10**9), F(-5000), F(2**16)]
)
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


@pytest.mark.parametrize(
    "q", [F(1), F(2), F(8), F(1, 20), F(7, 5), F(3, 4), F(10**30), F(3, 10**40)]
)
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
    for (lo, hi), p in zip(softmax_bounds(z, 64), softmax([mp(v) for v in z]), strict=True):
        assert 0 <= lo <= hi <= 1 and encloses((lo, hi), p)


def test_softmax_of_far_apart_values_uses_the_tiny_bound():
    (top_lo, top_hi), (small_lo, small_hi) = softmax_bounds([F(0), F(-5000)], 64)
    assert small_lo == 0 < small_hi < F(1, 2**64) and top_lo <= top_hi == 1


# --------------------------------------------------------------------- instances with given beliefs


def beliefs_instance(mu) -> Instance:
    """One state, so Alice's prior beliefs (and her beliefs knowing x_B) are ``mu``."""
    return parse_instance(
        {
            "format": "persuasion-instance/1",
            "states": ["y"],
            "actions": [f"a{k}" for k in range(len(mu))],
            "prior": {"y": 1},
            "alice": {"utility": [[str(F(v))] for v in mu]},
            "senders": [{"name": "s", "utility": [["0"] for _ in mu]}],
        }
    )


def pair_instance(u, v) -> Instance:
    """Prior beliefs ``u`` and beliefs ``v`` knowing the likeliest feature (state ``s``, probability
    2/3)."""
    u, v = [F(a) for a in u], [F(b) for b in v]
    return parse_instance(
        {
            "format": "persuasion-instance/1",
            "states": ["s", "t"],
            "actions": [f"a{k}" for k in range(len(u))],
            "prior": {"s": "2/3", "t": "1/3"},
            "alice": {"utility": [[str(b), str(3 * a - 2 * b)] for a, b in zip(u, v, strict=True)]},
            "senders": [{"name": "x", "utility": [["0", "0"] for _ in u]}],
        }
    )


def catalog_instance(slug: str) -> Instance:
    from persuasion.instance import load_instance

    return load_instance(Path(__file__).resolve().parent.parent / "instances" / f"{slug}.json")


def sized_instance(actions: int, states: int) -> Instance:
    return parse_instance(
        {
            "format": "persuasion-instance/1",
            "states": [f"y{k}" for k in range(states)],
            "actions": [f"a{k}" for k in range(actions)],
            "prior": {f"y{k}": str(F(1, states)) for k in range(states)},
            "alice": {"utility": [["0"] * states] * actions},
            "senders": [{"name": "x", "utility": [["0"] * states] * actions}],
        }
    )


def estimation_instance(eps) -> Instance:
    """Two equally likely states, one message (so C* says nothing): Proposition 2's ``eps_u`` is
    ``eps``."""
    return parse_instance(
        {
            "format": "persuasion-instance/1",
            "states": ["s", "t"],
            "actions": ["a", "b"],
            "prior": {"s": "1/2", "t": "1/2"},
            "alice": {"utility": [[str(2 * F(eps)), "0"], ["0", "0"]]},
            "senders": [{"name": "x", "utility": [["0", "0"], ["0", "0"]], "messages": 1}],
        }
    )


def verified(cert) -> dict:
    """The kernel's derivation, which must restate the certificate's own conclusion."""
    result = check(json.loads(json.dumps(cert)))
    assert result["holds"] is True and result["conclusion"] == cert["conclusion"]
    return result


def test_the_helpers_make_the_beliefs_they_promise():
    from persuasion.witnesses.analytic import likeliest_feature_beliefs, prior_beliefs

    inst = pair_instance(["1/3", "2"], ["1", "-1/2"])
    assert prior_beliefs(inst) == [F(1, 3), F(2)] and likeliest_feature_beliefs(inst) == [
        F(1),
        F(-1, 2),
    ]
    assert prior_beliefs(beliefs_instance([1, 0])) == [1, 0]


# --------------------------------------------------------------------------- Lemma 1


def test_lemma_1_known_value():
    """mu = (1, 0), lambda = 1: gap = 1 - e/(1+e) = 1/(1+e) ~ 0.2689 <= ln 2 ~ 0.6931."""
    gap = quantal_gap_bounds([F(1), F(0)], F(1), 64)
    assert encloses(gap, 1 / (1 + mpmath.e))
    assert F(2689, 10**4) < gap[0] <= gap[1] < F(2690, 10**4)
    cert = lemma_1_certificate(beliefs_instance(["1", "0"]), 1)
    verified(cert)
    assert (
        cert["holds"] is True
        and cert["claim"] == "lemma-1"
        and cert["conclusion"]["beliefs"] == ["1", "0"]
    )
    bound = [F(x) for x in cert["conclusion"]["bound_interval"]]
    assert encloses(tuple(bound), mpmath.log(2)) and bound[1] - bound[0] < F(1, 10**12)


@given(beliefs, lambdas)
def test_lemma_1_certificates_verify(mu, lam):
    cert = lemma_1_certificate(beliefs_instance(mu), lam)
    verified(cert)
    lo, hi = (F(x) for x in cert["conclusion"]["gap_interval"])
    m = [mp(v) for v in mu]
    p = softmax([mp(lam) * v for v in m])
    assert encloses((lo, hi), max(m) - mpmath.fsum(a * b for a, b in zip(p, m, strict=True)))


@pytest.mark.parametrize("mu", [["1/2"], ["1", "1", "1"], ["2", "2", "0"]])
def test_lemma_1_exact_corners(mu):
    """One action or ties at the top: the kernel's exact arithmetic handles a zero gap."""
    cert = lemma_1_certificate(beliefs_instance(mu), 3)
    verified(cert)
    if len(set(mu)) == 1:
        assert cert["conclusion"]["gap_interval"] == ["0", "0"]


def test_lemma_1_huge_lambda_gap_is_tiny():
    cert = lemma_1_certificate(beliefs_instance(["1", "0"]), 1000)
    verified(cert)
    assert F(cert["conclusion"]["gap_interval"][1]) < F(1, 10**30)


# --------------------------------------------------------------------------- Lemma 2


@given(
    st.lists(
        st.tuples(st.fractions(-2, 2, max_denominator=30), st.fractions(-2, 2, max_denominator=30)),
        min_size=1,
        max_size=5,
    ),
    lambdas,
)
def test_lemma_2_certificates_verify(pairs, lam):
    u, v = [a for a, _ in pairs], [b for _, b in pairs]
    cert = lemma_2_certificate(pair_instance(u, v), lam)
    verified(cert)
    eps = max(abs(a - b) for a, b in pairs)
    assert F(cert["conclusion"]["epsilon"]) == eps
    p, q = softmax([mp(lam * a) for a in u]), softmax([mp(lam * b) for b in v])
    for claimed, own, pa, qa in zip(
        cert["conclusion"]["ratio_intervals"], ratio_bounds(u, v, lam, 64), p, q, strict=True
    ):
        assert encloses(tuple(F(x) for x in claimed), pa / qa)
        assert encloses(own, pa / qa)
    assert encloses(
        l1_bounds(u, v, lam, 64), mpmath.fsum(abs(a - b) for a, b in zip(p, q, strict=True))
    )


def test_lemma_2_equal_and_shifted_utilities_are_exact():
    same = lemma_2_certificate(pair_instance(["1/3", "1"], ["1/3", "1"]), 5)
    verified(same)
    assert same["conclusion"]["l1_interval"] == ["0", "0"] and same["conclusion"][
        "bound_interval"
    ] == ["1", "1"]
    shifted = lemma_2_certificate(pair_instance(["1/3", "1"], ["1/2", "7/6"]), 5)
    verified(shifted)
    assert shifted["conclusion"]["ratio_intervals"] == [["1", "1"], ["1", "1"]]


def test_lemma_2_tiny_epsilon_needs_more_digits():
    tiny = F(1, 10**20)
    cert = lemma_2_certificate(pair_instance([0, 1], [0, 1 + tiny]), 1)
    verified(cert)
    assert F(cert["conclusion"]["epsilon"]) == tiny


# --------------------------------------------------------------------------- Proposition 2


@given(st.fractions(F(1, 100), 20, max_denominator=100), st.fractions(0, 2, max_denominator=100))
def test_proposition_2_certificates_verify(lam, eps):
    cert = proposition_2_certificate(estimation_instance(eps), lam)
    assert verified(cert)["conclusion"]["eps_u"] == str(eps).replace(" ", "")
    true = mpmath.expm1(4 * mp(lam) * mp(eps))
    assert encloses((F(cert["conclusion"]["delta_lower"]), F(cert["conclusion"]["delta"])), true)
    assert ("linearised" in cert["conclusion"]) == (lam * eps <= F(1, 4))


def test_proposition_2_known_values():
    cert = proposition_2_certificate(
        estimation_instance("1/10"), "1/2"
    )  # e^(1/5) - 1 ~ 0.2214 <= 4e/20 ~ 0.5437
    assert verified(cert)["conclusion"]["eps_u"] == "1/10"
    assert F(2214, 10**4) < F(cert["conclusion"]["delta"]) < F(2215, 10**4)
    assert F(5436, 10**4) < F(cert["conclusion"]["linearised"]) < F(5437, 10**4)
    zero = proposition_2_certificate(
        catalog_instance("judge-prosecutor"), 1
    )  # C* reveals the state: eps_u = 0
    verified(zero)
    assert (zero["conclusion"]["eps_u"], zero["conclusion"]["delta"]) == ("0", "0")
    limited = proposition_2_certificate(catalog_instance("aligned-3-states-2-messages"), 1)
    assert (
        F(verified(limited)["conclusion"]["eps_u"]) > 0
    )  # two messages for three states: C* must pool


# --------------------------------------------------------------------------- Proposition 3


def test_proposition_3_known_value():
    """|A| = |Y| = 2, eps = 1/10, delta = 1/20: (ln 8 + ln 20) / 0.02 ~ 253.76, so k = 254."""
    cert = proposition_3_certificate(sized_instance(2, 2), "1/10", "1/20")
    assert verified(cert)["conclusion"]["k"] == "254" and cert["conclusion"]["minimal"] is True


@given(
    st.integers(1, 20),
    st.integers(1, 20),
    st.fractions(F(1, 50), 1, max_denominator=100),
    st.fractions(F(1, 1000), F(999, 1000), max_denominator=1000),
)
def test_proposition_3_minimal_k(actions, states, eps, delta):
    cert = proposition_3_certificate(sized_instance(actions, states), eps, delta)
    verified(cert)
    t = mpmath.log(2 * actions * states / mp(delta)) / (2 * mp(eps) ** 2)
    assert F(cert["conclusion"]["k"]) == max(1, int(mpmath.floor(t)) + 1)


def test_proposition_3_small_threshold():
    """eps = 1 and delta near 1 with |A| = |Y| = 1: ln(2/delta)/2 < 1, so k = 1."""
    cert = proposition_3_certificate(sized_instance(1, 1), 1, "99/100")
    assert verified(cert)["conclusion"]["k"] == "1"


# ------------------------------------------------------------------------- point 2(d): large lambda


def test_a_large_lambda_is_certified_with_more_digits(tmp_path):
    """certify --lambda 3000 used to end in "too tight to certify at 240 digits": the digits now
    grow."""
    import subprocess
    import sys

    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "persuasion.cli",
            "certify",
            "instances/judge-prosecutor.json",
            "--lambda",
            "3000",
            "--claim",
            "lemma-2",
            "--claim",
            "lemma-1",
            "--claim",
            "proposition-2",
            "--json",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    for name in ("lemma-1", "lemma-2", "proposition-2"):
        assert main(["check", str(tmp_path / f"{name}.json")]) == 0


# --------------------------------------------------------------------------- tampering


def _set(place, **fields):
    def change(cert):
        cert[place].update(fields)

    return change


def _swap(field):
    def change(cert):
        cert["witnesses"][field] = cert["witnesses"][field][::-1]

    return change


def _collapse(field, keep, index=None):
    """Shrink a claimed interval to one of its ends: the true value (strictly inside) is then
    outside."""

    def change(cert):
        pair = cert["witnesses"][field] if index is None else cert["witnesses"][field][index]
        pair[1 - keep] = pair[keep]

    return change


def _below(field, value):
    """Replace ``field`` by a number 10^-20 below ``value`` (inside the claim's 10^-15 padding)."""

    def change(cert):
        cert["witnesses"][field] = str(F(int(mpmath.floor(value * 10**20)) - 1, 10**20))

    return change


def _game(new_alice_utility, actions=None):
    """Replace the embedded instance by one with another Alice utility (and its true hash)."""
    import hashlib

    def change(cert):
        data = json.loads(cert["instance_text"])
        data["alice"]["utility"] = new_alice_utility
        if actions:
            data["actions"] = actions
            data["senders"][0]["utility"] = new_alice_utility
            data["protocol"]["tie_break"] = actions
        cert["instance_text"] = json.dumps(data)
        cert["instance_sha256"] = hashlib.sha256(cert["instance_text"].encode()).hexdigest()

    return change


def lemma_1_example():
    return lemma_1_certificate(beliefs_instance(["1", "0", "1/2"]), 2)


def lemma_2_example():
    return lemma_2_certificate(pair_instance(["0", "1", "1/2"], ["1/10", "1", "1/3"]), 3)


def prop_2_example():
    return proposition_2_certificate(estimation_instance("1/10"), "1/2")


def prop_3_example():
    return proposition_3_certificate(sized_instance(2, 2), "1/10", "1/20")


TAMPERS = {  # name: (certificate, change, the INVALID line contains)
    "lemma-1 lambda": (
        lemma_1_example,
        _set("parameters", **{"lambda": "3"}),
        "gap_interval: not proven",
    ),
    "lemma-1 belief": (
        lemma_1_example,
        _game([["1"], ["0"], ["6/10"]]),
        "gap_interval: not proven",
    ),
    "lemma-1 swapped gap": (lemma_1_example, _swap("gap_interval"), "lower end above"),
    "lemma-1 gap lower above truth": (
        lemma_1_example,
        _collapse("gap_interval", 1),
        "gap_interval: not proven",
    ),
    "lemma-1 gap upper below truth": (
        lemma_1_example,
        _collapse("gap_interval", 0),
        "gap_interval: not proven",
    ),
    "lemma-1 bound lower above truth": (
        lemma_1_example,
        _collapse("bound_interval", 1),
        "bound_interval: not proven",
    ),
    "lemma-1 gap over bound": (
        lemma_1_example,
        _set("witnesses", gap_interval=["0", "2"]),
        "does not end below",
    ),
    "lemma-1 zero lambda": (
        lemma_1_example,
        _set("parameters", **{"lambda": "0"}),
        "must be positive",
    ),
    "lemma-1 float": (
        lemma_1_example,
        _set("parameters", **{"lambda": 2.0}),
        "expected an exact number",
    ),
    "lemma-1 decimal string": (
        lemma_1_example,
        _set("parameters", **{"lambda": "2.0"}),
        "not an exact number",
    ),
    "lemma-1 missing witness": (
        lemma_1_example,
        lambda cert: cert["witnesses"].pop("bound_interval"),
        "missing 'bound_interval'",
    ),
    "lemma-1 extra parameter": (
        lemma_1_example,
        _set("parameters", values=["1", "0"]),
        "unknown key 'values'",
    ),
    "lemma-2 lambda": (
        lemma_2_example,
        _set("parameters", **{"lambda": "4"}),
        "bound_interval: not proven",
    ),
    "lemma-2 u": (
        lemma_2_example,
        _game([["1/10", "-1/10"], ["1", "1"], ["1/3", "5/6"]]),
        "not proven",
    ),
    "lemma-2 swapped bound": (lemma_2_example, _swap("bound_interval"), "lower end above"),
    "lemma-2 bound upper below truth": (
        lemma_2_example,
        _collapse("bound_interval", 0),
        "bound_interval: not proven",
    ),
    "lemma-2 ratio lower above truth": (
        lemma_2_example,
        _collapse("ratio_intervals", 1, 1),
        "ratio_intervals: not proven",
    ),
    "lemma-2 ratio above the bound": (
        lemma_2_example,
        _set("witnesses", ratio_intervals=[["1", "3"]] * 3),
        "not within",
    ),
    "lemma-2 l1 upper below truth": (
        lemma_2_example,
        _collapse("l1_interval", 0),
        "l1_interval: not proven",
    ),
    "lemma-2 short ratios": (
        lemma_2_example,
        lambda cert: cert["witnesses"]["ratio_intervals"].pop(),
        "expected 3 entries",
    ),
    "proposition-2 delta below truth": (
        prop_2_example,
        _below("delta", mpmath.expm1(mpmath.mpf(1) / 5)),
        "witnesses.delta: ",
    ),
    "proposition-2 lambda": (
        prop_2_example,
        _set("parameters", **{"lambda": "1"}),
        "witnesses.delta: ",
    ),
    "proposition-2 eps_u": (prop_2_example, _game([["2/9", "0"], ["0", "0"]]), "witnesses."),
    "proposition-2 eps_u as a parameter": (
        prop_2_example,
        _set("parameters", eps_u="0"),
        "unknown key 'eps_u'",
    ),
    "proposition-2 missing C*": (
        prop_2_example,
        lambda cert: cert["witnesses"].pop("aligned"),
        "missing 'aligned'",
    ),
    "proposition-2 delta_lower above truth": (
        prop_2_example,
        _below("delta_lower", mpmath.expm1(mpmath.mpf(1) / 5) + mpmath.mpf(10) ** -19),
        "delta_lower: ",
    ),
    "proposition-2 linearised below truth": (
        prop_2_example,
        _below("linearised", mpmath.e / 5),
        "linearised: ",
    ),
    "proposition-2 corollary outside range": (
        prop_2_example,
        _set("parameters", **{"lambda": "10"}),
        "linearised goes with",
    ),
    "proposition-3 epsilon": (
        prop_3_example,
        _set("parameters", epsilon="1/9"),
        "threshold_interval: not proven",
    ),
    "proposition-3 delta": (
        prop_3_example,
        _set("parameters", delta="1/40"),
        "threshold_interval: not proven",
    ),
    "proposition-3 actions": (
        prop_3_example,
        _game([["0", "0"]] * 3, ["a", "b", "c"]),
        "threshold_interval: not proven",
    ),
    "proposition-3 threshold lower above truth": (
        prop_3_example,
        _collapse("threshold_interval", 1),
        "threshold_interval: not proven",
    ),
    "proposition-3 too wide": (
        prop_3_example,
        _set("witnesses", threshold_interval=["250", "260"]),
        "too wide",
    ),
    "proposition-3 delta of 1": (prop_3_example, _set("parameters", delta="1"), "below 1"),
}


@pytest.mark.parametrize("name", sorted(TAMPERS))
def test_tampering_fails(name):
    make, change, problem = TAMPERS[name]
    cert = make()
    verified(cert)
    change(cert)
    with pytest.raises(Invalid) as failure:
        check(json.loads(json.dumps(cert)))
    assert problem in str(failure.value)


def test_a_looser_true_claim_still_verifies_but_must_restate_itself():
    """Widening an interval or raising delta keeps the claim true: the kernel accepts the witnesses,
    derives the looser conclusion, and requires the stated conclusion (if any) to say the same."""
    cert = prop_2_example()
    cert["witnesses"].update(delta="1", linearised="1")
    with pytest.raises(Invalid, match="conclusion.delta"):
        check(cert)
    cert["conclusion"].update(delta="1", linearised="1")
    assert check(cert)["conclusion"]["delta"] == "1"
    cert = lemma_1_example()
    cert["witnesses"]["gap_interval"][0] = "0"
    del cert["conclusion"]
    assert check(cert)["conclusion"]["gap_interval"][0] == "0"


def test_holds_must_be_true():
    cert = lemma_1_example()
    cert["holds"] = False
    with pytest.raises(Invalid, match="holds"):
        check(cert)


def test_the_worked_examples_of_the_docs_verify():
    """Every analytic certificate shown in docs/explanation/analytic-certificates.md re-verifies."""
    page = (
        Path(__file__).resolve().parent.parent / "docs" / "explanation" / "analytic-certificates.md"
    )
    blocks = re.findall(
        r"^```json\n(.*?)^```", page.read_text(encoding="utf-8"), re.DOTALL | re.MULTILINE
    )
    certs = [json.loads(block) for block in blocks if '"persuasion-certificate/2"' in block]
    assert sorted(cert["claim"] for cert in certs) == [
        "lemma-1",
        "lemma-2",
        "proposition-2",
        "proposition-3",
    ]
    for cert in certs:
        assert check(cert)["holds"] is True
