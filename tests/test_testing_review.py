"""``persuasion.testing.instances`` draws what it says (review of issue 10, finding 12): with
``max_sender_features`` and ``|X_A| = 1`` a joint prior where the senders' signal is a noisy view of
the state, never a silently ignored bound."""

from __future__ import annotations

from hypothesis import find, given, settings

from persuasion.testing import REPEATABLE, instances


@settings(max_examples=30, deadline=None)
@given(instances(max_alice_features=1, max_sender_features=2, max_states=3))
def test_max_sender_features_bounds_x_b_also_when_alice_has_one_feature(instance):
    assert len(instance.alice_features) == 1 and 1 <= len(instance.sender_features) <= 2
    assert not instance.state_only


def test_a_noisy_signal_with_one_alice_feature_is_drawn():
    def noisy(instance) -> bool:  # some x_B is consistent with two states: x_B is not y
        return any(sum(1 for p in row if p) > 1 for row in instance.prior[0])

    found = find(instances(max_alice_features=1, max_sender_features=2), noisy, settings=REPEATABLE)
    assert len(found.alice_features) == 1 and noisy(found)
