"""Errors in user input (instance files, profile files, ...).

Every problem with a file the user gave us is an :class:`InputError` whose
text is ONE line::

    <file>: <json path>: <what is wrong>

for example ``game.json: $.senders[1].utility[0][2]: expected an exact number
(integer, decimal or "p/q" string), got true``.  The JSON path is left out
when the problem has no position (unreadable file, invalid JSON, which then
gives a line and column instead).  The command line prints ``str(err)`` to
stderr and exits non-zero: never a traceback for bad input.

The line stays short and printable whatever the input holds: it is at most
``limits.MAX_ERROR_CHARS`` characters (a long file name keeps its end, a long
JSON path its start, a long problem its start, each cut with ``...``), and a
character that is not printable (a newline or escape character in a name, a
lone surrogate) is written as an escape such as ``\\x1b``.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from typing import Any
from collections.abc import Iterable

from persuasion.limits import MAX_ERROR_CHARS

__all__ = ["BeyondLimit", "InputError", "beyond_in", "json_path", "one_line", "show", "printable"]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$", re.ASCII)

_SOURCE_CHARS = MAX_ERROR_CHARS // 2
"""Most characters of the file name in an error line (its end is kept: the file's own name)."""
_PATH_CHARS = MAX_ERROR_CHARS // 5
"""Most characters of the JSON path in an error line (its start is kept)."""


def printable(text: str) -> str:
    """``text`` with every character that is not printable written as an escape
    (``"\\n"``, ``"\\x1b"``, ``"\\ud800"``): safe in one line of a terminal or a table."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )


def _one_line(text: str) -> str:
    return printable(" ".join(str(text).split()))


def one_line(text: str, limit: int = MAX_ERROR_CHARS) -> str:
    """``text`` as one printable line of at most ``limit`` characters (cut with ``...``)."""
    return _cut_end(_one_line(text), limit)


def _cut_end(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 3, 0)] + "..."


def _cut_start(text: str, limit: int) -> str:
    return text if len(text) <= limit else "..." + text[len(text) - max(limit - 3, 0) :]


class InputError(Exception):
    """A problem with user input: ``str(err)`` is ``"<file>: <path>: <problem>"``.

    Attributes: ``source`` (the file name, or ``"<memory>"``), ``path`` (a
    JSON path such as ``$.senders[1].utility[0][2]``, or ``None``) and
    ``problem`` (what is wrong).  All three are single lines.
    """

    def __init__(self, source: str, problem: str, path: str | None = None) -> None:
        self.source = _cut_start(_one_line(source), _SOURCE_CHARS)
        self.path = _cut_end(_one_line(path), _PATH_CHARS) if path else None
        head = len(self.source) + 2 + (len(self.path) + 2 if self.path else 0)
        self.problem = _cut_end(_one_line(problem), MAX_ERROR_CHARS - head)
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.path:
            return f"{self.source}: {self.path}: {self.problem}"
        return f"{self.source}: {self.problem}"

    def __reduce__(self):  # keep pickling (pytest-xdist) working
        return (InputError, (self.source, self.problem, self.path))


class BeyondLimit(Exception):
    """A computation asked for that is past a documented limit of the engine (not a problem with a
    file): ``str(err)`` is one line, which the command line prints as its error, with status 2."""


def beyond_in(source: str, exc: BeyondLimit) -> BeyondLimit:
    """``exc`` naming the file (``source``) whose instance is beyond the limit, in one line cut
    as an :class:`InputError`'s is."""
    return BeyondLimit(str(InputError(source, str(exc))))


def json_path(parts: Iterable[str | int]) -> str:
    """``["senders", 1, "utility", 0, 2]`` -> ``$.senders[1].utility[0][2]``.

    Keys that are not identifiers are written in brackets as JSON strings:
    ``$.rules.defense.guilty["0"]``.
    """
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.match(part):
            out += f".{part}"
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


def show(value: Any, limit: int = 60) -> str:
    """A short one-line rendering of a JSON value for an error message."""
    if isinstance(value, Fraction):
        text = (
            str(value.numerator)
            if value.denominator == 1
            else f"{value.numerator}/{value.denominator}"
        )
    elif isinstance(value, float):
        if value != value:
            text = "NaN"
        elif value in (float("inf"), float("-inf")):
            text = "Infinity" if value > 0 else "-Infinity"
        else:
            text = repr(value)  # a binary float given in memory
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=_default)
        except (TypeError, ValueError):
            text = repr(value)
    text = _one_line(text)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def _default(value: Any) -> Any:
    if isinstance(value, Fraction):
        return (
            str(value.numerator)
            if value.denominator == 1
            else f"{value.numerator}/{value.denominator}"
        )
    return repr(value)
