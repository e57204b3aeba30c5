"""verify, best_response and solve in conversations (issue 11, point 3: the front doors).

The Nash gap of a conversation profile is recomputed here from the engine
(:func:`persuasion.conversation.sender.conversation_best_response`) and Alice's best response
(:mod:`persuasion.conversation.alice`); the known answers are derived by hand in the docstrings.
"""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import persuasion as ps
from conftest import ROOT
from persuasion.conversation.alice import best_conversation_rule
from persuasion.conversation.rules import ConversationProfile
from persuasion.conversation.sender import conversation_best_response
from persuasion.conversation.tree import compile_game
from persuasion.errors import InputError
from persuasion.model import revealing_profile, silent_profile
from persuasion.profile import dump_conversation_profile, dump_profile
from persuasion.testing import instances, profiles

F = Fraction
QUESTIONS = "collina-et-al-2025-two-round-questions"
JUDGE = ROOT / "instances" / "judge-prosecutor.json"


def _questions_rules(name: str) -> ConversationProfile:
    return ps.catalog.entry(QUESTIONS).conversation(name)


def _file(tmp_path, name: str, data: dict) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def _asking_judge():
    """The judge game (Appendix I) where Alice sends each sender one of 2 messages before it
    answers: one round, ``alice_messages`` 2 -- a conversation."""
    judge = ps.load(JUDGE)
    return dataclasses.replace(
        judge, protocol=dataclasses.replace(judge.protocol, alice_messages=2)
    )


def _recomputed_gap(instance, rules: ConversationProfile) -> Fraction:
    """max_i (sup of sender i's utility over rules - their utility): Definition 7, from the
    engine and Alice's backward induction directly."""
    game = compile_game(instance)
    current = best_conversation_rule(game, rules).outcome.sender_utilities
    return max(
        conversation_best_response(game, rules, i).value - current[i]
        for i in range(instance.num_senders)
    )


# ---------------------------------------------------------------- verify


@pytest.mark.parametrize("name", ["truthful", "first-bit", "first-answer-only"])
def test_the_nash_gap_is_the_largest_gain_recomputed(name):
    """The oracle can always make Alice guess 00 (answer "no" whatever it is asked: her
    posterior stays uniform and ties go to guess-00), so its best value is 1 whatever the
    profile, and the gap is 1 minus its utility: 3/4 against the truthful oracle, whose
    answers let Alice name the state (she guesses 00 with probability 1/4)."""
    game = ps.catalog.load(QUESTIONS)
    rules = _questions_rules(name)
    checked = ps.verify(game, rules)
    assert isinstance(checked, ps.ConversationVerification)
    assert checked.nash_gap == _recomputed_gap(game, rules)
    [dev] = checked.deviations
    assert dev.best.value == 1 and dev.best.attained is True and dev.best.achieved == 1
    assert checked.nash_gap == 1 - checked.sender_utilities[0] == dev.gain
    assert checked.alice_utility == ps.converse(game, rules).alice_utility
    if name == "truthful":
        assert (checked.alice_utility, checked.nash_gap) == (1, F(3, 4))
        assert not checked.is_equilibrium and checked.nash_conv == F(3, 4)


def test_verify_with_alice_messages_matches_one_round_where_her_messages_say_nothing():
    """In the judge game Alice has no features, so what she says carries nothing: at the
    silent profile Alice convicts (posterior 2/3 guilty: convict 5/3 > acquit 4/3), the
    prosecutor gets its most (5/3), and the defense's best is Kamenica-Gentzkow's: pool all of
    the innocent third with a third of the guilty at posterior 1/2 (ties acquit), acquitting
    with probability 2/3, worth 1/3 + 2/3 = 1 -- gap 1, as in one round.  Revealing is an
    equilibrium (Alice learns the state whatever one sender does): gap 0, Alice 2 = OPT."""
    judge = ps.load(JUDGE)
    asking = _asking_judge()
    for start, gap in ((silent_profile(judge), 1), (revealing_profile(judge), 0)):
        one, talk = ps.verify(judge, start), ps.verify(asking, start)
        assert talk.nash_gap == one.nash_gap == gap
        assert [d.best.value for d in talk.deviations] == [d.best.value for d in one.deviations]
        assert talk.sender_utilities == one.sender_utilities
        rules = ConversationProfile.from_profile(start)
        assert talk.nash_gap == _recomputed_gap(asking, rules)
    assert ps.verify(asking, revealing_profile(judge)).alice_utility == 2


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_the_conversation_path_agrees_with_one_round_on_one_round_games(data):
    """One round, Alice silent, played through the conversation machinery (compiled game,
    conversation engine, the same deviations and gap): the one-round verify's numbers."""
    from persuasion.api.common import ETA
    from persuasion.api.conversation_play import verify_conversation
    from persuasion.games import game

    instance = data.draw(instances(max_states=2, max_actions=2, max_alice_features=2))
    profile = data.draw(profiles(instance))
    one = ps.verify(instance, profile)
    talk = verify_conversation(instance, profile, game("simultaneous"), ETA, ("auto",) * 2, "t")
    assert talk.nash_gap == one.nash_gap and talk.nash_conv == one.nash_conv
    assert talk.sender_utilities == one.sender_utilities
    assert talk.alice_utility == one.alice_utility and talk.joint == one.joint
    assert [d.best.value for d in talk.deviations] == [d.best.value for d in one.deviations]


def test_a_deviation_to_revealing_bounds_the_best_value_from_below():
    """At the oblivious profile (prosecutor silent; defense: guilty -> half 'guilty' half
    'innocent', innocent -> 'innocent') the prosecutor gets 2/3; revealing the state makes
    Alice convict exactly the guilty, worth 2 * 2/3 = 4/3 to it, so its gain is at least 2/3
    (one round: its best value is 5/3)."""
    from persuasion.starts import start_profile

    judge = ps.load(JUDGE)
    asking = _asking_judge()
    oblivious = start_profile(judge, "oblivious")
    game = compile_game(asking)
    rules = ConversationProfile.from_profile(oblivious)
    revealing = ConversationProfile.from_profile(revealing_profile(judge)).rules[0]
    worth = best_conversation_rule(game, rules.replace(0, revealing)).outcome.sender_utilities
    assert worth[0] == F(4, 3)
    assert ps.verify(asking, oblivious).deviations[0].best.value >= F(4, 3)


def test_verify_from_the_console(console, tmp_path):
    game = ps.catalog.load(QUESTIONS)
    rules = _questions_rules("truthful")
    profile = _file(tmp_path, "truthful.json", dump_conversation_profile(rules, game))
    text = console("verify", QUESTIONS, profile)
    assert text.returncode == 0 and text.stderr == "", text.stderr
    assert "Nash gap (largest gain): 3/4 -> NOT a Nash equilibrium" in text.stdout
    assert "Alice's conversation rule (Definition 6)" in text.stdout
    assert "Best deviations: pi_i(message | x_B, history)" in text.stdout
    shown = console("verify", QUESTIONS, profile, "--json")
    assert shown.returncode == 0 and shown.stderr == ""
    report = json.loads(shown.stdout)
    assert report == ps.verify(game, rules).to_json()
    assert report["optimality"] == "exact" and report["deviations"][0]["optimality"] == "exact"
    assert "rule" in report["deviations"][0] and "scheme" not in report["deviations"][0]


def test_verify_of_a_game_with_alice_messages_from_the_console(console, tmp_path):
    judge = ps.load(JUDGE)
    asking = _asking_judge()
    data = json.loads(JUDGE.read_text())
    data["protocol"]["alice_messages"] = 2
    instance = _file(tmp_path, "asking.json", data)
    profile = _file(tmp_path, "silent.json", dump_profile(silent_profile(judge), judge))
    run = console("verify", instance, profile, "--json")
    assert run.returncode == 0 and run.stderr == "", run.stderr
    report = json.loads(run.stdout)
    assert report["nash_gap"] == "1" and report["alice_messages"] == 2
    assert report == ps.verify(asking, silent_profile(judge)).to_json()


# ---------------------------------------------------------------- best responses


def test_best_response_in_a_conversation():
    game = ps.catalog.load(QUESTIONS)
    best = ps.best_response(game, _questions_rules("truthful"), "oracle")
    assert isinstance(best, ps.ConversationBestResponseResult)
    assert (best.value, best.attained, best.achieved, best.shortfall) == (1, True, 1, 0)
    played = ps.converse(game, ConversationProfile((best.rule,)))
    assert played.sender_utilities == (1,) and played.alice_utility == F(1, 4)
    assert set(best.to_json()) == {
        "sender", "best_value", "attained", "achieved", "shortfall", "optimality", "rule",
    }  # fmt: skip


def test_best_response_from_the_console(console, tmp_path):
    """One round (the judge game, silent profile): the defense's best value is
    Kamenica-Gentzkow's 1 (above), attained; in the two-round game the oracle's is 1."""
    judge = ps.load(JUDGE)
    silent = _file(tmp_path, "silent.json", dump_profile(silent_profile(judge), judge))
    run = console("best-response", str(JUDGE), silent, "defense", "--json")
    assert run.returncode == 0 and run.stderr == "", run.stderr
    report = json.loads(run.stdout)
    assert report == ps.best_response(judge, silent_profile(judge), "defense").to_json()
    assert (report["best_value"], report["attained"], report["sender"]) == ("1", True, "defense")
    game = ps.catalog.load(QUESTIONS)
    rules = _questions_rules("first-bit")
    profile = _file(tmp_path, "first.json", dump_conversation_profile(rules, game))
    text = console("best-response", QUESTIONS, profile, "oracle")
    assert text.returncode == 0 and text.stderr == "", text.stderr
    assert "best value (a supremum over every rule): 1" in text.stdout
    assert "The rule returned: pi(message | x_B, history)" in text.stdout
    _one_line(console("best-response", QUESTIONS, profile, "judge"), "no sender 'judge'")
    _one_line(
        console("best-response", QUESTIONS, profile, "oracle", "--route", "enumeration"),
        "--route enumeration",
    )


# ---------------------------------------------------------------- solve


def test_solve_reaches_the_oracles_equilibrium_from_the_console(console, tmp_path):
    """Every equilibrium gives the oracle its best value 1 (it can always get it, above),
    so Alice guesses 00 whatever she hears and gets P(00) = 1/4.  U_A(C*) = 1: an aligned
    oracle answers truthfully and two questions name the state.  The non-negative alignment
    error is 1/2 (weight 0, offset 1/2: u_A is 0 or 1), so Theorem 1's bound is 1 - 2 * 1/2 = 0."""
    out = tmp_path / "equilibrium.json"
    run = console("solve", QUESTIONS, "--json", "--out", str(out))
    assert run.returncode == 0 and run.stderr == "", run.stderr
    report = json.loads(run.stdout)
    eq = report["equilibrium"]
    assert (eq["alice_utility"], eq["sender_utilities"], eq["nash_gap"]) == ("1/4", ["1"], "0")
    assert eq["status"] == "converged" and eq["optimality"] == "exact"
    assert (report["first_best"], report["aligned_value"]) == ("1", "1")
    assert report["bound"]["value"] == "0" and report["bound"]["holds"] is True
    game = ps.catalog.load(QUESTIONS)
    found = ps.load_conversation_profile(out, game)
    assert _recomputed_gap(game, found) == 0
    assert json.loads(out.read_text()) == eq["profile"]
    again = console("verify", QUESTIONS, str(out), "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["is_equilibrium"] is True
    text = console("solve", QUESTIONS)
    assert text.returncode == 0
    assert "Equilibrium profile: pi_i(message | x_B, history)" in text.stdout
    assert "U_A(C*) uses one aligned sender with 2 messages in the instance's conversation" in (
        text.stdout
    )


def test_solve_a_game_with_alice_messages_from_revealing():
    """The judge game with Alice asking (above): revealing is an exact equilibrium, so the
    dynamics from it stop after one round, Alice at OPT = 2 = U_A(C*), within Theorem 1's
    bound with the non-negative eps 0."""
    solution = ps.solve(_asking_judge(), start="revealing")
    eq = solution.equilibrium
    assert isinstance(eq, ps.ConversationEquilibrium)
    assert (eq.nash_gap, eq.status, eq.rounds, eq.alice_utility) == (0, "converged", 1, 2)
    assert _recomputed_gap(_asking_judge(), eq.profile) == 0
    assert (solution.aligned_value, solution.bound.value, solution.bound.holds) == (2, 2, True)


def test_solve_from_a_given_conversation_profile():
    game = ps.catalog.load(QUESTIONS)
    solution = ps.solve(game, start=_questions_rules("truthful"))
    eq = solution.equilibrium
    assert eq.start == "given profile" and eq.nash_gap == 0 and eq.sender_utilities == (1,)


def test_solve_out_round_trips_a_one_round_profile(console, tmp_path):
    out = tmp_path / "equilibrium.json"
    run = console("solve", str(JUDGE), "--json", "--out", str(out))
    assert run.returncode == 0, run.stderr
    judge = ps.load(JUDGE)
    assert ps.load_profile(out, judge) == ps.solve(judge).equilibrium.profile
    refused = console("solve", str(JUDGE), "--out", str(out))
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and "add --force" in refused.stderr
    assert console("solve", str(JUDGE), "--out", str(out), "--force").returncode == 0


# ---------------------------------------------------------------- what is refused


def _one_line(run, *parts: str) -> None:
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1, run.stderr
    for part in parts:
        assert part in run.stderr, run.stderr


def test_a_one_round_profile_keyed_by_history_is_refused(console, tmp_path):
    """Rows keyed by round-1 histories only ("0", "1"): the round-2 histories are missing."""
    rules = ps.catalog.entry(QUESTIONS).rules("truthful")
    short = {
        xb: {h: row for h, row in by.items() if ">" not in h} for xb, by in rules["oracle"].items()
    }
    profile = _file(
        tmp_path, "short.json", {"format": "persuasion-profile/1", "rules": {"oracle": short}}
    )
    for args in (("verify", QUESTIONS, profile), ("solve", QUESTIONS, "--start", profile)):
        _one_line(console(*args), "short.json", 'no row for history "0 > no > 0"')


def test_options_that_do_not_apply_to_conversations_are_refused(console, tmp_path):
    _one_line(console("solve", QUESTIONS, "--equilibrium", "worst"), "--equilibrium worst")
    _one_line(console("solve", QUESTIONS, "--route", "cells"), "--route cells")
    profile = _file(
        tmp_path,
        "t.json",
        dump_conversation_profile(_questions_rules("truthful"), ps.catalog.load(QUESTIONS)),
    )
    _one_line(console("verify", QUESTIONS, profile, "--set-search", "milp"), "--set-search milp")
    with pytest.raises(ps.OptionError, match="--equilibrium worst"):
        ps.solve(ps.catalog.load(QUESTIONS), equilibrium="worst")


def test_other_commands_still_refuse_conversations():
    from persuasion.api.common import check_supported

    with pytest.raises(InputError, match="does not play conversations yet"):
        check_supported(ps.catalog.load(QUESTIONS))
    check_supported(ps.catalog.load(QUESTIONS), conversations=True)


def test_an_undecided_deviation_makes_the_gap_a_lower_bound(monkeypatch):
    """With no time for the search (HiGHS's budget 0, no exact branch and bound), the oracle's
    best deviation is ``"incomplete"``: its value 1/2 is only a lower bound (the supremum is 1,
    test_conversation_sender's hand-solved game).  The Nash gap 0 it gives is "at least 0":
    verify calls the profile neither an equilibrium nor not one, the dynamics do not claim
    convergence, Theorem 1's comparison is not on an exact equilibrium, and the text names the
    sender whose deviation was not decided."""
    from test_conversation_sender import _which_bit

    from persuasion.conversation import search
    from persuasion.render import best_response_text, solve_text, verify_text

    monkeypatch.setattr(search, "MILP_SECONDS", 0.0)
    monkeypatch.setattr(search, "BRANCH_NODES", 0)
    instance = _which_bit(2)
    rules = ConversationProfile((tuple((F(1), F(0)) for _ in instance.sender_features),))
    checked = ps.verify(instance, rules)
    assert (checked.nash_gap, checked.is_equilibrium, checked.undecided) == (0, None, ("oracle",))
    report = checked.to_json()
    assert report["is_equilibrium"] is None and report["optimality"] == "incomplete"
    assert report["undecided"] == ["oracle"]
    assert "at least 0 -> undecided" in verify_text(report)
    assert "deviation of oracle was not decided" in verify_text(report)
    best = ps.best_response(instance, rules, "oracle")
    assert (best.value, best.optimality) == (F(1, 2), "incomplete")
    assert "only a lower bound on the supremum" in best_response_text(best.to_json())
    solved = ps.solve(instance, start=rules)
    eq = solved.equilibrium
    assert (eq.nash_gap, eq.converged, eq.undecided) == (0, False, ("oracle",))
    assert eq.status != ps.Status.CONVERGED and "oracle was not decided" in eq.stop_reason
    assert not solved.bound.exact_equilibrium
    text = solve_text(solved.to_json())
    assert "Nash gap (largest gain): at least 0" in text and "Equilibrium profile" not in text
