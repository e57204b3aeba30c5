"""How the installed ``persuasion`` program ends (issue 8, point 4: small games in a blink).

:func:`persuasion.cli.console_main` freezes every object alive when the command
has finished (:func:`persuasion.cli._end`), so that the interpreter's last
garbage collections skip them (and their ``__del__``, which Python never
promised to run at exit); otherwise it ends as Python does: the exit handlers
of :mod:`atexit` run and a thread still running is waited for.  A solve also
freezes what loading the solver made (:func:`persuasion.cli._loading_the_solver`).  It also asks
OpenBLAS for one thread unless the user chose a number
(:func:`persuasion.cli._one_blas_thread`). These tests plant a ``sitecustomize`` in the installed
program and watch each of these from inside it; each can fail. How much time this saves is measured
in benchmarks/bench_startup.py, never here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CONSOLE_TIMEOUT, INSTANCES, console_env, console_script

JUDGE = str(INSTANCES / "judge-prosecutor.json")

OBSERVER = """
import atexit, gc, os, threading, time

RECORD = os.environ["PERSUASION_TEST_RECORD"]


def _write(line):
    with open(RECORD, "a", encoding="utf-8") as fh:
        fh.write(line + "\\n")


@atexit.register
def _at_exit():
    _write("atexit " + str(len(gc.get_objects())))  # the objects the last collections would walk
    if os.path.isdir("/proc/self/task"):
        threads = len(os.listdir("/proc/self/task"))
        _write("blas " + os.environ.get("OPENBLAS_NUM_THREADS", "unset") + " " + str(threads))


if os.environ.get("PERSUASION_TEST_LATE_THREAD"):
    def _late():
        time.sleep(0.5)
        _write("thread done")

    threading.Thread(target=_late).start()  # not a daemon: the interpreter waits for it
"""


@pytest.fixture
def program(tmp_path):
    """``program(*args, python=False, **env)``: run the installed program (or, with ``python``,
    :func:`main` through the interpreter) with the observer planted; return the process and the
    lines it recorded."""
    plant = tmp_path / "plant"
    plant.mkdir()
    (plant / "sitecustomize.py").write_text(OBSERVER, encoding="utf-8")
    runs = iter(range(10**6))

    def run(
        *args: str, python: bool = False, **extra: str
    ) -> tuple[subprocess.CompletedProcess, list[str]]:
        record = tmp_path / f"record-{next(runs)}.txt"
        env = console_env(tmp_path, PERSUASION_TEST_RECORD=str(record), **extra)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(plant), env.get("PYTHONPATH")) if p)
        main = [
            sys.executable,
            "-c",
            "import sys; from persuasion.cli import main; sys.exit(main())",
        ]
        proc = subprocess.run(
            [*(main if python else [str(console_script())]), *args],
            capture_output=True,
            encoding="utf-8",
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=tmp_path,
            timeout=CONSOLE_TIMEOUT,
        )
        return proc, record.read_text(encoding="utf-8").splitlines()

    return run


def test_a_finished_solve_is_frozen_then_ends_as_python_does(program):
    proc, record = program("solve", JUDGE, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["first_best"] == "2"
    assert proc.stderr == ""
    assert (
        record[0] == "atexit 0"
    )  # every object alive at the end is frozen: the last collections walk none


def test_main_through_the_interpreter_freezes_only_the_solver_it_loaded(program):
    """The reverse, so that the observer can tell: :func:`main` in-process freezes what loading the
    solver made (the last test), not what the solve made after it."""
    proc, record = program("solve", JUDGE, "--json", python=True)
    assert proc.returncode == 0, proc.stderr
    assert int(record[0].split()[1]) > 0


@pytest.mark.parametrize(
    "args, status", [(("solve", JUDGE, "--json"), 0), (("solve", "missing.json"), 2)]
)
def test_a_running_thread_is_waited_for_and_the_status_kept(program, args, status):
    """A thread still running when the command ends (a library's, say) finishes before the process
    ends."""
    proc, record = program(*args, PERSUASION_TEST_LATE_THREAD="1")
    assert proc.returncode == status, proc.stderr
    assert record[:2] == ["thread done", "atexit 0"]


@pytest.mark.skipif(
    not Path("/proc/self/task").is_dir(), reason="counts the process's threads in /proc"
)
@pytest.mark.skipif(
    (os.cpu_count() or 1) < 2, reason="OpenBLAS starts one thread on one core whatever it is asked"
)
def test_openblas_gets_one_thread_unless_the_user_chose(program):
    """One thread by default: the program ends with fewer threads than when the user asks OpenBLAS
    for two (their number is kept); a user's ``OMP_NUM_THREADS``, which OpenBLAS also reads, is left
    alone."""
    _, record = program("solve", JUDGE, "--json")
    _, blas, threads = record[1].split()
    assert blas == "1"
    _, chosen = program("solve", JUDGE, "--json", OPENBLAS_NUM_THREADS="2")
    _, blas_chosen, threads_chosen = chosen[1].split()
    assert blas_chosen == "2"
    assert int(threads) < int(threads_chosen)
    _, omp = program("solve", JUDGE, "--json", OMP_NUM_THREADS="2")
    assert omp[1].split()[1] == "unset"


LOAD_TWICE = """
import contextlib, gc, io, sys
from persuasion.cli import main

gc.disable() if sys.argv[1] == "off" else None
counts = []
for _ in range(2):
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(sys.argv[2:]) == 0
    counts.append(gc.get_freeze_count())
print(counts[0], counts[1], gc.isenabled())
"""


@pytest.fixture(scope="module")
def silent(tmp_path_factory) -> str:
    """A profile file for judge-prosecutor: every sender silent."""
    from persuasion.instance import load_instance
    from persuasion.model import silent_profile
    from persuasion.profile import dump_profile

    instance = load_instance(JUDGE)
    path = tmp_path_factory.mktemp("profile") / "silent.json"
    path.write_text(json.dumps(dump_profile(silent_profile(instance), instance)), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("collector", ["on", "off"])
@pytest.mark.parametrize("command", ["solve", "verify", "certify"])
def test_the_solver_is_frozen_once_when_it_loads_and_the_collector_left_as_it_was(
    tmp_path, silent, command, collector
):
    """In-process too: the first command of a process that loads the solver freezes what loading it
    made, a second one nothing more; a caller's disabled collector stays disabled."""
    argv = {
        "solve": ["solve", JUDGE],
        "verify": ["verify", JUDGE, silent],
        "certify": ["certify", JUDGE, "--claim", "definition-1"],
    }[command]
    proc = subprocess.run(
        [sys.executable, "-c", LOAD_TWICE, collector, *argv, "--json"],
        capture_output=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        env=console_env(tmp_path),
        cwd=tmp_path,
        timeout=CONSOLE_TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    first, second, enabled = proc.stdout.splitlines()[-1].split()
    assert int(first) > 10_000  # numpy, highspy, flint and the package's modules
    assert second == first
    assert enabled == ("True" if collector == "on" else "False")
