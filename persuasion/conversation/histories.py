"""Private histories of a conversation and how files name them (Algorithm 1, Definition 3).

In round ``r`` Alice sends sender ``i`` a message ``a_r`` from her alphabet
``M_A`` and the sender answers ``b_r`` from ``M_i``.  Sender ``i`` answers
on their private history ``h_i = (a_1, b_1, ..., a_{r-1}, b_{r-1}, a_r)``
(odd length, ending with Alice's message); Alice decides on every
``h_i`` of even length (each ending with an answer, or empty before round 1).
A history is a tuple of message *indices*, Alice's and the sender's
alternating, Alice's first.

Alice's messages are named ``"0"``, ..., ``"n-1"`` (``n = alice_messages``).
A file names a history by its messages joined by :data:`SEPARATOR`::

    "0"                 round 1: Alice said "0"
    "0 > yes > 1"       round 2: Alice said "0", the sender answered "yes", Alice now says "1"

so a key reads as the conversation went.  A sender whose message names
contain the separator, start with ``"> "`` or end with ``" >"`` cannot be keyed
by history (a key would be ambiguous: ``"0 > yes > > 1"`` with the message
``"yes >"``); :func:`check_keyable` refuses them, :func:`parse_key` with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

__all__ = [
    "History",
    "SEPARATOR",
    "alice_message_names",
    "answer_histories",
    "check_keyable",
    "history_key",
    "parse_key",
]

History = tuple[int, ...]
"""Message indices, Alice's and one sender's alternating, Alice's first."""

SEPARATOR = " > "
"""Between two messages of a history key."""


def alice_message_names(count: int) -> tuple[str, ...]:
    """Alice's messages ``"0"``, ..., ``"count-1"`` (an instance's ``alice_messages``)."""
    return tuple(str(m) for m in range(count))


def check_keyable(sender: Sequence[str]) -> None:
    """Refuse (``ValueError``, one line) message names a history key cannot hold unambiguously:
    one containing :data:`SEPARATOR`, or starting or ending with its ``">"`` and a space."""
    for name in sender:
        if SEPARATOR in name or name.startswith(SEPARATOR[1:]) or name.endswith(SEPARATOR[:-1]):
            raise ValueError(
                f"the sender's message {name!r} contains {SEPARATOR!r} or starts with "
                f"{SEPARATOR[1:]!r} or ends with {SEPARATOR[:-1]!r}, so a history key would be "
                "ambiguous (rename the message to key rules by history)"
            )


def history_key(history: History, alice: Sequence[str], sender: Sequence[str]) -> str:
    """The key of ``history``: its message names joined by :data:`SEPARATOR` (``""`` if empty)."""
    return SEPARATOR.join((alice if t % 2 == 0 else sender)[m] for t, m in enumerate(history))


def parse_key(key: str, alice: Sequence[str], sender: Sequence[str], rounds: int) -> History:
    """The history a sender's rule key names: odd length, at most ``2 * rounds - 1`` messages.

    Raises
    ------
    ValueError
        Saying what is wrong with the key, in words fit for one error line.
    """
    check_keyable(sender)
    parts = key.split(SEPARATOR)
    if len(parts) % 2 == 0 or len(parts) > 2 * rounds - 1:
        raise ValueError(
            f"a history key lists Alice's message, then the answer and Alice's next message for "
            f"each later round ({2 * rounds - 1} messages at most in {rounds} round(s)), joined "
            f"by {SEPARATOR!r}; {key!r} has {len(parts)}"
        )
    at = ({m: k for k, m in enumerate(alice)}, {m: k for k, m in enumerate(sender)})
    history = []
    for t, part in enumerate(parts):
        names = at[t % 2]
        if part not in names:
            whose = "Alice's messages" if t % 2 == 0 else "the sender's messages"
            raise ValueError(f"{part!r} is not one of {whose} ({', '.join(names)})")
        history.append(names[part])
    return tuple(history)


def answer_histories(
    alice_messages: int, rounds: int, answers: Callable[[History], Iterable[int]]
) -> Iterator[History]:
    """Every history a sender answers on in ``rounds`` rounds, shortest first, extended after
    each history ``h`` only by the answers ``answers(h)`` (``lambda h: range(|M_i|)`` for all of
    them; the histories a rule can reach pass the messages it sends with positive probability)."""
    level: list[History] = [(a,) for a in range(alice_messages)]
    for r in range(rounds):
        yield from level
        if r + 1 < rounds:
            level = [h + (b, a) for h in level for b in answers(h) for a in range(alice_messages)]
