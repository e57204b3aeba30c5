"""Does a scheme reach the supremum under Alice's real tie-break, and if not, how closely?

The route (:mod:`persuasion.routes`) finds the supremum with ties counted in
the sender's favour; Alice breaks them by her fixed order (Definition 4), so
the supremum may be unattained (Kamenica-Gentzkow's prosecutor, ties to
acquittal: 3/5 is approached, never reached).  :func:`attain` decides
attainment exactly (:func:`persuasion.room.good_solution`) and, when it fails,
returns a scheme whose *actual* value, computed with Alice's real tie-break, is
within a rational ``eta`` of the supremum.
"""

from __future__ import annotations

from fractions import Fraction

from persuasion.inducible import witness
from persuasion.limited import optimal_sets
from persuasion.obedience import Candidate, Column
from persuasion.problem import ResponseVector, SenderProblem
from persuasion.room import good_solution, room
from persuasion.support import reduce_support
from persuasion.supremum import Supremum

HALVINGS = 64
"""Halvings of ``e`` tried before :func:`_approximation` jumps to the scale of ``eta`` (a tiny
``--eta`` such as ``1e-9999`` needs far more than 64 halvings), then as many again."""

ROUNDING = (10, 100, 1000, 10**4, 10**6, 10**9)
"""Denominators tried, in order, for the probabilities of an eta-approximate scheme."""


def attain(
    problem: SenderProblem, found: Supremum, eta: Fraction
) -> tuple[bool | None, list[Column]]:
    """Whether ``found.value`` is attained (``None``: not decided) and the scheme to return.

    The scheme attains the supremum when ``attained`` is True; otherwise its
    actual value is within ``eta`` of it when an approximation was found.
    Attainment is decided only when the supremum is exact: a scheme with at
    most ``m`` messages reaching it is looked for over ``found.candidates``.
    """
    value, m = found.value, problem.messages
    optimum = list(found.optimum)
    phis = [phi for _, phi in optimum]
    if problem.meets_floor(phis) and problem.actual_value(phis) == value:
        return True, optimum
    attained: bool | None = None
    if found.optimality == "exact":
        attained = False
        good = _attaining(problem, found.candidates, value)
        if good is not None and len(good) > m:
            # Reached only with more messages than the sender has (enough for the LP's optimum,
            # not for this scheme).  A scheme with at most m messages that reaches ``value``
            # induces a set of at most m vectors with room and LP value ``value``: one of the
            # limited problem's optimal sets, all within the candidates' union, so those decide
            # (unless there are too many).
            sets = optimal_sets(
                problem, list(dict.fromkeys(r for c in found.candidates for r in c.vectors))
            )
            good = (
                None
                if sets is None
                else _attaining(problem, [Candidate(tuple(c)) for c in sets], value)
            )
            attained = None if sets is None else False
        if good is not None:
            return True, good
    usable = room(problem, list(found.support))
    mixer = (
        _towards_room(problem, optimum, usable)
        if usable is not None
        else _towards_witnesses(problem, optimum)
    )
    return attained, _approximation(problem, value, eta, mixer) or optimum


def _attaining(problem: SenderProblem, candidates, value: Fraction) -> list[Column] | None:
    """A scheme over one of the ``candidates`` (:class:`persuasion.obedience.Candidate`) that
    reaches ``value`` under Alice's real tie-break (support reduced), or None."""
    for candidate in candidates:
        good = good_solution(problem, list(candidate.vectors), value, candidate.sent_at)
        if good is not None:
            return reduce_support(problem, good)
    return None


def _within(problem: SenderProblem, columns: list[Column], target: Fraction) -> bool:
    """Is ``columns`` a usable scheme worth at least ``target`` under Alice's real tie-break?"""
    phis = [phi for _, phi in columns]
    return (
        len(columns) <= problem.messages
        and problem.meets_floor(phis)
        and problem.actual_value(phis) >= target
    )


def _approximation(
    problem: SenderProblem, value: Fraction, eta: Fraction, mixer
) -> list[Column] | None:
    """Halve ``e`` until the scheme ``mixer(e)`` is within ``eta / 2`` of ``value`` under Alice's
    real tie-break, then prefer a nearby scheme with short numbers that is still within ``eta``
    (:func:`_rounded`): best-response dynamics feed each scheme into the others' programs, and long
    numerators would compound from round to round."""
    e = _first_halving(problem, value, eta, mixer)
    for step in range(2 * HALVINGS):
        mix = reduce_support(problem, mixer(e))
        if _within(problem, mix, value - eta / 2):
            for denominator in ROUNDING:
                rounded = _rounded(problem, mix, denominator)
                if rounded is not None and _within(problem, rounded, value - eta):
                    return rounded
            return mix
        if step == HALVINGS - 1:  # the shortfall shrinks with e: jump to where it would be eta / 2
            shortfall = value - problem.actual_value([phi for _, phi in mix])
            if shortfall > eta / 2:
                e *= eta / (2 * shortfall)
        e /= 2
    return None


def _first_halving(problem: SenderProblem, value: Fraction, eta: Fraction, mixer) -> Fraction:
    """The ``e = 2**-k`` to start halving from: one halving before where the shortfall would reach
    ``eta / 2`` if it fell linearly with ``e`` from its value at ``e = 1`` (it does while every
    message keeps its vector: the sender's value is then linear along the segment), so the halvings
    before it, each a support reduction and an exact evaluation, are skipped (from bit lengths: an
    underestimate)."""
    shortfall = value - problem.actual_value([phi for _, phi in mixer(Fraction(1))])
    if shortfall <= 0:
        return Fraction(1)
    ratio = 2 * shortfall / eta
    return Fraction(
        1, 2 ** max(0, ratio.numerator.bit_length() - ratio.denominator.bit_length() - 2)
    )


def rounded_distribution(row, denominator: int) -> tuple[Fraction, ...] | None:
    """``row`` (a probability vector) rounded to multiples of ``1/denominator``; its largest entry
    takes what rounding left over, so it still sums to 1 (None if that makes it negative)."""
    new = [Fraction(round(p * denominator), denominator) for p in row]
    largest = max(range(len(new)), key=new.__getitem__)
    new[largest] += 1 - sum(new)
    if new[largest] < 0:
        return None
    return tuple(new)


def _rounded(
    problem: SenderProblem, columns: list[Column], denominator: int
) -> list[Column] | None:
    """The scheme with every probability rounded to a multiple of ``1/denominator`` (rows still sum
    to 1)."""
    rows = [
        rounded_distribution([phi[xb] for _, phi in columns], denominator)
        for xb in range(problem.num_features)
    ]
    if None in rows:
        return None
    phis = [tuple(row[k] for row in rows) for k in range(len(columns))]
    return _merge(problem, [phi for phi in phis if any(phi)])


def _towards_witnesses(problem: SenderProblem, optimum: list[Column]):
    """``e -> (1 - e) phi* + e (witnesses, then full revelation of the rest)``, as actual columns.

    Each optimal column is pulled towards a message ``x0_r`` that induces its
    vector strictly (:func:`persuasion.inducible.witness`), with weight
    ``e / |support|``; what is left of the distribution is revealed outright.
    Every column then induces exactly what it recommends, so the value tends
    to the supremum as ``e`` falls.  Needs up to ``|support| + |X_B|``
    messages before :func:`reduce_support` brings them to ``|X_B|``.
    """
    n = len(optimum)
    witnesses = [witness(problem, list(enumerate(r))) for r, _ in optimum]

    def mixer(e: Fraction) -> list[Column]:
        columns = [
            tuple((1 - e) * p + e * w / n for p, w in zip(phi, x0, strict=True))
            for (_, phi), x0 in zip(optimum, witnesses, strict=True)
        ]
        rest = [1 - sum(c[xb] for c in columns) for xb in range(problem.num_features)]
        for xb, left in enumerate(rest):
            if left:
                columns.append(
                    tuple(left if j == xb else Fraction(0) for j in range(problem.num_features))
                )
        return _merge(problem, columns)

    return mixer


def _towards_room(problem: SenderProblem, optimum: list[Column], usable: list[Column]):
    """``e -> (1 - e) phi* + e psi``: ``psi`` uses every vector of the optimum's set, each strictly
    induced."""
    best = dict(optimum)

    def mixer(e: Fraction) -> list[Column]:
        return _merge(
            problem,
            [
                tuple(
                    (1 - e) * p + e * q
                    for p, q in zip(best.get(r, (0,) * len(psi)), psi, strict=True)
                )
                for r, psi in usable
            ],
        )

    return mixer


def _merge(problem: SenderProblem, columns: list[tuple[Fraction, ...]]) -> list[Column]:
    """Label columns with the vector Alice actually follows; merge columns that share one."""
    merged: dict[ResponseVector, tuple[Fraction, ...]] = {}
    for phi in columns:
        r = tuple(problem.response_at(t, phi) for t in range(problem.num_situations))
        old = merged.get(r)
        merged[r] = phi if old is None else tuple(a + b for a, b in zip(old, phi, strict=True))
    return list(merged.items())
