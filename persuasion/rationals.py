"""Exact rationals where sums are hot: :class:`fractions.Fraction` to python-flint's ``fmpq`` and
back.

``fmpq`` adds and multiplies about ten times faster than ``Fraction``
(docs/explanation/performance.md); the modules that sum many products
(the branch and bound's bounds, a problem's tables and columns, a profile's
outcome, reduced costs) convert once in, sum, and convert once out.  Both
are exact, so nothing changes but the time.
"""

from __future__ import annotations

from fractions import Fraction

from flint import fmpq


def to_fmpq(x: Fraction | fmpq) -> fmpq:
    """``x`` as an ``fmpq`` (returned as it is when it already is one)."""
    return x if type(x) is fmpq else fmpq(x.numerator, x.denominator)


def to_fraction(x: fmpq) -> Fraction:
    """``x`` as a :class:`~fractions.Fraction`."""
    return Fraction(int(x.p), int(x.q))
