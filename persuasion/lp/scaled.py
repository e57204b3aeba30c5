"""Integer-scaled copy of an LP, for fast exact arithmetic.

Row ``i`` is multiplied by ``row_scale[i]`` (the lcm of its denominators) so
that its coefficients ``row_nums[i]`` and right-hand side ``rhs_nums[i]`` are
Python ints; the objective is ``obj_nums / obj_den``.  Scaling a row by a
positive number changes neither its sense nor its feasible set, and the dual
value of the original row is ``row_scale[i]`` times that of the scaled row.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm

from persuasion.lp.model import LPData, Number


def _denominator(value: Number) -> int:
    return value.denominator if isinstance(value, Fraction) else 1


def _scale(values: tuple[Number, ...], extra: Number = 0) -> tuple[int, list[int], int]:
    """The lcm ``L`` of the denominators of ``values`` and ``extra``, and the scaled ints."""
    scale = lcm(_denominator(extra), *(_denominator(v) for v in values))
    if scale == 1:
        return 1, [int(v) for v in values], int(extra)
    return scale, [int(v * scale) for v in values], int(extra * scale)


@dataclass(frozen=True)
class IntegerLP:
    """The rows of an :class:`LPData` scaled to integers, by row and by column."""

    data: LPData
    row_cols: tuple[tuple[int, ...], ...]
    row_nums: tuple[list[int], ...]
    rhs_nums: tuple[int, ...]
    row_scale: tuple[int, ...]
    obj_nums: tuple[int, ...]
    obj_den: int
    col_rows: tuple[list[int], ...]
    col_nums: tuple[list[int], ...]

    @classmethod
    def of(cls, data: LPData) -> "IntegerLP":
        """Scale every row of ``data`` (and the objective) to integers."""
        row_nums, rhs_nums, row_scale = [], [], []
        col_rows: list[list[int]] = [[] for _ in range(data.num_variables)]
        col_nums: list[list[int]] = [[] for _ in range(data.num_variables)]
        for i, ((cols, vals), rhs) in enumerate(zip(data.rows, data.rhs)):
            scale, nums, rhs_num = _scale(vals, rhs)
            row_nums.append(nums)
            rhs_nums.append(rhs_num)
            row_scale.append(scale)
            for j, a in zip(cols, nums):
                col_rows[j].append(i)
                col_nums[j].append(a)
        obj_den, obj_nums, _ = _scale(data.objective)
        return cls(
            data=data,
            row_cols=tuple(cols for cols, _ in data.rows),
            row_nums=tuple(row_nums),
            rhs_nums=tuple(rhs_nums),
            row_scale=tuple(row_scale),
            obj_nums=tuple(obj_nums),
            obj_den=obj_den,
            col_rows=tuple(col_rows),
            col_nums=tuple(col_nums),
        )
