"""A sender's exact best response in an R-round conversation (issue 11, point 3): the sequence-form
plans, Alice's plans, and the supremum of the sender's utility over their conversation rules."""

from __future__ import annotations

import dataclasses
from unittest import mock
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from persuasion import deadline
from persuasion.catalog.entries import shipped
from persuasion.conversation import search as search_module
from persuasion.conversation.alice import best_conversation_rule
from persuasion.conversation.rules import ConversationProfile, HistoryTable
from persuasion.conversation.search import enumerate_plans
from persuasion.conversation.sender import conversation_best_response, with_rule
from persuasion.conversation.sequences import plan_space
from persuasion.conversation.tree import compile_game
from persuasion.instance import parse_instance
from persuasion.model import Instance, silent_profile
from persuasion.problem import deviation_problem
from persuasion.sender import best_response
from persuasion.testing import conversation_profiles, instances, profiles

F = Fraction
SMALL = settings(max_examples=20, deadline=None)
ETA = F(1, 1000)


def _one_round_profiles():
    """``(slug, profile name)`` of every one-round catalog game decided by a best response."""
    for entry in shipped():
        p = entry.load().protocol
        if p.rounds == 1 and p.alice_messages == 1 and p.decision == "best-response":
            for name in entry.profile_rules:
                yield entry.slug, name


def _conversation(instance: Instance, rounds: int, said: int) -> Instance:
    """``instance`` played over ``rounds`` rounds with ``said`` messages for Alice."""
    protocol = dataclasses.replace(instance.protocol, rounds=rounds, alice_messages=said)
    return dataclasses.replace(instance, protocol=protocol)


def _check_returned_rule(game, rules: ConversationProfile, sender: int, found, eta=ETA):
    """The returned rule's actual value is ``achieved``; it is ``value`` exactly when attained, and
    within ``eta`` of it otherwise."""
    played = best_conversation_rule(game, with_rule(rules, sender, found.rule))
    assert played.outcome.sender_utilities[sender] == found.achieved
    assert found.achieved >= found.value - eta
    if found.optimality != "incomplete":  # then ``value`` is no supremum: attainment undecided
        assert (found.achieved == found.value) == bool(found.attained)


@pytest.mark.parametrize(("slug", "name"), list(_one_round_profiles()))
def test_one_round_catalog_agrees_with_the_one_round_best_response(slug, name):
    """On every one-round catalog game and profile, every sender's supremum and its attainment are
    those of the one-round best response (the obedience LP over inducible response vectors)."""
    entry = next(e for e in shipped() if e.slug == slug)
    instance, profile = entry.load(), entry.profile(name)
    game, rules = compile_game(instance), ConversationProfile.from_profile(profile)
    for sender in range(instance.num_senders):
        found = conversation_best_response(game, rules, sender)
        one = best_response(deviation_problem(instance, profile, sender))
        assert (found.value, found.attained) == (one.value, one.attained)
        _check_returned_rule(game, rules, sender, found)


@SMALL
@given(st.data())
def test_one_round_property_agrees_with_the_one_round_best_response(data):
    """Small random one-round games, with Alice's features and limited messages: the same
    supremum as the one-round best response, the same attainment when it is decided."""
    instance = data.draw(
        instances(max_states=2, max_actions=3, max_alice_features=2, max_messages=2)
    )
    profile = data.draw(profiles(instance))
    game, rules = compile_game(instance), ConversationProfile.from_profile(profile)
    sender = data.draw(st.integers(0, instance.num_senders - 1))
    found = conversation_best_response(game, rules, sender)
    one = best_response(deviation_problem(instance, profile, sender))
    assert found.value == one.value
    if found.attained is not None:
        assert found.attained == one.attained
    _check_returned_rule(game, rules, sender, found)


@st.composite
def _tiny_conversations(draw):
    """A tiny conversation (one sender of two messages, two or three actions, two states): two
    rounds with Alice silent, or one round with two messages for her; and rules for it."""
    base = draw(instances(max_states=2, max_actions=2, max_senders=1, max_messages=2))
    rounds, said = draw(st.sampled_from([(2, 1), (1, 2)]))
    instance = _conversation(base, rounds, said)
    return instance, draw(conversation_profiles(instance))


@SMALL
@given(_tiny_conversations())
def test_search_agrees_with_every_plan_of_alice(drawn):
    """The mixed-integer search, never allowed to enumerate, finds the supremum that trying every
    plan of Alice's (exact LPs, strict checks) finds."""
    instance, rules = drawn
    game = compile_game(instance)
    space = plan_space(game, rules, 0)
    oracle = enumerate_plans(space)
    with mock.patch.object(search_module, "ENUMERATION_LIMIT", 0):
        found = search_module.search(space, rules)
    assert found.candidates[0].value == oracle[0].value
    assert conversation_best_response(game, rules, 0).value == oracle[0].value


@SMALL
@given(st.data())
def test_no_rule_beats_the_value(data):
    """Soundness: a random rule of the sender's, history-keyed or not, is worth at most the value
    against Alice's actual best response; the returned rule is worth ``achieved``."""
    base = data.draw(instances(max_states=2, max_actions=3, max_senders=2, max_messages=2))
    rounds, said = data.draw(st.sampled_from([(1, 1), (2, 1), (1, 2)]))
    instance = _conversation(base, rounds, said)
    rules = data.draw(conversation_profiles(instance))
    game = compile_game(instance)
    sender = data.draw(st.integers(0, instance.num_senders - 1))
    found = conversation_best_response(game, rules, sender)
    mine = best_conversation_rule(game, rules).outcome.sender_utilities[sender]
    assert mine <= found.value
    _check_returned_rule(game, rules, sender, found)


@pytest.mark.parametrize(("slug", "rounds", "said"), [
    ("kamenica-gentzkow-2011-prosecutor", 2, 1),
    ("kamenica-gentzkow-2011-prosecutor", 1, 2),
    ("collina-et-al-2025-judge-private-evidence", 2, 1),
    ("kolotilin-et-al-2017-private-threshold", 1, 2),
    ("kolotilin-et-al-2017-private-threshold", 2, 1),
])  # fmt: skip
def test_catalog_conversations_agree_with_every_plan_of_alice(slug, rounds, said):
    """Catalog games played as conversations: every sender's value is the best ``LP(sigma)`` over
    Alice's plans with ``S(sigma)`` nonempty, tried one by one."""
    entry = next(e for e in shipped() if e.slug == slug)
    instance = _conversation(entry.load(), rounds, said)
    rules = ConversationProfile.from_profile(entry.profile(next(iter(entry.profile_rules))))
    game = compile_game(instance)
    for sender in range(instance.num_senders):
        space = plan_space(game, rules, sender)
        with mock.patch.object(search_module, "ENUMERATION_LIMIT", 0):
            found = search_module.search(space, rules)
        assert found.candidates[0].value == enumerate_plans(space)[0].value


def _which_bit(said: int) -> Instance:
    """The game of :func:`test_asking_which_bit_alice_knows_helps_the_oracle`."""
    states = ["00", "01", "10", "11"]
    knows = {
        "first": lambda y: y[0],
        "second": lambda y: y[1],
        "parity": lambda y: str(y.count("1") % 2),
    }
    prior = [
        {"alice": f"{k}={g(y)}", "senders": y, "state": y, "p": "1/12"}
        for k, g in knows.items()
        for y in states
    ]
    same = [[int(a == y) for y in states] for a in states]
    return parse_instance({
        "format": "persuasion-instance/1",
        "states": states,
        "actions": ["guess-" + y for y in states],
        "features": {"alice": [f"{k}={v}" for k in knows for v in "01"], "senders": states},
        "prior": prior,
        "alice": {"utility": same},
        "senders": [{"name": "oracle", "utility": same, "messages": 2}],
        "protocol": {"game": "simultaneous", "rounds": 1, "alice_messages": said},
    })  # fmt: skip


def test_asking_which_bit_alice_knows_helps_the_oracle():
    """A hand-solved game where Alice's question raises the sender's best response from 5/6 to 1.

    The state is two fair bits ``y = y1 y2``; Alice wins 1 for naming it, and so does the oracle
    (aligned), who sees ``y`` and has two messages.  Alice privately knows one bit of it: ``y1``,
    ``y2`` or the parity ``y1 xor y2``, each with probability 1/3 (her feature is which one and
    its value).  Each of these splits the four states into two pairs, and the three splits
    together pair every two states once.

    One round, Alice silent: a binary rule sends 1 with probability ``p_y`` in state ``y``.
    Alice knowing a bit with pair ``{y, y'}`` left names the likelier of the two after the
    message: she is right with probability ``1/4 sum_m max(pi(m|y), pi(m|y')) = 1/4 (1 +
    |p_y - p_y'|)`` on that pair, so overall with ``1/2 + 1/12 sum_{y < y'} |p_y - p_y'|``.  The
    sum over the six pairs is largest with two ``p`` at 0 and two at 1 (four pairs differ; three
    and one give three): the value is ``1/2 + 4/12 = 5/6``, attained by revealing the parity
    (then Alice knowing the parity learns nothing).

    Asking (two messages for Alice, one round): the oracle answers Alice's "0" with the parity
    and her "1" with ``y1``.  Alice knowing ``y1`` or ``y2`` says "0", Alice knowing the parity
    says "1", and every one of them learns the state: the oracle gets its first best, 1.
    """
    for said, value in ((1, F(5, 6)), (2, F(1))):
        instance = _which_bit(said)
        game = compile_game(instance)
        rules = ConversationProfile((tuple((F(1), F(0)) for _ in instance.sender_features),))
        found = conversation_best_response(game, rules, 0)
        assert (found.value, found.attained, found.optimality) == (value, True, "exact")
        _check_returned_rule(game, rules, 0, found)
    one = best_response(deviation_problem(_which_bit(1), rules.one_round(_which_bit(1)), 0))
    assert one.value == F(5, 6)


@pytest.mark.parametrize(("rounds", "said"), [(1, 1), (2, 1), (1, 2)])
def test_the_prosecutor_still_gets_three_fifths_unattained(rounds, said):
    """Kamenica and Gentzkow's prosecutor (prior guilty 3/10, ties to acquittal): the supremum
    3/5 (convict on the posterior 1/2) is approached, never reached, and talking longer or
    letting the judge speak changes nothing -- a binary action needs no more than two messages,
    and the judge has nothing of her own to tell.  The returned rule has short numbers."""
    entry = next(e for e in shipped() if e.slug == "kamenica-gentzkow-2011-prosecutor")
    instance = _conversation(entry.load(), rounds, said)
    game = compile_game(instance)
    rules = ConversationProfile.from_profile(entry.profile("revealing"))
    found = conversation_best_response(game, rules, 0)
    assert (found.value, found.attained, found.optimality) == (F(3, 5), False, "exact")
    _check_returned_rule(game, rules, 0, found)
    if rounds == said == 1:
        assert found.rule[1] == (F(107, 250), F(143, 250))  # rounded to 1/1000


def test_out_of_time_says_incomplete_and_a_deadline_set_outside_still_stops_it():
    """With no time for HiGHS nor for the exact branch and bound, the search says
    ``"incomplete"``: its value is the best found, a lower bound (here the best the oracle gets
    while Alice keeps her response to its silence, 1/2, below the supremum 1), attainment is
    undecided, and the rule is worth what it says.  A deadline set by the caller (best-response
    dynamics under a time limit) is not swallowed by the search's own."""
    instance = _which_bit(2)
    game = compile_game(instance)
    rules = ConversationProfile((tuple((F(1), F(0)) for _ in instance.sender_features),))
    with (
        mock.patch.object(search_module, "MILP_SECONDS", 0.0),
        mock.patch.object(search_module, "BRANCH_NODES", 0),
    ):
        found = conversation_best_response(game, rules, 0)
    assert (found.value, found.attained, found.optimality) == (F(1, 2), None, "incomplete")
    _check_returned_rule(game, rules, 0, found)
    with pytest.raises(deadline.DeadlinePassed), deadline.until(0.0, lambda: 1.0):
        conversation_best_response(game, rules, 0)


@pytest.mark.parametrize("eta", [F(0), F(-1)])
def test_a_non_positive_eta_is_refused_at_once(eta):
    """``eta <= 0`` would halve the segment towards an unattained supremum forever (the
    prosecutor's 3/5 is never reached): refused before any search."""
    instance = _conversation(_prosecutor(), 2, 1)
    rules = ConversationProfile.from_profile(silent_profile(instance))
    with pytest.raises(ValueError, match="eta must be positive"):
        conversation_best_response(compile_game(instance), rules, 0, eta)


def test_the_senders_own_placeholder_rule_is_ignored():
    """The sender's own rule in the profile is replaced by their best response: an empty history
    table there (a placeholder) gives the same answer as any usable rule, the prosecutor's 3/5
    unattained, instead of a KeyError."""
    instance = _conversation(_prosecutor(), 2, 1)
    game = compile_game(instance)
    placeholder = ConversationProfile(((HistoryTable(()), HistoryTable(())),))
    found = conversation_best_response(game, placeholder, 0)
    usable = conversation_best_response(
        game, ConversationProfile.from_profile(silent_profile(instance)), 0
    )
    assert (found.value, found.attained) == (usable.value, usable.attained) == (F(3, 5), False)
    _check_returned_rule(game, placeholder, 0, found)


def _prosecutor() -> Instance:
    return next(e for e in shipped() if e.slug == "kamenica-gentzkow-2011-prosecutor").load()


def _two_rounds_alice_informed() -> Instance:
    """The prosecutor-like game of review R4 (253 nodes, 42 sequences of the sender's): the
    sender knows the state, Alice a feature correlated with it, two rounds, two messages each."""
    cells = {("a0", "y0"): "2/10", ("a0", "y1"): "3/10", ("a1", "y0"): "1/10", ("a1", "y1"): "4/10"}
    return parse_instance({
        "format": "persuasion-instance/1",
        "states": ["y0", "y1"],
        "actions": ["act0", "act1"],
        "features": {"alice": ["a0", "a1"], "senders": ["y0", "y1"]},
        "prior": [{"alice": a, "senders": y, "state": y, "p": p} for (a, y), p in cells.items()],
        "alice": {"utility": [[0, 1], [1, 0]]},
        "senders": [{"name": "s", "utility": [[0, 0], [1, 1]], "messages": 2}],
        "protocol": {"game": "simultaneous", "rounds": 2, "alice_messages": 2},
    })  # fmt: skip


def test_out_of_time_keeps_the_solvers_best_plan_of_alice():
    """HiGHS, out of time on a weak relaxation (3/5 at every node it tried), still has a good plan
    of Alice's: the search keeps it (exactly checked) instead of falling back to the sender's
    silence, worth 0.  So ``"incomplete"`` reports at least 19/40, the value of answering as in
    one round, and a rule worth what it says."""
    instance = _two_rounds_alice_informed()
    game = compile_game(instance)
    rules = ConversationProfile.from_profile(silent_profile(instance))
    with (
        mock.patch.object(search_module, "MILP_SECONDS", 3.0),
        mock.patch.object(search_module, "BRANCH_NODES", 0),
    ):
        found = conversation_best_response(game, rules, 0)
    assert found.optimality == "incomplete" and found.value >= F(19, 40)
    _check_returned_rule(game, rules, 0, found)
