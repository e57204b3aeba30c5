"""Shared fixtures: the instance catalogue, the installed program, hypothesis settings sized for
2-core CI (profile ``ci``), or for a long run (``HYPOTHESIS_PROFILE=deep``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from persuasion.instance import load_instance

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = ROOT / "instances"

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
"""The hypothesis profile of this run: ``ci`` unless ``HYPOTHESIS_PROFILE`` names another."""

DEEP = PROFILE == "deep"
"""A long run: tests/test_properties.py then takes the profile's example count, not its own few."""

settings.register_profile(
    "ci", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "deep",
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.load_profile(PROFILE)


@pytest.fixture
def catalog():
    """Load an instance of ``instances/`` by its slug."""

    def load(slug: str):
        return load_instance(INSTANCES / f"{slug}.json")

    return load


CONSOLE_TIMEOUT = 300
"""Seconds before a run of the installed program counts as hung (far above any test's run)."""

_KEPT_ENV = ("PATH", "PYTHONPATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR")
"""The only variables of the test's environment a run of the installed program sees."""


def console_script() -> Path:
    """The installed ``persuasion`` program: next to the running interpreter, else on PATH."""
    candidate = Path(sys.executable).parent / "persuasion"
    if candidate.exists():
        return candidate
    found = shutil.which("persuasion")
    assert found, "the persuasion console script is not installed (see README, 'Set up')"
    return Path(found)


def console_env(home: Path, **extra: str) -> dict[str, str]:
    """A clean environment: PATH, PYTHONPATH and the locale only, HOME a scratch folder."""
    env = {name: os.environ[name] for name in _KEPT_ENV if name in os.environ}
    env.update(HOME=str(home), **extra)
    return env


@pytest.fixture
def console(tmp_path_factory):
    """Run the installed ``persuasion`` program as a user would: ``console(*args, env=...,
    cwd=...)``.

    A subprocess with a clean environment (:func:`console_env`: HOME is a scratch
    folder, so nothing is written to the real home, and MPLCONFIGDIR is unset),
    its output captured as UTF-8 text; a run longer than :data:`CONSOLE_TIMEOUT`
    fails the test as a hang.
    """
    home = tmp_path_factory.mktemp("home")

    def run(
        *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(console_script()), *args],
            capture_output=True,
            encoding="utf-8",
            stdin=subprocess.DEVNULL,
            env=env if env is not None else console_env(home),
            cwd=cwd or home,
            timeout=CONSOLE_TIMEOUT,
        )

    run.home = home
    return run


def pytest_terminal_summary(terminalreporter):
    """The fuzzing suite's tally (tests/fuzz): runs per runner, command and outcome.

    Shown at the end of a session run without pytest-xdist workers (``-p no:xdist``
    or ``-n 0``); under xdist each worker keeps its own tally and none is shown.
    """
    tally = getattr(sys.modules.get("test_fuzz"), "TALLY", None)
    if not tally:
        return
    write = terminalreporter.write_line
    terminalreporter.section("fuzz tally (runner, command, outcome: runs)")
    for (runner, command, outcome), runs in sorted(tally.items()):
        write(f"{runner:11} {command:7} {outcome:9} {runs}")
    write(f"total runs: {sum(tally.values())}")


def places(node, path=()):
    """Every ``(path, value)`` inside a JSON document, leaves and containers alike (the
    mutation generators of ``tests/test_forgery.py`` and ``tests/fuzz`` walk documents with it)."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from places(value, path + (key,))
    elif isinstance(node, list):
        for k, value in enumerate(node):
            yield from places(value, path + (k,))


SMALL_SWEEP = ("simulate", "--runs", "1", "--senders", "2", "--states", "2", "--actions", "2",
               "--jobs", "1")  # fmt: skip
"""The smallest sweep the tests run through the program: one run per family on 2 x 2 x 2."""
