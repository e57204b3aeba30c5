"""Exact numbers: text <-> :class:`fractions.Fraction`.

Every number in an instance or profile file is read exactly: JSON integers,
strings ``"p/q"``, decimal strings ``"0.25"`` and JSON decimals (``0.1`` is
1/10, never a binary float).  Every number we print is :func:`fmt` of a
Fraction: ``"7/10"`` or ``"3"``.

Reading is bounded (:mod:`persuasion.limits`): a number's text is at most
``MAX_NUMBER_CHARS`` characters and its decimal exponent at most
``MAX_EXPONENT`` in size, both checked on the text *before* any conversion,
so ``"1e999999999"`` (11 characters, a billion digits) is refused at once
instead of being computed.  Only the ASCII digits ``0``-``9`` are digits:
Python's ``int()`` would also read ``"٣"`` (Arabic-Indic three) as 3.
"""

from __future__ import annotations

import json
import re
import sys
from fractions import Fraction
from typing import Any

from persuasion.limits import MAX_EXPONENT, MAX_NUMBER_CHARS

# Exact answers can have long numerators and denominators: never refuse to *print* one.
# Python's digit guard is for parsing; every text this module parses is length-checked
# first (MAX_NUMBER_CHARS), and nothing else in the package calls int() on user text.
sys.set_int_max_str_digits(0)

LIMITS_DOC = "see docs/reference/limits.md"
"""Where an error about a limit sends the reader."""

_SPACE = " \t\r\n"
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_RATIONAL = re.compile(r"([+-]?[0-9]+)/([0-9]+)", re.ASCII)
_DECIMAL = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?", re.ASCII)


def beyond(what: str, limit: int) -> str:
    """The standard text of a refused size: ``"20000 messages; the limit is 10000 (see ...)"``."""
    return f"{what}; the limit is {limit} ({LIMITS_DOC})"


def _short(text: str, limit: int = 40) -> str:
    """``text`` for an error message: quoted, cut to ``limit`` characters."""
    return json.dumps(text if len(text) <= limit else text[: limit - 3] + "...", ensure_ascii=True)


def _check_length(text: str) -> None:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(
            beyond(f"a number of {len(text)} characters ({_short(text, 24)})", MAX_NUMBER_CHARS)
        )


def parse_number(text: str) -> Fraction:
    """Read the text of one exact number: ``"-3"``, ``"p/q"``, ``"0.25"``, ``"1.5e-3"``.

    ASCII digits only; surrounding spaces (space, tab, CR, LF) are allowed.
    Raises :class:`ValueError` for anything else, and for a text longer than
    ``MAX_NUMBER_CHARS`` or an exponent beyond ``MAX_EXPONENT`` -- checked
    before anything is converted.
    """
    _check_length(text)
    body = text.strip(_SPACE)
    if _INTEGER.fullmatch(body):
        return Fraction(int(body))
    rational = _RATIONAL.fullmatch(body)
    if rational:
        num, den = int(rational.group(1)), int(rational.group(2))
        if den == 0:
            raise ValueError(f"zero denominator in {_short(text)}")
        return Fraction(num, den)
    decimal = _DECIMAL.fullmatch(body)
    if decimal and (decimal.group(2) or decimal.group(3)):
        sign, whole, part, exponent = decimal.groups()
        part = part or ""
        shift = _exponent(exponent, text) - len(part)
        value = int(whole + part) if whole + part else 0
        if sign == "-":
            value = -value
        return Fraction(value * 10**shift) if shift >= 0 else Fraction(value, 10**-shift)
    if any(c.isdigit() and not c.isascii() for c in body):
        raise ValueError(
            f"not an exact number: {_short(text)} (only the ASCII digits 0-9 are digits)"
        )
    raise ValueError(f'not an exact number: {_short(text)} (use an integer, "p/q" or a decimal)')


def _exponent(text: str | None, number: str) -> int:
    """The exponent of a decimal, refused beyond ``MAX_EXPONENT`` before int() sees a long text."""
    if not text:
        return 0
    digits = text.lstrip("+-").lstrip("0") or "0"
    if len(digits) > len(str(MAX_EXPONENT)) or int(digits) > MAX_EXPONENT:
        shown = text if len(digits) <= 20 else f"of {len(digits)} digits"
        raise ValueError(beyond(f"exponent {shown} in {_short(number)}", MAX_EXPONENT))
    return -int(digits) if text.startswith("-") else int(digits)


def parse_integer(text: str) -> int:
    """Read the text of an integer (ASCII digits, optional sign), length-checked first."""
    _check_length(text)
    body = text.strip(_SPACE)
    if not _INTEGER.fullmatch(body):
        ascii_only = "" if body.isascii() else " (only the ASCII digits 0-9 are digits)"
        raise ValueError(f"not an integer: {_short(text)}{ascii_only}")
    return int(body)


def to_fraction(value: Any) -> Fraction:
    """Read one exact number: an int, a Fraction, or a string ``"p/q"`` / ``"0.25"`` (see
    :func:`parse_number`).

    Raises :class:`ValueError` for anything else (floats included: a float in
    memory has already lost the text the user wrote; :func:`persuasion.jsonio.loads_json`
    reads JSON decimals straight to Fractions).
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {json.dumps(value)}")
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, str):
        return parse_number(value)
    raise ValueError(f"expected a number, got {type(value).__name__}")


def own_number(value: Fraction | int | str) -> Fraction:
    """A number this package wrote itself (a Fraction, an int, or :func:`fmt` text such as a
    report's ``"p/q"``), read back without the input limits: those bound what users give us,
    and an exact answer may be longer than any input (``1e-9999`` squared has 20,000 digits)."""
    return Fraction(value)


def fmt(q: Fraction | int) -> str:
    """Format an exact number as ``"p/q"`` (or ``"p"`` when the denominator is 1)."""
    q = Fraction(q)
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"
