"""Exact numbers: text <-> :class:`fractions.Fraction`.

Every number in an instance or profile file is read exactly: JSON integers,
strings ``"p/q"``, decimal strings ``"0.25"`` and JSON decimals (``0.1`` is
1/10, never a binary float).  Every number we print is :func:`fmt` of a
Fraction: ``"7/10"`` or ``"3"``.
"""

from __future__ import annotations

import json
import re
import sys
from fractions import Fraction
from typing import Any

# Exact answers can have long numerators and denominators: never refuse to print one.
sys.set_int_max_str_digits(0)

_RATIONAL = re.compile(r"^[+-]?\d+(/\d+)?$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def to_fraction(value: Any) -> Fraction:
    """Read one exact number: an int, a Fraction, or a string ``"p/q"`` / ``"0.25"``.

    Raises :class:`ValueError` for anything else (floats included: a float in
    memory has already lost the text the user wrote; :func:`persuasion.jsonio.loads_json`
    reads JSON decimals straight to Fractions).
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {json.dumps(value)}")
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, str):
        text = value.strip()
        if _RATIONAL.match(text):
            num, _, den = text.partition("/")
            if den and int(den) == 0:
                raise ValueError(f"zero denominator in {value!r}")
            return Fraction(int(num), int(den) if den else 1)
        if _DECIMAL.match(text):
            return Fraction(text)
        raise ValueError(f"not an exact number: {value!r} (use an integer, \"p/q\" or a decimal)")
    raise ValueError(f"expected a number, got {type(value).__name__}")


def fmt(q: Fraction | int) -> str:
    """Format an exact number as ``"p/q"`` (or ``"p"`` when the denominator is 1)."""
    q = Fraction(q)
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"
