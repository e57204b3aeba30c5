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

A quantal-responding Alice (Definitions 10-11) has no alphabet: each round she tells every
sender her belief vector ``mu = (E[u_A(a, y) | x_A, transcript so far])_a``.  Her message in a
history is then that vector, a tuple of exact rationals, spelt by :func:`vector_key`::

    "[1/2, 1/2]"                    round 1: Alice's vector
    "[1/2, 1/2] > yes > [3/4, 1/4]" round 2

(canonical: each entry ``p/q`` in lowest terms or an integer, joined by ``", "``; any exact
spelling of the same numbers is read as the same vector).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from fractions import Fraction

from persuasion.numbers import fmt, parse_number

__all__ = [
    "Belief",
    "History",
    "SEPARATOR",
    "alice_message_names",
    "answer_histories",
    "check_keyable",
    "history_key",
    "parse_key",
    "parse_vector",
    "vector_key",
]

History = tuple
"""Alice's and one sender's messages alternating, Alice's first: message indices, or for a
quantal Alice her belief vectors (:data:`Belief`) in place of hers."""

Belief = tuple[Fraction, ...]
"""A quantal Alice's message: her expected utility of each action (Definition 10)."""

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


def vector_key(vector: Belief) -> str:
    """A quantal Alice's message spelt exactly: ``"[1/2, 3/4]"``."""
    return "[" + ", ".join(fmt(v) for v in vector) + "]"


def parse_vector(text: str, length: int) -> Belief:
    """The belief vector ``text`` spells (``"[1/2, 0.75]"``: exact numbers in brackets, one per
    action), or ``ValueError`` saying what is wrong."""
    body = text.strip()
    if not (body.startswith("[") and body.endswith("]")):
        raise ValueError(f"{text!r} is not Alice's belief vector, e.g. [1/2, 1/2]")
    parts = body[1:-1].split(",")
    if len(parts) != length:
        raise ValueError(f"Alice's belief vector {text!r} needs one number per action ({length})")
    try:
        return tuple(parse_number(p) for p in parts)
    except ValueError as err:
        raise ValueError(f"Alice's belief vector {text!r}: {err}") from None


def history_key(history: History, alice: Sequence[str] | None, sender: Sequence[str]) -> str:
    """The key of ``history``: its message names joined by :data:`SEPARATOR` (``""`` if empty);
    ``alice`` None: Alice's messages are belief vectors (:func:`vector_key`)."""
    return SEPARATOR.join(
        (vector_key(m) if alice is None else alice[m]) if t % 2 == 0 else sender[m]
        for t, m in enumerate(history)
    )


def parse_key(key: str, alice: Sequence[str] | int, sender: Sequence[str], rounds: int) -> History:
    """The history a sender's rule key names: odd length, at most ``2 * rounds - 1`` messages;
    ``alice`` Alice's message names, or for a quantal Alice the number of actions (her messages
    are belief vectors, :func:`parse_vector`).

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
    names_of = {} if isinstance(alice, int) else {m: k for k, m in enumerate(alice)}
    at = (names_of, {m: k for k, m in enumerate(sender)})
    history: list = []
    for t, part in enumerate(parts):
        if t % 2 == 0 and isinstance(alice, int):
            history.append(parse_vector(part, alice))
            continue
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
