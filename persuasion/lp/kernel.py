"""Exact solves for a simplex basis, reduced to its kernel.

A basis names the basic structural columns ``Bs`` and the tight rows ``R``,
those whose slack is nonbasic (a basic slack makes its row irrelevant to the
basic solution).  So only the kernel ``K = A[R, Bs]`` is solved:
``K x_Bs = b_R`` for the primal and ``K^T y_R = c_Bs`` for the dual (``y``
is zero off ``R``; every nonbasic variable sits at zero).  The systems use the
integer-scaled rows of :class:`~persuasion.lp.scaled.IntegerLP` and are
solved exactly by python-flint, which returns integer numerators over one
common denominator, or -- for sparse kernels, where building flint's dense
matrix costs more than the solve -- by one sparse rational LU factorisation
that serves both systems (:class:`SparseLU`).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from math import lcm

import flint
import numpy as np

from persuasion.lp.scaled import IntegerLP


@dataclass(frozen=True)
class Basis:
    """A simplex basis: basic structural ``cols`` and the ``tight`` rows (nonbasic slack), both
    ascending."""

    cols: tuple[int, ...]
    tight: tuple[int, ...]

    def basic_rows(self, num_rows: int) -> set[int]:
        """The rows whose slack is basic."""
        return set(range(num_rows)).difference(self.tight)


@dataclass(frozen=True)
class Solved:
    """An exact solution ``numerators[t] / denominator`` (``denominator > 0``) of a kernel
    system."""

    numerators: tuple[int, ...]
    denominator: int


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The concatenation of ``range(s, s + n)`` for the pairs ``(s, n)``."""
    total = int(lengths.sum())
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(total, dtype=np.int64)


def kernel_entries(
    ilp: IntegerLP, basis: Basis
) -> tuple[int, np.ndarray, np.ndarray, np.ndarray] | None:
    """The integer kernel ``A[R, Bs]`` (rows scaled) as ``(k, row, col, value)`` arrays of its
    nonzeros, or None if it is not square."""
    k = len(basis.tight)
    if k != len(basis.cols):
        return None
    if k == 0:
        empty = np.zeros(0, dtype=np.int64)
        return 0, empty, empty, empty
    data = ilp.data
    tight = np.array(basis.tight, dtype=np.int64)
    lengths = data.row_start[tight + 1] - data.row_start[tight]
    entries = _ranges(data.row_start[tight], lengths)
    position = np.full(data.num_variables, -1, dtype=np.int64)
    position[list(basis.cols)] = np.arange(k)
    c = position[data.col_index[entries]]
    keep = c >= 0
    return k, np.repeat(np.arange(k), lengths)[keep], c[keep], data.coef_nums[entries[keep]]


def dense_matrix(k: int, row: np.ndarray, col: np.ndarray, value: np.ndarray) -> flint.fmpz_mat:
    """The kernel as a python-flint integer matrix.

    Made as a zero matrix whose nonzeros are then set one by one: a kernel
    has a few nonzeros per row, and building flint's matrix from the full
    list of ``k * k`` Python ints cost six times as much (27 rows: 98 us
    against 17 us).  (The entries are distinct: a row holds each column once.)
    """
    matrix = flint.fmpz_mat(k, k)
    for i, j, v in zip(row.tolist(), col.tolist(), value.tolist(), strict=True):
        matrix[i, j] = v
    return matrix


def kernel_matrix(ilp: IntegerLP, basis: Basis) -> flint.fmpz_mat | None:
    """The integer kernel ``A[R, Bs]`` (rows scaled) as a dense flint matrix, or None if not
    square."""
    kernel = kernel_entries(ilp, basis)
    return None if kernel is None else dense_matrix(*kernel)


SPARSE_DENSITY = 0.02
"""Kernels with at most this share of nonzeros (and more than :data:`SPARSE_MIN` rows) are
factorised sparsely; flint's dense solve wins on denser or smaller ones."""

SPARSE_MIN = 64


def _solved(values: list) -> Solved:
    """Rationals (python-flint ``fmpq``) as integer numerators over their least common
    denominator."""
    dens = [int(v.q) for v in values]
    den = lcm(*dens) if dens else 1
    return Solved(tuple(int(v.p) * (den // q) for v, q in zip(values, dens, strict=True)), den)


def _eliminate(
    rows: list[dict[int, flint.fmpq]],
    cols: list[set[int]],
    pivot_row: dict[int, flint.fmpq],
    j: int,
    singles: list[int],
    queue: list[tuple[int, int]],
) -> list[tuple[int, flint.fmpq]]:
    """Subtract multiples of ``pivot_row`` from every other row with an entry in column ``j``, so
    column ``j`` is left empty; returns the multiples ``(r, f)`` and requeues the changed rows."""
    pivot = pivot_row[j]
    multiples = []
    for r in cols[j]:
        target = rows[r]
        factor = target.pop(j) / pivot
        multiples.append((r, factor))
        for c, v in pivot_row.items():
            if c != j:
                updated = target.get(c, 0) - factor * v
                if updated:
                    target[c] = updated
                    cols[c].add(r)
                else:
                    del target[c]
                    cols[c].discard(r)
        if len(target) == 1:
            singles.append(r)
        else:
            heapq.heappush(queue, (len(target), r))
    cols[j].clear()
    return multiples


class SparseLU:
    """``K = L U`` by sparse Gaussian elimination over the rationals (python-flint ``fmpq``).

    Markowitz-style pivoting: the active row with fewest nonzeros, and in it
    the column shared with fewest active rows, so the fill-in of the sparse
    kernels of persuasion LPs (blocks joined by a few dense rows) stays small.
    Step ``t`` pivots on row ``i_t``, column ``j_t``; ``upper[t]`` is row
    ``i_t`` at that moment and ``lower[t]`` the multiples ``(r, f)`` of it
    subtracted from the other rows.  One factorisation solves both
    ``K w = b`` and ``K^T w = c``.
    """

    def __init__(self, k: int, row: np.ndarray, col: np.ndarray, value: np.ndarray) -> None:
        fmpq = flint.fmpq
        rows: list[dict[int, flint.fmpq]] = [{} for _ in range(k)]
        cols: list[set[int]] = [set() for _ in range(k)]
        for i, j, v in zip(row.tolist(), col.tolist(), value.tolist(), strict=True):
            rows[i][j] = fmpq(v)
            cols[j].add(i)
        active = [True] * k
        # rows of one entry pivot first, at no cost; the queue is updated lazily (stale entries
        # are skipped)
        singles = [i for i in range(k) if len(rows[i]) == 1]
        queue = [(len(r), i) for i, r in enumerate(rows) if len(r) != 1]
        heapq.heapify(queue)
        self.k = k
        self.order: list[tuple[int, int]] = []
        self.upper: list[dict[int, flint.fmpq]] = []
        self.lower: list[list[tuple[int, flint.fmpq]]] = []
        self.singular = False
        while len(self.order) < k:
            if singles:
                i = singles.pop()
                if not active[i] or len(rows[i]) != 1:
                    continue
            else:
                while True:
                    length, i = heapq.heappop(queue)
                    if active[i] and length == len(rows[i]):
                        break
            pivot_row = rows[i]
            if not pivot_row:
                self.singular = True
                return
            j = (
                min(pivot_row, key=lambda c: (len(cols[c]), c))
                if len(pivot_row) > 1
                else next(iter(pivot_row))
            )
            active[i] = False
            for c in pivot_row:
                cols[c].discard(i)
            multiples = _eliminate(rows, cols, pivot_row, j, singles, queue)
            self.order.append((i, j))
            self.upper.append(pivot_row)
            self.lower.append(multiples)

    def solve(self, rhs: list[int]) -> Solved:
        """``w`` with ``K w = rhs``."""
        b = [flint.fmpq(v) for v in rhs]
        for (i, _), multiples in zip(self.order, self.lower, strict=True):
            if b[i]:
                for r, f in multiples:
                    b[r] -= f * b[i]
        w = [flint.fmpq(0)] * self.k
        for (i, j), u in zip(reversed(self.order), reversed(self.upper), strict=True):
            total = b[i]
            for c, v in u.items():
                if c != j:
                    total -= v * w[c]
            w[j] = total / u[j]
        return _solved(w)

    def solve_transposed(self, rhs: list[int]) -> Solved:
        """``w`` with ``K^T w = rhs``: ``U^T z = rhs``, then ``L^T w = z``."""
        acc = [flint.fmpq(v) for v in rhs]
        z = []
        for (_, j), u in zip(self.order, self.upper, strict=True):
            zt = acc[j] / u[j]
            z.append(zt)
            if zt:
                for c, v in u.items():
                    if c != j:
                        acc[c] -= v * zt
        w = [flint.fmpq(0)] * self.k
        for (i, _), zt, multiples in zip(
            reversed(self.order), reversed(z), reversed(self.lower), strict=True
        ):
            for r, f in multiples:
                zt -= f * w[r]
            w[i] = zt
        return _solved(w)


def solve_columns(matrix: flint.fmpz_mat, rhs: list[list[int]]) -> list[Solved] | None:
    """Solve ``matrix @ w = r`` exactly for each integer vector ``r`` in ``rhs``; None if
    singular."""
    k = matrix.nrows()
    if k == 0:
        return [Solved((), 1) for _ in rhs]
    block = flint.fmpz_mat(k, len(rhs), [r[t] for t in range(k) for r in rhs])
    try:
        solution = matrix.solve(block)
    except ZeroDivisionError:
        return None
    if len(rhs) == 1:  # one column: its common denominator is the matrix's
        nums, den = solution.numer_denom()
        return [Solved(tuple(int(v) for v in nums.entries()), int(den))]
    out = []
    for c in range(len(rhs)):
        nums, den = flint.fmpq_mat(k, 1, [solution[t, c] for t in range(k)]).numer_denom()
        out.append(Solved(tuple(int(v) for v in nums.entries()), int(den)))
    return out


def primal_dual(
    ilp: IntegerLP, basis: Basis, obj_nums: tuple[int, ...]
) -> tuple[Solved, Solved] | None:
    """The basic solution of ``basis``: ``x_Bs`` and the scaled row duals ``y'_R``.

    ``x_Bs = primal.numerators / primal.denominator`` (aligned with
    ``basis.cols``); the dual solves ``K^T z = obj_nums[Bs]`` and
    ``z = dual.numerators / dual.denominator`` aligned with ``basis.tight``,
    so the dual of the integer-scaled row is ``z / ilp.obj_den`` when
    ``obj_nums = ilp.obj_nums``.  None if the kernel is not square or singular.
    """
    kernel = kernel_entries(ilp, basis)
    if kernel is None:
        return None
    k, row, col, value = kernel
    b = ilp.data.rhs_array[list(basis.tight)].tolist()
    c = [obj_nums[j] for j in basis.cols]
    if k > SPARSE_MIN and len(value) <= SPARSE_DENSITY * k * k:
        lu = SparseLU(k, row, col, value)
        return None if lu.singular else (lu.solve(b), lu.solve_transposed(c))
    matrix = dense_matrix(k, row, col, value)
    primal = solve_columns(matrix, [b])
    dual = primal and solve_columns(matrix.transpose(), [c])
    return (primal[0], dual[0]) if dual else None
