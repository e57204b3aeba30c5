"""The exact LP builder: a sparse linear program with rational data.

A :class:`LinearProgram` is built one variable and one constraint at a time.
Every coefficient stays an ``int`` or a :class:`~fractions.Fraction`; floats
are refused, because a float has already lost the number the caller meant.
:meth:`LinearProgram.freeze` takes an immutable snapshot (:class:`LPData`)
that the solvers and certificates work from.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Union

Number = Union[int, Fraction]
SENSES = ("<=", ">=", "==")
"""Constraint senses, in the order used everywhere in this package."""


def exact(value: object, what: str) -> Number:
    """Return ``value`` as an exact number (an int, or a Fraction that is not integral)."""
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        raise TypeError(f"{what} must be an int or a Fraction, got {type(value).__name__}")
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return value if isinstance(value, Fraction) else int(value)


@dataclass(frozen=True)
class LPData:
    """An immutable LP: ``sense`` ("min"/"max") of ``objective . x`` subject to
    ``row_i . x  senses[i]  rhs[i]``, with ``x_j >= 0`` unless ``free[j]``.

    ``rows[i]`` is a pair ``(cols, vals)`` of equal-length tuples (no zeros,
    no repeated column).
    """

    sense: str
    objective: tuple[Number, ...]
    free: tuple[bool, ...]
    rows: tuple[tuple[tuple[int, ...], tuple[Number, ...]], ...]
    senses: tuple[str, ...]
    rhs: tuple[Number, ...]

    @property
    def num_variables(self) -> int:
        """Number of columns."""
        return len(self.objective)

    @property
    def num_constraints(self) -> int:
        """Number of rows."""
        return len(self.rows)


class LinearProgram:
    """A sparse LP with exact coefficients, built incrementally.

    >>> lp = LinearProgram(sense="max")
    >>> x = lp.add_variable(objective=Fraction(3))
    >>> lp.add_constraint({x: 2}, "<=", 1)
    0
    """

    def __init__(self, sense: str = "max") -> None:
        if sense not in ("min", "max"):
            raise ValueError(f"sense must be 'min' or 'max', got {sense!r}")
        self.sense = sense
        self._objective: list[Number] = []
        self._free: list[bool] = []
        self._names: list[str | None] = []
        self._rows: list[tuple[tuple[int, ...], tuple[Number, ...]]] = []
        self._senses: list[str] = []
        self._rhs: list[Number] = []

    @property
    def num_variables(self) -> int:
        """Number of variables (columns) added so far."""
        return len(self._objective)

    @property
    def num_constraints(self) -> int:
        """Number of constraints (rows) added so far."""
        return len(self._rows)

    def variable_name(self, j: int) -> str | None:
        """The name given to variable ``j``, if any."""
        return self._names[j]

    def add_variable(self, objective: Number = 0, free: bool = False, name: str | None = None) -> int:
        """Add a variable (``x_j >= 0``, or unbounded when ``free``); return its column index."""
        self._objective.append(exact(objective, "objective coefficient"))
        self._free.append(bool(free))
        self._names.append(name)
        return len(self._objective) - 1

    def add_constraint(self, coefficients: Mapping[int, Number], sense: str, rhs: Number) -> int:
        """Add ``sum_j coefficients[j] * x_j  sense  rhs``; return its row index.

        ``sense`` is one of ``"<="``, ``">="``, ``"=="``.  Zero coefficients
        are dropped.
        """
        if sense not in SENSES:
            raise ValueError(f"constraint sense must be one of {SENSES}, got {sense!r}")
        n = len(self._objective)
        cols: list[int] = []
        vals: list[Number] = []
        for j in sorted(coefficients):
            if isinstance(j, bool) or not isinstance(j, int) or not 0 <= j < n:
                raise IndexError(f"no variable {j!r} (the LP has {n})")
            value = exact(coefficients[j], "constraint coefficient")
            if value:
                cols.append(j)
                vals.append(value)
        self._rows.append((tuple(cols), tuple(vals)))
        self._senses.append(sense)
        self._rhs.append(exact(rhs, "right-hand side"))
        return len(self._rows) - 1

    def copy(self) -> "LinearProgram":
        """An independent copy (rows are immutable tuples and are shared)."""
        other = LinearProgram(self.sense)
        other._objective = list(self._objective)
        other._free = list(self._free)
        other._names = list(self._names)
        other._rows = list(self._rows)
        other._senses = list(self._senses)
        other._rhs = list(self._rhs)
        return other

    def freeze(self) -> LPData:
        """An immutable snapshot of the LP as it is now."""
        return LPData(
            sense=self.sense,
            objective=tuple(self._objective),
            free=tuple(self._free),
            rows=tuple(self._rows),
            senses=tuple(self._senses),
            rhs=tuple(self._rhs),
        )
