"""Size limits of instances and profiles, checked on parsed JSON before anything walks it.

The JSON Schema validator and the semantic checks visit every entry of a
list, and evaluating a profile visits every term of an outcome (Definition 5:
a sum over Alice's feature ``x_A``, the senders' feature ``x_B`` and every
vector of messages, one per sender).  So the sizes are checked first, here,
by looking only at the lengths of lists and the message counts: a list of
20,000 names is refused as fast as a count of 20,000, and the number of
outcome terms ``|X_A| * |X_B| * prod_i |M_i|`` is computed without building
anything (and stops multiplying once it is past the limit).

Values of the wrong type are left alone: the schema stage reports them.
Every refusal is one :class:`~persuasion.errors.InputError` naming the
limit and its value (:mod:`persuasion.limits`, ``docs/reference/limits.md``).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any
from collections.abc import Sequence

from persuasion.errors import InputError, json_path
from persuasion.limits import (
    MAX_CONVERSATION_NODES,
    MAX_NAMES,
    MAX_OUTCOME_TERMS,
    MAX_PRIOR_ROWS,
    MAX_SENDERS,
    MAX_UTILITY_CELLS,
)
from persuasion.numbers import beyond

__all__ = ["check_instance_size", "check_profile_size"]


def _count(value: Any) -> int | None:
    """How many names ``value`` declares: a list's length, or an integer count (else None)."""
    if isinstance(value, (list, tuple)):
        return len(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, Fraction) and value.denominator == 1):
        return int(value)
    return None


class _Sizes:
    def __init__(self, source: str) -> None:
        self.source = source
        self.cells = 0  # utility cells seen so far, all matrices together

    def at_most(self, count: int | None, limit: int, what: str, parts: Sequence[str | int]) -> None:
        if count is not None and count > limit:
            raise InputError(self.source, beyond(f"{count} {what}", limit), json_path(list(parts)))

    def names(self, value: Any, what: str, parts: Sequence[str | int]) -> int | None:
        count = _count(value) if isinstance(value, (list, tuple)) else None
        self.at_most(count, MAX_NAMES, what, parts)
        return count

    def matrix(self, rows: Any, parts: list[str | int]) -> None:
        if not isinstance(rows, (list, tuple)):
            return
        self.at_most(len(rows), MAX_NAMES, "rows (one per action)", parts)
        self.cells += sum(len(row) for row in rows if isinstance(row, (list, tuple)))
        self.at_most(
            self.cells, MAX_UTILITY_CELLS, "utility cells in the matrices up to this one", parts
        )


def _get(data: Any, key: str) -> Any:
    return data.get(key) if isinstance(data, dict) else None


def check_instance_size(data: Any, source: str) -> None:
    """Refuse an instance (parsed JSON) beyond the limits of :mod:`persuasion.limits`."""
    if not isinstance(data, dict):
        return
    size = _Sizes(source)
    states = size.names(data.get("states"), "states", ["states"])
    actions = size.names(data.get("actions"), "actions", ["actions"])
    senders = data.get("senders")
    matrices = 1 + (len(senders) if isinstance(senders, (list, tuple)) else 0)
    if states and actions:
        size.at_most(
            matrices * states * actions,
            MAX_UTILITY_CELLS,
            f"utility cells ({matrices} matrices of {actions} actions x {states} states)",
            [],
        )
    features = data.get("features")
    alice_features = size.names(_get(features, "alice"), "Alice features", ["features", "alice"])
    sender_features = size.names(
        _get(features, "senders"), "sender features", ["features", "senders"]
    )
    prior = data.get("prior")
    if isinstance(prior, (list, dict)):
        size.at_most(len(prior), MAX_PRIOR_ROWS, "prior entries", ["prior"])
    size.matrix(_get(data.get("alice"), "utility"), ["alice", "utility"])
    size.names(_get(data.get("protocol"), "tie_break"), "actions", ["protocol", "tie_break"])

    if not isinstance(senders, (list, tuple)):
        return
    size.at_most(len(senders), MAX_SENDERS, "senders", ["senders"])
    for i, sender in enumerate(senders):
        size.matrix(_get(sender, "utility"), ["senders", i, "utility"])
    if features is None:
        alice_features, sender_features = 1, states
    if not alice_features or not sender_features:
        return
    # the prior is held as a table over (x_A, x_B, y): |X_B| = |Y| for a map state -> probability
    if states:
        size.at_most(
            alice_features * sender_features * states,
            MAX_PRIOR_ROWS,
            f"prior cells (|X_A| * |X_B| * |Y| = {alice_features} * {sender_features} * {states})",
            ["prior"],
        )
    _outcome_terms(size, source, senders, alice_features, sender_features)


def _outcome_terms(
    size: _Sizes, source: str, senders: list, alice_features: int, sender_features: int
) -> None:
    """Refuse message counts beyond ``MAX_NAMES``, or an outcome summing more than
    ``MAX_OUTCOME_TERMS`` terms (``|X_A| * |X_B| * prod |M_i|``)."""
    terms = alice_features * sender_features
    factors = [str(alice_features), str(sender_features)]
    for i, sender in enumerate(senders):
        messages = (
            _count(_get(sender, "messages"))
            if isinstance(sender, dict) and "messages" in sender
            else sender_features
        )
        size.at_most(messages, MAX_NAMES, "messages", ["senders", i, "messages"])
        if messages is None or messages < 1:
            return
        terms *= messages
        factors.append(str(messages))
        if terms > MAX_OUTCOME_TERMS:
            shown = " * ".join(factors[:8]) + (" * ..." if len(factors) > 8 else "")
            raise InputError(
                source,
                beyond(
                    f"an outcome sums more than {MAX_OUTCOME_TERMS} terms (|X_A| * |X_B| * "
                    "message counts "
                    f"of the senders = {shown})",
                    MAX_OUTCOME_TERMS,
                ),
                json_path(["senders"]),
            )


def check_profile_size(data: Any, source: str) -> None:
    """Refuse a profile (parsed JSON) with more senders, features, messages or histories (a
    conversation's rules, :mod:`persuasion.profile`) than the limits allow."""
    rules = _get(data, "rules")
    if not isinstance(rules, dict):
        return
    size = _Sizes(source)
    size.at_most(len(rules), MAX_SENDERS, "senders", ["rules"])
    for sender, rule in rules.items():
        if not isinstance(rule, dict):
            continue
        size.at_most(len(rule), MAX_NAMES, "sender features", ["rules", sender])
        for feature, row in rule.items():
            if not isinstance(row, dict):
                continue
            parts = ["rules", sender, feature]
            if not any(isinstance(value, dict) for value in row.values()):
                size.at_most(len(row), MAX_NAMES, "messages", parts)
                continue
            # a conversation's rule by history: no more histories than the game has nodes
            size.at_most(len(row), MAX_CONVERSATION_NODES, "histories", parts)
            for key, value in row.items():
                if isinstance(value, dict):
                    size.at_most(len(value), MAX_NAMES, "messages", parts + [key])
