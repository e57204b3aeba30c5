"""The standard-library schema check (:func:`persuasion.conformance.conforms`) agrees with
jsonschema.

A good file is read without loading jsonschema (issue 8, point 4); a file
that does not conform is handed to jsonschema for the error message.  So a
wrong "yes" would let a bad file past the schema and a wrong "no" would only
cost time: both are looked for here, on the shipped schemas, with files that
are near valid (one or two random edits of valid instances and profiles), as
bad input usually is.
"""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import INSTANCES
from persuasion.conformance import (
    ANNOTATIONS,
    KEYWORDS,
    _inlined,
    conforms,
    exact_validator,
    load_schema,
)
from persuasion.jsonio import read_json

SCHEMAS = ("instance.schema.json", "profile.schema.json")

RICH = {
    "format": "persuasion-instance/1",
    "name": "rich",
    "description": "every optional part",
    "states": ["s", "t"],
    "actions": ["a", "b"],
    "features": {"alice": ["x"], "senders": ["u", "v"]},
    "prior": [
        {"alice": "x", "senders": "u", "state": "s", "p": "1/2"},
        {"alice": "x", "senders": "v", "state": "t", "p": Fraction(1, 2)},
    ],
    "alice": {"utility": [[1, 0], [0, 1]]},
    "senders": [
        {"name": "p", "utility": [["1", 0], [0, "0.5"]], "messages": ["m", "n"]},
        {"name": "q", "utility": [[0, 1], [1, 0]], "messages": 2},
    ],
    "protocol": {
        "game": "best-ai-selection",
        "rounds": 2,
        "alice_messages": 1,
        "decision": {"rule": "quantal", "lambda": "3"},
        "tie_break": ["b", "a"],
    },
}
PROFILE = {
    "format": "persuasion-profile/1",
    "name": "p",
    "description": "",
    "rules": {
        "p": {"u": {"m": 1}, "v": {"m": "1/2", "n": Fraction(1, 2)}},
        "q": {"u": {"0": 1}, "v": {"1": 1}},
    },
}

BASES = [("instance.schema.json", read_json(path)) for path in sorted(INSTANCES.glob("*.json"))]
BASES += [("instance.schema.json", RICH), ("profile.schema.json", PROFILE)]

WORDS = [
    "",
    "s",
    "a",
    "x",
    "u",
    "m",
    "0",
    "1/2",
    "0.25",
    " 3 ",
    "1/0",
    "2e3",
    "abc",
    "a\nb",
    "\x85",
    "simultaneous",
    "best-ai-selection",
    "quantal",
    "best-response",
    "persuasion-instance/1",
    "persuasion-profile/1",
    "utility",
    "lambda",
]
SCALARS = st.one_of(
    st.sampled_from(WORDS),
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    st.fractions(max_denominator=4).filter(lambda q: abs(q) < 4),
    st.sampled_from([0.5, 1.0, float("nan")]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(WORDS), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, here: tuple = ()) -> list[tuple]:
    """Every place in a JSON document, the root first."""
    found = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, here + (key,))
    elif isinstance(node, list):
        for k, value in enumerate(node):
            found += _paths(value, here + (k,))
    return found


def _at(doc: Any, path: tuple) -> Any:
    for part in path:
        doc = doc[part]
    return doc


@st.composite
def near_valid(draw: Any) -> tuple[str, Any]:
    """A valid document of :data:`BASES` after one or two random edits."""
    schema, doc = draw(st.sampled_from(BASES))
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, 2))):
        path = draw(st.sampled_from(_paths(doc)))
        target = _at(doc, path)
        edit = draw(st.sampled_from(["replace", "drop", "add", "repeat", "empty"]))
        if edit == "replace" and path:
            _at(doc, path[:-1])[path[-1]] = draw(VALUES)
        elif edit == "drop" and isinstance(target, dict) and target:
            del target[draw(st.sampled_from(sorted(target)))]
        elif edit == "add" and isinstance(target, dict):
            target[draw(st.sampled_from(WORDS))] = draw(VALUES)
        elif edit == "repeat" and isinstance(target, list) and target:
            target.append(copy.deepcopy(draw(st.sampled_from(target))))
        elif edit == "empty" and isinstance(target, (list, dict, str)) and path:
            _at(doc, path[:-1])[path[-1]] = type(target)()
    return schema, doc


def _jsonschema_says(doc: Any, schema: str) -> bool:
    return exact_validator()(load_schema(schema)).is_valid(doc)


@given(near_valid())
def test_conforms_agrees_with_jsonschema_on_near_valid_files(case: tuple[str, Any]) -> None:
    schema, doc = case
    assert conforms(doc, _inlined(schema)) == _jsonschema_says(doc, schema)


@given(st.sampled_from(SCHEMAS), VALUES)
def test_conforms_agrees_with_jsonschema_on_any_json(schema: str, doc: Any) -> None:
    assert conforms(doc, _inlined(schema)) == _jsonschema_says(doc, schema)


@pytest.mark.parametrize("schema, doc", BASES)
def test_valid_files_conform(schema: str, doc: Any) -> None:
    """The bases conform (so the edits above start from "yes"), as jsonschema agrees."""
    assert conforms(doc, _inlined(schema)) and _jsonschema_says(doc, schema)


def _keywords(schema: Any) -> set[str]:
    """The keywords of ``schema`` and of every schema in it."""
    if not isinstance(schema, dict):
        return set()
    subschemas = [
        schema.get(k) for k in ("items", "additionalProperties", "if", "then", "else", "not")
    ]
    subschemas += schema.get("properties", {}).values()
    return set(schema).union(*map(_keywords, subschemas))


@pytest.mark.parametrize("schema", SCHEMAS)
def test_the_shipped_schemas_use_only_keywords_conforms_reads(schema: str) -> None:
    """Else every file would take the slow way (a keyword it does not know makes :func:`conforms`
    say no)."""
    unknown = {
        k
        for k in _keywords(_inlined(schema))
        if k not in KEYWORDS and k not in ANNOTATIONS and not k.startswith("x-")
    }
    assert unknown == set()


def test_an_unknown_keyword_means_no() -> None:
    assert not conforms("anything", {"format": "email"})
    assert conforms(
        "anything", {"x-message": "annotations assert nothing", "description": "nor this"}
    )


@pytest.mark.parametrize(
    "value, wanted",
    [
        (Fraction(1, 3), True),
        (3, True),
        ("1/3", False),
        (True, False),
        (0.5, False),
        (float("nan"), False),
    ],
)
def test_exact_numbers_only(value: Any, wanted: bool) -> None:
    assert conforms(value, {"type": "number"}) is wanted
    assert conforms(json.loads("[]"), {"type": "array", "minItems": 1}) is False
