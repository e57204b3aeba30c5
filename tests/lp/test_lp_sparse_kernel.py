"""The sparse kernel elimination agrees with python-flint's dense solve, and detects singularity."""

from __future__ import annotations

from fractions import Fraction

import flint
import numpy as np
from hypothesis import given, strategies as st

from persuasion.lp.kernel import dense_matrix, sparse_solve


@st.composite
def sparse_systems(draw):
    """A sparse integer k x k matrix with a nonzero diagonal (often nonsingular), and a right-hand side."""
    k = draw(st.integers(1, 12))
    entries = {(i, i): draw(st.integers(1, 5)) for i in range(k)}
    for _ in range(draw(st.integers(0, 2 * k))):
        i, j = draw(st.integers(0, k - 1)), draw(st.integers(0, k - 1))
        entries[(i, j)] = draw(st.integers(-5, 5))
    entries = {key: v for key, v in entries.items() if v}
    row = np.array([i for i, _ in entries], dtype=np.int64)
    col = np.array([j for _, j in entries], dtype=np.int64)
    value = np.array(list(entries.values()), dtype=np.int64)
    rhs = draw(st.lists(st.integers(-9, 9), min_size=k, max_size=k))
    return k, row, col, value, rhs


@given(sparse_systems())
def test_sparse_elimination_matches_flint(system):
    k, row, col, value, rhs = system
    matrix = dense_matrix(k, row, col, value)
    solved = sparse_solve(k, row, col, value, rhs)
    if matrix.det() == 0:
        assert solved is None
        return
    x = [Fraction(n, solved.denominator) for n in solved.numerators]
    expected = matrix.solve(flint.fmpz_mat(k, 1, rhs))
    assert x == [Fraction(int(expected[i, 0].p), int(expected[i, 0].q)) for i in range(k)]


def test_a_singular_kernel_is_reported():
    row, col = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    assert sparse_solve(2, row, col, np.array([1, 2, 2, 4]), [1, 2]) is None
