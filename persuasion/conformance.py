"""Stage 2 of reading a file: its structure, by the JSON Schemas shipped in ``persuasion/schema/``.

The schemas (draft 2020-12) are the contract of the file formats
(docs/reference/file-formats.md).  A file is checked against one in two steps:

1. :func:`conforms`, a strict reader of the schema in the standard library
   alone, answers whether the file conforms.  It knows the keywords the
   shipped schemas use and answers "no" to anything it does not know, so
   its "yes" always means :mod:`jsonschema` would say yes too (a test
   compares the two on generated files);
2. only for a file that does not conform, :mod:`jsonschema` (about a sixth
   of a second to import: a good file never pays it) finds the most
   relevant violation (:func:`jsonschema.exceptions.best_match`), which
   becomes the one-line error; every refusal reads as it always has.

Numbers are exact: a :class:`~fractions.Fraction` is a JSON number, a
binary float (NaN, Infinity, or a float built in memory) is not.
"""

from __future__ import annotations

import functools
import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any
from collections.abc import Callable

from persuasion.errors import InputError, json_path, show
from persuasion.jsonio import check_tree

__all__ = ["conforms", "exact_validator", "load_schema", "schema_check"]

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"


@functools.cache
def load_schema(filename: str) -> dict:
    """The JSON Schema ``persuasion/schema/<filename>`` as a dict."""
    with open(SCHEMA_DIR / filename, encoding="utf-8") as fh:
        return json.load(fh)


@functools.cache
def _inlined(filename: str) -> dict:
    """A shipped schema with its references inlined (:func:`_inline_refs`)."""
    schema = load_schema(filename)
    return _inline_refs(schema, schema.get("$defs", {}))


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
        name = ref[len("#/$defs/") :]
        if name in defs and name not in seen:
            return _inline_refs(defs[name], defs, seen + (name,))
    return {
        key: value if key == "$defs" else _inline_refs(value, defs, seen)
        for key, value in node.items()
    }


# --------------------------------------------------------------------------
# Step 1: does the file conform?  (standard library only)
# --------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    # Exact numbers only: ints (not bools) and Fractions (JSON decimals).
    # Floats (NaN, Infinity, or binary floats built in memory) are rejected.
    return isinstance(value, (int, Fraction)) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    # A JSON integer literal only: ``2.0`` or ``2e0`` (a Fraction, as JSON decimals are read) is
    # refused where a count is wanted, not silently read as 2.
    return isinstance(value, int) and not isinstance(value, bool)


def _is_array(value: Any) -> bool:
    return isinstance(value, (list, tuple))


def _is_object(value: Any) -> bool:
    return isinstance(value, dict)


def _is_string(value: Any) -> bool:
    return isinstance(value, str)


TYPES: dict[str, Callable[[Any], bool]] = {
    "number": _is_number,
    "integer": _is_integer,
    "array": _is_array,
    "object": _is_object,
    "string": _is_string,
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
}
"""JSON Schema's types as this package reads JSON (:mod:`persuasion.jsonio`): a Fraction is a
number."""


@functools.cache
def _pattern(text: str) -> re.Pattern:
    return re.compile(text)


def _same_text(value: Any, wanted: Any) -> bool:
    """``const`` / ``enum``: the shipped schemas compare strings only; anything else is "no"."""
    return isinstance(value, str) and isinstance(wanted, str) and value == wanted


def _if(value: Any, condition: Any, schema: dict) -> bool:
    branch = schema.get("then" if conforms(value, condition) else "else", True)
    return conforms(value, branch)


def _additional(value: Any, extra: Any, schema: dict) -> bool:
    if not _is_object(value):
        return True
    declared = schema.get("properties", {})
    return all(conforms(item, extra) for key, item in value.items() if key not in declared)


KEYWORDS: dict[str, Callable[[Any, Any, dict], bool]] = {
    "type": lambda value, want, _: any(
        TYPES[t](value) for t in (want if isinstance(want, list) else [want])
    ),
    "const": lambda value, want, _: _same_text(value, want),
    "enum": lambda value, want, _: any(_same_text(value, w) for w in want),
    "pattern": lambda value, want, _: (
        not _is_string(value) or _pattern(want).search(value) is not None
    ),
    "minLength": lambda value, want, _: not _is_string(value) or len(value) >= want,
    "minimum": lambda value, want, _: not _is_number(value) or value >= want,
    "minItems": lambda value, want, _: not _is_array(value) or len(value) >= want,
    "uniqueItems": lambda value, want, _: (
        not want
        or not _is_array(value)
        or (all(map(_is_string, value)) and len(set(value)) == len(value))
    ),
    "items": lambda value, want, _: (
        not _is_array(value) or all(conforms(item, want) for item in value)
    ),
    "required": lambda value, want, _: not _is_object(value) or all(key in value for key in want),
    "properties": lambda value, want, _: (
        not _is_object(value)
        or all(conforms(value[key], sub) for key, sub in want.items() if key in value)
    ),
    "additionalProperties": lambda value, want, schema: _additional(value, want, schema),
    "if": _if,
    "not": lambda value, want, _: not conforms(value, want),
}
"""The assertions the shipped schemas use, each ``(value, keyword's value, schema) -> bool``.

``uniqueItems`` and ``const``/``enum`` say yes for strings only (the shipped
schemas ask for unique names and constant strings); ``then`` and ``else``
are read with ``if``."""

ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "title", "description", "then", "else"})
"""Keywords that assert nothing by themselves (``then``/``else`` are :func:`_if`'s); so do
``x-*``."""


def conforms(value: Any, schema: Any) -> bool:
    """Whether ``value`` conforms to ``schema`` (references inlined), in draft 2020-12's meaning.

    A keyword outside :data:`KEYWORDS` and :data:`ANNOTATIONS` makes the answer
    "no" (then :mod:`jsonschema` decides), so "yes" is never wrong.
    """
    if isinstance(schema, bool):
        return schema
    for keyword, want in schema.items():
        check = KEYWORDS.get(keyword)
        if check is not None:
            if not check(value, want, schema):
                return False
        elif keyword not in ANNOTATIONS and not keyword.startswith("x-"):
            return False
    return True


# --------------------------------------------------------------------------
# Step 2: why not?  (jsonschema, loaded only here)
# --------------------------------------------------------------------------


@functools.cache
def exact_validator() -> Any:
    """The draft 2020-12 validator class of :mod:`jsonschema` in which a Fraction is a number and a
    float is not (the types of :data:`TYPES`)."""
    import jsonschema.validators

    base = jsonschema.validators.Draft202012Validator
    checker = base.TYPE_CHECKER.redefine_many(
        {name: _type_check(TYPES[name]) for name in ("number", "integer", "array")}
    )
    return jsonschema.validators.extend(base, type_checker=checker)


def _type_check(test: Callable[[Any], bool]) -> Callable[[Any, Any], bool]:
    """A jsonschema type check ``(checker, value) -> bool`` from ``test(value)``."""
    return lambda _checker, value: test(value)


@functools.cache
def _validator(filename: str) -> Any:
    """The validator of a shipped schema.  That the schema itself is valid Draft 2020-12 is a
    test's job (tests/test_instance_io.py), not every start's: checking it costs more than the
    rest of loading a catalog instance."""
    return exact_validator()(_inlined(filename))


def schema_check(data: Any, schema_file: str, source: str) -> None:
    """Reject what :func:`~persuasion.jsonio.check_tree` refuses (repeated keys, deep
    nesting, text that is not Unicode, ...), then check ``data`` against a shipped
    schema, raising the most relevant violation as an :class:`InputError`.

    jsonschema has the last word: were :func:`conforms` ever to say no to a file
    that jsonschema finds nothing wrong with, the file would pass (slowly)."""
    check_tree(
        data, source
    )  # also bounds the nesting, so the recursion here and in jsonschema stays shallow
    if conforms(data, _inlined(schema_file)):
        return
    import jsonschema.exceptions

    error = jsonschema.exceptions.best_match(_validator(schema_file).iter_errors(data))
    if error is not None:
        raise InputError(source, describe(error), json_path(list(error.absolute_path)))


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
    if isinstance(value, Fraction) and value.denominator == 1:
        return (
            f"got the decimal number {show(value)} (an integer is written without a decimal "
            "point or exponent)"
        )
    if kind in ("object", "array"):
        return f"got {_JSON_TYPES[kind]}"
    if kind in ("boolean", "null"):
        return f"got {show(value)}"
    return f"got {kind} {show(value)}"


def _float_problem(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return (
            f"{show(value)} is not allowed: NaN and Infinity are not numbers; write {_NUMBER_HELP}"
        )
    return (
        f"binary float {value!r} is not exact; pass a Fraction or a string such as "
        f'"{value!r}" (JSON files may use decimals: they are read exactly)'
    )


def describe(err: Any) -> str:
    """One clear line for a schema violation (a :class:`jsonschema.exceptions.ValidationError`)."""
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
            return (
                f"not an exact number: {show(value)} "
                '(write an integer, a decimal, or "p/q" with q > 0)'
            )
    if custom:
        if validator in ("type", "const", "enum"):
            return f"{custom}; {_got(value)}"
        return custom
    return _standard(err, schema, value)


def _standard(err: Any, schema: dict, value: Any) -> str:
    """:func:`describe`'s line for a standard JSON Schema keyword (no message of our own)."""
    validator = err.validator
    if validator == "type":
        wanted = (
            err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        )
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
