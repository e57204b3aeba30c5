"""The installed ``persuasion`` program, run in a subprocess as a user runs it (issue 7, point 1).

In-process tests (``capsys``) cannot see what a C library or a child process
writes to the process's file descriptors 1 and 2 -- highspy 1.16 prints a
"Running HiGHS ..." banner there whenever a ``Highs`` object is made.  These
tests run the console script that ``pip install`` generated, for every
command, with and without ``--json``, and require:

- with ``--json``: stdout is exactly one JSON object, nothing before or after;
- without: stdout starts with the first line our renderer prints, and holds no
  line a library writes (the HiGHS banner, a warning, a traceback);
- on success: stderr is empty and the exit status 0;
- on bad input: exactly one stderr line and exit status 2;
- a bug of ours still shows its traceback on stderr;
- Ctrl-C (SIGINT) ends the program within seconds, even inside C code.

Libraries and child processes are also *planted* (a ``sitecustomize`` module
that writes to the descriptors from Python, C-level calls and a shell), so the
guarantee is tested whatever the installed versions of the libraries do.  The
day a new release of a dependency prints something, these tests fail.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from conftest import ROOT, SMALL_SWEEP, console_env, console_script
from persuasion.checker.core import PROSE_NOTE
from persuasion.cli import EXIT_INTERRUPTED, INTERRUPTED

JUDGE = str(ROOT / "instances" / "judge-prosecutor.json")
SELECTION = str(ROOT / "instances" / "two-prosecutors-selection.json")

OBLIVIOUS = {  # the senders' single-sender optima on judge-prosecutor (see its description)
    "format": "persuasion-profile/1",
    "rules": {
        "prosecutor": {"guilty": {"0": 1}, "innocent": {"0": 1}},
        "defense": {"guilty": {"0": "1/2", "1": "1/2"}, "innocent": {"1": 1}},
    },
}


FOREIGN = (
    "Running HiGHS",
    "Copyright",
    "Includes third-party",
    "Traceback",
    "Warning",
    "warning",
    "WARNING",
    "planted",
    "Matplotlib",
)
"""Starts of lines that only a library (or a crash) would print."""


def one_json_object(proc: subprocess.CompletedProcess) -> dict:
    """The run succeeded, stderr is empty and stdout is exactly one JSON object."""
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.startswith("{") and proc.stdout.endswith("}\n"), proc.stdout[:200]
    report = json.loads(proc.stdout)  # raises on anything before or after the object
    assert isinstance(report, dict)
    return report


def clean_text(proc: subprocess.CompletedProcess, first_line: str) -> list[str]:
    """The run succeeded, stderr is empty, stdout starts with ``first_line`` and has no foreign
    line."""
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert lines and lines[0].startswith(first_line), proc.stdout[:200]
    foreign = [line for line in lines if line.lstrip().startswith(FOREIGN)]
    assert foreign == []
    return lines


@pytest.fixture
def profile(tmp_path) -> str:
    path = tmp_path / "oblivious.json"
    path.write_text(json.dumps(OBLIVIOUS))
    return str(path)


# ---------------------------------------------------------------- every command


def test_installed_program_is_console_main():
    """The script pip generated calls console_main (a stale install calls main: reinstall)."""
    script = console_script().read_text(encoding="utf-8", errors="replace")
    assert "console_main" in script, (
        f"{console_script()} is stale: run the README's install command again"
    )


@pytest.mark.parametrize(
    "command, first_line, known",
    [
        (
            ("solve", JUDGE),
            "persuasion solve: judge-prosecutor",
            {"instance": "judge-prosecutor", "first_best": "2"},
        ),
        (
            ("solve", SELECTION),
            "persuasion solve: two-prosecutors-selection",
            {"instance": "two-prosecutors-selection"},
        ),
        (
            ("certify", JUDGE, "--claim", "theorem-1", "--claim", "definition-1"),
            "persuasion certify: judge-prosecutor",
            {"instance": "judge-prosecutor"},
        ),
        (
            SMALL_SWEEP,
            "Sweep: 12 runs on 4 instances",
            {"runs": 12, "instances": 4},
        ),  # 4 families, 3 starts
    ],
)
def test_commands_print_only_their_report(console, command, first_line, known):
    clean_text(console(*command), first_line)
    report = one_json_object(console(*command, "--json"))
    assert {key: report.get(key) for key in known} == known


def test_verify(console, profile):
    lines = clean_text(console("verify", JUDGE, profile), "persuasion verify: judge-prosecutor")
    assert any("5/3" in line for line in lines)  # Alice's utility at the oblivious profile
    report = one_json_object(console("verify", JUDGE, profile, "--json"))
    assert report["instance"] == "judge-prosecutor"
    assert "5/3" in json.dumps(report)


def test_certify_out_then_check(console, tmp_path):
    out = tmp_path / "certs"
    claims = ("--claim", "theorem-1", "--claim", "lemma-1")
    report = one_json_object(console("certify", JUDGE, *claims, "--out", str(out), "--json"))
    assert sorted(row["name"] for row in report["claims"]) == ["lemma-1", "theorem-1"]
    assert sorted(p.name for p in out.iterdir()) == ["lemma-1.json", "theorem-1.json"]
    for row in report["claims"]:
        assert json.loads(Path(row["file"]).read_text())["claim"] == row["name"]
    clean_text(
        console("certify", JUDGE, *claims, "--out", str(tmp_path / "again")),
        "persuasion certify: judge-prosecutor",
    )
    for name in ("theorem-1", "lemma-1"):
        lines = clean_text(console("check", str(out / f"{name}.json")), f"VALID: {name} holds")
        assert len(lines) == 2 and lines[1] == PROSE_NOTE


def test_simulate_with_files_and_worker_processes(console, tmp_path):
    """Figures (matplotlib, a fresh HOME: it would build its font cache) and two forked workers."""
    out = tmp_path / "sweep"
    args = (
        "simulate",
        "--runs",
        "1",
        "--senders",
        "2",
        "--states",
        "2",
        "--actions",
        "2",
        "--jobs",
        "2",
    )
    report = one_json_object(console(*args, "--out", str(out), "--json"))
    assert report["runs"] == 12 and report["instances"] == 4  # 4 families, 3 starts
    assert {Path(f).name for f in report["files"]} >= {"runs.csv", "runs.json"}
    assert all(Path(f).is_file() for f in report["files"])
    clean_text(
        console(*args, "--out", str(tmp_path / "text"), "--no-figures"),
        "Sweep: 12 runs on 4 instances",
    )


def test_simulate_on_a_local_dask_cluster(console):
    """Dask's scheduler, nanny and worker processes write nothing we would show."""
    report = one_json_object(console(*SMALL_SWEEP[:-2], "--dask", "local", "--jobs", "1", "--json"))
    assert report["runs"] == 12


def test_help_and_version(console):
    from persuasion import __version__

    proc = console("--version")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"persuasion {__version__}\n", "")
    clean_text(console("--help"), "usage: persuasion")
    for command in ("solve", "verify", "certify", "check", "simulate"):
        clean_text(console(command, "--help"), f"usage: persuasion {command}")


@pytest.mark.parametrize(
    "args, names",
    [
        (("solve", "missing.json"), "missing.json"),
        (("solve", "missing.json", "--json"), "missing.json"),
        (("verify", JUDGE, "missing.json", "--json"), "missing.json"),
        (("certify", "missing.json"), "missing.json"),
        (("check", "missing.json"), "missing.json"),
        (("simulate", "--runs", "0"), "--runs"),
        (("solve",), "INSTANCE"),
        (("frobnicate",), "frobnicate"),
    ],
)
def test_bad_input_is_one_stderr_line(console, args, names):
    proc = console(*args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.endswith("\n")
    assert proc.stderr.startswith("persuasion: error: ") and names in proc.stderr


def test_a_closed_pipe_ends_quietly(tmp_path):
    """``persuasion solve X | head -0``: the reader is gone before we write; no traceback, status
    0."""
    proc = subprocess.Popen(
        [str(console_script()), "solve", JUDGE],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=console_env(tmp_path),
    )
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=300) == 0
    assert err == b""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "args",
    [
        ["catalog"],  # short: fails at the program's final flush (once a traceback, status 120)
        ["export", JUDGE, "--gambit", "--grid", "6"],  # 24 kB: fails inside the command (status 1)
    ],
    ids=["final-flush", "inside-the-command"],
)
def test_a_full_stdout_is_one_line(args, tmp_path):
    """``persuasion catalog > /dev/full``: one line on stderr, exit status 2, no traceback."""
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [str(console_script()), *args],
            stdout=full,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=console_env(tmp_path),
            timeout=300,
            encoding="utf-8",
        )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == (
        "persuasion: error: cannot write to standard output: No space left on device\n"
    )


def test_a_closed_stderr_still_gives_the_report(tmp_path):
    """``persuasion solve X 2>&-``: Python starts with ``sys.stderr = None``; the report still
    comes, status 0 (review of issue 8: the interrupt watcher's first flush raised AttributeError,
    so the program ended with status 1 and no output at all; before the watcher, the saved copy of
    stdout took the free descriptor 2, which was then pointed at devnull: status 0, no report)."""
    proc = subprocess.run(
        [str(console_script()), "solve", JUDGE],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=console_env(tmp_path),
        timeout=300,
        preexec_fn=lambda: os.close(2),
    )
    assert proc.returncode == 0
    assert proc.stdout.decode().startswith("persuasion solve: ")


# ---------------------------------------------------------------- planted libraries


PLANT = """
import logging, os, warnings
import persuasion.api as api

_real = api.solve

def solve(*args, **kwargs):
    {body}
    return _real(*args, **kwargs)

api.solve = solve
"""

CHATTY = """
    os.write(1, b"planted C-level stdout\\n")
    os.write(2, b"planted C-level stderr\\n")
    os.system("echo planted child stdout; echo planted child stderr >&2")
    warnings.warn("planted library warning")
    logging.getLogger("planted.library").warning("planted log record")
    child = os.fork()
    if child == 0:
        print("planted forked child", flush=True)
        os._exit(0)
    os.waitpid(child, 0)
"""


def planted(tmp_path: Path, body: str, **extra: str) -> dict[str, str]:
    """An environment whose interpreter first runs a ``sitecustomize`` wrapping
    :func:`persuasion.api.solve`."""
    folder = tmp_path / "plant"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(PLANT.format(body=body.strip()))
    env = console_env(tmp_path, **extra)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(folder), env.get("PYTHONPATH")) if p)
    return env


def test_nothing_a_library_writes_reaches_the_user(console, tmp_path):
    """C-level writes to fds 1 and 2, a child process, a forked child, a warning, a log record."""
    env = planted(tmp_path, CHATTY)
    report = one_json_object(console("solve", JUDGE, "--json", env=env))
    assert report["first_best"] == "2"
    clean_text(console("solve", JUDGE, env=env), "persuasion solve: judge-prosecutor")


def test_pythonwarnings_shows_library_warnings_again(console, tmp_path):
    """As docs/reference/installation.md says; stdout stays clean."""
    proc = console(
        "solve", JUDGE, "--json", env=planted(tmp_path, CHATTY, PYTHONWARNINGS="default")
    )
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["first_best"] == "2"
    assert "UserWarning: planted library warning" in proc.stderr
    assert "planted C-level stderr" not in proc.stderr


def test_the_plant_is_seen_without_the_isolation(tmp_path):
    """The same plant, run through main() instead of the program: its writes do show (the test can
    fail)."""
    env = planted(tmp_path, CHATTY)
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from persuasion.cli import main; sys.exit(main())",
            "solve",
            JUDGE,
            "--json",
        ],
        capture_output=True,
        encoding="utf-8",
        env=env,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0
    for line in ("planted C-level stdout", "planted child stdout", "planted forked child"):
        assert line in proc.stdout
    assert "planted C-level stderr" in proc.stderr and "planted library warning" in proc.stderr


def test_a_bug_of_ours_shows_its_traceback(console, tmp_path):
    env = planted(tmp_path, 'raise RuntimeError("planted bug")')
    proc = console("solve", JUDGE, "--json", env=env)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "Traceback (most recent call last)" in proc.stderr
    assert proc.stderr.rstrip().endswith("RuntimeError: planted bug")


# ---------------------------------------------------------------- Ctrl-C


def _interrupt_after(
    argv: list[str], env: dict[str, str], ready, group: bool = False, session: bool = False
) -> subprocess.Popen:
    """Start ``argv``, wait until ``ready(proc)`` (at most 120 s), send SIGINT, and wait (at most 20
    s) for the end.

    With ``group``, the program leads a process group of its own and the signal goes
    to the whole group, as a terminal's Ctrl-C does; with ``session``, it leads a group
    of its own but the signal goes to it alone (``kill -INT``, a supervisor, a CI runner).
    """
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
        start_new_session=group or session,
    )
    deadline = time.monotonic() + 120
    while not ready(proc) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert proc.poll() is None, "the job ended before it could be interrupted"
    if group:
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        pytest.fail("Ctrl-C did not end the program within 20 s")
    return proc


def test_ctrl_c_ends_a_call_into_c_code(tmp_path):
    """A C-level loop that never returns to Python (a stand-in for a long solver call) ends
    promptly: the watcher writes the one line and kills the program after the grace period."""
    marker = tmp_path / "inside"
    env = planted(tmp_path, f'open({str(marker)!r}, "w").close()\n    sum(range(10**14))')
    proc = _interrupt_after([str(console_script()), "solve", JUDGE], env, lambda _: marker.exists())
    assert (
        proc.returncode == -signal.SIGKILL
    )  # the watcher's kill: Python never got the interpreter back
    assert proc.stdout.read() == b""
    assert proc.stderr.read().decode() == INTERRUPTED + "\n"


def _group(pgid: int) -> list[int]:
    """The processes of process group ``pgid`` (read from /proc)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()  # state, ppid, pgrp, ...
        except OSError:  # the process just ended
            continue
        if int(fields[2]) == pgid:
            members.append(int(stat.parent.name))
    return members


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process groups from /proc")
def test_ctrl_c_ends_a_sweep_and_its_workers(tmp_path):
    """A long sweep on two worker processes, interrupted as from a terminal: all of it ends,
    quietly."""
    argv = [str(console_script()), "simulate", "--runs", "10000", "--jobs", "2"]
    proc = _interrupt_after(
        argv, console_env(tmp_path), lambda p: len(_group(p.pid)) >= 3, group=True
    )
    assert proc.returncode == EXIT_INTERRUPTED
    assert proc.stderr.read().decode() == INTERRUPTED + "\n"
    deadline = time.monotonic() + 20
    while _group(proc.pid) and time.monotonic() < deadline:  # the workers got the signal too
        time.sleep(0.1)
    left = _group(proc.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == [], "worker processes outlived the interrupted sweep"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process groups from /proc")
def test_sigint_to_the_sweep_alone_ends_its_workers_too(tmp_path):
    """``kill -INT`` to the program only (review of issue 8): leaving the process pool waited for
    every queued task, so the watcher killed the program after its grace period and the workers,
    which never got the signal, ran on as orphans."""
    argv = [str(console_script()), "simulate", "--runs", "10000", "--jobs", "2"]
    proc = _interrupt_after(
        argv, console_env(tmp_path), lambda p: len(_group(p.pid)) >= 3, session=True
    )
    assert proc.returncode == EXIT_INTERRUPTED
    assert proc.stderr.read().decode() == INTERRUPTED + "\n"
    deadline = time.monotonic() + 20
    while _group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _group(proc.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == [], "worker processes outlived the interrupted sweep"


# ---------------------------------------------------------------- dependencies


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _declared() -> list[Requirement]:
    """Every requirement, base and extras, less the extras naming others (``persuasion[all]``)."""
    project = _project()
    texts = project["dependencies"] + [
        text for group in project["optional-dependencies"].values() for text in group
    ]
    return [req for req in map(Requirement, texts) if _canonical(req.name) != "persuasion"]


def test_installed_versions_meet_the_declared_bounds():
    """A drift between pyproject.toml and what is installed is visible (reinstall, or fix the
    bounds)."""
    off = []
    for req in _declared():
        installed = importlib.metadata.version(req.name)
        if not req.specifier.contains(installed, prereleases=True):
            off.append(f"{req.name} {installed} is outside {req.specifier}")
    assert off == []


def _pins(name: str) -> dict[str, str]:
    """``{distribution: version}`` of a pip constraints file of the repository."""
    pins = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            dist, _, version = line.partition("==")
            pins[_canonical(dist)] = version.strip()
    return pins


def _canonical(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def test_constraints_pin_every_dependency_within_its_bounds():
    pins = _pins("constraints.txt")
    for req in _declared():
        assert _canonical(req.name) in pins, f"constraints.txt does not pin {req.name}"
        assert req.specifier.contains(pins[_canonical(req.name)]), (
            f"{req.name}=={pins[_canonical(req.name)]} is outside {req.specifier}"
        )


def test_the_oldest_constraints_are_the_declared_lower_bounds():
    """constraints-oldest.txt (the environment the lower bounds were tested in) pins each lower
    bound exactly."""
    pins = _pins("constraints-oldest.txt")
    for req in _declared():
        lower = [s.version for s in req.specifier if s.operator == ">="]
        assert lower == [pins.get(_canonical(req.name))], (
            f"{req.name}: declared {req.specifier}, oldest tested {pins.get(_canonical(req.name))}"
        )


def test_the_installation_page_states_the_pinned_versions():
    """docs/reference/installation.md's table: oldest and newest tested are the two constraints
    files' pins."""
    oldest, newest = _pins("constraints-oldest.txt"), _pins("constraints.txt")
    seen = set()
    for line in (
        (ROOT / "docs" / "reference" / "installation.md").read_text(encoding="utf-8").splitlines()
    ):
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) != 5 or not cells[0].startswith("`"):
            continue
        names = [
            _canonical(n.split("[")[0])
            for n in re.findall(r"`([^`]+)`", cells[0])
            if n not in _project()["optional-dependencies"]  # the extra a row's packages are in
        ]
        assert [v.strip() for v in cells[2].split(",")] == [oldest[n] for n in names], line
        assert [v.strip() for v in cells[3].split(",")] == [newest[n] for n in names], line
        seen |= set(names)
    assert seen == {_canonical(req.name) for req in _declared()}


def test_install_commands_agree():
    """The README's set-up commands are the tutorial's and exactly what .ci/run runs."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme[readme.index("## Set up") :]
    commands = setup[
        setup.index("```bash\n") + 8 : setup.index("```", setup.index("```bash\n") + 8)
    ].splitlines()
    assert commands == ["pip install -e '.[dev]' -c constraints.txt", "pytest"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    after_venv = ci[ci.index('source "$venv/bin/activate"') + 1 :]
    assert [line for line in after_venv if line.strip() and not line.startswith("#")] == commands
    tutorial = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8").splitlines()
    assert tutorial[tutorial.index(commands[0]) + 1] == commands[1]


def test_every_declared_runtime_dependency_is_imported():
    """No dependency is declared that no module of the package imports (pulp, networkx and scipy
    were)."""
    import ast

    imported = set()
    for path in (ROOT / "persuasion").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    providers = importlib.metadata.packages_distributions()
    used = {dist.lower() for module in imported for dist in providers.get(module, ())}
    project = _project()
    runtime = [  # the base and the extras that commands use; dev is the tests' and the docs'
        text
        for name, group in project["optional-dependencies"].items()
        if name not in ("all", "dev")
        for text in group
    ]
    for text in project["dependencies"] + runtime:
        req = Requirement(text)
        provides = {req.name.lower()} | {extra.lower() for extra in req.extras}
        assert provides & used, f"{req.name} is declared but no module of persuasion imports it"
