"""Definition 1 (simplex weights) and Remark 2 (non-negative weights): exact minimal epsilon."""

from __future__ import annotations

import itertools
from fractions import Fraction as F

from hypothesis import given

from persuasion.weighted_alignment import weighted_alignment
from persuasion.lp import check_certificate
from persuasion.testing import convex_combination_instances, instances


def fit_error(inst, weights, offset):
    """max_{a,y} |sum_i w_i U_i(a,y) + c - u_A(a,y)|, computed directly."""
    return max(
        abs(
            sum(w * s.utility[a][y] for w, s in zip(weights, inst.senders, strict=True))
            + offset
            - inst.alice_utility[a][y]
        )
        for a in range(inst.num_actions)
        for y in range(inst.num_states)
    )


def best_offset_error(inst, weights):
    """For fixed weights the best offset centres the residuals: error = (max - min) / 2."""
    residuals = [
        inst.alice_utility[a][y]
        - sum(w * s.utility[a][y] for w, s in zip(weights, inst.senders, strict=True))
        for a in range(inst.num_actions)
        for y in range(inst.num_states)
    ]
    return (max(residuals) - min(residuals)) / 2


def test_judge_prosecutor(catalog):
    """Appendix I: u_A = U_prosecutor + U_defense, so the non-negative error is 0 with weights (1,
    1); in the simplex the best is w = (1/2, 1/2), c = 3/4 with error 1/4."""
    inst = catalog("judge-prosecutor")
    simplex = weighted_alignment(inst)
    assert (simplex.epsilon, simplex.weights, simplex.offset) == (
        F(1, 4),
        (F(1, 2), F(1, 2)),
        F(3, 4),
    )
    nonneg = weighted_alignment(inst, simplex=False)
    assert (nonneg.epsilon, nonneg.weights, nonneg.offset) == (0, (1, 1), 0)
    check_certificate(simplex.certificate)
    check_certificate(nonneg.certificate)


def test_kg_prosecutor(catalog):
    inst = catalog("kg-prosecutor")
    assert weighted_alignment(inst).epsilon == 1
    assert weighted_alignment(inst, simplex=False).epsilon == F(1, 2)


def test_medical_is_the_simple_average(catalog):
    inst = catalog("medical")
    result = weighted_alignment(inst)
    assert result.epsilon == 0
    assert fit_error(inst, (F(1, 3),) * 3, F(0)) == 0


@given(convex_combination_instances(max_senders=3))
def test_epsilon_zero_inside_the_hull(inst):
    for simplex in (True, False):
        result = weighted_alignment(inst, simplex=simplex)
        assert result.epsilon == 0
        assert fit_error(inst, result.weights, result.offset) == 0


@given(instances(max_senders=3))
def test_epsilon_is_attained_and_beats_a_grid(inst):
    """The weights and offset returned achieve epsilon exactly; no grid point of the simplex does
    better."""
    simplex = weighted_alignment(inst)
    assert simplex.epsilon >= 0 and sum(simplex.weights) == 1 and min(simplex.weights) >= 0
    assert fit_error(inst, simplex.weights, simplex.offset) == simplex.epsilon
    k = inst.num_senders
    for combo in itertools.product(range(7), repeat=k):
        if sum(combo) == 6:
            assert best_offset_error(inst, [F(c, 6) for c in combo]) >= simplex.epsilon
    nonneg = weighted_alignment(inst, simplex=False)
    assert 0 <= nonneg.epsilon <= simplex.epsilon
    assert fit_error(inst, nonneg.weights, nonneg.offset) == nonneg.epsilon
    for combo in itertools.product(range(5), repeat=k):
        assert best_offset_error(inst, [F(c, 2) for c in combo]) >= nonneg.epsilon
