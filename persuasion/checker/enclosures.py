"""Rigorous rational enclosures of ``exp`` and ``log`` (and of softmax expressions built from them).

Standard library only, and no float anywhere: every number is a
:class:`~fractions.Fraction` and every decision is an exact comparison.
:func:`exp_bounds` and :func:`log_bounds` return ``(lo, hi)`` with
``lo <= f(q) <= hi`` *proven*: each is a truncated power series, a remainder
bound stated in its docstring, and outward rounding (lower bounds rounded
down, upper bounds rounded up, to ``p``-bit dyadic numbers ``n / 2**p``).
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache


Interval = tuple[Fraction, Fraction]

LADDER = (64, 128, 256, 512, 1024, 2048)
"""Precisions (bits) tried, in order, to decide a claim."""

EXP_LIMIT = 1 << 16
"""``exp_bounds`` refuses ``|q| > EXP_LIMIT`` (``e^65536`` has ~94,548 bits)."""

_HALF = Fraction(1, 2)


# --------------------------------------------------------------------------- rounding


def _down(x: Fraction, p: int) -> Fraction:
    """The largest ``n / 2**p`` that is ``<= x``."""
    return Fraction((x.numerator << p) // x.denominator, 1 << p)


def _up(x: Fraction, p: int) -> Fraction:
    """The smallest ``n / 2**p`` that is ``>= x``."""
    return Fraction(-((-x.numerator << p) // x.denominator), 1 << p)


# --------------------------------------------------------------------------- exp


def _exp_taylor(r_lo: Fraction, r_hi: Fraction, p: int, terms: int | None = None) -> Interval:
    """Enclose ``e^r`` for every ``r`` in ``[r_lo, r_hi]``, ``0 <= r_lo <= r_hi <= 1/2``.

    Taylor with Lagrange remainder: ``e^r = sum_{n<N} r^n/n! + e^xi r^N/N!``
    for some ``xi`` in ``[0, r]``, and ``0 <= e^xi <= e^{1/2} < 2``, so
    ``S_N(r) <= e^r <= S_N(r) + 2 r^N/N!``.  The terms are built by the
    recurrence ``t_n = t_{n-1} * r / n``, rounded down from ``r_lo`` (each
    ``t_n`` is then a lower bound of the true term) and up from ``r_hi`` (an
    upper bound).  ``N`` is the first index whose upper term is ``<= 2**-p``
    (or ``terms``, when given: the enclosure holds for every ``N``).
    """
    lo_term = hi_term = Fraction(1)
    lo_sum = hi_sum = Fraction(0)
    n = 0
    while (hi_term > Fraction(1, 1 << p)) if terms is None else (n < terms):
        lo_sum += lo_term
        hi_sum += hi_term
        n += 1
        lo_term = _down(lo_term * r_lo / n, p)
        hi_term = _up(hi_term * r_hi / n, p)
    return lo_sum, hi_sum + 2 * hi_term


def exp_bounds(q: Fraction | int, bits: int = 64) -> Interval:
    """Rational ``(lo, hi)`` with ``lo <= e^q <= hi``, relative width about ``2**-bits``.

    Proof of the enclosure.  ``q = 0`` gives ``(1, 1)``.  For ``q < 0``,
    ``e^q = 1 / e^{-q}``, so the bounds of ``e^{-q}`` are inverted and swapped.
    For ``q > 0`` pick the least ``k`` with ``r = q / 2**k <= 1/2``; then
    ``e^q = (e^r)^(2**k)``.  ``r`` is rounded outward to ``p`` bits (``e`` is
    increasing, and ``1/2`` is a ``p``-bit number, so both roundings stay in
    ``[0, 1/2]``), ``e^r`` is enclosed by :func:`_exp_taylor`, and the two
    bounds are squared ``k`` times (squaring is increasing on positive
    numbers), the lower one rounded down and the upper one rounded up after
    each squaring.  Every value is ``>= 1``, so rounding to ``2**-p`` costs a
    relative ``2**-p``; the ``N`` Taylor terms cost ``N 2**-p`` with
    ``N < 2 bits``, and ``k`` squarings multiply the relative width by
    ``2**k``: ``p = bits + k + bitlength(bits) + 8`` absorbs all of it.

    Raises :class:`ValueError` when ``|q| > EXP_LIMIT``.
    """
    q = Fraction(q)
    if q == 0:
        return Fraction(1), Fraction(1)
    if abs(q) > EXP_LIMIT:
        raise ValueError(f"exponent {q} outside [-{EXP_LIMIT}, {EXP_LIMIT}]")
    if q < 0:
        lo, hi = exp_bounds(-q, bits)
        return 1 / hi, 1 / lo
    k = 0
    while q > _HALF * (1 << k):
        k += 1
    p = bits + k + bits.bit_length() + 8
    r = q / (1 << k)
    lo, hi = _exp_taylor(_down(r, p), _up(r, p), p)
    for _ in range(k):
        lo, hi = _down(lo * lo, p), _up(hi * hi, p)
    return lo, hi


# --------------------------------------------------------------------------- log


def _atanh(w: Fraction, p: int, terms: int | None = None) -> Interval:
    """Enclose ``atanh(w) = sum_{n>=0} w^(2n+1) / (2n+1)`` for ``0 <= w <= 1/3``.

    Every term is positive and, after the first ``N`` terms, the remainder is
    ``sum_{n>=N} w^(2n+1)/(2n+1) <= w^(2N+1)/(2N+1) * sum_{j>=0} w^(2j)
    = w^(2N+1) / ((2N+1)(1 - w^2))``, a geometric bound.  ``w`` is rounded
    outward to ``p`` bits (``atanh`` is increasing), the powers are built by
    ``w^(2n+1) = w^(2n-1) * w^2`` rounded down (lower) and up (upper), and
    ``N`` is the first index whose upper power is ``<= 2**-p`` (or ``terms``,
    when given: the enclosure holds for every ``N``).
    """
    w_lo, w_hi = _down(w, p), _up(w, p)
    sq_lo, sq_hi = _down(w_lo * w_lo, p), _up(w_hi * w_hi, p)
    pow_lo, pow_hi = w_lo, w_hi
    lo = hi = Fraction(0)
    n = 0
    while (pow_hi > Fraction(1, 1 << p)) if terms is None else (n < terms):
        lo += _down(pow_lo / (2 * n + 1), p)
        hi += _up(pow_hi / (2 * n + 1), p)
        n += 1
        pow_lo, pow_hi = _down(pow_lo * sq_lo, p), _up(pow_hi * sq_hi, p)
    tail = _up(pow_hi / ((2 * n + 1) * (1 - sq_hi)), p)
    return lo, hi + tail


@cache
def _ln2(p: int) -> Interval:
    """``ln 2 = 2 atanh(1/3)`` (since ``(2 - 1)/(2 + 1) = 1/3``), enclosed at ``p`` bits."""
    lo, hi = _atanh(Fraction(1, 3), p)
    return 2 * lo, 2 * hi


def log_bounds(q: Fraction | int, bits: int = 64) -> Interval:
    """Rational ``(lo, hi)`` with ``lo <= ln q <= hi`` for ``q > 0``, width about ``2**-bits``.

    Proof of the enclosure.  Write ``q = 2**m * y`` with ``3/4 <= y < 3/2``;
    then ``ln q = m ln 2 + ln y`` and ``ln y = 2 atanh(z)`` with
    ``z = (y - 1)/(y + 1)`` in ``[-1/7, 1/5)``.  ``atanh`` is odd, so
    ``ln y = -2 atanh(|z|)`` when ``z < 0``; :func:`_atanh` encloses
    ``atanh(|z|)`` with its geometric remainder, and :func:`_ln2` encloses
    ``ln 2 = 2 atanh(1/3)`` the same way.  ``m ln 2`` takes the bound of
    ``ln 2`` that matches the sign of ``m``.  Each of the ``N < p`` series
    terms is rounded once, so the width is at most about
    ``(|m| + 2) 2 p 2**-p``; ``p = bits + bitlength(|m|) + bitlength(bits) + 6``
    absorbs it.
    ``q = 1`` gives ``(0, 0)``.
    """
    q = Fraction(q)
    if q <= 0:
        raise ValueError(f"log of a non-positive number {q}")
    m = q.numerator.bit_length() - q.denominator.bit_length()
    while q < Fraction(3, 4) * Fraction(2) ** m:
        m -= 1
    while q >= Fraction(3, 2) * Fraction(2) ** m:
        m += 1
    y = q / Fraction(2) ** m
    p = bits + abs(m).bit_length() + bits.bit_length() + 6
    z = (y - 1) / (y + 1)
    a_lo, a_hi = _atanh(abs(z), p)
    if z >= 0:
        lo, hi = 2 * a_lo, 2 * a_hi
    else:
        lo, hi = -2 * a_hi, -2 * a_lo
    l2_lo, l2_hi = _ln2(p)
    if m >= 0:
        return lo + m * l2_lo, hi + m * l2_hi
    return lo + m * l2_hi, hi + m * l2_lo


# --------------------------------------------------------------------------- softmax


def _exp_nonpositive(x: Fraction, bits: int) -> Interval:
    """Enclose ``e^x`` for ``x <= 0``; below ``-bits`` use ``0 < e^x <= e^{-bits}``."""
    if x < -bits:
        return Fraction(0), exp_bounds(-bits, bits)[1]
    return exp_bounds(x, bits)


def _shifted_exps(z: list[Fraction], bits: int) -> list[Interval]:
    """Enclosures of ``e^{z_a - max z}`` (each in ``(0, 1]``; exactly 1 at an argmax), rounded
    outward to ``bits + 8`` bits: their sums then keep one small denominator."""
    top, p = max(z), bits + 8
    return [(_down(lo, p), _up(hi, p)) for lo, hi in (_exp_nonpositive(v - top, bits) for v in z)]


def softmax_bounds(z: list[Fraction], bits: int = 64) -> list[Interval]:
    """Enclose ``softmax(z)_a = e^{z_a} / sum_b e^{z_b}`` (Definition 11 with ``z = lambda mu``).

    Shifting every ``z_b`` by ``max z`` leaves the softmax unchanged.  With
    ``E_b = e^{z_b - max z}``, ``softmax_a = E_a / (E_a + R_a)`` where
    ``R_a = sum_{b != a} E_b``; this is increasing in ``E_a`` and decreasing in
    ``R_a``, so the lower bound takes ``E_a`` low and ``R_a`` high, and the
    upper bound the reverse; each is then rounded outward to ``bits + 8`` bits.
    """
    exps = _shifted_exps(z, bits)
    total_lo, total_hi = (
        sum(lo for lo, _ in exps),
        sum(hi for _, hi in exps),
    )  # R_a = total - E_a, exactly
    p = bits + 8  # rounded outward like the exps, so that sums of them keep small denominators
    return [
        (_down(e_lo / (e_lo + total_hi - e_hi), p), _up(e_hi / (e_hi + total_lo - e_lo), p))
        for e_lo, e_hi in exps
    ]


def quantal_gap_bounds(mu: list[Fraction], lam: Fraction, bits: int = 64) -> Interval:
    """Enclose the gap of Lemma 1, ``max(mu) - sum_a p(a) mu_a`` with ``p = softmax(lam mu)``.

    The gap is ``sum_a p(a) (max mu - mu_a)`` with every weight ``>= 0``, so
    it lies between the same sums taken with the lower and the upper bounds of
    ``p(a)``.
    """
    top = max(mu)
    probs = softmax_bounds([lam * v for v in mu], bits)
    lo = sum((p_lo * (top - v) for (p_lo, _), v in zip(probs, mu, strict=True)), Fraction(0))
    hi = sum((p_hi * (top - v) for (_, p_hi), v in zip(probs, mu, strict=True)), Fraction(0))
    return lo, hi


def ratio_bounds(
    u: list[Fraction], u_prime: list[Fraction], lam: Fraction, bits: int = 64
) -> list[Interval]:
    """Enclose ``P(a) / Q(a)`` for ``P = softmax(lam u)``, ``Q = softmax(lam u')`` (Lemma 2).

    With ``M = max u``, ``M' = max u'``, ``S = sum_b e^{lam (u_b - M)}`` and
    ``S' = sum_b e^{lam (u'_b - M')}`` (both in ``[1, |A|]``):
    ``P(a)/Q(a) = e^{lam ((u_a - M) - (u'_a - M'))} * S' / S``.  The exponent
    is at most ``2 lam ||u - u'||_inf`` in size, so nothing overflows.
    """
    lu, lv = [lam * v for v in u], [lam * v for v in u_prime]
    s = _shifted_exps(lu, bits)
    s_prime = _shifted_exps(lv, bits)
    s_lo, s_hi = sum(lo for lo, _ in s), sum(hi for _, hi in s)
    t_lo, t_hi = sum(lo for lo, _ in s_prime), sum(hi for _, hi in s_prime)
    top, top_prime = max(lu), max(lv)
    out = []
    for x, y in zip(lu, lv, strict=True):
        e_lo, e_hi = exp_bounds((x - top) - (y - top_prime), bits)
        out.append((e_lo * t_lo / s_hi, e_hi * t_hi / s_lo))
    return out


def l1_bounds(
    u: list[Fraction], u_prime: list[Fraction], lam: Fraction, bits: int = 64
) -> Interval:
    """Enclose ``||softmax(lam u) - softmax(lam u')||_1`` from the two softmax enclosures.

    ``|P(a) - Q(a)|`` is at most ``max(P_hi - Q_lo, Q_hi - P_lo)`` and at
    least ``max(0, P_lo - Q_hi, Q_lo - P_hi)``.
    """
    p = softmax_bounds([lam * v for v in u], bits)
    q = softmax_bounds([lam * v for v in u_prime], bits)
    lo = sum(
        (
            max(Fraction(0), a_lo - b_hi, b_lo - a_hi)
            for (a_lo, a_hi), (b_lo, b_hi) in zip(p, q, strict=True)
        ),
        Fraction(0),
    )
    hi = sum(
        (max(a_hi - b_lo, b_hi - a_lo) for (a_lo, a_hi), (b_lo, b_hi) in zip(p, q, strict=True)),
        Fraction(0),
    )
    return lo, hi
