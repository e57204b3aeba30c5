"""Solver results and their certificates.

Sign conventions (the same for ``LPResult.y`` and for certificates):

* **optimal** -- ``y[i]`` is the shadow price of row ``i`` in the LP's own
  sense, ``d value / d rhs[i]``.  For ``max``: ``y >= 0`` on ``<=`` rows,
  ``y <= 0`` on ``>=`` rows, and reduced costs ``c_j - A_j . y <= 0``
  (``== 0`` for free columns).  For ``min`` every one of these signs flips.
  ``==`` rows have free ``y``.  Certified by ``c . x == b . y``.
* **infeasible** -- Farkas multipliers ``y`` with ``y >= 0`` on ``<=`` rows,
  ``y <= 0`` on ``>=`` rows, ``A_j . y >= 0`` for ``x_j >= 0`` columns,
  ``A_j . y == 0`` for free columns, and ``b . y < 0`` (whatever the sense):
  every feasible ``x`` would give ``0 <= y . A x <= b . y < 0``.
* **unbounded** -- a feasible ``x`` and a ray ``r`` with ``A r <= 0`` /
  ``>= 0`` / ``== 0`` on ``<=`` / ``>=`` / ``==`` rows, ``r_j >= 0`` on
  ``x_j >= 0`` columns, and ``c . r > 0`` for ``max`` (``< 0`` for ``min``).

A certificate is a JSON-serialisable dict, every number a ``"p/q"`` string::

    {"format": "persuasion-lp-certificate/1", "status": ..., "method": ...,
     "lp": {"sense": "max", "objective": [...], "free": [...],
            "rows": [{"coefficients": [[j, "a"], ...], "sense": "<=", "rhs": "b"}, ...]},
     "value": ..., "x": [...], "y": [...]}          # optimal
     "y": [...]                                     # infeasible (Farkas)
     "x": [...], "ray": [...]                       # unbounded
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

from flint import fmpq

from persuasion.lp.model import LPData
from persuasion.numbers import fmt
from persuasion.rationals import to_fmpq, to_fraction

FORMAT = "persuasion-lp-certificate/1"


def lp_to_json(data: LPData) -> dict[str, Any]:
    """The LP part of a certificate."""
    return {
        "sense": data.sense,
        "objective": [fmt(c) for c in data.objective],
        "free": list(data.free),
        "rows": [
            {
                "coefficients": [[j, fmt(a)] for j, a in zip(cols, vals, strict=True)],
                "sense": sense,
                "rhs": fmt(rhs),
            }
            for (cols, vals), sense, rhs in zip(data.rows, data.senses, data.rhs, strict=True)
        ],
    }


@dataclass(frozen=True)
class LPResult:
    """An exactly certified LP outcome (see the module docstring for sign conventions).

    ``certificate`` is built on first access, so a solve does not pay for the
    strings unless somebody asks.
    """

    status: str
    value: Fraction | None
    x: tuple[Fraction, ...] | None
    y: tuple[Fraction, ...] | None
    ray: tuple[Fraction, ...] | None
    method: str
    lp: LPData = field(repr=False)

    @cached_property
    def certificate(self) -> dict[str, Any]:
        """The self-contained certificate that :func:`~persuasion.lp.checker.check_certificate`
        verifies."""
        cert: dict[str, Any] = {
            "format": FORMAT,
            "status": self.status,
            "method": self.method,
            "lp": lp_to_json(self.lp),
        }
        if self.value is not None:
            cert["value"] = fmt(self.value)
        for key in ("x", "y", "ray"):
            vector = getattr(self, key)
            if vector is not None:
                cert[key] = [fmt(v) for v in vector]
        return cert

    def reduced_costs(self) -> tuple[Fraction, ...]:
        """``c_j - A_j . y`` for every column of an optimal result, exactly.

        Complementary slackness: every optimal solution of the LP is zero on
        every column whose reduced cost is not zero (``y`` is an optimal dual
        solution, whichever optimal primal solution is compared with it), so
        these tell which columns *any* optimum may use.
        """
        if self.status != "optimal":
            raise ValueError(f"reduced costs need an optimal result, not {self.status}")
        data = self.lp
        costs = [to_fmpq(c) for c in data.objective]
        for i, y in enumerate(self.y):
            if y:  # in python-flint's exact rationals: about ten times faster than Fraction
                weight = fmpq(y.numerator, y.denominator * data.row_scale[i])
                for j, a in zip(data.row_cols[i], data.row_nums[i], strict=True):
                    costs[j] -= weight * a
        return tuple(to_fraction(c) for c in costs)
