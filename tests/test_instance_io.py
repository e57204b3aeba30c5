"""Reading and writing instances and profiles: exact numbers, both prior forms,
defaults, round trips, the shipped JSON Schemas and the documented examples."""

from __future__ import annotations

import copy
import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from persuasion.conformance import exact_validator, load_schema
from persuasion.errors import InputError
from persuasion.instance import (
    dump_instance,
    instance_schema,
    load_instance,
    parse_instance,
)
from persuasion.model import NO_FEATURE, Profile, silent_profile
from persuasion.limits import MAX_EXPONENT, MAX_NUMBER_CHARS
from persuasion.numbers import fmt, parse_integer, parse_number, to_fraction
from persuasion.jsonio import loads_json
from persuasion.jsonio import loads_json as loads_exact
from persuasion.profile import (
    dump_profile,
    load_profile,
    parse_conversation_profile,
    parse_profile,
)

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "reference" / "file-formats.md"

F = Fraction

JUDGE = """{
  "format": "persuasion-instance/1",
  "name": "judge-prosecutor",
  "description": "optional free text",
  "states": ["guilty", "innocent"],
  "actions": ["acquit", "convict"],
  "prior": {"guilty": "2/3", "innocent": "1/3"},
  "alice": {"utility": [[1, 2], [2, 1]]},
  "senders": [
    {"name": "prosecutor", "utility": [[0, 0], [2, 1]], "messages": 2},
    {"name": "defense",    "utility": [[1, 2], [0, 0]], "messages": 2}
  ],
  "protocol": {"game": "simultaneous", "rounds": 1, "alice_messages": 1,
               "decision": {"rule": "best-response"},
               "tie_break": ["acquit", "convict"]}
}"""

JUDGE_PROFILE = """{"format": "persuasion-profile/1",
 "rules": {"prosecutor": {"guilty": {"0": 1}, "innocent": {"0": 1}},
           "defense":    {"guilty": {"0": "1/2", "1": "1/2"}, "innocent": {"1": 1}}}}"""

JOINT = {
    "format": "persuasion-instance/1",
    "name": "joint",
    "states": ["high", "low"],
    "actions": ["buy", "skip", "wait"],
    "features": {"alice": ["young", "old"], "senders": ["good", "bad", "unsure"]},
    "prior": [
        {"alice": "young", "senders": "good", "state": "high", "p": Fraction(1, 4)},  # a JSON 0.25
        {"alice": "old", "senders": "bad", "state": "low", "p": "1/2"},
        {"alice": "old", "senders": "unsure", "state": "high", "p": "0.125"},
        {"alice": "young", "senders": "unsure", "state": "low", "p": "1/8"},
    ],
    "alice": {"utility": [[1, -1], [0, 0], ["1/2", "-0.5"]]},
    "senders": [
        {"name": "seller", "utility": [[1, 1], [0, 0], [0, 0]]},
        {"name": "critic", "utility": [[0, 0], [1, 1], [0, 0]], "messages": ["yes", "no"]},
    ],
    "protocol": {"tie_break": ["wait", "skip", "buy"]},
}


def write(tmp_path: Path, text: str, name: str = "game.json") -> Path:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    return file


# ---- the file-format example --------------------------------------------------------


def test_spec_example_reads_exactly(tmp_path: Path) -> None:
    inst = load_instance(write(tmp_path, JUDGE))
    assert inst.name == "judge-prosecutor"
    assert inst.description == "optional free text"
    assert inst.states == ("guilty", "innocent")
    assert inst.actions == ("acquit", "convict")
    assert inst.state_only is True
    assert inst.alice_features == (NO_FEATURE,) == ("none",)
    assert inst.sender_features == ("guilty", "innocent")
    assert inst.prior == (((F(2, 3), F(0)), (F(0), F(1, 3))),)
    assert inst.alice_utility == ((F(1), F(2)), (F(2), F(1)))
    assert [s.name for s in inst.senders] == ["prosecutor", "defense"]
    assert inst.senders[0].utility == ((0, 0), (2, 1))
    assert inst.senders[1].messages == ("0", "1")
    p = inst.protocol
    assert (p.game, p.rounds, p.alice_messages, p.decision, p.lam, p.tie_break) == (
        "simultaneous",
        1,
        1,
        "best-response",
        None,
        (0, 1),
    )
    assert all(isinstance(v, Fraction) for row in inst.alice_utility for v in row)
    assert isinstance(p.rounds, int)


def test_spec_profile_example(tmp_path: Path) -> None:
    inst = load_instance(write(tmp_path, JUDGE))
    prof = load_profile(write(tmp_path, JUDGE_PROFILE, "profile.json"), inst)
    assert prof.schemes == (
        ((F(1), F(0)), (F(1), F(0))),
        ((F(1, 2), F(1, 2)), (F(0), F(1))),
    )
    dumped = dump_profile(prof, inst)
    assert dumped == {
        "format": "persuasion-profile/1",
        "rules": {
            "prosecutor": {"guilty": {"0": "1"}, "innocent": {"0": "1"}},
            "defense": {"guilty": {"0": "1/2", "1": "1/2"}, "innocent": {"1": "1"}},
        },
    }
    assert parse_profile(dumped, inst) == prof
    assert parse_profile(json.loads(json.dumps(dumped)), inst) == prof


# ---- exact numbers ------------------------------------------------------------


def test_json_decimals_are_exact(tmp_path: Path) -> None:
    text = JUDGE.replace('{"guilty": "2/3", "innocent": "1/3"}', '{"guilty": 0.1, "innocent": 0.9}')
    inst = load_instance(write(tmp_path, text))
    assert inst.prior[0][0][0] == F(1, 10)
    assert inst.prior[0][1][1] == F(9, 10)
    assert loads_exact("0.1") == F(1, 10)
    assert loads_json("[0.1, 1e-3, 2]") == [F(1, 10), F(1, 1000), 2]


@pytest.mark.parametrize(
    "written, value",
    [
        ("3", F(3)),
        ("-4", F(-4)),
        ('"2/6"', F(1, 3)),
        ('"-1/3"', F(-1, 3)),
        ('"0.25"', F(1, 4)),
        ('"1e-2"', F(1, 100)),
        ("0.3", F(3, 10)),
        ("1.5e2", F(150)),
        ('" 7/2 "', F(7, 2)),
        ("2.0", F(2)),
    ],
)
def test_number_syntax(tmp_path: Path, written: str, value: Fraction) -> None:
    text = JUDGE.replace('"utility": [[1, 2], [2, 1]]', f'"utility": [[{written}, 2], [2, 1]]')
    inst = load_instance(write(tmp_path, text))
    assert inst.alice_utility[0][0] == value


def test_decimal_probabilities_must_sum_exactly(tmp_path: Path) -> None:
    # 0.1 + 0.2 + 0.7 is exactly 1 when read exactly (it is not in binary floats).
    text = JUDGE.replace('"states": ["guilty", "innocent"]', '"states": ["a", "b", "c"]')
    text = text.replace('{"guilty": "2/3", "innocent": "1/3"}', '{"a": 0.1, "b": 0.2, "c": 0.7}')
    text = text.replace("[[1, 2], [2, 1]]", "[[1, 2, 3], [2, 1, 0]]")
    text = text.replace("[[0, 0], [2, 1]]", "[[0, 0, 0], [2, 1, 0]]").replace(
        "[[1, 2], [0, 0]]", "[[1, 2, 0], [0, 0, 0]]"
    )
    inst = load_instance(write(tmp_path, text))
    assert sum(inst.prior[0][k][k] for k in range(3)) == 1


def test_utf8_bom_accepted(tmp_path: Path) -> None:
    file = tmp_path / "bom.json"
    file.write_bytes(b"\xef\xbb\xbf" + JUDGE.encode())
    assert load_instance(file).name == "judge-prosecutor"


# ---- joint prior, defaults ------------------------------------------------------------


def test_joint_prior() -> None:
    inst = parse_instance(copy.deepcopy(JOINT))
    assert inst.state_only is False
    assert inst.alice_features == ("young", "old")
    assert inst.sender_features == ("good", "bad", "unsure")
    # prior[x_A][x_B][y]; missing triples are 0
    assert inst.prior == (
        ((F(1, 4), F(0)), (F(0), F(0)), (F(0), F(1, 8))),
        ((F(0), F(0)), (F(0), F(1, 2)), (F(1, 8), F(0))),
    )
    assert inst.alice_utility[2] == (F(1, 2), F(-1, 2))
    # tie_break given by names, stored as action indices
    assert inst.protocol.tie_break == (2, 1, 0)
    # messages default: one per sender feature, named "0".."n-1"
    assert inst.senders[0].messages == ("0", "1", "2")
    assert inst.senders[1].messages == ("yes", "no")


def test_defaults_with_no_protocol(tmp_path: Path) -> None:
    data = json.loads(JUDGE)
    del data["protocol"], data["name"], data["description"]
    for sender in data["senders"]:
        del sender["messages"]
    inst = load_instance(write(tmp_path, json.dumps(data), "court-case.json"))
    assert inst.name == "court-case"  # defaults to the file's stem
    assert inst.description == ""
    assert inst.protocol.tie_break == (0, 1)  # the order of "actions"
    assert inst.protocol.game == "simultaneous"
    assert inst.protocol.rounds == 1 and inst.protocol.alice_messages == 1
    assert inst.protocol.decision == "best-response" and inst.protocol.lam is None
    # default messages: enough to reveal x_B (= the state here)
    assert [s.messages for s in inst.senders] == [("0", "1"), ("0", "1")]
    assert parse_instance(data).name == ""


def test_partial_protocol_and_quantal() -> None:
    data = json.loads(JUDGE)
    data["protocol"] = {
        "game": "best-ai-selection",
        "rounds": 3,
        "alice_messages": 2,
        "decision": {"rule": "quantal", "lambda": "10"},
    }
    inst = parse_instance(data)
    p = inst.protocol
    assert (p.game, p.rounds, p.alice_messages, p.decision, p.lam) == (
        "best-ai-selection",
        3,
        2,
        "quantal",
        F(10),
    )
    assert p.tie_break == (0, 1)
    assert parse_instance(dump_instance(inst)) == inst
    assert dump_instance(inst)["protocol"]["decision"] == {"rule": "quantal", "lambda": "10"}


@pytest.mark.parametrize("where", [("protocol", "rounds"), ("senders", 0, "messages")])
def test_integral_decimal_counts_are_refused(where) -> None:
    """A count is a JSON integer: ``2.0`` (read as the decimal F(2)) is not silently 2."""
    data = json.loads(JUDGE)
    *parents, key = where
    holder = data
    for part in parents:
        holder = holder[part]
    holder[key] = F(2)  # what "rounds": 2.0 reads as
    with pytest.raises(InputError, match="decimal number 2"):
        parse_instance(data)


def test_prior_zero_state_allowed_when_written() -> None:
    data = json.loads(JUDGE)
    data["prior"] = {"guilty": 1, "innocent": 0}
    inst = parse_instance(data)
    assert inst.prior[0][1][1] == 0


# ---- round trips ------------------------------------------------------------


def test_dump_state_only_form() -> None:
    inst = parse_instance(json.loads(JUDGE))
    out = dump_instance(inst)
    assert out["format"] == "persuasion-instance/1"
    assert out["prior"] == {"guilty": "2/3", "innocent": "1/3"}
    assert "features" not in out
    assert out["alice"]["utility"] == [["1", "2"], ["2", "1"]]
    assert out["senders"][0] == {
        "name": "prosecutor",
        "utility": [["0", "0"], ["2", "1"]],
        "messages": 2,
    }
    assert out["protocol"]["tie_break"] == ["acquit", "convict"]
    assert json.loads(json.dumps(out)) == out  # JSON-ready
    assert parse_instance(out) == inst


def test_dump_joint_form_lists_positive_rows_only() -> None:
    inst = parse_instance(copy.deepcopy(JOINT))
    out = dump_instance(inst)
    assert out["features"] == {"alice": ["young", "old"], "senders": ["good", "bad", "unsure"]}
    assert out["prior"] == [
        {"alice": "young", "senders": "good", "state": "high", "p": "1/4"},
        {"alice": "young", "senders": "unsure", "state": "low", "p": "1/8"},
        {"alice": "old", "senders": "bad", "state": "low", "p": "1/2"},
        {"alice": "old", "senders": "unsure", "state": "high", "p": "1/8"},
    ]
    assert out["senders"][1]["messages"] == ["yes", "no"]
    assert out["protocol"]["tie_break"] == ["wait", "skip", "buy"]
    assert parse_instance(out) == inst
    assert parse_instance(json.loads(json.dumps(out))) == inst


def test_round_trip_through_file(tmp_path: Path) -> None:
    inst = parse_instance(copy.deepcopy(JOINT))
    file = write(tmp_path, json.dumps(dump_instance(inst), indent=2), "joint.json")
    assert load_instance(file) == inst


def test_profile_dump_lists_only_positive() -> None:
    inst = parse_instance(copy.deepcopy(JOINT))
    prof = Profile(
        (
            ((F(1), F(0), F(0)), (F(0), F(1, 3), F(2, 3)), (F(1, 2), F(1, 2), F(0))),
            ((F(0), F(1)), (F(1), F(0)), (F(1, 4), F(3, 4))),
        )
    )
    out = dump_profile(prof, inst)
    assert out["rules"]["seller"] == {
        "good": {"0": "1"},
        "bad": {"1": "1/3", "2": "2/3"},
        "unsure": {"0": "1/2", "1": "1/2"},
    }
    assert out["rules"]["critic"] == {
        "good": {"no": "1"},
        "bad": {"yes": "1"},
        "unsure": {"yes": "1/4", "no": "3/4"},
    }
    assert parse_profile(out, inst) == prof
    silent = silent_profile(inst)
    assert parse_profile(dump_profile(silent, inst), inst) == silent


def test_dump_profile_rejects_wrong_shape() -> None:
    inst = parse_instance(json.loads(JUDGE))
    with pytest.raises(ValueError):
        dump_profile(Profile(((((F(1), F(0)), (F(1), F(0)))),)), inst)


names = st.text(alphabet="abcdefgh", min_size=1, max_size=4)
fractions = st.fractions(min_value=-5, max_value=5, max_denominator=12)


@st.composite
def instances(draw: Any) -> dict:
    states = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    actions = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    weights = draw(
        st.lists(st.integers(0, 6), min_size=len(states), max_size=len(states)).filter(any)
    )
    total = sum(weights)

    def matrix() -> list:
        return [[str(draw(fractions)) for _ in states] for _ in actions]

    senders = []
    for i in range(draw(st.integers(1, 3))):
        sender: dict[str, Any] = {"name": f"s{i}", "utility": matrix()}
        kind = draw(st.sampled_from(["default", "count", "list"]))
        if kind == "count":
            sender["messages"] = draw(st.integers(1, 4))
        elif kind == "list":
            sender["messages"] = draw(st.lists(names, min_size=1, max_size=3, unique=True))
        senders.append(sender)
    tie = draw(st.permutations(actions))
    decision = draw(
        st.sampled_from([{"rule": "best-response"}, {"rule": "quantal", "lambda": "3/2"}])
    )
    return {
        "format": "persuasion-instance/1",
        "name": draw(names),
        "states": states,
        "actions": actions,
        "prior": {y: str(F(w, total)) for y, w in zip(states, weights, strict=True)},
        "alice": {"utility": matrix()},
        "senders": senders,
        "protocol": {
            "tie_break": list(tie),
            "decision": decision,
            "game": draw(st.sampled_from(["simultaneous", "best-ai-selection"])),
        },
    }


@settings(max_examples=60, deadline=None)
@given(instances())
def test_round_trip_random(data: dict) -> None:
    inst = parse_instance(data)
    out = dump_instance(inst)
    assert parse_instance(out) == inst
    assert dump_instance(parse_instance(json.loads(json.dumps(out)))) == out


# ---- schemas ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["instance.schema.json", "profile.schema.json"])
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_validates_dumped_instances_with_plain_jsonschema() -> None:
    # dumped instances (numbers as strings) validate with an unmodified validator too
    for data in (json.loads(JUDGE), copy.deepcopy(JOINT)):
        out = dump_instance(parse_instance(data))
        jsonschema.Draft202012Validator(instance_schema()).validate(out)


def test_exact_validator_counts_fractions_as_numbers() -> None:
    v = exact_validator()({"type": "number"})
    assert v.is_valid(F(1, 3)) and v.is_valid(3)
    assert not v.is_valid(True) and not v.is_valid(0.5) and not v.is_valid(float("nan"))


def test_shipped_instances_validate() -> None:
    """docs/reference/file-formats.md: every file under instances/ validates (schema and
    meaning)."""
    for file in sorted((ROOT / "instances").glob("**/*.json")):
        inst = load_instance(file)
        assert parse_instance(dump_instance(inst)) == inst


# ---- documentation examples ------------------------------------------------------


def doc_json_blocks() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return re.findall(r"```json\n(.*?)```", text, flags=re.S)


def test_doc_examples_are_valid() -> None:
    blocks = doc_json_blocks()
    assert len(blocks) >= 4
    last_instance = None
    instances_seen = profiles_seen = 0
    for block in blocks:
        data = loads_json(block, "docs")
        if data["format"] == "persuasion-instance/1":
            last_instance = parse_instance(data, source="docs")
            assert parse_instance(dump_instance(last_instance)) == last_instance
            instances_seen += 1
        else:
            assert data["format"] == "persuasion-profile/1"
            assert last_instance is not None
            protocol = last_instance.protocol
            conversation = protocol.rounds > 1 or protocol.alice_messages > 1
            read = parse_conversation_profile if conversation else parse_profile
            read(data, last_instance, source="docs")
            profiles_seen += 1
    assert instances_seen >= 3 and profiles_seen >= 1


def test_doc_error_lines_are_real() -> None:
    """Every example error line in the docs is produced, verbatim, by its example."""
    text = DOC.read_text(encoding="utf-8")
    pairs = re.findall(r"```jsonc\n(.*?)```\s*\n```text\n(game\.json: .*?)\n```", text, flags=re.S)
    assert len(pairs) >= 5
    base = json.loads(JUDGE)
    for snippet, expected in pairs:
        change = loads_json(snippet, "docs")
        data = copy.deepcopy(base)
        for key, value in change.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        with pytest.raises(InputError) as info:
            parse_instance(data, source="game.json")
        assert str(info.value) == expected


# ---- bounded, ASCII-only number reading; long answers still print (issue 7, point 3) ----


UNICODE_DIGITS = [
    "\u0663",  # Arabic-Indic three
    "\u06f3",  # extended Arabic-Indic three
    "\u0969",  # Devanagari three
    "\uff13",  # full-width three
    "\U0001d7d1",  # mathematical bold three
    "\u07c3",  # NKo three
    "\u1813",  # Mongolian three
    "\u1043",  # Myanmar three
    "\u00b3",  # superscript three (int() refuses it, str.isdigit() accepts it)
]


@pytest.mark.parametrize("digit", UNICODE_DIGITS)
def test_only_ascii_digits_are_digits(digit: str) -> None:
    for text in (
        digit,
        f"1{digit}",
        f"{digit}/2",
        f"1/{digit}",
        f"0.{digit}",
        f"1e{digit}",
        f"-{digit}",
    ):
        with pytest.raises(ValueError, match="not an exact number"):
            parse_number(text)
        with pytest.raises(ValueError):
            parse_integer(text)
        with pytest.raises(ValueError):
            to_fraction(text)
    with pytest.raises(InputError):  # not JSON either
        loads_json(f"[{digit}]")


@given(st.fractions(max_denominator=10**30))
def test_printed_numbers_read_back(q: Fraction) -> None:
    assert parse_number(fmt(q)) == q


@pytest.mark.parametrize(
    "text, value",
    [
        ("0", F(0)),
        ("+3", F(3)),
        ("-0.5", F(-1, 2)),
        (".5", F(1, 2)),
        ("5.", F(5)),
        ("1E3", F(1000)),
        ("2.5e+1", F(25)),
        ("-1.25e-2", F(-1, 80)),
        ("007/014", F(1, 2)),
        (" \t4/6\n", F(2, 3)),
        ("1e10000", F(10**10000)),
        ("1e-10000", F(1, 10**10000)),
        ("1e+0010000", F(10**10000)),
    ],
)
def test_number_grammar(text: str, value: Fraction) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("1e10001", "exponent 10001"),
        ("1e-10001", "exponent -10001"),
        ("1e999999999", "exponent 999999999"),
        ("1e" + "1" * 9000, "exponent of 9000 digits"),
        ("9" * (MAX_NUMBER_CHARS + 1), "a number of 10001 characters"),
        ("1/0", "zero denominator"),
        ("1_000", "not an exact number"),
        ("0x1f", "not an exact number"),
        ("", "not an exact number"),
        (".", "not an exact number"),
        ("e5", "not an exact number"),
        ("1/2/3", "not an exact number"),
        ("1.5/2", "not an exact number"),
        ("inf", "not an exact number"),
    ],
)
def test_number_refusals(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=re.escape(fragment)):
        parse_number(text)


def test_limits_are_checked_on_the_text_before_converting() -> None:
    """A refused number is never converted: a billion-digit power of ten would take minutes."""
    assert MAX_EXPONENT < 10**6
    with pytest.raises(ValueError, match="the limit is 10000"):
        parse_number("1e999999999999999999999")
    with pytest.raises(ValueError, match="the limit is 10000"):
        parse_integer("7" * 1_000_000)
    with pytest.raises(
        InputError, match=r"^<memory>: \$\[1\]: an integer of 1000000 digits; the limit is 10000"
    ):
        loads_json("[1, " + "7" * 1_000_000 + "]")
    with pytest.raises(InputError, match=r'^<memory>: \$: exponent 999999999 in "1e999999999"'):
        loads_json("1e999999999")
    with pytest.raises(InputError, match=r'^<memory>: \$\.a\.b: exponent -99999 in "-1.5e-99999"'):
        loads_json('{"a": {"b": -1.5e-99999}}')


def test_long_exact_answers_still_print() -> None:
    """Python's digit guard is off for printing: an exact answer longer than any input may be is
    printed whole, and writing an instance with such numbers works (reading it back is what the
    limits refuse)."""
    big = F(10**50_000 + 1, 3**20_000)
    text = fmt(big)
    assert len(text) > 50_000 and F(text) == big
    with pytest.raises(ValueError, match="the limit is 10000"):
        parse_number(text)
    inst = parse_instance(json.loads(JUDGE))
    wide = F(10**9_000 + 7)  # 9,001 digits: at the limit's side that is read
    inst = inst.__class__(**{**inst.__dict__, "alice_utility": ((wide, F(2)), (F(2), F(1)))})
    dumped = dump_instance(inst)
    assert dumped["alice"]["utility"][0][0] == str(wide)
    assert parse_instance(json.loads(json.dumps(dumped))) == inst


def test_lone_surrogates_and_repeated_keys_found_in_file_order() -> None:
    with pytest.raises(
        InputError, match=r"^<memory>: \$\[1\]\.a: not Unicode text: lone surrogate U\+D83D"
    ):
        loads_json('[{"ok": "\\ud83d\\ude00"}, {"a": "\\ud83d"}, {"b": 1, "b": 2}]')
    assert loads_json('["\\ud83d\\ude00"]') == ["\U0001f600"]  # a surrogate *pair* is one character
