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
  by largest remainders; ``n`` features of positive probability).  The LP ``max sum_g t_g
  V_lo(g)`` subject to ``sum_g t_g g = p``, ``t >= 0`` has a dual ``phi`` with ``phi . g
  >= V_lo(g)``.  HiGHS solves it in floats (the exact pipeline of :mod:`persuasion.lp`
  took minutes on 18,721 columns), and nothing trusts them: ``phi`` is read as exact
  rationals and raised by ``s = max_g (V_hi(g) - phi . g)^+``, so that the affine
  ``l(beta) = phi . beta + s + (L + range(phi)/2) h`` lies above ``V`` everywhere, and
  every scheme is worth at most ``l(p)``.
* **Lower bound.** The grid points the LP uses, at most ``|M_i|`` of them, with the exact
  weights ``t >= 0`` solving ``sum_k t_k g_k = p``, make a scheme (``pi(m_k | x_B) = t_k
  g_k(x_B) / p(x_B)``) worth at least ``sum_k t_k V_lo(g_k)``.  Otherwise (or when it is
  worse) the sender's own scheme stands.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from flint import arb, ctx, fmpq

from persuasion import limits
from persuasion.checker.quantal import BITS, ball, interval, softmax_balls, spread
from persuasion.errors import InputError
from persuasion.model import Instance, Profile, Scheme
from persuasion.rationals import to_fraction


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


@dataclass(frozen=True)
class Tables:
    """Per situation ``e`` and feature ``k`` of the support: the mass ``sum_y c_e[k][y]`` (exact,
    to skip situations of probability 0) and, as balls, ``sum_y c_e[k][y] u_A(a, y)`` and ``sum_y
    c_e[k][y] U_i(a, y)`` for every action: ``V`` at a grid point is then linear algebra on
    balls."""

    mass: list[list[Fraction]]
    alice: list[list[list[arb]]]
    """Alice's, relative to her first action (``u_A(a, y) - u_A(0, y)``)."""
    sender: list[list[list[arb]]]


def tables(instance: Instance, sender: int, cells: list) -> Tables:
    """The :class:`Tables` of sender ``sender``'s situations ``cells`` (made at :data:`BITS`)."""
    utility = instance.senders[sender].utility
    first = instance.alice_utility[0]  # softmax ignores a common shift: exponents stay small
    relative = [[u - v for u, v in zip(row, first, strict=True)] for row in instance.alice_utility]

    def row_values(matrix, row) -> list[arb]:
        return [
            ball(sum((c * u for c, u in zip(row, urow, strict=True)), Fraction(0)))
            for urow in matrix
        ]

    return Tables(
        mass=[[sum(row, Fraction(0)) for row in c] for c in cells],
        alice=[[row_values(relative, row) for row in c] for c in cells],
        sender=[[row_values(utility, row) for row in c] for c in cells],
    )


def value_interval(
    t: Tables, lam: Fraction, g: tuple[int, ...], steps: int
) -> tuple[Fraction, Fraction]:
    """``V(g / steps)`` enclosed (see the module docstring): over the situations of positive
    probability, ``sum_a q(a) v(a)`` with ``q = softmax(lambda mu)``, ``mu = A w / |w|``."""
    total = arb(0)
    scale = ball(lam)
    for mass, alice, mine in zip(t.mass, t.alice, t.sender, strict=True):
        used = [(gk, k) for k, gk in enumerate(g) if gk and mass[k]]
        if not used:
            continue
        weight = sum(gk * mass[k] for gk, k in used)
        mu = [sum((gk * alice[k][a] for gk, k in used), arb(0)) for a in range(len(alice[0]))]
        q = softmax_balls([scale * m / ball(weight) for m in mu])
        for a, qa in enumerate(q):
            total += qa * sum((gk * mine[k][a] for gk, k in used), arb(0))
    return interval(total / steps)


def deviation_bounds(
    instance: Instance, profile: Profile, sender: int, budget: int, source: str
) -> DeviationBounds:
    """Bounds on sender ``sender``'s best deviation value under quantal response (module
    docstring); each grid is the finest whose work fits ``budget``.

    Alice tells the senders her round-1 report ``mu(x_A)`` (Definition 10), so a deviation may
    answer each report class of ``x_A`` differently
    (:func:`~persuasion.qre.conversation.report_classes`).  With several classes, the upper
    bound is the sum over classes ``c`` of ``P(c)`` times the bound in the game conditioned on
    ``x_A in c`` (the sender's value splits over the classes, and so does its supremum); the
    lower bound stays a scheme's, which ignores the report (a deviation too)."""
    from persuasion.qre.conversation import report_classes

    found = _grid_bounds(instance, profile, sender, budget, source)
    classes = report_classes(instance)
    if len(classes) < 2:
        return found
    upper = slack = Fraction(0)
    for members in classes:
        mass = sum((sum(map(sum, instance.prior[xa]), Fraction(0)) for xa in members), Fraction(0))
        prior = tuple(
            tuple(tuple(v / mass if xa in members else Fraction(0) for v in row) for row in table)
            for xa, table in enumerate(instance.prior)
        )
        part = _grid_bounds(
            dataclasses.replace(instance, prior=prior), profile, sender, budget, source
        )
        upper += mass * part.upper
        slack += mass * part.slack
    return dataclasses.replace(found, upper=upper, slack=slack)


def _grid_bounds(
    instance: Instance, profile: Profile, sender: int, budget: int, source: str
) -> DeviationBounds:
    """The bounds of the module docstring, on one grid."""
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
        made = tables(instance, sender, cells)
        enclosed = [value_interval(made, instance.protocol.lam, g, steps) for g in points]
    phi, used = _grid_lp(points, [lo for lo, _ in enclosed], [p[xb] for xb in support], steps)
    upper, slack = _upper(instance, sender, points, enclosed, phi, [p[xb] for xb in support], steps)
    used = [(k, tk) for k, tk in used if tk]
    lower = sum((tk * enclosed[k][0] for k, tk in used), Fraction(0))
    scheme = None
    if used and len(used) <= len(instance.senders[sender].messages):
        scheme = _scheme(instance, sender, support, p, [(points[k], tk) for k, tk in used], steps)
    return DeviationBounds(lower, upper, scheme, steps, slack)


def _grid_lp(
    points: list[tuple[int, ...]], objective: list[Fraction], p: list[Fraction], steps: int
) -> tuple[list[Fraction], list[tuple[int, Fraction]]]:
    """The LP over the grid, solved by HiGHS in floats: its dual ``phi`` (made exact rationals;
    :func:`_upper` repairs any infeasibility, so the upper bound never trusts the floats) and the
    exact weights of its support (:func:`_support`), or no weights."""
    import highspy
    import numpy as np

    from persuasion.lp.highs import made_quietly

    h = made_quietly()  # no banner on the user's stdout
    h.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(points), len(p)
    lp.col_cost_ = np.array([-float(v) for v in objective])  # HiGHS minimises
    lp.col_lower_ = np.zeros(len(points))
    lp.col_upper_ = np.full(len(points), highspy.kHighsInf)
    lp.row_lower_ = lp.row_upper_ = np.array([float(q) for q in p])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(0, len(p) * len(points) + 1, len(p), dtype=np.int32)
    lp.a_matrix_.index_ = np.tile(np.arange(len(p), dtype=np.int32), len(points))
    lp.a_matrix_.value_ = np.array([gk / steps for g in points for gk in g], dtype=float)
    h.passModel(lp)
    h.run()
    solution = h.getSolution()
    phi = [-Fraction(float(y)) for y in solution.row_dual]
    chosen = [k for k, t in enumerate(solution.col_value) if t > 1e-12]
    return phi, _support([points[k] for k in chosen], chosen, p, steps)


def _support(
    chosen: list[tuple[int, ...]], index: list[int], p: list[Fraction], steps: int
) -> list[tuple[int, Fraction]]:
    """Exact non-negative weights ``t`` with ``sum_k t_k g_k = p`` on the grid points the float LP
    chose (``[]`` when they have none, e.g. more than ``|X_B|`` points or a singular system)."""
    from flint import fmpq_mat

    if not chosen or len(chosen) > len(p):
        return []
    rows = [[Fraction(g[k], steps) for g in chosen] + [p[k]] for k in range(len(p))]
    flat = [v for row in rows for v in row]
    reduced, rank = fmpq_mat(
        len(p), len(chosen) + 1, [fmpq(v.numerator, v.denominator) for v in flat]
    ).rref()
    if rank != len(chosen):  # inconsistent (rank of the augmented matrix too high) or singular
        return []
    t = [to_fraction(reduced[k, len(chosen)]) for k in range(len(chosen))]
    return list(zip(index, t, strict=True)) if all(v >= 0 for v in t) else []


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
