"""Exact solves of one LP whose right-hand sides and senses change between solves, warm-started.

A float backend (with :mod:`persuasion.lp.highs`): one HiGHS instance keeps
the LP and its last optimal basis; each :meth:`WarmLP.solve` changes the
bounds of some rows (``b_k <= 1`` becoming ``b_k == 1`` or ``b_k <= 0`` in
the branch and bound of :mod:`persuasion.branch_bound`), lets the dual
simplex start from the previous basis, and hands the basis to the pipeline's
exact steps (:func:`persuasion.lp.pipeline.solve_data`'s steps 1-3), which
certify it on the exact LP.  Whatever HiGHS says otherwise -- another
status, a basis that does not certify, numbers beyond doubles -- the whole
pipeline solves the LP from scratch.  So nothing computed in doubles is
reported; only the time to the first basis changes.
"""

from __future__ import annotations

import dataclasses

import highspy

from persuasion.lp.highs import _basis, _new, pass_model, run
from persuasion.lp.model import SENSES, LPData
from persuasion.lp.pipeline import _optimum_from_basis, solve_data
from persuasion.lp.result import LPResult
from persuasion.lp.scaled import IntegerLP


class WarmLP:
    """The LP ``base``, solved again and again with some rows' sense and right-hand side
    replaced."""

    def __init__(self, base: LPData):
        self.base = base
        self.h: highspy.Highs | None = _new(presolve=False, strict=False)
        if not pass_model(self.h, IntegerLP(base)):
            self.h = None
        self.current: dict[int, tuple[str, int]] = {}

    def solve(self, rows: dict[int, tuple[str, int]]) -> LPResult:
        """The exact result of ``base`` with row ``i`` replaced by ``row_i . x sense rhs`` for every
        ``i: (sense, rhs)`` in ``rows`` (``rhs`` an integer; row ``i`` must be stored unscaled)."""
        base = self.base
        if any(base.scale_array[i] != 1 for i in rows):
            raise ValueError("WarmLP changes only rows stored with scale 1")
        codes, rhs = base.sense_codes.copy(), base.rhs_array.copy()
        for i, (sense, value) in rows.items():
            codes[i], rhs[i] = SENSES.index(sense), value
        codes.flags.writeable = rhs.flags.writeable = False
        data = dataclasses.replace(base, sense_codes=codes, rhs_array=rhs)
        if self.h is not None:
            inf = highspy.kHighsInf
            for i in set(self.current) | set(rows):
                sense, value = rows.get(i, (SENSES[base.sense_codes[i]], int(base.rhs_array[i])))
                if self.current.get(i) != (sense, value):
                    lower = -inf if sense == "<=" else float(value)
                    upper = inf if sense == ">=" else float(value)
                    self.h.changeRowBounds(i, lower, upper)
            self.current = dict(rows)
            ilp = IntegerLP(data)
            run(self.h, ilp.num_nonzeros)
            if self.h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                basis = _basis(self.h, ilp)
                if basis is not None:
                    result = _optimum_from_basis(ilp, basis)
                    if result is not None:
                        return result
        return solve_data(data)
