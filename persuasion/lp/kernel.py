"""Exact solves for a simplex basis, reduced to its kernel.

A basis names the basic structural columns ``Bs`` and the rows whose slack
is basic.  A basic slack makes its row irrelevant to the basic solution, so
only the kernel ``K = A[R, Bs]`` (``R`` = rows with a nonbasic slack, as
many as ``Bs``) is solved: ``K x_Bs = b_R`` for the primal and
``K^T y_R = c_Bs`` for the dual (``y`` is zero off ``R``; every nonbasic
variable sits at zero).  The systems use the integer-scaled rows of
:class:`~persuasion.lp.scaled.IntegerLP` and are solved exactly by
python-flint, which returns integer numerators over one common denominator.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def kernel_matrix(ilp: IntegerLP, basis: Basis) -> flint.fmpz_mat | None:
    """The integer kernel ``A[R, Bs]`` (rows scaled), or None if it is not square."""
    rows = basis.kernel_rows(ilp.data.num_constraints)
    k = len(rows)
    if k != len(basis.cols):
        return None
    if k == 0:
        return flint.fmpz_mat(0, 0)
    cols = np.array(basis.cols, dtype=np.int64)
    lengths = ilp.col_start[cols + 1] - ilp.col_start[cols]
    # positions of the nonzeros of the basic columns in the column-wise arrays
    first = np.repeat(ilp.col_start[cols] - np.cumsum(lengths) + lengths, lengths)
    entries = first + np.arange(int(lengths.sum()))
    kernel_row = np.full(ilp.data.num_constraints, -1, dtype=np.int64)
    kernel_row[list(rows)] = np.arange(k)
    r = kernel_row[ilp.csc_rows[entries]]
    keep = r >= 0
    dense = np.zeros((k, k), dtype=ilp.csc_nums.dtype)
    dense[r[keep], np.repeat(np.arange(k), lengths)[keep]] = ilp.csc_nums[entries[keep]]
    return flint.fmpz_mat(k, k, dense.ravel().tolist())


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
    matrix = kernel_matrix(ilp, basis)
    if matrix is None:
        return None
    rows = basis.kernel_rows(ilp.data.num_constraints)
    primal = solve_columns(matrix, [[ilp.rhs_nums[i] for i in rows]])
    if primal is None:
        return None
    dual = solve_columns(matrix.transpose(), [[obj_nums[j] for j in basis.cols]])
    if dual is None:
        return None
    return primal[0], dual[0]
