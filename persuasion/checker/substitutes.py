"""The information substitutes condition (Definition 14, Frongillo et al. 2021), decided exactly.

For every action ``a`` and every pair of events ``x_A in A``, ``x_B in B``
(``A`` a non-empty set of Alice's features, ``B`` of the senders'), with
``E = {x_A in A, x_B in B}`` of positive probability and ``f = u_A(a, y)``,
Definition 14 asks

    E[(f - E[f | x_A in A, x_B])^2 | E] - E[(f - E[f | x_A, x_B])^2 | E]
        <= E[(f - E[f | E])^2 | E] - E[(f - E[f | x_A, x_B in B])^2 | E]

(learning ``x_A`` helps less once ``x_B`` is known).  Each mean squared error
is ``E[f^2 | E] - E[g^2 | E]`` for the predictor ``g`` it subtracts, so with
``p_ij = P(x_A = i, x_B = j)`` and ``m_ij = sum_y P(i, j, y) f(y)`` over the
cells of ``A x B`` the two sides are

    lhs = (sum_ij m_ij^2 / p_ij - sum_j m_.j^2 / p_.j) / P(E)
    rhs = (sum_i m_i.^2 / p_i. - m_..^2 / P(E)) / P(E)

(``E[f^2]`` cancels; terms of probability 0 are left out).  A singleton ``A``
gives ``lhs = rhs = 0`` (and a singleton ``B`` ``lhs = rhs``), so the largest
``lhs - rhs`` is 0 exactly when the condition holds.  Features of probability 0
are left out of the subsets (they change no event).  There are
``|A| (2^|X_A| - 1)(2^|X_B| - 1)`` checks:
:func:`substitutes` refuses more than ``MAX_SUBSTITUTE_CHECKS`` before any.

Standard library only: the kernel (:mod:`persuasion.checker.theorem5`) and
``persuasion agree`` share this one decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from persuasion.limits import MAX_SUBSTITUTE_CHECKS

ZERO = Fraction(0)


@dataclass(frozen=True)
class Violation:
    """One ``(action, A, B)`` where Definition 14 fails: ``lhs > rhs``, with both sides.

    ``alice`` and ``senders`` are feature indices (the events ``x_A in A``, ``x_B in B``).
    """

    action: int
    alice: tuple[int, ...]
    senders: tuple[int, ...]
    lhs: Fraction
    rhs: Fraction


@dataclass(frozen=True)
class Verdict:
    """Definition 14 on a prior: ``holds``; the checks made; how many fail; the worst failure
    (largest ``lhs - rhs``, the first in enumeration order on ties) or None."""

    holds: bool
    checks: int
    violations: int
    worst: Violation | None


def substitute_checks(prior: list, actions: int) -> int:
    """How many ``(action, A, B)`` :func:`substitutes` would check on ``prior[x_A][x_B][y]``."""
    alice, senders = _alive(prior)
    return actions * ((1 << len(alice)) - 1) * ((1 << len(senders)) - 1)


def _alive(prior: list) -> tuple[list[int], list[int]]:
    """Alice's and the senders' features of positive probability."""
    alice = [i for i, table in enumerate(prior) if any(any(row) for row in table)]
    senders = [j for j in range(len(prior[0])) if any(any(table[j]) for table in prior)]
    return alice, senders


def masses(prior: list, utility: list) -> tuple[list, list]:
    """``p[i][j]`` and ``m[i][j][a] = sum_y P(i, j, y) u_A(a, y)``."""
    p = [[sum(row, ZERO) for row in table] for table in prior]
    m = [[_values(row, utility) for row in table] for table in prior]
    return p, m


def _values(row: list[Fraction], utility: list) -> list[Fraction]:
    """``sum_y row[y] u_A(a, y)`` for every action ``a``."""
    return [sum((q * u for q, u in zip(row, urow, strict=True) if q), ZERO) for urow in utility]


def substitutes(prior: list, utility: list) -> Verdict:
    """Decide Definition 14 for ``prior[x_A][x_B][y]`` and Alice's ``utility[a][y]``.

    Raises
    ------
    ValueError
        Beyond ``MAX_SUBSTITUTE_CHECKS`` checks (one line naming the limit), before any.
    """
    checks = substitute_checks(prior, len(utility))
    if checks > MAX_SUBSTITUTE_CHECKS:
        raise ValueError(
            f"the information substitutes condition needs {checks} checks "
            f"(|A| (2^|X_A| - 1)(2^|X_B| - 1)); the limit is MAX_SUBSTITUTE_CHECKS = "
            f"{MAX_SUBSTITUTE_CHECKS} (see docs/reference/limits.md)"
        )
    alice, senders = _alive(prior)
    p, m = masses(prior, utility)
    worst, count = None, 0
    for a_mask in range(1, 1 << len(alice)):
        rows = [alice[k] for k in range(len(alice)) if a_mask >> k & 1]
        for b_mask in range(1, 1 << len(senders)):
            cols = [senders[k] for k in range(len(senders)) if b_mask >> k & 1]
            for found in _failures(p, m, rows, cols, len(utility)):
                count += 1
                if worst is None or found.lhs - found.rhs > worst.lhs - worst.rhs:
                    worst = found
    return Verdict(worst is None, checks, count, worst)


def sides(p: list, m: list, rows: list[int], cols: list[int], action: int) -> tuple:
    """``(lhs, rhs)`` of Definition 14 for ``action`` on ``A = rows``, ``B = cols`` (None when the
    event has probability 0)."""
    total = sum((p[i][j] for i in rows for j in cols), ZERO)
    if not total:
        return None
    both = sum((m[i][j][action] ** 2 / p[i][j] for i in rows for j in cols if p[i][j]), ZERO)
    by_sender = _squares(
        [sum((p[i][j] for i in rows), ZERO) for j in cols],
        [sum((m[i][j][action] for i in rows), ZERO) for j in cols],
    )
    by_alice = _squares(
        [sum((p[i][j] for j in cols), ZERO) for i in rows],
        [sum((m[i][j][action] for j in cols), ZERO) for i in rows],
    )
    whole = sum((m[i][j][action] for i in rows for j in cols), ZERO)
    return (both - by_sender) / total, (by_alice - whole * whole / total) / total


def _squares(masses: list[Fraction], sums: list[Fraction]) -> Fraction:
    """``sum_k sums_k^2 / masses_k`` over the cells of positive mass."""
    return sum((s * s / q for q, s in zip(masses, sums, strict=True) if q), ZERO)


def _failures(p: list, m: list, rows: list[int], cols: list[int], actions: int):
    """The violations of Definition 14 on the event ``A x B``, one per failing action."""
    if len(rows) == 1 or len(cols) == 1:  # a singleton side: lhs = rhs
        return
    for a in range(actions):
        found = sides(p, m, rows, cols, a)
        if found is not None and found[0] > found[1]:
            yield Violation(a, tuple(rows), tuple(cols), *found)
