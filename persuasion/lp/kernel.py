"""Exact solves for a simplex basis, reduced to its kernel.

A basis names the basic structural columns ``Bs`` and the rows whose slack
is basic.  A basic slack makes its row irrelevant to the basic solution, so
only the kernel ``K = A[R, Bs]`` (``R`` = rows with a nonbasic slack, as
many as ``Bs``) is solved: ``K x_Bs = b_R`` for the primal and
``K^T y_R = c_Bs`` for the dual (``y`` is zero off ``R``; every nonbasic
variable sits at zero).  The systems use the integer-scaled rows of
:class:`~persuasion.lp.scaled.IntegerLP` and are solved exactly by
python-flint, which returns integer numerators over one common denominator,
or -- for very sparse kernels, where building flint's dense matrix costs more
than the solve -- by sparse rational elimination (:func:`sparse_solve`).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

import flint
import numpy as np

from persuasion.lp.scaled import IntegerLP


@dataclass(frozen=True)
class Basis:
    """A simplex basis: basic structural ``cols`` and the ``rows`` whose slack is basic."""

    cols: tuple[int, ...]
    rows: frozenset[int]

    def kernel_rows(self, num_rows: int) -> tuple[int, ...]:
        """The rows whose slack is nonbasic (they hold with equality), ascending."""
        return tuple(i for i in range(num_rows) if i not in self.rows)


@dataclass(frozen=True)
class Solved:
    """An exact solution ``numerators[t] / denominator`` (``denominator > 0``) of a kernel system."""

    numerators: tuple[int, ...]
    denominator: int


def kernel_entries(ilp: IntegerLP, basis: Basis) -> tuple[int, np.ndarray, np.ndarray, np.ndarray] | None:
    """The integer kernel ``A[R, Bs]`` (rows scaled) as ``(k, row, col, value)`` arrays of its
    nonzeros, or None if it is not square."""
    rows = basis.kernel_rows(ilp.data.num_constraints)
    k = len(rows)
    if k != len(basis.cols):
        return None
    if k == 0:
        empty = np.zeros(0, dtype=np.int64)
        return 0, empty, empty, empty
    cols = np.array(basis.cols, dtype=np.int64)
    lengths = ilp.col_start[cols + 1] - ilp.col_start[cols]
    # positions of the nonzeros of the basic columns in the column-wise arrays
    first = np.repeat(ilp.col_start[cols] - np.cumsum(lengths) + lengths, lengths)
    entries = first + np.arange(int(lengths.sum()))
    kernel_row = np.full(ilp.data.num_constraints, -1, dtype=np.int64)
    kernel_row[list(rows)] = np.arange(k)
    r = kernel_row[ilp.csc_rows[entries]]
    keep = r >= 0
    return k, r[keep], np.repeat(np.arange(k), lengths)[keep], ilp.csc_nums[entries[keep]]


def dense_matrix(k: int, row: np.ndarray, col: np.ndarray, value: np.ndarray) -> flint.fmpz_mat:
    """The kernel as a python-flint integer matrix."""
    dense = np.zeros((k, k), dtype=value.dtype if len(value) else np.int64)
    dense[row, col] = value
    return flint.fmpz_mat(k, k, dense.ravel().tolist())


def kernel_matrix(ilp: IntegerLP, basis: Basis) -> flint.fmpz_mat | None:
    """The integer kernel ``A[R, Bs]`` (rows scaled) as a dense flint matrix, or None if not square."""
    kernel = kernel_entries(ilp, basis)
    return None if kernel is None else dense_matrix(*kernel)


SPARSE_DENSITY = 0.02
"""Kernels with at most this share of nonzeros (and more than :data:`SPARSE_MIN` rows) are
eliminated sparsely; flint's dense solve wins on denser or smaller ones."""

SPARSE_MIN = 64


def sparse_solve(k: int, row, col, value, rhs: list[int]) -> Solved | None:
    """Solve ``K w = rhs`` exactly by sparse Gaussian elimination over the rationals.

    Markowitz-style pivoting: the active row with fewest nonzeros, and in it
    the column shared with fewest active rows, so the fill-in of the sparse
    kernels of persuasion LPs (blocks joined by a few dense rows) stays small.
    None if ``K`` is singular.
    """
    rows: list[dict[int, Fraction]] = [{} for _ in range(k)]
    cols: list[set[int]] = [set() for _ in range(k)]
    for i, j, v in zip(row.tolist(), col.tolist(), value.tolist()):
        rows[i][j] = Fraction(v)
        cols[j].add(i)
    b = [Fraction(v) for v in rhs]
    active = set(range(k))
    queue = [(len(r), i) for i, r in enumerate(rows)]  # lazily updated: stale entries are skipped
    heapq.heapify(queue)
    order = []
    for _ in range(k):
        while True:
            length, i = heapq.heappop(queue)
            if i in active and length == len(rows[i]):
                break
        if not rows[i]:
            return None
        j = min(rows[i], key=lambda c: (len(cols[c]), c))
        active.discard(i)
        for c in rows[i]:
            cols[c].discard(i)
        pivot_row, pivot = rows[i], rows[i][j]
        for r in list(cols[j]):
            factor = rows[r][j] / pivot
            for c, v in pivot_row.items():
                updated = rows[r].get(c, 0) - factor * v
                if updated:
                    rows[r][c] = updated
                    cols[c].add(r)
                else:
                    rows[r].pop(c, None)
                    cols[c].discard(r)
            b[r] -= factor * b[i]
            heapq.heappush(queue, (len(rows[r]), r))
        order.append((i, j))
    x: list[Fraction] = [Fraction(0)] * k
    for i, j in reversed(order):
        total = b[i] - sum((v * x[c] for c, v in rows[i].items() if c != j), Fraction(0))
        x[j] = total / rows[i][j]
    den = lcm(*(v.denominator for v in x)) if x else 1
    return Solved(tuple(v.numerator * (den // v.denominator) for v in x), den)


def solve_columns(matrix: flint.fmpz_mat, rhs: list[list[int]]) -> list[Solved] | None:
    """Solve ``matrix @ w = r`` exactly for each integer vector ``r`` in ``rhs``; None if singular."""
    k = matrix.nrows()
    if k == 0:
        return [Solved((), 1) for _ in rhs]
    block = flint.fmpz_mat(k, len(rhs), [r[t] for t in range(k) for r in rhs])
    try:
        solution = matrix.solve(block)
    except ZeroDivisionError:
        return None
    out = []
    for c in range(len(rhs)):
        nums, den = flint.fmpq_mat(k, 1, [solution[t, c] for t in range(k)]).numer_denom()
        out.append(Solved(tuple(int(v) for v in nums.entries()), int(den)))
    return out


def primal_dual(ilp: IntegerLP, basis: Basis, obj_nums: tuple[int, ...]) -> tuple[Solved, Solved] | None:
    """The basic solution of ``basis``: ``x_Bs`` and the scaled row duals ``y'_R``.

    ``x_Bs = primal.numerators / primal.denominator`` (aligned with
    ``basis.cols``); the dual solves ``K^T z = obj_nums[Bs]`` and
    ``z = dual.numerators / dual.denominator`` aligned with the kernel rows,
    so the dual of the integer-scaled row is ``z / ilp.obj_den`` when
    ``obj_nums = ilp.obj_nums``.  None if the kernel is not square or singular.
    """
    kernel = kernel_entries(ilp, basis)
    if kernel is None:
        return None
    k, row, col, value = kernel
    rows = basis.kernel_rows(ilp.data.num_constraints)
    b = [ilp.rhs_nums[i] for i in rows]
    c = [obj_nums[j] for j in basis.cols]
    if k > SPARSE_MIN and len(value) <= SPARSE_DENSITY * k * k:
        primal = sparse_solve(k, row, col, value, b)
        dual = primal and sparse_solve(k, col, row, value, c)
        return (primal, dual) if dual else None
    matrix = dense_matrix(k, row, col, value)
    primal = solve_columns(matrix, [b])
    if primal is None:
        return None
    dual = solve_columns(matrix.transpose(), [c])
    if dual is None:
        return None
    return primal[0], dual[0]
