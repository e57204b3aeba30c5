"""A sender's best deviation when Alice responds lambda-quantally, bounded from both sides (the
check of Definition 12).

With the other senders' schemes fixed, a scheme of sender ``i`` splits the prior
``p`` over the features ``x_B`` into posteriors ``beta_m`` (one per message, weights
``P(m)``, ``sum_m P(m) beta_m = p``), and its value is ``sum_m P(m) V(beta_m)``,
where ``V(beta)`` is sender ``i``'s expected utility given that their message
left ``beta`` over ``x_B``: over the situations ``e = (x_A, others' messages)``,
``sum_e sum_a q_e(a) sum_y w_e(y) U_i(a, y)`` with ``w_e(y) = sum_{x_B} beta(x_B)
c_e(x_B, y)``, ``c_e(x_B, y) = P(x_A, y | x_B) prod_{j != i} pi_j(m_j | x_B)`` and
``q_e`` Alice's quantal response to ``w_e``.  The best value is the concave
envelope of ``V`` at ``p`` (with at most ``|M_i|`` posteriors); ``V`` is not
concave, so it is bounded on a grid:

* **Lipschitz.** ``|V(beta) - V(beta')| <= L ||beta - beta'||_1`` with ``L = s_i/2 (1 + lambda
  s_A)``, ``s`` the utilities' spreads (max minus min).  Proof: shifting ``U_i`` by its
  mid-range changes ``V`` by a constant on the simplex (``sum_e |w_e| = 1``), so
  ``|U_i| <= s_i/2``.  Differentiating, ``dV = sum_e sum_a [dq_e(a) v_e(a) + q_e(a)
  dv_e(a)]``.  The second part is at most ``s_i/2 sum_e ||dw_e||_1 <= s_i/2
  ||dbeta||_1`` (``sum_{e, y} c_e(x_B, y) = 1``).  The first is ``lambda Cov_q(dmu_e,
  v_e)``, at most ``lambda ||dmu_e||_inf |w_e| s_i / 2`` (a covariance is at most the
  product of the half-ranges), and ``||dmu_e||_inf <= s_A ||dw_e||_1 / |w_e|`` (the
  normalised posterior moves by at most ``2 ||dw_e||_1 / |w_e|`` in ``l_1``); summed,
  ``lambda s_A s_i / 2 ||dbeta||_1``.  Where some ``|w_e|`` vanishes ``V`` stays
  continuous, so the bound holds along every segment.
* **Upper bound.** The grid ``G`` holds every posterior with denominators ``N``; every
  ``beta`` has a grid point within ``h = 2 floor(n/2) / N`` in ``l_1`` (round ``N beta``
  by largest remainders; ``n`` features of positive probability).  The exact LP ``max
  sum_g t_g V_lo(g)`` subject to ``sum_g t_g g = p``, ``t >= 0`` has a dual ``phi`` with
  ``phi . g >= V_lo(g)``; with ``s = max_g (V_hi(g) - phi . g)^+`` the affine
  ``l(beta) = phi . beta + s + (L + range(phi)/2) h`` lies above ``V`` everywhere, so
  every scheme is worth at most ``l(p)``.
* **Lower bound.** The LP's optimal ``t`` is a scheme when it uses at most ``|M_i|`` grid
  points (``pi(m_k | x_B) = t_k g_k(x_B) / p(x_B)``); its value is at least ``sum_k t_k
  V_lo(g_k)``.  Otherwise (or when it is worse) the sender's own scheme stands.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from flint import arb, ctx

from persuasion import limits
from persuasion.checker.quantal import BITS, interval, response, spread, values
from persuasion.errors import InputError
from persuasion.model import Instance, Profile, Scheme

LP_BITS = 40
"""The LP's objective ``V_lo(g)`` is rounded down to ``2**-LP_BITS`` (still a lower bound), so
that the exact LP works with short numbers; the dual repair ``s`` pays for the rounding."""


@dataclass(frozen=True)
class DeviationBounds:
    """Sender ``i``'s best deviation value lies in ``[lower, upper]``; ``scheme`` is worth at least
    ``lower`` (None: the LP's scheme needs more messages than the sender has)."""

    lower: Fraction
    upper: Fraction
    scheme: Scheme | None
    grid_step: int
    slack: Fraction


def feature_prior(instance: Instance) -> list[Fraction]:
    """``p(x_B) = sum_{x_A, y} P(x_A, x_B, y)``."""
    return [
        sum((sum(table[xb], Fraction(0)) for table in instance.prior), Fraction(0))
        for xb in range(len(instance.sender_features))
    ]


def heard_situations(
    instance: Instance, profile: Profile, sender: int, support: list[int], p: list[Fraction]
) -> list[list[list[Fraction]]]:
    """``c_e[k][y] = P(x_A, y | x_B) prod_{j != i} pi_j(m_j | x_B)`` for every situation ``e =
    (x_A, others' messages)`` of positive probability, ``x_B = support[k]``."""
    others = [s for j, s in enumerate(profile.schemes) if j != sender]
    found: dict[tuple, list[list[Fraction]]] = {}
    for k, xb in enumerate(support):
        rows = [[(m, q) for m, q in enumerate(s[xb]) if q] for s in others]
        for combo in itertools.product(*rows):
            weight = math.prod((q for _, q in combo), start=Fraction(1)) / p[xb]
            for xa, table in enumerate(instance.prior):
                if any(table[xb]):
                    key = (xa, tuple(m for m, _ in combo))
                    c = found.setdefault(
                        key, [[Fraction(0)] * instance.num_states for _ in support]
                    )
                    c[k] = [weight * v for v in table[xb]]
    return list(found.values())


def grid(n: int, steps: int) -> Iterator[tuple[int, ...]]:
    """Every ``(g_1, ..., g_n)`` of non-negative integers summing to ``steps``."""
    if n == 1:
        yield (steps,)
        return
    for first in range(steps, -1, -1):
        for rest in grid(n - 1, steps - first):
            yield (first, *rest)


def grid_step(n: int, per_point: int, budget: int) -> int:
    """The largest ``N`` (at most 4,096) whose grid's work ``C(N + n - 1, n - 1) * per_point`` fits
    ``budget``; 0 when not even ``N = 2`` fits."""
    best = 0
    for steps in itertools.chain(range(2, 64), range(64, 4097, 64)):
        if math.comb(steps + n - 1, n - 1) * per_point > budget:
            break
        best = steps
    return best


def value_interval(
    instance: Instance, sender: int, cells: list, g: tuple[int, ...], steps: int
) -> tuple[Fraction, Fraction]:
    """``V(g / steps)`` enclosed (see the module docstring)."""
    lam, utility = instance.protocol.lam, instance.senders[sender].utility
    total = arb(0)
    for c in cells:
        w = [
            sum(
                (Fraction(gk, steps) * row[y] for gk, row in zip(g, c, strict=True) if gk),
                Fraction(0),
            )
            for y in range(instance.num_states)
        ]
        if any(w):
            total += values(response(instance.alice_utility, w, lam), w, utility)
    return interval(total)


def deviation_bounds(
    instance: Instance, profile: Profile, sender: int, budget: int, source: str
) -> DeviationBounds:
    """Bounds on sender ``sender``'s best deviation value under quantal response (module
    docstring); the grid is the finest whose work fits ``budget``."""
    p = feature_prior(instance)
    support = [xb for xb, q in enumerate(p) if q]
    cells = heard_situations(instance, profile, sender, support, p)
    n = len(support)
    steps = grid_step(n, len(cells) * instance.num_actions, min(budget, limits.MAX_QRE_GRID_WORK))
    if not steps:
        raise InputError(
            source,
            f"sender {instance.senders[sender].name}'s deviation grid needs more than "
            f"MAX_QRE_GRID_WORK = {limits.MAX_QRE_GRID_WORK} evaluations even at step 1/2",
        )
    points = list(grid(n, steps))
    with ctx.workprec(BITS):
        enclosed = [value_interval(instance, sender, cells, g, steps) for g in points]
    phi, t = _grid_lp(points, [lo for lo, _ in enclosed], [p[xb] for xb in support], steps)
    upper, slack = _upper(instance, sender, points, enclosed, phi, [p[xb] for xb in support], steps)
    used = [(k, tk) for k, tk in enumerate(t) if tk]
    lower = sum((tk * enclosed[k][0] for k, tk in used), Fraction(0))
    scheme = None
    if len(used) <= len(instance.senders[sender].messages):
        scheme = _scheme(instance, sender, support, p, [(points[k], tk) for k, tk in used], steps)
    return DeviationBounds(lower, upper, scheme, steps, slack)


def _grid_lp(
    points: list[tuple[int, ...]], objective: list[Fraction], p: list[Fraction], steps: int
) -> tuple[list[Fraction], list[Fraction]]:
    """The exact LP over the grid: its dual ``phi`` (per unit of posterior) and primal ``t``."""
    from persuasion.lp import LinearProgram, solve

    lp = LinearProgram(sense="max")
    scale = 1 << LP_BITS
    cols = [lp.add_variable(objective=Fraction(math.floor(v * scale), scale)) for v in objective]
    for k, pk in enumerate(p):
        lp.add_constraint(
            {col: g[k] for col, g in zip(cols, points, strict=True) if g[k]}, "==", steps * pk
        )
    result = solve(lp)
    if result.status != "optimal":
        raise RuntimeError(f"the grid LP is {result.status}; it is always feasible and bounded")
    return [steps * y for y in result.y], list(result.x)


def _upper(
    instance: Instance,
    sender: int,
    points: list[tuple[int, ...]],
    enclosed: list[tuple[Fraction, Fraction]],
    phi: list[Fraction],
    p: list[Fraction],
    steps: int,
) -> tuple[Fraction, Fraction]:
    """``l(p) = phi . p + s + (L + range(phi)/2) h`` and the grid's share, ``(L + range(phi)/2)
    h``."""
    repair = max(
        Fraction(0),
        *(
            hi - sum((Fraction(gk, steps) * f for gk, f in zip(g, phi, strict=True)), Fraction(0))
            for g, (_, hi) in zip(points, enclosed, strict=True)
        ),
    )
    lam = instance.protocol.lam
    lipschitz = (
        spread(instance.senders[sender].utility) / 2 * (1 + lam * spread(instance.alice_utility))
    )
    mesh = Fraction(2 * (len(p) // 2), steps)
    slack = (lipschitz + (max(phi) - min(phi)) / 2) * mesh
    return sum((f * q for f, q in zip(phi, p, strict=True)), Fraction(0)) + repair + slack, slack


def _scheme(
    instance: Instance,
    sender: int,
    support: list[int],
    p: list[Fraction],
    chosen: list[tuple[tuple[int, ...], Fraction]],
    steps: int,
) -> Scheme:
    """``pi(m_k | x_B) = t_k g_k(x_B) / p(x_B)``; features of probability 0 send the first
    message."""
    messages = len(instance.senders[sender].messages)
    rows = []
    for xb in range(len(instance.sender_features)):
        row = [Fraction(0)] * messages
        if xb in support:
            k = support.index(xb)
            for m, (g, tk) in enumerate(chosen):
                row[m] = tk * Fraction(g[k], steps) / p[xb]
        else:
            row[0] = Fraction(1)
        rows.append(tuple(row))
    return tuple(rows)
