"""Hypothesis strategies for exact instances and profiles: property-test the paper's bounds.

Every number drawn is a small exact rational (a :class:`fractions.Fraction`),
so a property is checked with ``==`` and ``<=``, never with a tolerance.
Sizes are drawn first and small first, then denominators, then numerators,
so a failing example shrinks to a small, readable instance: two states, two
actions, one sender, utilities 0 and 1, denominators 1 or 2.

Strategies (hypothesis is the ``dev`` extra):

- :func:`rationals`, :func:`distributions`, :func:`utility_matrices`: numbers;
- :func:`instances`: instances of every shape the solver plays (sizes, Alice's
  and the senders' features, joint priors with zero cells, message limits,
  tie-break orders, both games of :data:`persuasion.games.GAMES`);
- :func:`profiles`: a profile of exact schemes for an instance;
- :func:`conversation_profiles`: the senders' rules in a conversation, by private history
  or not (:mod:`persuasion.conversation.rules`);
- families, by how Alice's utility ``u_A`` relates to the senders' ``U_i``
  (Definition 1's alignment error ``eps``):
  :func:`convex_combination_instances` (in the hull, ``eps = 0``),
  :func:`near_hull_instances` (``eps <= noise``),
  :func:`far_from_hull_instances` (``eps >= gap / 2``),
  :func:`zero_sum_instances` (every ``U_i = c_i - u_A``),
  :func:`identical_sender_instances` and :func:`duplicated_action_instances`;
  :func:`duplicate_action` is the map behind the last.

Examples
--------
>>> import persuasion as ps
>>> from hypothesis import given, settings
>>> from persuasion.testing import convex_combination_instances
>>> @settings(max_examples=5, deadline=None)
... @given(convex_combination_instances(max_states=2, max_actions=2))
... def test_alignment_is_exact(instance):
...     assert ps.alignment(instance).epsilon == 0
>>> test_alignment_is_exact()
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from hypothesis import settings
from hypothesis import strategies as st

from persuasion.model import Instance, Matrix, Profile, Protocol, Sender

if TYPE_CHECKING:
    from persuasion.conversation.rules import ConversationProfile

__all__ = [
    "REPEATABLE",
    "rationals",
    "distributions",
    "utility_matrices",
    "instances",
    "profiles",
    "conversation_profiles",
    "convex_combination_instances",
    "near_hull_instances",
    "far_from_hull_instances",
    "zero_sum_instances",
    "identical_sender_instances",
    "duplicated_action_instances",
    "duplicate_action",
]

Utilities = Callable[[Any, list[Sender]], Matrix]
"""``(draw, senders) -> u_A``: how a family chooses Alice's utility from the senders'."""

REPEATABLE = settings(max_examples=100, deadline=None, database=None, derandomize=True)
"""Settings that make :func:`hypothesis.find` repeatable: the same search, and so the same
shrunk example, in every run and under any loaded profile (the examples here use it)."""

SenderUtilities = Callable[[Any, int, int, int], list[Matrix]]
"""``(draw, num_senders, num_actions, num_states) -> [U_i]``: how a family chooses the senders'."""


def rationals(max_denominator: int = 4, low: int = 0, high: int = 1) -> st.SearchStrategy[Fraction]:
    """Exact rationals in ``[low, high]`` with denominators at most ``max_denominator``.

    The denominator is drawn first and shrinks to 1; the numerator shrinks to ``low``.

    Parameters
    ----------
    max_denominator : int
        The largest denominator drawn (at least 1).
    low, high : int
        The interval's ends.

    Returns
    -------
    SearchStrategy of Fraction

    Examples
    --------
    >>> from hypothesis import find
    >>> from persuasion.testing import REPEATABLE, rationals
    >>> find(rationals(4), lambda q: 0 < q < 1, settings=REPEATABLE)
    Fraction(1, 2)
    """
    return st.builds(
        lambda d, n: Fraction(n, d),
        st.integers(1, max_denominator),
        st.integers(0, max_denominator * (high - low)),
    ).map(lambda q: min(q + low, Fraction(high)))


@st.composite
def distributions(
    draw, size: int, max_weight: int = 4, allow_zero: bool = True
) -> tuple[Fraction, ...]:
    """An exact probability vector of length ``size``: integer weights, normalised.

    Parameters
    ----------
    size : int
        The vector's length (at least 1).
    max_weight : int
        The largest weight; denominators divide sums of weights up to ``size * max_weight``.
    allow_zero : bool
        Whether entries may be 0 (zero cells of a prior, unused messages).

    Returns
    -------
    tuple of Fraction
        Non-negative, summing to exactly 1.

    Examples
    --------
    >>> from hypothesis import find
    >>> from persuasion.testing import REPEATABLE, distributions
    >>> find(distributions(3), lambda p: p[2] > 0, settings=REPEATABLE)
    (Fraction(0, 1), Fraction(0, 1), Fraction(1, 1))
    """
    weights = draw(
        st.lists(st.integers(0 if allow_zero else 1, max_weight), min_size=size, max_size=size)
    )
    if not any(weights):
        weights[draw(st.integers(0, size - 1))] = 1
    total = sum(weights)
    return tuple(Fraction(w, total) for w in weights)


def utility_matrices(
    num_actions: int, num_states: int, max_denominator: int = 4
) -> st.SearchStrategy[Matrix]:
    """A ``num_actions x num_states`` utility matrix of rationals in ``[0, 1]``.

    Parameters
    ----------
    num_actions, num_states : int
        Rows (actions) and columns (states).
    max_denominator : int
        The largest denominator of an entry.

    Returns
    -------
    SearchStrategy of tuple of tuple of Fraction

    Examples
    --------
    >>> from hypothesis import find
    >>> from persuasion.testing import REPEATABLE, utility_matrices
    >>> find(utility_matrices(2, 2), lambda u: u[1][1] > u[0][0], settings=REPEATABLE)
    ((Fraction(0, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 1)))
    """
    row = st.lists(rationals(max_denominator), min_size=num_states, max_size=num_states).map(tuple)
    return st.lists(row, min_size=num_actions, max_size=num_actions).map(tuple)


@dataclass(frozen=True)
class _Shape:
    """The bounds :func:`instances` draws an instance within (its parameters)."""

    max_states: int
    max_actions: int
    max_senders: int
    max_alice_features: int
    max_messages: int | None
    alice_utility: Utilities | None
    min_senders: int
    max_sender_features: int | None
    max_denominator: int
    games: tuple[str, ...]
    sender_utilities: SenderUtilities | None


def instances(
    max_states: int = 3,
    max_actions: int = 3,
    max_senders: int = 2,
    max_alice_features: int = 1,
    max_messages: int | None = None,
    alice_utility: Utilities | None = None,
    *,
    min_senders: int = 1,
    max_sender_features: int | None = None,
    max_denominator: int = 4,
    games: Sequence[str] = ("simultaneous",),
    sender_utilities: SenderUtilities | None = None,
) -> st.SearchStrategy[Instance]:
    """A small one-round instance with an exact prior and rational utilities.

    Sizes are drawn first and shrink to the smallest; then the utilities, the tie-break
    order (shrinks to the actions' order), the prior (to one cell of probability 1), the game.

    Parameters
    ----------
    max_states, max_actions, max_senders, min_senders : int
        Bounds of ``|Y|`` and ``|A|`` (from 2) and of the number of senders.
    max_alice_features : int
        Bound of ``|X_A|``: with 1 (no ``max_sender_features``) the prior is over states only (the
        senders observe the state), with more a joint prior ``P(x_A, x_B, y)`` (cells may be 0).
    max_sender_features : int, optional
        Bound of ``|X_B|`` (from 1): the prior is then always joint, also with ``|X_A| = 1``
        (the senders see a noisy signal ``x_B`` of the state); by default ``|X_B| = |Y|``.
    max_messages : int, optional
        A message limit: each sender draws 1 to ``max_messages`` messages; by default
        ``|X_B|``, so any sender can reveal ``x_B`` (Remark 4).
    alice_utility, sender_utilities : callable, optional
        ``(draw, senders) -> u_A`` and ``(draw, k, |A|, |Y|) -> [U_i]``: how a family
        makes the utilities; by default they are drawn independently.
    max_denominator : int
        The largest denominator of a drawn utility.
    games : sequence of str
        Names of :data:`persuasion.games.GAMES` to draw the game from.

    Returns
    -------
    SearchStrategy of Instance

    Examples
    --------
    >>> from hypothesis import find
    >>> from persuasion.testing import REPEATABLE, instances
    >>> joint = instances(max_alice_features=2)
    >>> small = find(joint, lambda i: len(i.alice_features) == 2, settings=REPEATABLE)
    >>> small.states, small.actions, small.alice_features, small.sender_features
    (('y0', 'y1'), ('a0', 'a1'), ('xa0', 'xa1'), ('xb0', 'xb1'))
    >>> [s.messages for s in small.senders], small.protocol.tie_break, small.protocol.game
    ([('0', '1')], (0, 1), 'simultaneous')
    """
    return _instances(
        _Shape(max_states, max_actions, max_senders, max_alice_features, max_messages,
               alice_utility, min_senders, max_sender_features, max_denominator, tuple(games),
               sender_utilities)
    )  # fmt: skip


@st.composite
def _instances(draw, shape: _Shape) -> Instance:
    """The strategy behind :func:`instances`."""
    ny = draw(st.integers(2, shape.max_states))
    na = draw(st.integers(2, shape.max_actions))
    k = draw(st.integers(shape.min_senders, shape.max_senders))
    nxa = draw(st.integers(1, shape.max_alice_features))
    noisy = shape.max_sender_features is not None  # a joint prior, even with |X_A| = 1
    nxb = draw(st.integers(1, shape.max_sender_features)) if noisy else ny
    top = shape.max_messages
    counts = [draw(st.integers(1, top)) if top else nxb for _ in range(k)]
    drawn = utility_matrices(na, ny, shape.max_denominator)
    if shape.sender_utilities is None:
        utilities = [draw(drawn) for _ in range(k)]
    else:
        utilities = shape.sender_utilities(draw, k, na, ny)
    senders = [
        Sender(f"bob{i}", u, tuple(str(m) for m in range(n)))
        for i, (u, n) in enumerate(zip(utilities, counts, strict=True))
    ]
    alice = shape.alice_utility(draw, senders) if shape.alice_utility else draw(drawn)
    tie_break = tuple(draw(st.permutations(range(na))))
    states = tuple(f"y{j}" for j in range(ny))
    alice_features, sender_features, prior = _draw_prior(draw, nxa, nxb, states, noisy)
    games = shape.games
    game = draw(st.sampled_from(games)) if len(games) > 1 else games[0]
    return Instance(
        "generated",
        states,
        tuple(f"a{j}" for j in range(na)),
        alice_features,
        sender_features,
        prior,
        alice,
        tuple(senders),
        Protocol(tie_break=tie_break, game=game),
        state_only=nxa == 1 and not noisy,
    )


def _draw_prior(
    draw, nxa: int, nxb: int, states: tuple[str, ...], noisy: bool = False
) -> tuple[tuple, tuple, tuple]:
    """Alice's features, the senders' features and a prior for :func:`instances`: over states only
    (the senders observe the state) when ``nxa == 1`` and not ``noisy``, else a joint prior over
    ``nxa x nxb x |Y|`` cells, any of them possibly 0 (with ``nxa == 1``: the senders' signal
    ``x_B`` is a noisy view of the state)."""
    ny = len(states)
    if nxa == 1 and not noisy:
        p = draw(distributions(ny))
        prior = (
            tuple(tuple(p[y] if y == xb else Fraction(0) for y in range(ny)) for xb in range(ny)),
        )
        return ("none",), states, prior
    flat = draw(distributions(nxa * nxb * ny))
    prior = tuple(
        tuple(tuple(flat[(xa * nxb + xb) * ny + y] for y in range(ny)) for xb in range(nxb))
        for xa in range(nxa)
    )
    return tuple(f"xa{j}" for j in range(nxa)), tuple(f"xb{j}" for j in range(nxb)), prior


def _combination(weights: Sequence[Fraction], senders: list[Sender], offset: Fraction) -> Matrix:
    """``sum_i w_i U_i + c`` (Definition 1's fitted utility)."""
    rows, cols = len(senders[0].utility), len(senders[0].utility[0])
    return tuple(
        tuple(
            sum((w * s.utility[a][y] for w, s in zip(weights, senders, strict=True)), offset)
            for y in range(cols)
        )
        for a in range(rows)
    )


def convex_combination_instances(**kwargs: Any) -> st.SearchStrategy[Instance]:
    """Instances with Alice's utility in the senders' hull: ``u_A = sum_i w_i U_i + c`` exactly.

    The weights ``w`` are an exact distribution over the senders and the offset
    ``c`` lies in ``[-1, 1]`` (denominator at most 2), so Definition 1's
    alignment error is ``eps = 0`` and Theorem 1 promises Alice ``U_A(C*)`` at
    every equilibrium (when its identical-induced-distribution condition holds).

    Parameters
    ----------
    **kwargs
        Passed to :func:`instances` (all but ``alice_utility``).

    Returns
    -------
    SearchStrategy of Instance

    Examples
    --------
    >>> import persuasion as ps
    >>> from hypothesis import find
    >>> from persuasion.testing import REPEATABLE, convex_combination_instances
    >>> hull = convex_combination_instances()
    >>> two = find(hull, lambda i: i.num_senders == 2, settings=REPEATABLE)
    >>> ps.alignment(two).epsilon
    Fraction(0, 1)
    """

    def combine(draw, senders: list[Sender]) -> Matrix:
        return _combination(draw(distributions(len(senders))), senders, draw(rationals(2, -1, 1)))

    return instances(alice_utility=combine, **kwargs)


def near_hull_instances(
    noise: Fraction = Fraction(1, 4), **kwargs: Any
) -> st.SearchStrategy[Instance]:
    """Instances with Alice's utility near the hull: a convex combination plus ``eps``-noise.

    ``u_A = sum_i w_i U_i + c + N`` with every entry of ``N`` a multiple of
    ``noise / 2`` in ``[-noise, noise]``, so Definition 1's ``eps <= noise``.

    Parameters
    ----------
    noise : Fraction
        The largest noise in one entry (positive).
    **kwargs
        Passed to :func:`instances` (all but ``alice_utility``).

    Returns
    -------
    SearchStrategy of Instance

    Examples
    --------
    >>> import persuasion as ps
    >>> from fractions import Fraction
    >>> from hypothesis import find
    >>> from persuasion.testing import REPEATABLE, near_hull_instances
    >>> near = near_hull_instances(Fraction(1, 2))
    >>> noisy = find(near, lambda i: ps.alignment(i).epsilon > 0, settings=REPEATABLE)
    >>> 0 < ps.alignment(noisy).epsilon <= Fraction(1, 2)
    True
    """
    half = Fraction(noise) / 2

    def perturb(draw, senders: list[Sender]) -> Matrix:
        fit = _combination(draw(distributions(len(senders))), senders, draw(rationals(2, -1, 1)))
        steps = st.integers(-2, 2)
        return tuple(tuple(v + draw(steps) * half for v in row) for row in fit)

    return instances(alice_utility=perturb, **kwargs)


def far_from_hull_instances(
    gap: Fraction = Fraction(1), **kwargs: Any
) -> st.SearchStrategy[Instance]:
    """Instances with Alice's utility far from the hull: ``eps >= gap / 2``, with either weights.

    Two distinct cells ``(a, y)`` and ``(a', y')`` are drawn; every sender values
    them equally, and Alice values the second ``gap`` more.  Any ``sum_i w_i
    U_i + c`` is then equal on both cells, so it misses ``u_A`` by at least
    ``gap / 2`` on one of them (Definition 1 and Remark 2).

    Parameters
    ----------
    gap : Fraction
        How much more Alice values the second cell (positive).
    **kwargs
        Passed to :func:`instances` (all but ``alice_utility`` and ``sender_utilities``).

    Returns
    -------
    SearchStrategy of Instance

    Examples
    --------
    >>> import persuasion as ps
    >>> from fractions import Fraction
    >>> from hypothesis import find
    >>> from persuasion.testing import REPEATABLE, far_from_hull_instances
    >>> far = find(far_from_hull_instances(), lambda i: i.num_senders == 2, settings=REPEATABLE)
    >>> ps.alignment(far).epsilon >= Fraction(1, 2)
    True
    """

    @st.composite
    def strategy(draw) -> Instance:
        chosen: dict[str, tuple[int, int]] = {}

        def senders(draw, k: int, na: int, ny: int) -> list[Matrix]:
            first = draw(st.integers(0, na * ny - 1))
            second = (first + draw(st.integers(1, na * ny - 1))) % (na * ny)
            (a, y), (b, z) = chosen["cells"] = divmod(first, ny), divmod(second, ny)
            drawn = [draw(utility_matrices(na, ny)) for _ in range(k)]
            return [_set(u, b, z, u[a][y]) for u in drawn]

        def alice(draw, senders_: list[Sender]) -> Matrix:
            u = draw(utility_matrices(len(senders_[0].utility), len(senders_[0].utility[0])))
            (a, y), (b, z) = chosen["cells"]
            return _set(u, b, z, u[a][y] + Fraction(gap))

        return draw(instances(alice_utility=alice, sender_utilities=senders, **kwargs))

    return strategy()


def _set(matrix: Matrix, a: int, y: int, value: Fraction) -> Matrix:
    """``matrix`` with entry ``(a, y)`` replaced by ``value``."""
    return tuple(
        tuple(value if (r, c) == (a, y) else v for c, v in enumerate(row))
        for r, row in enumerate(matrix)
    )


def zero_sum_instances(**kwargs: Any) -> st.SearchStrategy[Instance]:
    """Zero-sum misalignment: every sender's utility is ``U_i = c_i - u_A``.

    Each sender gains exactly what Alice loses (up to a constant ``c_i`` in
    ``[0, 1]``).  Definition 1's error is then ``eps = max u_A - min u_A``
    (weights in the simplex), and a lone such sender keeps Alice at her value
    without information.

    Parameters
    ----------
    **kwargs
        Passed to :func:`instances` (all but ``alice_utility`` and ``sender_utilities``).

    Returns
    -------
    SearchStrategy of Instance

    Examples
    --------
    >>> from hypothesis import find
    >>> from persuasion.testing import REPEATABLE, zero_sum_instances
    >>> game = find(zero_sum_instances(), lambda i: i.alice_utility[0][0] == 1, settings=REPEATABLE)
    >>> bob = game.senders[0].utility
    >>> {u + v for a, b in zip(game.alice_utility, bob) for u, v in zip(a, b)}
    {Fraction(0, 1)}
    """

    @st.composite
    def strategy(draw) -> Instance:
        shared: dict[str, Matrix] = {}

        def senders(draw, k: int, na: int, ny: int) -> list[Matrix]:
            shared["alice"] = draw(utility_matrices(na, ny))
            offsets = [draw(rationals(2)) for _ in range(k)]
            return [tuple(tuple(c - v for v in row) for row in shared["alice"]) for c in offsets]

        return draw(
            instances(
                alice_utility=lambda draw, _: shared["alice"], sender_utilities=senders, **kwargs
            )
        )

    return strategy()


def identical_sender_instances(**kwargs: Any) -> st.SearchStrategy[Instance]:
    """Instances whose senders all have one utility (and, by default, as many messages).

    Competition between identical senders is no competition: the senders'
    hull is the one utility, so Definition 1's ``eps`` is its distance to ``u_A``.

    Parameters
    ----------
    **kwargs
        Passed to :func:`instances` (all but ``sender_utilities``).

    Returns
    -------
    SearchStrategy of Instance

    Examples
    --------
    >>> from hypothesis import find
    >>> from persuasion.testing import REPEATABLE, identical_sender_instances
    >>> pair = find(identical_sender_instances(), lambda i: i.num_senders == 2, settings=REPEATABLE)
    >>> pair.senders[0].utility == pair.senders[1].utility
    True
    """

    def same(draw, k: int, na: int, ny: int) -> list[Matrix]:
        return [draw(utility_matrices(na, ny))] * k

    return instances(sender_utilities=same, **kwargs)


def duplicate_action(instance: Instance, action: int, rank: int) -> Instance:
    """``instance`` with a copy of ``action`` appended as the last action.

    The copy (named with a prime) gives Alice and every sender exactly what
    ``action`` gives them in every state; it takes place ``rank`` of the
    tie-break order.  The other actions keep their positions, so a profile of
    ``instance`` is a profile of the new instance too, and Alice's utility at it
    is unchanged (she maximises; a tie does not change the maximum).  Placed
    next to ``action`` in the tie-break order (``rank`` its place or the
    next), the copy changes no sender's utility either; placed elsewhere it
    may, where Alice is indifferent between it and an action in between.

    Parameters
    ----------
    instance : Instance
        The instance.
    action : int
        The index of the action to copy.
    rank : int
        Where the copy goes in the tie-break order (0 is most preferred).

    Returns
    -------
    Instance

    Examples
    --------
    >>> import persuasion as ps
    >>> from persuasion.testing import duplicate_action
    >>> judge = ps.load("instances/judge-prosecutor.json")
    >>> twice = duplicate_action(judge, 1, 0)
    >>> twice.actions, twice.protocol.tie_break
    (('acquit', 'convict', "convict'"), (2, 0, 1))
    >>> ps.solve(twice).first_best == ps.solve(judge).first_best
    True
    """
    copy = instance.num_actions
    order = list(instance.protocol.tie_break)
    order.insert(rank, copy)
    senders = tuple(replace(s, utility=s.utility + (s.utility[action],)) for s in instance.senders)
    return replace(
        instance,
        actions=instance.actions + (instance.actions[action] + "'",),
        alice_utility=instance.alice_utility + (instance.alice_utility[action],),
        senders=senders,
        protocol=replace(instance.protocol, tie_break=tuple(order)),
    )


@st.composite
def duplicated_action_instances(draw, **kwargs: Any) -> Instance:
    """Instances with a duplicated action: :func:`duplicate_action` of a drawn instance.

    Parameters
    ----------
    **kwargs
        Passed to :func:`instances`.

    Returns
    -------
    SearchStrategy of Instance

    Examples
    --------
    >>> from hypothesis import find
    >>> from persuasion.testing import REPEATABLE, duplicated_action_instances
    >>> twice = find(duplicated_action_instances(), lambda i: True, settings=REPEATABLE)
    >>> twice.actions[:2], twice.actions[2] in ("a0'", "a1'")
    (('a0', 'a1'), True)
    """
    instance = draw(instances(**kwargs))
    action = draw(st.integers(0, instance.num_actions - 1))
    return duplicate_action(instance, action, draw(st.integers(0, instance.num_actions)))


@st.composite
def profiles(draw, instance: Instance, max_weight: int = 4) -> Profile:
    """A profile of exact schemes for ``instance``: one ``pi_i(m | x_B)`` per sender.

    Each row is a :func:`distributions` over the sender's messages, zeros
    allowed; a row shrinks to always sending the first message.

    Parameters
    ----------
    instance : Instance
        The instance the profile is for.
    max_weight : int
        The largest integer weight of a message before normalising.

    Returns
    -------
    SearchStrategy of Profile

    Examples
    --------
    >>> import persuasion as ps
    >>> from hypothesis import find
    >>> from persuasion.testing import REPEATABLE, profiles
    >>> judge = ps.load("instances/judge-prosecutor.json")
    >>> profile = find(profiles(judge), lambda p: True, settings=REPEATABLE)
    >>> ps.verify(judge, profile).nash_gap >= 0
    True
    """
    nb = len(instance.sender_features)
    return Profile(
        tuple(
            tuple(draw(distributions(len(s.messages), max_weight)) for _ in range(nb))
            for s in instance.senders
        )
    )


@st.composite
def conversation_profiles(draw, instance: Instance, max_weight: int = 4) -> ConversationProfile:
    """The senders' rules in ``instance``'s conversation (its ``rounds`` and ``alice_messages``).

    For each sender and sender feature, either one row that ignores the history or a table
    with a row (a :func:`distributions`) for *every* private history the sender can answer
    on; shrinks to rows that ignore the history.

    Parameters
    ----------
    instance : Instance
        The instance the rules are for; keep its conversation small (the tables grow as
        ``(|M_A| |M_i|)^rounds``).
    max_weight : int
        The largest integer weight of a message before normalising.

    Returns
    -------
    SearchStrategy of ConversationProfile

    Examples
    --------
    >>> import dataclasses
    >>> import persuasion as ps
    >>> from hypothesis import find
    >>> from persuasion.testing import REPEATABLE, conversation_profiles
    >>> judge = ps.load("instances/judge-prosecutor.json")
    >>> two = dataclasses.replace(
    ...     judge, protocol=dataclasses.replace(judge.protocol, rounds=2, alice_messages=2)
    ... )
    >>> rules = find(conversation_profiles(two), lambda p: not p.history_free, settings=REPEATABLE)
    >>> ps.converse(two, rules).alice_utility  # the first rule found tells Alice nothing
    Fraction(5, 3)
    """
    from persuasion.conversation.histories import answer_histories
    from persuasion.conversation.rules import ConversationProfile, HistoryTable

    p = instance.protocol
    rules = []
    for sender in instance.senders:
        m = len(sender.messages)
        rows: list = []
        for _ in instance.sender_features:
            if not draw(st.booleans()):
                rows.append(draw(distributions(m, max_weight)))
                continue
            every = answer_histories(p.alice_messages, p.rounds, lambda h: range(m))  # noqa: B023
            rows.append(HistoryTable(tuple((h, draw(distributions(m, max_weight))) for h in every)))
        rules.append(tuple(rows))
    return ConversationProfile(tuple(rules))
