"""The chains of the analytic claims: Lemmas 1-2 (Section D.1), Propositions 2 (D.2) and 3 (Appendix
H).

``parameters`` holds the claim's free inputs (``lambda``; ``epsilon`` and
``delta``); every other input is derived from the instance
(:func:`prior_beliefs`, :func:`feature_beliefs`, :func:`estimation_error` of
the aligned rule C* given as a witness, ``|A|``, ``|Y|``).  The
witnesses are claimed enclosures ``[lo, hi]`` of the transcendental numbers;
the kernel proves each contains the true value with its own enclosures
(:mod:`persuasion.checker.enclosures`), refining the precision along
:data:`LADDER` until the claim is decided, and the conclusion consists of the
verified intervals and the derived numbers.  These results are theorems, so
``holds`` is always true; a certificate whose intervals do not prove them is
INVALID.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any
from collections.abc import Callable

from persuasion import limits
from persuasion.checker.claims import aligned
from persuasion.checker.core import Invalid, array, claim, fields, number, require
from persuasion.checker.enclosures import (
    Interval,
    exp_bounds,
    l1_bounds,
    log_bounds,
    quantal_gap_bounds,
    ratio_bounds,
)
from persuasion.checker.game import ZERO, Game, Scheme

LADDER = tuple(64 << k for k in range(7))
"""Precisions (bits) tried, in order, to decide a claim: 64 to 4,096 bits (about 1,230 digits)."""


def precision(*intervals: Interval) -> int:
    """Bits enough to decide a claim about these claimed intervals: their relative width plus 64."""
    need = 64
    for lo, hi in intervals:
        if hi > lo:
            ratio = max(abs(lo), abs(hi), Fraction(1)) / (hi - lo)
            need = max(need, ratio.numerator.bit_length() - ratio.denominator.bit_length() + 64)
    return need


def proven(fact: Callable[[int], bool], *intervals: Interval, exps: int = 1) -> bool:
    """True when ``fact(bits)`` holds at some precision of :data:`LADDER`, trying no more bits than
    the intervals' :func:`precision` asks for (so a wrong witness is refused quickly), nor more than
    ``MAX_ENCLOSURE_WORK / exps`` for a fact built from ``exps`` exponentials."""
    need = precision(*intervals)
    ladder = [
        bits
        for bits in LADDER
        if (bits == LADDER[0] or bits // 2 < need) and bits * exps <= limits.MAX_ENCLOSURE_WORK
    ]
    require(
        bool(ladder),
        f"enclosures: {exps} exponentials at {LADDER[0]} bits are beyond "
        f"MAX_ENCLOSURE_WORK = {limits.MAX_ENCLOSURE_WORK}",
    )
    try:
        return any(fact(bits) for bits in ladder)
    except ValueError as error:  # an exponent beyond the enclosures' range
        raise Invalid(f"enclosures: {error}") from None


def interval(value: Any, where: str) -> Interval:
    """A claimed ``[lo, hi]`` with ``lo <= hi``."""
    lo, hi = (number(v, f"{where}[{k}]") for k, v in enumerate(array(value, where, 2)))
    require(lo <= hi, f"{where}: lower end above upper end")
    return lo, hi


def inside(own: Interval, claimed: Interval) -> bool:
    """A proven enclosure lies within the claimed interval, so the true value does too."""
    return claimed[0] <= own[0] and own[1] <= claimed[1]


def parameters(cert: dict, *keys: str) -> dict[str, Fraction]:
    p = fields(cert["parameters"], "parameters", keys)
    return {k: number(p[k], f"parameters.{k}") for k in keys}


def positive(value: Fraction, where: str) -> Fraction:
    require(value > 0, f"{where}: must be positive")
    return value


def prior_beliefs(game: Game) -> list[Fraction]:
    """Alice's expected utility of each action with no information (her belief vector at the
    prior)."""
    totals = [
        sum((table[xb][y] for table in game.prior for xb in range(len(table))), ZERO)
        for y in range(len(game.states))
    ]
    return [sum((p * u for p, u in zip(totals, row, strict=True)), ZERO) for row in game.alice]


def feature_beliefs(game: Game) -> list[Fraction]:
    """Alice's beliefs once she knows the likeliest sender feature ``x_B`` (the first on ties)."""
    rows = [
        [sum((table[xb][y] for table in game.prior), ZERO) for y in range(len(game.states))]
        for xb in range(len(game.sender_features))
    ]
    mass = [sum(r) for r in rows]
    best = rows[mass.index(max(mass))]
    return [
        sum((p * u for p, u in zip(best, row, strict=True)), ZERO) / max(mass) for row in game.alice
    ]


def estimation_error(game: Game, scheme: Scheme) -> Fraction:
    """Proposition 2's ``eps_u`` for C*: the largest ``||mu(x_A, m) - mu(x_A, x_B)||_inf`` over
    messages ``m`` of positive probability and features ``x_B`` that send them, Alice's beliefs
    after ``m`` against knowing ``x_B``."""

    def beliefs(posterior: list[Fraction]) -> list[Fraction]:
        return [
            sum((w * u for w, u in zip(posterior, row, strict=True)), ZERO) / sum(posterior)
            for row in game.alice
        ]

    worst = ZERO
    for table in game.prior:
        for m in range(len(scheme[0])):
            heard = [
                sum((scheme[xb][m] * table[xb][y] for xb in range(len(table))), ZERO)
                for y in range(len(game.states))
            ]
            if any(heard):
                mu = beliefs(heard)
                for xb, row in enumerate(table):
                    if scheme[xb][m] and any(row):
                        worst = max(
                            [worst] + [abs(a - b) for a, b in zip(mu, beliefs(row), strict=True)]
                        )
    return worst


@claim("lemma-1")
def lemma_1(cert: dict, game: Game) -> tuple[bool, dict]:
    """Lemma 1: ``max(mu) - sum_a p(a) mu_a <= log|A| / lambda`` for ``p = softmax(lambda mu)``,
    ``mu`` the prior beliefs."""
    lam = positive(parameters(cert, "lambda")["lambda"], "parameters.lambda")
    mu = prior_beliefs(game)
    wit = fields(cert["witnesses"], "witnesses", ("gap_interval", "bound_interval"))
    gap, bound = (
        interval(wit["gap_interval"], "witnesses.gap_interval"),
        interval(wit["bound_interval"], "witnesses.bound_interval"),
    )
    require(gap[1] <= bound[0], "witnesses: gap_interval does not end below bound_interval")
    require(
        proven(lambda b: inside(quantal_gap_bounds(mu, lam, b), gap), gap, exps=len(mu)),
        "witnesses.gap_interval: not proven to hold the gap",
    )
    require(
        proven(lambda b: inside(tuple(x / lam for x in log_bounds(len(mu), b)), bound), bound),
        "witnesses.bound_interval: not proven to hold log|A| / lambda",
    )
    return True, {
        "lambda": lam,
        "beliefs": mu,
        "gap_interval": list(gap),
        "bound_interval": list(bound),
    }


@claim("lemma-2")
def lemma_2(cert: dict, game: Game) -> tuple[bool, dict]:
    """Lemma 2: ``e^{-2 lambda eps} <= P(a)/Q(a) <= e^{2 lambda eps}`` and ``||P - Q||_1 <= e^{2
    lambda eps} - 1``, ``P``, ``Q`` the quantal responses to the prior beliefs ``u`` and the
    likeliest feature's beliefs ``u'``."""
    lam = positive(parameters(cert, "lambda")["lambda"], "parameters.lambda")
    u, v = prior_beliefs(game), feature_beliefs(game)
    eps = max(abs(a - b) for a, b in zip(u, v, strict=True))
    wit = fields(
        cert["witnesses"], "witnesses", ("bound_interval", "ratio_intervals", "l1_interval")
    )
    bound, l1 = (
        interval(wit["bound_interval"], "witnesses.bound_interval"),
        interval(wit["l1_interval"], "witnesses.l1_interval"),
    )
    ratios = [
        interval(r, f"witnesses.ratio_intervals[{a}]")
        for a, r in enumerate(array(wit["ratio_intervals"], "witnesses.ratio_intervals", len(u)))
    ]
    for a, (lo, hi) in enumerate(ratios):
        require(
            hi <= bound[0] and lo * bound[0] >= 1,
            f"witnesses.ratio_intervals[{a}]: not within [1/B, B]",
        )
    require(l1[1] <= bound[0] - 1, "witnesses.l1_interval: not below B - 1")
    require(
        proven(lambda b: inside(exp_bounds(2 * lam * eps, b), bound), bound),
        "witnesses.bound_interval: not proven to hold e^(2 lambda eps)",
    )
    if (
        len({a - b for a, b in zip(u, v, strict=True)}) == 1
    ):  # softmax ignores a common shift: P = Q exactly
        require(
            all(inside((Fraction(1),) * 2, r) for r in ratios) and inside((ZERO, ZERO), l1),
            "witnesses: P = Q, so every ratio interval must hold 1 and l1_interval 0",
        )
    else:
        require(
            proven(
                lambda b: all(map(inside, ratio_bounds(u, v, lam, b), ratios)),
                *ratios,
                exps=3 * len(u),
            ),
            "witnesses.ratio_intervals: not proven to hold P(a)/Q(a)",
        )
        require(
            proven(lambda b: inside(l1_bounds(u, v, lam, b), l1), l1, exps=2 * len(u)),
            "witnesses.l1_interval: not proven to hold ||P - Q||_1",
        )
    return True, {
        "lambda": lam,
        "beliefs": u,
        "feature_beliefs": v,
        "epsilon": eps,
        "bound_interval": list(bound),
        "ratio_intervals": [list(r) for r in ratios],
        "l1_interval": list(l1),
    }


@claim("proposition-2")
def proposition_2(cert: dict, game: Game) -> tuple[bool, dict]:
    """Proposition 2: ``(delta, C_B*)``-closeness with ``delta = e^{4 lambda eps_u} - 1`` in
    ``[delta_lower, delta]``, ``eps_u`` the estimation error of C* (witness ``aligned``, proven
    optimal as in Theorem 1); with ``lambda eps_u <= 1/4`` also Corollary 2, ``delta <= 4 e lambda
    eps_u <= linearised``."""
    lam = positive(parameters(cert, "lambda")["lambda"], "parameters.lambda")
    keys = ("aligned", "delta", "delta_lower")
    wit = fields(cert["witnesses"], "witnesses", keys, ("linearised",))
    c_star, _ = aligned(game, wit["aligned"])
    eps = estimation_error(game, c_star)
    linear = lam * eps <= Fraction(1, 4)
    require(
        ("linearised" in wit) == linear,
        "witnesses: linearised goes with lambda * eps_u <= 1/4 (Corollary 2)",
    )
    delta, lower = (
        number(wit["delta"], "witnesses.delta"),
        number(wit["delta_lower"], "witnesses.delta_lower"),
    )
    x = 4 * lam * eps
    require(lower <= delta, "witnesses: delta_lower above delta")
    require(
        proven(lambda b: exp_bounds(x, b)[1] - 1 <= delta, (lower, delta)),
        "witnesses.delta: e^(4 lambda eps_u) - 1 not proven below it",
    )
    require(
        proven(lambda b: exp_bounds(x, b)[0] - 1 >= lower, (lower, delta)),
        "witnesses.delta_lower: e^(4 lambda eps_u) - 1 not proven above it",
    )
    conclusion = {"lambda": lam, "eps_u": eps, "delta": delta, "delta_lower": lower}
    if linear:
        lin = number(wit["linearised"], "witnesses.linearised")
        require(
            proven(lambda b: exp_bounds(x, b)[1] - 1 <= x * exp_bounds(1, b)[0], (lower, delta)),
            "Corollary 2: e^(4 lambda eps_u) - 1 not proven below 4 e lambda eps_u",
        )
        require(
            proven(lambda b: x * exp_bounds(1, b)[1] <= lin, (lower, delta)),
            "witnesses.linearised: 4 e lambda eps_u not proven below it",
        )
        conclusion["linearised"] = lin
    return True, conclusion


def hoeffding_threshold(
    actions: int, states: int, epsilon: Fraction, delta: Fraction, bits: int
) -> Interval:
    """Enclose ``(ln(2|A||Y|) - ln delta) / (2 eps^2) = ln(2|A||Y| / delta) / (2 eps^2)``."""
    lo, hi = log_bounds(Fraction(2 * actions * states) / delta, bits)
    return lo / (2 * epsilon * epsilon), hi / (2 * epsilon * epsilon)


@claim("proposition-3")
def proposition_3(cert: dict, game: Game) -> tuple[bool, dict]:
    """Proposition 3: ``k`` noisy agents give eps-alignment with probability ``1 - delta`` when
    ``k > (ln(2|A||Y|) - ln delta) / (2 eps^2)``; the least such ``k >= 1`` is derived from the
    enclosure."""
    p = parameters(cert, "epsilon", "delta")
    eps, delta = (
        positive(p["epsilon"], "parameters.epsilon"),
        positive(p["delta"], "parameters.delta"),
    )
    require(delta < 1, "parameters.delta: must be below 1")
    actions, states = len(game.actions), len(game.states)
    lo, hi = interval(
        fields(cert["witnesses"], "witnesses", ("threshold_interval",))["threshold_interval"],
        "witnesses.threshold_interval",
    )
    require(
        proven(
            lambda b: inside(hoeffding_threshold(actions, states, eps, delta, b), (lo, hi)),
            (lo, hi),
        ),
        "witnesses.threshold_interval: not proven to hold the threshold",
    )
    k = max(1, hi.__floor__() + 1)
    require(k == 1 or lo >= k - 1, "witnesses.threshold_interval: too wide to decide the least k")
    return True, {
        "epsilon": eps,
        "delta": delta,
        "k": Fraction(k),
        "minimal": True,
        "threshold_interval": [lo, hi],
        "num_actions": Fraction(actions),
        "num_states": Fraction(states),
    }
