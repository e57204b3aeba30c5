"""The array-based pipeline: exact storage across the 64-bit boundary, overflow-proof checks,
and reused HiGHS instances (one per thread and options)."""

from __future__ import annotations

import random
from fractions import Fraction as F

import pytest
from hypothesis import given, settings, strategies as st

import persuasion.lp.highs as highs
from persuasion.lp import LinearProgram, check_certificate, solve
from persuasion.lp.kernel import Basis, Solved
from persuasion.lp.model import scale_to_integers
from persuasion.lp.scaled import IntegerLP
from persuasion.lp.simplex import exact_simplex
from persuasion.lp.verify import _primal_feasible, certify_optimal
from lp_testing import boxed, random_lp


def test_rows_are_stored_exactly_across_the_64_bit_boundary():
    """Rows of small numbers, then one past 2**63 mid-row, then small ones again: each row reads
    back."""
    rows = [
        ({0: 3, 1: F(-1, 2)}, 7),
        ({0: 1, 1: 2**70, 2: F(5, 3)}, -(2**64)),
        ({2: F(1, 9)}, F(2, 3)),
    ]
    lp = LinearProgram()
    for _ in range(3):
        lp.add_variable(1)
    for coefficients, rhs in rows:
        lp.add_constraint(coefficients, "<=", rhs)
    copy = lp.copy()
    copy.add_constraint({0: 2**80}, ">=", 1)
    data = lp.freeze()
    assert data.rows == tuple((tuple(c), tuple(F(v) for v in c.values())) for c, _ in rows)
    assert data.rhs == tuple(F(b) for _, b in rows)
    for (coefficients, rhs), nums, rhs_num, scale in zip(
        rows, data.row_nums, data.rhs_nums, data.row_scale, strict=True
    ):
        assert (nums, rhs_num, scale) == scale_to_integers(coefficients.values(), rhs)
    assert copy.freeze().num_constraints == 4 and lp.num_constraints == 3


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.fractions(max_denominator=2**70).filter(bool)), max_size=6
    ),
    st.fractions(max_denominator=99),
    st.sampled_from(["<=", ">=", "=="]),
)
def test_a_row_scaled_by_its_caller_is_stored_as_add_constraint_stores_it(terms, rhs, sense):
    coefficients = dict(terms)
    one, other = LinearProgram(), LinearProgram()
    for lp in (one, other):
        for _ in range(6):
            lp.add_variable(1)
    one.add_constraint(coefficients, sense, rhs)
    cols = sorted(coefficients)
    nums, rhs_num, scale = scale_to_integers([coefficients[j] for j in cols], rhs)
    assert other.add_scaled_constraints([(cols, list(nums), rhs_num, scale)], sense) == range(0, 1)
    a, b = one.freeze(), other.freeze()
    assert (a.rows, a.rhs, a.senses, a.row_scale) == (b.rows, b.rhs, b.senses, b.row_scale)


@pytest.mark.parametrize(
    "cols, nums, rhs, scale, error",
    [
        ([1, 0], [1, 1], 0, 1, IndexError),  # not ascending
        ([0, 0], [1, 1], 0, 1, IndexError),  # repeated
        ([0, 3], [1, 1], 0, 1, IndexError),  # no variable 3
        ([-1], [1], 0, 1, IndexError),
        ([True], [1], 0, 1, IndexError),  # a bool is not a column
        ([None], [1], 0, 1, IndexError),
        ([0], [0], 0, 1, ValueError),  # zeros are not stored
        ([0], [F(1, 2)], 0, 1, ValueError),  # not scaled
        ([0], [1.0], 0, 1, ValueError),
        ([0], [1], 0, 0, ValueError),
        ([0], [1], F(1, 2), 1, ValueError),
        ([0, 1], [1], 0, 1, ValueError),  # lengths differ
    ],
)
def test_a_badly_scaled_row_is_refused(cols, nums, rhs, scale, error):
    lp = LinearProgram()
    for _ in range(3):
        lp.add_variable(1)
    good = ([0, 1], [1, 2], 0, 1)
    with pytest.raises(error):
        lp.add_scaled_constraints([good, (cols, nums, rhs, scale)], "<=")
    assert lp.num_constraints == 0 and lp.freeze().num_nonzeros == 0


def test_rows_given_as_an_iterator_are_checked_too():
    """Found by review: the columns were checked in a second pass over ``rows``, which an iterator
    had already exhausted, so a row with columns out of order and no variable 5 was stored
    unchecked."""
    lp = LinearProgram()
    for _ in range(2):
        lp.add_variable(1)
    with pytest.raises(IndexError):
        lp.add_scaled_constraints(
            iter([([0, 1], [1, 1], 0, 1), ([1, 0], [1, 1], 0, 1), ([0, 5], [1, 1], 0, 1)]), "<="
        )
    assert lp.num_constraints == 0 and lp.freeze().num_nonzeros == 0


def test_a_product_beyond_64_bits_is_not_wrapped_around():
    """``2**62 x <= 1`` at ``x = 2``: in int64 the activity 2**63 wraps to -2**63 and looks
    feasible."""
    lp = LinearProgram()
    x = lp.add_variable(1)
    lp.add_constraint({x: 1}, "==", 2)
    lp.add_constraint({x: 2**62}, "<=", 1)
    ilp = IntegerLP(lp.freeze())
    assert not _primal_feasible(ilp, Basis((0,), (0,)), Solved((2,), 1))
    assert certify_optimal(ilp, Basis((0,), (0,)), Solved((2,), 1), Solved((1,), 1)) is None
    assert solve(lp).status == "infeasible"


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from([20, 40, 55, 62, 63, 70]))
def test_scaled_rows_near_the_64_bit_boundary_keep_the_exact_optimum(seed, bits):
    """Rows and objective multiplied by numbers around ``2**bits``: the same optimum, certified."""
    rng = random.Random(seed)
    base = boxed(random_lp(rng, rng.randint(1, 4), rng.randint(1, 4)), 5)
    factor = F(2**bits + rng.randint(-3, 3), rng.choice([1, 3]))
    lp = LinearProgram(sense=base.sense)
    data = base.freeze()
    for c, free in zip(data.objective, data.free, strict=True):
        lp.add_variable(c * factor, free=free)
    for i, ((cols, vals), sense, b) in enumerate(
        zip(data.rows, data.senses, data.rhs, strict=True)
    ):
        k = factor if i % 2 else 1
        lp.add_constraint({j: v * k for j, v in zip(cols, vals, strict=True)}, sense, b * k)
    status, x, _, _ = exact_simplex(data)
    result = solve(lp)
    check_certificate(result.certificate)
    assert result.status == status
    if status == "optimal":
        assert result.value == factor * sum(c * v for c, v in zip(data.objective, x, strict=True))


def test_tiny_models_are_solved_in_the_calling_thread(monkeypatch):
    started = []

    class Counting(highs.threading.Thread):
        def start(self):
            started.append(self)
            super().start()

    monkeypatch.setattr(highs.threading, "Thread", Counting)
    h = highs.prepared(IntegerLP(boxed(random_lp(random.Random(1), 3, 3), 5).freeze()))
    highs.run(h, nonzeros=highs.MAIN_THREAD_NONZEROS)
    assert started == []
    highs.run(h, nonzeros=highs.MAIN_THREAD_NONZEROS + 1)
    assert len(started) == 1


def test_an_interrupted_solve_does_not_hand_its_highs_instance_to_the_next(monkeypatch):
    """The abandoned worker thread may still be running it."""
    lp = boxed(random_lp(random.Random(2), 3, 3), 5)
    interrupted = []

    def interrupt(h, nonzeros=None):
        interrupted.append(h)
        raise KeyboardInterrupt

    monkeypatch.setattr(highs, "run", interrupt)
    with pytest.raises(KeyboardInterrupt):
        highs.float_solve(IntegerLP(lp.freeze()))
    monkeypatch.undo()
    used = []
    real_run = highs.run
    monkeypatch.setattr(
        highs, "run", lambda h, nonzeros=None: used.append(h) or real_run(h, nonzeros)
    )
    assert solve(lp).status == exact_simplex(lp.freeze())[0]
    assert used and all(h is not interrupted[0] for h in used)


def test_a_reused_highs_instance_finds_the_basis_a_fresh_one_finds():
    """``passModel`` on a used instance forgets the old basis: same basis, same iterations."""
    rng = random.Random(3)
    for _ in range(15):
        ilp = IntegerLP(boxed(random_lp(rng, rng.randint(2, 5), rng.randint(2, 5)), 5).freeze())
        reused = highs.float_solve(ilp)
        fresh = highs.prepared(ilp)
        fresh.run()
        assert reused.status == highs._STATUS.get(fresh.getModelStatus(), "error")
        if reused.status == "optimal":
            assert reused.basis == highs._basis(fresh, ilp)


CRASHED_HIGHS = """
from fractions import Fraction as F
from persuasion.lp import LinearProgram, solve
lp = LinearProgram(sense="min")
x = lp.add_variable(objective=F(50000000000000001, 100000000000000000))
lp.add_constraint({x: F(-1, 100000000000000000)}, ">=", F(-50000000000000001, 100000000000000000))
lp.add_constraint({x: F(-1, 50000000000000000)}, "==", F(-1, 100000000000000000))
result = solve(lp)
print(result.status, result.x[0], result.value)
"""


def test_an_lp_solved_without_a_simplex_iteration_is_read_without_crashing():
    """HiGHS 1.16 settles this one-column LP without iterating and then has no factored basis:
    asking for its basic variables crashed the process (found by test_lp_random's shrinking).
    Run in a subprocess, so that a regression fails this test instead of killing the test run."""
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", CRASHED_HIGHS], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-500:]
    assert run.stdout.splitlines()[-1].split() == [
        "optimal",
        "1/2",
        "50000000000000001/200000000000000000",
    ]


def test_both_ways_of_reading_a_basis_agree_on_large_lps(monkeypatch):
    """From ``ARRAY_BASIS_ROWS`` rows on the basis is read as an array: it is ``getBasis``'s
    basis."""
    from persuasion.cells import certified_responses
    from persuasion.experiments.families import Size, generate, random_profile
    from persuasion.obedience import best_response_program
    from persuasion.problem import deviation_problem

    instance = generate(
        "random", 1, Size(3, 4, 4)
    )  # a real best-response LP: 16 situations, 4 features
    problem = deviation_problem(instance, random_profile(instance, 1), 0)
    lp = best_response_program(problem, certified_responses(problem)).lp
    assert lp.num_constraints >= highs.ARRAY_BASIS_ROWS
    ilp = IntegerLP(lp.freeze())
    h = highs.prepared(ilp)
    h.run()
    assert (
        highs._STATUS.get(h.getModelStatus()) == "optimal"
        and h.getInfo().simplex_iteration_count > 0
    )
    as_array = highs._basis(h, ilp)
    monkeypatch.setattr(highs, "ARRAY_BASIS_ROWS", ilp.data.num_constraints + 1)
    assert as_array is not None and as_array == highs._basis(h, ilp)
    assert solve(lp).status == "optimal"


@pytest.mark.parametrize("seed", range(40))
def test_reduced_costs_are_exact_and_complementary_to_the_optimum(seed):
    """``LPResult.reduced_costs``: ``c_j - A_j . y`` recomputed here in Fractions from the rows as
    given; in the LP's sense they are <= 0 for max (>= 0 for min), 0 on free columns and wherever
    ``x_j > 0``."""
    rng = random.Random(seed)
    lp = random_lp(rng, rng.randint(1, 6), rng.randint(1, 6), tiny=seed % 4 == 0)
    result = solve(lp)
    if result.status != "optimal":
        with pytest.raises(ValueError):
            result.reduced_costs()
        return
    data = lp.freeze()
    expected = list(data.objective)
    for (cols, values), y in zip(data.rows, result.y, strict=True):
        for j, a in zip(cols, values, strict=True):
            expected[j] -= a * y
    costs = result.reduced_costs()
    assert costs == tuple(expected) and all(type(c) is F for c in costs)
    sign = 1 if data.sense == "max" else -1
    for c, x, free in zip(costs, result.x, data.free, strict=True):
        assert sign * c <= 0 and (c == 0 if free or x else True)
