"""Rigorous rational enclosures of ``exp`` and ``log``, and the analytic step kinds.

Standard library only, and no float anywhere: every number is a
:class:`~fractions.Fraction` and every decision is an exact comparison.

Enclosures
----------
:func:`exp_bounds` and :func:`log_bounds` return ``(lo, hi)`` with
``lo <= f(q) <= hi`` *proven*: each is a truncated power series, a remainder
bound stated in its docstring, and outward rounding (lower bounds rounded
down, upper bounds rounded up, to ``p``-bit dyadic numbers ``n / 2**p``).

Step kinds
----------
``lemma-1``        Lemma 1 (Section D.1): the quantal-response gap is at most ``log|A| / lambda``.
``lemma-2``        Lemma 2 (Section D.1): ``e^{-2 lambda eps} <= P(a)/Q(a) <= e^{2 lambda eps}``
                   and ``||P - Q||_1 <= e^{2 lambda eps} - 1``.
``proposition-2``  Proposition 2 (Section D.2): ``e^{4 lambda eps_u} - 1 <= delta``, and
                   optionally Corollary 2 (Section D.2): ``<= 4 e lambda eps_u`` when
                   ``lambda eps_u <= 1/4``.
``proposition-3``  Proposition 3 (Appendix H): ``k > (ln(2|A||Y|) - ln delta) / (2 eps^2)``.

A claim whose truth depends on a transcendental number is decided by
*refinement*: the verifier tries 64, 128, ..., 2048 bits and accepts as soon
as the enclosures prove the claim; a claim that is false (or too close to call
at 2048 bits) fails the step.  When the step proves the certificate's own
``claim`` (the same name as its kind), the certificate's ``conclusion`` must
restate the step's numbers exactly.  Each verifier returns the facts it
established, with ``"holds": True`` (these results are theorems: a step that
re-verifies always holds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction
from functools import cache

from persuasion.check.core import concludes, number, numbers, require, verifier

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
    """Enclosures of ``e^{z_a - max z}`` (each in ``(0, 1]``; exactly 1 at an argmax)."""
    top = max(z)
    return [_exp_nonpositive(v - top, bits) for v in z]


def softmax_bounds(z: list[Fraction], bits: int = 64) -> list[Interval]:
    """Enclose ``softmax(z)_a = e^{z_a} / sum_b e^{z_b}`` (Definition 11 with ``z = lambda mu``).

    Shifting every ``z_b`` by ``max z`` leaves the softmax unchanged.  With
    ``E_b = e^{z_b - max z}``, ``softmax_a = E_a / (E_a + R_a)`` where
    ``R_a = sum_{b != a} E_b``; this is increasing in ``E_a`` and decreasing in
    ``R_a``, so the lower bound takes ``E_a`` low and ``R_a`` high, and the
    upper bound the reverse.
    """
    exps = _shifted_exps(z, bits)
    out = []
    for a, (e_lo, e_hi) in enumerate(exps):
        rest_lo = sum((lo for b, (lo, _) in enumerate(exps) if b != a), Fraction(0))
        rest_hi = sum((hi for b, (_, hi) in enumerate(exps) if b != a), Fraction(0))
        out.append((e_lo / (e_lo + rest_hi), e_hi / (e_hi + rest_lo)))
    return out


def quantal_gap_bounds(mu: list[Fraction], lam: Fraction, bits: int = 64) -> Interval:
    """Enclose the gap of Lemma 1, ``max(mu) - sum_a p(a) mu_a`` with ``p = softmax(lam mu)``.

    The gap is ``sum_a p(a) (max mu - mu_a)`` with every weight ``>= 0``, so
    it lies between the same sums taken with the lower and the upper bounds of
    ``p(a)``.
    """
    top = max(mu)
    probs = softmax_bounds([lam * v for v in mu], bits)
    lo = sum((p_lo * (top - v) for (p_lo, _), v in zip(probs, mu)), Fraction(0))
    hi = sum((p_hi * (top - v) for (_, p_hi), v in zip(probs, mu)), Fraction(0))
    return lo, hi


def ratio_bounds(u: list[Fraction], u_prime: list[Fraction], lam: Fraction, bits: int = 64) -> list[Interval]:
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
    for x, y in zip(lu, lv):
        e_lo, e_hi = exp_bounds((x - top) - (y - top_prime), bits)
        out.append((e_lo * t_lo / s_hi, e_hi * t_hi / s_lo))
    return out


def l1_bounds(u: list[Fraction], u_prime: list[Fraction], lam: Fraction, bits: int = 64) -> Interval:
    """Enclose ``||softmax(lam u) - softmax(lam u')||_1`` from the two softmax enclosures.

    ``|P(a) - Q(a)|`` is at most ``max(P_hi - Q_lo, Q_hi - P_lo)`` and at
    least ``max(0, P_lo - Q_hi, Q_lo - P_hi)``.
    """
    p = softmax_bounds([lam * v for v in u], bits)
    q = softmax_bounds([lam * v for v in u_prime], bits)
    lo = sum((max(Fraction(0), a_lo - b_hi, b_lo - a_hi) for (a_lo, a_hi), (b_lo, b_hi) in zip(p, q)), Fraction(0))
    hi = sum((max(a_hi - b_lo, b_hi - a_lo) for (a_lo, a_hi), (b_lo, b_hi) in zip(p, q)), Fraction(0))
    return lo, hi


# --------------------------------------------------------------------------- helpers of the verifiers


def proven(claim: Callable[[int], bool]) -> bool:
    """True when ``claim(bits)`` holds at some precision of :data:`LADDER`."""
    return any(claim(bits) for bits in LADDER)


def interval(value: object, what: str) -> Interval:
    """A claimed ``[lo, hi]`` pair of exact numbers with ``lo <= hi``."""
    pair = numbers(value)
    require(len(pair) == 2, f"{what} must be [lower, upper]")
    require(pair[0] <= pair[1], f"{what} has its lower bound above its upper bound")
    return pair[0], pair[1]


def inside(own: Interval, claimed: Interval) -> bool:
    """``own`` (a proven enclosure) lies within ``claimed``: the true value is in ``claimed``."""
    return claimed[0] <= own[0] and own[1] <= claimed[1]


def _vector(value: object, what: str) -> list[Fraction]:
    vec = numbers(value)
    require(len(vec) >= 1, f"{what} is empty")
    return vec


def _positive(value: object, what: str) -> Fraction:
    x = number(value)
    require(x > 0, f"{what} must be positive, got {x}")
    return x


def _integer(value: object, what: str) -> int:
    x = number(value)
    require(x.denominator == 1 and x >= 1, f"{what} must be a positive integer, got {x}")
    return int(x)


def _all_inside(owns: Iterable[Interval], claims: Iterable[Interval]) -> bool:
    return all(inside(o, c) for o, c in zip(owns, claims))


def _is_claim(context: dict, kind: str) -> bool:
    """This step proves the certificate's own claim, so its ``conclusion`` must restate the step."""
    return context["certificate"].get("claim") == kind


# --------------------------------------------------------------------------- step kinds


@verifier("lemma-1")
def verify_lemma_1(step: dict, context: dict) -> dict:
    """Lemma 1 (Section D.1): ``max(mu) - sum_a p(a) mu_a <= log|A| / lambda``.

    Fields: ``values`` (the belief vector ``mu``), ``lambda`` (``> 0``),
    ``gap_interval`` and ``bound_interval`` (claimed enclosures of the gap and
    of ``log|A| / lambda``).  The verifier re-derives both enclosures and
    requires them inside the claimed ones, and requires
    ``gap_interval[1] <= bound_interval[0]``.
    """
    mu = _vector(step["values"], "values")
    lam = _positive(step["lambda"], "lambda")
    gap = interval(step["gap_interval"], "gap_interval")
    bound = interval(step["bound_interval"], "bound_interval")
    require(gap[1] <= bound[0], f"gap upper bound {gap[1]} exceeds the bound's lower bound {bound[0]}")

    def own_bound(bits: int) -> Interval:
        lo, hi = log_bounds(len(mu), bits)
        return lo / lam, hi / lam

    require(proven(lambda b: inside(quantal_gap_bounds(mu, lam, b), gap)),
            "the quantal-response gap is not proven to lie in gap_interval")
    require(proven(lambda b: inside(own_bound(b), bound)),
            "log|A|/lambda is not proven to lie in bound_interval")
    if _is_claim(context, "lemma-1"):
        concludes(context, gap_interval=list(gap), bound_interval=list(bound))
    return {"holds": True, "gap": gap, "bound": bound, "lambda": lam, "num_actions": len(mu)}


@verifier("lemma-2")
def verify_lemma_2(step: dict, context: dict) -> dict:
    """Lemma 2 (Section D.1): multiplicative stability of quantal response.

    Fields: ``u``, ``u_prime`` (same length), ``lambda`` (``> 0``),
    ``epsilon`` (must equal ``||u - u'||_inf``, recomputed exactly),
    ``bound_interval`` (claimed enclosure of ``e^{2 lambda epsilon}``),
    ``ratio_intervals`` (claimed enclosure of ``P(a)/Q(a)`` for each ``a``) and
    ``l1_interval`` (claimed enclosure of ``||P - Q||_1``).  Each claimed
    enclosure must contain the verifier's own, and the claims must give the
    lemma: ``1 / bound_lo <= ratio_lo``, ``ratio_hi <= bound_lo`` and
    ``l1_hi <= bound_lo - 1``.  When ``u - u'`` is constant, ``P = Q``
    (softmax ignores a common shift): the ratios are exactly 1 and the
    distance exactly 0.
    """
    u = _vector(step["u"], "u")
    v = _vector(step["u_prime"], "u_prime")
    require(len(u) == len(v), "u and u_prime differ in length")
    lam = _positive(step["lambda"], "lambda")
    eps = max(abs(a - b) for a, b in zip(u, v))
    require(number(step["epsilon"]) == eps, f"epsilon is not ||u - u'||_inf = {eps}")
    bound = interval(step["bound_interval"], "bound_interval")
    ratios = [interval(r, "ratio_intervals[]") for r in step["ratio_intervals"]]
    require(len(ratios) == len(u), "one ratio interval per action")
    l1 = interval(step["l1_interval"], "l1_interval")
    for a, (lo, hi) in enumerate(ratios):
        require(hi <= bound[0], f"ratio of action {a} may exceed e^(2 lambda eps)")
        require(lo * bound[0] >= 1, f"ratio of action {a} may fall below e^(-2 lambda eps)")
    require(l1[1] <= bound[0] - 1, "||P - Q||_1 may exceed e^(2 lambda eps) - 1")
    require(proven(lambda b: inside(exp_bounds(2 * lam * eps, b), bound)),
            "e^(2 lambda eps) is not proven to lie in bound_interval")
    if len({a - b for a, b in zip(u, v)}) == 1:
        own_ratios = [(Fraction(1), Fraction(1))] * len(u)
        require(_all_inside(own_ratios, ratios), "P = Q, but a ratio interval misses 1")
        require(inside((Fraction(0), Fraction(0)), l1), "P = Q, but l1_interval misses 0")
    else:
        require(proven(lambda b: _all_inside(ratio_bounds(u, v, lam, b), ratios)),
                "the ratios P(a)/Q(a) are not proven to lie in ratio_intervals")
        require(proven(lambda b: inside(l1_bounds(u, v, lam, b), l1)),
                "||P - Q||_1 is not proven to lie in l1_interval")
    if _is_claim(context, "lemma-2"):
        concludes(context, epsilon=eps, bound_interval=list(bound), l1_interval=list(l1))
        stated = context["certificate"]["conclusion"].get("ratio_intervals")
        require(isinstance(stated, list) and [tuple(numbers(r)) for r in stated] == ratios,
                "the conclusion's ratio_intervals is not what the steps establish")
    return {"holds": True, "epsilon": eps, "lambda": lam, "bound": bound, "ratios": ratios, "l1": l1}


@verifier("proposition-2")
def verify_proposition_2(step: dict, context: dict) -> dict:
    """Proposition 2 (Section D.2): ``delta := e^{4 lambda eps_u} - 1``, certified ``<= delta``.

    Fields: ``lambda`` (``> 0``), ``eps_u`` (``>= 0``), ``delta`` (claimed
    upper bound), optional ``delta_lower`` (claimed lower bound, showing how
    tight ``delta`` is) and optional ``linearised`` (Corollary 2, Section
    D.2: requires ``lambda eps_u <= 1/4`` and proves
    ``e^{4 lambda eps_u} - 1 <= 4 e lambda eps_u <= linearised``).
    """
    lam = _positive(step["lambda"], "lambda")
    eps = number(step["eps_u"])
    require(eps >= 0, f"eps_u must be non-negative, got {eps}")
    delta = number(step["delta"])
    x = 4 * lam * eps
    require(proven(lambda b: exp_bounds(x, b)[1] - 1 <= delta),
            f"e^(4 lambda eps_u) - 1 is not proven <= delta = {delta}")
    facts: dict = {"lambda": lam, "eps_u": eps, "delta": delta}
    if "delta_lower" in step:
        lower = number(step["delta_lower"])
        require(lower <= delta, "delta_lower exceeds delta")
        require(proven(lambda b: exp_bounds(x, b)[0] - 1 >= lower),
                f"e^(4 lambda eps_u) - 1 is not proven >= delta_lower = {lower}")
        facts["delta_lower"] = lower
    if "linearised" in step:
        lin = number(step["linearised"])
        require(lam * eps <= Fraction(1, 4), "Corollary 2 needs lambda * eps_u <= 1/4")
        require(proven(lambda b: exp_bounds(x, b)[1] - 1 <= x * exp_bounds(1, b)[0]),
                "e^(4 lambda eps_u) - 1 is not proven <= 4 e lambda eps_u")
        require(proven(lambda b: x * exp_bounds(1, b)[1] <= lin),
                f"4 e lambda eps_u is not proven <= linearised = {lin}")
        facts["linearised"] = lin
    if _is_claim(context, "proposition-2"):
        concludes(context, **{key: facts[key] for key in ("delta", "delta_lower", "linearised") if key in facts})
    return {"holds": True, **facts}


def hoeffding_threshold(num_actions: int, num_states: int, epsilon: Fraction, delta: Fraction, bits: int) -> Interval:
    """Enclose ``(ln(2|A||Y|) - ln delta) / (2 eps^2) = ln(2|A||Y| / delta) / (2 eps^2)``."""
    lo, hi = log_bounds(Fraction(2 * num_actions * num_states) / delta, bits)
    scale = 2 * epsilon * epsilon
    return lo / scale, hi / scale


@verifier("proposition-3")
def verify_proposition_3(step: dict, context: dict) -> dict:
    """Proposition 3 (Appendix H): ``k`` agents suffice when ``k > (ln(2|A||Y|) - ln delta)/(2 eps^2)``.

    Fields: ``num_actions``, ``num_states``, ``k`` (positive integers),
    ``epsilon``, ``delta`` (``> 0``), optional ``minimal`` (bool).  With
    ``minimal: true`` the verifier also proves that no smaller positive
    integer works: ``k = 1`` or ``k - 1 <= threshold``.  Optional
    ``threshold_interval``: a claimed enclosure of the threshold, checked to
    contain the verifier's own.  ``ln 1 = 0`` is exact, so a threshold of
    exactly 0 is decided exactly.
    """
    actions = _integer(step["num_actions"], "num_actions")
    states = _integer(step["num_states"], "num_states")
    k = _integer(step["k"], "k")
    eps = _positive(step["epsilon"], "epsilon")
    delta = _positive(step["delta"], "delta")
    facts: dict = {"k": Fraction(k), "minimal": False}
    require(proven(lambda b: hoeffding_threshold(actions, states, eps, delta, b)[1] < k),
            f"k = {k} is not proven to exceed (ln(2|A||Y|) - ln delta) / (2 eps^2)")
    if "threshold_interval" in step:
        claimed = interval(step["threshold_interval"], "threshold_interval")
        require(claimed[1] < k, "threshold_interval reaches k")
        require(proven(lambda b: inside(hoeffding_threshold(actions, states, eps, delta, b), claimed)),
                "the threshold is not proven to lie in threshold_interval")
        facts["threshold_interval"] = list(claimed)
    minimal = step.get("minimal", False)
    require(isinstance(minimal, bool), "minimal must be true or false")
    if minimal and k > 1:
        require(proven(lambda b: hoeffding_threshold(actions, states, eps, delta, b)[0] >= k - 1),
                f"k - 1 = {k - 1} is not proven to fall short: k is not shown minimal")
    facts["minimal"] = minimal
    if _is_claim(context, "proposition-3"):
        concludes(context, **facts)
    return {"holds": True, "epsilon": eps, "delta": delta, **facts}
