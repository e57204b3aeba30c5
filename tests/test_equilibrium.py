"""Nash gaps and best-response dynamics; Theorem 1 on generated in-hull instances."""

from __future__ import annotations

import dataclasses
from fractions import Fraction as F

from hypothesis import given, strategies as st

import persuasion.limited as limited_module
from persuasion.weighted_alignment import weighted_alignment
from persuasion.equilibrium import best_response_dynamics, deviations, nash_gap
from persuasion.model import Profile, revealing_profile, silent_profile
from persuasion.problem import aligned_problem, deviation_problem
from persuasion.receiver import first_best, outcome
from persuasion.sender import best_response
from persuasion.testing import convex_combination_instances, instances, profiles

ETA = F(1, 1000)


def test_full_revelation_is_an_equilibrium_of_judge_prosecutor(catalog):
    inst = catalog("judge-prosecutor")
    dyn = best_response_dynamics(inst, revealing_profile(inst))
    assert dyn.converged and dyn.nash_gap == 0 and dyn.rounds == 1
    assert outcome(inst, dyn.profile).alice_utility == 2


def test_oblivious_profile_is_not_an_equilibrium(catalog):
    """Appendix I's oblivious schemes: the prosecutor gains by deviating (Theorem 7 needs no
    competition)."""
    inst = catalog("judge-prosecutor")
    oblivious = Profile((((F(1), F(0)), (F(1), F(0))), ((F(1, 2), F(1, 2)), (F(0), F(1)))))
    devs = deviations(inst, oblivious, ETA)
    assert devs[0].gain > 0
    assert nash_gap(devs) == devs[0].gain


def test_dynamics_from_silence_report_an_honest_gap(catalog):
    """From silence the senders chase unattained suprema; the run stops at the cap and says so."""
    inst = catalog("judge-prosecutor")
    dyn = best_response_dynamics(inst, silent_profile(inst), max_rounds=3)
    assert not dyn.converged
    assert dyn.stop_reason == "iteration cap reached"
    assert dyn.nash_gap == nash_gap(deviations(inst, dyn.profile, ETA)) > 0


def test_kg_dynamics_stop_at_the_unattained_supremum(catalog):
    inst = catalog("kg-prosecutor")
    dyn = best_response_dynamics(inst, silent_profile(inst))
    assert not dyn.converged
    assert dyn.stop_reason.startswith("no attainable improvement")
    assert 0 < dyn.nash_gap <= ETA
    tolerant = best_response_dynamics(inst, silent_profile(inst), tolerance=ETA)
    assert tolerant.converged and tolerant.stop_reason == "within tolerance"


@given(st.data())
def test_gains_are_non_negative_and_best_responses_improve(data):
    inst = data.draw(instances(max_states=2, max_actions=3, max_senders=2, max_messages=2))
    profile = data.draw(profiles(inst))
    devs = deviations(inst, profile, ETA)
    current = outcome(inst, profile).sender_utilities
    assert all(d.gain >= 0 for d in devs)
    for d in devs:
        assert d.best.value >= current[d.sender]
        if d.best.attained:
            assert d.best.achieved >= current[d.sender]


@given(
    convex_combination_instances(max_states=2, max_actions=2, max_senders=2),
    st.sampled_from(["silent", "revealing"]),
)
def test_theorem_1_on_in_hull_instances(inst, start):
    """Theorem 1: at an exact equilibrium, Alice gets at least U_A(C*) - 2 epsilon (here epsilon =
    0).

    Every sender can reveal x_B, so the identical-induced-distribution
    condition holds (Proposition 1) and U_A(C*) = OPT.
    """
    aligned = best_response(aligned_problem(inst), ETA).value
    assert aligned == first_best(inst)
    eps = weighted_alignment(inst, simplex=False).epsilon
    begin = silent_profile(inst) if start == "silent" else revealing_profile(inst)
    dyn = best_response_dynamics(inst, begin, max_rounds=6)
    if dyn.nash_gap == 0:
        assert outcome(inst, dyn.profile).alice_utility >= aligned - 2 * eps


@given(instances(max_states=3, max_actions=3, max_senders=1, max_messages=2))
def test_milp_route_agrees_with_exact_enumeration(inst):
    """The MILP fallback for limited messages finds the same value as exact set enumeration."""
    problem = dataclasses.replace(deviation_problem(inst, silent_profile(inst), 0), messages=1)
    exact = best_response(problem, ETA)
    old = (
        limited_module.SUBSET_LIMIT,
        limited_module.SUBSETS_FIRST,
        limited_module.by_branch_and_bound,
    )
    limited_module.SUBSET_LIMIT, limited_module.SUBSETS_FIRST = 0, 0
    limited_module.by_branch_and_bound = lambda problem, vectors, ceiling=None: (
        None
    )  # as past its node limit
    try:
        milp = best_response(problem, ETA)
    finally:
        (
            limited_module.SUBSET_LIMIT,
            limited_module.SUBSETS_FIRST,
            limited_module.by_branch_and_bound,
        ) = old
    assert milp.value == exact.value
    if exact.method == "lp+subsets":  # exact only when the LP over every vector is worth as much
        unlimited = best_response(dataclasses.replace(problem, messages=problem.num_features), ETA)
        assert milp.optimality == ("exact" if milp.value == unlimited.value else "milp-solver")
