"""A sender's exact best response in an R-round conversation (issue 11, point 3): the sequence-form
plans, Alice's plans, and the supremum of the sender's utility over their conversation rules."""

from __future__ import annotations

import dataclasses
from unittest import mock
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from persuasion.catalog.entries import shipped
from persuasion.conversation import search as search_module
from persuasion.conversation.alice import best_conversation_rule
from persuasion.conversation.rules import ConversationProfile
from persuasion.conversation.search import enumerate_plans
from persuasion.conversation.sender import conversation_best_response, with_rule
from persuasion.conversation.sequences import plan_space
from persuasion.conversation.tree import compile_game
from persuasion.model import Instance
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
    """The returned rule's actual value is ``achieved``; it is ``value`` when attained, and within
    ``eta`` of it otherwise."""
    played = best_conversation_rule(game, with_rule(rules, sender, found.rule))
    assert played.outcome.sender_utilities[sender] == found.achieved
    assert found.achieved >= found.value - eta
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
