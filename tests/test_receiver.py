"""Alice's side: posteriors, best response with the fixed tie-break, outcomes, first-best, quantal
response."""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import sympy
from hypothesis import given, strategies as st

from persuasion.model import Profile, silent_profile
from persuasion.quantal import quantal_response, quantal_utility
from persuasion.receiver import action_values, best_action, first_best, outcome
from persuasion.testing import instances, profiles


def brute_force_outcome(instance, profile):
    """Definition 5 by enumerating every (x_A, x_B, y, message profile) and normalising
    posteriors."""
    k = instance.num_senders
    joint = [[F(0)] * instance.num_states for _ in instance.actions]
    events = {}
    for xa, table in enumerate(instance.prior):
        for xb, row in enumerate(table):
            for y, p in enumerate(row):
                for msgs in itertools.product(*(range(len(s.messages)) for s in instance.senders)):
                    q = p
                    for i in range(k):
                        q *= profile.schemes[i][xb][msgs[i]]
                    if q:
                        events.setdefault((xa, msgs), []).append((y, q))
    for items in events.values():
        total = sum(q for _, q in items)
        posterior = [
            sum((q for y, q in items if y == s), F(0)) / total for s in range(instance.num_states)
        ]
        values = [
            sum(posterior[y] * instance.alice_utility[a][y] for y in range(instance.num_states))
            for a in range(instance.num_actions)
        ]
        best = max(values)
        a = next(a for a in instance.protocol.tie_break if values[a] == best)
        for y, q in items:
            joint[a][y] += q
    return joint


def test_judge_prosecutor_oblivious_profile_gives_five_thirds(catalog):
    """Appendix I (Theorem 7): the oblivious schemes leave Alice at 5/3 < 2 = OPT."""
    inst = catalog("judge-prosecutor")
    prosecutor = ((F(1), F(0)), (F(1), F(0)))  # always message 0
    defense = ((F(1, 2), F(1, 2)), (F(0), F(1)))  # guilty -> 1/2 each, innocent -> 1
    result = outcome(inst, Profile((prosecutor, defense)))
    assert result.alice_utility == F(5, 3)
    assert first_best(inst) == 2
    # Alice acquits on the tie after "innocent" (posterior 1/2) and convicts after "guilty".
    assert result.joint == ((F(1, 3), F(1, 3)), (F(1, 3), F(0)))


def test_kg_no_information_judge_acquits(catalog):
    inst = catalog("kg-prosecutor")
    result = outcome(inst, silent_profile(inst))
    assert result.alice_utility == F(7, 10)
    assert result.sender_utilities == (F(0),)
    assert first_best(inst) == 1


def test_tie_goes_to_earliest_action_in_tie_break(catalog):
    inst = catalog("kg-prosecutor")
    # Posterior exactly 1/2: both actions are worth the same, acquit comes first.
    assert best_action(inst, [F(7, 10), F(7, 10)]) == 0
    assert best_action(inst, [F(7, 10) + F(1, 10**9), F(7, 10)]) == 1
    # The zero vector (an impossible event) also makes everything tie.
    assert best_action(inst, [F(0), F(0)]) == 0


@given(st.data())
def test_outcome_matches_brute_force(data):
    inst = data.draw(instances(max_alice_features=2, max_messages=2))
    profile = data.draw(profiles(inst))
    result = outcome(inst, profile)
    assert [list(r) for r in result.joint] == brute_force_outcome(inst, profile)
    assert sum(sum(r) for r in result.joint) == 1


@given(st.data())
def test_first_best_dominates_every_profile(data):
    inst = data.draw(instances(max_alice_features=2, max_messages=2))
    profile = data.draw(profiles(inst))
    assert outcome(inst, profile).alice_utility <= first_best(inst)


@given(st.lists(st.fractions(0, 1, max_denominator=5), min_size=2, max_size=4), st.integers(1, 50))
def test_quantal_response_is_a_distribution_within_lemma_1(values, lam):
    """Definition 11 sums to 1; Lemma 1: the gap to the best value is at most log|A|/lambda."""
    probs = quantal_response(values, F(lam))
    assert sympy.simplify(sympy.Add(*probs) - 1) == 0
    gap = max(values) - quantal_utility(values, F(lam))
    bound = sympy.log(len(values)) / lam
    assert (bound - gap).evalf(50) >= 0


def test_quantal_response_orders_by_value():
    probs = quantal_response([F(0), F(1, 2), F(1)], F(10))
    floats = [float(p) for p in probs]
    assert floats[0] < floats[1] < floats[2]
    assert abs(float(probs[2]) - 1 / (1 + sympy.exp(-5).evalf() + sympy.exp(-10).evalf())) < 1e-12


def test_action_values_is_linear():
    u = ((F(1), F(0)), (F(0), F(1)))
    assert action_values(u, [F(1, 3), F(2, 3)]) == [F(1, 3), F(2, 3)]


@given(st.data())
def test_a_problems_tables_are_alices_and_the_senders_action_values(data):
    """:func:`persuasion.problem.make_problem` sums in python-flint's rationals: the same numbers as
    :func:`action_values` in Fractions, row by row, for Alice and the sender."""
    from persuasion.problem import deviation_problem

    inst = data.draw(instances(max_states=3, max_actions=3, max_senders=3, max_alice_features=2))
    sender = data.draw(st.integers(0, inst.num_senders - 1))
    problem = deviation_problem(inst, data.draw(profiles(inst)), sender)
    for t, table in enumerate(problem.q):
        for xb, row in enumerate(table):
            assert problem.alice_values[t][xb] == tuple(action_values(inst.alice_utility, row))
            assert problem.sender_values[t][xb] == tuple(
                action_values(inst.senders[sender].utility, row)
            )
            assert all(
                type(v) is F for v in problem.alice_values[t][xb] + problem.sender_values[t][xb]
            )
