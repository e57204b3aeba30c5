"""House rules the whole tree keeps, checked in CI like any other test.

- ruff (configured in ``pyproject.toml``: line length 100; pycodestyle, pyflakes, bugbear --
  ``zip(..., strict=...)`` where lengths must agree -- and pyupgrade) finds nothing, and the
  tree is formatted as ``ruff format`` writes it.
- No function of the package, the tests or the benchmarks is longer than 60 lines.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LONGEST_FUNCTION = 60
TREES = ("persuasion", "tests", "benchmarks")


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args],
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )


@pytest.mark.parametrize("command", [("check", "."), ("format", "--check", ".")], ids=" ".join)
def test_ruff_finds_nothing(command):
    done = _ruff(*command)
    assert done.returncode == 0, done.stdout + done.stderr


def _long_functions(source: str, name: str) -> list[str]:
    return [
        f"{name}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > LONGEST_FUNCTION
    ]


def test_no_function_is_longer_than_sixty_lines():
    found = [
        problem
        for tree in TREES
        for path in sorted((ROOT / tree).rglob("*.py"))
        for problem in _long_functions(
            path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))
        )
    ]
    assert found == []


def test_the_length_rule_can_fail():
    body = "\n".join(f"    x{i} = {i}" for i in range(LONGEST_FUNCTION))
    assert _long_functions(f"def long():\n{body}\n", "m.py") == ["m.py:1 long (61 lines)"]
    assert _long_functions(f"def short():\n{body[: body.rindex(chr(10))]}\n", "m.py") == []
