"""The front door refuses what the command line refuses: arguments are checked before any work.

The command line checks its options while parsing them and reads instances
and profiles from files that :mod:`persuasion.instance` and
:mod:`persuasion.profile` check; a Python caller hands over objects built in
code.  These functions hold such objects to the same rules, so that a
mismatched profile or an impossible prior ends in one clear error, never in a
confident wrong number or a traceback from deep inside the solver:

- :func:`checked_instance`: an :class:`~persuasion.model.Instance` passes the
  instance file's checks (it is written out and read back, 0.2-0.3 ms on the
  catalog);
- :func:`checked_profile`: one scheme per sender, one row per sender feature,
  one exact probability per message, every row a distribution;
- :func:`rational`, :func:`integer`, :func:`seconds` and :func:`one_of`: the
  numeric and named options, exact where the command line takes exact numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from persuasion.errors import InputError, show
from persuasion.model import Instance, Profile

__all__ = ["checked_instance", "checked_profile", "integer", "one_of", "rational", "seconds"]


def checked_instance(instance: Any, source: str) -> Instance:
    """``instance``, once it passes the checks an instance file passes.

    Raises
    ------
    TypeError
        If ``instance`` is not an :class:`~persuasion.model.Instance`.
    InputError
        For anything an instance file could not hold (a prior that is no
        distribution, a tie-break that is no order of the actions, ...), naming it.
    """
    from persuasion.instance import dump_instance, parse_instance

    if not isinstance(instance, Instance):
        raise TypeError(f"an instance must be a persuasion.Instance, not {type(instance).__name__}")
    try:
        written = dump_instance(instance)
    except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
        raise InputError(source, f"not a valid instance: {exc}") from None
    if parse_instance(written, source) != instance:
        raise InputError(source, "not a valid instance: its numbers are not exact rationals")
    return instance


def _exact(value: Any) -> bool:
    return type(value) is Fraction or (type(value) is int)


def checked_profile(instance: Instance, profile: Any, source: str) -> Profile:
    """``profile``, once it fits ``instance`` and every row of every scheme is a distribution.

    Raises
    ------
    TypeError
        If ``profile`` is not a :class:`~persuasion.model.Profile`.
    InputError
        For a scheme too many or too few, a row or message too many or too few,
        a probability that is not an exact rational in [0, 1], or a row whose
        probabilities do not sum to 1 -- naming the sender and the feature.
    """
    if not isinstance(profile, Profile):
        raise TypeError(f"a profile must be a persuasion.Profile, not {type(profile).__name__}")
    senders = instance.senders
    if len(profile.schemes) != len(senders):
        raise InputError(
            source, f"the profile has {len(profile.schemes)} schemes for {len(senders)} senders"
        )
    for sender, scheme in zip(senders, profile.schemes, strict=True):
        where = f"the scheme of sender {sender.name!r}"
        if len(scheme) != len(instance.sender_features):
            raise InputError(
                source,
                f"{where} has {len(scheme)} rows for {len(instance.sender_features)} "
                "sender features",
            )
        for feature, row in zip(instance.sender_features, scheme, strict=True):
            if not isinstance(row, tuple | list):  # e.g. a HistoryTable: a conversation's rule
                raise InputError(
                    source,
                    f"{where}, feature {feature!r}: a {type(row).__name__}, not a row of "
                    "probabilities (history-keyed rules: ps.converse, a ConversationProfile)",
                )
            check_row(source, f"{where}, feature {feature!r}", row, len(sender.messages))
    return profile


def check_row(source: str, where: str, row: Any, messages: int) -> None:
    """Refuse (:class:`InputError`) a row that is not a distribution over ``messages`` messages
    in exact rationals: the first bad probability is named (a negative one first, as a profile
    file's reader does), before any sum."""
    if len(row) != messages:
        raise InputError(source, f"{where} has {len(row)} probabilities for {messages} messages")
    bad = next((p for p in row if not _exact(p)), None)
    if bad is not None:
        raise InputError(source, f"{where}: {bad!r} is not an exact rational probability")
    bad = next((p for p in row if p < 0), None)
    bad = next((p for p in row if p > 1), None) if bad is None else bad
    if bad is not None:
        raise InputError(source, f"{where}: {show(bad)} is not a probability (not in [0, 1])")
    if sum(row, Fraction(0)) != 1:
        raise InputError(
            source, f"{where}: the probabilities sum to {sum(row, Fraction(0))}, not 1"
        )


def rational(name: str, value: Any, minimum: Fraction, *, strict: bool) -> Fraction:
    """``value`` as a Fraction: an exact rational (int or Fraction, not a float) ``>= minimum``
    (``> minimum`` when ``strict``); else ValueError naming ``name``."""
    if isinstance(value, bool) or not _exact(value):
        raise ValueError(f"{name} must be an exact rational (int or Fraction), not {value!r}")
    if value < minimum or (strict and value == minimum):
        raise ValueError(f"{name} must be {'>' if strict else '>='} {minimum}, not {value}")
    return Fraction(value)


def integer(name: str, value: Any, minimum: int, maximum: int | None = None) -> int:
    """``value``, an int in ``[minimum, maximum]``; else ValueError naming ``name``."""
    if isinstance(value, bool) or type(value) is not int:
        raise ValueError(f"{name} must be an integer, not {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        top = "" if maximum is None else f" and <= {maximum}"
        raise ValueError(f"{name} must be >= {minimum}{top}, not {value}")
    return value


def seconds(name: str, value: Any) -> float | None:
    """``value``, None or a finite number of seconds >= 0; else ValueError naming ``name``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
        raise ValueError(f"{name} must be a number of seconds or None, not {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number of seconds >= 0, not {value}")
    return float(value)


def one_of(name: str, value: Any, choices: Iterable[str]) -> str:
    """``value``, one of ``choices``; else ValueError naming ``name`` and the choices."""
    allowed = tuple(choices)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value
