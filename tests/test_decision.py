"""Alice's decision rule (Definition 4): what she does in each situation, pinned, brute forced."""

from __future__ import annotations

import dataclasses
import itertools
from fractions import Fraction as F

import pytest
from hypothesis import given, strategies as st

from persuasion.decision import DecisionRule, Situation, decision_rule
from persuasion.model import Profile, revealing_profile, silent_profile
from persuasion.receiver import outcome
from persuasion.api import verify
from persuasion.games import game as game_entry
from persuasion.selection import selection_outcome
from persuasion.testing import instances, profiles

OBLIVIOUS = Profile(
    (
        ((F(1), F(0)), (F(1), F(0))),  # prosecutor: always "0"
        ((F(1, 2), F(1, 2)), (F(0), F(1))),  # defense: guilty -> "0"/"1" half each, innocent -> "1"
    )
)
"""Appendix I's oblivious profile of judge-prosecutor (the tutorial's oblivious.json)."""


def test_judge_prosecutor_oblivious_profile_by_hand(catalog):
    """Derived by hand from the instance: P(guilty) = 2/3; over (guilty, innocent)
    u_A(acquit) = (1, 2) and u_A(convict) = (2, 1); ties go to acquit.

    - ("0", "0"): only a guilty defendant makes the defense say "0", with prob. 2/3 * 1/2 = 1/3;
      posterior (1, 0); acquit is worth 1, convict 2: convict.
    - ("0", "1"): guilty 2/3 * 1/2 = 1/3 plus innocent 1/3 * 1 = 1/3, total 2/3; posterior
      (1/2, 1/2); both actions are worth 3/2: a tie, broken towards acquit.
    ("1", .) never happens: the prosecutor never says "1".  Alice gets 1/3 * 2 + 2/3 * 3/2 = 5/3.
    """
    rule = decision_rule(catalog("judge-prosecutor"), OBLIVIOUS)
    assert rule == DecisionRule(
        senders=("prosecutor", "defense"),
        states=("guilty", "innocent"),
        situations=(
            Situation("none", ("0", "0"), F(1, 3), (F(1), F(0)), ("convict",), "convict"),
            Situation(
                "none", ("0", "1"), F(2, 3), (F(1, 2), F(1, 2)), ("acquit", "convict"), "acquit"
            ),
        ),
    )
    assert rule.to_json() == [
        {
            "alice_feature": "none",
            "messages": {"prosecutor": "0", "defense": "0"},
            "probability": "1/3",
            "posterior": {"guilty": "1", "innocent": "0"},
            "best_actions": ["convict"],
            "action": "convict",
        },
        {
            "alice_feature": "none",
            "messages": {"prosecutor": "0", "defense": "1"},
            "probability": "2/3",
            "posterior": {"guilty": "1/2", "innocent": "1/2"},
            "best_actions": ["acquit", "convict"],
            "action": "acquit",
        },
    ]


def test_judge_prosecutor_revealing_equilibrium_by_hand(catalog):
    """Both senders reveal the state (the equilibrium solve finds): the judge hears ("0", "0") with
    the prior's 2/3 and convicts (posterior guilty 1), ("1", "1") with 1/3 and acquits (innocent 1);
    the mixed message pairs have probability 0 and are left out."""
    inst = catalog("judge-prosecutor")
    rows = decision_rule(inst, revealing_profile(inst)).to_json()
    assert [(r["messages"], r["probability"], r["action"]) for r in rows] == [
        ({"prosecutor": "0", "defense": "0"}, "2/3", "convict"),
        ({"prosecutor": "1", "defense": "1"}, "1/3", "acquit"),
    ]


def test_silence_leaves_alice_at_her_prior(catalog):
    """kg-prosecutor, silent: one situation, probability 1, the prior 3/10 guilty; the judge
    acquits (Kamenica-Gentzkow 2011: she convicts only at a posterior of at least 1/2)."""
    inst = catalog("kg-prosecutor")
    (only,) = decision_rule(inst, silent_profile(inst)).situations
    assert (only.probability, only.posterior, only.action) == (1, (F(3, 10), F(7, 10)), "acquit")


# ---------------------------------------------------------------- brute force


def _brute_force(instance, profile, heard):
    """Definition 4 by hand: enumerate (x_A, x_B, y, messages), normalise each posterior, take every
    action's posterior expected utility and the earliest maximiser in the tie-break."""
    events: dict = {}
    for xa, table in enumerate(instance.prior):
        for xb, row in enumerate(table):
            for msgs in itertools.product(
                *(range(len(instance.senders[i].messages)) for i in heard)
            ):
                chance = F(1)
                for i, m in zip(heard, msgs, strict=True):
                    chance *= profile.schemes[i][xb][m]
                for y, p in enumerate(row):
                    if p * chance:
                        cell = events.setdefault((xa, msgs), [F(0)] * instance.num_states)
                        cell[y] += p * chance
    rows = []
    for (xa, msgs), weights in sorted(events.items()):
        total = sum(weights)
        posterior = [w / total for w in weights]
        values = [
            sum(p * u for p, u in zip(posterior, urow, strict=True))
            for urow in instance.alice_utility
        ]
        best = max(values)
        action = next(a for a in instance.protocol.tie_break if values[a] == best)
        rows.append(
            (
                instance.alice_features[xa],
                tuple(instance.senders[i].messages[m] for i, m in zip(heard, msgs, strict=True)),
                total,
                tuple(posterior),
                tuple(
                    instance.actions[a] for a in range(instance.num_actions) if values[a] == best
                ),
                instance.actions[action],
            )
        )
    return rows


def _as_tuples(rule: DecisionRule):
    return [dataclasses.astuple(s) for s in rule.situations]


@st.composite
def games(draw, **sizes):
    instance = draw(instances(**sizes))
    return instance, draw(profiles(instance))


@given(games(max_alice_features=2, max_messages=3))
def test_the_rule_is_definition_4_by_brute_force(game):
    instance, profile = game
    rule = decision_rule(instance, profile)
    assert rule.senders == tuple(s.name for s in instance.senders)
    assert _as_tuples(rule) == _brute_force(instance, profile, range(instance.num_senders))
    assert sum(s.probability for s in rule.situations) == 1


@given(games(max_alice_features=2, max_messages=3))
def test_the_rule_induces_the_receivers_outcome(game):
    """Summed over the situations where Alice plays ``a``, P(situation) P(y | situation) is
    P(a, y) of Definition 5."""
    instance, profile = game
    joint = [[F(0)] * instance.num_states for _ in instance.actions]
    for s in decision_rule(instance, profile).situations:
        for y, p in enumerate(s.posterior):
            joint[instance.actions.index(s.action)][y] += s.probability * p
    assert tuple(map(tuple, joint)) == outcome(instance, profile).joint


@given(games(max_senders=3, max_messages=2))
def test_in_the_selection_game_alice_hears_only_the_sender_she_selects(game):
    """Definition 16: she picks the sender whose scheme alone is worth most to her (the lowest
    index on ties) -- found here by brute force too -- and her rule is that lone game's."""
    instance, profile = game
    instance = dataclasses.replace(
        instance, protocol=dataclasses.replace(instance.protocol, game="best-ai-selection")
    )
    worth = []
    for j in range(instance.num_senders):
        rows = _brute_force(instance, profile, [j])
        utility = {a: row for a, row in zip(instance.actions, instance.alice_utility, strict=True)}
        worth.append(
            sum(r[2] * sum(p * u for p, u in zip(r[3], utility[r[5]], strict=True)) for r in rows)
        )
    chosen = worth.index(max(worth))
    _, selected = game_entry("best-ai-selection").selection(instance, profile)
    assert selected == chosen
    rule = decision_rule(instance, profile, (selected,))
    assert rule.senders == (instance.senders[chosen].name,)
    assert _as_tuples(rule) == _brute_force(instance, profile, [chosen])
    joint = [[F(0)] * instance.num_states for _ in instance.actions]
    for s in rule.situations:
        for y, p in enumerate(s.posterior):
            joint[instance.actions.index(s.action)][y] += s.probability * p
    assert tuple(map(tuple, joint)) == selection_outcome(instance, profile).joint


def test_selection_catalog_instance(catalog):
    """two-prosecutors-selection, both revealing: Alice picks prosecutor-1 (the lower index on
    the tie 1 = 1) and hears only her: "0" (guilty, prior 3/10) -> convict, "1" -> acquit."""
    inst = catalog("two-prosecutors-selection")
    rule = verify(inst, revealing_profile(inst)).decision_rule
    assert rule.senders == ("prosecutor-1",)
    assert [(s.messages, s.probability, s.action) for s in rule.situations] == [
        (("0",), F(3, 10), "convict"),
        (("1",), F(7, 10), "acquit"),
    ]


def test_results_are_immutable(catalog):
    rule = decision_rule(catalog("judge-prosecutor"), OBLIVIOUS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.senders = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.situations[0].action = "acquit"  # type: ignore[misc]
