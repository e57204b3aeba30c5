"""Hypothesis strategies for instances and profiles, for property-testing theorem bounds.

>>> from hypothesis import given
>>> from persuasion.testing import instances
>>> @given(instances(max_states=2))
... def test_first_best_is_at_least_silence(instance): ...

Every number drawn is a small exact rational, so properties can be checked
with ``==`` and ``<=``, never with a tolerance.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from persuasion.model import Instance, Profile, Protocol, Sender

__all__ = [
    "rationals",
    "distributions",
    "utility_matrices",
    "instances",
    "profiles",
    "convex_combination_instances",
]


def rationals(max_denominator: int = 4, low: int = 0, high: int = 1) -> st.SearchStrategy[Fraction]:
    """Rationals in ``[low, high]`` with denominators at most ``max_denominator``."""
    return st.builds(
        lambda d, n: Fraction(n, d),
        st.integers(1, max_denominator),
        st.integers(0, max_denominator * (high - low)),
    ).map(lambda q: min(q + low, Fraction(high)))


@st.composite
def distributions(
    draw, size: int, max_weight: int = 4, allow_zero: bool = True
) -> tuple[Fraction, ...]:
    """An exact probability vector of length ``size``."""
    weights = draw(
        st.lists(st.integers(0 if allow_zero else 1, max_weight), min_size=size, max_size=size)
    )
    if not any(weights):
        weights[draw(st.integers(0, size - 1))] = 1
    total = sum(weights)
    return tuple(Fraction(w, total) for w in weights)


def utility_matrices(
    num_actions: int, num_states: int, max_denominator: int = 4
) -> st.SearchStrategy:
    """A ``num_actions x num_states`` matrix of rationals in [0, 1]."""
    row = st.lists(rationals(max_denominator), min_size=num_states, max_size=num_states).map(tuple)
    return st.lists(row, min_size=num_actions, max_size=num_actions).map(tuple)


@st.composite
def instances(
    draw,
    max_states: int = 3,
    max_actions: int = 3,
    max_senders: int = 2,
    max_alice_features: int = 1,
    max_messages: int | None = None,
    alice_utility=None,
) -> Instance:
    """A small simultaneous one-round instance with a joint prior and random rational utilities.

    With ``max_alice_features == 1`` the prior is over states only (the
    senders observe the state).  ``alice_utility``, if given, is a function
    ``(draw, senders) -> matrix`` that chooses Alice's utility.
    """
    ny = draw(st.integers(2, max_states))
    na = draw(st.integers(2, max_actions))
    k = draw(st.integers(1, max_senders))
    nxa = draw(st.integers(1, max_alice_features))
    states = tuple(f"y{j}" for j in range(ny))
    actions = tuple(f"a{j}" for j in range(na))
    senders = []
    for i in range(k):
        m = draw(st.integers(1, max_messages)) if max_messages else ny
        senders.append(
            Sender(f"bob{i}", draw(utility_matrices(na, ny)), tuple(str(j) for j in range(m)))
        )
    alice = alice_utility(draw, senders) if alice_utility else draw(utility_matrices(na, ny))
    tie_break = tuple(draw(st.permutations(range(na))))
    alice_features, sender_features, prior = _draw_prior(draw, nxa, states)
    return Instance(
        "generated",
        states,
        actions,
        alice_features,
        sender_features,
        prior,
        alice,
        tuple(senders),
        Protocol(tie_break=tie_break),
        state_only=nxa == 1,
    )


def _draw_prior(draw, nxa: int, states: tuple[str, ...]) -> tuple[tuple, tuple, tuple]:
    """Alice's features, the senders' features and a prior for :func:`instances`: over states only
    (the senders observe the state) when ``nxa == 1``, else a joint prior with ``|X_B| = |Y|``."""
    ny = len(states)
    if nxa == 1:
        p = draw(distributions(ny))
        prior = (
            tuple(tuple(p[y] if y == xb else Fraction(0) for y in range(ny)) for xb in range(ny)),
        )
        return ("none",), states, prior
    nxb = ny
    flat = draw(distributions(nxa * nxb * ny))
    prior = tuple(
        tuple(tuple(flat[(xa * nxb + xb) * ny + y] for y in range(ny)) for xb in range(nxb))
        for xa in range(nxa)
    )
    return tuple(f"xa{j}" for j in range(nxa)), tuple(f"xb{j}" for j in range(nxb)), prior


def convex_combination_instances(**kwargs) -> st.SearchStrategy[Instance]:
    """Instances where Alice's utility is exactly a convex combination of the senders' plus an
    offset."""

    def combine(draw, senders):
        w = draw(distributions(len(senders)))
        c = draw(rationals(2, -1, 1))
        na, ny = len(senders[0].utility), len(senders[0].utility[0])
        return tuple(
            tuple(
                sum((wi * s.utility[a][y] for wi, s in zip(w, senders, strict=True)), c)
                for y in range(ny)
            )
            for a in range(na)
        )

    return instances(alice_utility=combine, **kwargs)


@st.composite
def profiles(draw, instance: Instance) -> Profile:
    """A profile of random exact schemes for ``instance``."""
    nb = len(instance.sender_features)
    return Profile(
        tuple(
            tuple(draw(distributions(len(s.messages))) for _ in range(nb)) for s in instance.senders
        )
    )
