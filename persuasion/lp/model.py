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
from math import lcm
from typing import Iterable, Mapping, Union

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


def scale_to_integers(values: Iterable[Number], rhs: Number) -> tuple[tuple[int, ...], int, int]:
    """Scale a row by ``L`` = lcm of its denominators: ``(L * values, L * rhs, L)``, all ints."""
    values = tuple(values)
    dens = [v.denominator for v in values if isinstance(v, Fraction)]
    if isinstance(rhs, Fraction):
        dens.append(rhs.denominator)
    scale = lcm(*dens) if dens else 1
    if scale == 1:
        return tuple(int(v) for v in values), int(rhs), 1
    nums = tuple(v.numerator * (scale // v.denominator) if isinstance(v, Fraction) else v * scale for v in values)
    rhs_num = rhs.numerator * (scale // rhs.denominator) if isinstance(rhs, Fraction) else rhs * scale
    return nums, rhs_num, scale


@dataclass(frozen=True)
class LPData:
    """An immutable LP: ``sense`` ("min"/"max") of ``objective . x`` subject to
    ``row_i . x  senses[i]  rhs[i]``, with ``x_j >= 0`` unless ``free[j]``.

    Row ``i`` is stored scaled to integers: its coefficients are
    ``row_nums[i][t] / row_scale[i]`` on columns ``row_cols[i][t]`` (no zeros,
    no repeated column) and its right-hand side ``rhs_nums[i] / row_scale[i]``.
    """

    sense: str
    objective: tuple[Number, ...]
    free: tuple[bool, ...]
    row_cols: tuple[tuple[int, ...], ...]
    row_nums: tuple[tuple[int, ...], ...]
    rhs_nums: tuple[int, ...]
    row_scale: tuple[int, ...]
    senses: tuple[str, ...]

    @property
    def num_variables(self) -> int:
        """Number of columns."""
        return len(self.objective)

    @property
    def num_constraints(self) -> int:
        """Number of rows."""
        return len(self.senses)

    @property
    def rows(self) -> tuple[tuple[tuple[int, ...], tuple[Fraction, ...]], ...]:
        """Each row as ``(cols, exact values)`` in the units it was given."""
        return tuple(
            (cols, tuple(Fraction(a, scale) for a in nums))
            for cols, nums, scale in zip(self.row_cols, self.row_nums, self.row_scale)
        )

    @property
    def rhs(self) -> tuple[Fraction, ...]:
        """Right-hand sides in the units they were given."""
        return tuple(Fraction(b, scale) for b, scale in zip(self.rhs_nums, self.row_scale))


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
        self._row_cols: list[tuple[int, ...]] = []
        self._row_nums: list[tuple[int, ...]] = []
        self._rhs_nums: list[int] = []
        self._row_scale: list[int] = []
        self._senses: list[str] = []

    @property
    def num_variables(self) -> int:
        """Number of variables (columns) added so far."""
        return len(self._objective)

    @property
    def num_constraints(self) -> int:
        """Number of constraints (rows) added so far."""
        return len(self._senses)

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
        are dropped.  The row is stored scaled to integers (see :class:`LPData`).
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
        nums, rhs_num, scale = scale_to_integers(vals, exact(rhs, "right-hand side"))
        self._row_cols.append(tuple(cols))
        self._row_nums.append(nums)
        self._rhs_nums.append(rhs_num)
        self._row_scale.append(scale)
        self._senses.append(sense)
        return len(self._senses) - 1

    def copy(self) -> "LinearProgram":
        """An independent copy (rows are immutable tuples and are shared)."""
        other = LinearProgram(self.sense)
        other._objective = list(self._objective)
        other._free = list(self._free)
        other._names = list(self._names)
        other._row_cols = list(self._row_cols)
        other._row_nums = list(self._row_nums)
        other._rhs_nums = list(self._rhs_nums)
        other._row_scale = list(self._row_scale)
        other._senses = list(self._senses)
        return other

    def freeze(self) -> LPData:
        """An immutable snapshot of the LP as it is now."""
        return LPData(
            sense=self.sense,
            objective=tuple(self._objective),
            free=tuple(self._free),
            row_cols=tuple(self._row_cols),
            row_nums=tuple(self._row_nums),
            rhs_nums=tuple(self._rhs_nums),
            row_scale=tuple(self._row_scale),
            senses=tuple(self._senses),
        )
