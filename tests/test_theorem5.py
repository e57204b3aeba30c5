"""The ``theorem-5`` certificate (Theorem 5, Corollary 3; Section D.3): its numbers against
mpmath, its rescaling to ``[0, 1]``, forgeries refused, the installed program.

The broader forgery families (every witness and conclusion mutated) run over it in
tests/test_forgery.py; here each test changes one thing a forger would.
"""

from __future__ import annotations

import copy
import json
from fractions import Fraction as F

import mpmath
import pytest

from persuasion.api.certificates import _claims
from persuasion.catalog import load as load_slug
from persuasion.checker import Invalid, check
from persuasion.errors import BeyondLimit
from persuasion.instance import parse_instance
from persuasion.witnesses.theorem5 import sixth_root_interval, theorem_5_certificate
from test_agreement import _wide

LARGE_K = 10**30


@pytest.fixture(scope="module")
def judge():
    """Judge-prosecutor (utilities in [0, 2]: rescaled), lambda 1, K = 10^30: Corollary 3
    applies."""
    return theorem_5_certificate(load_slug("judge-prosecutor"), F(1), LARGE_K, F(1, 100))


@pytest.fixture(scope="module")
def xor():
    return theorem_5_certificate(load_slug("xor-prior"), F(10), 10**9, F(1, 20))


def _mp(text: str) -> mpmath.mpf:
    q = F(text)
    return mpmath.mpf(q.numerator) / q.denominator


def _value(c: dict, corollary: bool) -> mpmath.mpf:
    """Theorem 5's (or Corollary 3's) bound in the rescaled units, at 60 digits."""
    with mpmath.workdps(60):
        low, width = (_mp(c["scale"][k]) for k in ("low", "width"))
        lam, delta = _mp(c["lambda"]), _mp(c["delta_conv"])
        z = _mp(c["zeta_squared"]) ** (mpmath.mpf(1) / 6)
        base = (_mp(c["first_best"]) - low) / width - 2 * _mp(c["epsilon"]) / width
        if corollary:
            return base - (20 + 40 * mpmath.e * lam) * z - 3 * delta - mpmath.log(2) / lam
        return base - (20 * z + 3 * delta + mpmath.expm1(40 * lam * z)) - mpmath.log(2) / lam


def _inside(interval, value) -> bool:
    with mpmath.workdps(60):
        return _mp(interval[0]) <= value <= _mp(interval[1])


def test_the_bounds_hold_their_values(judge, xor):
    for cert in (judge, xor):
        c = check(cert)["conclusion"]
        assert _inside(c["bound_interval"], _value(c, corollary=False))
    c = judge["conclusion"]
    assert c["corollary_3"] and _inside(c["corollary_interval"], _value(c, corollary=True))
    # Corollary 2: e^x - 1 <= e x for x <= 1/4, so Corollary 3's bound is below Theorem 5's
    assert F(c["corollary_interval"][1]) <= F(c["bound_interval"][0])
    assert not xor["conclusion"]["corollary_3"] and "corollary_interval" not in xor["witnesses"]


def test_rescaled_units_and_exact_inputs(judge):
    c = judge["conclusion"]
    assert c["scale"] == {"low": "0", "width": "2"}  # utilities of judge-prosecutor span [0, 2]
    assert (c["first_best"], c["epsilon"]) == ("2", "1/4")
    assert c["zeta_squared"] == "3/5000000000000000000000000000"  # 3 |A| / (K delta), |A| = 2
    lo, hi = (F(v) for v in c["bound_interval"])
    assert [F(v) for v in c["bound_interval_file_units"]] == [2 * lo, 2 * hi]
    assert judge["holds"] is True and c["substitutes"]["checks"] == "6"  # |X_A| = 1: trivial


def test_xor_fails_substitutes_so_the_theorem_says_nothing(xor):
    c = xor["conclusion"]
    assert xor["holds"] is False and c["scale"] == {"low": "0", "width": "1"}
    assert c["substitutes"]["worst"] == {
        "action": "guess-even",
        "alice_features": ["heads", "tails"],
        "sender_features": ["heads", "tails"],
        "lhs": "1/4",
        "rhs": "0",
    }


def test_sixth_root_enclosure():
    for square in (F(64, 729), F(3, 5 * 10**29), F(10**12)):
        lo, hi = sixth_root_interval(square)
        assert 0 <= lo and lo**6 <= square <= hi**6 and hi - lo == F(1, 2**96)


def _forged(cert: dict, change) -> dict:
    bad = copy.deepcopy(cert)
    change(bad)
    return bad


def _collapse(key: str, keep: int):
    """Make the witness interval ``key`` a point: both ends its end ``keep``."""

    def change(cert: dict) -> None:
        ends = cert["witnesses"][key]
        ends[:] = [ends[keep], ends[keep]]

    return change


@pytest.mark.parametrize(
    "change, problem",
    [
        (_collapse("bound_interval", 1), "bound_interval"),
        (_collapse("root_interval", 0), "root_interval"),
        (lambda c: c["witnesses"].pop("corollary_interval"), "corollary_interval"),
        (lambda c: c["witnesses"]["fit"].update(offset="1"), "epsilon is not proven minimal"),
        (lambda c: c["parameters"].update(rounds="1/2"), "parameters.rounds"),
        (lambda c: c["parameters"].update(delta_conv="1"), "parameters.delta_conv"),
        (lambda c: c["conclusion"]["substitutes"].update(holds=False), "conclusion.substitutes"),
        (lambda c: c.update(holds=False), "holds"),
    ],
)
def test_forgeries_are_invalid(judge, change, problem):
    with pytest.raises(Invalid, match=problem):
        check(_forged(judge, change))


def test_a_second_prior_cannot_borrow_the_certificate(judge, xor):
    swap = {key: xor[key] for key in ("instance_text", "instance_sha256")}
    bad = _forged(judge, lambda c: c.update(swap))
    with pytest.raises(Invalid):
        check(bad)


def test_beyond_the_substitutes_limit_is_refused_or_left_out():
    wide = parse_instance(_wide(10, 10))
    with pytest.raises(BeyondLimit, match="MAX_SUBSTITUTE_CHECKS"):
        theorem_5_certificate(wide, F(1), 10**9, F(1, 100))
    assert "theorem-5" not in _claims(wide, None, "wide.json")
    assert _claims(wide, ["theorem-5"], "wide.json") == ["theorem-5"]  # then refused in the writer


def test_the_program_certifies_and_checks(console, tmp_path):
    options = ["--lambda", "1", "--conversation-rounds", str(LARGE_K), "--json"]
    run = console("certify", "xor-prior", "--claim", "theorem-5", "--out", str(tmp_path / "certs"),
                  *options)  # fmt: skip
    assert run.returncode == 0, run.stderr
    [row] = json.loads(run.stdout)["claims"]
    assert row["name"] == "theorem-5" and row["holds"] is False
    assert row["conclusion"]["corollary_3"] is True
    checked = console("check", str(tmp_path / "certs" / "theorem-5.json"))
    assert checked.returncode == 0 and checked.stdout.startswith("VALID")


@pytest.mark.parametrize(
    "args, problem",
    [
        (["--conversation-rounds", "0"], "must be >= 1"),
        (["--delta-conv", "1"], "must be < 1"),
        (["--lambda", "100000000"], "MAX_NUMBER_CHARS"),
    ],
)
def test_hostile_options_are_one_line(console, args, problem):
    run = console("certify", "xor-prior", "--claim", "theorem-5", *args)
    assert run.returncode == 2 and run.stdout == ""
    assert problem in run.stderr and len(run.stderr.splitlines()) == 1
