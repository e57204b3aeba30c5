"""Reading and writing profiles (``persuasion-profile/1``, docs/reference/file-formats.md).

A profile holds every sender's committed conversation rule.  In the one-round
game with Alice silent it is a signalling scheme ``pi_i(m | x_B)``::

    {"format": "persuasion-profile/1",
     "rules": {"prosecutor": {"guilty": {"0": 1}, "innocent": {"0": 1}},
               "defense":    {"guilty": {"0": "1/2", "1": "1/2"}, "innocent": {"1": 1}}}}

A profile is read against its instance: every sender of the instance has a
rule, every rule has a row for every sender feature, and every row is a
probability distribution over that sender's messages (non-negative, summing
to exactly 1; messages left out have probability 0).  Unknown senders,
features or messages are errors.

In a conversation (``rounds > 1`` or ``alice_messages > 1``) a row
may instead be keyed by the sender's private history ``h_i``
(:mod:`persuasion.conversation.histories`)::

    "guilty": {"0": {"0": 1}, "1": {"1": 1}, "0 > 0 > 1": {"1": 1}, ...}

``rules[sender][x_B][history][message]``: every history the rule can reach
(whatever Alice says, through the answers the rule itself gives with
positive probability) needs a row.  A row not keyed by history ignores the
history: the sender answers every round afresh from it.  With a quantal Alice her messages are
her belief vectors (Definition 10), keyed ``"[1/2, 1/2] > yes > [3/4, 1/4]"``: not an alphabet,
so a table's completeness is checked when play reaches a history
(:mod:`persuasion.qre.conversation`).
:func:`parse_conversation_profile` reads both kinds into a
:class:`~persuasion.conversation.rules.ConversationProfile`;
:func:`parse_profile` reads a one-round :class:`~persuasion.model.Profile`.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any
from collections.abc import Sequence

from persuasion.conversation.histories import (
    alice_message_names,
    answer_histories,
    check_keyable,
    history_key,
    parse_key,
)
from persuasion.conversation.rules import ConversationProfile, HistoryTable, Row
from persuasion.conversation.sizes import check_history_count
from persuasion.errors import InputError, json_path, show
from persuasion.instance import _Checker, name_list, schema_check
from persuasion.jsonio import read_json
from persuasion.model import Instance, Profile, Scheme, Sender
from persuasion.numbers import fmt
from persuasion.sizes import check_profile_size

__all__ = [
    "FORMAT",
    "load_profile",
    "parse_profile",
    "dump_profile",
    "load_conversation_profile",
    "parse_conversation_profile",
    "dump_conversation_profile",
    "dump_rule",
]

FORMAT = "persuasion-profile/1"


def parse_profile(data: Any, instance: Instance, source: str = "<memory>") -> Profile:
    """Build a one-round :class:`Profile` for ``instance`` from parsed JSON.

    Raises :class:`InputError` for any problem; nothing is normalised or
    filled in (a missing sender or feature row is an error).  Rows keyed by
    history are read when the instance has one round and Alice is silent (the
    only history is ``"0"``); in a conversation they are refused (read them
    with :func:`parse_conversation_profile`).
    """
    rules = parse_conversation_profile(data, instance, source)
    if rules.history_free:
        return Profile(tuple(tuple(rule) for rule in rules.rules))  # type: ignore[arg-type]
    p = instance.protocol
    if p.decision == "quantal" and p.rounds == 1:
        from persuasion.qre.conversation import one_round_profile

        found = one_round_profile(instance, rules, source)
        if found is not None:
            return found
        raise InputError(
            source,
            "rules keyed by Alice's round-1 report, which differs between her features: read "
            "them as conversation rules (persuasion verify does)",
            "$.rules",
        )
    if p.rounds == 1 and p.alice_messages == 1:
        return rules.one_round(instance)
    raise InputError(
        source,
        "rules keyed by history are a conversation's (rounds > 1 or alice_messages > 1): "
        "only 'persuasion converse' (persuasion.converse) plays them",
        "$.rules",
    )


def parse_conversation_profile(
    data: Any, instance: Instance, source: str = "<memory>"
) -> ConversationProfile:
    """Build the senders' conversation rules for ``instance`` from parsed JSON.

    Rows keyed by ``x_B`` alone ignore the history; rows keyed by ``x_B`` then by
    history need a row for every history the rule can reach.  Raises
    :class:`InputError` for any problem (unknown sender, feature, history or message,
    a missing row, a row that is not a distribution), naming the file and JSON path.
    """
    check_profile_size(data, source)
    schema_check(data, "profile.schema.json", source)
    ck = _Checker(source)
    rules = data["rules"]
    names = [s.name for s in instance.senders]
    for key in rules:
        if key not in names:
            ck.fail(["rules", key], f"unknown sender {show(key)} (senders: {name_list(names)})")
    for name in names:
        if name not in rules:
            ck.fail(["rules"], f"no rule for sender {show(name)} (every sender needs one)")
    features = instance.sender_features
    parsed = []
    for sender in instance.senders:
        rule, base = rules[sender.name], ["rules", sender.name]
        for key in rule:
            if key not in features:
                ck.fail(
                    base + [key],
                    f"unknown sender feature {show(key)} (sender features: {name_list(features)})",
                )
        entries = []
        for xb in features:
            if xb not in rule:
                ck.fail(
                    base, f"no row for sender feature {show(xb)} (every sender feature needs one)"
                )
            entries.append(_entry(ck, instance, sender, rule[xb], base + [xb]))
        parsed.append(tuple(entries))
    return ConversationProfile(tuple(parsed))


def _row(ck: _Checker, sender: Sender, values: dict, parts: list) -> Row:
    """A distribution over the sender's messages, ``{message: probability}``."""
    message_at = {m: k for k, m in enumerate(sender.messages)}
    row = [Fraction(0)] * len(sender.messages)
    for m, value in values.items():
        if m not in message_at:
            ck.fail(
                parts + [m],
                f"unknown message {show(m)} for sender {show(sender.name)} "
                f"(messages: {name_list(sender.messages)})",
            )
        row[message_at[m]] = ck.probability(value, parts + [m])
    ck.total_is_one(sum(row, Fraction(0)), parts)
    return tuple(row)


def _entry(
    ck: _Checker, instance: Instance, sender: Sender, value: dict, parts: list
) -> Row | HistoryTable:
    """One sender feature's row, or its table of rows by history (values that are objects)."""
    nested = [isinstance(v, dict) for v in value.values()]
    if not any(nested):
        return _row(ck, sender, value, parts)
    if not all(nested):
        ck.fail(
            parts,
            "a row is either {message: probability} or {history: {message: probability}}, "
            "not a mix of both",
        )
    p = instance.protocol
    quantal = p.decision == "quantal"  # Alice's messages are her belief vectors (Definition 10)
    if not quantal:
        where = json_path(parts)
        check_history_count(instance, instance.sender_index(sender.name), ck.source, where)
    alice = instance.num_actions if quantal else alice_message_names(p.alice_messages)
    table: dict = {}
    for key, row in value.items():
        try:
            history = parse_key(key, alice, sender.messages, p.rounds)
        except ValueError as err:
            ck.fail(parts + [key], f"unknown history {show(key)}: {err}")
        if history in table:
            ck.fail(parts + [key], f"history {show(key)} is named twice (another key spells it)")
        table[history] = _row(ck, sender, row, parts + [key])
    if quantal:  # her vectors are not an alphabet: a missing row is found when play reaches it
        return HistoryTable(tuple(table.items()))

    def sent(history: tuple[int, ...]) -> list[int]:
        return [m for m, q in enumerate(table[history]) if q]

    for history in answer_histories(p.alice_messages, p.rounds, sent):
        if history not in table:
            key = history_key(history, alice, sender.messages)
            ck.fail(
                parts,
                f"no row for history {show(key)} (every history the rule can reach needs one)",
            )
    return HistoryTable(tuple(table.items()))


def load_profile(path: str | Path, instance: Instance) -> Profile:
    """Read a profile file for ``instance``; raise :class:`InputError` for ANY problem."""
    return parse_profile(read_json(path), instance, source=str(path))


def load_conversation_profile(path: str | Path, instance: Instance) -> ConversationProfile:
    """Read a profile file's conversation rules for ``instance`` (rows by history or not)."""
    return parse_conversation_profile(read_json(path), instance, source=str(path))


def dump_scheme(features: Sequence[str], messages: Sequence[str], scheme: Scheme) -> dict:
    """One scheme as ``{x_B: {message: "p/q"}}``, positive probabilities only."""
    return {
        xb: {m: fmt(p) for m, p in zip(messages, row, strict=True) if p > 0}
        for xb, row in zip(features, scheme, strict=True)
    }


def dump_profile(profile: Profile, instance: Instance) -> dict:
    """``{"format": "persuasion-profile/1", "rules": {sender: {x_B: {message: "p/q"}}}}``.

    Only positive probabilities are listed.  Raises :class:`ValueError` when
    the profile's shape does not match the instance.
    """
    if len(profile.schemes) != len(instance.senders):
        raise ValueError(
            f"profile has {len(profile.schemes)} schemes for {len(instance.senders)} senders"
        )
    rules: dict[str, Any] = {}
    for sender, scheme in zip(instance.senders, profile.schemes, strict=True):
        if len(scheme) != len(instance.sender_features):
            raise ValueError(
                f"scheme of {sender.name!r} has {len(scheme)} rows for "
                f"{len(instance.sender_features)} sender features"
            )
        if any(len(row) != len(sender.messages) for row in scheme):
            raise ValueError(
                f"scheme of {sender.name!r} does not have one column per message "
                f"({len(sender.messages)})"
            )
        rules[sender.name] = dump_scheme(instance.sender_features, sender.messages, scheme)
    return {"format": FORMAT, "rules": rules}


def dump_conversation_profile(profile: ConversationProfile, instance: Instance) -> dict:
    """The rules as a ``persuasion-profile/1`` document: history-free rows as
    :func:`dump_profile` writes them, tables as ``{history key: {message: "p/q"}}``.

    Only positive probabilities are listed; ``parse_conversation_profile`` reads it back equal.

    Raises
    ------
    ValueError
        For a table of a sender whose message names no key can hold (:func:`check_keyable`).
    """
    p = instance.protocol
    n = None if p.decision == "quantal" else p.alice_messages
    rules = {
        sender.name: dump_rule(instance.sender_features, sender.messages, n, rule)
        for sender, rule in zip(instance.senders, profile.rules, strict=True)
    }
    return {"format": FORMAT, "rules": rules}


def dump_rule(
    features: Sequence[str],
    messages: Sequence[str],
    alice_messages: int | None,
    rule: Sequence[Row | HistoryTable],
) -> dict:
    """One sender's conversation rule as ``{x_B: {message: "p/q"}}`` (a row that ignores the
    history, as :func:`dump_scheme` writes it) or ``{x_B: {history key: {message: "p/q"}}}``;
    ``alice_messages`` None: Alice's messages are belief vectors (a quantal Alice, Definition 10).

    Raises
    ------
    ValueError
        For a table of a sender whose message names no key can hold (:func:`check_keyable`).
    """
    alice = None if alice_messages is None else alice_message_names(alice_messages)
    out: dict[str, Any] = {}
    for xb, entry in zip(features, rule, strict=True):
        if isinstance(entry, HistoryTable):
            check_keyable(messages)
            out[xb] = {
                history_key(h, alice, messages): _dumped(messages, row) for h, row in entry.rows
            }
        else:
            out[xb] = _dumped(messages, entry)
    return out


def _dumped(messages: Sequence[str], row: Row) -> dict:
    return {m: fmt(p) for m, p in zip(messages, row, strict=True) if p > 0}
