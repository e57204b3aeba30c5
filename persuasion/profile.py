"""Reading and writing profiles (``persuasion-profile/1``, docs/reference/file-formats.md).

A profile holds every sender's committed signalling scheme
``pi_i(m | x_B)``::

    {"format": "persuasion-profile/1",
     "rules": {"prosecutor": {"guilty": {"0": 1}, "innocent": {"0": 1}},
               "defense":    {"guilty": {"0": "1/2", "1": "1/2"}, "innocent": {"1": 1}}}}

A profile is read against its instance: every sender of the instance has a
rule, every rule has a row for every sender feature, and every row is a
probability distribution over that sender's messages (non-negative, summing
to exactly 1; messages left out have probability 0).  Unknown senders,
features or messages are errors.  Rules are keyed by ``x_B`` only: in a game
with ``rounds > 1`` such a rule ignores the conversation history.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any
from collections.abc import Sequence

from persuasion.errors import show
from persuasion.instance import _Checker, name_list, schema_check
from persuasion.jsonio import read_json
from persuasion.model import Instance, Profile, Scheme
from persuasion.numbers import fmt
from persuasion.sizes import check_profile_size

__all__ = ["FORMAT", "load_profile", "parse_profile", "dump_profile"]

FORMAT = "persuasion-profile/1"


def parse_profile(data: Any, instance: Instance, source: str = "<memory>") -> Profile:
    """Build a :class:`Profile` for ``instance`` from parsed JSON.

    Raises :class:`InputError` for any problem; nothing is normalised or
    filled in (a missing sender or feature row is an error).
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
    schemes = []
    for sender in instance.senders:
        rule = rules[sender.name]
        base = ["rules", sender.name]
        for key in rule:
            if key not in features:
                ck.fail(
                    base + [key],
                    f"unknown sender feature {show(key)} (sender features: {name_list(features)})",
                )
        message_at = {m: k for k, m in enumerate(sender.messages)}
        scheme = []
        for xb in features:
            if xb not in rule:
                ck.fail(
                    base, f"no row for sender feature {show(xb)} (every sender feature needs one)"
                )
            row = [Fraction(0)] * len(sender.messages)
            for m, value in rule[xb].items():
                if m not in message_at:
                    ck.fail(
                        base + [xb, m],
                        f"unknown message {show(m)} for sender {show(sender.name)} "
                        f"(messages: {name_list(sender.messages)})",
                    )
                row[message_at[m]] = ck.probability(value, base + [xb, m])
            ck.total_is_one(sum(row, Fraction(0)), base + [xb])
            scheme.append(tuple(row))
        schemes.append(tuple(scheme))
    return Profile(tuple(schemes))


def load_profile(path: str | Path, instance: Instance) -> Profile:
    """Read a profile file for ``instance``; raise :class:`InputError` for ANY problem."""
    return parse_profile(read_json(path), instance, source=str(path))


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
