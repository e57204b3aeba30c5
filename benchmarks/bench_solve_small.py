"""``persuasion solve`` on small generated games: wall time and denominator growth, per source tree.

    python benchmarks/bench_solve_small.py [--seeds 3] [--cap 60] [--baseline DIR] [--sizes 2x3x3,3x3x3]
                                           [--families hull,noisy,random,common] [--start auto]

Solves (``persuasion.reports.solve_report``, default options but ``--start``) every generated
instance (``persuasion.experiments.families.generate``) of every family, at
every size of at most 3 senders, 3 states and 3 actions (or ``--sizes``),
for seeds ``0 .. --seeds - 1``, each in a child process of its own, capped at
``--cap`` seconds (a capped solve counts as ``> cap``).  With ``--baseline DIR``
(a source tree of an older version, e.g. ``git worktree add /tmp/base HEAD~3``)
every instance is solved by both trees in the same run, one after the other,
so the comparison sees the same machine load.

Prints, per tree, the distribution of wall times (median, 90th percentile,
max, how many over 5 s) and of the longest denominator (in decimal digits) of
any scheme the dynamics adopted, and per instance the times side by side.
The import time is excluded (the child imports before the clock starts).
Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, signal, sys, time
from persuasion.experiments.families import FAMILIES, Size, generate
from persuasion import equilibrium
from persuasion.reports import solve_report

family, seed, size, cap, start = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
instance = generate(family, seed, Size(*map(int, size.split("x"))))
digits = [0]
problem = equilibrium.deviation_problem

def recording(instance, profile, sender):  # every profile a best response is computed at
    digits[0] = max([digits[0]] + [len(str(p.denominator)) for s in profile.schemes for row in s for p in row])
    return problem(instance, profile, sender)

equilibrium.deviation_problem = recording

class Capped(Exception):
    pass

def alarm(*_):
    raise Capped()

signal.signal(signal.SIGALRM, alarm)
signal.alarm(cap)
began = time.perf_counter()
try:
    report = solve_report(instance, start=start)
    status = report["equilibrium"].get("status", report["equilibrium"]["stop_reason"])
except Capped:
    status = "capped"
seconds = time.perf_counter() - began
print(json.dumps({"seconds": seconds, "digits": digits[0], "status": status}))
"""


def solve_in(tree: Path, family: str, seed: int, size: str, cap: int, start: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", CHILD, family, str(seed), size, str(cap), start],
                          capture_output=True, text=True, env=env, timeout=cap + 120)
    if done.returncode != 0:
        return {"seconds": float("nan"), "digits": 0, "status": "error: " + done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])  # HiGHS may print a banner first


def summary(name: str, results: list[dict], cap: int) -> str:
    times = sorted(r["seconds"] for r in results)
    capped = sum(r["status"] == "capped" for r in results)
    digits = sorted(r["digits"] for r in results)
    q90 = times[int(0.9 * (len(times) - 1))]
    return (f"| {name} | {len(times)} | {statistics.median(times):.2f} | {q90:.2f} | {times[-1]:.2f}"
            f"{'+' if capped else ''} | {sum(t > 5 for t in times)} | {capped} | {statistics.median(digits)} | {digits[-1]} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--cap", type=int, default=60, help="seconds before a solve is stopped (default 60)")
    parser.add_argument("--baseline", type=Path, help="an older source tree, solved in the same run")
    parser.add_argument("--sizes", default="", help="comma-separated SxYxA (default: every size up to 3x3x3)")
    parser.add_argument("--families", default="hull,noisy,random,common")
    parser.add_argument("--start", default="auto", help="solve's --start (default auto, as solve's default)")
    args = parser.parse_args()
    sizes = args.sizes.split(",") if args.sizes else [
        f"{s}x{y}x{a}" for s in (1, 2, 3) for y in (2, 3) for a in (2, 3)]
    trees = {"this tree": HERE}
    if args.baseline:
        trees = {"baseline": args.baseline.resolve(), **trees}
    results: dict[str, list[dict]] = {name: [] for name in trees}
    print("| family | size | seed | " + " | ".join(f"{n} s | {n} digits | {n} status" for n in trees) + " |")
    print("| --- | --- | ---: | " + " | ".join("---: | ---: | ---" for _ in trees) + " |")
    for family in args.families.split(","):
        for size in sizes:
            for seed in range(args.seeds):
                cells = []
                for name, tree in trees.items():
                    r = solve_in(tree, family, seed, size, args.cap, args.start)
                    results[name].append(r)
                    cells.append(f"{r['seconds']:.2f} | {r['digits']} | {r['status'][:40]}")
                print(f"| {family} | {size} | {seed} | " + " | ".join(cells) + " |", flush=True)
    print()
    print("| tree | solves | median s | 90% s | max s | > 5 s | capped | median digits | max digits |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, rs in results.items():
        print(summary(name, rs, args.cap))


if __name__ == "__main__":
    main()
