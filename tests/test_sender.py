"""A sender's exact best response: pinned answers, brute force on grids, properties."""

from __future__ import annotations

import dataclasses
import itertools
from fractions import Fraction as F

import pytest
from hypothesis import given, strategies as st

from persuasion.equilibrium import best_scheme, sender_best_response
from persuasion.model import Profile, silent_profile
from persuasion.problem import aligned_problem, deviation_problem
from persuasion.receiver import outcome
from persuasion.sender import best_response
from persuasion.testing import instances, profiles

ETA = F(1, 1000)


def with_tie_break(inst, order):
    return dataclasses.replace(inst, protocol=dataclasses.replace(inst.protocol, tie_break=order))


def grid_schemes(num_features, num_messages, steps):
    """Every scheme whose probabilities are multiples of 1/steps."""
    rows = [
        tuple(F(c, steps) for c in combo)
        for combo in itertools.product(range(steps + 1), repeat=num_messages)
        if sum(combo) == steps
    ]
    return itertools.product(rows, repeat=num_features)


def test_kg_prosecutor_supremum_three_fifths_unattained(catalog):
    """Kamenica-Gentzkow: 3/5 with ties to acquittal is a supremum that no scheme reaches."""
    inst = catalog("kg-prosecutor")
    best = sender_best_response(inst, silent_profile(inst), 0, ETA)
    assert best.value == F(3, 5)
    assert best.attained is False
    assert F(3, 5) - ETA <= best.achieved < F(3, 5)
    # The returned scheme really achieves `achieved` under Alice's tie-break.
    profile = Profile((best_scheme(inst, 0, best),))
    assert outcome(inst, profile).sender_utilities[0] == best.achieved


def test_kg_prosecutor_with_ties_to_conviction_attains_kg_scheme(catalog):
    inst = with_tie_break(catalog("kg-prosecutor"), (1, 0))
    best = sender_best_response(inst, silent_profile(inst), 0, ETA)
    assert best.value == F(3, 5) and best.attained is True and best.achieved == F(3, 5)
    scheme = best_scheme(inst, 0, best)
    profile = Profile((scheme,))
    result = outcome(inst, profile)
    assert result.sender_utilities == (F(3, 5),)
    assert result.alice_utility == F(7, 10)
    # KG's scheme: convict-message always when guilty, with probability 3/7 when innocent.
    convict_message = next(m for m in range(2) if scheme[0][m] == 1)
    assert scheme[1][convict_message] == F(3, 7)


def test_aligned_sender_with_two_messages_for_three_states(catalog):
    """Definition 8 with too few messages: U_A(C*) = 2/3 < OPT = 1."""
    inst = catalog("aligned-3-states-2-messages")
    best = best_response(aligned_problem(inst), ETA)
    assert best.value == F(2, 3)
    assert best.attained is True
    assert len(best.columns) <= 2


def test_defense_against_silent_prosecutor(catalog):
    """Appendix I: the defense's single-sender optimum acquits with probability 2/3, worth 1 to them."""
    inst = catalog("judge-prosecutor")
    best = sender_best_response(inst, silent_profile(inst), 1, ETA)
    assert best.value == 1 and best.attained is True


def test_prosecutor_cannot_beat_silence_in_judge_prosecutor(catalog):
    """With no information Alice convicts (prior 2/3 guilty), which the prosecutor likes best."""
    inst = catalog("judge-prosecutor")
    best = sender_best_response(inst, silent_profile(inst), 0, ETA)
    assert best.value == outcome(inst, silent_profile(inst)).sender_utilities[0] == F(5, 3)


@pytest.mark.parametrize("slug", ["kg-prosecutor", "judge-prosecutor", "aligned-3-states-2-messages"])
def test_no_grid_scheme_beats_the_supremum(catalog, slug):
    """Brute force: no scheme on a 1/12 grid does better than the reported supremum."""
    inst = catalog(slug)
    start = silent_profile(inst)
    for i, sender in enumerate(inst.senders):
        best = sender_best_response(inst, start, i, ETA)
        grid_best = max(
            outcome(inst, start.replace(i, scheme)).sender_utilities[i]
            for scheme in grid_schemes(len(inst.sender_features), len(sender.messages), 12)
        )
        assert grid_best <= best.value
        if best.attained:
            assert best.achieved == best.value


@given(st.data())
def test_best_response_properties(data):
    """Supremum >= grid brute force and >= current value; the scheme's real value is what we say."""
    inst = data.draw(instances(max_states=2, max_actions=3, max_senders=2, max_alice_features=2, max_messages=2))
    profile = data.draw(profiles(inst))
    i = data.draw(st.integers(0, inst.num_senders - 1))
    best = sender_best_response(inst, profile, i, ETA)
    current = outcome(inst, profile).sender_utilities[i]
    assert best.value >= current
    assert best.achieved <= best.value
    if best.attained:
        assert best.achieved == best.value
    else:
        assert best.value - best.achieved <= ETA
    real = outcome(inst, profile.replace(i, best_scheme(inst, i, best))).sender_utilities[i]
    assert real == best.achieved
    grid_best = max(
        outcome(inst, profile.replace(i, scheme)).sender_utilities[i]
        for scheme in grid_schemes(len(inst.sender_features), len(inst.senders[i].messages), 4)
    )
    assert grid_best <= best.value


@given(instances(max_states=3, max_actions=3, max_senders=1, max_messages=3))
def test_limited_messages_never_beat_more_messages(inst):
    """Fewer messages never help; with |X_B| messages the supremum needs no more."""
    problem = deviation_problem(inst, silent_profile(inst), 0)
    full = best_response(dataclasses.replace(problem, messages=problem.num_features), ETA)
    few = best_response(dataclasses.replace(problem, messages=1), ETA)
    assert few.value <= full.value
    assert len(full.columns) <= problem.num_features
    assert len(few.columns) <= 1
