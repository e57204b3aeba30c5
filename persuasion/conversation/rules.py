"""The senders' committed conversation rules ``C_{B_i}(x_B, h_i)`` (Definition 3).

A :class:`ConversationProfile` holds, for every sender ``i`` and sender feature
``x_B``, either one row ``pi_i(. | x_B)`` -- a rule that ignores the history,
answering every round afresh from the same distribution -- or a
:class:`HistoryTable` of rows ``pi_i(. | x_B, h_i)``, one per private history
(:mod:`persuasion.conversation.histories`).  A one-round
:class:`~persuasion.model.Profile` is the profile whose rows all ignore the
history (:meth:`ConversationProfile.from_profile`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction

from persuasion.conversation.histories import History
from persuasion.model import Instance, Profile

__all__ = ["ConversationProfile", "HistoryTable", "Row"]

Row = tuple[Fraction, ...]
"""A distribution over one sender's messages, in the order of their message set."""


@dataclass(frozen=True)
class HistoryTable:
    """A sender's rows at one feature ``x_B``, by private history: ``rows = ((h, row), ...)``,
    kept sorted by history.

    Only histories the rule can reach need a row (histories whose own answers have
    probability 0 under the rule are never asked, :meth:`ConversationProfile.answer`).
    """

    rows: tuple[tuple[History, Row], ...]

    def __post_init__(self) -> None:  # one order, so that equal tables compare equal
        object.__setattr__(self, "rows", tuple(sorted(self.rows)))

    @functools.cached_property
    def _by_history(self) -> dict[History, Row]:
        return dict(self.rows)

    def row(self, history: History) -> Row | None:
        """The row at ``history``, or None when the table has none."""
        return self._by_history.get(history)


@dataclass(frozen=True)
class ConversationProfile:
    """Every sender's conversation rule: ``rules[i][x_B]`` is a :data:`Row` or a
    :class:`HistoryTable`."""

    rules: tuple[tuple[Row | HistoryTable, ...], ...]

    @classmethod
    def from_profile(cls, profile: Profile) -> ConversationProfile:
        """The rules of a one-round profile, each ignoring the history."""
        return cls(tuple(tuple(tuple(row) for row in scheme) for scheme in profile.schemes))

    def replace(self, sender: int, rule: tuple[Row | HistoryTable, ...]) -> ConversationProfile:
        """The rules with sender ``sender``'s replaced (a unilateral deviation)."""
        rules = list(self.rules)
        rules[sender] = rule
        return ConversationProfile(tuple(rules))

    @property
    def history_free(self) -> bool:
        """Whether no rule looks at the history."""
        return not any(isinstance(r, HistoryTable) for rule in self.rules for r in rule)

    def answer(self, sender: int, feature: int, history: History) -> Row:
        """``pi_sender(. | x_B, h)``: the row the sender answers from at private history ``h``.

        Raises
        ------
        KeyError
            When the sender's table has no row for ``history`` (a history the rule cannot
            reach, or a table that was not checked: :func:`persuasion.profile.parse_profile`
            checks every file).
        """
        entry = self.rules[sender][feature]
        if isinstance(entry, HistoryTable):
            row = entry.row(history)
            if row is None:
                raise KeyError(history)
            return row
        return entry

    def one_round(self, instance: Instance) -> Profile:
        """The one-round profile these rules play when Alice is silent and there is one round
        (every sender answers once, on the history ``("0",)``)."""
        return Profile(
            tuple(
                tuple(self.answer(i, xb, (0,)) for xb in range(len(instance.sender_features)))
                for i in range(instance.num_senders)
            )
        )
