"""Mutants of JSON files for the fuzzing suite (issue 7, point 7).

Every mutator works on *any* JSON document -- an instance, a profile or a
certificate -- without knowing its keys: it picks a node of the parsed tree
(or a place in the raw text) with a seeded :class:`random.Random` and changes
it.  So the certificate mutants keep working whatever the certificate format
becomes.  A mutant is the raw bytes of the file plus a label saying what was
done, so a failure can be reproduced from its seed alone
(:func:`mutant` with the same seed, source and class gives the same bytes).

Mutation classes (``CLASSES``), grouped by where they may run:

- in-process safe (:data:`IN_PROCESS`): ``value`` (an ordinary number changed),
  ``hostile-number`` (not an exact number: ``"٣"``, ``NaN``, ``"p/0"``...),
  ``type``, ``key``, ``nesting``, ``unicode``, ``truncate``, ``bytes``.  They
  stay small, so any hang is in Python code and a timer signal can stop it.
- subprocess only (:data:`SUBPROCESS_ONLY`): ``huge-number`` (``1e999999999``,
  a million digits, ``10**400``) and ``size`` (a count of 10**9, a list of
  20,000 names, 30 senders): they can spend minutes inside C code (big-integer
  arithmetic, the LP solver), which no signal interrupts.

``must_refuse`` marks mutants that no command may accept: not JSON, not an
exact number where a number stood, beyond a limit of :mod:`persuasion.limits`.
"""

from __future__ import annotations

import copy
import json
import random
import re
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

from conftest import places
from persuasion.limits import MAX_NAMES, MAX_NESTING, MAX_NUMBER_CHARS

Path = tuple  # of str | int: a node's place in the parsed tree

IN_PROCESS = ("value", "hostile-number", "type", "key", "nesting", "unicode", "truncate", "bytes")
SUBPROCESS_ONLY = ("huge-number", "size")
CLASSES = IN_PROCESS + SUBPROCESS_ONLY

_NUMERIC_TEXT = re.compile(r"^[+-]?(\d+(/\d+)?|\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$")


@dataclass(frozen=True)
class Mutant:
    """One mutated file: its bytes, what was done, and whether it must be refused."""

    cls: str
    label: str
    data: bytes
    must_refuse: bool = False
    rename: tuple[str, str] | None = None
    """A name replaced everywhere (``unicode``): the caller renames it in the companion file too."""

    def preview(self, limit: int = 400) -> str:
        """The start of the file, for a failure report."""
        text = self.data[:limit].decode("utf-8", "backslashreplace")
        return text + (f"... ({len(self.data)} bytes)" if len(self.data) > limit else "")


# ---------------------------------------------------------------- the tree


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or (
        isinstance(value, str) and bool(_NUMERIC_TEXT.match(value))
    )


def _put(doc: Any, path: Path, value: Any) -> Any:
    """A deep copy of ``doc`` with the node at ``path`` replaced (the root when ``path`` is
    empty)."""
    if not path:
        return value
    doc = copy.deepcopy(doc)
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return doc


def _show(path: Path) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


class _Raw:
    """Raw JSON text to splice into a serialised document (``NaN``, ``1e999999999``, deep
    nesting)."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}

    def token(self, text: str) -> str:
        key = f"@@fuzz-raw-{len(self.texts)}@@"
        self.texts[key] = text
        return key

    def dumps(self, doc: Any) -> bytes:
        out = json.dumps(doc, indent=1)  # ensure_ascii: a lone surrogate stays the escape \ud800
        for key, text in self.texts.items():
            out = out.replace(json.dumps(key), text)
        return out.encode("utf-8")


def _pick(
    rng: random.Random, doc: Any, keep: Callable[[Path, Any], bool]
) -> tuple[Path, Any] | None:
    found = [(p, v) for p, v in places(doc) if keep(p, v)]
    return rng.choice(found) if found else None


def _number(rng: random.Random, raw: _Raw, value: Any) -> tuple[Any, str]:
    """``value`` written bare in the JSON text or as a string, at random; and how it reads."""
    text = str(value)
    if rng.random() < 0.5:
        return raw.token(text), text
    return text, json.dumps(text)


def _as_int(value: Any) -> int:
    try:
        return (
            int(float(value))
            if not isinstance(value, str) or "/" not in value
            else int(value.split("/")[0])
        )
    except (ValueError, OverflowError):
        return 1


# ---------------------------------------------------------------- mutators, one per class


def _value(rng: random.Random, doc: Any, raw: _Raw) -> tuple[Any, str, bool] | None:
    hit = _pick(rng, doc, lambda p, v: _is_number(v))
    if not hit:
        return None
    path, old = hit
    n = _as_int(old)
    new = rng.choice(
        [
            n + 1,
            n - 1,
            -n,
            0,
            2 * n,
            n * 7,
            f"{n}/3",
            "1/7",
            "-1/7",
            "0.1",
            "1e-30",
            "1E2",
            "+3",
            " 2 ",
            "007",
            "0.30000000000000004",
            "1e-9999",
            "-0",
            "1/2",
            "3",
            10**39,
            "-1e40",
            f"1/{10**39}",
        ]
    )
    node, shown = _number(rng, raw, new)
    return _put(doc, path, node), f"{_show(path)}: {old!r} -> {shown}", False


HOSTILE_NUMBERS = (
    "\u0663",
    "\u0661/\u0662",
    "\uff13",
    "\u00bd",
    "1/0",
    "{p}/0",
    "NaN",
    "Infinity",
    "-Infinity",
    "inf",
    "nan",
    "0x1A",
    "1_000",
    "1e",
    "--1",
    "",
    " ",
    "1/-2",
    "1//2",
    "1.2.3",
)
"""Texts that are not exact numbers (docs/reference/file-formats.md): only ASCII digits are
digits."""


def _hostile_number(rng: random.Random, doc: Any, raw: _Raw) -> tuple[Any, str, bool] | None:
    hit = _pick(rng, doc, lambda p, v: _is_number(v))
    if not hit:
        return None
    path, old = hit
    text = rng.choice(HOSTILE_NUMBERS).replace("{p}", str(rng.randint(1, 9)))
    if text in ("NaN", "Infinity", "-Infinity") and rng.random() < 0.7:
        new: Any = raw.token(text)  # the bare JSON constant Python's json accepts
        label = text
    else:
        new = label = text
    return _put(doc, path, new), f"{_show(path)}: {old!r} -> {label!r}", True


def _huge_number(rng: random.Random, doc: Any, raw: _Raw) -> tuple[Any, str, bool] | None:
    hit = _pick(rng, doc, lambda p, v: _is_number(v))
    if not hit:
        return None
    path, old = hit
    choices = [
        ("1e999999999", True),
        ("1e-999999999", True),
        ("-1e999999999", True),
        (str(10**400), False),
        (f"1/{10**400}", False),
        ("1e400", False),
        (f"{10**400 + 1}/{10**400}", False),
        ("7" * (MAX_NUMBER_CHARS + 1), True),
        ("9" * 1_000_000, True),
        ("1/" + "3" * 20_000, True),
        (f"1e{10**6}", True),
    ]
    text, refuse = rng.choice(choices)
    node, shown = _number(rng, raw, text) if "/" not in text else (text, json.dumps(text))
    shown = shown if len(shown) < 40 else f"{shown[:12]}...({len(shown)} chars)"
    return _put(doc, path, node), f"{_show(path)}: {old!r} -> {shown}", refuse


_OTHER_TYPES: tuple[Callable[[Any], Any], ...] = (
    lambda v: None,
    lambda v: True,
    lambda v: False,
    lambda v: 0,
    lambda v: "x",
    lambda v: "",
    lambda v: [],
    lambda v: {},
    lambda v: [v],
    lambda v: {"x": v},
    lambda v: json.dumps(v),
)


def _type(rng: random.Random, doc: Any, raw: _Raw) -> tuple[Any, str, bool] | None:
    path, old = _pick(rng, doc, lambda p, v: True)
    for _ in range(10):
        new = rng.choice(_OTHER_TYPES)(old)
        if type(new) is not type(old):
            break
    return (
        _put(doc, path, new),
        f"{_show(path)}: {type(old).__name__} -> {json.dumps(new)[:40]}",
        False,
    )


def _key(rng: random.Random, doc: Any, raw: _Raw) -> tuple[Any, str, bool] | None:
    hit = _pick(rng, doc, lambda p, v: isinstance(v, dict) and bool(v))
    if not hit:
        return None
    path, obj = hit
    key = rng.choice(list(obj))
    op = rng.choice(["drop", "add", "rename", "duplicate"])
    new = dict(obj)
    if op == "drop":
        del new[key]
        return _put(doc, path, new), f"{_show(path)}: drop key {key!r}", False
    if op == "add":
        new["fuzz-unknown-key"] = rng.choice([1, "x", None, [], {}])
        return _put(doc, path, new), f"{_show(path)}: add an unknown key", False
    if op == "rename":
        renamed = rng.choice(
            [key + "_", key.upper() if key.upper() != key else key + "X", " " + key, ""]
        )
        items = [(renamed if k == key else k, v) for k, v in obj.items()]
        if renamed in obj:
            return None
        return (
            _put(doc, path, dict(items)),
            f"{_show(path)}: rename key {key!r} -> {renamed!r}",
            False,
        )
    # the same key twice in the raw text: json keeps the last one silently unless refused
    new[raw.token('"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"')] = copy.deepcopy(
        rng.choice([obj[key], 0, "x"])
    )
    mutated = _put(doc, path, new)
    return mutated, f"{_show(path)}: key {key!r} twice", True


def _nesting(rng: random.Random, doc: Any, raw: _Raw) -> tuple[Any, str, bool] | None:
    path, old = _pick(rng, doc, lambda p, v: True)
    op = rng.choice(["list", "object", "deep-list", "deep-object", "over-limit"])
    if op == "list":
        depth = rng.randint(1, 3)
        new = old
        for _ in range(depth):
            new = [new]
        return _put(doc, path, new), f"{_show(path)}: wrapped in {depth} list(s)", False
    if op == "object":
        return _put(doc, path, {"x": old}), f"{_show(path)}: wrapped in an object", False
    depth = MAX_NESTING + 1 if op == "over-limit" else 10_000
    if op == "deep-object":
        text = '{"a":' * depth + "0" + "}" * depth
    else:
        text = "[" * depth + "0" + "]" * depth
    return _put(doc, path, raw.token(text)), f"{_show(path)}: {op} nesting {depth} levels", True


STRANGE_NAMES = (
    "\ud800",
    "\udfff",
    "a\ud800b",
    "x\u202e",
    "\u200f",
    "\u0000",
    "\x07",
    "a\nb",
    "\t",
    "n" * 100_000,
    "\U0001f642",
    "e\u0301",
    "\u00e9",
    "",
    " ",
    "\u2028",
    "\ufeff",
    "\x1b[31mred",
)
"""Names that are hard to print: lone surrogates, control and bidi characters, very long, empty."""


def _unicode(rng: random.Random, doc: Any, raw: _Raw) -> tuple[Any, str, bool] | None:
    strings = sorted(
        {k for p, _ in places(doc) for k in p if isinstance(k, str)}
        | {v for _, v in places(doc) if isinstance(v, str)}
    )
    if not strings:
        return None
    old = rng.choice(strings)
    new = rng.choice(STRANGE_NAMES)
    everywhere = rng.random() < 0.7  # consistent renaming reaches the solver and the renderers

    def rename(node: Any, first: list[bool]) -> Any:
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                nk = k
                if k == old and (everywhere or first[0]) and new not in node:
                    nk, first[0] = new, False
                out[nk] = rename(v, first)
            return out
        if isinstance(node, list):
            return [rename(v, first) for v in node]
        if node == old and (everywhere or first[0]):
            first[0] = False
            return new
        return node

    shown = new if len(new) < 20 else f"{new[:5]}...({len(new)} chars)"
    where = "everywhere" if everywhere else "once"
    return (
        rename(doc, [True]),
        f"{old[:40]!r} -> {shown!r} ({where})",
        False,
        (old, new) if everywhere else None,
    )


def renamed(source: bytes, rename: tuple[str, str]) -> bytes:
    """``source`` with every key and string equal to ``rename[0]`` replaced by ``rename[1]``."""
    old, new = rename

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {(new if k == old and new not in node else k): walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return new if node == old else node

    return json.dumps(walk(json.loads(source)), indent=1).encode("utf-8")


def _size(rng: random.Random, doc: Any, raw: _Raw) -> tuple[Any, str, bool] | None:
    op = rng.choice(["count", "names", "grow-30", "grow-20000", "wide"])
    if op in ("count", "names"):
        hit = _pick(rng, doc, lambda p, v: _is_number(v))
        if not hit:
            return None
        path, old = hit
        if op == "count":
            return _put(doc, path, 10**9), f"{_show(path)}: {old!r} -> 10**9", False
        names = [str(i) for i in range(2 * MAX_NAMES)]  # keeps "0", "1": profiles still name them
        return (
            _put(doc, path, names),
            f"{_show(path)}: {old!r} -> a list of {len(names)} names",
            True,
        )
    if op == "wide":
        hit = _pick(rng, doc, lambda p, v: isinstance(v, dict))
        path, obj = hit
        new = dict(obj)
        new.update({f"k{i}": rng.choice([0, "1/2", "x"]) for i in range(2 * MAX_NAMES)})
        return _put(doc, path, new), f"{_show(path)}: {2 * MAX_NAMES} more keys", False
    hit = _pick(rng, doc, lambda p, v: isinstance(v, list) and bool(v))
    if not hit:
        return None
    path, old = hit
    n = 30 if op == "grow-30" else 2 * MAX_NAMES
    grown = [
        _unique(copy.deepcopy(old[i % len(old)]), i) if i >= len(old) else old[i] for i in range(n)
    ]
    return _put(doc, path, grown), f"{_show(path)}: grown from {len(old)} to {n} items", False


def _unique(node: Any, i: int) -> Any:
    """A clone whose name-like strings get a suffix, so cloned senders or names stay distinct."""
    if isinstance(node, str) and not _is_number(node):
        return f"{node}~{i}"
    if isinstance(node, dict):
        return {
            k: (_unique(v, i) if k == "name" or not isinstance(v, str) else v)
            for k, v in node.items()
        }
    return node


_TREE_MUTATORS = {
    "value": _value,
    "hostile-number": _hostile_number,
    "huge-number": _huge_number,
    "type": _type,
    "key": _key,
    "nesting": _nesting,
    "unicode": _unicode,
    "size": _size,
}


def _truncate(rng: random.Random, text: bytes) -> tuple[bytes, str, bool]:
    end = len(text.rstrip())
    cut = rng.randrange(0, end)
    return text[:cut], f"truncated to {cut} of {len(text)} bytes", True


def _bytes(rng: random.Random, text: bytes) -> tuple[bytes, str, bool]:
    data = bytearray(text)
    where = []
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(data))
        data[i] = rng.randrange(256) if rng.random() < 0.5 else data[i] ^ (1 << rng.randrange(8))
        where.append(f"{i}:0x{data[i]:02x}")
    return bytes(data), f"bytes set at {', '.join(where)}", False


def mutant(seed: str, cls: str, source: bytes) -> Mutant:
    """The mutant of class ``cls`` of the JSON file ``source`` drawn with ``seed``
    (deterministic)."""
    rng = random.Random(seed)
    if cls in ("truncate", "bytes"):
        data, label, refuse = (_truncate if cls == "truncate" else _bytes)(rng, source)
        return Mutant(cls, label, data, refuse)
    doc = json.loads(source)
    for _ in range(20):
        raw = _Raw()
        made = _TREE_MUTATORS[cls](rng, doc, raw)
        if made is not None:
            new, label, refuse, *rename = made
            return Mutant(cls, label, raw.dumps(new), refuse, rename[0] if rename else None)
    raise ValueError(f"no {cls} mutation applies to this document")
