"""A quantal-responding Alice in an R-round conversation (Section D.1; issue 11, point 4): her
straightforward reports (Definition 10), rules keyed by her belief vectors, the enclosed outcome
of her quantal response (Definition 11), Lemma 1's gap and Definition 13's delta."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
from fractions import Fraction as F
from pathlib import Path

import mpmath
import pytest
from hypothesis import given, settings, strategies as st

from persuasion import api
from persuasion.conversation.histories import parse_vector, vector_key
from persuasion.conversation.rules import ConversationProfile, HistoryTable
from persuasion.checker import Invalid, check
from persuasion.errors import InputError
from persuasion.instance import parse_instance
from persuasion.model import revealing_profile, silent_profile
from persuasion.profile import parse_conversation_profile
from persuasion.qre.conversation import quantal_conversation, report_classes, round_one_vectors
from persuasion.qre.deviation import _grid_bounds, deviation_bounds
from persuasion.qre.outcome import quantal_outcome
from persuasion.results.quantal import QuantalVerification
from persuasion.results.quantal_conversation import QuantalConversation
from persuasion.testing import instances, profiles

ROUND_1 = "[1/2, 1/2]"
AFTER_0 = "[1/2, 1/2] > 0 > [3/4, 1/4]"
AFTER_1 = "[1/2, 1/2] > 1 > [1/4, 3/4]"


def quantal(instance, lam, rounds=1):
    """``instance`` with Alice lambda-quantal for ``rounds`` rounds."""
    protocol = dataclasses.replace(instance.protocol, decision="quantal", lam=F(lam), rounds=rounds)
    return dataclasses.replace(instance, protocol=protocol)


def adviser_game(rounds: int = 2) -> dict:
    """One adviser sharing Alice's utility; the state is ``s`` or ``t``, equally likely."""
    return {
        "format": "persuasion-instance/1",
        "name": "two-round-adviser",
        "states": ["s", "t"],
        "actions": ["a", "b"],
        "prior": {"s": "1/2", "t": "1/2"},
        "alice": {"utility": [[1, 0], [0, 1]]},
        "senders": [{"name": "adviser", "utility": [[1, 0], [0, 1]]}],
        "protocol": {"rounds": rounds, "decision": {"rule": "quantal", "lambda": "2"}},
    }


def adviser_rules() -> dict:
    """Round 1: a noisy hint; round 2: reveal ``t`` after hint ``0``, else say ``0``."""
    return {
        "format": "persuasion-profile/1",
        "rules": {
            "adviser": {
                "s": {ROUND_1: {"0": "3/4", "1": "1/4"}, AFTER_0: {"0": 1}, AFTER_1: {"0": 1}},
                "t": {ROUND_1: {"0": "1/4", "1": "3/4"}, AFTER_0: {"1": 1}, AFTER_1: {"0": 1}},
            }
        },
    }


def adviser_utility() -> mpmath.mpf:
    """Alice's utility in the two-round adviser game, 60 digits (test_two_rounds_by_hand)."""
    with mpmath.workdps(60):
        e = mpmath.e
        return e**2 / (1 + e**2) / 2 + (1 + 3 * e) / (4 * (1 + e)) / 2


def contains(pair, value) -> bool:
    with mpmath.workdps(60):
        lo, hi = (mpmath.mpf(x.numerator) / x.denominator for x in pair)
        return lo <= value <= hi


def played(data: dict, rules: dict) -> QuantalConversation:
    inst = parse_instance(data, "g.json")
    return api.verify(inst, parse_conversation_profile(rules, inst, "p.json"), source="g.json")


# ---------------------------------------------------------------- two rounds, by hand


def test_two_rounds_by_hand():
    """Round 1: Alice reports the prior's vector ``[1/2, 1/2]``; the hint ``0`` comes with
    probability 3/4 from ``s`` and 1/4 from ``t``, so her round-2 report is ``P(s | 0) = 3/4``:
    ``[3/4, 1/4]`` (after ``1``: ``[1/4, 3/4]``).  Round 2 reveals the state after ``0``:
    transcript ``0, 0`` (probability 3/8) leaves ``mu = [1, 0]``, ``0, 1`` (1/8) ``[0, 1]``;
    after ``1`` the adviser says ``0`` (1/2 in all) and ``mu = [1/4, 3/4]``.  Her quantal utility
    is ``1/2 e^2/(1+e^2) + 1/2 (1/4 + 3/4 e)/(1 + e)`` (``lambda = 2``: ``q(b) = e^{3/2} /
    (e^{1/2} + e^{3/2})``), her best-response utility after the same transcripts ``1/2 + 3/8``."""
    report = played(adviser_game(), adviser_rules())
    assert isinstance(report, QuantalConversation)
    said = [(t.said, t.probability, t.beliefs) for t in report.transcripts]
    half, hint_s, hint_t = (F(1, 2),) * 2, (F(3, 4), F(1, 4)), (F(1, 4), F(3, 4))
    assert said == [
        ((half, hint_s), F(3, 8), (1, 0)),
        ((half, hint_s), F(1, 8), (0, 1)),
        ((half, hint_t), F(1, 2), hint_t),
    ]
    assert report.transcripts[0].histories == (f"{AFTER_0} > 0",)
    assert contains(report.alice_utility, adviser_utility())
    assert contains(report.sender_utilities[0], adviser_utility())  # the adviser is Alice
    assert report.best_response_utility == F(7, 8)
    assert report.eps_u == 0 and report.delta == (0, 0)  # revealing x_B = the state: delta 0
    assert report.to_json()["qre_check"]["done"] is False


def test_a_key_in_another_spelling_is_the_same_history():
    rules = adviser_rules()
    s = rules["rules"]["adviser"]["s"]
    s["[0.5, 2/4]"] = s.pop(ROUND_1)
    assert (
        played(adviser_game(), rules).to_json() == played(adviser_game(), adviser_rules()).to_json()
    )
    assert vector_key(parse_vector(" [0.5 , 3/6] ", 2)) == ROUND_1


def test_history_free_rules_answer_every_round_afresh():
    """Revealing advisers in two rounds: Alice knows the state after round 1 and keeps it."""
    inst = quantal(api.load("quantal-advisers"), 2, rounds=2)
    report = api.verify(inst, revealing_profile(inst))
    assert [t.said[1] for t in report.transcripts] == [(1, 0), (0, 1)]
    with mpmath.workdps(60):
        assert contains(report.alice_utility, mpmath.e**2 / (1 + mpmath.e**2))


def brute_force(inst, profile) -> mpmath.mpf:
    """Alice's quantal utility after ``R`` rounds of rules that ignore the history, at 60 digits,
    straight from the definitions: every sequence of everyone's messages, Bayes' rule on it."""
    combos = list(itertools.product(*(range(len(s.messages)) for s in inst.senders)))
    total = mpmath.mpf(0)
    with mpmath.workdps(60):
        for table in inst.prior:
            for seq in itertools.product(combos, repeat=inst.protocol.rounds):
                w = [
                    sum(
                        row[y]
                        * math.prod(
                            (profile.schemes[i][xb][m] for said in seq for i, m in enumerate(said)),
                            start=F(1),
                        )
                        for xb, row in enumerate(table)
                    )
                    for y in range(inst.num_states)
                ]
                if not any(w):
                    continue
                gain = [sum(p * u for p, u in zip(w, r, strict=True)) for r in inst.alice_utility]
                mu = [mp(g / sum(w)) for g in gain]
                exps = [mpmath.exp(mp(inst.protocol.lam) * m) for m in mu]
                total += mpmath.fsum(
                    e * mp(g) for e, g in zip(exps, gain, strict=True)
                ) / mpmath.fsum(exps)
    return total


def mp(x: F) -> mpmath.mpf:
    return mpmath.mpf(x.numerator) / x.denominator


@settings(max_examples=15, deadline=None)
@given(st.data(), st.sampled_from([F(1, 2), F(3)]))
def test_two_rounds_contain_the_60_digit_value(data, lam):
    """The enclosure of Alice's utility after two rounds contains the brute-force value."""
    inst = quantal(data.draw(instances(max_states=2, max_actions=3, max_alice_features=2)), lam, 2)
    profile = data.draw(profiles(inst))
    report = quantal_conversation(inst, ConversationProfile.from_profile(profile))
    assert contains(report.alice_utility, brute_force(inst, profile))


# ---------------------------------------------------------------- one round


def test_one_round_is_todays_on_the_catalog_game():
    """The catalog's quantal-advisers has one Alice feature: her round-1 report is always
    ``[1/2, 1/2]``, and rules keyed by it are the one-round schemes (same report as today)."""
    inst = api.load("quantal-advisers")
    profile = silent_profile(inst)
    today = api.verify(inst, profile)
    assert isinstance(today, QuantalVerification)
    assert round_one_vectors(inst) == {0: (F(1, 2), F(1, 2))}
    keyed = ConversationProfile(
        tuple(
            tuple(HistoryTable((((((F(1, 2), F(1, 2)),)), row),)) for row in scheme)
            for scheme in profile.schemes
        )
    )
    assert api.verify(inst, keyed).to_json() == today.to_json()
    assert api.verify(inst, ConversationProfile.from_profile(profile)).to_json() == today.to_json()


@settings(max_examples=20, deadline=None)
@given(st.data(), st.sampled_from([F(1, 2), F(3)]))
def test_one_round_conversation_equals_the_one_round_outcome(data, lam):
    """History-free rules, one round: the conversation's enclosures and the one-round outcome's
    contain the same numbers, whatever Alice's features say."""
    inst = quantal(data.draw(instances(max_states=3, max_actions=3, max_alice_features=3)), lam)
    profile = data.draw(profiles(inst))
    talk = quantal_conversation(inst, ConversationProfile.from_profile(profile))
    once = quantal_outcome(inst, profile)
    pairs = [(talk.alice_utility, once.alice_utility)]
    pairs += list(zip(talk.sender_utilities, once.sender_utilities, strict=True))
    for (a, b), (c, d) in pairs:
        assert a <= d and c <= b  # the enclosures overlap


def seller_game() -> dict:
    """Alice's feature ``x`` makes ``s`` likely (3/4), ``z`` makes ``t`` likely; the seller (who
    knows the state) always wants action ``a``; Alice is 4-quantal."""
    data = adviser_game(rounds=1)
    data["features"] = {"alice": ["x", "z"], "senders": ["s", "t"]}
    data["prior"] = [
        {"alice": a, "senders": y, "state": y, "p": p}
        for a, y, p in [("x", "s", "3/8"), ("x", "t", "1/8"), ("z", "s", "1/8"), ("z", "t", "3/8")]
    ]
    data["senders"] = [{"name": "seller", "utility": [[1, 1], [0, 0]]}]
    data["protocol"]["decision"]["lambda"] = "4"
    return data


def test_the_upper_bound_covers_deviations_that_read_alice_report():
    """Definition 10 in one round: the seller hears Alice's report (``[3/4, 1/4]`` or ``[1/4,
    3/4]``) and may persuade each class differently.  Such a deviation, built from each class's
    grid scheme and played by the conversation engine, beats every report-blind scheme's upper
    bound (about 0.543 against 0.595) -- and stays below the QRE check's upper bound, which sums
    the classes' bounds."""
    inst = parse_instance(seller_game(), "g.json")
    profile = silent_profile(inst)
    blind = _grid_bounds(inst, profile, 0, 50_000, "x")  # report-blind schemes only
    found = deviation_bounds(inst, profile, 0, 50_000, "x")
    vectors, rows = round_one_vectors(inst), {xb: [] for xb in range(2)}
    for members in report_classes(inst):
        alone = [t if xa in members else tuple((F(0),) * 2 for _ in t)
                 for xa, t in enumerate(inst.prior)]  # fmt: skip
        mass = sum(sum(map(sum, t)) for t in alone)
        alone = tuple(tuple(tuple(v / mass for v in r) for r in t) for t in alone)
        scheme = deviation_bounds(dataclasses.replace(inst, prior=alone), profile, 0, 50_000, "x")
        for xb in range(2):
            rows[xb].append(((vectors[members[0]],), scheme.scheme[xb]))
    rules = ConversationProfile((tuple(HistoryTable(tuple(rows[xb])) for xb in range(2)),))
    value = quantal_conversation(inst, rules).sender_utilities[0]
    assert value[0] <= found.upper
    assert value[0] > F(59, 100) > F(55, 100) > blind.upper  # the blind bound was unsound


def test_rules_keyed_by_differing_reports_play_the_conversation():
    """Two Alice features with different reports, one round: rules keyed by the report are a
    conversation's (no QRE check), and the report class decides the answer."""
    data = adviser_game(rounds=1)
    data["features"] = {"alice": ["x", "z"], "senders": ["s", "t"]}
    data["prior"] = [
        {"alice": a, "senders": y, "state": y, "p": p}
        for a, y, p in [("x", "s", "3/8"), ("x", "t", "1/8"), ("z", "s", "1/8"), ("z", "t", "3/8")]
    ]
    inst = parse_instance(data, "g.json")
    assert len(report_classes(inst)) == 2
    rules = {
        "format": "persuasion-profile/1",
        "rules": {
            "adviser": {
                "s": {"[3/4, 1/4]": {"0": 1}, "[1/4, 3/4]": {"0": 1}},
                "t": {"[3/4, 1/4]": {"1": 1}, "[1/4, 3/4]": {"0": 1}},
            }
        },
    }
    report = api.verify(inst, parse_conversation_profile(rules, inst, "p.json"))
    assert isinstance(report, QuantalConversation)
    assert [(t.alice_feature, t.beliefs) for t in report.transcripts] == [
        ("x", (1, 0)),
        ("x", (0, 1)),
        ("z", (F(1, 4), F(3, 4))),
    ]


# ---------------------------------------------------------------- Lemma 1


@settings(max_examples=15, deadline=None)
@given(st.data())
def test_lemma_1_the_gap_shrinks_as_lambda_grows(data):
    """Alice's reports do not depend on lambda, so the transcripts are the same; her quantal
    utility rises with lambda (its derivative is a variance) towards her best-response utility
    after the same transcripts, within log|A| / lambda (Lemma 1)."""
    base = data.draw(instances(max_states=2, max_actions=3, max_alice_features=2))
    profile = data.draw(profiles(base))
    gaps = []
    for lam in (F(1, 2), F(4), F(64)):
        inst = quantal(base, lam, rounds=2)
        report = quantal_conversation(inst, ConversationProfile.from_profile(profile))
        lo, hi = report.lemma_1_gap
        assert F(0) <= hi and lo <= report.lemma_1_bound[1]
        gaps.append(report.lemma_1_gap)
    assert gaps[1][0] <= gaps[0][1] and gaps[2][0] <= gaps[1][1]


# ---------------------------------------------------------------- refusals


def test_alice_messages_beyond_one_is_refused():
    inst = api.load("quantal-advisers")
    two = dataclasses.replace(inst, protocol=dataclasses.replace(inst.protocol, alice_messages=2))
    with pytest.raises(InputError, match="belief vectors"):
        api.verify(two, revealing_profile(two), source="q.json")


def test_a_row_missing_where_play_reaches_is_one_error():
    rules = adviser_rules()
    del rules["rules"]["adviser"]["t"][AFTER_1]
    with pytest.raises(InputError, match="no row for feature 't' at history"):
        played(adviser_game(), rules)


# ---------------------------------------------------------------- the installed program


def _files(tmp_path, rules: dict | None = None) -> tuple[str, str]:
    game, profile = tmp_path / "game.json", tmp_path / "rules.json"
    game.write_text(json.dumps(adviser_game()), encoding="utf-8")
    profile.write_text(json.dumps(rules or adviser_rules()), encoding="utf-8")
    return str(game), str(profile)


def test_console_verify_and_converse_a_two_round_conversation(console, tmp_path):
    game, rules = _files(tmp_path)
    text = console("verify", game, rules)
    assert text.returncode == 0, text.stderr
    assert "QRE check (Definition 12): not done" in text.stdout
    assert f"adviser: {AFTER_0} > 1" in text.stdout
    report = json.loads(console("verify", game, rules, "--json").stdout)
    assert report["rounds"] == 2 and report["best_response_utility"] == "7/8"
    assert report["transcripts"][2]["alice_messages"] == [ROUND_1, "[1/4, 3/4]"]
    assert contains([F(x) for x in report["alice_utility"]], adviser_utility())
    talked = json.loads(console("converse", game, rules, "--json").stdout)
    assert talked == report


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("[1/2]", "one number per action"),
        ("1/2, 1/2", "is not Alice's belief vector"),
        ("[1/2, x]", "Alice's belief vector"),
        ("[1/2, 1/2] > 2 > [1, 0]", "is not one of the sender's messages"),
    ],
)
def test_console_bad_keys_are_one_line(console, tmp_path, key, problem):
    rules = adviser_rules()
    rules["rules"]["adviser"]["s"][key] = {"0": 1}
    game, path = _files(tmp_path, rules)
    out = console("verify", game, path)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and problem in out.stderr, out.stderr


def test_console_solve_refuses_two_rounds(console, tmp_path):
    game, _ = _files(tmp_path)
    solved = console("solve", game)
    assert solved.returncode == 2 and solved.stderr.count("\n") == 1
    assert "rounds must be 1" in solved.stderr


def test_console_certify_theorem_2_in_two_rounds(console, tmp_path):
    """Theorem 2 with gains after two rounds, derived by the kernel: C* reveals the state (eps_u
    = 0, delta = 0) and gives Alice e^2/(1+e^2); the adviser (whose utility is Alice's) gains
    that minus her 0.748 by deviating to it, so the bound is her utility itself."""
    game, rules = _files(tmp_path)
    made = console("certify", game, rules, "--claim", "theorem-2", "--out", str(tmp_path / "c"))
    assert made.returncode == 0, made.stderr
    path = tmp_path / "c" / "theorem-2.json"
    checked = console("check", str(path))
    assert checked.returncode == 0 and "VALID: theorem-2 holds" in checked.stdout
    cert = json.loads(path.read_text(encoding="utf-8"))
    out = cert["conclusion"]
    assert contains([F(x) for x in out["alice_utility"]], adviser_utility())
    with mpmath.workdps(60):
        e2 = mpmath.e**2 / (1 + mpmath.e**2)
        assert contains([F(x) for x in out["aligned_utility"]], e2)
        assert abs(float(F(out["gains"][0])) - float(e2 - adviser_utility())) < 1e-30
        assert abs(float(F(out["bound"])) - float(adviser_utility())) < 1e-30
    assert out["delta"] == ["0", "0"] and cert["holds"] is True
    cert["conclusion"]["bound"] = "3/4"  # more than the kernel derives: refuted
    path.write_text(json.dumps(cert), encoding="utf-8")
    assert console("check", str(path)).returncode != 0


@pytest.mark.parametrize(
    ("rename", "problem"),
    [
        (("[1/2, 1/2]", "[0.5, 2/4]"), "names a history twice"),
        (("[1/2, 1/2]", "[1/2]"), "is not a belief vector of 2"),
        (("[1/2, 1/2]", "[1/2, x]"), "not an exact number"),
    ],
)
def test_the_kernel_reads_belief_keys_strictly(rename, problem):
    """A forged theorem-2 certificate of two rounds: the kernel's own reader refuses a key that
    names a history already named, or that is not a belief vector."""
    inst = parse_instance(adviser_game(), "g.json")
    rules = parse_conversation_profile(adviser_rules(), inst, "p.json")
    made = api.certify(inst, rules, claims=["theorem-2"])
    cert = json.loads(made.claims[0].certificate_text)
    row = cert["profile"]["rules"]["adviser"]["s"]
    old, new = rename
    row[new] = dict(row[old])
    if problem != "names a history twice":
        del row[old]
    with pytest.raises(Invalid, match=problem):
        check(cert)


@pytest.mark.parametrize("command", ["verify", "converse", "certify"])
def test_console_a_huge_number_of_rounds_is_one_line(console, tmp_path, command):
    """Each round adds a step at least: a billion rounds is refused before any work."""
    data = adviser_game(rounds=10**9)
    game, rules = _files(tmp_path)
    Path(game).write_text(json.dumps(data), encoding="utf-8")
    extra = ["--claim", "theorem-2"] if command == "certify" else []
    out = console(command, game, rules, *extra)
    assert out.returncode == 2 and out.stdout == "" and out.stderr.count("\n") == 1, out.stderr
    assert "1000000" in out.stderr  # MAX_QUANTAL_EXPONENTIALS or MAX_CONVERSATION_NODES
