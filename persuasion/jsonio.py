"""Reading JSON text exactly (standard library only).

JSON decimals become :class:`fractions.Fraction` (``0.1`` is 1/10, never a
binary float), a repeated key in an object is remembered so that it can be
refused, and every problem is an :class:`~persuasion.errors.InputError` of
one line naming the file.  The instance and profile readers and the
certificate checker (:mod:`persuasion.checker`, which must not import
jsonschema) all read their files through this module.

Reading is bounded by :mod:`persuasion.limits`, so that no short hostile file
can hang a command or eat the memory: a file over ``MAX_FILE_BYTES`` is
refused before it is read (at most the limit + 1 bytes are ever read, also
from a pipe or a device); a JSON number literal is checked by
:func:`persuasion.numbers.parse_number` on its text before it is converted
(``1e999999999`` and a million-digit integer are refused at once); nesting
deeper than ``MAX_NESTING`` and strings that are not Unicode text (a lone
surrogate such as ``"\\ud800"``) are refused with their JSON path.
"""

from __future__ import annotations

import json
import os
from fractions import Fraction
from pathlib import Path
from typing import Any

from persuasion.errors import InputError, json_path, show
from persuasion.limits import MAX_FILE_BYTES, MAX_NESTING, MAX_NUMBER_CHARS
from persuasion.numbers import beyond, parse_number

__all__ = ["loads_json", "read_bytes", "read_json", "check_tree"]


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


class _Refused:
    """A JSON number literal beyond the limits, kept in place so that :func:`check_tree`
    reports it with its JSON path (the hooks of :func:`json.loads` do not know where they are)."""

    __slots__ = ("problem",)

    def __init__(self, problem: str) -> None:
        self.problem = problem


def _parse_int(text: str) -> int | _Refused:
    # The length is checked before int() sees the text: int() is quadratic in it.
    if len(text) > MAX_NUMBER_CHARS:
        return _Refused(beyond(f"an integer of {len(text)} digits", MAX_NUMBER_CHARS))
    return int(text)


def _parse_float(text: str) -> Fraction | _Refused:
    try:
        return parse_number(text)
    except ValueError as err:
        return _Refused(str(err))


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
        data = json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_constant,
            object_pairs_hook=_object_pairs,
        )
    except json.JSONDecodeError as err:
        raise InputError(
            source, f"invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}"
        ) from None
    except RecursionError:  # far deeper than MAX_NESTING: the parser itself gave up
        raise InputError(source, _too_deep("far more than")) from None
    check_tree(data, source)
    return data


def _read_bounded(path: str | Path, source: str) -> bytes:
    """The bytes of ``path``, refused beyond ``MAX_FILE_BYTES``: the size is looked at
    before reading, and at most the limit + 1 bytes are read (a pipe has no size)."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise InputError(source, beyond(f"a file of {size} bytes", MAX_FILE_BYTES))
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(source, beyond(f"more than {MAX_FILE_BYTES} bytes", MAX_FILE_BYTES))
    return raw


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a file, at most ``MAX_FILE_BYTES``; every problem is an :class:`InputError`."""
    source = str(path)
    try:
        return _read_bounded(path, source)
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory, not a file") from None
    except OSError as err:
        raise InputError(source, f"cannot read the file: {err.strerror or err}") from None


def read_json(path: str | Path) -> Any:
    """Read a JSON file exactly; every problem is an :class:`InputError`."""
    source = str(path)
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            source,
            f"not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start} cannot be decoded)",
        ) from None
    return loads_json(text, source)


def _too_deep(how: str) -> str:
    return beyond(f"arrays and objects nested {how} {MAX_NESTING} levels deep", MAX_NESTING)


def _not_text(value: str) -> str | None:
    """Why ``value`` is not Unicode text (a lone surrogate cannot be written as UTF-8), or None."""
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        return f"lone surrogate U+{ord(value[err.start]):04X} at character {err.start}"
    return None


def check_tree(data: Any, source: str) -> None:
    """Walk parsed JSON once, without recursion, and refuse (with the JSON path):
    nesting deeper than ``MAX_NESTING``, a number literal beyond the limits, a
    string or key that is not Unicode text, and an object that repeated a key
    (``json`` would keep the last silently)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, _Refused):
            raise InputError(source, node.problem, json_path(parts))
        if isinstance(node, str):
            problem = _not_text(node)
            if problem:
                raise InputError(source, f"not Unicode text: {problem}", json_path(parts))
            continue
        if isinstance(node, dict):
            items: Any = node.items()
            dups = getattr(node, "duplicates", ())
            if dups:
                raise InputError(
                    source,
                    f"duplicate key {show(dups[0])} (a key may appear only once in an object)",
                    json_path(parts + (dups[0],)),
                )
        elif isinstance(node, (list, tuple)):
            items = enumerate(node)
        else:
            continue
        if len(parts) >= MAX_NESTING:
            raise InputError(source, _too_deep("more than"), json_path(parts))
        children = []
        for key, value in items:
            if isinstance(key, str):
                problem = _not_text(key)
                if problem:
                    raise InputError(
                        source, f"a key is not Unicode text: {problem}", json_path(parts)
                    )
            if isinstance(value, (dict, list, tuple, str, _Refused)):
                children.append((value, parts + (key,)))
        stack.extend(reversed(children))  # first child on top: problems are found in file order
