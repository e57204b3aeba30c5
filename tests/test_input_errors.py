"""Every kind of bad input gives ONE line: "<file>: <json path>: <problem>".

Each case is a file content (built from a valid instance by one mutation, or
raw text/bytes) and the fragments its error must contain.
"""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from pathlib import Path
from typing import Any
from collections.abc import Callable

import pytest

from persuasion.errors import InputError, json_path
from persuasion.instance import load_instance, parse_instance
from persuasion.limits import (
    MAX_ERROR_CHARS,
    MAX_EXPONENT,
    MAX_FILE_BYTES,
    MAX_NAMES,
    MAX_NESTING,
    MAX_NUMBER_CHARS,
    MAX_OUTCOME_TERMS,
    MAX_PRIOR_ROWS,
    MAX_SENDERS,
    MAX_UTILITY_CELLS,
)
from persuasion.profile import load_profile, parse_profile

BASE: dict[str, Any] = {
    "format": "persuasion-instance/1",
    "name": "judge-prosecutor",
    "states": ["guilty", "innocent"],
    "actions": ["acquit", "convict"],
    "prior": {"guilty": "2/3", "innocent": "1/3"},
    "alice": {"utility": [[1, 2], [2, 1]]},
    "senders": [
        {"name": "prosecutor", "utility": [[0, 0], [2, 1]], "messages": 2},
        {"name": "defense", "utility": [[1, 2], [0, 0]], "messages": 2},
    ],
    "protocol": {
        "game": "simultaneous",
        "rounds": 1,
        "alice_messages": 1,
        "decision": {"rule": "best-response"},
        "tie_break": ["acquit", "convict"],
    },
}

JOINT: dict[str, Any] = {
    "format": "persuasion-instance/1",
    "states": ["high", "low"],
    "actions": ["buy", "skip"],
    "features": {"alice": ["young", "old"], "senders": ["good", "bad"]},
    "prior": [
        {"alice": "young", "senders": "good", "state": "high", "p": "1/4"},
        {"alice": "old", "senders": "bad", "state": "low", "p": "1/2"},
        {"alice": "old", "senders": "good", "state": "low", "p": "1/4"},
    ],
    "alice": {"utility": [[1, -1], [0, 0]]},
    "senders": [{"name": "seller", "utility": [[1, 1], [0, 0]]}],
}


def mutate(base: dict, change: Callable[[dict], Any]) -> str:
    data = copy.deepcopy(base)
    change(data)
    return json.dumps(data)


def setp(path: list, value: Any) -> Callable[[dict], None]:
    """Set data[path...] = value."""

    def change(data: dict) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def delp(path: list) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


def raw_with(base: dict, key: str, raw_value: str) -> str:
    """The base instance with top-level ``key``'s value replaced by raw JSON text."""
    data = copy.deepcopy(base)
    data[key] = "@@@"
    return json.dumps(data).replace('"@@@"', raw_value)


# (id, content, path (None: no JSON path), fragments of the problem)
INSTANCE_CASES: list[tuple[str, str | bytes, str | None, list[str]]] = [
    # --- reading ---------------------------------------------------------
    (
        "invalid-json",
        '{"format": "persuasion-instance/1",\n  "states": ["a" "b"]}',
        None,
        ["invalid JSON at line 2, column 18", "Expecting ',' delimiter"],
    ),
    (
        "trailing-comma",
        '{"format": "persuasion-instance/1",}',
        None,
        ["invalid JSON at line 1, column 36"],
    ),
    ("empty-file", "", None, ["the file is empty"]),
    ("not-utf8", b'{"name": "caf\xe9"}', None, ["not UTF-8 text", "byte 0xe9 at offset 13"]),
    (
        "duplicate-key",
        '{"format": "persuasion-instance/1", "states": ["a"], "states": ["b"]}',
        "$.states",
        ['duplicate key "states"'],
    ),
    (
        "nan-literal",
        raw_with(BASE, "prior", '{"guilty": NaN, "innocent": "1/3"}'),
        "$.prior.guilty",
        ["NaN is not allowed", "NaN and Infinity are not numbers"],
    ),
    (
        "infinity-literal",
        mutate(BASE, setp(["alice", "utility"], "@@")).replace('"@@"', "[[Infinity, 1], [1, 1]]"),
        "$.alice.utility[0][0]",
        ["Infinity is not allowed"],
    ),
    # --- structure -------------------------------------------------------
    (
        "deeply-nested",
        '{"format": "persuasion-instance/1", "name": ' + "[" * 100000 + "]" * 100000 + "}",
        None,
        ["nested far more than 64 levels deep; the limit is 64 (see docs/reference/limits.md)"],
    ),
    ("top-level-array", "[1, 2]", "$", ["expected an object, got a list"]),
    (
        "wrong-format",
        mutate(BASE, setp(["format"], "persuasion-instance/2")),
        "$.format",
        ['format must be exactly "persuasion-instance/1"', 'got string "persuasion-instance/2"'],
    ),
    ("missing-format", mutate(BASE, delp(["format"])), "$", ['missing required key "format"']),
    ("missing-senders", mutate(BASE, delp(["senders"])), "$", ['missing required key "senders"']),
    (
        "unknown-top-key",
        mutate(BASE, setp(["colour"], "red")),
        "$",
        ['unknown key "colour"', "allowed keys:"],
    ),
    (
        "unknown-sender-key",
        mutate(BASE, setp(["senders", 0, "weight"], 1)),
        "$.senders[0]",
        ['unknown key "weight"', "name, utility, messages"],
    ),
    (
        "boolean-number",
        mutate(BASE, setp(["senders", 1, "utility", 0, 1], True)),
        "$.senders[1].utility[0][1]",
        ["expected an exact number", "got true"],
    ),
    (
        "garbage-number-string",
        mutate(BASE, setp(["alice", "utility", 1, 0], "two")),
        "$.alice.utility[1][0]",
        ['not an exact number: "two"'],
    ),
    (
        "zero-denominator",
        mutate(BASE, setp(["prior", "guilty"], "2/0")),
        "$.prior.guilty",
        ['not an exact number: "2/0"'],
    ),
    (
        "null-number",
        mutate(BASE, setp(["alice", "utility", 0, 0], None)),
        "$.alice.utility[0][0]",
        ["expected an exact number", "got null"],
    ),
    ("empty-states", mutate(BASE, setp(["states"], [])), "$.states", ["must not be empty"]),
    ("empty-actions", mutate(BASE, setp(["actions"], [])), "$.actions", ["must not be empty"]),
    ("no-senders", mutate(BASE, setp(["senders"], [])), "$.senders", ["at least one sender"]),
    (
        "duplicate-state",
        mutate(BASE, setp(["states"], ["guilty", "guilty"])),
        "$.states",
        ['duplicate state "guilty"'],
    ),
    (
        "duplicate-action",
        mutate(BASE, setp(["actions"], ["acquit", "acquit"])),
        "$.actions",
        ['duplicate action "acquit"'],
    ),
    (
        "empty-name",
        mutate(BASE, setp(["states", 1], "")),
        "$.states[1]",
        ["names must be non-empty"],
    ),
    (
        "state-not-string",
        mutate(BASE, setp(["states", 1], 7)),
        "$.states[1]",
        ["expected a string, got number 7"],
    ),
    (
        "prior-wrong-type",
        mutate(BASE, setp(["prior"], "uniform")),
        "$.prior",
        ["prior must be a map state -> probability", 'got string "uniform"'],
    ),
    (
        "rows-prior-without-features",
        mutate(BASE, setp(["prior"], [{"alice": "a", "senders": "b", "state": "guilty", "p": 1}])),
        "$.prior",
        ['a list-of-rows prior needs "features"'],
    ),
    (
        "map-prior-with-features",
        mutate(BASE, setp(["features"], {"alice": ["a"], "senders": ["b"]})),
        "$.prior",
        ['with "features" the prior must be a list of rows', "got an object"],
    ),
    (
        "features-missing-senders",
        mutate(JOINT, setp(["features"], {"alice": ["young"]})),
        "$.features",
        ['missing required key "senders"'],
    ),
    (
        "zero-messages",
        mutate(BASE, setp(["senders", 0, "messages"], 0)),
        "$.senders[0].messages",
        ["message count must be at least 1"],
    ),
    (
        "empty-message-list",
        mutate(BASE, setp(["senders", 0, "messages"], [])),
        "$.senders[0].messages",
        ["must not be empty"],
    ),
    (
        "duplicate-message",
        mutate(BASE, setp(["senders", 1, "messages"], ["yes", "yes"])),
        "$.senders[1].messages",
        ['duplicate message "yes"'],
    ),
    (
        "messages-wrong-type",
        mutate(BASE, setp(["senders", 0, "messages"], "2")),
        "$.senders[0].messages",
        ["messages must be a positive count n", 'got string "2"'],
    ),
    (
        "fractional-message-count",
        mutate(BASE, setp(["senders", 0, "messages"], "@@")).replace('"@@"', "2.5"),
        "$.senders[0].messages",
        ["messages must be a positive count", "got number 5/2"],
    ),
    (
        "too-many-messages",
        mutate(BASE, setp(["senders", 0, "messages"], "@@")).replace('"@@"', "1e9"),
        "$.senders[0].messages",
        ["1000000000 messages; the limit is 10000 (see docs/reference/limits.md)"],
    ),
    (
        "unknown-game",
        mutate(BASE, setp(["protocol", "game"], "sequential")),
        "$.protocol.game",
        ['game must be "simultaneous" or "best-ai-selection"', 'got string "sequential"'],
    ),
    (
        "zero-rounds",
        mutate(BASE, setp(["protocol", "rounds"], 0)),
        "$.protocol.rounds",
        ["must be at least 1, got number 0"],
    ),
    (
        "rounds-as-string",
        mutate(BASE, setp(["protocol", "rounds"], "2")),
        "$.protocol.rounds",
        ['expected an integer, got string "2"'],
    ),
    (
        "fractional-rounds",
        mutate(BASE, setp(["protocol", "rounds"], "@@")).replace('"@@"', "1.5"),
        "$.protocol.rounds",
        ["expected an integer, got number 3/2"],
    ),
    (
        "zero-alice-messages",
        mutate(BASE, setp(["protocol", "alice_messages"], 0)),
        "$.protocol.alice_messages",
        ["must be at least 1"],
    ),
    (
        "unknown-protocol-key",
        mutate(BASE, setp(["protocol", "round"], 2)),
        "$.protocol",
        ['unknown key "round"'],
    ),
    (
        "unknown-decision-rule",
        mutate(BASE, setp(["protocol", "decision"], {"rule": "softmax"})),
        "$.protocol.decision.rule",
        ['decision rule must be "best-response" or "quantal"', '"softmax"'],
    ),
    (
        "quantal-without-lambda",
        mutate(BASE, setp(["protocol", "decision"], {"rule": "quantal"})),
        "$.protocol.decision",
        ['the quantal rule needs "lambda"'],
    ),
    (
        "lambda-with-best-response",
        mutate(BASE, setp(["protocol", "decision"], {"rule": "best-response", "lambda": 2})),
        "$.protocol.decision.lambda",
        ['"lambda" is only allowed with the "quantal" rule'],
    ),
    (
        "non-positive-lambda",
        mutate(BASE, setp(["protocol", "decision"], {"rule": "quantal", "lambda": "-1/2"})),
        "$.protocol.decision.lambda",
        ["lambda must be positive, got -1/2"],
    ),
    # --- meaning ---------------------------------------------------------
    (
        "prior-sum-not-one",
        mutate(BASE, setp(["prior"], {"guilty": "2/3", "innocent": "1/2"})),
        "$.prior",
        ["prior probabilities sum to 7/6, not 1"],
    ),
    (
        "prior-decimals-sum",
        mutate(BASE, setp(["prior"], "@@")).replace('"@@"', '{"guilty": 0.7, "innocent": 0.2}'),
        "$.prior",
        ["sum to 9/10, not 1"],
    ),
    (
        "negative-probability",
        mutate(BASE, setp(["prior"], {"guilty": "4/3", "innocent": "-1/3"})),
        "$.prior.innocent",
        ["probability is negative: -1/3"],
    ),
    (
        "unknown-prior-state",
        mutate(BASE, setp(["prior"], {"guilty": "2/3", "innocnt": "1/3"})),
        "$.prior.innocnt",
        ['unknown state "innocnt"', '(states: "guilty", "innocent")'],
    ),
    (
        "missing-prior-state",
        mutate(BASE, setp(["prior"], {"guilty": 1})),
        "$.prior",
        ['no probability for state "innocent"'],
    ),
    (
        "utility-too-few-rows",
        mutate(BASE, setp(["alice", "utility"], [[1, 2]])),
        "$.alice.utility",
        ["Alice's utility has 1 row(s) but there are 2 action(s)", "rows = actions"],
    ),
    (
        "utility-row-too-long",
        mutate(BASE, setp(["senders", 1, "utility", 1], [0, 0, 0])),
        "$.senders[1].utility[1]",
        ['the row for action "convict" has 3 entries but there are 2 state(s)', "columns = states"],
    ),
    (
        "duplicate-sender",
        mutate(BASE, setp(["senders", 1, "name"], "prosecutor")),
        "$.senders[1].name",
        ['duplicate sender name "prosecutor"', "first given at $.senders[0]"],
    ),
    (
        "sender-without-name",
        mutate(BASE, delp(["senders", 1, "name"])),
        "$.senders[1]",
        ['missing required key "name"'],
    ),
    (
        "tie-break-unknown-action",
        mutate(BASE, setp(["protocol", "tie_break"], ["convict", "jail"])),
        "$.protocol.tie_break[1]",
        ['unknown action "jail"'],
    ),
    (
        "tie-break-incomplete",
        mutate(BASE, setp(["protocol", "tie_break"], ["convict"])),
        "$.protocol.tie_break",
        ['must list every action exactly once; missing "acquit"'],
    ),
    (
        "tie-break-repeated",
        mutate(BASE, setp(["protocol", "tie_break"], ["convict", "convict"])),
        "$.protocol.tie_break",
        ['duplicate action "convict"'],
    ),
    (
        "joint-unknown-alice-feature",
        mutate(JOINT, setp(["prior", 1, "alice"], "middle")),
        "$.prior[1].alice",
        ['unknown Alice feature "middle"', 'features.alice: "young", "old"'],
    ),
    (
        "joint-unknown-sender-feature",
        mutate(JOINT, setp(["prior", 2, "senders"], "ugly")),
        "$.prior[2].senders",
        ['unknown sender feature "ugly"'],
    ),
    (
        "joint-unknown-state",
        mutate(JOINT, setp(["prior", 0, "state"], "medium")),
        "$.prior[0].state",
        ['unknown state "medium"'],
    ),
    (
        "joint-duplicate-row",
        mutate(JOINT, setp(["prior", 2, "senders"], "bad")),
        "$.prior[2]",
        ['duplicate row for alice="old", senders="bad", state="low"', "first given at $.prior[1]"],
    ),
    (
        "joint-row-missing-p",
        mutate(JOINT, delp(["prior", 0, "p"])),
        "$.prior[0]",
        ['missing required key "p"'],
    ),
    (
        "joint-row-extra-key",
        mutate(JOINT, setp(["prior", 0, "weight"], 1)),
        "$.prior[0]",
        ['unknown key "weight"'],
    ),
    (
        "joint-sum-not-one",
        mutate(JOINT, setp(["prior", 0, "p"], "1/8")),
        "$.prior",
        ["prior probabilities sum to 7/8, not 1"],
    ),
    (
        "joint-negative",
        mutate(JOINT, setp(["prior", 0, "p"], -1)),
        "$.prior[0].p",
        ["probability is negative: -1"],
    ),
    (
        "duplicate-feature",
        mutate(JOINT, setp(["features", "senders"], ["good", "good"])),
        "$.features.senders",
        ['duplicate sender feature "good"'],
    ),
]


def check_error(err: InputError, source: str, path: str | None, fragments: list[str]) -> None:
    text = str(err)
    assert "\n" not in text and "\r" not in text, text
    if path is None:
        assert text.startswith(f"{source}: "), text
        assert err.path is None, text
    else:
        assert text.startswith(f"{source}: {path}: "), text
        assert err.path == path
    for fragment in fragments:
        assert fragment in err.problem, f"{fragment!r} not in {text!r}"


@pytest.mark.parametrize(
    "content, path, fragments",
    [case[1:] for case in INSTANCE_CASES],
    ids=[case[0] for case in INSTANCE_CASES],
)
def test_bad_instance_file(
    tmp_path: Path, content: str | bytes, path: str | None, fragments: list[str]
) -> None:
    file = tmp_path / "game.json"
    if isinstance(content, bytes):
        file.write_bytes(content)
    else:
        file.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_instance(file)
    check_error(info.value, str(file), path, fragments)


def test_case_ids_unique_and_many() -> None:
    ids = [case[0] for case in INSTANCE_CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) + len(PROFILE_CASES) >= 25


def test_missing_file(tmp_path: Path) -> None:
    file = tmp_path / "nope.json"
    with pytest.raises(InputError) as info:
        load_instance(file)
    assert str(info.value) == f"{file}: no such file"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_instance(tmp_path)
    assert str(info.value) == f"{tmp_path}: is a directory, not a file"


@pytest.mark.parametrize(
    "value, fragment",
    [
        (0.5, "binary float 0.5 is not exact"),
        (float("nan"), "NaN is not allowed"),
        (object(), "expected an exact number"),
    ],
)
def test_parse_rejects_inexact_values_in_memory(value: Any, fragment: str) -> None:
    data = copy.deepcopy(BASE)
    data["alice"]["utility"][0][1] = value
    with pytest.raises(InputError) as info:
        parse_instance(data)
    assert str(info.value).startswith("<memory>: $.alice.utility[0][1]: ")
    assert fragment in str(info.value)


def test_source_name_used() -> None:
    with pytest.raises(InputError) as info:
        parse_instance({"format": "x"}, source="from-test")
    assert str(info.value).startswith("from-test: ")


def test_json_path_quotes_odd_keys() -> None:
    assert json_path(["senders", 1, "utility", 0, 2]) == "$.senders[1].utility[0][2]"
    assert json_path(["rules", "defense", "guilty", "0"]) == '$.rules.defense.guilty["0"]'
    assert json_path(["prior", "not guilty"]) == '$.prior["not guilty"]'
    assert json_path([]) == "$"


def test_input_error_is_one_line() -> None:
    err = InputError("a\nb.json", "first line\nsecond line", "$.x")
    assert str(err) == "a b.json: $.x: first line second line"
    assert str(InputError("f.json", "broken")) == "f.json: broken"


# ---- profiles -------------------------------------------------------------

PROFILE: dict[str, Any] = {
    "format": "persuasion-profile/1",
    "rules": {
        "prosecutor": {"guilty": {"0": 1}, "innocent": {"0": 1}},
        "defense": {"guilty": {"0": "1/2", "1": "1/2"}, "innocent": {"1": 1}},
    },
}

PROFILE_CASES: list[tuple[str, str | bytes, str | None, list[str]]] = [
    (
        "profile-invalid-json",
        '{"format": "persuasion-profile/1", "rules": {',
        None,
        ["invalid JSON at line 1"],
    ),
    (
        "profile-wrong-format",
        mutate(PROFILE, setp(["format"], "persuasion-instance/1")),
        "$.format",
        ['format must be exactly "persuasion-profile/1"'],
    ),
    (
        "profile-missing-rules",
        mutate(PROFILE, delp(["rules"])),
        "$",
        ['missing required key "rules"'],
    ),
    ("profile-unknown-top-key", mutate(PROFILE, setp(["round"], 1)), "$", ['unknown key "round"']),
    (
        "profile-missing-sender",
        mutate(PROFILE, delp(["rules", "defense"])),
        "$.rules",
        ['no rule for sender "defense"'],
    ),
    (
        "profile-unknown-sender",
        mutate(PROFILE, setp(["rules", "judge"], {})),
        "$.rules.judge",
        ['unknown sender "judge"', '"prosecutor", "defense"'],
    ),
    (
        "profile-missing-feature",
        mutate(PROFILE, delp(["rules", "defense", "innocent"])),
        "$.rules.defense",
        ['no row for sender feature "innocent"'],
    ),
    (
        "profile-unknown-feature",
        mutate(PROFILE, setp(["rules", "defense", "maybe"], {"0": 1})),
        "$.rules.defense.maybe",
        ['unknown sender feature "maybe"'],
    ),
    (
        "profile-unknown-message",
        mutate(PROFILE, setp(["rules", "defense", "guilty", "2"], 0)),
        '$.rules.defense.guilty["2"]',
        ['unknown message "2" for sender "defense"', '(messages: "0", "1")'],
    ),
    (
        "profile-row-sum",
        mutate(PROFILE, setp(["rules", "defense", "guilty", "1"], "1/3")),
        "$.rules.defense.guilty",
        ["probabilities sum to 5/6, not 1"],
    ),
    (
        "profile-empty-row",
        mutate(PROFILE, setp(["rules", "prosecutor", "innocent"], {})),
        "$.rules.prosecutor.innocent",
        ["probabilities sum to 0, not 1"],
    ),
    (
        "profile-negative",
        mutate(PROFILE, setp(["rules", "defense", "guilty"], {"0": "3/2", "1": "-1/2"})),
        '$.rules.defense.guilty["1"]',
        ["probability is negative: -1/2"],
    ),
    (
        "profile-bool",
        mutate(PROFILE, setp(["rules", "defense", "innocent", "1"], True)),
        '$.rules.defense.innocent["1"]',
        ["expected an exact number", "got true"],
    ),
    (
        "profile-row-not-object",
        mutate(PROFILE, setp(["rules", "defense", "innocent"], 1)),
        "$.rules.defense.innocent",
        ["a rule row must be an object {message: probability}"],
    ),
    (
        "profile-rules-list",
        mutate(PROFILE, setp(["rules"], [])),
        "$.rules",
        ["rules must be an object"],
    ),
    (
        "profile-duplicate-message-key",
        '{"format": "persuasion-profile/1", "rules": {"prosecutor": '
        '{"guilty": {"0": 1}, "innocent": {"0": "1/2", "0": "1/2"}}}}',
        '$.rules.prosecutor.innocent["0"]',
        ['duplicate key "0"'],
    ),
]


@pytest.mark.parametrize(
    "content, path, fragments",
    [case[1:] for case in PROFILE_CASES],
    ids=[case[0] for case in PROFILE_CASES],
)
def test_bad_profile_file(
    tmp_path: Path, content: str | bytes, path: str | None, fragments: list[str]
) -> None:
    instance = parse_instance(copy.deepcopy(BASE))
    file = tmp_path / "profile.json"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_profile(file, instance)
    check_error(info.value, str(file), path, fragments)


def test_profile_against_joint_instance_uses_declared_features() -> None:
    instance = parse_instance(copy.deepcopy(JOINT))
    ok = {
        "format": "persuasion-profile/1",
        "rules": {"seller": {"good": {"0": 1}, "bad": {"1": 1}}},
    }
    assert parse_profile(ok, instance).schemes == (((1, 0), (0, 1)),)
    bad = {
        "format": "persuasion-profile/1",
        "rules": {"seller": {"high": {"0": 1}, "low": {"1": 1}}},
    }
    with pytest.raises(
        InputError, match=r'^<memory>: \$\.rules\.seller\.high: unknown sender feature "high"'
    ):
        parse_profile(bad, instance)


# ---- hostile input: limits (issue 7, point 3) --------------------------------
#
# Each case is refused with ONE line naming the file, the JSON path and the limit.
# The numbers in the fragments are those of persuasion/limits.py, pinned here and in
# docs/reference/limits.md (tests/test_hostile_input.py checks the page against the module).

LIMIT = "(see docs/reference/limits.md)"


def raw_cell(base: dict, path: list, raw: str) -> str:
    """``base`` with the value at ``path`` replaced by raw JSON text."""
    return mutate(base, setp(path, "@@")).replace('"@@"', raw)


def nested(depth: int) -> str:
    """The base instance with ``name`` a list nested ``depth`` levels (the file's object is one
    more)."""
    return raw_with(BASE, "name", "[" * depth + "]" * depth)


HOSTILE_CASES: list[tuple[str, str | bytes, str | None, list[str]]] = [
    # --- number size ---------------------------------------------------------
    (
        "exponent-json-literal",
        raw_cell(BASE, ["alice", "utility", 0, 0], "1e999999999"),
        "$.alice.utility[0][0]",
        ['exponent 999999999 in "1e999999999"; the limit is 10000', LIMIT],
    ),
    (
        "exponent-string",
        mutate(BASE, setp(["alice", "utility", 0, 0], "1e999999999")),
        "$.alice.utility[0][0]",
        ['exponent 999999999 in "1e999999999"; the limit is 10000'],
    ),
    (
        "negative-exponent-string",
        mutate(BASE, setp(["prior", "guilty"], "2e-99999")),
        "$.prior.guilty",
        ['exponent -99999 in "2e-99999"; the limit is 10000'],
    ),
    (
        "exponent-many-digits",
        mutate(BASE, setp(["prior", "guilty"], "1e" + "9" * 5000)),
        "$.prior.guilty",
        ["exponent of 5000 digits", "the limit is 10000"],
    ),
    (
        "million-digit-integer",
        raw_cell(BASE, ["senders", 0, "utility", 1, 1], "7" * 1_000_000),
        "$.senders[0].utility[1][1]",
        ["an integer of 1000000 digits; the limit is 10000", LIMIT],
    ),
    (
        "long-json-decimal",
        raw_cell(BASE, ["alice", "utility", 1, 0], "0." + "3" * 10_000),
        "$.alice.utility[1][0]",
        ["a number of 10002 characters", "the limit is 10000"],
    ),
    (
        "long-string-number",
        mutate(BASE, setp(["alice", "utility", 1, 0], "1/" + "3" * 20_000)),
        "$.alice.utility[1][0]",
        ["a number of 20002 characters", "the limit is 10000"],
    ),
    # --- only ASCII digits -----------------------------------------------------
    (
        "arabic-indic-digit",
        mutate(BASE, setp(["alice", "utility", 0, 0], "\u0663")),
        "$.alice.utility[0][0]",
        ["not an exact number"],
    ),
    (
        "fullwidth-digit-in-fraction",
        mutate(BASE, setp(["prior", "guilty"], "\uff12/3")),
        "$.prior.guilty",
        ["not an exact number"],
    ),
    (
        "devanagari-denominator",
        mutate(BASE, setp(["prior", "innocent"], "1/\u0969")),
        "$.prior.innocent",
        ["not an exact number"],
    ),
    (
        "math-bold-digit-decimal",
        mutate(BASE, setp(["senders", 1, "utility", 0, 0], "0.\U0001d7d1")),
        "$.senders[1].utility[0][0]",
        ["not an exact number"],
    ),
    (
        "unicode-digit-exponent",
        mutate(BASE, setp(["senders", 1, "utility", 0, 0], "1e\u0663")),
        "$.senders[1].utility[0][0]",
        ["not an exact number"],
    ),
    (
        "unicode-space-around-number",
        mutate(BASE, setp(["senders", 1, "utility", 0, 0], "\u20031")),
        "$.senders[1].utility[0][0]",
        ["not an exact number"],
    ),
    # --- text that is not Unicode, control characters ------------------------------
    (
        "lone-surrogate-state",
        mutate(BASE, setp(["states", 0], "\ud800")),
        "$.states[0]",
        ["not Unicode text: lone surrogate U+D800 at character 0"],
    ),
    (
        "lone-surrogate-in-description",
        mutate(BASE, setp(["description"], "ok \udfff")),
        "$.description",
        ["lone surrogate U+DFFF at character 3"],
    ),
    (
        "lone-surrogate-key",
        mutate(BASE, setp(["prior"], {"guilty": "2/3", "\udc00": "1/3"})),
        "$.prior",
        ["a key is not Unicode text: lone surrogate U+DC00"],
    ),
    (
        "newline-in-state",
        mutate(BASE, setp(["states", 1], "inno\ncent")),
        "$.states[1]",
        ["names must not contain control characters"],
    ),
    (
        "escape-in-sender-name",
        mutate(BASE, setp(["senders", 0, "name"], "\x1b[31mred")),
        "$.senders[0].name",
        ["names must not contain control characters"],
    ),
    (
        "newline-in-instance-name",
        mutate(BASE, setp(["name"], "a\nb")),
        "$.name",
        ["the name must not contain control characters"],
    ),
    # --- nesting ---------------------------------------------------------------------
    ("nesting-64-is-read", nested(63), "$.name", ["expected a string, got a list"]),
    # --- instance size ---------------------------------------------------------------
    (
        "20000-states",
        mutate(BASE, setp(["states"], [f"s{k}" for k in range(20_000)])),
        "$.states",
        ["20000 states; the limit is 10000", LIMIT],
    ),
    (
        "20000-message-names",
        mutate(BASE, setp(["senders", 0, "messages"], [f"m{k}" for k in range(20_000)])),
        "$.senders[0].messages",
        ["20000 messages; the limit is 10000", LIMIT],
    ),
    (
        "20000-message-count",
        mutate(BASE, setp(["senders", 0, "messages"], 20_000)),
        "$.senders[0].messages",
        ["20000 messages; the limit is 10000", LIMIT],
    ),
    (
        "10001-features",
        mutate(JOINT, setp(["features", "alice"], [f"a{k}" for k in range(10_001)])),
        "$.features.alice",
        ["10001 Alice features; the limit is 10000"],
    ),
    (
        "tie-break-list",
        mutate(BASE, setp(["protocol", "tie_break"], ["acquit"] * 10_001)),
        "$.protocol.tie_break",
        ["10001 actions; the limit is 10000"],
    ),
    (
        "101-senders",
        mutate(BASE, setp(["senders"], [BASE["senders"][0]] * 101)),
        "$.senders",
        ["101 senders; the limit is 100", LIMIT],
    ),
    (
        "outcome-terms",
        mutate(
            BASE,
            setp(
                ["senders"], [dict(BASE["senders"][0], name=f"s{i}", messages=10) for i in range(6)]
            ),
        ),
        "$.senders",
        [
            "an outcome sums more than 1000000 terms",
            "= 1 * 2 * 10 * 10 * 10 * 10 * 10 * 10",
            "the limit is 1000000",
        ],
    ),
    (
        "outcome-terms-30-senders",
        mutate(
            BASE,
            setp(
                ["senders"],
                [dict(BASE["senders"][0], name=f"s{i}", messages=30) for i in range(30)],
            ),
        ),
        "$.senders",
        [
            "an outcome sums more than 1000000 terms",
            "= 1 * 2 * 30 * 30 * 30 * 30)",
            "the limit is 1000000",
        ],
    ),
    (
        "utility-cells-declared",
        mutate(
            BASE,
            lambda d: d.update(
                states=[f"y{k}" for k in range(300)], actions=[f"a{k}" for k in range(300)]
            ),
        ),
        "$",
        ["270000 utility cells (3 matrices of 300 actions x 300 states); the limit is 250000"],
    ),
    (
        "utility-cells-ragged",
        mutate(BASE, setp(["alice", "utility", 1], [0] * 250_000)),
        "$.alice.utility",
        ["250002 utility cells in the matrices up to this one; the limit is 250000"],
    ),
    (
        "utility-cells-together",
        mutate(BASE, lambda d: [s["utility"].append([0] * 130_000) for s in d["senders"]]),
        "$.senders[1].utility",
        ["260012 utility cells in the matrices up to this one; the limit is 250000"],
    ),
    (
        "prior-cells-state-only",
        mutate(
            BASE,
            lambda d: d.update(
                states=[f"y{k}" for k in range(501)], prior={f"y{k}": 0 for k in range(501)}
            ),
        ),
        "$.prior",
        ["251001 prior cells (|X_A| * |X_B| * |Y| = 1 * 501 * 501); the limit is 250000"],
    ),
    (
        "prior-cells-joint",
        mutate(
            JOINT,
            lambda d: d.update(
                states=[f"y{k}" for k in range(101)],
                features={
                    "alice": [f"a{k}" for k in range(50)],
                    "senders": [f"b{k}" for k in range(50)],
                },
            ),
        ),
        "$.prior",
        ["252500 prior cells (|X_A| * |X_B| * |Y| = 50 * 50 * 101); the limit is 250000"],
    ),
    (
        "utility-rows",
        mutate(BASE, setp(["senders", 1, "utility"], [[0, 0]] * 10_001)),
        "$.senders[1].utility",
        ["10001 rows (one per action); the limit is 10000"],
    ),
]


@pytest.mark.parametrize(
    "content, path, fragments",
    [case[1:] for case in HOSTILE_CASES],
    ids=[case[0] for case in HOSTILE_CASES],
)
def test_hostile_instance_file(
    tmp_path: Path, content: str | bytes, path: str | None, fragments: list[str]
) -> None:
    test_bad_instance_file(tmp_path, content, path, fragments)
    assert len(str(load_error(tmp_path / "game.json"))) <= MAX_ERROR_CHARS


def test_nesting_beyond_the_limit(tmp_path: Path) -> None:
    """65 levels (the file's object and 64 lists): refused where the 65th level starts, with an
    iterative walk."""
    file = tmp_path / "game.json"
    file.write_text(nested(64), encoding="utf-8")
    err = load_error(file)
    assert err.path.startswith("$.name[0][0][0]") and err.path.endswith("...")
    assert (
        err.problem
        == f"arrays and objects nested more than 64 levels deep; the limit is 64 {LIMIT}"
    )
    assert len(str(err)) <= MAX_ERROR_CHARS


def load_error(file: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_instance(file)
    return info.value


def test_hostile_case_ids_unique() -> None:
    ids = [case[0] for case in INSTANCE_CASES + HOSTILE_CASES]
    assert len(ids) == len(set(ids))


def test_limits_are_the_documented_numbers() -> None:
    assert (MAX_NUMBER_CHARS, MAX_EXPONENT, MAX_NESTING, MAX_NAMES, MAX_SENDERS) == (
        10_000,
        10_000,
        64,
        10_000,
        100,
    )
    assert (MAX_PRIOR_ROWS, MAX_UTILITY_CELLS, MAX_OUTCOME_TERMS, MAX_ERROR_CHARS) == (
        250_000,
        250_000,
        10**6,
        500,
    )
    assert MAX_FILE_BYTES == 32 * 1024 * 1024


def test_largest_accepted_numbers_are_read_exactly(tmp_path: Path) -> None:
    """At the limits (not beyond) numbers are read, exactly: 10,000 characters, exponent
    +-10,000."""
    digits = "9" * MAX_NUMBER_CHARS
    data = copy.deepcopy(BASE)
    data["alice"]["utility"] = [["1e10000", "-1e-10000"], [digits, "@@"]]
    file = tmp_path / "game.json"
    file.write_text(json.dumps(data).replace('"@@"', "1.5E-10000"), encoding="utf-8")
    inst = load_instance(file)
    assert inst.alice_utility == (
        (Fraction(10**10000), Fraction(-1, 10**10000)),
        (Fraction(int(digits)), Fraction(15, 10**10001)),
    )


def test_prior_entries_limit_in_memory() -> None:
    """250,001 prior rows (one shared dict), more than any prior may have cells."""
    data = copy.deepcopy(JOINT)
    data["prior"] = [data["prior"][0]] * (MAX_PRIOR_ROWS + 1)
    with pytest.raises(
        InputError, match=r"^<memory>: \$\.prior: 250001 prior entries; the limit is 250000 "
    ):
        parse_instance(data)


def test_profile_sizes(tmp_path: Path) -> None:
    instance = parse_instance(copy.deepcopy(BASE))
    cases = [
        (
            mutate(
                PROFILE, setp(["rules", "defense", "guilty"], {str(k): 0 for k in range(10_001)})
            ),
            "$.rules.defense.guilty: 10001 messages; the limit is 10000",
        ),
        (
            mutate(PROFILE, setp(["rules", "defense"], {f"x{k}": {"0": 1} for k in range(10_001)})),
            "$.rules.defense: 10001 sender features; the limit is 10000",
        ),
        (
            mutate(PROFILE, setp(["rules"], {f"s{k}": {} for k in range(101)})),
            "$.rules: 101 senders; the limit is 100",
        ),
        (
            raw_cell(PROFILE, ["rules", "defense", "guilty", "0"], "1e999999999"),
            '$.rules.defense.guilty["0"]: exponent 999999999 in "1e999999999"',
        ),
        (
            mutate(PROFILE, setp(["rules", "defense", "guilty"], {"0": "\u0661/2", "1": "1/2"})),
            '$.rules.defense.guilty["0"]: not an exact number',
        ),
    ]
    file = tmp_path / "profile.json"
    for content, expected in cases:
        file.write_text(content, encoding="utf-8")
        with pytest.raises(InputError) as info:
            load_profile(file, instance)
        assert str(info.value).startswith(f"{file}: {expected}"), str(info.value)


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    file = tmp_path / "huge.json"
    with open(file, "wb") as handle:  # a sparse file: no 32 MB written
        handle.truncate(MAX_FILE_BYTES + 1)
    assert str(load_error(file)) == (
        f"{file}: a file of {MAX_FILE_BYTES + 1} bytes; the limit is "
        f"{MAX_FILE_BYTES} (see docs/reference/limits.md)"
    )


def test_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    text = json.dumps(BASE)
    file = tmp_path / "padded.json"
    file.write_text(text + " " * (MAX_FILE_BYTES - len(text)), encoding="utf-8")
    assert load_instance(file).name == "judge-prosecutor"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_device_is_read_only_up_to_the_limit() -> None:
    assert str(load_error(Path("/dev/zero"))) == (
        f"/dev/zero: more than {MAX_FILE_BYTES} bytes; the limit is "
        f"{MAX_FILE_BYTES} (see docs/reference/limits.md)"
    )


def test_fifo_is_read_only_up_to_the_limit(tmp_path: Path) -> None:
    import os
    import threading

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)

    def write() -> None:
        try:
            with open(fifo, "wb") as handle:
                chunk = b" " * (1 << 20)
                for _ in range(MAX_FILE_BYTES // len(chunk) + 8):
                    handle.write(chunk)
        except BrokenPipeError:  # the reader stopped at the limit: as it should
            pass

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    assert str(load_error(fifo)).startswith(
        f"{fifo}: more than {MAX_FILE_BYTES} bytes; the limit is "
    )
    writer.join(timeout=30)


# ---- error lines stay short --------------------------------------------------


def test_a_huge_sum_is_cut_in_the_error(tmp_path: Path) -> None:
    """The prior sums to a fraction of ~10,000 digits: the line keeps file, path and the point."""
    content = mutate(
        BASE, setp(["prior"], {"guilty": "1/" + "7" * 4999, "innocent": "1/" + "3" * 4999})
    )
    file = tmp_path / "game.json"
    file.write_text(content, encoding="utf-8")
    text = str(load_error(file))
    assert len(text) <= MAX_ERROR_CHARS
    assert text.startswith(f"{file}: $.prior: prior probabilities sum to ")
    assert "..., not 1 (nothing is normalised for you)" in text


@pytest.mark.parametrize(
    "source, problem, path",
    [
        ("game.json", "x" * 100_000, "$.a"),
        ("/very" * 20_000 + "/game.json", "probabilities sum to 7/6", "$.prior"),
        ("game.json", "unknown sender", "$.rules[" + json.dumps("k" * 100_000) + "]"),
        ("d/" * 30_000 + "game.json", "y" * 100_000, "$" + ".b" * 50_000),
        ("game.json", "z" * 100_000, None),
    ],
)
def test_every_error_line_is_cut_to_the_limit(source: str, problem: str, path: str | None) -> None:
    err = InputError(source, problem, path)
    text = str(err)
    assert len(text) <= MAX_ERROR_CHARS
    assert "\n" not in text
    assert err.source.endswith("game.json")  # the file's own name survives
    if path:
        assert text.startswith(f"{err.source}: {err.path}: ")
        assert err.path.startswith(path[:40])  # the path keeps its start
    assert err.problem.startswith(problem[:20])
    assert ("..." in text) == (len(f"{source}: {path}: {problem}") > MAX_ERROR_CHARS)


def test_short_error_lines_are_untouched() -> None:
    assert (
        str(InputError("game.json", "probabilities sum to 7/6, not 1", "$.prior"))
        == "game.json: $.prior: probabilities sum to 7/6, not 1"
    )


def test_unprintable_characters_are_escaped_in_error_lines() -> None:
    err = InputError("ga\x1bme\ud800.json", 'unknown state "a\x00b\u202e"', "$.x")
    assert str(err) == 'ga\\x1bme\\ud800.json: $.x: unknown state "a\\x00b\\u202e"'
    assert str(err).encode("utf-8")
