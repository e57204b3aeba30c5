"""The chain of the ``theorem-5`` claim: Theorem 5 and Corollary 3 (Section D.3) on an instance.

Theorem 5: if the prior satisfies the information substitutes condition (Definition 14) and the
senders are ``eps``-aligned (Definition 1, simplex weights), a straightforward, ``lambda``-quantal
Alice gets in every quantal response Nash equilibrium at least

    OPT - 2 eps - (2 (10 z + delta) + e^(40 lambda z) - 1 + delta) - log|A| / lambda,

``z = zeta^(1/3)``, ``zeta = (3|A| / (K delta))^(1/2)`` for ``K`` rounds of conversation and
failure probability ``delta = delta_conv``; when ``10 lambda z <= 1/4`` also (Corollary 3)

    OPT - 2 eps - (20 + 40 e lambda) z - 3 delta - log|A| / lambda.

The kernel derives ``OPT`` (Definition 2), ``eps`` (the fit and its LP dual, as for
Definition 1), the substitutes condition (by enumeration, :mod:`persuasion.checker.substitutes`)
and whether Corollary 3 applies (``(3|A| / (K delta)) (40 lambda)^6 <= 1``, exactly).  The
witnesses are claimed enclosures: ``root_interval`` of ``z`` (checked by ``lo^6 <= zeta^2 <=
hi^6``), ``bound_interval`` of the bound and ``corollary_interval`` of Corollary 3's; the kernel
proves its own enclosures (:mod:`persuasion.checker.enclosures`) lie inside them.

Units: the theorem takes every utility in ``[0, 1]``.  If the instance's are not, the kernel
applies one common positive affine change ``t -> (t - low) / width`` (``low``, ``width`` the least
utility and the range of all of them, Alice's and the senders'): it keeps the weights of
Definition 1 and the substitutes condition, divides ``eps`` by ``width`` and makes ``lambda`` act
on the rescaled utilities (``lambda / width`` in the file's).  The bound is stated in the rescaled
units and, mapped back, in the file's.  ``holds`` is Definition 14: without it the theorem says
nothing.
"""

from __future__ import annotations

from fractions import Fraction

from persuasion.checker.analytic import interval, inside, parameters, positive, proven
from persuasion.checker.claims import alignment
from persuasion.checker.core import Invalid, claim, fields, require
from persuasion.checker.enclosures import Interval, exp_bounds, log_bounds
from persuasion.checker.game import Game, first_best
from persuasion.checker.substitutes import Verdict, substitutes

ZERO = Fraction(0)


def unit_scale(matrices: list) -> tuple[Fraction, Fraction]:
    """``(low, width)`` of the affine change of the utility ``matrices`` (Alice's and every
    sender's) to ``[0, 1]``: ``(0, 1)`` when every utility already lies in ``[0, 1]``."""
    values = [v for m in matrices for row in m for v in row]
    low, high = min(values), max(values)
    if low >= 0 and high <= 1:
        return ZERO, Fraction(1)
    return low, (high - low) or Fraction(1)


def zeta_squared(actions: int, rounds: int, delta: Fraction) -> Fraction:
    """Theorem 3's ``zeta^2 = 3|A| / (K delta)``."""
    return Fraction(3 * actions) / (rounds * delta)


def corollary_applies(square: Fraction, lam: Fraction) -> bool:
    """Corollary 3's ``10 lambda zeta^(1/3) <= 1/4``, i.e. ``zeta^2 (40 lambda)^6 <= 1``."""
    return square * (40 * lam) ** 6 <= 1


def theorem_5_bound(
    base: Fraction, lam: Fraction, delta: Fraction, root: Interval, actions: int, bits: int
) -> Interval:
    """Enclose ``base - (2 (10 z + delta) + e^(40 lambda z) - 1 + delta) - log|A| / lambda`` for
    every ``z`` in ``root`` (``base = OPT - 2 eps``): the bound falls as ``z`` grows."""
    log_lo, log_hi = log_bounds(actions, bits)
    lo = base - (20 * root[1] + 3 * delta + exp_bounds(40 * lam * root[1], bits)[1] - 1)
    hi = base - (20 * root[0] + 3 * delta + exp_bounds(40 * lam * root[0], bits)[0] - 1)
    return lo - log_hi / lam, hi - log_lo / lam


def corollary_3_bound(
    base: Fraction, lam: Fraction, delta: Fraction, root: Interval, actions: int, bits: int
) -> Interval:
    """Enclose ``base - (20 + 40 e lambda) z - 3 delta - log|A| / lambda`` for every ``z`` in
    ``root``."""
    log_lo, log_hi = log_bounds(actions, bits)
    e_lo, e_hi = exp_bounds(1, bits)
    lo = base - (20 + 40 * e_hi * lam) * root[1] - 3 * delta - log_hi / lam
    hi = base - (20 + 40 * e_lo * lam) * root[0] - 3 * delta - log_lo / lam
    return lo, hi


def _parameters(cert: dict) -> tuple[Fraction, int, Fraction]:
    p = parameters(cert, "lambda", "rounds", "delta_conv")
    lam = positive(p["lambda"], "parameters.lambda")
    rounds, delta = p["rounds"], positive(p["delta_conv"], "parameters.delta_conv")
    require(rounds.denominator == 1 and rounds >= 1, "parameters.rounds: a positive integer")
    require(delta < 1, "parameters.delta_conv: must be below 1")
    return lam, int(rounds), delta


def _substitutes(game: Game) -> Verdict:
    try:
        return substitutes(game.prior, game.alice)
    except ValueError as beyond:
        raise Invalid(f"instance: {beyond}") from None


def _verdict(found: Verdict, game: Game) -> dict:
    worst = found.worst
    return {
        "holds": found.holds,
        "checks": Fraction(found.checks),
        "violations": Fraction(found.violations),
        "worst": None
        if worst is None
        else {
            "action": game.actions[worst.action],
            "alice_features": [game.alice_features[i] for i in worst.alice],
            "sender_features": [game.sender_features[j] for j in worst.senders],
            "lhs": worst.lhs,
            "rhs": worst.rhs,
        },
    }


@claim("theorem-5")
def theorem_5(cert: dict, game: Game) -> tuple[bool, dict]:
    """Theorem 5 (and Corollary 3 where it applies), every number derived; ``holds`` is
    Definition 14."""
    lam, rounds, delta = _parameters(cert)
    keys = ("fit", "lower_bound", "root_interval", "bound_interval")
    wit = fields(cert["witnesses"], "witnesses", keys, ("corollary_interval",))
    eps, _, _ = alignment(game, wit, simplex=True)
    low, width = unit_scale([game.alice, *game.utilities])
    opt = first_best(game)
    base = (opt - low) / width - 2 * eps / width
    square = zeta_squared(len(game.actions), rounds, delta)
    root = interval(wit["root_interval"], "witnesses.root_interval")
    require(
        root[0] >= 0 and root[0] ** 6 <= square <= root[1] ** 6,
        "witnesses.root_interval: does not enclose zeta^(1/3) = (3|A| / (K delta))^(1/6)",
    )
    claimed = interval(wit["bound_interval"], "witnesses.bound_interval")
    n = len(game.actions)
    require(
        proven(lambda b: inside(theorem_5_bound(base, lam, delta, root, n, b), claimed), claimed),
        "witnesses.bound_interval: not proven to hold Theorem 5's bound",
    )
    conclusion = {
        "lambda": lam,
        "rounds": Fraction(rounds),
        "delta_conv": delta,
        "zeta_squared": square,
        "root_interval": list(root),
        "first_best": opt,
        "epsilon": eps,
        "scale": {"low": low, "width": width},
        "bound_interval": list(claimed),
        "bound_interval_file_units": [low + width * claimed[0], low + width * claimed[1]],
        "substitutes": _verdict(_substitutes(game), game),
        "corollary_3": corollary_applies(square, lam),
    }
    require(
        ("corollary_interval" in wit) == conclusion["corollary_3"],
        "witnesses: corollary_interval goes with 10 lambda zeta^(1/3) <= 1/4 (Corollary 3)",
    )
    if conclusion["corollary_3"]:
        small = interval(wit["corollary_interval"], "witnesses.corollary_interval")
        require(
            proven(lambda b: inside(corollary_3_bound(base, lam, delta, root, n, b), small), small),
            "witnesses.corollary_interval: not proven to hold Corollary 3's bound",
        )
        conclusion["corollary_interval"] = list(small)
    return conclusion["substitutes"]["holds"], conclusion
