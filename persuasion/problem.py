"""One sender's persuasion problem, with everything else held fixed.

When sender ``i`` deviates in the one-round simultaneous game (Definition 7)
and the other senders' schemes stay fixed, Alice's *situation* before she
reads sender ``i``'s message is ``t = (x_A, m_{-i})``: her own features and
the other senders' messages.  Sender ``i`` then faces a privately informed
receiver (Kolotilin et al. 2017; the "type" is the situation), and

    q[t][x_B][y] = P(x_A, x_B, y) * prod_{j != i} pi_j(m_j | x_B)

is all that matters about the rest of the game.  The aligned benchmark of
Definition 8 is the same problem with one sender whose utility is Alice's and
no other senders (then ``t = x_A``).

A *response vector* ``r`` assigns an action to every situation; it is the
"recommendation" of the revelation principle (a policy mapping Alice's
features and the other senders' messages to an action).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from flint import fmpq

from persuasion.lp.model import scale_to_integers
from persuasion.model import Instance, Matrix, Profile
from persuasion.rationals import to_fmpq, to_fraction
from persuasion.receiver import tie_broken_argmax

ResponseVector = tuple[int, ...]
"""An action for every situation of a :class:`SenderProblem`."""


@dataclass(frozen=True)
class SenderProblem:
    """The data of one sender's best-response problem.

    ``q[t][x_B][y]`` is the module docstring's ``q``: the probability of the sender's feature
    ``x_B`` and the state ``y`` jointly with situation ``t`` (named by ``keys[t]``), before the
    sender's own message; situations of probability zero are left out.
    ``alice_values[t][x_B][a] = sum_y q[t][x_B][y] u_A(a, y)`` and
    ``sender_values[t][x_B][a] = sum_y q[t][x_B][y] U(a, y)``: linear in the
    sender's scheme, they are all the programs need.  ``messages`` is how many
    messages the sender may use.  ``alice_floor``, if set, restricts the
    sender to schemes worth at least that much to Alice (strictly more with
    ``floor_strict``): the best-AI selection game's condition for being
    chosen (Section E).
    """

    num_features: int
    keys: tuple[tuple, ...]
    q: tuple[tuple[tuple[Fraction, ...], ...], ...]
    alice_values: tuple[tuple[tuple[Fraction, ...], ...], ...]
    sender_values: tuple[tuple[tuple[Fraction, ...], ...], ...]
    tie_break: tuple[int, ...]
    messages: int
    num_actions: int
    alice_floor: Fraction | None = None
    floor_strict: bool = False

    @property
    def num_situations(self) -> int:
        return len(self.q)

    def rank(self, action: int) -> int:
        """Position of ``action`` in Alice's tie-break order (0 = preferred)."""
        return self.tie_break.index(action)

    def advantage(self, t: int, a: int, other: int, x_b: int) -> Fraction:
        """Alice's advantage of ``a`` over ``other`` in situation ``t`` at ``x_B``: the coefficient
        of ``phi(x_B)`` in her preference for ``a`` (an obedience row's coefficient)."""
        row = self.alice_values[t][x_b]
        return row[a] - row[other]

    def obedience(self, t: int, a: int) -> list[tuple[int, bool, dict[int, Fraction]]]:
        """The constraints that make Alice play ``a`` in situation ``t``.

        One ``(other, strict, coefficients)`` per other action: Alice must
        like ``a`` at least as much as ``other``, strictly when ``other``
        comes earlier in the tie-break.  ``coefficients`` maps ``x_B`` to its
        non-zero coefficient.
        """
        return self._obedience[t][a]

    @cached_property
    def _obedience(self) -> list[list[list[tuple[int, bool, dict[int, Fraction]]]]]:
        rank = [self.rank(a) for a in range(self.num_actions)]
        return [
            [
                [
                    (
                        other,
                        rank[other] < rank[a],
                        {
                            xb: g
                            for xb in range(self.num_features)
                            if (g := self.advantage(t, a, other, xb))
                        },
                    )
                    for other in range(self.num_actions)
                    if other != a
                ]
                for a in range(self.num_actions)
            ]
            for t in range(self.num_situations)
        ]

    def obedience_rows(
        self, t: int, a: int, implied: bool = True
    ) -> tuple[tuple[int, bool, tuple[int, ...], tuple[int, ...], int], ...]:
        """:meth:`obedience` scaled to integers, for building programs: one ``(other, strict, x_Bs,
        nums, scale)`` per other action with a non-zero row, the coefficient of ``phi(x_Bs[i])``
        being ``nums[i] / scale``.

        ``implied=False`` leaves out the rows with no negative coefficient:
        ``phi >= 0`` already satisfies them (``a`` is at least as good as
        ``other`` in ``t`` whatever the sender reveals), so a program that
        only needs the obedient set -- not which strict rows hold with room --
        is the same without them (more than half the rows of a large
        best-response LP, measured in docs/explanation/performance.md).
        """
        return self._obedience_rows[t][a] if implied else self._needed_rows[t][a]

    @cached_property
    def _needed_rows(self):
        return [
            [tuple(row for row in rows if min(row[3]) < 0) for rows in per_action]
            for per_action in self._obedience_rows
        ]

    @cached_property
    def _obedience_rows(self):
        return [
            [
                tuple(
                    (
                        other,
                        strict,
                        tuple(coefficients),
                        *scale_to_integers(coefficients.values(), 0)[::2],
                    )
                    for other, strict, coefficients in self.obedience(t, a)
                    if coefficients
                )
                for a in range(self.num_actions)
            ]
            for t in range(self.num_situations)
        ]

    def response_at(self, t: int, phi: tuple[Fraction, ...] | list[Fraction]) -> int:
        """Alice's actual tie-broken action in situation ``t`` after a message sent with weights
        ``phi(x_B)``."""
        fast = self._fast_values[False]
        sent = [(xb, to_fmpq(p)) for xb, p in enumerate(phi) if p]
        values = [
            sum((p * fast[xb][t][a] for xb, p in sent), fmpq()) for a in range(self.num_actions)
        ]
        return tie_broken_argmax(values, self.tie_break)

    def column_value(self, r: ResponseVector, phi) -> Fraction:
        """The sender's expected utility from a message with weights ``phi`` if Alice follows
        ``r``."""
        return sum(
            (
                p * self.sender_values[t][xb][r[t]]
                for t in range(self.num_situations)
                for xb, p in enumerate(phi)
                if p
            ),
            Fraction(0),
        )

    def alice_column(self, r: ResponseVector) -> tuple[Fraction, ...]:
        """Alice's value per unit of ``phi(x_B)`` for a message after which she follows ``r``
        (computed once per vector: the programs over many sets of vectors ask again and again)."""
        return self._per_vector(self.alice_values, r)

    def sender_column(self, r: ResponseVector) -> tuple[Fraction, ...]:
        """The sender's value per unit of ``phi(x_B)`` for a message after which Alice follows ``r``
        (computed once per vector)."""
        return self._per_vector(self.sender_values, r)

    @cached_property
    def _columns(self) -> dict[tuple[bool, ResponseVector], tuple[Fraction, ...]]:
        return {}

    @cached_property
    def _fast_values(self) -> dict[bool, list]:
        """``sender_values`` (key True) and ``alice_values`` (False) as python-flint rationals,
        indexed ``[x_B][t][a]``: summing over situations in ``fmpq`` is about ten times faster than
        in Fraction."""
        return {
            key: [
                [[to_fmpq(v) for v in values[t][xb]] for t in range(self.num_situations)]
                for xb in range(self.num_features)
            ]
            for key, values in ((True, self.sender_values), (False, self.alice_values))
        }

    def _per_vector(self, values, r: ResponseVector) -> tuple[Fraction, ...]:
        key = (values is self.sender_values, r)
        found = self._columns.get(key)
        if found is None:
            fast = self._fast_values[key[0]]
            sums = (
                sum((row[a] for row, a in zip(fast[xb], r, strict=True)), fmpq())
                for xb in range(self.num_features)
            )
            found = self._columns[key] = tuple(to_fraction(q) for q in sums)
        return found

    def alice_value(self, columns: list[tuple[Fraction, ...]]) -> Fraction:
        """Alice's expected utility from a scheme (the same whichever tied action she picks)."""
        total = Fraction(0)
        for phi in columns:
            actual = tuple(self.response_at(t, phi) for t in range(self.num_situations))
            total += sum(
                (c * p for c, p in zip(self.alice_column(actual), phi, strict=True)), Fraction(0)
            )
        return total

    def meets_floor(self, columns: list[tuple[Fraction, ...]]) -> bool:
        """Does the scheme give Alice at least (strictly more than, if ``floor_strict``)
        ``alice_floor``?"""
        if self.alice_floor is None:
            return True
        value = self.alice_value(columns)
        return value > self.alice_floor if self.floor_strict else value >= self.alice_floor

    def actual_value(self, columns: list[tuple[Fraction, ...]]) -> Fraction:
        """The sender's expected utility from a scheme, Alice using her real tie-break.

        ``columns[k][x_B] = pi(k | x_B)``.  This is the sender's true payoff,
        whatever response vector the columns were computed for.
        """
        total = Fraction(0)
        for phi in columns:
            actual = tuple(self.response_at(t, phi) for t in range(self.num_situations))
            total += self.column_value(actual, phi)
        return total


def _tables(q, utility: Matrix):
    """``action_values(utility, row)`` for every row of every situation's table, summed in ``fmpq``
    (every best response of the dynamics builds its problem: several times faster than in
    Fraction)."""
    u = [[to_fmpq(v) for v in row] for row in utility]
    tables = []
    for table in q:
        rows = []
        for row in table:
            w = [(y, to_fmpq(p)) for y, p in enumerate(row) if p]
            sums = (sum((p * urow[y] for y, p in w), fmpq()) for urow in u)
            rows.append(tuple(to_fraction(v) for v in sums))
        tables.append(tuple(rows))
    return tuple(tables)


def make_problem(keys, q, alice: Matrix, sender: Matrix, tie_break, messages: int) -> SenderProblem:
    """Build a :class:`SenderProblem`, dropping situations of probability zero.

    ``keys[t]`` names situation ``t`` as ``(x_A, (m_j for each other sender j))``.
    """
    positive = [k for k, table in enumerate(q) if any(any(row) for row in table)]
    kept = tuple(tuple(tuple(row) for row in q[k]) for k in positive)
    return SenderProblem(
        num_features=len(q[0]) if q else 0,
        keys=tuple(keys[k] for k in positive),
        q=kept,
        alice_values=_tables(kept, alice),
        sender_values=_tables(kept, sender),
        tie_break=tuple(tie_break),
        messages=messages,
        num_actions=len(alice),
    )


def deviation_problem(instance: Instance, profile: Profile, sender: int) -> SenderProblem:
    """Sender ``sender``'s problem when every other sender keeps their scheme in ``profile``."""
    nb, ny = len(instance.sender_features), instance.num_states
    others = [j for j in range(instance.num_senders) if j != sender]
    message_sets = [range(len(instance.senders[j].messages)) for j in others]
    keys, q = [], []
    for xa, table in enumerate(instance.prior):
        for messages in itertools.product(*message_sets):
            keys.append((xa, messages))
            situation = []
            for xb in range(nb):
                p_msgs = Fraction(1)
                for j, m in zip(others, messages, strict=True):
                    p_msgs *= profile.schemes[j][xb][m]
                    if not p_msgs:
                        break
                situation.append(tuple(p_msgs * table[xb][y] for y in range(ny)))
            q.append(situation)
    return make_problem(
        keys,
        q,
        instance.alice_utility,
        instance.senders[sender].utility,
        instance.protocol.tie_break,
        len(instance.senders[sender].messages),
    )


def aligned_messages(instance: Instance) -> int:
    """The message budget of Definition 8's aligned sender: the instance's largest message set."""
    return max(len(s.messages) for s in instance.senders)


def oblivious_problem_for(instance: Instance, utility: Matrix, messages: int) -> SenderProblem:
    """One sender with ``utility`` and ``messages`` messages whom Alice hears obliviously
    (Definition 18: her posterior uses her features and this sender's message only)."""
    return make_problem(
        [(xa, ()) for xa in range(len(instance.prior))],
        [list(table) for table in instance.prior],
        instance.alice_utility,
        utility,
        instance.protocol.tie_break,
        messages,
    )


def aligned_problem(instance: Instance) -> SenderProblem:
    """Definition 8: one sender whose utility is Alice's, heard obliviously, with the largest
    message set."""
    return oblivious_problem_for(instance, instance.alice_utility, aligned_messages(instance))


def oblivious_problem(instance: Instance, sender: int) -> SenderProblem:
    """Definitions 18-19: sender ``sender`` optimising as if Alice heard only them."""
    s = instance.senders[sender]
    return oblivious_problem_for(instance, s.utility, len(s.messages))
