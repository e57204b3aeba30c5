"""Running a command on a mutant and judging what it did (the fuzzing oracle, issue 7 point 7).

The oracle for every run (house rules, docs/reference/limits.md):

- *clean*: exit 0 with nothing on stderr; with ``--json`` stdout is exactly one
  JSON object; ``check`` prints one ``VALID`` line (and, after it, only the kernel's note that the
  prose is not checked, ``PROSE_NOTE``) -- or, for ``check``
  only, exit 1 with one ``INVALID`` line (*invalid*);
- *refused*: exit 2, nothing on stdout and exactly one stderr line
  ``persuasion: error: ...`` that names one of the files given, no longer than
  :data:`persuasion.limits.MAX_ERROR_CHARS` after the prefix;
- anything else is a failure of one kind (:data:`FAILURES`): a traceback or a
  Python exception name anywhere, no answer within the time bound, ...  A
  mutant marked ``must_refuse`` that ends *clean* is the failure ``accepted``.

Two runners: :func:`run_in_process` calls :func:`persuasion.cli.main` with
stdout and stderr encoded as a terminal would (UTF-8, strict on stdout) and a
timer signal as the hang detector -- cheap, but only Python code can be
interrupted; :func:`run_subprocess` runs the installed console script with a
timeout and a memory cap, for mutants that can spend their time in C.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import resource
import signal
import subprocess
import threading
import time
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterator, Sequence

from conftest import console_script
from persuasion.checker.core import PROSE_NOTE
from persuasion.limits import MAX_ERROR_CHARS

PREFIX = "persuasion: error: "
FAILURES = ("hang", "crash", "stderr", "unnamed", "long-line", "stdout", "exit", "accepted")
"""Failure kinds, in the order the oracle tests them."""

MEMORY_CAP = 4 * 1024**3
"""Address-space cap of a subprocess run (bytes): a mutant that eats memory fails, not the
machine."""

_PYTHON_ERROR = re.compile(r"Traceback|\b[A-Z][A-Za-z]*(Error|Exception|Warning)\b")


@dataclass(frozen=True)
class Run:
    """What one command did: exit status (None when it hung), stdout, stderr, an escaped
    exception."""

    code: int | None
    stdout: str
    stderr: str
    crash: str = ""
    seconds: float = 0.0


class _Hang(BaseException):
    """Raised by the timer signal inside a hung in-process run (not an Exception: nothing catches
    it)."""


@contextlib.contextmanager
def _time_bound(seconds: float) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():  # no signals: no hang detector
        yield
        return

    def ring(signum, frame):
        raise _Hang()

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _terminal(errors: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(
        io.BytesIO(), encoding="utf-8", errors=errors, newline="\n", write_through=True
    )


def run_in_process(argv: Sequence[str], bound: float) -> Run:
    """``persuasion.cli.main(argv)`` with its output captured as the console script would write
    it."""
    from persuasion.cli import main

    out, err = (
        _terminal("strict"),
        _terminal("backslashreplace"),
    )  # Python's choices for a UTF-8 terminal
    code: int | None = None
    crash = ""
    start = time.monotonic()

    def show_warning(message, category, filename, lineno, file=None, line=None):
        err.write(warnings.formatwarning(message, category, filename, lineno, line))

    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("default")
        warnings.showwarning = show_warning
        try:
            with _time_bound(bound):
                code = main(list(argv))
        except _Hang:
            code = None
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            crash = f"{type(exc).__name__}: {exc} (at {Path(frame.filename).name}:{frame.lineno})"
            code = 1
    texts = [stream.buffer.getvalue().decode("utf-8", "backslashreplace") for stream in (out, err)]
    return Run(code, texts[0], texts[1], crash[:500], time.monotonic() - start)


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_subprocess(argv: Sequence[str], bound: float) -> Run:
    """The console script in its own session, killed (with its children) after ``bound`` seconds."""
    env = dict(os.environ, LC_ALL="C.UTF-8")  # a UTF-8 terminal: stdout encodes strictly
    env.pop("PYTHONIOENCODING", None)
    start = time.monotonic()
    proc = subprocess.Popen(
        [str(console_script())] + list(argv),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
        preexec_fn=_cap_memory,
    )
    try:
        out, err = proc.communicate(timeout=bound)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        code = None
    text = (b.decode("utf-8", "backslashreplace") for b in (out, err))
    return Run(code, *text, "", time.monotonic() - start)


def judge(
    run: Run, *, command: str, as_json: bool, files: Sequence[str], must_refuse: bool, bound: float
) -> tuple[str, str]:
    """``(outcome, detail)``: outcome is ``clean``, ``invalid``, ``refused`` or a failure kind."""
    if run.code is None:
        return "hang", f"no answer within {bound:g} s"
    if run.crash:
        return "crash", run.crash
    found = _PYTHON_ERROR.search(run.stdout + "\n" + run.stderr)
    if found:
        lines = (run.stdout + "\n" + run.stderr).splitlines()
        if found.group(0) == "Traceback":  # the exception is the traceback's last line
            line = next(li for li in reversed(lines) if li.strip())
        else:
            line = next(li for li in lines if found.group(0) in li)
        return "crash", f"{found.group(0)!r} in the output: {line[:200]}"
    if run.code < 0:
        return "crash", f"killed by signal {-run.code}"
    lines = run.stderr.splitlines()
    if run.code == 2:
        if len(lines) != 1:
            return "stderr", f"{len(lines)} lines on stderr: {run.stderr[:200]!r}"
        line = lines[0]
        if not line.startswith(PREFIX) or not any(f in line for f in files):
            return "unnamed", f"the error line does not name the file: {line[:200]!r}"
        if len(line) > len(PREFIX) + MAX_ERROR_CHARS:
            return "long-line", f"error line of {len(line)} characters: {line[:120]!r}..."
        if run.stdout:
            return "stdout", f"stdout before the refusal: {run.stdout[:120]!r}"
        return "refused", ""
    if run.stderr:
        return "stderr", f"exit {run.code} with stderr: {run.stderr[:200]!r}"
    if command == "check" and run.code == 1:
        if len(run.stdout.splitlines()) != 1 or not run.stdout.startswith("INVALID"):
            return "stdout", f"exit 1 without one INVALID line: {run.stdout[:200]!r}"
        return "invalid", ""
    if run.code != 0:
        return "exit", f"exit status {run.code}"
    if must_refuse:
        return "accepted", "a mutant that must be refused ended cleanly"
    if command == "check":
        lines = run.stdout.splitlines()
        if not run.stdout.startswith("VALID") or lines[1:] not in ([], [PROSE_NOTE]):
            return "stdout", f"check printed {run.stdout[:200]!r}"
    elif as_json:
        try:
            parsed = json.loads(run.stdout)
        except ValueError as exc:
            return "stdout", f"stdout is not one JSON object ({exc}): {run.stdout[:120]!r}"
        if not isinstance(parsed, dict):
            return "stdout", f"stdout is JSON but not an object: {run.stdout[:120]!r}"
    elif not run.stdout.strip():
        return "stdout", "exit 0 with nothing on stdout"
    return "clean", ""
