"""The best-AI selection game in conversations (Section E, Definition 16; issue 11, point 3).

A sender's best response (:mod:`persuasion.conversation.selection`) is checked against the
one-round selection best response (:mod:`persuasion.selection`) on one-round games, where the
two must agree exactly; a two-round game is solved by hand in the docstrings.
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
from persuasion.conversation.rules import ConversationProfile, HistoryTable
from persuasion.conversation.selection import (
    alone_games,
    selection_conversation_best_response,
    selection_conversation_outcome,
)
from persuasion.equilibrium import oblivious_profile
from persuasion.model import revealing_profile, silent_profile
from persuasion.profile import dump_conversation_profile
from persuasion.selection import selection_best_response
from persuasion.testing import instances, profiles

F = Fraction
PROSECUTORS = ROOT / "instances" / "two-prosecutors-selection.json"
ETA = F(1, 1000)


def _talking(instance, rounds: int = 2, alice_messages: int = 1):
    """``instance`` played over ``rounds`` rounds with ``alice_messages`` messages for Alice."""
    protocol = dataclasses.replace(instance.protocol, rounds=rounds, alice_messages=alice_messages)
    return dataclasses.replace(instance, protocol=protocol)


def _agree(instance, profile, step) -> None:
    """Every sender's conversation best response equals the one-round one: the same supremum,
    the same attainment when decided, a returned rule worth ``achieved`` in the game."""
    games = alone_games(instance)
    rules = ConversationProfile.from_profile(profile)
    for i in range(instance.num_senders):
        one = selection_best_response(instance, profile, i, ETA, step)
        talk = selection_conversation_best_response(instance, games, rules, i, ETA, step)
        assert talk.value == one.value, (i, step)
        assert talk.attained in (None, one.attained), (i, step)
        moved = rules.replace(i, talk.rule)
        paid = selection_conversation_outcome(instance, games, moved).sender_utilities[i]
        assert paid == talk.achieved and paid >= talk.value - ETA


@pytest.mark.parametrize("start", [silent_profile, revealing_profile, oblivious_profile])
@pytest.mark.parametrize("step", [None, F(1, 100)])
def test_one_round_agrees_with_the_one_round_selection_best_response(start, step):
    _agree(ps.load(PROSECUTORS), start(ps.load(PROSECUTORS)), step)


@pytest.mark.parametrize("name", ["judge-prosecutor"])
def test_catalog_instance_agrees_in_the_selection_game(name):
    """The Appendix I judge game played as a selection game (prosecutor against defence)."""
    judge = ps.load(ROOT / "instances" / f"{name}.json")
    game = dataclasses.replace(
        judge, protocol=dataclasses.replace(judge.protocol, game="best-ai-selection")
    )
    for start in (silent_profile(game), oblivious_profile(game)):
        _agree(game, start, None)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_one_round_property_agrees_with_the_selection_best_response(data):
    """Small random one-round selection games: the same supremum and attainment."""
    instance = data.draw(instances(max_states=2, max_actions=3, min_senders=2, max_messages=2))
    step = data.draw(st.sampled_from([None, F(1, 10)]))
    _agree(instance, data.draw(profiles(instance)), step)


def test_two_rounds_by_hand():
    """Two KG prosecutors (guilty w.p. 3/10) speak twice, at the silent profile: Alice's value
    of either alone is 7/10 (acquit).  Prosecutor 1 wins ties: his best response is KG's, 3/5,
    not attained (at the optimum the judge is indifferent and acquits).  Prosecutor 2 must give
    her more than 7/10: convicting on a message sent by the guilty always and by the innocent
    w.p. q gives her 1 - 7q/10 and him 3/10 + 7q/10, so the supremum is again 3/5 (q -> 3/7),
    unattained; with a step of 1/100 (her value at least 71/100) q = 29/70 and he gets 59/100,
    attained; not being selected pays him 0 (the judge acquits)."""
    game = _talking(ps.load(PROSECUTORS))
    games = alone_games(game)
    rules = ConversationProfile.from_profile(silent_profile(game))
    first = selection_conversation_best_response(game, games, rules, 0, ETA)
    second = selection_conversation_best_response(game, games, rules, 1, ETA)
    assert (first.value, first.attained, second.value, second.attained) == (
        F(3, 5),
        False,
        F(3, 5),
        False,
    )
    stepped = selection_conversation_best_response(game, games, rules, 1, ETA, F(1, 100))
    assert (stepped.value, stepped.attained, stepped.optimality) == (F(59, 100), True, "exact")
    assert isinstance(stepped.rule[0], HistoryTable)
    picked = ps.converse(game, rules.replace(1, stepped.rule))
    assert picked.selection.selected == "prosecutor-2"
    assert (picked.alice_utility, picked.sender_utilities) == (F(71, 100), (F(59, 100),) * 2)


def test_verify_and_best_response_play_the_selection_game_in_a_conversation():
    """KG's one-round scheme (the innocent send "convict" w.p. p = 107/250) played in both rounds,
    ignoring the history: two independent signals, so the judge convicts on two "convict"s only
    and gets 1 - 7p^2/10 = 544857/625000, each prosecutor 3/10 + 7p^2/10 = 267643/625000.  No
    prosecutor gains: beating the other's value costs him exactly as many convictions as he
    would get from the other's conversation.  The report names the selected sender."""
    game = _talking(ps.load(PROSECUTORS))
    kg = ConversationProfile.from_profile(oblivious_profile(game))
    checked = ps.verify(game, kg)
    assert checked.nash_gap == 0 and checked.conversation.selection.selected == "prosecutor-1"
    assert checked.alice_utility == F(544857, 625000)
    best = ps.best_response(game, kg, "prosecutor-2")
    assert (best.value, best.attained) == (F(267643, 625000), True)


def test_solve_plays_the_selection_game_in_a_conversation():
    """From the oblivious start (KG's scheme in both rounds) the dynamics stop at once at an
    exact equilibrium (the previous test's numbers)."""
    solution = ps.solve(_talking(ps.load(PROSECUTORS)), start="oblivious")
    assert solution.equilibrium.nash_gap == 0 and solution.equilibrium.converged
    assert solution.equilibrium.alice_utility == F(544857, 625000)
    assert solution.equilibrium.to_json()["selection"]["selected"] == "prosecutor-1"


def _instance_file(tmp_path) -> str:
    data = json.loads(PROSECUTORS.read_text())
    data["protocol"]["rounds"] = 2
    path = tmp_path / "talking-prosecutors.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_console_verify_and_best_response(console, tmp_path):
    instance = _instance_file(tmp_path)
    game = ps.load(instance)
    silent = tmp_path / "silent.json"
    rules = ConversationProfile.from_profile(silent_profile(game))
    silent.write_text(json.dumps(dump_conversation_profile(rules, game)))
    run = console("verify", instance, str(silent), "--json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["selection"] == {"alice_values": ["7/10", "7/10"], "selected": "prosecutor-1"}
    assert report["nash_gap"] == "3/5" and not report["is_equilibrium"]
    text = console("verify", instance, str(silent))
    assert text.returncode == 0 and "she picks prosecutor-1" in text.stdout, text.stdout
    run = console("best-response", instance, str(silent), "prosecutor-2", "--json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert (report["best_value"], report["attained"]) == ("3/5", False)
    assert report == ps.best_response(game, rules, "prosecutor-2").to_json()


def test_console_solve(console, tmp_path):
    run = console("solve", _instance_file(tmp_path), "--start", "oblivious", "--json")
    assert run.returncode == 0, run.stderr
    eq = json.loads(run.stdout)["equilibrium"]
    assert (eq["nash_gap"], eq["alice_utility"]) == ("0", "544857/625000")
    assert eq["selection"]["selected"] == "prosecutor-1"


def test_game_option_plays_the_selection_game():
    """``game="best-ai-selection"`` on a simultaneous conversation (the one-sender two-round
    questions game): Alice's value of the oracle alone is 1, and she picks it."""
    entry = ps.catalog.entry("collina-et-al-2025-two-round-questions")
    rules = entry.conversation("truthful")
    checked = ps.verify(entry.load(), rules, game="best-ai-selection")
    assert ps.verify(entry.load(), rules).conversation.selection is None
    assert checked.conversation.selection.alice_values == (1,)
    assert checked.nash_gap == ps.verify(entry.load(), rules).nash_gap
