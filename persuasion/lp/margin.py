"""A float backend for the margin LPs of the cell enumeration: a dense simplex on the dual.

The enumeration (:mod:`persuasion.cells`) asks, at every node of a search,
for the optimum of the *margin LP* over ``x = (s, nu)`` (``s`` free,
``nu >= 0``, ``|X_B|`` of them)::

    max s   s.t.   R_r . x >= 0   for every row r of the node,
                   sum nu - s >= 0,   sum nu <= 1,

where a child's rows are its parent's plus a few.  HiGHS spends about half a
millisecond of set-up on each such solve, far more than the simplex itself,
so this module solves them in numpy: a revised primal simplex on the dual

    min mu_W   s.t.   sum_r mu_r (-R_r,s) = 1,
                      sum_r mu_r R_r,j + sigma_j = 0   (every ``nu_j``),
                      mu >= 0, sigma >= 0,

which has only ``|X_B| + 1`` equality rows and one column per primal row
(its multiplier ``mu_r``; ``mu_W`` belongs to ``sum nu <= 1``, written
``-sum nu >= -1``) plus the slacks ``sigma``.  Adding rows to the primal adds
columns to the dual, so a parent's optimal basis stays feasible for its
children and is where their solves start; the basis of every level of the
stack is kept for when the search comes back to it.  Dantzig pricing, turning
to Bland's rule after a run of degenerate pivots, and an iteration cap.

Like :mod:`persuasion.lp.highs`, this is a float backend whose only output is
a *claim*: an optimal basis, handed out as the primal rows that hold with
equality (the basic ``mu``) and the primal columns that are basic.  The caller
solves that basis exactly and checks what it gets; a wrong claim, or none
(:data:`None` from :meth:`MarginLP.solve`), costs a fallback, never a wrong
answer.  A solve takes tens of microseconds and runs in the calling thread,
so Ctrl-C is honoured between two solves.
"""

from __future__ import annotations

import numpy as np

TOLERANCE = 1e-9
"""Reduced costs above ``-TOLERANCE`` count as optimal; pivots below it are refused."""

DEGENERATE_RUN = 8
"""After this many pivots in a row without progress, pricing turns from Dantzig's rule to
Bland's."""

MAX_PIVOTS = 500
"""A solve that needs more pivots than this gives up (the caller falls back to an exact LP)."""

INITIAL_ROWS = 256
"""Room for this many rows at first; the array doubles when the stack outgrows it."""

REFACTOR = 32
"""The basis inverse is recomputed at the start of a solve and after this many updates."""


def base_rows(num_features: int) -> list[list[int]]:
    """The two rows every margin LP has, exactly: ``sum nu - s >= 0`` and ``-sum nu >= -1``."""
    return [[-1] + [1] * num_features, [0] + [-1] * num_features]


def doubles(rows: np.ndarray) -> np.ndarray:
    """Exact integer rows (int64 or Python ints) as doubles, each divided by its largest magnitude.

    Every double lies in ``[-1, 1]``, so no instance's numbers overflow one;
    an entry below ``2**-1074`` times its row's largest rounds to 0, which
    only perturbs the float model (the caller checks every answer exactly).
    Python's ``int / int`` is correctly rounded whatever the integers' size.
    """
    if not rows.size:
        return np.zeros(rows.shape)
    if rows.dtype != object:
        return rows / np.maximum(np.abs(rows).max(axis=1, keepdims=True), 1)
    out = np.zeros(rows.shape)
    for i, row in enumerate(rows.tolist()):
        scale = max(max(map(abs, row)), 1)
        out[i] = [x / scale for x in row]
    return out


class MarginLP:
    """The margin LP of ``num_features`` message weights, its rows a stack of blocks.

    ``blocks`` maps a key to exact integer rows ``[R_s, R_nu(0), ...]`` (the
    coefficient of ``s`` first), meaning ``R . x >= 0``; each block is turned
    into :func:`doubles` once.  The rows of :func:`base_rows` are rows 0 and
    1; :meth:`push` appends the rows of a block as one level and
    :meth:`truncate` pops levels.
    """

    def __init__(self, num_features: int, blocks: dict) -> None:
        nb = self.num_features = num_features
        self.n = nb + 1
        # every block as dual columns: a row with its s-coefficient negated
        self._blocks = {key: self._dual(rows) for key, rows in blocks.items()}
        # dual columns, one per row of this array: the slacks sigma_j, then mu_r for every primal
        # row r
        self._columns = np.zeros((nb + 2 + INITIAL_ROWS, self.n))
        self._columns[np.arange(nb), 1 + np.arange(nb)] = 1.0
        self._columns[nb : nb + 2] = self._dual(np.array(base_rows(nb)))
        self._count = nb + 2
        self._ends: list[int] = []  # column count after each level
        # (level, the last optimal basis at that level, its inverse, updates since factored), levels
        # increasing; the start basis at level 0 is z = mu_0 = 1, mu_W = 1, every slack but sigma_0
        # at 0
        start = [nb, nb + 1] + list(range(1, nb))
        self._bases: list[tuple] = [(0, start, np.linalg.inv(self._columns[start].T), 0)]

    def _dual(self, rows: np.ndarray) -> np.ndarray:
        columns = doubles(rows).reshape(len(rows), self.n)
        columns[:, 0] *= -1.0
        return columns

    @property
    def num_rows(self) -> int:
        """Primal rows held, base rows included."""
        return self._count - self.num_features

    def push(self, key) -> None:
        """Append the rows of block ``key`` as one level."""
        block = self._blocks[key]
        need = self._count + len(block)
        if need > len(self._columns):
            grown = np.zeros((max(need, 2 * len(self._columns)), self.n))
            grown[: self._count] = self._columns[: self._count]
            self._columns = grown
        self._columns[self._count : need] = block
        self._count = need
        self._ends.append(need)

    def truncate(self, levels: int) -> None:
        """Keep the first ``levels`` levels of rows."""
        if levels < len(self._ends):
            del self._ends[levels:]
            self._count = self._ends[-1] if self._ends else self.num_features + 2
            while self._bases[-1][0] > levels:
                self._bases.pop()

    def solve(self) -> tuple[list[int], list[int], bool] | None:
        """A claimed optimal basis ``(tight primal rows, basic primal columns, positive)``, or None.

        Primal columns are numbered ``0`` for ``s`` and ``1 + j`` for ``nu_j``;
        ``positive`` says whether the float optimum is above :data:`TOLERANCE`
        (a hint for which certificate to try first).
        """
        nb = self.num_features
        w = nb + 1  # the dual column of mu_W, the only one with a cost
        level = len(self._ends)
        _, basis, inverse, updates = self._bases[-1]  # feasible: the dual only gained columns since
        basis = list(basis)
        columns = self._columns[: self._count]
        degenerate = 0
        for _ in range(MAX_PIVOTS):
            if updates >= REFACTOR:
                try:
                    inverse = np.linalg.inv(columns[basis].T)
                except np.linalg.LinAlgError:
                    return None
                updates = 0
            x = inverse[:, 0]  # B^-1 b with b = e_0
            if w in basis:
                reduced = -(columns @ inverse[basis.index(w)])
                reduced[w] += 1.0
            else:
                reduced = np.zeros(len(columns))
                reduced[w] = 1.0
            reduced[basis] = 0.0
            if degenerate < DEGENERATE_RUN:
                entering = int(np.argmin(reduced))
                if reduced[entering] >= -TOLERANCE:
                    break
            else:
                candidates = np.flatnonzero(reduced < -TOLERANCE)
                if not len(candidates):
                    break
                entering = int(candidates[0])
            direction = inverse @ columns[entering]
            positive = np.flatnonzero(direction > TOLERANCE)
            if not len(positive):
                return None  # the dual is bounded below by 0: a float accident
            ratios = np.maximum(x[positive], 0.0) / direction[positive]
            best = ratios.min()
            ties = positive[ratios <= best + TOLERANCE * max(1.0, best)]
            leaving = int(ties[0]) if len(ties) == 1 else min(ties.tolist(), key=basis.__getitem__)
            degenerate = degenerate + 1 if best <= TOLERANCE else 0
            row = inverse[leaving] / direction[leaving]
            inverse = inverse - direction[:, None] * row
            inverse[leaving] = row
            updates += 1
            basis[leaving] = entering
        else:
            return None
        if self._bases[-1][0] == level:
            self._bases.pop()
        self._bases.append((level, basis, inverse, updates))
        positive = w in basis and bool(inverse[basis.index(w), 0] > TOLERANCE)
        rows = sorted(j - nb for j in basis if j >= nb)
        return rows, [0] + [1 + j for j in range(nb) if j not in basis], positive
