"""Every instance in instances/ with its exact answers pinned (from the paper and the
literature)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

import persuasion as ps

ROOT = Path(__file__).resolve().parent.parent

# slug: first_best, aligned_value, (epsilon, weights, offset), nonnegative epsilon,
#       Alice in the equilibrium found, Nash gap, bound value, bound holds
PINNED = {
    # Appendix I (Theorem 7): u_A = U_prosecutor + U_defense; OPT = 2; competition gives Alice 2.
    "judge-prosecutor": ("2", "2", ("1/4", ["1/2", "1/2"], "3/4"), "0", "2", "0", "2", True),
    # Kamenica-Gentzkow: the prosecutor's supremum 3/5 is unattained with ties to acquittal;
    # the eta-approximate scheme leaves the judge just above 7/10.
    "kg-prosecutor": ("1", "1", ("1", ["1"], "0"), "1/2", "1751/2500", "1/2500", "0", True),
    # Introduction: drug makers whose misaligned parts are zero-sum; Alice is their simple average.
    "medical": ("1", "1", ("0", ["1/3", "1/3", "1/3"], "0"), "0", "1", "0", "1", True),
    # Definition 8 with too few messages: U_A(C*) = 2/3 < OPT = 1.
    "aligned-3-states-2-messages": ("1", "2/3", ("0", ["1"], "0"), "0", "2/3", "0", "2/3", True),
    # Section E with two identical KG prosecutors: full revelation is an equilibrium (found first);
    # the oblivious start shows the hull-fails stall (test_selection.py).
    "two-prosecutors-selection": ("1", "1", ("1", ["0", "1"], "0"), "1/2", "1", "0", "0", True),
    # one sender aligned with Alice (eps = 0): revealing x_B is its best response, Alice gets OPT
    "xor-prior": ("1", "1", ("0", ["1"], "0"), "0", "1", "0", "1", True),
    "four-state-agreement": ("3/4", "3/4", ("0", ["1"], "0"), "0", "3/4", "0", "3/4", True),
}


def test_every_instance_is_pinned():
    assert sorted(p.stem for p in (ROOT / "instances").glob("*.json")) == sorted(PINNED)


@pytest.mark.parametrize("slug", sorted(PINNED))
def test_pinned_answers(slug):
    opt, aligned, (eps, weights, offset), nonneg, alice, gap, bound, holds = PINNED[slug]
    solution = ps.solve(ps.load(ROOT / "instances" / f"{slug}.json"))
    assert solution.first_best == Fraction(opt)
    assert solution.aligned_value == Fraction(aligned)
    assert solution.alignment.epsilon == Fraction(eps)
    assert solution.alignment.weights == tuple(Fraction(w) for w in weights)
    assert solution.alignment.offset == Fraction(offset)
    assert solution.alignment.nonnegative.epsilon == Fraction(nonneg)
    assert solution.equilibrium.alice_utility == Fraction(alice)
    assert solution.equilibrium.nash_gap == Fraction(gap)
    assert solution.bound.value == Fraction(bound)
    assert solution.bound.holds is holds
