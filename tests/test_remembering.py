"""The engine's two memories change no answer, only how often a question is computed.

* :func:`persuasion.lp.pipeline.remembering`: inside a best response, an exact
  LP whose data equals one already solved gets that result back.  Keyed by
  the whole data (:attr:`persuasion.lp.model.LPData.content`): LPs that differ
  in any one number, sense or flag are different questions.
* :func:`persuasion.cells.remembering`: during a solve, "is action ``a``
  inducible alone in situation ``t``?" is answered once per question
  (:func:`persuasion.cells._alone_question`, invariant under rescaling each
  ``x_B``'s values by a positive number).

Each is checked against the same computation without it (and against the
reference enumeration), on hypothesis-generated games, and the keys are
checked to separate what they must: a memory that returned an entry for
another question would fail here.
"""

from __future__ import annotations

import contextlib
import dataclasses
from fractions import Fraction as F

from hypothesis import given, settings, strategies as st

import persuasion.cells as cells
import persuasion.lp.pipeline as pipeline
import persuasion.sender as sender
from persuasion.cells import certified_responses
from persuasion.experiments.families import Size, generate
from persuasion.inducible import inducible_responses, witness
from persuasion.lp import LinearProgram, solve
from persuasion.problem import deviation_problem
from persuasion.api import find_equilibrium
from persuasion.testing import instances, profiles


def _forgetting(monkeypatch) -> None:
    """Both memories off: every question computed afresh."""
    monkeypatch.setattr(sender, "remembering", contextlib.nullcontext)
    monkeypatch.setattr(cells, "remembering", contextlib.nullcontext)


def _fields(best):
    return (
        best.value,
        best.attained,
        best.columns,
        best.achieved,
        best.route,
        best.method,
        best.optimality,
    )


# ---------------------------------------------------------------- the exact LP memory


def _lp(
    objective=(1, 2, -1),
    rows=(({0: 1, 1: 1}, "<=", 4), ({0: 1, 1: 3}, "<=", 6)),
    sense="max",
    free=(),
):
    lp = LinearProgram(sense)
    for j, c in enumerate(objective):
        lp.add_variable(objective=c, free=j in free)
    for coefficients, row_sense, rhs in rows:
        lp.add_constraint(coefficients, row_sense, rhs)
    return lp


MUTANTS = {
    "a coefficient": dict(rows=(({0: 1, 1: 2}, "<=", 4), ({0: 1, 1: 3}, "<=", 6))),
    "a coefficient's place": dict(rows=(({0: 1}, "<=", 4), ({0: 1, 1: 3}, "<=", 6))),
    "a right-hand side": dict(rows=(({0: 1, 1: 1}, "<=", 3), ({0: 1, 1: 3}, "<=", 6))),
    "a row's scale": dict(rows=(({0: F(1, 2), 1: F(1, 2)}, "<=", 2), ({0: 1, 1: 3}, "<=", 6))),
    "a sense": dict(rows=(({0: 1, 1: 1}, ">=", 4), ({0: 1, 1: 3}, "<=", 6))),
    "the objective": dict(objective=(1, F(5, 2), -1)),
    "the objective's sense": dict(sense="min"),
    "a free column": dict(free=(2,)),
    "a row more": dict(rows=(({0: 1, 1: 1}, "<=", 4), ({0: 1, 1: 3}, "<=", 6), ({0: 1}, "<=", 1))),
}


def test_lps_that_differ_in_anything_are_different_questions():
    """Solved one after the other in one memory, every mutant gets its own answer, as alone."""
    alone = {name: solve(_lp(**change)) for name, change in MUTANTS.items()}
    with pipeline.remembering():
        first = solve(_lp())
        assert (first.value, first.x) == (5, (3, 1, 0))
        for name, change in MUTANTS.items():
            assert _lp(**change).freeze().content != _lp().freeze().content, name
            found = solve(_lp(**change))
            assert (found.status, found.value, found.x, found.y) == (
                alone[name].status,
                alone[name].value,
                alone[name].x,
                alone[name].y,
            ), name
            assert (found.value, found.x, found.y) != (5, (3, 1, 0), first.y), (
                name
            )  # a stale answer would show


def test_an_equal_lp_built_again_is_answered_from_memory(monkeypatch):
    with pipeline.remembering():
        first = solve(_lp())
        monkeypatch.setattr(pipeline, "_float_route", None)  # any new solve would fail
        assert solve(_lp()) is first
    assert pipeline._MEMO.get() is None  # the memory ends with the block


@given(st.data())
def test_best_responses_are_the_same_without_the_lp_memory(data):
    """Ties, zero cells, Alice features, few messages: every field, and the value's certificate."""
    inst = data.draw(
        instances(max_states=3, max_actions=3, max_senders=3, max_alice_features=2, max_messages=3)
    )
    problem = deviation_problem(
        inst, data.draw(profiles(inst)), data.draw(st.integers(0, inst.num_senders - 1))
    )
    remembered = sender.best_response(problem)
    with contextlib.ExitStack() as stack:
        stack.enter_context(_patched(sender, "remembering", contextlib.nullcontext))
        forgotten = sender.best_response(problem)
    assert (remembered is None) == (forgotten is None)
    if remembered is not None:
        assert _fields(remembered) == _fields(forgotten)


@contextlib.contextmanager
def _patched(module, name, value):
    """``module.name`` replaced within the block (hypothesis tests cannot take the monkeypatch
    fixture)."""
    old = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, old)


# ---------------------------------------------------------------- the single-pair memory


def _alone_answers(problem):
    """Per situation, whether each action is inducible alone: the reference's exact LP."""
    return [
        [witness(problem, [(t, a)]) is not None for a in range(problem.num_actions)]
        for t in range(problem.num_situations)
    ]


def _rescaled(problem, t, factors):
    """``problem`` with Alice's values in situation ``t`` at ``x_B`` multiplied by
    ``factors[x_B]``."""
    table = tuple(
        tuple(v * c for v in row) for row, c in zip(problem.alice_values[t], factors, strict=True)
    )
    values = problem.alice_values[:t] + (table,) + problem.alice_values[t + 1 :]
    return dataclasses.replace(problem, alice_values=values)


@given(st.data())
def test_rescaling_a_situation_keeps_the_question_and_the_answers(data):
    """The invariance the memory rests on, checked by the reference: any positive factor per
    ``x_B``."""
    inst = data.draw(instances(max_states=3, max_actions=4, max_senders=2, max_alice_features=2))
    problem = deviation_problem(inst, data.draw(profiles(inst)), 0)
    t = data.draw(st.integers(0, problem.num_situations - 1))
    factors = data.draw(
        st.lists(
            st.fractions(F(1, 7), 7).filter(bool),
            min_size=problem.num_features,
            max_size=problem.num_features,
        )
    )
    scaled = _rescaled(problem, t, factors)
    assert cells._alone_question(scaled, t) == cells._alone_question(problem, t)
    assert _alone_answers(scaled)[t] == _alone_answers(problem)[t]


@given(st.data())
def test_questions_with_one_answer_each(data):
    """Across two games, equal questions have equal reference answers: no entry can serve a question
    it does not answer."""
    answers: dict[tuple, bool] = {}
    for _ in range(2):
        inst = data.draw(
            instances(max_states=3, max_actions=3, max_senders=2, max_alice_features=2)
        )
        problem = deviation_problem(inst, data.draw(profiles(inst)), 0)
        for t, row in enumerate(_alone_answers(problem)):
            question = cells._alone_question(problem, t)
            for a, answer in enumerate(row):
                assert answers.setdefault((question, a), answer) == answer


@given(st.data())
def test_enumerations_sharing_a_memory_match_the_reference(data):
    """Several problems enumerated in one memory (the second and later find answers the first left),
    each with the reference's vectors and pruned list."""
    with cells.remembering():
        for _ in range(3):
            inst = data.draw(
                instances(
                    max_states=3, max_actions=3, max_senders=3, max_alice_features=2, max_messages=3
                )
            )
            problem = deviation_problem(
                inst, data.draw(profiles(inst)), data.draw(st.integers(0, inst.num_senders - 1))
            )
            new, reference = [], []
            assert certified_responses(problem, new) == inducible_responses(problem, reference)
            assert new == reference


def test_the_memory_answers_most_single_pair_questions_of_a_solve(monkeypatch):
    """On a generated 3 x 3 x 3 game the dynamics ask the same single-pair questions again and
    again."""
    decided = []
    real = cells._Search.decide

    def counted(self, assignment):
        if len(assignment) == 1:
            decided.append(assignment)
        return real(self, assignment)

    monkeypatch.setattr(cells._Search, "decide", counted)
    instance = _hull_with_two_messages()
    find_equilibrium(instance, "oblivious", max_rounds=3)
    asked = len(decided)
    decided.clear()
    _forgetting(monkeypatch)
    find_equilibrium(instance, "oblivious", max_rounds=3)
    assert asked * 3 < len(decided)


def _hull_with_two_messages():
    """The generated game of the slowest small solve (issue 8 point 5): hull 3 x 3 x 3, seed 0,
    every sender with 2 messages (``benchmarks/bench_solve_small.py``)."""
    instance = generate("hull", 0, Size(3, 3, 3))
    senders = tuple(dataclasses.replace(s, messages=("0", "1")) for s in instance.senders)
    return dataclasses.replace(instance, senders=senders)


# ---------------------------------------------------------------- whole solves


@settings(max_examples=10)
@given(st.data())
def test_dynamics_find_the_same_with_and_without_the_memories(data):
    inst = data.draw(
        instances(max_states=3, max_actions=3, max_senders=3, max_alice_features=2, max_messages=2)
    )
    start = data.draw(st.sampled_from(["silent", "revealing", "oblivious"]))
    remembered = find_equilibrium(inst, start, max_rounds=4)
    with (
        _patched(sender, "remembering", contextlib.nullcontext),
        _patched(cells, "remembering", contextlib.nullcontext),
    ):
        forgotten = find_equilibrium(inst, start, max_rounds=4)
    assert remembered == forgotten


def test_the_slow_hull_solve_is_the_same_without_the_memories(monkeypatch):
    """The solve that led to the memories (issue 8 point 5), for 8 rounds: the same profile, gap and
    deviations."""
    instance = _hull_with_two_messages()
    remembered = find_equilibrium(instance, "oblivious", max_rounds=8)
    _forgetting(monkeypatch)
    forgotten = find_equilibrium(instance, "oblivious", max_rounds=8)
    assert remembered == forgotten
    assert [_fields(d.best) for d in remembered[0].deviations] == [
        _fields(d.best) for d in forgotten[0].deviations
    ]
