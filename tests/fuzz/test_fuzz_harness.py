"""The fuzzing harness can fail: its oracle sees every kind of failure, its mutants reproduce.

Without these, a green fuzzing suite could mean a blind oracle (issue 7, point 7).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import persuasion.cli
from persuasion.checker.core import PROSE_NOTE
from fuzz_mutants import CLASSES, Mutant, mutant, renamed
from fuzz_oracle import PREFIX, Run, judge, run_in_process

JUDGE = Path(__file__).resolve().parents[2] / "instances" / "judge-prosecutor.json"
FILE = "/tmp/x/game.json"


def verdict(
    run: Run, command: str = "verify", as_json: bool = True, must_refuse: bool = False
) -> str:
    return judge(
        run, command=command, as_json=as_json, files=[FILE], must_refuse=must_refuse, bound=1
    )[0]


@pytest.mark.parametrize(
    "run, command, expected",
    [
        (Run(0, '{"a": 1}\n', ""), "verify", "clean"),
        (Run(2, "", f"{PREFIX}{FILE}: $.states: bad\n"), "verify", "refused"),
        (Run(1, "INVALID: step x fails\n", ""), "check", "invalid"),
        (Run(None, "", ""), "verify", "hang"),
        (Run(1, "", "", crash="OverflowError: int too large"), "verify", "crash"),
        (
            Run(1, "", "Traceback (most recent call last):\n  ...\nKeyError: 'x'\n"),
            "verify",
            "crash",
        ),
        (Run(1, "INVALID: malformed step (KeyError: 'x')\n", ""), "check", "crash"),
        (Run(-9, "", ""), "verify", "crash"),
        (Run(2, "", f"{PREFIX}{FILE}: bad\nmore\n"), "verify", "stderr"),
        (Run(0, '{"a": 1}\n', "warning: something\n"), "verify", "stderr"),
        (Run(2, "", f"{PREFIX}other.json: bad\n"), "verify", "unnamed"),
        (Run(2, "", f"{FILE}: bad\n"), "verify", "unnamed"),
        (Run(2, "", f"{PREFIX}{FILE}: " + "9" * 100_000 + "\n"), "verify", "long-line"),
        (Run(2, "partial table\n", f"{PREFIX}{FILE}: bad\n"), "verify", "stdout"),
        (Run(0, 'Running HiGHS 1.16.0\n{"a": 1}\n', ""), "verify", "stdout"),
        (Run(0, "[1, 2]\n", ""), "verify", "stdout"),
        (Run(0, "VALID\nextra\n", ""), "check", "stdout"),
        (Run(0, f"VALID: x\n{PROSE_NOTE}\n", ""), "check", "clean"),
        (Run(0, f"VALID: x\n{PROSE_NOTE}\nextra\n", ""), "check", "stdout"),
        (Run(3, "", ""), "verify", "exit"),
        (Run(1, "", ""), "verify", "exit"),
    ],
)
def test_oracle_sees_each_outcome(run, command, expected):
    assert verdict(run, command) == expected


def test_oracle_flags_an_accepted_hostile_mutant():
    assert verdict(Run(0, '{"a": 1}', ""), must_refuse=True) == "accepted"
    assert (
        verdict(Run(0, "VALID (3 steps)\n", ""), command="check", as_json=False, must_refuse=True)
        == "accepted"
    )
    assert (
        verdict(Run(1, "INVALID: no\n", ""), command="check", as_json=False, must_refuse=True)
        == "invalid"
    )


def test_in_process_runner_stops_a_hang(monkeypatch):
    def spin(argv):
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(persuasion.cli, "main", spin)
    run = run_in_process(["verify"], bound=0.3)
    assert run.code is None and verdict(run) == "hang"


def test_in_process_runner_reports_an_escaping_exception(monkeypatch):
    def boom(argv):
        raise OverflowError("integer too large to convert to float")

    monkeypatch.setattr(persuasion.cli, "main", boom)
    run = run_in_process(["verify"], bound=5)
    assert run.crash.startswith("OverflowError") and verdict(run) == "crash"


def test_in_process_runner_encodes_stdout_like_a_terminal(monkeypatch):
    """A lone surrogate cannot be written to a UTF-8 stdout: in-process capture must not hide
    that."""

    def surrogate(argv):
        print("state \ud800")
        return 0

    monkeypatch.setattr(persuasion.cli, "main", surrogate)
    run = run_in_process(["verify"], bound=5)
    assert "UnicodeEncodeError" in run.crash and verdict(run, as_json=False) == "crash"


@pytest.mark.parametrize("cls", CLASSES)
def test_mutants_reproduce_from_their_seed_and_change_the_file(cls):
    source = JUDGE.read_bytes()
    first, again = mutant(f"s/{cls}", cls, source), mutant(f"s/{cls}", cls, source)
    assert first == again and isinstance(first, Mutant)
    assert first.data != source and first.label


@pytest.mark.parametrize("i", range(20))
def test_must_refuse_texts_are_not_json_objects_or_hold_a_non_number(i):
    """Truncations are never valid JSON; duplicated keys are really in the raw text."""
    source = JUDGE.read_bytes()
    cut = mutant(f"t/{i}", "truncate", source)
    assert cut.must_refuse
    with pytest.raises(ValueError):
        json.loads(cut.data)
    dup = next(m for j in range(200) if "twice" in (m := mutant(f"k/{i}/{j}", "key", source)).label)
    pairs: list = []
    json.loads(dup.data, object_pairs_hook=lambda p: pairs.append([k for k, _ in p]) or dict(p))
    assert any(len(keys) != len(set(keys)) for keys in pairs) and dup.must_refuse


def test_unicode_renaming_reaches_the_companion_file():
    profile = Path(__file__).resolve().parent / "profiles" / "judge-prosecutor--oblivious.json"
    out = json.loads(renamed(profile.read_bytes(), ("defense", "\ud800")))
    assert set(out["rules"]) == {"prosecutor", "\ud800"}


def test_a_traceback_is_reported_by_its_exception():
    run = Run(
        1, "", 'Traceback (most recent call last):\n  File "x.py", line 1\nOverflowError: too big\n'
    )
    outcome, detail = judge(
        run, command="verify", as_json=True, files=[FILE], must_refuse=False, bound=1
    )
    assert outcome == "crash" and "OverflowError: too big" in detail
