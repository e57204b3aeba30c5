"""The best-AI selection game (Section E): selection, exact best responses, dynamics, Theorem 6."""

from __future__ import annotations

import dataclasses
import itertools
from fractions import Fraction as F

from hypothesis import given, strategies as st

from persuasion.weighted_alignment import weighted_alignment
from persuasion.equilibrium import best_scheme, oblivious_profile
from persuasion.model import Profile, revealing_profile, silent_profile
from persuasion.problem import aligned_problem
from persuasion.selection import (
    alice_values,
    selected,
    selection_best_response,
    selection_dynamics,
    selection_outcome,
)
from persuasion.sender import best_response
from persuasion.testing import convex_combination_instances, instances, profiles

ETA = F(1, 1000)


def as_selection(inst):
    return dataclasses.replace(
        inst, protocol=dataclasses.replace(inst.protocol, game="best-ai-selection")
    )


def grid_schemes(num_features, num_messages, steps):
    rows = [
        tuple(F(c, steps) for c in combo)
        for combo in itertools.product(range(steps + 1), repeat=num_messages)
        if sum(combo) == steps
    ]
    return itertools.product(rows, repeat=num_features)


def test_alice_picks_the_best_sender_lowest_index_on_ties():
    assert selected([F(1, 2), F(3, 4), F(3, 4)]) == 1
    assert selected([F(1)]) == 0


def test_two_prosecutors_stall_far_below_the_aligned_value(catalog):
    """Hull fails: from their single-sender optima the two prosecutors are at an exact equilibrium
    where the judge gets about 7/10 (KG's value, up to the eta-approximation), while U_A(C*) = 1."""
    inst = catalog("two-prosecutors-selection")
    dyn = selection_dynamics(inst, oblivious_profile(inst, ETA))
    assert dyn.converged and dyn.nash_gap == 0
    alice = selection_outcome(inst, dyn.profile).alice_utility
    aligned = best_response(aligned_problem(inst), ETA).value
    assert aligned == 1
    assert F(7, 10) <= alice <= F(7, 10) + ETA
    assert alice < aligned - F(1, 4)


def test_two_prosecutors_full_revelation_is_also_an_equilibrium(catalog):
    inst = catalog("two-prosecutors-selection")
    dyn = selection_dynamics(inst, revealing_profile(inst))
    assert dyn.converged and selection_outcome(inst, dyn.profile).alice_utility == 1


def test_kg_schemes_tie_and_the_first_prosecutor_is_chosen(catalog):
    inst = catalog("two-prosecutors-selection")
    kg = (
        (F(0), F(1)),
        (F(4, 7), F(3, 7)),
    )  # guilty -> 1; innocent -> 1 w.p. 3/7 (judge indifferent after 1)
    profile = Profile((kg, kg))
    assert alice_values(inst, profile) == [F(7, 10), F(7, 10)]
    assert selection_outcome(inst, profile).alice_utility == F(7, 10)


@given(st.data())
def test_selection_best_response_against_brute_force(data):
    """The supremum beats every scheme on a grid; the returned scheme really earns what it
    claims."""
    inst = as_selection(
        data.draw(instances(max_states=2, max_actions=2, max_senders=2, max_messages=2))
    )
    profile = data.draw(profiles(inst))
    i = data.draw(st.integers(0, inst.num_senders - 1))
    best = selection_best_response(inst, profile, i, ETA)
    current = selection_outcome(inst, profile).sender_utilities[i]
    assert best.value >= current
    assert best.achieved <= best.value and best.value - best.achieved <= ETA
    if best.attained:
        assert best.achieved == best.value
    real = selection_outcome(inst, profile.replace(i, best_scheme(inst, i, best))).sender_utilities[
        i
    ]
    assert real == best.achieved
    for scheme in grid_schemes(len(inst.sender_features), len(inst.senders[i].messages), 4):
        assert selection_outcome(inst, profile.replace(i, scheme)).sender_utilities[i] <= best.value


@given(
    convex_combination_instances(max_states=2, max_actions=2, max_senders=2),
    st.sampled_from(["silent", "revealing", "oblivious"]),
)
def test_theorem_6_on_in_hull_instances(inst, start):
    """Theorem 6: at an exact equilibrium of the selection game Alice gets at least U_A(C*) - 2
    eps."""
    inst = as_selection(inst)
    begin = {"silent": silent_profile, "revealing": revealing_profile}.get(
        start, lambda x: oblivious_profile(x, ETA)
    )(inst)
    dyn = selection_dynamics(inst, begin, max_rounds=8)
    if dyn.nash_gap == 0:
        eps = weighted_alignment(inst, simplex=False).epsilon
        aligned = best_response(aligned_problem(inst), ETA).value
        assert selection_outcome(inst, dyn.profile).alice_utility >= aligned - 2 * eps


def test_prosecutor_and_defense_race_towards_full_revelation(catalog):
    """Section E's Bertrand-like race: from their single-sender optima the judge/prosecutor senders
    out-inform each other step by step; a smaller delta takes more rounds and ends closer to the
    first-best 2, and the exact Nash gap left is within 2 delta."""
    inst = as_selection(catalog("judge-prosecutor"))
    rounds = []
    for delta in (F(1, 5), F(1, 10), F(1, 20)):
        dyn = selection_dynamics(inst, oblivious_profile(inst, ETA), step=delta, max_rounds=100)
        alice = selection_outcome(inst, dyn.profile).alice_utility
        assert 2 - 2 * delta <= alice < 2
        assert 0 < dyn.nash_gap <= 2 * delta and not dyn.converged
        assert dyn.stop_reason.startswith("no sender gains by a step of delta")
        rounds.append(dyn.rounds)
    assert rounds == sorted(rounds) and rounds[0] < rounds[-1]


def test_a_message_with_no_strict_constraint_still_counts_as_used():
    """Regression (found by a 300-example stress run): with Alice's floor met by every scheme, the
    sender's best response is to reveal y1, where Alice's tie goes his way -- worth 1/2, attained.
    A column with no strict constraint once had no margin, so a set using it looked unusable."""
    from persuasion.model import Instance, Protocol, Sender

    inst = Instance(
        "regression",
        ("y0", "y1"),
        ("a0", "a1"),
        ("none",),
        ("y0", "y1"),
        (((F(1, 2), F(0)), (F(0), F(1, 2))),),
        ((F(1), F(1)), (F(0), F(1))),
        (
            Sender("bob0", ((F(0), F(0)), (F(0), F(1))), ("0", "1")),
            Sender("bob1", ((F(0), F(0)), (F(0), F(0))), ("0",)),
        ),
        Protocol(tie_break=(1, 0), game="best-ai-selection"),
        state_only=True,
    )
    profile = Profile((((F(0), F(1)), (F(1), F(0))), ((F(1),), (F(1),))))
    assert alice_values(inst, profile) == [1, 1]
    best = selection_best_response(inst, profile, 0, ETA)
    assert (best.value, best.attained, best.achieved) == (F(1, 2), True, F(1, 2))
