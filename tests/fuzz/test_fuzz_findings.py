"""What the fuzzing suite found, pinned: one minimal reproducer per distinct failure (issue 7).

Each case is a catalog file with one small edit and the command that failed
on it before issue 7 (a traceback, a hang, a 100 KB error line, a Unicode
digit read as a number), judged by the same oracle as the fuzzing suite
(:mod:`fuzz_oracle`).  The certificate findings are covered by the forgery
and malformed-file tests of ``tests/test_forgery.py`` and by the generic
certificate mutants of ``test_fuzz.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from collections.abc import Callable

import pytest

from fuzz_oracle import judge, run_in_process, run_subprocess

# ---------------------------------------------------------------- the reproducers

ROOT = Path(__file__).resolve().parents[2]
PROFILES = Path(__file__).resolve().parent / "profiles"
BOUND = 20.0


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _judge() -> Any:
    return _load(ROOT / "instances" / "judge-prosecutor.json")


def _oblivious() -> Any:
    return _load(PROFILES / "judge-prosecutor--oblivious.json")


def _set(doc: Any, path: tuple, value: Any) -> Any:
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return doc


def _rename_state(doc: Any, old: str, new: str) -> Any:
    """Rename a state (or x_B) in an instance or a profile, keys and values alike."""
    if isinstance(doc, dict):
        return {(new if k == old else k): _rename_state(v, old, new) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_rename_state(v, old, new) for v in doc]
    return new if doc == old else doc


def _kg_senders(n: int) -> Any:
    doc = _load(ROOT / "instances" / "kg-prosecutor.json")
    one = doc["senders"][0]
    doc["senders"] = [dict(one, name=f"prosecutor-{i}") for i in range(n)]
    return doc


Files = dict[str, str]  # "instance" / "profile" -> file text
# id -> (files, argv with {instance} and {profile}, must be refused, runs in the console script)
CASES: dict[str, tuple[Callable[[], Files], list[str], bool, bool]] = {
    "arabic-indic-digit": (
        lambda: {"instance": json.dumps(_set(_judge(), ("alice", "utility", 0, 1), "\u0663"))},
        ["verify", "{instance}", "{profile}", "--json"],
        True,
        False,
    ),
    "fullwidth-digit": (
        lambda: {"instance": json.dumps(_set(_judge(), ("senders", 0, "utility", 1, 0), "\uff13"))},
        ["verify", "{instance}", "{profile}", "--json"],
        True,
        False,
    ),
    "utility-10e400": (
        lambda: {"instance": json.dumps(_set(_judge(), ("alice", "utility", 0, 1), 10**400))},
        ["solve", "{instance}", "--json"],
        False,
        False,
    ),
    "sum-of-tiny-probability": (
        lambda: {
            "profile": json.dumps(
                _set(_oblivious(), ("rules", "defense", "guilty"), {"0": "1e-9999", "1": 1})
            )
        },
        ["verify", "{instance}", "{profile}"],
        True,
        False,
    ),
    "long-sender-name": (
        lambda: {"profile": json.dumps(_set(_oblivious(), ("rules", "n" * 100_000), {}))},
        ["verify", "{instance}", "{profile}"],
        True,
        False,
    ),
    "10001-digit-probability": (
        lambda: {
            "profile": json.dumps(
                _set(_oblivious(), ("rules", "prosecutor", "guilty", "0"), "7" * 10_001)
            )
        },
        ["verify", "{instance}", "{profile}"],
        True,
        False,
    ),
    # the deep run's find: 1e-9999 makes a 20,000-digit answer, which the tables re-read
    "tiny-utility-long-answer": (
        lambda: {
            "instance": json.dumps(_set(_judge(), ("senders", 0, "utility", 0, 1), "1e-9999"))
        },
        ["verify", "{instance}", "{profile}"],
        False,
        False,
    ),
    "surrogate-state": (
        lambda: {
            "instance": json.dumps(_rename_state(_judge(), "innocent", "\ud800")),
            "profile": json.dumps(_rename_state(_oblivious(), "innocent", "\ud800")),
        },
        ["verify", "{instance}", "{profile}"],
        False,
        False,
    ),
    "surrogate-instance-name": (
        lambda: {"instance": json.dumps(_set(_judge(), ("name",), "a\ud800b"))},
        ["solve", "{instance}"],
        False,
        False,
    ),
    "20000-message-names": (
        lambda: {
            "instance": json.dumps(
                _set(
                    _load(ROOT / "instances" / "kg-prosecutor.json"),
                    ("senders", 0, "messages"),
                    [str(i) for i in range(20_000)],
                )
            ),
            "profile": (PROFILES / "kg-prosecutor--kg.json").read_text(encoding="utf-8"),
        },
        ["verify", "{instance}", "{profile}", "--json"],
        True,
        False,
    ),
    "million-digit-utility": (
        lambda: {
            "instance": json.dumps(_judge()).replace(
                '"utility": [[1, 2]', '"utility": [[1, ' + "9" * 10**6 + "]"
            )
        },
        ["verify", "{instance}", "{profile}"],
        True,
        True,
    ),
    "30-senders": (
        lambda: {"instance": json.dumps(_kg_senders(30))},
        ["solve", "{instance}", "--json"],
        True,
        True,
    ),
    "exponent-999999999": (
        lambda: {
            "instance": json.dumps(_judge()).replace(
                '"utility": [[1, 2]', '"utility": [[1, 2e999999999]'
            )
        },
        ["verify", "{instance}", "{profile}", "--json"],
        True,
        True,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_finding(name, tmp_path):
    """The reproducer ends clean or refused with one line naming the file, in time."""
    build, argv, must_refuse, console = CASES[name]
    paths = {
        "instance": str(ROOT / "instances" / "judge-prosecutor.json"),
        "profile": str(PROFILES / "judge-prosecutor--oblivious.json"),
    }
    for role, text in build().items():
        paths[role] = str(tmp_path / f"{role}.json")
        Path(paths[role]).write_text(text, encoding="utf-8", errors="surrogatepass")
    argv = [a.format(**paths) for a in argv]
    run = (run_subprocess if console else run_in_process)(argv, BOUND)
    outcome, detail = judge(
        run,
        command=argv[0],
        as_json="--json" in argv,
        files=list(paths.values()),
        must_refuse=must_refuse,
        bound=BOUND,
    )
    assert outcome in ("clean", "refused"), f"{outcome}: {detail}"
