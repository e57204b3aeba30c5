"""The sparse kernel LU agrees with python-flint's dense solve (for ``K`` and ``K^T``), and detects
singularity."""

from __future__ import annotations

from fractions import Fraction

import flint
import numpy as np
from hypothesis import given, strategies as st

from persuasion.lp.kernel import SparseLU, dense_matrix


@st.composite
def sparse_systems(draw):
    """A sparse integer k x k matrix with a nonzero diagonal (often nonsingular), and a right-hand
    side."""
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


def _flint_solution(matrix: flint.fmpz_mat, rhs: list[int]) -> list[Fraction]:
    expected = matrix.solve(flint.fmpz_mat(matrix.nrows(), 1, rhs))
    return [Fraction(int(expected[i, 0].p), int(expected[i, 0].q)) for i in range(matrix.nrows())]


@given(sparse_systems(), st.data())
def test_sparse_lu_matches_flint_for_the_matrix_and_its_transpose(system, data):
    k, row, col, value, rhs = system
    matrix = dense_matrix(k, row, col, value)
    lu = SparseLU(k, row, col, value)
    assert lu.singular == (matrix.det() == 0)
    if lu.singular:
        return
    other = data.draw(st.lists(st.integers(-9, 9), min_size=k, max_size=k))
    for solved, expected in [
        (lu.solve(rhs), _flint_solution(matrix, rhs)),
        (lu.solve_transposed(other), _flint_solution(matrix.transpose(), other)),
    ]:
        assert solved.denominator > 0
        assert [Fraction(n, solved.denominator) for n in solved.numerators] == expected


def test_a_singular_kernel_is_reported():
    row, col = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    assert SparseLU(2, row, col, np.array([1, 2, 2, 4])).singular
