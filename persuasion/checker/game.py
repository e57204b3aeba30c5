"""The game as the kernel reads and recomputes it (Section B; Definitions 2, 5, 8, 16, 19).

:func:`read_game` reads the embedded instance text (``persuasion-instance/1``,
the same rules as :mod:`persuasion.instance`, without jsonschema) and refuses
an instance beyond :mod:`persuasion.limits` before any work.  The rest is the
kernel's own short code for outcomes: Alice's posterior after every message
vector, her tie-broken best action, the induced joint distribution of action
and state, expectations and the first-best.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from persuasion import limits
from persuasion.checker.core import Invalid, array, fields, keyed, number, require, text
from persuasion.errors import InputError
from persuasion.jsonio import loads_json

ZERO = Fraction(0)
Matrix = list[list[Fraction]]
Scheme = list[list[Fraction]]
"""``scheme[x_B][m] = pi(m | x_B)``."""


@dataclass(frozen=True)
class Game:
    """The instance, by position: ``prior[x_A][x_B][y]``, utilities ``[a][y]``, ``tie_break`` most
    preferred first."""

    states: tuple[str, ...]
    actions: tuple[str, ...]
    sender_features: tuple[str, ...]
    prior: list[list[list[Fraction]]]
    alice: Matrix
    names: tuple[str, ...]
    utilities: list[Matrix]
    messages: list[tuple[str, ...]]
    tie_break: tuple[int, ...]
    game: str
    best_response: bool
    """One round, Alice silent, best-response decisions: the protocol Theorems 1, 6 and 7 are
    about."""
    alice_features: tuple[str, ...] = ("none",)
    """Alice's features ``X_A`` (``("none",)`` for a prior over states only)."""
    lam: Fraction | None = None
    """The quantal rule's ``lambda`` (Definition 11), None for best-response decisions."""
    one_round: bool = True
    """One round and Alice silent (``rounds`` and ``alice_messages`` 1)."""
    rounds: int = 1
    """``R``: rounds of the conversation (Algorithm 1)."""
    alice_messages: int = 1
    """``|M_A|``: Alice's messages to each sender every round."""


# --------------------------------------------------------------------------- reading


def read_game(raw: bytes) -> Game:
    """The embedded instance file, read strictly; :class:`Invalid` for any problem."""
    try:
        data = loads_json(raw.decode("utf-8-sig"), "instance_text")
    except InputError as error:
        raise Invalid(f"instance_text: {error.problem}") from None
    d = fields(
        data,
        "instance",
        ("format", "states", "actions", "prior", "alice", "senders"),
        ("name", "description", "features", "protocol"),
    )
    require(
        d["format"] == "persuasion-instance/1", "instance.format: expected 'persuasion-instance/1'"
    )
    for key in ("name", "description"):
        require(isinstance(d.get(key, ""), str), f"instance.{key}: expected a string")
    require(not _CONTROL.search(d.get("name", "")), "instance.name: a control character")
    states, actions = (
        _names(d["states"], "instance.states"),
        _names(d["actions"], "instance.actions"),
    )
    require(
        len(states) * len(actions) <= limits.MAX_UTILITY_CELLS,
        f"instance: |A| * |Y| beyond MAX_UTILITY_CELLS = {limits.MAX_UTILITY_CELLS}",
    )
    alice_f, sender_f, prior = _prior(d, states)
    alice = _matrix(
        fields(d["alice"], "instance.alice", ("utility",))["utility"],
        "instance.alice.utility",
        actions,
        states,
    )
    names, utilities, messages = _senders(d["senders"], actions, states, len(sender_f))
    terms = len(prior) * len(sender_f) * math.prod(len(m) for m in messages)
    require(
        terms <= limits.MAX_OUTCOME_TERMS,
        f"instance: |X_A| * |X_B| * prod |M_i| = {terms} beyond MAX_OUTCOME_TERMS = "
        f"{limits.MAX_OUTCOME_TERMS}",
    )
    game, tie_break, simple, lam, counts = _protocol(d.get("protocol", {}), actions)
    return Game(
        states,
        actions,
        sender_f,
        prior,
        alice,
        tuple(names),
        utilities,
        messages,
        tie_break,
        game,
        simple,
        alice_f,
        lam,
        counts == [1, 1],
        *counts,
    )


def _prior(d: dict, states: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...], list]:
    """Alice's and the senders' features and the prior table ``[x_A][x_B][y]``, which must sum
    to 1."""
    if "features" in d:
        f = fields(d["features"], "instance.features", ("alice", "senders"))
        alice_f = _names(f["alice"], "instance.features.alice")
        sender_f = _names(f["senders"], "instance.features.senders")
        prior = _joint_prior(d["prior"], alice_f, sender_f, states)
    else:
        alice_f, sender_f = ("none",), states
        p = keyed(d["prior"], "instance.prior", states)
        probs = [_probability(p[y], f"instance.prior.{y}") for y in states]
        prior = [[[q if b == y else ZERO for y, q in enumerate(probs)] for b in range(len(states))]]
    require(
        sum((q for table in prior for row in table for q in row), ZERO) == 1,
        "instance.prior: does not sum to 1",
    )
    return alice_f, sender_f, prior


def _senders(
    value: Any, actions: tuple[str, ...], states: tuple[str, ...], num_sender_features: int
) -> tuple[list[str], list[Matrix], list[tuple[str, ...]]]:
    """Every sender's name (unique), utility matrix and messages."""
    senders = array(value, "instance.senders")
    require(
        1 <= len(senders) <= limits.MAX_SENDERS,
        f"instance.senders: 1 to MAX_SENDERS = {limits.MAX_SENDERS} senders",
    )
    names, utilities, messages = [], [], []
    for i, raw_sender in enumerate(senders):
        where = f"instance.senders[{i}]"
        s = fields(raw_sender, where, ("name", "utility"), ("messages",))
        names.append(_name(s["name"], f"{where}.name"))
        utilities.append(_matrix(s["utility"], f"{where}.utility", actions, states))
        spec = s.get("messages", num_sender_features)
        if isinstance(spec, list):
            messages.append(_names(spec, f"{where}.messages"))
        else:
            count = _count(spec, f"{where}.messages")
            require(
                count <= limits.MAX_NAMES,
                f"{where}.messages: a count from 1 to MAX_NAMES = {limits.MAX_NAMES}",
            )
            messages.append(tuple(str(m) for m in range(count)))
    require(len(set(names)) == len(names), "instance.senders: two senders share a name")
    return names, utilities, messages


def _names(value: Any, where: str) -> tuple[str, ...]:
    items = array(value, where)
    require(
        1 <= len(items) <= limits.MAX_NAMES, f"{where}: 1 to MAX_NAMES = {limits.MAX_NAMES} names"
    )
    names = tuple(_name(v, f"{where}[{k}]") for k, v in enumerate(items))
    require(len(set(names)) == len(names), f"{where}: a name appears twice")
    return names


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
"""What a name may not contain (the instance schema's rule)."""


def _name(value: Any, where: str) -> str:
    require(not _CONTROL.search(text(value, where)), f"{where}: a control character in a name")
    return value


def _count(value: Any, where: str) -> int:
    """A positive count written as a JSON integer (``2``, never ``2.0`` -- read as a decimal -- nor
    the string ``"2"``), as the schema says."""
    require(
        isinstance(value, int) and not isinstance(value, bool), f"{where}: expected a JSON integer"
    )
    require(value >= 1, f"{where}: expected a positive integer")
    return value


def _probability(value: Any, where: str) -> Fraction:
    p = number(value, where, decimals=True)
    require(p >= 0, f"{where}: negative probability")
    return p


def _matrix(value: Any, where: str, actions: tuple, states: tuple) -> Matrix:
    rows = array(value, where, len(actions))
    return [
        [
            number(v, f"{where}[{a}][{y}]", decimals=True)
            for y, v in enumerate(array(row, f"{where}[{a}]", len(states)))
        ]
        for a, row in enumerate(rows)
    ]


def _joint_prior(value: Any, alice_f: tuple, sender_f: tuple, states: tuple) -> list:
    rows = array(value, "instance.prior")
    require(
        len(rows) <= limits.MAX_PRIOR_ROWS,
        f"instance.prior: beyond MAX_PRIOR_ROWS = {limits.MAX_PRIOR_ROWS} rows",
    )
    require(
        len(alice_f) * len(sender_f) * len(states) <= limits.MAX_PRIOR_ROWS,
        f"instance: |X_A| * |X_B| * |Y| beyond MAX_PRIOR_ROWS = {limits.MAX_PRIOR_ROWS}",
    )
    prior = [[[ZERO] * len(states) for _ in sender_f] for _ in alice_f]
    seen = set()
    for k, row in enumerate(rows):
        where = f"instance.prior[{k}]"
        r = fields(row, where, ("alice", "senders", "state", "p"))
        key = tuple(
            _position(r[part], names, f"{where}.{part}")
            for part, names in (("alice", alice_f), ("senders", sender_f), ("state", states))
        )
        require(key not in seen, f"{where}: a second row for the same (alice, senders, state)")
        seen.add(key)
        prior[key[0]][key[1]][key[2]] = _probability(r["p"], f"{where}.p")
    return prior


def _position(value: Any, names: tuple, where: str) -> int:
    require(isinstance(value, str) and value in names, f"{where}: unknown name")
    return names.index(value)


def _protocol(value: Any, actions: tuple) -> tuple[str, tuple[int, ...], bool, Any, list[int]]:
    p = fields(
        value,
        "instance.protocol",
        (),
        ("game", "rounds", "alice_messages", "decision", "tie_break"),
    )
    game = p.get("game", "simultaneous")
    require(game in ("simultaneous", "best-ai-selection"), "instance.protocol.game: unknown game")
    counts = [
        _count(p.get(key, 1), f"instance.protocol.{key}") for key in ("rounds", "alice_messages")
    ]
    decision = fields(
        p.get("decision", {"rule": "best-response"}),
        "instance.protocol.decision",
        ("rule",),
        ("lambda",),
    )
    rule = decision["rule"]
    require(rule in ("best-response", "quantal"), "instance.protocol.decision.rule: unknown rule")
    require(
        (rule == "quantal") == ("lambda" in decision),
        "instance.protocol.decision: lambda goes with the quantal rule",
    )
    lam = None
    if rule == "quantal":
        lam = number(decision["lambda"], "instance.protocol.decision.lambda", decimals=True)
        require(lam > 0, "instance.protocol.decision.lambda: must be positive")
    order = tuple(
        _position(a, actions, f"instance.protocol.tie_break[{k}]")
        for k, a in enumerate(
            array(p.get("tie_break", list(actions)), "instance.protocol.tie_break")
        )
    )
    require(
        sorted(order) == list(range(len(actions))),
        "instance.protocol.tie_break: must list every action once",
    )
    return game, order, counts == [1, 1] and rule == "best-response", lam, counts


def read_scheme(value: Any, where: str, game: Game, messages: tuple[str, ...]) -> Scheme:
    """A scheme ``{x_B: {message: p}}`` (docs/reference/file-formats.md): every row a distribution
    over
    ``messages``."""
    rows = keyed(value, where, game.sender_features)
    scheme = []
    for xb in game.sender_features:
        row = fields(rows[xb], f"{where}.{xb}", (), messages)
        probs = [_probability(row.get(m, 0), f"{where}.{xb}.{m}") for m in messages]
        require(sum(probs) == 1, f"{where}.{xb}: probabilities do not sum to 1")
        scheme.append(probs)
    return scheme


def read_profile(value: Any, game: Game) -> list[Scheme]:
    """A ``persuasion-profile/1`` object: one scheme per sender of the instance."""
    p = fields(value, "profile", ("format", "rules"))
    require(
        p["format"] == "persuasion-profile/1", "profile.format: expected 'persuasion-profile/1'"
    )
    rules = keyed(p["rules"], "profile.rules", game.names)
    return [
        read_scheme(rules[name], f"profile.rules.{name}", game, game.messages[i])
        for i, name in enumerate(game.names)
    ]


# --------------------------------------------------------------------------- outcomes


def best_action(game: Game, posterior: list[Fraction]) -> int:
    """Alice's action at the unnormalised ``posterior`` (Definition 4): the earliest best in the
    tie-break."""
    values = [
        sum((w * u for w, u in zip(posterior, row, strict=True) if w), ZERO) for row in game.alice
    ]
    top = max(values)
    return next(a for a in game.tie_break if values[a] == top)


def events(game: Game, schemes: list[Scheme]) -> dict[tuple, list[Fraction]]:
    """Every situation ``(x_A, messages)`` of positive probability when Alice hears every scheme in
    ``schemes``, with her unnormalised posterior ``w(y) = P(x_A, messages, y)``."""
    found: dict = {}
    for xa, table in enumerate(game.prior):
        for xb, row in enumerate(table):
            if not any(row):
                continue
            for msgs in itertools.product(*(range(len(s[xb])) for s in schemes)):
                p = Fraction(1)
                for s, m in zip(schemes, msgs, strict=True):
                    p *= s[xb][m]
                if p:
                    w = found.setdefault((xa, msgs), [ZERO] * len(game.states))
                    for y, q in enumerate(row):
                        w[y] += q * p
    return found


def joint(game: Game, schemes: list[Scheme]) -> Matrix:
    """Definition 5: the distribution of (action, state) when Alice hears every scheme in
    ``schemes``."""
    dist = [[ZERO] * len(game.states) for _ in game.actions]
    for w in events(game, schemes).values():
        a = best_action(game, w)
        dist[a] = [d + q for d, q in zip(dist[a], w, strict=True)]
    return dist


def expectation(utility: Matrix, dist: Matrix) -> Fraction:
    return sum(
        (
            u * p
            for urow, prow in zip(utility, dist, strict=True)
            for u, p in zip(urow, prow, strict=True)
        ),
        ZERO,
    )


def utilities(game: Game, dist: Matrix) -> tuple[Fraction, list[Fraction]]:
    """Alice's and every sender's expected utility under ``dist``."""
    return expectation(game.alice, dist), [expectation(u, dist) for u in game.utilities]


def first_best(game: Game) -> Fraction:
    """Definition 2: ``OPT = sum_{x_A, x_B} max_a sum_y P(x_A, x_B, y) u_A(a, y)``."""
    return sum(
        (
            max(sum((p * u for p, u in zip(row, urow, strict=True)), ZERO) for urow in game.alice)
            for table in game.prior
            for row in table
        ),
        ZERO,
    )


def teaches_best_action(game: Game, scheme: Scheme) -> bool:
    """Proposition 1, robust to ties: after each message ``m`` (and each ``x_A``) one action is
    Alice's tie-broken best for *every* ``x_B`` that sends ``m``. It then stays her best under any
    non-negative mix of those ``x_B`` (ties included), so whatever else she hears she takes it, and
    every sender deviating to ``scheme`` induces the same distribution: Definition 9 at every
    profile. (``U_A(scheme) = OPT`` alone is not enough when Alice has ties.)"""
    return all(
        len({best_action(game, row) for xb, row in enumerate(table) if scheme[xb][m] and any(row)})
        <= 1
        for table in game.prior
        for m in range(len(scheme[0]))
    )


def messages_used(scheme: Scheme) -> int:
    """One more than the last message the scheme ever sends."""
    return max((m for row in scheme for m, p in enumerate(row) if p), default=0) + 1


def as_sender(scheme: Scheme, count: int) -> Scheme | None:
    """``scheme`` played by a sender with ``count`` messages (message k for k), or None if it needs
    more."""
    if messages_used(scheme) > count:
        return None
    return [row[:count] + [ZERO] * (count - len(row)) for row in scheme]
