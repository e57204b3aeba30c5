"""A ratings table: one row per item, one column per model, one target column (Section F).

The table the paper's experiments fit (Appendix F): ``U`` holds the models'
utilities of the items (one column per model, the Bobs' ``U_i``), ``y`` the
target's (Alice's ``u_A``).  Every cell is read exactly (a decimal string is a
:class:`~fractions.Fraction`, :func:`persuasion.numbers.parse_number`) and
mapped to ``[0, 1]`` by ``--scale LO:HI``; the float copies exist only for the
float fits of :mod:`persuasion.hull_audit.fits`.  Every problem is refused with one
line naming the file, the row and the column, before any fit starts.
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from persuasion.errors import InputError
from persuasion.extras import PARQUET, MissingExtra, require
from persuasion.limits import MAX_FILE_BYTES, MAX_RATINGS_CELLS
from persuasion.numbers import parse_number

ITEM = "item"
"""The optional column of item names."""

TARGET = "target"
"""The default name of the target column (``--target``)."""

_FLOAT_RANGE = (1e-150, 1e150)
"""The absolute values a non-zero cell (after ``--scale``) may take: the float fits multiply
cells (the Gram matrices sum up to ``MAX_RATINGS_CELLS`` products), so their products must
neither overflow a float (``1e400``: OverflowError, ``1e200``: infinite sums) nor underflow to
0 (``1e-400`` read as float 0 gives float statistics 0 +- 0 beside a non-zero exact epsilon)."""

_TOO_MANY_CELLS = f"more than MAX_RATINGS_CELLS = {MAX_RATINGS_CELLS} cells"


@dataclass(frozen=True)
class Ratings:
    """An exact ratings table: ``models[j]`` rates ``items[t]`` ``exact[t][j]``; the target
    rates it ``target[t]``; all on the scale of ``scale`` mapped to ``[0, 1]``.

    ``U`` and ``y`` are float copies (items x models, items) for the float fits.
    """

    source: str
    items: tuple[str, ...]
    models: tuple[str, ...]
    exact: tuple[tuple[Fraction, ...], ...]
    target: tuple[Fraction, ...]
    target_name: str = TARGET
    U: np.ndarray = field(compare=False, repr=False, default=None)
    y: np.ndarray = field(compare=False, repr=False, default=None)

    def __post_init__(self) -> None:
        if self.U is None:
            names = (*self.models, self.target_name)
            floats = [
                [
                    _float(self.source, r, name, v)
                    for name, v in zip(names, (*row, goal), strict=True)
                ]
                for r, (row, goal) in enumerate(zip(self.exact, self.target, strict=True))
            ]
            table = np.array(floats, dtype=float).reshape(len(self.items), len(names))
            object.__setattr__(self, "U", table[:, :-1].copy())
            object.__setattr__(self, "y", table[:, -1].copy())

    def column(self, j: int) -> tuple[Fraction, ...]:
        """Model ``j``'s exact ratings of every item."""
        return tuple(row[j] for row in self.exact)


def _float(source: str, r: int, name: str, value: Fraction) -> float:
    """Cell ``(r, name)``'s float copy for the float fits, refused (InputError naming the row
    and the column) when it is not 0 and its absolute value is outside ``_FLOAT_RANGE``."""
    try:
        copy = float(value)
    except OverflowError:
        copy = math.inf
    low, high = _FLOAT_RANGE
    if value != 0 and not low <= abs(copy) <= high:
        raise InputError(
            source,
            f"row {r + 1}, column {name!r}: |value| (after any --scale) is not 0 and outside "
            f"{low:g} .. {high:g}, the range the float fits can multiply; rescale the table",
        )
    return copy


def parse_scale(text: str) -> tuple[Fraction, Fraction]:
    """``"LO:HI"`` (exact numbers, ``LO < HI``) -> ``(LO, HI)``; ValueError otherwise."""
    parts = text.split(":")
    if len(parts) != 2:
        raise ValueError(f"{text!r} is not LO:HI (for example 0:100)")
    lo, hi = parse_number(parts[0]), parse_number(parts[1])
    if lo >= hi:
        raise ValueError(f"{text!r}: LO must be below HI")
    return lo, hi


def read_ratings(
    path: str | os.PathLike,
    *,
    target: str = TARGET,
    scale: tuple[Fraction, Fraction] | None = None,
    min_rows: int = 2,
) -> Ratings:
    """Read and check a ratings table (CSV, or Parquet for a ``.parquet`` or ``.pq`` file).

    ``scale=(LO, HI)`` maps every cell ``v`` to ``(v - LO) / (HI - LO)`` (a cell outside
    ``[LO, HI]`` is refused); ``min_rows`` is the fewest items accepted (the folds of the
    cross-validation).  Raises :class:`~persuasion.errors.InputError` naming the file.
    """
    source = os.fspath(path)
    header, rows = _read_cells(source)
    if target not in header:
        raise InputError(source, f"no target column {target!r} (columns: {', '.join(header)})")
    models = [name for name in header if name not in (target, ITEM)]
    if not models:
        raise InputError(source, f"no model columns (only {', '.join(header)})")
    if len(rows) < min_rows:
        raise InputError(source, f"{len(rows)} rows of items; at least {min_rows} needed")
    if len(rows) * (len(models) + 1) > MAX_RATINGS_CELLS:
        raise InputError(source, _TOO_MANY_CELLS)
    index = {name: header.index(name) for name in header}
    cells = [
        [_cell(source, row, r, name, index[name], scale) for name in models]
        for r, row in enumerate(rows)
    ]
    goal = [_cell(source, row, r, target, index[target], scale) for r, row in enumerate(rows)]
    for j, name in enumerate([*models, target]):
        values = goal if j == len(models) else [c[j] for c in cells]
        if len(set(values)) == 1:
            raise InputError(source, f"column {name!r} is constant ({values[0]}); it rates nothing")
    items = tuple(row[index[ITEM]] if ITEM in index else str(r + 1) for r, row in enumerate(rows))
    seen: dict[str, int] = {}
    for r, item in enumerate(items):
        if item in seen:
            raise InputError(source, f"row {r + 1}: item {item!r} repeats row {seen[item] + 1}")
        seen[item] = r
    return Ratings(
        source=source,
        items=items,
        models=tuple(models),
        exact=tuple(tuple(c) for c in cells),
        target=tuple(goal),
        target_name=target,
    )


def _cell(source, row, r, name, j, scale) -> Fraction:
    """Cell ``(r, name)`` read exactly and scaled; the error names row (1 = first item) and
    column."""
    text = row[j] if j < len(row) else ""
    where = f"row {r + 1}, column {name!r}"
    if not text.strip():
        raise InputError(source, f"{where}: missing value")
    try:
        value = parse_number(text)
    except ValueError as exc:
        raise InputError(source, f"{where}: non-numeric cell ({exc})") from None
    if scale is None:
        return value
    lo, hi = scale
    if not lo <= value <= hi:
        raise InputError(source, f"{where}: {text.strip()} is outside --scale {lo}:{hi}")
    return (value - lo) / (hi - lo)


def _read_cells(source: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of cells (text) of a CSV or Parquet file."""
    try:
        size = os.path.getsize(source)
    except OSError as exc:
        raise InputError(source, f"cannot read ({exc.strerror or exc})") from None
    if size > MAX_FILE_BYTES:
        raise InputError(source, f"larger than MAX_FILE_BYTES = {MAX_FILE_BYTES} bytes")
    if source.endswith((".parquet", ".pq")):
        return _read_parquet(source)
    try:
        with open(source, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(source, f"cannot read as UTF-8 text ({exc})") from None
    try:
        table = [row for row in csv.reader(io.StringIO(text)) if any(c.strip() for c in row)]
    except csv.Error as exc:
        raise InputError(source, f"not a CSV table ({exc})") from None
    if not table:
        raise InputError(source, "empty file: a header row and one row per item expected")
    header = _checked_header(source, [name.strip() for name in table[0]])
    for r, row in enumerate(table[1:]):
        if len(row) > len(header):
            raise InputError(source, f"row {r + 1}: {len(row)} cells, the header has {len(header)}")
    return header, table[1:]


def _checked_header(source: str, header: list[str]) -> list[str]:
    """The column names, refused when one is empty or repeated."""
    duplicate = next((n for n in header if header.count(n) > 1), None)
    if duplicate is not None or "" in header:
        raise InputError(source, f"header: column name {duplicate or '(empty)'!r} is not unique")
    return header


def _read_parquet(source: str) -> tuple[list[str], list[list[str]]]:
    """A Parquet file's header and cells as text, read by pyarrow (the ``parquet`` extra).

    The row count in the file's footer is checked against ``MAX_RATINGS_CELLS`` before any
    column is decoded (a few kilobytes of Parquet can encode millions of equal cells).
    """
    try:
        require(PARQUET)
    except MissingExtra as exc:
        raise InputError(source, f"{exc} (or save the table as CSV)") from None
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(source)
        names = parquet.schema_arrow.names
        if parquet.metadata.num_rows * len([n for n in names if n != ITEM]) > MAX_RATINGS_CELLS:
            raise InputError(source, _TOO_MANY_CELLS)
        frame = parquet.read()
    except (pa.ArrowException, OSError, ValueError) as exc:
        reason = next(iter(str(exc).splitlines()), "") or type(exc).__name__
        raise InputError(source, f"not a Parquet table ({reason})") from None
    header = _checked_header(source, [str(n).strip() for n in names])
    columns = [_parquet_text(frame.column(j)) for j in range(frame.num_columns)]
    return header, [list(row) for row in zip(*columns, strict=True)]


def _parquet_text(column) -> list[str]:
    """One Parquet column's cells as the text :func:`parse_number` reads, exactly.

    An integer, decimal or string cell is its exact text.  A float cell (float16, 32 or
    64) is the shortest decimal that rounds back to it at its own width (``0.1`` stored
    as float64 reads as 1/10, not 3602879701896397/36028797018963968): what Python and
    numpy print for it, and so what a CSV export of the table holds.  A null or NaN is
    a missing value ("").
    """
    import pyarrow as pa

    cells = column.to_pylist()
    if pa.types.is_floating(column.type):
        width = {16: np.float16, 32: np.float32, 64: np.float64}[column.type.bit_width]
        return ["" if v is None or v != v else str(width(v)) for v in cells]
    return ["" if v is None else str(v) for v in cells]
