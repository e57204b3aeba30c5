"""Certificates of the paper's analytic bounds on an instance: Lemmas 1 and 2, Propositions 2 and 3.

Each function returns a complete ``persuasion-certificate/2`` dict whose
witnesses (claimed intervals) :mod:`persuasion.checker.analytic` re-verifies,
deriving the beliefs, ``|A|`` and ``|Y|`` from the instance itself.  The
intervals are *found* here with mpmath and written as exact rationals
(``"p/q"``), rounded outward to a few decimal digits around an mpmath value.
Nothing here is trusted: if mpmath were wrong, the kernel would refuse.

If a claim is too tight to separate at 15 digits (say ``||u - u'||_inf`` is
``1e-20``, or ``lambda`` is in the thousands), the digits are doubled until it
separates, up to :data:`MAX_DIGITS` (what the kernel's precision ladder can
still decide); beyond that the claim is refused with one line naming the limit.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import mpmath

from persuasion.witnesses.claims import envelope, oblivious_witness
from persuasion.errors import InputError
from persuasion.limits import MAX_NUMBER_CHARS
from persuasion.model import Instance
from persuasion.numbers import fmt, to_fraction
from persuasion.receiver import action_values

MAX_DIGITS = 960
"""Most relative digits of a claimed interval (15, 30, ..., 960): the kernel decides claims at up
to 4,096 bits (about 1,230 digits), so intervals this precise are still checkable."""

DIGITS = tuple(15 << k for k in range(7))
"""Relative digits of the claimed intervals, tried in order until the claim separates."""

SOFTMAX_FLOOR = 1 << 20
"""Softmax terms ``e^(z_a - max z)`` are computed at ``z_a - max z >= -SOFTMAX_FLOOR``: below it the
term (``< 10^-455000``) is far under every interval's pad, and mpmath takes minutes for
``e^(-10^1000)`` (``--lambda 1e10000``)."""


def _mp(x: Fraction) -> mpmath.mpf:
    return mpmath.mpf(x.numerator) / x.denominator


def _outward(
    value: mpmath.mpf, digits: int, nonnegative: bool = False
) -> tuple[Fraction, Fraction]:
    """A decimal interval around ``value``: relative pad ``10**-digits`` plus a tiny absolute
    one."""
    pad = abs(value) * mpmath.mpf(10) ** (-digits) + mpmath.mpf(10) ** (-(digits + 20))
    places = int(-mpmath.floor(mpmath.log10(pad))) + 1
    scale = Fraction(10) ** places
    lo = Fraction(int(mpmath.floor((value - pad) * mpmath.mpf(10) ** places))) / scale
    hi = Fraction(int(mpmath.ceil((value + pad) * mpmath.mpf(10) ** places))) / scale
    return (max(lo, Fraction(0)) if nonnegative else lo), hi


def _search(
    claim: str,
    make: Callable[[int], dict],
    holds: Callable[[dict], bool],
    hint: str = "try a smaller --lambda",
) -> dict:
    """``make(digits)`` at increasing digits (mpmath working precision ``digits + 40``) until
    ``holds``; else one line ending with ``hint``."""
    for digits in DIGITS:
        with mpmath.workdps(digits + 40):
            claims = make(digits)
        if holds(claims):
            _fits(claim, claims)
            return claims
    raise InputError(
        claim,
        f"the bound is too tight to certify within MAX_DIGITS = {MAX_DIGITS} digits "
        f"(persuasion.witnesses.analytic.MAX_DIGITS); {hint}",
    )


def _fits(claim: str, claims) -> None:
    """Refuse numbers longer than the kernel reads (``MAX_NUMBER_CHARS``): ``e^(2 lambda eps)``
    grows fast."""
    if isinstance(claims, dict):
        claims = list(claims.values())
    if isinstance(claims, (list, tuple)):
        for value in claims:
            _fits(claim, value)
    elif len(fmt(claims)) > MAX_NUMBER_CHARS:
        raise InputError(
            claim,
            f"a bound has more than MAX_NUMBER_CHARS = {MAX_NUMBER_CHARS} characters "
            "(persuasion.limits); try a smaller --lambda",
        )


def _exp_fits(claim: str, x: Fraction, what: str) -> None:
    """Refuse ``e^x`` before computing it when it has more than ``MAX_NUMBER_CHARS`` digits
    (``x > MAX_NUMBER_CHARS ln 10``; ``ln 10 < 2.303``), as :func:`_fits` would afterwards -- but
    mpmath and the decimal interval of ``e^(10^6)`` take minutes."""
    if x > Fraction(2303, 1000) * MAX_NUMBER_CHARS:
        raise InputError(
            claim,
            f"e^({what}) has more than MAX_NUMBER_CHARS = {MAX_NUMBER_CHARS} digits "
            "(persuasion.limits); try a smaller --lambda",
        )


def _pair(interval: tuple[Fraction, Fraction]) -> list[str]:
    return [fmt(interval[0]), fmt(interval[1])]


def _show(x: Fraction | mpmath.mpf) -> str:
    """A short decimal for the human-readable statement (never re-read)."""
    return mpmath.nstr(_mp(x) if isinstance(x, Fraction) else x, 6)


def _positive(value, what: str) -> Fraction:
    x = to_fraction(value)
    if x <= 0:
        raise ValueError(f"{what} must be positive, got {fmt(x)}")
    return x


def prior_beliefs(instance: Instance) -> list[Fraction]:
    """Alice's expected utility of each action with no information (her belief vector at the
    prior)."""
    totals = [Fraction(0)] * instance.num_states
    for table in instance.prior:
        for row in table:
            totals = [t + p for t, p in zip(totals, row, strict=True)]
    return action_values(instance.alice_utility, totals)


def likeliest_feature_beliefs(instance: Instance) -> list[Fraction]:
    """Alice's beliefs once she knows the most likely sender feature ``x_B`` (earliest on ties)."""
    nb, ny = len(instance.sender_features), instance.num_states
    rows = [[sum(table[xb][y] for table in instance.prior) for y in range(ny)] for xb in range(nb)]
    mass = [sum(r) for r in rows]
    xb = mass.index(max(mass))
    return [v / mass[xb] for v in action_values(instance.alice_utility, rows[xb])]


def _softmax(z: list[mpmath.mpf]) -> list[mpmath.mpf]:
    top = max(z)
    exps = [mpmath.exp(max(v - top, -SOFTMAX_FLOOR)) for v in z]
    total = mpmath.fsum(exps)
    return [e / total for e in exps]


# --------------------------------------------------------------------------- Lemma 1


def lemma_1_certificate(instance: Instance, lam, path: str | None = None) -> dict:
    """Lemma 1 (Section D.1) at the prior beliefs ``mu``: ``max(mu) - sum_a p(a) mu_a <= log|A| /
    lambda``, ``p = softmax(lambda mu)``."""
    mu = prior_beliefs(instance)
    lam = _positive(lam, "lambda")

    def make(digits: int) -> dict:
        zero = (Fraction(0), Fraction(0))
        m, top = [_mp(v) for v in mu], _mp(max(mu))
        p = _softmax([_mp(lam) * v for v in m])
        gap = mpmath.fsum(pa * (top - v) for pa, v in zip(p, m, strict=True))
        bound = mpmath.log(len(mu)) / _mp(lam)
        return {  # every p(a) > 0, so the gap is 0 exactly when all beliefs are equal; log 1 = 0
            "gap": zero if len(set(mu)) == 1 else _outward(gap, digits, nonnegative=True),
            "bound": zero if len(mu) == 1 else _outward(bound, digits, nonnegative=True),
        }

    claims = _search("lemma-1", make, lambda c: c["gap"][1] <= c["bound"][0])
    gap, bound = claims["gap"], claims["bound"]
    statement = (
        f"For beliefs mu = ({', '.join(fmt(v) for v in mu)}) and lambda = {fmt(lam)}, the "
        f"lambda-quantal response's gap max(mu) - sum_a p(a) mu_a lies in "
        f"[{fmt(gap[0])}, {fmt(gap[1])}] (~{_show(gap[1])}), at most log|A|/lambda = "
        f"log {len(mu)}/{fmt(lam)} in [{fmt(bound[0])}, {fmt(bound[1])}] (~{_show(bound[0])})."
    )
    witnesses = {"gap_interval": _pair(gap), "bound_interval": _pair(bound)}
    return envelope(
        instance,
        "lemma-1",
        "Lemma 1 (Section D.1)",
        statement,
        witnesses,
        holds=True,
        conclusion={"lambda": fmt(lam), "beliefs": [fmt(v) for v in mu], **witnesses},
        parameters={"lambda": lam},
        path=path,
        units=False,
    )


# --------------------------------------------------------------------------- Lemma 2


def _lemma_2_intervals(
    u: list[Fraction], v: list[Fraction], lam: Fraction, eps: Fraction, digits: int
) -> dict:
    """Lemma 2's intervals at ``digits``: ``e^(2 lambda eps)``, every ``P(a)/Q(a)`` and
    ``||P - Q||_1``."""
    bound = (
        (Fraction(1), Fraction(1))
        if eps == 0
        else _outward(mpmath.exp(2 * _mp(lam) * _mp(eps)), digits)
    )
    if len({a - b for a, b in zip(u, v, strict=True)}) == 1:  # softmax ignores a common shift
        one, zero = (Fraction(1), Fraction(1)), (Fraction(0), Fraction(0))
        return {"bound": bound, "ratios": [one] * len(u), "l1": zero}
    p = _softmax([_mp(lam * a) for a in u])
    q = _softmax([_mp(lam * b) for b in v])
    # P(a)/Q(a) = e^(lambda ((u_a - max u) - (u'_a - max u'))) * S'/S (S, S' the shifted sums):
    # the exponent is at most 2 lambda eps, while P(a), Q(a) alone may be below SOFTMAX_FLOOR
    shift = [(a - max(u)) - (b - max(v)) for a, b in zip(u, v, strict=True)]
    sums = [
        mpmath.fsum(mpmath.exp(max(_mp(lam * (x - max(w))), -SOFTMAX_FLOOR)) for x in w)
        for w in (u, v)
    ]
    ratios = [
        _outward(mpmath.exp(_mp(lam * d)) * sums[1] / sums[0], digits, nonnegative=True)
        for d in shift
    ]
    l1 = _outward(
        mpmath.fsum(abs(pa - qa) for pa, qa in zip(p, q, strict=True)), digits, nonnegative=True
    )
    return {"bound": bound, "ratios": ratios, "l1": l1}


def _lemma_2_holds(c: dict) -> bool:
    """Do the intervals prove Lemma 2: every ratio in ``[1/B, B]`` and ``||P - Q||_1 <= B - 1``?"""
    low = c["bound"][0]
    return all(hi <= low and lo * low >= 1 for lo, hi in c["ratios"]) and c["l1"][1] <= low - 1


def lemma_2_certificate(instance: Instance, lam, path: str | None = None) -> dict:
    """Lemma 2 (Section D.1) for the prior beliefs ``u`` and the likeliest feature's beliefs ``u'``:
    ``e^{-2 lambda eps} <= P(a)/Q(a) <= e^{2 lambda eps}`` and ``||P-Q||_1 <= e^{2 lambda eps} -
    1``."""
    u, v = prior_beliefs(instance), likeliest_feature_beliefs(instance)
    lam = _positive(lam, "lambda")
    eps = max(abs(a - b) for a, b in zip(u, v, strict=True))
    _exp_fits("lemma-2", 2 * lam * eps, "2 lambda eps")

    claims = _search(
        "lemma-2", lambda digits: _lemma_2_intervals(u, v, lam, eps, digits), _lemma_2_holds
    )
    bound, l1 = claims["bound"], claims["l1"]
    statement = (
        f"For u = ({', '.join(fmt(a) for a in u)}), u' = ({', '.join(fmt(b) for b in v)}) and "
        f"lambda = {fmt(lam)}: eps = ||u - u'||_inf = {fmt(eps)}, e^(2 lambda eps) lies in "
        f"[{fmt(bound[0])}, {fmt(bound[1])}] (~{_show(bound[0])}); every ratio "
        f"P(a)/Q(a) of P = softmax(lambda u) and Q = softmax(lambda u') lies in [1/B, B] for "
        f"B = {fmt(bound[0])} <= e^(2 lambda eps), and ||P - Q||_1 <= {fmt(l1[1])} "
        f"(~{_show(l1[1])}) "
        f"<= B - 1."
    )
    witnesses = {
        "bound_interval": _pair(bound),
        "ratio_intervals": [_pair(r) for r in claims["ratios"]],
        "l1_interval": _pair(l1),
    }
    conclusion = {
        "lambda": fmt(lam),
        "beliefs": [fmt(a) for a in u],
        "feature_beliefs": [fmt(b) for b in v],
        "epsilon": fmt(eps),
        **witnesses,
    }
    return envelope(
        instance,
        "lemma-2",
        "Lemma 2 (Section D.1)",
        statement,
        witnesses,
        holds=True,
        conclusion=conclusion,
        parameters={"lambda": lam},
        path=path,
        units=False,
    )


# --------------------------------------------------------------------------- Proposition 2


def estimation_error(instance: Instance, scheme) -> Fraction:
    """Proposition 2's ``eps_u`` for the aligned rule C* (``scheme``): the largest sup-norm gap
    between Alice's beliefs after C*'s message and her beliefs knowing ``(x_A, x_B)``."""
    nb = len(instance.sender_features)
    worst = Fraction(0)
    for table in instance.prior:
        for m in range(len(scheme[0])):
            heard = [
                sum(scheme[xb][m] * table[xb][y] for xb in range(nb))
                for y in range(instance.num_states)
            ]
            if not any(heard):
                continue
            mu = [v / sum(heard) for v in action_values(instance.alice_utility, heard)]
            for xb, row in enumerate(table):
                if scheme[xb][m] and any(row):
                    true = [v / sum(row) for v in action_values(instance.alice_utility, row)]
                    worst = max(worst, max(abs(a - b) for a, b in zip(mu, true, strict=True)))
    return worst


def proposition_2_certificate(
    instance: Instance, lam, eta: Fraction = Fraction(1, 1000), path: str | None = None
) -> dict:
    """Proposition 2 (Section D.2): the ``(delta, C_B*)``-close condition holds with ``delta = e^{4
    lambda eps_u} - 1``, ``eps_u`` the estimation error of the aligned rule C* (found with ``eta``,
    proven optimal by its witness).

    Adds Corollary 2's linearised bound ``4 e lambda eps_u`` when
    ``lambda eps_u <= 1/4``.
    """
    lam = _positive(lam, "lambda")
    aligned_witness, _, _, scheme = oblivious_witness(instance, None, eta)
    eps = estimation_error(instance, scheme)
    linear = lam * eps <= Fraction(1, 4)
    _exp_fits("proposition-2", 4 * lam * eps, "4 lambda eps_u")

    def make(digits: int) -> dict:
        if eps == 0:  # e^0 - 1 = 0 exactly
            return {"delta": (Fraction(0), Fraction(0)), "linearised": (Fraction(0), Fraction(0))}
        x = 4 * _mp(lam) * _mp(eps)
        claims = {"delta": _outward(mpmath.expm1(x), digits, nonnegative=True)}
        if linear:
            claims["linearised"] = _outward(x * mpmath.e, digits, nonnegative=True)
        return claims

    claims = _search("proposition-2", make, lambda c: True)
    lower, delta = claims["delta"]
    statement = (
        f"With lambda = {fmt(lam)} and eps_u = {fmt(eps)}, a reference rule that estimates every "
        f"action's utility to within eps_u makes the game (delta, C_B*)-close with "
        f"delta = e^(4 lambda eps_u) - 1 <= {fmt(delta)} (~{_show(delta)})"
    )
    witnesses = {"aligned": aligned_witness, "delta": fmt(delta), "delta_lower": fmt(lower)}
    if linear:
        witnesses["linearised"] = fmt(claims["linearised"][1])
        statement += (
            "; by Corollary 2 (lambda eps_u <= 1/4) also delta <= 4 e lambda eps_u <= "
            f"{witnesses['linearised']}"
        )
    cites = "Proposition 2 (Section D.2)" + (", Corollary 2 (Section D.2)" if linear else "")
    numbers = {key: value for key, value in witnesses.items() if key != "aligned"}
    return envelope(
        instance,
        "proposition-2",
        cites,
        statement + ".",
        witnesses,
        holds=True,
        conclusion={"lambda": fmt(lam), "eps_u": fmt(eps), **numbers},
        parameters={"lambda": lam},
        path=path,
        units=False,
    )


# --------------------------------------------------------------------------- Proposition 3


def hoeffding_agents(pairs: int, epsilon, delta) -> tuple[int, tuple[Fraction, Fraction]]:
    """Proposition 3 (Appendix H) over ``pairs`` action-state pairs (``|A||Y|``, or the items of a
    ratings table): the least ``k >= 1`` with ``k > (ln(2 pairs) - ln delta) / (2 eps^2)``, and a
    rational enclosure of that threshold narrow enough to prove ``k`` least (the kernel's
    :func:`persuasion.checker.analytic.hoeffding_threshold` re-derives it).

    Raises ValueError for ``epsilon`` or ``delta`` not positive, or ``delta >= 1``.
    """
    eps, delta = _positive(epsilon, "epsilon"), _positive(delta, "delta")
    if delta >= 1:
        raise ValueError(f"delta must be below 1, got {fmt(delta)}")
    ratio = Fraction(2 * pairs) / delta

    def make(digits: int) -> dict:
        t = mpmath.log(_mp(ratio)) / (2 * _mp(eps) ** 2)
        return {"threshold": _outward(t, digits), "k": max(1, int(mpmath.floor(t)) + 1)}

    def holds(c: dict) -> bool:
        lo, hi = c["threshold"]
        return hi < c["k"] and (c["k"] == 1 or lo >= c["k"] - 1)

    claims = _search("proposition-3", make, holds, "try a larger epsilon")
    return claims["k"], claims["threshold"]


def proposition_3_certificate(instance: Instance, epsilon, delta, path: str | None = None) -> dict:
    """Proposition 3 (Appendix H): the least ``k`` with ``k > (ln(2|A||Y|) - ln delta) / (2
    eps^2)`` (:func:`hoeffding_agents`)."""
    num_actions, num_states = instance.num_actions, instance.num_states
    k, threshold = hoeffding_agents(num_actions * num_states, epsilon, delta)
    eps, delta = to_fraction(epsilon), to_fraction(delta)
    statement = (
        f"With |A| = {num_actions}, |Y| = {num_states}, eps = {fmt(eps)} and delta = {fmt(delta)}, "
        f"(ln(2|A||Y|) - ln delta) / (2 eps^2) lies in [{fmt(threshold[0])}, {fmt(threshold[1])}] "
        f"(~{_show(threshold[0])}), so k = {k} independent noisy agents, and no fewer, satisfy "
        f"eps-weighted alignment with probability at least 1 - delta."
    )
    return envelope(
        instance,
        "proposition-3",
        "Proposition 3 (Appendix H)",
        statement,
        {"threshold_interval": _pair(threshold)},
        holds=True,
        conclusion={
            "epsilon": fmt(eps),
            "delta": fmt(delta),
            "k": str(k),
            "minimal": True,
            "threshold_interval": _pair(threshold),
            "num_actions": str(num_actions),
            "num_states": str(num_states),
        },
        parameters={"epsilon": eps, "delta": delta},
        path=path,
        units=False,
    )
