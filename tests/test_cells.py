"""The fast cell enumeration returns exactly the reference enumeration's vectors and pruned list."""

from __future__ import annotations

import dataclasses
import hashlib
import random
from fractions import Fraction as F

import pytest
from hypothesis import given, strategies as st

import persuasion.cells as cells
from persuasion.cells import certified_responses
from persuasion.experiments.families import Size, generate, random_profile
from persuasion.inducible import inducible_responses
from persuasion.lp.kernel import Solved
from persuasion.lp.margin import MarginLP
from persuasion.model import silent_profile
from persuasion.problem import aligned_problem, oblivious_problem_for, deviation_problem
from persuasion.testing import instances, profiles

from test_sender import REGRESSION


def both(problem):
    """``(vectors, pruned)`` from the new enumeration and from the reference."""
    new, reference = [], []
    return (certified_responses(problem, new), new), (
        inducible_responses(problem, reference),
        reference,
    )


def assert_same(problem):
    new, reference = both(problem)
    assert new == reference
    return new


def with_messages(instance, count):
    """The instance with every sender given ``count`` messages (as
    ``benchmarks/bench_sender_lp.py``)."""
    senders = tuple(
        dataclasses.replace(s, messages=tuple(str(m) for m in range(count)))
        for s in instance.senders
    )
    return dataclasses.replace(instance, senders=senders)


def generated(senders, messages, states, actions):
    """Sender 0's problem on the generated instance the benchmarks use."""
    instance = with_messages(generate("random", 1, Size(senders, states, actions)), messages)
    return deviation_problem(instance, random_profile(instance, 1), 0)


@given(st.data())
def test_same_as_reference_on_random_games(data):
    """Ties (denominators up to 4), zero cells, Alice features, several senders, few messages."""
    inst = data.draw(
        instances(max_states=3, max_actions=4, max_senders=3, max_alice_features=3, max_messages=3)
    )
    profile = data.draw(profiles(inst))
    sender = data.draw(st.integers(0, inst.num_senders - 1))
    assert_same(deviation_problem(inst, profile, sender))


@given(instances(max_states=4, max_actions=3, max_senders=2, max_alice_features=2))
def test_same_as_reference_on_silent_and_aligned_problems(inst):
    assert_same(deviation_problem(inst, silent_profile(inst), 0))
    assert_same(aligned_problem(inst))


@given(st.data())
def test_the_alice_floor_plays_no_part(data):
    """Inducibility ignores the selection game's floor (Section E): same answer with and without
    it."""
    inst = data.draw(instances(max_states=3, max_actions=3, max_senders=2, max_alice_features=2))
    problem = deviation_problem(inst, data.draw(profiles(inst)), 0)
    floor = data.draw(st.fractions(-1, 2, max_denominator=4))
    floored = dataclasses.replace(problem, alice_floor=floor, floor_strict=data.draw(st.booleans()))
    assert assert_same(floored) == assert_same(problem)


def test_alice_indifferent_everywhere():
    """Every strict row is 0: only the tie-break's first action is ever induced."""
    inst = generate("random", 3, Size(2, 3, 3))
    flat = dataclasses.replace(inst, alice_utility=tuple((F(1),) * 3 for _ in range(3)))
    vectors, pruned = assert_same(deviation_problem(flat, random_profile(flat, 2), 0))
    first = flat.protocol.tie_break[0]
    assert vectors == [tuple(first for _ in vectors[0])]
    assert len(pruned) == 2 * len(vectors[0])


def test_the_indifferent_regression_instance():
    """Issue 7's instance: every type indifferent at the prior, 80 inducible vectors."""
    vectors, _ = assert_same(oblivious_problem_for(REGRESSION, REGRESSION.senders[0].utility, 2))
    assert len(vectors) == 80


def test_numbers_beyond_doubles():
    """Alice's utility in one state times 10**400, and a prior cell of 10**-400: rows spanning
    800 orders of magnitude.  Each float row is divided by its largest entry, so nothing
    overflows (tiny entries round to 0); the exact rows are Python integers (object arrays)."""
    inst = generate("random", 5, Size(2, 3, 3))
    profile = random_profile(inst, 5)
    huge = dataclasses.replace(
        inst, alice_utility=tuple(row[:2] + (row[2] * 10**400,) for row in inst.alice_utility)
    )
    assert_same(deviation_problem(huge, profile, 1))
    rows = [list(row) for row in inst.prior[0]]
    rows[2][2] /= 10**400
    total = sum(map(sum, rows))
    odd = dataclasses.replace(inst, prior=(tuple(tuple(p / total for p in row) for row in rows),))
    assert_same(deviation_problem(odd, profile, 1))


# --------------------------------------------------------------- regressions on the generated sizes

# (senders, messages, states, actions): situations, vectors, pruned, sha256 of repr((vectors,
# pruned))
PINNED = {
    # from the reference enumeration (persuasion.inducible.inducible_responses), measured once
    (5, 3, 3, 3): (72, 55, 792, "c704088d9c7cbf2590580f5a3284bfdc2909f228ac1c373f03cdca01710e760e"),
    (3, 4, 5, 4): (
        16,
        1409,
        5131,
        "1b7f93f21eacef145b676dd126c1953b80191b3fe77a819e01ec07a27c85c7c2",
    ),
}


@pytest.mark.parametrize("size", sorted(PINNED))
def test_generated_sizes_match_the_pinned_reference(size):
    """The reference takes 6 s and 16 s on these (more on a busy machine); its answers are
    pinned."""
    situations, count, pruned_count, digest = PINNED[size]
    problem = generated(*size)
    pruned = []
    vectors = certified_responses(problem, pruned)
    assert (problem.num_situations, len(vectors), len(pruned)) == (situations, count, pruned_count)
    assert hashlib.sha256(repr((vectors, pruned)).encode()).hexdigest() == digest


def test_a_small_generated_size_against_the_reference():
    vectors, _ = assert_same(generated(3, 3, 3, 3))
    assert len(vectors) == 7


# ----------------------------------------------------------- the floats may lie; the answer may not


@pytest.fixture
def fallbacks(monkeypatch):
    """Count the nodes decided by the reference's exact LP."""
    calls = []
    original = cells._Search._fallback

    def counted(self, assignment):
        calls.append(assignment)
        return original(self, assignment)

    monkeypatch.setattr(cells._Search, "_fallback", counted)
    return calls


def lying_problem():
    inst = generate("random", 2, Size(3, 3, 3))
    return deviation_problem(inst, random_profile(inst, 2), 0)


def test_no_float_answer_at_all_falls_back_everywhere(monkeypatch, fallbacks):
    monkeypatch.setattr(MarginLP, "solve", lambda self: None)
    assert_same(lying_problem())
    assert fallbacks


def test_a_lying_float_solver_cannot_change_the_answer(monkeypatch, fallbacks):
    """Random "optimal" bases and random signs: every certificate fails or is right."""
    rng = random.Random(8)

    def lie(self):
        rows = sorted(rng.sample(range(self.num_rows), min(self.num_rows, self.n)))
        cols = sorted(rng.sample(range(self.n), len(rows)))
        return rows, cols, rng.random() < 0.5

    monkeypatch.setattr(MarginLP, "solve", lie)
    assert_same(lying_problem())
    assert fallbacks


def test_wrong_exact_solutions_are_caught(monkeypatch, fallbacks):
    """A kernel solve that returns wrong numbers yields no witness and no certificate."""
    original = cells.solve_columns

    def perturbed(matrix, rhs):
        solved = original(matrix, rhs)
        if solved is None:
            return None
        return [
            Solved(
                tuple(v + (1 if k == 0 else 0) for k, v in enumerate(s.numerators)), s.denominator
            )
            for s in solved
        ]

    monkeypatch.setattr(cells, "solve_columns", perturbed)
    assert_same(lying_problem())
    assert fallbacks


def test_floats_are_trusted_for_nothing_on_an_honest_run(fallbacks):
    """Without lies, no node needs the fallback (the fast path really is the path taken)."""
    assert_same(lying_problem())
    assert not fallbacks


def test_more_situations_than_the_recursion_limit():
    """1,200 situations (an Alice type per situation, all alike): the search is a loop, not
    recursion."""
    inst = generate("random", 4, Size(1, 2, 2))
    prior = inst.prior[0]
    many = dataclasses.replace(
        inst,
        alice_features=tuple(f"x{j}" for j in range(1200)),
        prior=tuple(tuple(tuple(p / 1200 for p in row) for row in prior) for _ in range(1200)),
    )
    problem = deviation_problem(many, silent_profile(many), 0)
    assert problem.num_situations == 1200
    one = deviation_problem(inst, silent_profile(inst), 0)
    assert certified_responses(problem) == [r * 1200 for r in inducible_responses(one)]
