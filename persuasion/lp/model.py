"""The exact LP builder: a sparse linear program with rational data.

A :class:`LinearProgram` is built one variable and one constraint at a time.
Every coefficient stays an ``int`` or a :class:`~fractions.Fraction`; floats
are refused, because a float has already lost the number the caller meant.
Rows are stored scaled to integers, row after row in flat buffers, so that
:meth:`LinearProgram.freeze` -- the immutable snapshot (:class:`LPData`) that
the solvers and certificates work from -- copies arrays instead of walking rows.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from math import lcm
from itertools import pairwise
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

Number = int | Fraction
SENSES = ("<=", ">=", "==")
"""Constraint senses, in the order used everywhere in this package (``sense_codes`` index it)."""
_CODE = {s: k for k, s in enumerate(SENSES)}


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
    dens = {v.denominator for v in values if type(v) is not int}
    if type(rhs) is not int:
        dens.add(rhs.denominator)
    scale = lcm(*dens) if dens else 1
    if scale == 1:
        return tuple(v if type(v) is int else int(v) for v in values), int(rhs), 1
    nums = tuple(
        v * scale if type(v) is int else v.numerator * (scale // v.denominator) for v in values
    )
    rhs_num = rhs * scale if type(rhs) is int else rhs.numerator * (scale // rhs.denominator)
    return nums, rhs_num, scale


def int_array(values: Sequence[int] | array) -> np.ndarray:
    """Exact integers as a read-only numpy array: ``int64`` when they fit, else ``object`` (Python
    ints)."""
    if isinstance(values, array):
        out = (
            np.frombuffer(values, dtype=np.int64).copy()
            if len(values)
            else np.zeros(0, dtype=np.int64)
        )
    else:
        try:
            out = np.array(values, dtype=np.int64) if len(values) else np.zeros(0, dtype=np.int64)
        except OverflowError:
            out = np.empty(len(values), dtype=object)
            out[:] = list(values)
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class LPData:
    """An immutable LP: ``sense`` ("min"/"max") of ``objective . x`` subject to
    ``row_i . x  senses[i]  rhs[i]``, with ``x_j >= 0`` unless ``free[j]``.

    Row ``i`` is stored scaled to integers, rows one after another (CSR):
    its nonzeros are ``coef_nums[t] / scale_array[i]`` on columns
    ``col_index[t]`` for ``row_start[i] <= t < row_start[i + 1]`` (no zeros,
    columns ascending) and its right-hand side is ``rhs_array[i] /
    scale_array[i]``; ``sense_codes[i]`` indexes :data:`SENSES`.  Integer
    arrays are ``int64`` when every entry fits, else ``object`` arrays of
    Python ints (see :func:`int_array`).  The tuple views (``row_cols``,
    ``row_nums``, ``rhs_nums``, ``row_scale``, ``senses``) hold Python ints
    and are built on first use, for the exact fallbacks.  ``objective[j]`` is
    also ``obj_num_array[j] / obj_den_array[j]`` (in lowest terms).
    """

    sense: str
    objective: tuple[Number, ...]
    free: tuple[bool, ...]
    obj_num_array: np.ndarray
    obj_den_array: np.ndarray
    row_start: np.ndarray
    col_index: np.ndarray
    coef_nums: np.ndarray
    rhs_array: np.ndarray
    scale_array: np.ndarray
    sense_codes: np.ndarray

    @classmethod
    def from_rows(
        cls,
        sense: str,
        objective: tuple[Number, ...],
        free: tuple[bool, ...],
        row_cols: Sequence[Sequence[int]],
        row_nums: Sequence[Sequence[int]],
        rhs_nums: Sequence[int],
        row_scale: Sequence[int],
        senses: Sequence[str],
    ) -> LPData:
        """An LPData from integer-scaled rows given as sequences (columns ascending, no zeros)."""
        start = np.zeros(len(row_cols) + 1, dtype=np.int64)
        np.cumsum([len(c) for c in row_cols], out=start[1:])
        start.flags.writeable = False
        flat = [j for cols in row_cols for j in cols]
        objective = tuple(objective)
        return cls(
            sense,
            objective,
            tuple(free),
            int_array([c.numerator for c in objective]),
            int_array([c.denominator for c in objective]),
            start,
            int_array(flat),
            int_array([a for nums in row_nums for a in nums]),
            int_array(list(rhs_nums)),
            int_array(list(row_scale)),
            int_array([_CODE[s] for s in senses]),
        )

    @property
    def num_variables(self) -> int:
        """Number of columns."""
        return len(self.objective)

    @cached_property
    def content(self) -> tuple:
        """Everything that defines the LP, as one hashable value: equal exactly when the LPs are the
        same (the same numbers in the same places), whatever objects hold them (the key of
        :func:`persuasion.lp.pipeline.remembering`)."""
        arrays = (
            self.row_start,
            self.col_index,
            self.coef_nums,
            self.rhs_array,
            self.scale_array,
            self.sense_codes,
        )
        return (
            self.sense,
            self.objective,
            self.free,
            *(
                (a.dtype.str, a.tobytes()) if a.dtype != object else ("O", tuple(a.tolist()))
                for a in arrays
            ),
        )

    @property
    def num_constraints(self) -> int:
        """Number of rows."""
        return len(self.sense_codes)

    @property
    def num_nonzeros(self) -> int:
        """Number of stored coefficients."""
        return len(self.col_index)

    @cached_property
    def senses(self) -> tuple[str, ...]:
        """Each row's sense, one of :data:`SENSES`."""
        return tuple(SENSES[c] for c in self.sense_codes.tolist())

    @cached_property
    def rhs_nums(self) -> tuple[int, ...]:
        """Scaled right-hand sides (Python ints)."""
        return tuple(self.rhs_array.tolist())

    @cached_property
    def row_scale(self) -> tuple[int, ...]:
        """Row scales (Python ints, positive)."""
        return tuple(self.scale_array.tolist())

    def _split(self, flat: list[int]) -> tuple[tuple[int, ...], ...]:
        bounds = self.row_start.tolist()
        return tuple(tuple(flat[lo:hi]) for lo, hi in pairwise(bounds))

    @cached_property
    def row_cols(self) -> tuple[tuple[int, ...], ...]:
        """Each row's columns."""
        return self._split(self.col_index.tolist())

    @cached_property
    def row_nums(self) -> tuple[tuple[int, ...], ...]:
        """Each row's scaled integer coefficients (Python ints)."""
        return self._split(self.coef_nums.tolist())

    @property
    def rows(self) -> tuple[tuple[tuple[int, ...], tuple[Fraction, ...]], ...]:
        """Each row as ``(cols, exact values)`` in the units it was given."""
        return tuple(
            (cols, tuple(Fraction(a, scale) for a in nums))
            for cols, nums, scale in zip(self.row_cols, self.row_nums, self.row_scale, strict=True)
        )

    @property
    def rhs(self) -> tuple[Fraction, ...]:
        """Right-hand sides in the units they were given."""
        return tuple(
            Fraction(b, scale) for b, scale in zip(self.rhs_nums, self.row_scale, strict=True)
        )


class _Ints:
    """A growing list of exact integers: a flat ``array('q')`` while they fit in 64 bits, a list
    after."""

    def __init__(self, values: array | list[int] | None = None) -> None:
        self.values: array | list[int] = array("q") if values is None else values[:]

    def extend(self, values: Sequence[int]) -> None:
        if isinstance(self.values, array):
            size = len(self.values)
            try:
                self.values.extend(values)
                return
            except OverflowError:
                del self.values[size:]
                self.values = self.values.tolist()
        self.values.extend(values)

    def append(self, value: int) -> None:
        self.extend((value,))

    def copy(self) -> _Ints:
        return _Ints(self.values)

    def __len__(self) -> int:
        return len(self.values)


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
        self._obj_nums = _Ints()
        self._obj_dens = _Ints()
        self._free: list[bool] = []
        self._row_start = array("q", [0])
        self._cols = array("q")
        self._nums = _Ints()
        self._rhs_nums = _Ints()
        self._row_scale = _Ints()
        self._senses = array("b")

    @property
    def num_variables(self) -> int:
        """Number of variables (columns) added so far."""
        return len(self._objective)

    @property
    def num_constraints(self) -> int:
        """Number of constraints (rows) added so far."""
        return len(self._senses)

    def add_variable(self, objective: Number = 0, free: bool = False) -> int:
        """Add a variable (``x_j >= 0``, or unbounded when ``free``); return its column index."""
        value = exact(objective, "objective coefficient")
        self._objective.append(value)
        self._obj_nums.append(value.numerator)
        self._obj_dens.append(value.denominator)
        self._free.append(bool(free))
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
            if (
                type(j) is not int
                and (isinstance(j, bool) or not isinstance(j, int))
                or not 0 <= j < n
            ):
                raise IndexError(f"no variable {j!r} (the LP has {n})")
            value = coefficients[j]
            if type(value) is not int:  # the common case, an int, is already exact
                value = exact(value, "constraint coefficient")
            if value:
                cols.append(j)
                vals.append(value)
        nums, rhs_num, scale = scale_to_integers(vals, exact(rhs, "right-hand side"))
        self._cols.extend(cols)
        self._nums.extend(nums)
        self._row_start.append(len(self._cols))
        self._rhs_nums.append(rhs_num)
        self._row_scale.append(scale)
        self._senses.append(_CODE[sense])
        return len(self._senses) - 1

    def add_scaled_constraints(
        self, rows: Sequence[tuple[Sequence[int], Sequence[int], int, int]], sense: str
    ) -> range:
        """Add rows its caller has already scaled to integers, each ``(cols, nums, rhs_num,
        scale)``: ``sum_i (nums[i] / scale) * x_{cols[i]} sense rhs_num / scale`` (``cols``
        ascending, ``nums`` non-zero ints, ``scale`` a positive int); return their row indices. The
        same rows as :meth:`add_constraint` would store, without converting every coefficient again:
        programs built from many copies of a few rows (the obedience rows of every response vector)
        use it. Nothing is added if any row is malformed."""
        if sense not in SENSES:
            raise ValueError(f"constraint sense must be one of {SENSES}, got {sense!r}")
        rows = list(rows)  # read twice below: an iterator would skip the column checks
        n = len(self._objective)
        flat_cols: list[int] = []
        flat_nums: list[int] = []
        starts, rhs_nums, scales = array("q"), [], []
        end = len(self._cols)
        for cols, nums, rhs_num, scale in rows:
            if (
                len(cols) != len(nums)
                or type(rhs_num) is not int
                or type(scale) is not int
                or scale < 1
            ):
                raise ValueError(
                    "a scaled row needs as many coefficients as columns, an int right-hand side "
                    "and a positive int scale"
                )
            flat_cols += cols
            flat_nums += nums
            end += len(cols)
            starts.append(end)
            rhs_nums.append(rhs_num)
            scales.append(scale)
        if any(type(j) is not int for j in flat_cols) or any(
            any(a >= b for a, b in pairwise(cols)) or (len(cols) and (cols[0] < 0 or cols[-1] >= n))
            for cols, *_ in rows
        ):
            raise IndexError(
                f"a scaled row's columns must be ascending variables of the LP (it has {n})"
            )
        if any(type(v) is not int or not v for v in flat_nums):
            raise ValueError("a scaled row's coefficients must be non-zero ints")
        first = len(self._senses)
        self._cols.extend(flat_cols)
        self._nums.extend(flat_nums)
        self._row_start.extend(starts)
        self._rhs_nums.extend(rhs_nums)
        self._row_scale.extend(scales)
        self._senses.extend([_CODE[sense]] * len(scales))
        return range(first, len(self._senses))

    def copy(self) -> LinearProgram:
        """An independent copy."""
        other = LinearProgram(self.sense)
        other._objective = list(self._objective)
        other._obj_nums = self._obj_nums.copy()
        other._obj_dens = self._obj_dens.copy()
        other._free = list(self._free)
        other._row_start = self._row_start[:]
        other._cols = self._cols[:]
        other._nums = self._nums.copy()
        other._rhs_nums = self._rhs_nums.copy()
        other._row_scale = self._row_scale.copy()
        other._senses = self._senses[:]
        return other

    def freeze(self) -> LPData:
        """An immutable snapshot of the LP as it is now."""
        senses = (
            np.frombuffer(self._senses, dtype=np.int8).copy()
            if self._senses
            else np.zeros(0, dtype=np.int8)
        )
        senses.flags.writeable = False
        return LPData(
            sense=self.sense,
            objective=tuple(self._objective),
            free=tuple(self._free),
            obj_num_array=int_array(self._obj_nums.values),
            obj_den_array=int_array(self._obj_dens.values),
            row_start=int_array(self._row_start),
            col_index=int_array(self._cols),
            coef_nums=int_array(self._nums.values),
            rhs_array=int_array(self._rhs_nums.values),
            scale_array=int_array(self._row_scale.values),
            sense_codes=senses,
        )
