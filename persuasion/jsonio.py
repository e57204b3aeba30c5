"""Reading JSON text exactly (standard library only).

JSON decimals become :class:`fractions.Fraction` (``0.1`` is 1/10, never a
binary float), a repeated key in an object is remembered so that it can be
refused, and every problem is an :class:`~persuasion.errors.InputError` of
one line naming the file.  The instance and profile readers and the
certificate checker (:mod:`persuasion.check`, which must not import
jsonschema) all read their files through this module.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from persuasion.errors import InputError, json_path, show

__all__ = ["loads_json", "read_json", "check_duplicate_keys"]

class _Object(dict):
    """A JSON object that remembers the keys it saw more than once."""

    duplicates: tuple[str, ...] = ()


def _object_pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    dups: list[str] = []
    for key, value in pairs:
        if key in obj and key not in dups:
            dups.append(key)
        obj[key] = value
    if dups:
        obj.duplicates = tuple(dups)
    return obj


def _constant(name: str) -> float:
    # NaN / Infinity / -Infinity: keep them as floats so that the schema
    # stage reports them with their JSON path (floats are never numbers here).
    return float(name)


def loads_json(text: str, source: str = "<memory>") -> Any:
    """Parse JSON text exactly (JSON decimals become Fractions), raising
    :class:`InputError` with the line and column of a syntax error."""
    if not text.strip():
        raise InputError(source, "the file is empty (expected a JSON object)")
    try:
        return json.loads(
            text,
            parse_float=Fraction,
            parse_constant=_constant,
            object_pairs_hook=_object_pairs,
        )
    except json.JSONDecodeError as err:
        raise InputError(
            source, f"invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}"
        ) from None
    except RecursionError:
        raise InputError(source, "invalid JSON: nested too deeply") from None
    except ValueError as err:  # e.g. an integer with too many digits
        raise InputError(source, f"invalid JSON: {err}") from None


def read_json(path: str | Path) -> Any:
    """Read a JSON file exactly; every problem is an :class:`InputError`."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory, not a file") from None
    except OSError as err:
        raise InputError(source, f"cannot read the file: {err.strerror or err}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            source,
            f"not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start} cannot be decoded)",
        ) from None
    return loads_json(text, source)


def check_duplicate_keys(data: Any, source: str, parts: list[str | int] | None = None) -> None:
    """Reject any JSON object that repeated a key (``json`` would keep the last silently)."""
    parts = [] if parts is None else parts
    if isinstance(data, dict):
        dups = getattr(data, "duplicates", ())
        if dups:
            raise InputError(
                source,
                f"duplicate key {show(dups[0])} (a key may appear only once in an object)",
                json_path(parts + [dups[0]]),
            )
        for key, value in data.items():
            check_duplicate_keys(value, source, parts + [key])
    elif isinstance(data, (list, tuple)):
        for i, value in enumerate(data):
            check_duplicate_keys(value, source, parts + [i])
