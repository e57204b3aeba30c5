"""Every kind of bad input gives ONE line: "<file>: <json path>: <problem>".

Each case is a file content (built from a valid instance by one mutation, or
raw text/bytes) and the fragments its error must contain.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import pytest

from persuasion.errors import InputError, json_path
from persuasion.instance import load_instance, parse_instance
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
    ("invalid-json", '{"format": "persuasion-instance/1",\n  "states": ["a" "b"]}', None,
     ["invalid JSON at line 2, column 18", "Expecting ',' delimiter"]),
    ("trailing-comma", '{"format": "persuasion-instance/1",}', None,
     ["invalid JSON at line 1, column 36"]),
    ("empty-file", "", None, ["the file is empty"]),
    ("not-utf8", b'{"name": "caf\xe9"}', None, ["not UTF-8 text", "byte 0xe9 at offset 13"]),
    ("duplicate-key", '{"format": "persuasion-instance/1", "states": ["a"], "states": ["b"]}',
     "$.states", ['duplicate key "states"']),
    ("nan-literal", raw_with(BASE, "prior", '{"guilty": NaN, "innocent": "1/3"}'),
     "$.prior.guilty", ["NaN is not allowed", "NaN and Infinity are not numbers"]),
    ("infinity-literal", mutate(BASE, setp(["alice", "utility"], "@@")).replace('"@@"', "[[Infinity, 1], [1, 1]]"),
     "$.alice.utility[0][0]", ["Infinity is not allowed"]),
    # --- structure -------------------------------------------------------
    ("deeply-nested", '{"format": "persuasion-instance/1", "name": ' + "[" * 100000 + "]" * 100000 + "}", None,
     ["nested far more than 64 levels deep; the limit is 64 (see docs/reference/limits.md)"]),
    ("top-level-array", "[1, 2]", "$", ["expected an object, got a list"]),
    ("wrong-format", mutate(BASE, setp(["format"], "persuasion-instance/2")), "$.format",
     ['format must be exactly "persuasion-instance/1"', 'got string "persuasion-instance/2"']),
    ("missing-format", mutate(BASE, delp(["format"])), "$", ['missing required key "format"']),
    ("missing-senders", mutate(BASE, delp(["senders"])), "$", ['missing required key "senders"']),
    ("unknown-top-key", mutate(BASE, setp(["colour"], "red")), "$", ['unknown key "colour"', "allowed keys:"]),
    ("unknown-sender-key", mutate(BASE, setp(["senders", 0, "weight"], 1)), "$.senders[0]",
     ['unknown key "weight"', "name, utility, messages"]),
    ("boolean-number", mutate(BASE, setp(["senders", 1, "utility", 0, 1], True)),
     "$.senders[1].utility[0][1]", ["expected an exact number", "got true"]),
    ("garbage-number-string", mutate(BASE, setp(["alice", "utility", 1, 0], "two")),
     "$.alice.utility[1][0]", ['not an exact number: "two"']),
    ("zero-denominator", mutate(BASE, setp(["prior", "guilty"], "2/0")),
     "$.prior.guilty", ['not an exact number: "2/0"']),
    ("null-number", mutate(BASE, setp(["alice", "utility", 0, 0], None)),
     "$.alice.utility[0][0]", ["expected an exact number", "got null"]),
    ("empty-states", mutate(BASE, setp(["states"], [])), "$.states", ["must not be empty"]),
    ("empty-actions", mutate(BASE, setp(["actions"], [])), "$.actions", ["must not be empty"]),
    ("no-senders", mutate(BASE, setp(["senders"], [])), "$.senders", ["at least one sender"]),
    ("duplicate-state", mutate(BASE, setp(["states"], ["guilty", "guilty"])), "$.states",
     ['duplicate state "guilty"']),
    ("duplicate-action", mutate(BASE, setp(["actions"], ["acquit", "acquit"])), "$.actions",
     ['duplicate action "acquit"']),
    ("empty-name", mutate(BASE, setp(["states", 1], "")), "$.states[1]", ["names must be non-empty"]),
    ("state-not-string", mutate(BASE, setp(["states", 1], 7)), "$.states[1]", ["expected a string, got number 7"]),
    ("prior-wrong-type", mutate(BASE, setp(["prior"], "uniform")), "$.prior",
     ["prior must be a map state -> probability", 'got string "uniform"']),
    ("rows-prior-without-features",
     mutate(BASE, setp(["prior"], [{"alice": "a", "senders": "b", "state": "guilty", "p": 1}])),
     "$.prior", ['a list-of-rows prior needs "features"']),
    ("map-prior-with-features", mutate(BASE, setp(["features"], {"alice": ["a"], "senders": ["b"]})),
     "$.prior", ['with "features" the prior must be a list of rows', "got an object"]),
    ("features-missing-senders", mutate(JOINT, setp(["features"], {"alice": ["young"]})),
     "$.features", ['missing required key "senders"']),
    ("zero-messages", mutate(BASE, setp(["senders", 0, "messages"], 0)), "$.senders[0].messages",
     ["message count must be at least 1"]),
    ("empty-message-list", mutate(BASE, setp(["senders", 0, "messages"], [])), "$.senders[0].messages",
     ["must not be empty"]),
    ("duplicate-message", mutate(BASE, setp(["senders", 1, "messages"], ["yes", "yes"])),
     "$.senders[1].messages", ['duplicate message "yes"']),
    ("messages-wrong-type", mutate(BASE, setp(["senders", 0, "messages"], "2")), "$.senders[0].messages",
     ["messages must be a positive count n", 'got string "2"']),
    ("fractional-message-count", mutate(BASE, setp(["senders", 0, "messages"], "@@")).replace('"@@"', "2.5"),
     "$.senders[0].messages", ["messages must be a positive count", "got number 5/2"]),
    ("too-many-messages", mutate(BASE, setp(["senders", 0, "messages"], "@@")).replace('"@@"', "1e9"),
     "$.senders[0].messages", ["1000000000 messages; the limit is 10000 (see docs/reference/limits.md)"]),
    ("unknown-game", mutate(BASE, setp(["protocol", "game"], "sequential")), "$.protocol.game",
     ['game must be "simultaneous" or "best-ai-selection"', 'got string "sequential"']),
    ("zero-rounds", mutate(BASE, setp(["protocol", "rounds"], 0)), "$.protocol.rounds",
     ["must be at least 1, got number 0"]),
    ("rounds-as-string", mutate(BASE, setp(["protocol", "rounds"], "2")), "$.protocol.rounds",
     ['expected an integer, got string "2"']),
    ("fractional-rounds", mutate(BASE, setp(["protocol", "rounds"], "@@")).replace('"@@"', "1.5"),
     "$.protocol.rounds", ["expected an integer, got number 3/2"]),
    ("zero-alice-messages", mutate(BASE, setp(["protocol", "alice_messages"], 0)), "$.protocol.alice_messages",
     ["must be at least 1"]),
    ("unknown-protocol-key", mutate(BASE, setp(["protocol", "round"], 2)), "$.protocol", ['unknown key "round"']),
    ("unknown-decision-rule", mutate(BASE, setp(["protocol", "decision"], {"rule": "softmax"})),
     "$.protocol.decision.rule", ['decision rule must be "best-response" or "quantal"', '"softmax"']),
    ("quantal-without-lambda", mutate(BASE, setp(["protocol", "decision"], {"rule": "quantal"})),
     "$.protocol.decision", ['the quantal rule needs "lambda"']),
    ("lambda-with-best-response", mutate(BASE, setp(["protocol", "decision"], {"rule": "best-response", "lambda": 2})),
     "$.protocol.decision.lambda", ['"lambda" is only allowed with the "quantal" rule']),
    ("non-positive-lambda", mutate(BASE, setp(["protocol", "decision"], {"rule": "quantal", "lambda": "-1/2"})),
     "$.protocol.decision.lambda", ["lambda must be positive, got -1/2"]),
    # --- meaning ---------------------------------------------------------
    ("prior-sum-not-one", mutate(BASE, setp(["prior"], {"guilty": "2/3", "innocent": "1/2"})), "$.prior",
     ["prior probabilities sum to 7/6, not 1"]),
    ("prior-decimals-sum", mutate(BASE, setp(["prior"], "@@")).replace('"@@"', '{"guilty": 0.7, "innocent": 0.2}'),
     "$.prior", ["sum to 9/10, not 1"]),
    ("negative-probability", mutate(BASE, setp(["prior"], {"guilty": "4/3", "innocent": "-1/3"})),
     "$.prior.innocent", ["probability is negative: -1/3"]),
    ("unknown-prior-state", mutate(BASE, setp(["prior"], {"guilty": "2/3", "innocnt": "1/3"})),
     "$.prior.innocnt", ['unknown state "innocnt"', '(states: "guilty", "innocent")']),
    ("missing-prior-state", mutate(BASE, setp(["prior"], {"guilty": 1})), "$.prior",
     ['no probability for state "innocent"']),
    ("utility-too-few-rows", mutate(BASE, setp(["alice", "utility"], [[1, 2]])), "$.alice.utility",
     ["Alice's utility has 1 row(s) but there are 2 action(s)", "rows = actions"]),
    ("utility-row-too-long", mutate(BASE, setp(["senders", 1, "utility", 1], [0, 0, 0])),
     "$.senders[1].utility[1]",
     ['the row for action "convict" has 3 entries but there are 2 state(s)', "columns = states"]),
    ("duplicate-sender", mutate(BASE, setp(["senders", 1, "name"], "prosecutor")), "$.senders[1].name",
     ['duplicate sender name "prosecutor"', "first given at $.senders[0]"]),
    ("sender-without-name", mutate(BASE, delp(["senders", 1, "name"])), "$.senders[1]",
     ['missing required key "name"']),
    ("tie-break-unknown-action", mutate(BASE, setp(["protocol", "tie_break"], ["convict", "jail"])),
     "$.protocol.tie_break[1]", ['unknown action "jail"']),
    ("tie-break-incomplete", mutate(BASE, setp(["protocol", "tie_break"], ["convict"])), "$.protocol.tie_break",
     ['must list every action exactly once; missing "acquit"']),
    ("tie-break-repeated", mutate(BASE, setp(["protocol", "tie_break"], ["convict", "convict"])),
     "$.protocol.tie_break", ['duplicate action "convict"']),
    ("joint-unknown-alice-feature", mutate(JOINT, setp(["prior", 1, "alice"], "middle")), "$.prior[1].alice",
     ['unknown Alice feature "middle"', 'features.alice: "young", "old"']),
    ("joint-unknown-sender-feature", mutate(JOINT, setp(["prior", 2, "senders"], "ugly")), "$.prior[2].senders",
     ['unknown sender feature "ugly"']),
    ("joint-unknown-state", mutate(JOINT, setp(["prior", 0, "state"], "medium")), "$.prior[0].state",
     ['unknown state "medium"']),
    ("joint-duplicate-row", mutate(JOINT, setp(["prior", 2, "senders"], "bad")), "$.prior[2]",
     ['duplicate row for alice="old", senders="bad", state="low"', "first given at $.prior[1]"]),
    ("joint-row-missing-p", mutate(JOINT, delp(["prior", 0, "p"])), "$.prior[0]", ['missing required key "p"']),
    ("joint-row-extra-key", mutate(JOINT, setp(["prior", 0, "weight"], 1)), "$.prior[0]", ['unknown key "weight"']),
    ("joint-sum-not-one", mutate(JOINT, setp(["prior", 0, "p"], "1/8")), "$.prior",
     ["prior probabilities sum to 7/8, not 1"]),
    ("joint-negative", mutate(JOINT, setp(["prior", 0, "p"], -1)), "$.prior[0].p", ["probability is negative: -1"]),
    ("duplicate-feature", mutate(JOINT, setp(["features", "senders"], ["good", "good"])), "$.features.senders",
     ['duplicate sender feature "good"']),
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
def test_bad_instance_file(tmp_path: Path, content: str | bytes, path: str | None, fragments: list[str]) -> None:
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


@pytest.mark.parametrize("value, fragment", [
    (0.5, "binary float 0.5 is not exact"),
    (float("nan"), "NaN is not allowed"),
    (object(), "expected an exact number"),
])
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
    ("profile-invalid-json", '{"format": "persuasion-profile/1", "rules": {', None, ["invalid JSON at line 1"]),
    ("profile-wrong-format", mutate(PROFILE, setp(["format"], "persuasion-instance/1")), "$.format",
     ['format must be exactly "persuasion-profile/1"']),
    ("profile-missing-rules", mutate(PROFILE, delp(["rules"])), "$", ['missing required key "rules"']),
    ("profile-unknown-top-key", mutate(PROFILE, setp(["round"], 1)), "$", ['unknown key "round"']),
    ("profile-missing-sender", mutate(PROFILE, delp(["rules", "defense"])), "$.rules",
     ['no rule for sender "defense"']),
    ("profile-unknown-sender", mutate(PROFILE, setp(["rules", "judge"], {})), "$.rules.judge",
     ['unknown sender "judge"', '"prosecutor", "defense"']),
    ("profile-missing-feature", mutate(PROFILE, delp(["rules", "defense", "innocent"])), "$.rules.defense",
     ['no row for sender feature "innocent"']),
    ("profile-unknown-feature", mutate(PROFILE, setp(["rules", "defense", "maybe"], {"0": 1})),
     "$.rules.defense.maybe", ['unknown sender feature "maybe"']),
    ("profile-unknown-message", mutate(PROFILE, setp(["rules", "defense", "guilty", "2"], 0)),
     '$.rules.defense.guilty["2"]', ['unknown message "2" for sender "defense"', '(messages: "0", "1")']),
    ("profile-row-sum", mutate(PROFILE, setp(["rules", "defense", "guilty", "1"], "1/3")),
     "$.rules.defense.guilty", ["probabilities sum to 5/6, not 1"]),
    ("profile-empty-row", mutate(PROFILE, setp(["rules", "prosecutor", "innocent"], {})),
     "$.rules.prosecutor.innocent", ["probabilities sum to 0, not 1"]),
    ("profile-negative", mutate(PROFILE, setp(["rules", "defense", "guilty"], {"0": "3/2", "1": "-1/2"})),
     '$.rules.defense.guilty["1"]', ["probability is negative: -1/2"]),
    ("profile-bool", mutate(PROFILE, setp(["rules", "defense", "innocent", "1"], True)),
     '$.rules.defense.innocent["1"]', ["expected an exact number", "got true"]),
    ("profile-row-not-object", mutate(PROFILE, setp(["rules", "defense", "innocent"], 1)),
     "$.rules.defense.innocent", ["a rule row must be an object {message: probability}"]),
    ("profile-rules-list", mutate(PROFILE, setp(["rules"], [])), "$.rules", ["rules must be an object"]),
    ("profile-duplicate-message-key", '{"format": "persuasion-profile/1", "rules": {"prosecutor": '
     '{"guilty": {"0": 1}, "innocent": {"0": "1/2", "0": "1/2"}}}}',
     "$.rules.prosecutor.innocent[\"0\"]", ['duplicate key "0"']),
]


@pytest.mark.parametrize(
    "content, path, fragments",
    [case[1:] for case in PROFILE_CASES],
    ids=[case[0] for case in PROFILE_CASES],
)
def test_bad_profile_file(tmp_path: Path, content: str | bytes, path: str | None, fragments: list[str]) -> None:
    instance = parse_instance(copy.deepcopy(BASE))
    file = tmp_path / "profile.json"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_profile(file, instance)
    check_error(info.value, str(file), path, fragments)


def test_profile_against_joint_instance_uses_declared_features() -> None:
    instance = parse_instance(copy.deepcopy(JOINT))
    ok = {"format": "persuasion-profile/1", "rules": {"seller": {"good": {"0": 1}, "bad": {"1": 1}}}}
    assert parse_profile(ok, instance).schemes == (((1, 0), (0, 1)),)
    bad = {"format": "persuasion-profile/1", "rules": {"seller": {"high": {"0": 1}, "low": {"1": 1}}}}
    with pytest.raises(InputError, match=r'^<memory>: \$\.rules\.seller\.high: unknown sender feature "high"'):
        parse_profile(bad, instance)
