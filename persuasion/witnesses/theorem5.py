"""The certificate of Theorem 5 (and Corollary 3) on an instance: ``theorem-5``.

The witnesses are the simplex alignment fit with its LP dual (Definition 1, as for
``definition-1``), an enclosure of ``z = zeta^(1/3) = (3|A| / (K delta))^(1/6)`` found with
integer sixth roots, and enclosures of the two bounds found with the kernel's own rigorous
enclosures (:mod:`persuasion.checker.enclosures`) at :data:`BITS` bits, rounded outward to
:data:`DIGITS` bits.  The kernel (:mod:`persuasion.checker.theorem5`) re-derives ``OPT``,
``eps``, the information substitutes condition and everything else, and proves each claimed
interval holds its value.
"""

from __future__ import annotations

from fractions import Fraction

from persuasion.checker.substitutes import substitute_checks
from persuasion.checker.theorem5 import (
    corollary_3_bound,
    corollary_applies,
    theorem_5_bound,
    unit_scale,
    zeta_squared,
)
from persuasion.errors import BeyondLimit
from persuasion.limits import MAX_NUMBER_CHARS, MAX_SUBSTITUTE_CHECKS
from persuasion.model import Instance
from persuasion.numbers import fmt
from persuasion.receiver import first_best
from persuasion.weighted_alignment import weighted_alignment
from persuasion.witnesses.claims import alignment_witnesses, envelope

BITS = 128
"""Precision of the enclosures the witnesses are taken from."""

DIGITS = 96
"""Bits the claimed intervals are rounded outward to (the kernel decides them at up to 256)."""

ROOT_BITS = 96
"""Bits of the enclosure of ``zeta^(1/3)``."""


def sixth_root_interval(square: Fraction, bits: int = ROOT_BITS) -> tuple[Fraction, Fraction]:
    """``(lo, hi)``, multiples of ``2**-bits``, with ``lo^6 <= square <= hi^6``."""
    scaled = square.numerator * (1 << (6 * bits)) // square.denominator
    root = _integer_root(scaled, 6)
    return Fraction(root, 1 << bits), Fraction(root + 1, 1 << bits)


def _integer_root(n: int, k: int) -> int:
    """The largest integer ``r`` with ``r^k <= n`` (bisection on integers)."""
    lo, hi = 0, 1 << (n.bit_length() // k + 1)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if mid**k <= n:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _outward(interval: tuple[Fraction, Fraction], bits: int = DIGITS) -> list[str]:
    """``interval`` rounded outward to multiples of ``2**-bits``, as ``"p/q"`` strings."""
    scale = 1 << bits
    lo = Fraction((interval[0].numerator * scale) // interval[0].denominator, scale)
    hi = Fraction(-((-interval[1].numerator * scale) // interval[1].denominator), scale)
    return [fmt(lo), fmt(hi)]


def _check_sizes(instance: Instance, lam: Fraction, root_hi: Fraction) -> None:
    """Refuse, before any work, a substitutes decision or an ``e^(40 lambda z)`` beyond the
    limits."""
    checks = substitute_checks(instance.prior, instance.num_actions)
    if checks > MAX_SUBSTITUTE_CHECKS:
        raise BeyondLimit(
            f"theorem-5: the information substitutes condition needs {checks} checks; the limit "
            f"is MAX_SUBSTITUTE_CHECKS = {MAX_SUBSTITUTE_CHECKS} (see docs/reference/limits.md)"
        )
    if 40 * lam * root_hi > Fraction(2303, 1000) * MAX_NUMBER_CHARS:
        raise BeyondLimit(
            f"theorem-5: e^(40 lambda zeta^(1/3)) has more than MAX_NUMBER_CHARS = "
            f"{MAX_NUMBER_CHARS} digits (persuasion.limits); try a smaller --lambda or more "
            "--conversation-rounds"
        )


def theorem_5_certificate(
    instance: Instance, lam: Fraction, rounds: int, delta: Fraction, path: str | None = None
) -> dict:
    """Theorem 5 (Section D.3) for ``K = rounds`` rounds of straightforward conversation, failure
    probability ``delta = delta_conv`` and an Alice ``lam``-quantal on the instance's utilities;
    Corollary 3 too when ``10 lambda zeta^(1/3) <= 1/4``.  ``holds`` is the information
    substitutes condition.

    The theorem's ``lambda`` acts on utilities rescaled to ``[0, 1]`` by ``t -> (t - low) /
    width``: ``exp(lam t) = exp(lam low) exp(lam width (t - low) / width)``, so it is
    ``lam * width`` (the certificate's ``parameters.lambda``)."""
    from persuasion.checker import check

    n = instance.num_actions
    square = zeta_squared(n, rounds, delta)
    root = sixth_root_interval(square)
    low, width = unit_scale([instance.alice_utility, *(s.utility for s in instance.senders)])
    lam = lam * width
    _check_sizes(instance, lam, root[1])
    alignment = weighted_alignment(instance, simplex=True)
    base = (first_best(instance) - low) / width - 2 * alignment.epsilon / width
    witnesses = {
        **alignment_witnesses(alignment),
        "root_interval": [fmt(root[0]), fmt(root[1])],
        "bound_interval": _outward(theorem_5_bound(base, lam, delta, root, n, BITS)),
    }
    if corollary_applies(square, lam):
        witnesses["corollary_interval"] = _outward(
            corollary_3_bound(base, lam, delta, root, n, BITS)
        )
    parameters = {"lambda": lam, "rounds": Fraction(rounds), "delta_conv": delta}
    draft = envelope(
        instance, "theorem-5", "", "", witnesses, holds=True, conclusion={},
        parameters=parameters, path=path, units=False,
    )  # fmt: skip
    del draft["holds"], draft["conclusion"]
    derived = check(draft)  # the kernel derives the conclusion; nothing here is trusted
    return envelope(
        instance,
        "theorem-5",
        "Theorem 5 (Section D.3)" + (", Corollary 3" if "corollary_interval" in witnesses else ""),
        _statement(derived["conclusion"], low, width),
        witnesses,
        holds=derived["holds"],
        conclusion=derived["conclusion"],
        parameters=parameters,
        path=path,
        units=False,
    )


def decimal(text: str) -> str:
    """Six significant digits of the exact number ``text`` (``"p/q"``), for prose only: computed
    in decimal arithmetic, never read back."""
    from decimal import Context

    q = Fraction(text)
    return format(Context(prec=6).divide(q.numerator, q.denominator), ".6g")


def _statement(c: dict, low: Fraction, width: Fraction) -> str:
    units = (
        "utilities in [0, 1] as the theorem assumes"
        if (low, width) == (0, 1)
        else f"utilities rescaled to [0, 1] by t -> (t - {fmt(low)}) / {fmt(width)}; lambda acts "
        f"on the rescaled utilities: lambda {fmt(Fraction(c['lambda']) / width)} on the "
        f"instance's utilities times {fmt(width)}"
    )
    hypothesis = (
        "the prior satisfies information substitutes (Definition 14)"
        if c["substitutes"]["holds"]
        else "the prior FAILS information substitutes (Definition 14), so the theorem says nothing"
    )
    return (
        f"With K = {c['rounds']} rounds, delta_conv = {c['delta_conv']} and lambda = "
        f"{c['lambda']} ({units}): {hypothesis}; in every quantal response Nash equilibrium Alice "
        f"gets at least OPT - 2 eps - (2(10 zeta^(1/3) + delta) + e^(40 lambda zeta^(1/3)) - 1 + "
        f"delta) - log|A|/lambda, which lies in [{c['bound_interval'][0]}, "
        f"{c['bound_interval'][1]}] (~{decimal(c['bound_interval'][0])}) (OPT = "
        f"{c['first_best']}, eps = {c['epsilon']}, zeta^2 = {c['zeta_squared']})."
    )
