"""Reading and writing instance files (``persuasion-instance/1``, docs/reference/file-formats.md).

:func:`load_instance` reads a file, :func:`parse_instance` already-parsed
JSON, :func:`dump_instance` writes a JSON-ready dict (exact numbers as
``"p/q"`` strings) such that ``parse_instance(dump_instance(x)) == x``.

Input is checked in three stages, each failure an
:class:`~persuasion.errors.InputError` of one line naming the file, the JSON
path and the problem:

1. reading: the file exists, is UTF-8 and is JSON (line and column on error),
   with no repeated key in any object, within the limits of
   :mod:`persuasion.limits` (file size, number size, nesting -- see
   :mod:`persuasion.jsonio` -- and then instance size, :mod:`persuasion.sizes`);
2. structure: the JSON Schema shipped in ``persuasion/schema/`` (draft
   2020-12; :mod:`persuasion.conformance` checks it, and only for a file
   that does not conform loads :mod:`jsonschema` to name the most relevant
   violation);
3. meaning: probabilities non-negative and summing to exactly 1, matrix
   shapes, every name declared, tie-break a permutation of the actions, ...

Nothing is ever repaired silently: no normalising, no guessing.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any, NoReturn
from collections.abc import Iterable, Sequence

from persuasion.catalog.lookup import instance_file
from persuasion.conformance import load_schema, schema_check
from persuasion.errors import InputError, json_path, show
from persuasion.jsonio import read_json
from persuasion.model import NO_FEATURE, Instance, Protocol, Sender
from persuasion.numbers import fmt, to_fraction
from persuasion.sizes import check_instance_size

__all__ = [
    "FORMAT",
    "load_instance",
    "parse_instance",
    "dump_instance",
    "instance_schema",
]

FORMAT = "persuasion-instance/1"


def instance_schema() -> dict:
    """The JSON Schema of ``persuasion-instance/1``."""
    return load_schema("instance.schema.json")


# --------------------------------------------------------------------------
# Stage 3: meaning
# --------------------------------------------------------------------------


class _Checker:
    """Semantic checks with a shared source name."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, parts: Sequence[str | int], problem: str) -> NoReturn:
        raise InputError(self.source, problem, json_path(list(parts)))

    def number(self, value: Any, parts: Sequence[str | int]) -> Fraction:
        try:
            return to_fraction(value)
        except ValueError as err:
            self.fail(parts, str(err))

    def probability(self, value: Any, parts: Sequence[str | int]) -> Fraction:
        p = self.number(value, parts)
        if p < 0:
            self.fail(parts, f"probability is negative: {show(p)}")
        return p

    def total_is_one(
        self, total: Fraction, parts: Sequence[str | int], what: str = "probabilities"
    ) -> None:
        if total != 1:
            self.fail(parts, f"{what} sum to {show(total)}, not 1 (nothing is normalised for you)")


def name_list(names: Iterable[str], limit: int = 8) -> str:
    """``"a", "b", "c"`` (truncated) for error messages."""
    names = list(names)
    shown = ", ".join(show(n) for n in names[:limit])
    if len(names) > limit:
        shown += f", ... ({len(names)} in all)"
    return shown


def _matrix(
    ck: _Checker,
    rows: Any,
    parts: list[str | int],
    who: str,
    actions: tuple[str, ...],
    states: tuple[str, ...],
) -> tuple[tuple[Fraction, ...], ...]:
    if len(rows) != len(actions):
        ck.fail(
            parts,
            f"{who} utility has {len(rows)} row(s) but there are {len(actions)} "
            "action(s) (rows = actions, columns = states)",
        )
    out = []
    for r, row in enumerate(rows):
        if len(row) != len(states):
            ck.fail(
                parts + [r],
                f"the row for action {show(actions[r])} has {len(row)} entr"
                f"{'y' if len(row) == 1 else 'ies'} but there are {len(states)} "
                "state(s) (columns = states)",
            )
        out.append(tuple(ck.number(v, parts + [r, c]) for c, v in enumerate(row)))
    return tuple(out)


def _default_name(source: str) -> str:
    if source.startswith("<"):
        return ""
    return Path(source).stem


def parse_instance(data: Any, source: str = "<memory>") -> Instance:
    """Build an :class:`Instance` from parsed JSON (numbers may be int, Fraction or str).

    ``source`` names the input in error messages.  A missing ``name`` defaults
    to the file's stem (``""`` for ``"<memory>"``).
    Raises :class:`InputError` for any problem.
    """
    check_instance_size(data, source)
    schema_check(data, "instance.schema.json", source)
    ck = _Checker(source)

    states = tuple(data["states"])
    actions = tuple(data["actions"])
    features = data.get("features")
    if features is None:
        alice_features: tuple[str, ...] = (NO_FEATURE,)
        sender_features: tuple[str, ...] = states
        prior = _state_prior(ck, data["prior"], states)
    else:
        alice_features = tuple(features["alice"])
        sender_features = tuple(features["senders"])
        prior = _joint_prior(ck, data["prior"], alice_features, sender_features, states)
    alice_utility = _matrix(
        ck, data["alice"]["utility"], ["alice", "utility"], "Alice's", actions, states
    )
    senders = _senders(ck, data["senders"], actions, states, len(sender_features))
    return Instance(
        name=data.get("name", _default_name(source)),
        states=states,
        actions=actions,
        alice_features=alice_features,
        sender_features=sender_features,
        prior=prior,
        alice_utility=alice_utility,
        senders=senders,
        protocol=_protocol(ck, data.get("protocol", {}), actions),
        description=data.get("description", ""),
        state_only=features is None,
    )


def _state_prior(ck: _Checker, raw_prior: dict, states: tuple[str, ...]) -> tuple:
    """The prior of a state-only instance (``{state: p}``), as the table ``[x_A][x_B][y]`` with one
    Alice feature and the state as the senders' feature."""
    state_at = {y: k for k, y in enumerate(states)}
    probs: dict[str, Fraction] = {}
    for key, value in raw_prior.items():
        if key not in state_at:
            ck.fail(["prior", key], f"unknown state {show(key)} (states: {name_list(states)})")
        probs[key] = ck.probability(value, ["prior", key])
    for y in states:
        if y not in probs:
            ck.fail(
                ["prior"],
                f"no probability for state {show(y)} (write 0 for an impossible state)",
            )
    ck.total_is_one(sum(probs.values(), Fraction(0)), ["prior"], "prior probabilities")
    zero = Fraction(0)
    return (
        tuple(
            tuple(probs[y] if b == k else zero for k, y in enumerate(states))
            for b in range(len(states))
        ),
    )


def _joint_prior(
    ck: _Checker,
    raw_prior: list,
    alice_features: tuple[str, ...],
    sender_features: tuple[str, ...],
    states: tuple[str, ...],
) -> tuple:
    """The joint prior ``P(x_A, x_B, y)`` from its rows, as the table ``[x_A][x_B][y]``."""
    state_at = {y: k for k, y in enumerate(states)}
    a_at = {x: k for k, x in enumerate(alice_features)}
    b_at = {x: k for k, x in enumerate(sender_features)}
    table = [[[Fraction(0)] * len(states) for _ in sender_features] for _ in alice_features]
    first_row: dict[tuple[int, int, int], int] = {}
    total = Fraction(0)
    for i, row in enumerate(raw_prior):
        if row["alice"] not in a_at:
            ck.fail(
                ["prior", i, "alice"],
                f"unknown Alice feature {show(row['alice'])} "
                f"(features.alice: {name_list(alice_features)})",
            )
        if row["senders"] not in b_at:
            ck.fail(
                ["prior", i, "senders"],
                f"unknown sender feature {show(row['senders'])} "
                f"(features.senders: {name_list(sender_features)})",
            )
        if row["state"] not in state_at:
            ck.fail(
                ["prior", i, "state"],
                f"unknown state {show(row['state'])} (states: {name_list(states)})",
            )
        key = (a_at[row["alice"]], b_at[row["senders"]], state_at[row["state"]])
        if key in first_row:
            ck.fail(
                ["prior", i],
                f"duplicate row for alice={show(row['alice'])}, "
                f"senders={show(row['senders'])}, state={show(row['state'])} "
                f"(first given at {json_path(['prior', first_row[key]])})",
            )
        first_row[key] = i
        p = ck.probability(row["p"], ["prior", i, "p"])
        table[key[0]][key[1]][key[2]] = p
        total += p
    ck.total_is_one(total, ["prior"], "prior probabilities")
    return tuple(tuple(tuple(r) for r in block) for block in table)


def _senders(
    ck: _Checker,
    raw_senders: list,
    actions: tuple[str, ...],
    states: tuple[str, ...],
    num_sender_features: int,
) -> tuple[Sender, ...]:
    """The senders: unique names, utility matrices, messages (a count defaults to ``|X_B|``)."""
    senders = []
    first_sender: dict[str, int] = {}
    for i, raw in enumerate(raw_senders):
        name = raw["name"]
        if name in first_sender:
            ck.fail(
                ["senders", i, "name"],
                f"duplicate sender name {show(name)} "
                f"(first given at {json_path(['senders', first_sender[name]])})",
            )
        first_sender[name] = i
        utility = _matrix(
            ck, raw["utility"], ["senders", i, "utility"], f"sender {show(name)}'s", actions, states
        )
        spec = raw.get("messages", num_sender_features)
        if isinstance(spec, (list, tuple)):
            messages = tuple(spec)
        else:  # a count: at most MAX_NAMES (persuasion.sizes)
            messages = tuple(str(k) for k in range(int(spec)))
        senders.append(Sender(name=name, utility=utility, messages=messages))
    return tuple(senders)


def _protocol(ck: _Checker, raw_protocol: dict, actions: tuple[str, ...]) -> Protocol:
    """The protocol: the game, rounds, Alice's messages, her decision rule and tie-break."""
    decision = raw_protocol.get("decision", {"rule": "best-response"})
    rule = decision["rule"]
    lam = None
    if rule == "quantal":
        lam = ck.number(decision["lambda"], ["protocol", "decision", "lambda"])
        if lam <= 0:
            ck.fail(["protocol", "decision", "lambda"], f"lambda must be positive, got {show(lam)}")
    if "tie_break" in raw_protocol:
        tie_break = _tie_break(ck, raw_protocol["tie_break"], actions)
    else:
        tie_break = tuple(range(len(actions)))
    return Protocol(
        tie_break=tie_break,
        game=raw_protocol.get("game", "simultaneous"),
        rounds=int(raw_protocol.get("rounds", 1)),
        alice_messages=int(raw_protocol.get("alice_messages", 1)),
        decision=rule,
        lam=lam,
    )


def _tie_break(ck: _Checker, raw: list, actions: tuple[str, ...]) -> tuple[int, ...]:
    """Alice's tie-break order as action indices: every action exactly once."""
    action_at = {a: k for k, a in enumerate(actions)}
    order = []
    for k, a in enumerate(raw):
        if a not in action_at:
            ck.fail(
                ["protocol", "tie_break", k],
                f"unknown action {show(a)} (actions: {name_list(actions)})",
            )
        order.append(action_at[a])
    missing = [a for a in actions if action_at[a] not in order]
    if missing:
        ck.fail(
            ["protocol", "tie_break"],
            f"must list every action exactly once; missing {name_list(missing)}",
        )
    return tuple(order)


def load_instance(path: str | Path) -> Instance:
    """Read an instance file; raise :class:`InputError` for ANY problem with it.

    ``path`` may also be the slug of a game of :mod:`persuasion.catalog` (such as
    ``"kamenica-gentzkow-2011-prosecutor"``): a file that exists wins, else the
    slug's packaged file is read (:func:`persuasion.catalog.instance_file`).
    """
    path = instance_file(path)
    return parse_instance(read_json(path), source=str(path))


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def _is_state_only(inst: Instance) -> bool:
    if not inst.state_only:
        return False
    if tuple(inst.alice_features) != (NO_FEATURE,) or tuple(inst.sender_features) != tuple(
        inst.states
    ):
        return False
    block = inst.prior[0]
    return all(block[b][y] == 0 for b in range(len(block)) for y in range(len(block[b])) if b != y)


def dump_instance(instance: Instance) -> dict:
    """A JSON-ready dict for ``instance`` (every number a ``"p/q"`` string).

    ``parse_instance(dump_instance(x)) == x`` for every instance that
    :func:`parse_instance` can produce.  Joint priors list only the rows with
    positive probability.
    """
    inst = instance
    out: dict[str, Any] = {"format": FORMAT, "name": inst.name}
    if inst.description:
        out["description"] = inst.description
    out["states"] = list(inst.states)
    out["actions"] = list(inst.actions)
    if _is_state_only(inst):
        out["prior"] = {y: fmt(inst.prior[0][k][k]) for k, y in enumerate(inst.states)}
    else:
        out["features"] = {
            "alice": list(inst.alice_features),
            "senders": list(inst.sender_features),
        }
        rows = []
        for a, xa in enumerate(inst.alice_features):
            for b, xb in enumerate(inst.sender_features):
                for y, state in enumerate(inst.states):
                    p = inst.prior[a][b][y]
                    if p != 0:
                        rows.append({"alice": xa, "senders": xb, "state": state, "p": fmt(p)})
        out["prior"] = rows
    out["alice"] = {"utility": [[fmt(v) for v in row] for row in inst.alice_utility]}
    senders = []
    for s in inst.senders:
        messages: Any = list(s.messages)
        if tuple(s.messages) == tuple(str(k) for k in range(len(s.messages))):
            messages = len(s.messages)
        senders.append(
            {
                "name": s.name,
                "utility": [[fmt(v) for v in row] for row in s.utility],
                "messages": messages,
            }
        )
    out["senders"] = senders
    p = inst.protocol
    decision: dict[str, Any] = {"rule": p.decision}
    if p.decision == "quantal":
        decision["lambda"] = fmt(p.lam)
    out["protocol"] = {
        "game": p.game,
        "rounds": p.rounds,
        "alice_messages": p.alice_messages,
        "decision": decision,
        "tie_break": [inst.actions[k] for k in p.tie_break],
    }
    return out
