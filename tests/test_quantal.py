"""Alice's quantal response in the one-round game (Section D; issue 11, point 4): the enclosed
outcome (Definitions 11-12), the QRE check, Definition 13's delta and the theorem-2 certificate."""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction as F

import mpmath
import pytest
from hypothesis import given, settings, strategies as st

from persuasion import api, limits
from persuasion.checker import Invalid, check
from persuasion.checker.enclosures import log_bounds
from persuasion.checker.quantal import delta_interval, response, uniform_error, interval
from persuasion.catalog import instance_file
from persuasion.errors import InputError
from persuasion.model import revealing_profile, silent_profile
from persuasion.qre.deviation import deviation_bounds
from persuasion.qre.outcome import quantal_outcome
from persuasion.receiver import outcome, situations
from persuasion.rationals import to_fraction
from persuasion.testing import instances, profiles
from persuasion.witnesses.quantal import theorem_2

ETA = F(1, 1000)


def quantal(instance, lam):
    """``instance`` with Alice lambda-quantal."""
    protocol = dataclasses.replace(instance.protocol, decision="quantal", lam=F(lam))
    return dataclasses.replace(instance, protocol=protocol)


def mp_outcome(instance, profile):
    """The quantal utilities at 60 digits with mpmath, straight from Definition 11."""
    matrices = [instance.alice_utility, *(s.utility for s in instance.senders)]
    totals = [mpmath.mpf(0)] * len(matrices)
    with mpmath.workdps(60):
        lam = float_free(instance.protocol.lam)
        for weights in situations(instance, profile).values():
            w = [mpmath.mpf(to_fraction(v).numerator) / to_fraction(v).denominator for v in weights]
            mu = [mpmath.fsum(p * float_free(u) for p, u in zip(w, row, strict=True)) / sum(w)
                  for row in instance.alice_utility]  # fmt: skip
            exps = [mpmath.exp(lam * m) for m in mu]
            q = [e / mpmath.fsum(exps) for e in exps]
            for k, matrix in enumerate(matrices):
                totals[k] += mpmath.fsum(
                    qa * mpmath.fsum(p * float_free(u) for p, u in zip(w, row, strict=True))
                    for qa, row in zip(q, matrix, strict=True)
                )
    return totals


def float_free(x: F):
    return mpmath.mpf(x.numerator) / x.denominator


def contains(pair, value) -> bool:
    """``value`` (an mpmath number computed at 60 digits) lies in the enclosure ``pair``."""
    with mpmath.workdps(60):
        lo, hi = pair
        return float_free(lo) <= value <= float_free(hi)


def e2() -> mpmath.mpf:
    """``e^2 / (1 + e^2)`` at 60 digits."""
    with mpmath.workdps(60):
        return mpmath.e**2 / (1 + mpmath.e**2)


# ---------------------------------------------------------------- the outcome, enclosed


def test_the_catalog_game_by_hand():
    """quantal-advisers: revealing, Alice knows the state and matches it with probability
    e^2/(1+e^2); the hawk gains P(b)/2 = 1/4 on top, the dove loses it.  Silent: beliefs (1/2,
    1/2), each action with probability 1/2 exactly."""
    inst = api.load("quantal-advisers")
    o = quantal_outcome(inst, revealing_profile(inst))
    right = e2()
    assert contains(o.alice_utility, right)
    with mpmath.workdps(60):
        assert contains(o.sender_utilities[0], right + mpmath.mpf(1) / 4)
        assert contains(o.sender_utilities[1], right - mpmath.mpf(1) / 4)
    assert o.alice_utility[1] - o.alice_utility[0] < F(1, 2**100)
    still = quantal_outcome(inst, silent_profile(inst))
    assert still.alice_utility == (F(1, 2), F(1, 2))
    assert still.situations[0].action_probabilities == ((F(1, 2), F(1, 2)),) * 2
    assert still.joint == ((((F(1, 4), F(1, 4)),) * 2,) * 2)


@settings(max_examples=25, deadline=None)
@given(st.data(), st.sampled_from([F(1, 3), F(2), F(17, 2), F(40)]))
def test_enclosures_contain_the_60_digit_values(data, lam):
    inst = quantal(data.draw(instances(max_states=3, max_actions=3, max_alice_features=2)), lam)
    profile = data.draw(profiles(inst))
    o = quantal_outcome(inst, profile)
    truth = mp_outcome(inst, profile)
    for pair, value in zip([o.alice_utility, *o.sender_utilities], truth, strict=True):
        assert contains(pair, value)
        assert pair[1] - pair[0] < F(1, 2**90)
    total = sum(lo for row in o.joint for lo, _ in row)
    assert total <= 1 <= sum(hi for row in o.joint for _, hi in row)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.fractions(-3, 3, max_denominator=7), min_size=1, max_size=5),
    st.fractions(F(1, 10), 50, max_denominator=10),
)
def test_lemma_1_quantal_utility_within_log_a_over_lambda(mu, lam):
    """Lemma 1 on the response the outcome uses: ``max mu - sum q mu <= log|A| / lambda``."""
    alice = [[m] for m in mu]  # one state: mu is the belief vector itself
    q = [interval(p) for p in response(alice, [F(1)], lam)]
    gap_hi = sum((hi * (max(mu) - m) for (_, hi), m in zip(q, mu, strict=True)), F(0))
    assert gap_hi <= log_bounds(len(mu), 64)[1] / lam + F(1, 2**60)


@pytest.mark.parametrize("slug", ["kg-prosecutor", "judge-prosecutor", "medical"])
@pytest.mark.parametrize("lam", [10, 100, 1000])
def test_large_lambda_approaches_best_response(catalog, slug, lam):
    """``BR - log|A| / lambda <= U_A^quantal <= BR`` at every profile (Lemma 1 summed)."""
    inst = quantal(catalog(slug), lam)
    for profile in (revealing_profile(inst), silent_profile(inst)):
        best = outcome(inst, profile).alice_utility
        lo, hi = quantal_outcome(inst, profile).alice_utility
        assert lo <= best + F(1, 2**100)
        assert hi >= best - log_bounds(inst.num_actions, 64)[1] / lam


# ---------------------------------------------------------------- the QRE check


def test_revealing_advisers_are_a_qre_within_a_small_eta():
    inst = api.load("quantal-advisers")
    found = api.verify(inst, revealing_profile(inst))
    assert found.verdict == "qre-within-eta" and 0 < found.eta_bound < F(1, 100)
    for d in found.deviations:  # the other adviser reveals: no deviation changes anything
        assert d.gain[0] == 0 and d.best_lower <= d.value[1] and d.grid_step == 4096


def test_silence_is_not_a_qre():
    """Silent advisers: the hawk revealing t gets Alice to play b more often."""
    inst = api.load("quantal-advisers")
    found = api.verify(inst, silent_profile(inst))
    assert found.verdict == "not-a-qre"
    hawk = found.deviations[0]
    assert hawk.gain[0] > F(1, 10)
    deviated = quantal_outcome(inst, silent_profile(inst).replace(0, hawk.scheme))
    assert deviated.sender_utilities[0][1] >= hawk.best_lower


@settings(max_examples=15, deadline=None)
@given(st.data(), st.sampled_from([F(1, 2), F(3), F(12)]))
def test_no_scheme_beats_the_upper_bound(data, lam):
    """Brute force: random schemes of sender 0 are worth at most the certified upper bound, and
    the bound's scheme is worth at least its lower bound."""
    inst = quantal(data.draw(instances(max_states=2, max_actions=3, max_alice_features=2)), lam)
    profile = data.draw(profiles(inst))
    found = deviation_bounds(inst, profile, 0, 20_000, "x")
    assert found.lower <= found.upper
    for _ in range(3):
        other = data.draw(profiles(inst)).schemes[0]
        value = quantal_outcome(inst, profile.replace(0, other)).sender_utilities[0]
        assert value[0] <= found.upper
    if found.scheme is not None:
        value = quantal_outcome(inst, profile.replace(0, found.scheme)).sender_utilities[0]
        assert value[1] >= found.lower


def test_a_grid_beyond_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_QRE_GRID_WORK", 4)
    inst = api.load("quantal-advisers")
    with pytest.raises(InputError, match="MAX_QRE_GRID_WORK = 4"):
        api.verify(inst, revealing_profile(inst), source="q.json")


def test_multi_round_quantal_solve_is_refused():
    """verify plays R rounds (tests/test_quantal_conversation.py); solve searches one round."""
    inst = api.load("quantal-advisers")
    two = dataclasses.replace(inst, protocol=dataclasses.replace(inst.protocol, rounds=2))
    with pytest.raises(InputError, match="rounds must be 1"):
        api.solve(two, source="q.json")


# ---------------------------------------------------------------- delta (Definition 13)


def test_delta_is_zero_when_c_star_reveals():
    inst = api.load("quantal-advisers")
    scheme = revealing_profile(inst).schemes[0]
    assert uniform_error(inst.prior, inst.alice_utility, scheme) == 0
    assert delta_interval(F(2), F(0)) == (0, 0)


def test_delta_of_a_pooling_rule_by_hand():
    """Pooling both states: beliefs (1, 0) and (0, 1) share a cell, eps_u = 1, and 4 lambda eps_u
    = 8 >= 2 makes the trivial delta = 2; with lambda = 1/10, delta = e^(2/5) - 1."""
    inst = api.load("quantal-advisers")
    pooled = silent_profile(inst).schemes[0]
    assert uniform_error(inst.prior, inst.alice_utility, pooled) == 1
    assert delta_interval(F(2), F(1)) == (2, 2)
    with mpmath.workdps(60):
        assert contains(delta_interval(F(1, 10), F(1)), mpmath.exp(mpmath.mpf(2) / 5) - 1)


@settings(max_examples=20, deadline=None)
@given(st.data(), st.sampled_from([F(1, 2), F(2), F(5)]))
def test_delta_bounds_every_pair_of_deviations(data, lam):
    """Definition 13 by brute force: any two senders deviating to a reference rule induce joint
    distributions at most delta apart in l_1."""
    inst = quantal(data.draw(instances(max_states=3, max_actions=2, min_senders=2)), lam)
    profile = data.draw(profiles(inst))
    reference = data.draw(profiles(inst)).schemes[0]
    if len(reference[0]) > min(len(s.messages) for s in inst.senders):
        return
    dists = [quantal_outcome(inst, profile.replace(i, reference)).joint for i in (0, 1)]
    gap = sum(
        max(F(0), a[0] - b[1], b[0] - a[1])
        for ra, rb in zip(*dists, strict=True)
        for a, b in zip(ra, rb, strict=True)
    )
    delta = delta_interval(lam, uniform_error(inst.prior, inst.alice_utility, reference))
    assert gap <= delta[1]


# ---------------------------------------------------------------- Theorem 2's certificate


@pytest.fixture(scope="module")
def advisers():
    return api.load("quantal-advisers")


def test_theorem_2_at_the_revealing_profile_is_tight(advisers):
    cert = theorem_2(advisers, revealing_profile(advisers), eta=ETA)
    result = check(json.loads(json.dumps(cert)))
    assert result["holds"] is True and cert["holds"] is True
    c = result["conclusion"]
    assert (c["epsilon"], c["eps_u"], c["delta"]) == ("0", "0", ["0", "0"])
    lo = F(c["alice_utility"][0])
    assert 0 <= lo - F(c["bound"]) < F(1, 2**100)  # U_A(C*) = U_A here: the bound is attained
    assert contains(tuple(map(F, c["aligned_utility"])), e2())


def test_theorem_2_with_gains_at_silence(advisers):
    """Silent advisers: each gains by revealing, and the bound subtracts their weighted gains."""
    c = check(theorem_2(advisers, silent_profile(advisers), eta=ETA))["conclusion"]
    gains = [F(g) for g in c["gains"]]
    assert all(g > F(1, 10) for g in gains)
    assert F(c["bound"]) < F(1, 2) <= F(c["alice_utility"][1])


def _forged(cert, path, value):
    bad = json.loads(json.dumps(cert))
    node = bad
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return bad


@pytest.mark.parametrize(
    "path, value, problem",
    [
        (("conclusion", "bound"), "1", "conclusion.bound"),
        (("conclusion", "delta"), ["0", "1/2"], "conclusion.delta"),
        (("conclusion", "eps_u"), "1/3", "conclusion.eps_u"),
        (("holds",), False, "holds"),
        (("witnesses", "fit", "weights"), ["1", "0"], "epsilon is not proven minimal"),
        (("profile", "rules", "hawk", "t"), {"1": "1"}, "conclusion"),
    ],
)
def test_a_tampered_theorem_2_certificate_is_invalid(advisers, path, value, problem):
    cert = theorem_2(advisers, silent_profile(advisers), eta=ETA)
    with pytest.raises(Invalid, match=problem):
        check(_forged(cert, path, value))


def test_theorem_2_of_a_best_responding_alice_is_invalid(catalog):
    inst = catalog("kg-prosecutor")
    cert = theorem_2(quantal(inst, 2), revealing_profile(inst), eta=ETA)
    body = json.loads(cert["instance_text"])
    body["protocol"] = {}
    cert["instance_text"] = json.dumps(body)
    cert["instance_sha256"] = (
        __import__("hashlib").sha256(cert["instance_text"].encode()).hexdigest()
    )
    with pytest.raises(Invalid, match="quantal decision rule"):
        check(cert)


def test_certify_refuses_theorem_2_for_best_response(catalog):
    with pytest.raises(InputError, match="theorem-2 is about a quantal-responding Alice"):
        api.certify(catalog("kg-prosecutor"), claims=["theorem-2"])


# ---------------------------------------------------------------- the installed program


def test_console_verify_on_the_quantal_game(console):
    text = console("verify", "quantal-advisers", _profile_file(console))
    assert text.returncode == 0, text.stderr
    assert "QRE check (Definition 12): NOT a quantal response equilibrium" in text.stdout
    report = json.loads(
        console("verify", "quantal-advisers", _profile_file(console), "--json").stdout
    )
    assert report["verdict"] == "not-a-qre" and report["decision"]["lambda"] == "2"
    assert report["alice_utility"] == ["1/2", "1/2"]
    assert report["situations"][0]["action_probabilities"]["a"] == ["1/2", "1/2"]


def _profile_file(console) -> str:
    """The catalog's silent profile, written by the program itself."""
    out = console("catalog", "quantal-advisers", "--profile", "silent")
    path = __import__("pathlib").Path(__import__("tempfile").mkdtemp()) / "silent.json"
    path.write_text(out.stdout, encoding="utf-8")
    return str(path)


def test_console_certify_and_check_theorem_2(console, tmp_path):
    made = console("certify", "quantal-advisers", "--claim", "theorem-2", "--out", str(tmp_path))
    assert made.returncode == 0, made.stderr
    checked = console("check", str(tmp_path / "theorem-2.json"))
    assert checked.returncode == 0 and checked.stdout.startswith("VALID: theorem-2 holds")


def test_console_theorem_2_of_a_best_response_game_is_one_line(console):
    result = console("certify", "kg-prosecutor", "--claim", "theorem-2")
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "quantal-responding" in result.stderr


def test_an_outcome_beyond_the_exponentials_limit_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_QUANTAL_EXPONENTIALS", 7)
    inst = api.load("quantal-advisers")
    with pytest.raises(InputError, match="MAX_QUANTAL_EXPONENTIALS = 7"):
        api.verify(inst, revealing_profile(inst), source="q.json")
    with pytest.raises(InputError, match="theorem-2: instance: .* MAX_QUANTAL_EXPONENTIALS = 7"):
        api.certify(inst, claims=["theorem-2"])


def test_a_huge_lambda_is_one_line(console, tmp_path):
    """``lambda = 1e9999``: refused before any work, by verify and certify alike."""
    path = tmp_path / "huge.json"
    text = (instance_file("quantal-advisers")).read_text(encoding="utf-8")
    path.write_text(text.replace('"lambda": "2"', '"lambda": "1e9999"'), encoding="utf-8")
    profile = tmp_path / "p.json"
    profile.write_text(console("catalog", "quantal-advisers", "--profile", "silent").stdout)
    for argv in (
        ["verify", str(path), str(profile)],
        ["certify", str(path), "--claim", "theorem-2"],
    ):
        result = console(*argv)
        assert result.returncode == 2 and result.stdout == "", result.stderr
        assert len(result.stderr.splitlines()) == 1 and "MAX_QUANTAL_EXPONENT " in result.stderr
