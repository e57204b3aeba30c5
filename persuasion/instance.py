"""Reading and writing instance files (``persuasion-instance/1``, SPEC section 2).

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
   2020-12, validated with :mod:`jsonschema`; the most relevant error is
   chosen with :func:`jsonschema.exceptions.best_match`);
3. meaning: probabilities non-negative and summing to exactly 1, matrix
   shapes, every name declared, tie-break a permutation of the actions, ...

Nothing is ever repaired silently: no normalising, no guessing.
"""

from __future__ import annotations

import functools
import json
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable, NoReturn, Sequence

import jsonschema
import jsonschema.exceptions
import jsonschema.validators

from persuasion.errors import InputError, json_path, show
from persuasion.jsonio import check_tree, read_json
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

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"

_GAMES = ("simultaneous", "best-ai-selection")


# --------------------------------------------------------------------------
# Stage 2: JSON Schema
# --------------------------------------------------------------------------


def _is_number(checker: Any, value: Any) -> bool:
    # Exact numbers only: ints (not bools) and Fractions (JSON decimals).
    # Floats (NaN, Infinity, or binary floats built in memory) are rejected.
    return isinstance(value, (int, Fraction)) and not isinstance(value, bool)


def _is_integer(checker: Any, value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, Fraction) and value.denominator == 1)


def _is_array(checker: Any, value: Any) -> bool:
    return isinstance(value, (list, tuple))


_TYPE_CHECKER = jsonschema.validators.Draft202012Validator.TYPE_CHECKER.redefine_many(
    {"number": _is_number, "integer": _is_integer, "array": _is_array}
)
ExactValidator = jsonschema.validators.extend(
    jsonschema.validators.Draft202012Validator, type_checker=_TYPE_CHECKER
)
"""Draft 2020-12 validator in which a Fraction is a number and a float is not."""


@functools.cache
def load_schema(filename: str) -> dict:
    """The JSON Schema ``persuasion/schema/<filename>`` as a dict."""
    with open(SCHEMA_DIR / filename, encoding="utf-8") as fh:
        return json.load(fh)


def instance_schema() -> dict:
    """The JSON Schema of ``persuasion-instance/1``."""
    return load_schema("instance.schema.json")


@functools.cache
def _validator(filename: str) -> Any:
    """The validator of a shipped schema.  That the schema itself is valid Draft 2020-12 is a
    test's job (tests/test_instance_io.py), not every start's: checking it costs more than the
    rest of loading a catalog instance."""
    schema = load_schema(filename)
    return ExactValidator(_inline_refs(schema, schema.get("$defs", {})))


def _inline_refs(node: Any, defs: dict, seen: tuple[str, ...] = ()) -> Any:
    """``node`` with every ``{"$ref": "#/$defs/NAME"}`` replaced by that definition.

    The same schema, validated about twice as fast: resolving a reference
    costs more than checking a number, and a matrix holds up to
    ``MAX_UTILITY_CELLS`` of them.  A recursive reference is left as it is.
    """
    if isinstance(node, list):
        return [_inline_refs(item, defs, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if len(node) == 1 and isinstance(ref, str) and ref.startswith("#/$defs/"):
        name = ref[len("#/$defs/"):]
        if name in defs and name not in seen:
            return _inline_refs(defs[name], defs, seen + (name,))
    return {key: value if key == "$defs" else _inline_refs(value, defs, seen) for key, value in node.items()}


_JSON_TYPES = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
    "null": "null",
}

_NUMBER_HELP = 'an exact number (integer, decimal, or string "p/q" / "0.25")'

# What a list of names holds, by the key it sits under (for "duplicate ..." messages).
_LIST_ITEMS = {
    "states": "state",
    "actions": "action",
    "alice": "Alice feature",
    "senders": "sender feature",
    "messages": "message",
    "tie_break": "action",
}


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    if isinstance(value, (int, Fraction)):
        return "number"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _got(value: Any) -> str:
    kind = _json_type(value)
    if kind in ("object", "array"):
        return f"got {_JSON_TYPES[kind]}"
    if kind in ("boolean", "null"):
        return f"got {show(value)}"
    return f"got {kind} {show(value)}"


def _float_problem(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return f"{show(value)} is not allowed: NaN and Infinity are not numbers; write {_NUMBER_HELP}"
    return (
        f"binary float {value!r} is not exact; pass a Fraction or a string such as "
        f'"{value!r}" (JSON files may use decimals: they are read exactly)'
    )


def _describe(err: jsonschema.exceptions.ValidationError) -> str:
    """One clear line for a schema violation."""
    schema = err.schema if isinstance(err.schema, dict) else {}
    validator = err.validator
    value = err.instance
    custom = schema.get(f"x-message-{validator}") or schema.get("x-message")
    if isinstance(value, float) and validator in ("type", "pattern"):
        return _float_problem(value)
    if schema.get("x-kind") == "number":
        if validator == "type":
            return f"expected {_NUMBER_HELP}, {_got(value)}"
        if validator == "pattern":
            return f"not an exact number: {show(value)} (write an integer, a decimal, or \"p/q\" with q > 0)"
    if custom:
        if validator in ("type", "const", "enum"):
            return f"{custom}; {_got(value)}"
        return custom
    if validator == "type":
        wanted = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        names = " or ".join(_JSON_TYPES.get(t, t) for t in wanted)
        return f"expected {names}, {_got(value)}"
    if validator == "required":
        missing = [k for k in err.validator_value if not (isinstance(value, dict) and k in value)]
        key = missing[0] if missing else "?"
        return f"missing required key {show(key)}"
    if validator == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extra = [k for k in value if k not in allowed] if isinstance(value, dict) else []
        key = extra[0] if extra else "?"
        hint = f" (allowed keys: {', '.join(allowed)})" if allowed else ""
        return f"unknown key {show(key)}{hint}"
    if validator == "const":
        return f"expected {show(err.validator_value)}, {_got(value)}"
    if validator == "enum":
        options = ", ".join(show(v) for v in err.validator_value)
        return f"expected one of {options}; {_got(value)}"
    if validator == "minItems":
        if err.validator_value == 1:
            return "must not be empty"
        return f"needs at least {err.validator_value} entries, has {len(value)}"
    if validator == "uniqueItems":
        seen: list[Any] = []
        dup: Any = None
        for item in value:
            if item in seen:
                dup = item
                break
            seen.append(item)
        what = _LIST_ITEMS.get(str(err.absolute_path[-1]) if err.absolute_path else "", "entry")
        return f"duplicate {what} {show(dup)}"
    if validator == "minimum":
        return f"must be at least {show(err.validator_value)}, {_got(value)}"
    if validator == "maximum":
        return f"must be at most {show(err.validator_value)}, {_got(value)}"
    if validator == "minLength":
        return "must not be empty"
    return " ".join(err.message.split())


def schema_check(data: Any, schema_file: str, source: str) -> None:
    """Reject what :func:`~persuasion.jsonio.check_tree` refuses (repeated keys, deep
    nesting, text that is not Unicode, ...), then validate ``data`` against a shipped
    schema, raising the most relevant error as an :class:`InputError`."""
    check_tree(data, source)  # also bounds the nesting, so the validator's recursion stays shallow
    error = jsonschema.exceptions.best_match(_validator(schema_file).iter_errors(data))
    if error is not None:
        raise InputError(source, _describe(error), json_path(list(error.absolute_path)))


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

    def total_is_one(self, total: Fraction, parts: Sequence[str | int], what: str = "probabilities") -> None:
        if total != 1:
            self.fail(parts, f"{what} sum to {show(total)}, not 1 (nothing is normalised for you)")


def name_list(names: Iterable[str], limit: int = 8) -> str:
    """``"a", "b", "c"`` (truncated) for error messages."""
    names = list(names)
    shown = ", ".join(show(n) for n in names[:limit])
    if len(names) > limit:
        shown += f", ... ({len(names)} in all)"
    return shown


def _matrix(ck: _Checker, rows: Any, parts: list[str | int], who: str,
            actions: tuple[str, ...], states: tuple[str, ...]) -> tuple[tuple[Fraction, ...], ...]:
    if len(rows) != len(actions):
        ck.fail(parts, f"{who} utility has {len(rows)} row(s) but there are {len(actions)} "
                       "action(s) (rows = actions, columns = states)")
    out = []
    for r, row in enumerate(rows):
        if len(row) != len(states):
            ck.fail(parts + [r], f"the row for action {show(actions[r])} has {len(row)} entr"
                                 f"{'y' if len(row) == 1 else 'ies'} but there are {len(states)} "
                                 "state(s) (columns = states)")
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
    state_at = {y: k for k, y in enumerate(states)}
    action_at = {a: k for k, a in enumerate(actions)}

    # ---- prior ----------------------------------------------------------
    features = data.get("features")
    raw_prior = data["prior"]
    if features is None:
        state_only = True
        alice_features: tuple[str, ...] = (NO_FEATURE,)
        sender_features: tuple[str, ...] = states
        probs: dict[str, Fraction] = {}
        for key, value in raw_prior.items():
            if key not in state_at:
                ck.fail(["prior", key], f"unknown state {show(key)} (states: {name_list(states)})")
            probs[key] = ck.probability(value, ["prior", key])
        for y in states:
            if y not in probs:
                ck.fail(["prior"], f"no probability for state {show(y)} (write 0 for an impossible state)")
        ck.total_is_one(sum(probs.values(), Fraction(0)), ["prior"], "prior probabilities")
        zero = Fraction(0)
        prior = (
            tuple(
                tuple(probs[y] if b == k else zero for k, y in enumerate(states))
                for b in range(len(states))
            ),
        )
    else:
        state_only = False
        alice_features = tuple(features["alice"])
        sender_features = tuple(features["senders"])
        a_at = {x: k for k, x in enumerate(alice_features)}
        b_at = {x: k for k, x in enumerate(sender_features)}
        table = [[[Fraction(0)] * len(states) for _ in sender_features] for _ in alice_features]
        first_row: dict[tuple[int, int, int], int] = {}
        total = Fraction(0)
        for i, row in enumerate(raw_prior):
            if row["alice"] not in a_at:
                ck.fail(["prior", i, "alice"], f"unknown Alice feature {show(row['alice'])} "
                                               f"(features.alice: {name_list(alice_features)})")
            if row["senders"] not in b_at:
                ck.fail(["prior", i, "senders"], f"unknown sender feature {show(row['senders'])} "
                                                 f"(features.senders: {name_list(sender_features)})")
            if row["state"] not in state_at:
                ck.fail(["prior", i, "state"], f"unknown state {show(row['state'])} (states: {name_list(states)})")
            key = (a_at[row["alice"]], b_at[row["senders"]], state_at[row["state"]])
            if key in first_row:
                ck.fail(["prior", i], f"duplicate row for alice={show(row['alice'])}, "
                                      f"senders={show(row['senders'])}, state={show(row['state'])} "
                                      f"(first given at {json_path(['prior', first_row[key]])})")
            first_row[key] = i
            p = ck.probability(row["p"], ["prior", i, "p"])
            table[key[0]][key[1]][key[2]] = p
            total += p
        ck.total_is_one(total, ["prior"], "prior probabilities")
        prior = tuple(tuple(tuple(r) for r in block) for block in table)

    # ---- utilities and senders --------------------------------------------
    alice_utility = _matrix(ck, data["alice"]["utility"], ["alice", "utility"], "Alice's", actions, states)
    senders = []
    first_sender: dict[str, int] = {}
    for i, raw in enumerate(data["senders"]):
        name = raw["name"]
        if name in first_sender:
            ck.fail(["senders", i, "name"], f"duplicate sender name {show(name)} "
                                            f"(first given at {json_path(['senders', first_sender[name]])})")
        first_sender[name] = i
        utility = _matrix(ck, raw["utility"], ["senders", i, "utility"], f"sender {show(name)}'s", actions, states)
        spec = raw.get("messages", len(sender_features))
        if isinstance(spec, (list, tuple)):
            messages = tuple(spec)
        else:
            messages = tuple(str(k) for k in range(int(spec)))  # at most MAX_NAMES (persuasion.sizes)
        senders.append(Sender(name=name, utility=utility, messages=messages))

    # ---- protocol ---------------------------------------------------------
    raw_protocol = data.get("protocol", {})
    game = raw_protocol.get("game", "simultaneous")
    rounds = int(raw_protocol.get("rounds", 1))
    alice_messages = int(raw_protocol.get("alice_messages", 1))
    decision = raw_protocol.get("decision", {"rule": "best-response"})
    rule = decision["rule"]
    lam = None
    if rule == "quantal":
        lam = ck.number(decision["lambda"], ["protocol", "decision", "lambda"])
        if lam <= 0:
            ck.fail(["protocol", "decision", "lambda"], f"lambda must be positive, got {show(lam)}")
    if "tie_break" in raw_protocol:
        order = []
        for k, a in enumerate(raw_protocol["tie_break"]):
            if a not in action_at:
                ck.fail(["protocol", "tie_break", k], f"unknown action {show(a)} (actions: {name_list(actions)})")
            order.append(action_at[a])
        missing = [a for a in actions if action_at[a] not in order]
        if missing:
            ck.fail(["protocol", "tie_break"], "must list every action exactly once; "
                                               f"missing {name_list(missing)}")
        tie_break = tuple(order)
    else:
        tie_break = tuple(range(len(actions)))
    protocol = Protocol(
        tie_break=tie_break,
        game=game,
        rounds=rounds,
        alice_messages=alice_messages,
        decision=rule,
        lam=lam,
    )

    return Instance(
        name=data.get("name", _default_name(source)),
        states=states,
        actions=actions,
        alice_features=alice_features,
        sender_features=sender_features,
        prior=prior,
        alice_utility=alice_utility,
        senders=tuple(senders),
        protocol=protocol,
        description=data.get("description", ""),
        state_only=state_only,
    )


def load_instance(path: str | Path) -> Instance:
    """Read an instance file; raise :class:`InputError` for ANY problem with it."""
    return parse_instance(read_json(path), source=str(path))


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def _is_state_only(inst: Instance) -> bool:
    if not inst.state_only:
        return False
    if tuple(inst.alice_features) != (NO_FEATURE,) or tuple(inst.sender_features) != tuple(inst.states):
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
        out["features"] = {"alice": list(inst.alice_features), "senders": list(inst.sender_features)}
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
        senders.append({
            "name": s.name,
            "utility": [[fmt(v) for v in row] for row in s.utility],
            "messages": messages,
        })
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
