"""Start-up and small games: ``persuasion solve`` on every catalog instance, end to end.

    python benchmarks/bench_startup.py [--repeat 11] [--before DIR] [--parts]

Times, in one run and interleaved (every round runs each command once, so a
burst of load on a shared machine hits them alike), the wall time of

- ``python -c pass`` (the interpreter's own start-up: the floor),
- ``python -c "import persuasion.cli"`` (what every command pays before it
  parses its arguments),
- the installed ``persuasion solve FILE --json`` on every instance of
  ``instances/`` (start-up, the imports the solve needs, reading the file, the
  whole solve and the report),

each in a fresh subprocess, and prints a Markdown table of median wall times
(with the fastest run and the median CPU time, user + system of all threads,
which a loaded machine inflates less), their ratios to the first two and
whether each is under the target of 0.5 s wall (issue 8, point 4). With ``--before DIR`` (a source
tree holding an earlier ``persuasion`` package, e.g. ``git archive COMMIT | tar -x -C DIR``) every
solve is also timed with that package first on ``PYTHONPATH``.

Bytecode: the runs may write ``__pycache__`` (``PYTHONDONTWRITEBYTECODE`` is
removed from their environment) and a first untimed round writes it, as
``pip install`` does; a user's installed package never compiles its modules
at start-up.  The first round also checks that every solve exits with status
0 and prints one JSON object.  Speed is measured here, never asserted in tests.

With ``--parts`` it prints instead where one solve's time goes, per catalog
instance: ``python -X importtime`` of a fresh interpreter that imports
:data:`PARTS` one by one, then the modules of the package the solve needs,
then runs the solve in-process (timed there); the least of ``--repeat`` runs
for each part.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.5
"""Seconds: issue 8's "small games in a blink"."""

PARTS = ("numpy", "highspy", "flint")
"""The libraries a solve loads, timed one by one by ``--parts``."""

PACKAGE = (
    "persuasion.cli",
    "persuasion.instance",
    "persuasion.routes",
    "persuasion.api",
    "persuasion.equilibrium",
    "persuasion.render",
)
"""The package's modules a solve imports (with the standard-library modules they import)."""

PROFILE = """
import contextlib, io, sys, time
for name in {parts!r}:
    __import__(name)
from persuasion.cli import main
wall, cpu = time.perf_counter(), time.process_time()
with contextlib.redirect_stdout(io.StringIO()):
    status = main(["solve", {path!r}, "--json"])
print("solve", time.perf_counter() - wall, time.process_time() - cpu, status, file=sys.stderr)
"""
"""The program ``--parts`` runs under ``python -X importtime``."""


def console_script() -> str:
    """The installed ``persuasion`` program: next to this interpreter, else on PATH."""
    candidate = Path(sys.executable).parent / "persuasion"
    found = str(candidate) if candidate.exists() else shutil.which("persuasion")
    if not found:
        sys.exit(
            "bench_startup: the persuasion console script is not installed (see README, 'Set up')"
        )
    return found


def environment(first: str | None = None) -> dict[str, str]:
    """This environment, bytecode allowed, with ``first`` (a source tree) first on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if first is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (first, env.get("PYTHONPATH")) if p)
    return env


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds, CPU seconds (user + system, all its threads) and the finished process."""
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, stdin=subprocess.DEVNULL, timeout=600)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - cpu.ru_utime + after.ru_stime - cpu.ru_stime, proc


def check(label: str, proc: subprocess.CompletedProcess, json_out: bool) -> None:
    """The warm-up round's check: exit status 0 and, for a solve, one JSON object on stdout."""
    if proc.returncode != 0:
        sys.exit(
            f"bench_startup: {label} exited with {proc.returncode}: "
            f"{proc.stderr.decode(errors='replace')[:500]}"
        )
    if json_out:
        report = json.loads(proc.stdout)
        if not isinstance(report, dict) or "equilibrium" not in report:
            sys.exit(f"bench_startup: {label} did not print a solve report")


def profile(path: Path, env: dict[str, str]) -> dict[str, float]:
    """One run of :data:`PROFILE`: milliseconds per part (the interpreter's own start-up is every
    top-level import before the first of :data:`PARTS`) and the in-process solve's wall and CPU."""
    code = PROFILE.format(parts=(*PARTS, *PACKAGE), path=str(path))
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env=env,
        capture_output=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    ms: dict[str, float] = {"interpreter": 0.0, **dict.fromkeys(PARTS, 0.0), "package": 0.0}
    group = "interpreter"
    for line in proc.stderr.splitlines():
        if line.startswith("solve "):
            _, wall, cpu, status = line.split()
            if status != "0":
                sys.exit(f"bench_startup: the in-process solve of {path.name} exited with {status}")
            ms["solve wall"], ms["solve CPU"] = 1000 * float(wall), 1000 * float(cpu)
        elif line.startswith("import time:") and "|" in line:
            _, cumulative, name = line.split("|")
            if name.startswith(" ") and not name.startswith("  ") and cumulative.strip().isdigit():
                top = name.strip()
                if top in PARTS:
                    group = top
                elif group != "interpreter" or top in PACKAGE:  # all after the first of PARTS
                    group = "package"
                ms[group] += int(cumulative) / 1000
    if "solve wall" not in ms:
        sys.exit(f"bench_startup: the in-process solve of {path.name} failed: {proc.stderr[-500:]}")
    return ms


def parts(repeat: int) -> None:
    """``--parts``: the table of where each catalog solve's time goes (least of ``repeat`` runs)."""
    env = environment()
    paths = sorted((ROOT / "instances").glob("*.json"))
    profile(paths[0], env)  # writes bytecode
    load_before = os.getloadavg()[0]
    runs = {path: [profile(path, env) for _ in range(repeat)] for path in paths}
    print(
        f"{os.cpu_count()} cores, load average {load_before:.2f} before and "
        f"{os.getloadavg()[0]:.2f} after; "
        f"least of {repeat} runs for each part (ms; imports from `python -X importtime`); Python "
        f"{sys.version.split()[0]}"
    )
    print()
    columns = list(next(iter(runs.values()))[0])
    print("| instance | " + " | ".join(columns) + " | sum |")
    print("| --- |" + " ---: |" * (len(columns) + 1))
    for path, found in runs.items():
        least = {part: min(run[part] for run in found) for part in columns}
        total = sum(v for part, v in least.items() if part != "solve CPU")  # wall times
        print(
            f"| {path.stem} | "
            + " | ".join(f"{least[part]:.0f}" for part in columns)
            + f" | {total:.0f} |"
        )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=11, help="timed rounds (default 11); medians are reported"
    )
    parser.add_argument(
        "--before",
        metavar="DIR",
        help="also time every solve with the package in DIR first on PYTHONPATH",
    )
    parser.add_argument(
        "--parts", action="store_true", help="print where each solve's time goes instead"
    )
    return parser


def _commands(before: str | None) -> list[tuple[str, list[str], dict[str, str], bool]]:
    """``(label, argv, environment, prints JSON)`` of every command timed: the two floors, then
    a solve of every catalog file (and the same with ``before`` first on the path)."""
    program = console_script()
    env = environment()
    commands: list[tuple[str, list[str], dict[str, str], bool]] = [
        ("`python -c pass`", [sys.executable, "-c", "pass"], env, False),
        (
            '`python -c "import persuasion.cli"`',
            [sys.executable, "-c", "import persuasion.cli"],
            env,
            False,
        ),
    ]
    for path in sorted((ROOT / "instances").glob("*.json")):
        argv = [program, "solve", str(path), "--json"]
        commands.append((f"`persuasion solve {path.name} --json`", argv, env, True))
        if before:
            commands.append((f"the same, before (`{before}`)", argv, environment(before), True))
    return commands


def main() -> None:
    args = _parser().parse_args()
    if args.parts:
        parts(args.repeat)
        return
    commands = _commands(args.before)
    for label, argv, run_env, json_out in commands:  # writes bytecode; checks the output
        check(label, run(argv, run_env)[2], json_out)
    load_before = os.getloadavg()[0]
    walls: list[list[float]] = [[] for _ in commands]
    cpus: list[list[float]] = [[] for _ in commands]
    for _ in range(args.repeat):
        for k, (_, argv, run_env, _) in enumerate(commands):
            wall, cpu, _ = run(argv, run_env)
            walls[k].append(wall)
            cpus[k].append(cpu)
    load_after = os.getloadavg()[0]

    medians = [statistics.median(t) for t in walls]
    floor, cli = medians[0], medians[1]
    print(
        f"{os.cpu_count()} cores, load average {load_before:.2f} before and {load_after:.2f} "
        "after; "
        f"median of {args.repeat} interleaved runs each; Python {sys.version.split()[0]}"
    )
    print()
    print(
        "| command | wall s | fastest s | CPU s | × `python -c pass` | × `import persuasion.cli` "
        f"| under {TARGET} s |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | :---: |")
    for (label, *_), median, runs, cpu in zip(commands, medians, walls, cpus, strict=True):
        print(
            f"| {label} | {median:.3f} | {min(runs):.3f} | {statistics.median(cpu):.3f} | "
            f"{median / floor:.1f}× | "
            f"{median / cli:.1f}× | {'yes' if median < TARGET else 'no'} |"
        )


if __name__ == "__main__":
    main()
