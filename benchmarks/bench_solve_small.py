"""``persuasion solve`` on small generated games, as a user runs it: wall times, statuses, worst
cases.

    python benchmarks/bench_solve_small.py [--sample 120] [--all] [--seeds 3] [--cap 60]
        [--baseline DIR] [--sizes 2x3x3,3x3x3] [--families hull,noisy,random,common]
        [--starts auto,silent] [--games simultaneous,best-ai-selection] [--extra ARG ...]

The grid: every family of :func:`persuasion.experiments.families.generate`,
every size of at most 3 senders, 3 states and 3 actions (or ``--sizes``),
both games, every ``--start`` (auto, revealing, silent, oblivious), seeds
``0 .. --seeds - 1``, and two variations the generator does not draw
itself, applied to its instance file: every sender with 2 messages instead
of one per state (the limited-message route; only with 3 states), and Alice
with 2 features (a private signal ``x_A`` correlated with the state: the
joint prior form).  ``--all`` runs the whole grid; by default a fixed
sample of ``--sample`` configurations of it (the same on every run), plus
the known slow cases (:data:`KNOWN_SLOW`: random 3x3x3 seed 4 from
``--start silent``; hull 3x3x3 seed 0 with 2 messages from ``--start
oblivious``, whose dynamics run to the round limit).

Every configuration is one ``persuasion solve FILE --json --start S`` of
the installed console script in a subprocess (``--extra`` adds options),
timed by wall clock from the parent, import included, as a user waits for
it; a solve still running after ``--cap`` seconds is killed and counted as
``> cap``.  With ``--baseline DIR`` (a source tree of an older version, e.g.
``git archive HEAD~3 | tar -x -C /tmp/base``) every configuration is solved
by both trees one after the other, so the comparison sees the same machine
load.

The parent also reads each solve's CPU time (user + system, from
``getrusage``): on a machine shared with other work, wall times grow with the
load and CPU times much less.  Prints every configuration over 5 s wall (in
either tree), then, per tree, the distribution of wall and CPU times (median, 90th percentile, max,
how many over 5 s and capped), the statuses, the longest denominator (decimal digits) in the
reported profile, and the ten slowest configurations. Speed is measured here, never asserted in
tests.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))  # the parent generates instances with this tree, not an installed one

# These imports must follow the sys.path line above, hence the noqa.
from persuasion.experiments.families import FAMILIES, Size, generate  # noqa: E402
from persuasion.instance import dump_instance  # noqa: E402

STARTS = ("auto", "revealing", "silent", "oblivious")
GAMES = ("simultaneous", "best-ai-selection")
SLOW = 5.0
"""Issue 8's bound on a solve of at most 3 senders, 3 states and 3 actions (seconds)."""

KNOWN_SLOW = (
    ("random", "3x3x3", 4, "simultaneous", "silent", "full", 1),
    ("hull", "3x3x3", 0, "simultaneous", "oblivious", "2", 1),
)
"""Configurations that were the slowest of their time, added to every default sample
(``--sample``)."""


def with_alice_features(data: dict, count: int) -> dict:
    """The instance with Alice observing a signal ``f0 .. f{count-1}`` of the state: ``P(f_k | y)``
    is ``2 / (count + 1)`` for ``k = y mod count`` and ``1 / (count + 1)`` otherwise; senders
    observe the state."""
    states = data["states"]
    rows = []
    for j, y in enumerate(states):
        p = Fraction(data["prior"][y])
        for k in range(count):
            weight = Fraction(2 if k == j % count else 1, count + 1)
            rows.append({"alice": f"f{k}", "senders": y, "state": y, "p": str(p * weight)})
    return {
        **data,
        "features": {"alice": [f"f{k}" for k in range(count)], "senders": list(states)},
        "prior": rows,
    }


def instance_file(
    folder: Path, family: str, size: str, seed: int, game: str, messages: str, features: int
) -> Path:
    """Write the configuration's instance file (once) and return its path."""
    path = folder / f"{family}-{size}-{seed}-{game}-{messages}-{features}.json"
    if not path.exists():
        data = dump_instance(generate(family, seed, Size(*map(int, size.split("x")))))
        data["protocol"] = {**data["protocol"], "game": game}
        if messages != "full":
            for sender in data["senders"]:
                sender["messages"] = int(messages)
        if features > 1:
            data = with_alice_features(data, features)
        path.write_text(json.dumps(data))
    return path


def longest_digits(profile: dict) -> int:
    """The longest denominator (decimal digits) of any probability in a reported profile."""
    digits = [0]

    def walk(node):
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str) and "/" in node:
            digits.append(len(node.split("/")[1]))

    walk(profile)
    return max(digits)


def solve_in(tree: Path, path: Path, start: str, cap: int, extra: list[str]) -> dict:
    """One ``persuasion solve`` in a subprocess with ``tree`` first on the path; wall time, status,
    digits."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [
        shutil.which("persuasion") or "persuasion",
        "solve",
        str(path),
        "--json",
        "--start",
        start,
        *extra,
    ]
    began, used = time.perf_counter(), _children_cpu()
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=cap)
    except subprocess.TimeoutExpired:
        return {
            "seconds": float(cap),
            "cpu": float(cap),
            "status": "capped",
            "digits": 0,
            "gap": "",
        }
    seconds, cpu = time.perf_counter() - began, _children_cpu() - used
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {
            "seconds": seconds,
            "cpu": cpu,
            "status": "error: " + last[:60],
            "digits": 0,
            "gap": "",
        }
    eq = json.loads(done.stdout)["equilibrium"]
    return {
        "seconds": seconds,
        "cpu": cpu,
        "status": eq.get("status", "?"),
        "digits": longest_digits(eq["profile"]),
        "gap": eq["nash_gap"],
        "rounds": eq["rounds"],
    }


def _children_cpu() -> float:
    """CPU seconds (user + system) of every child process waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def summary(name: str, results: list[dict], key: str) -> str:
    times = sorted(r[key] for r in results)
    capped = sum(r["status"] == "capped" for r in results)
    digits = sorted(r["digits"] for r in results)
    q90 = times[int(0.9 * (len(times) - 1))]
    return (
        f"| {name} | {key} | {len(times)} | {statistics.median(times):.2f} | {q90:.2f} | "
        f"{times[-1]:.2f}"
        f"{'+' if capped else ''} | {sum(t > SLOW for t in times)} | {capped} | "
        f"{statistics.median(digits)} | {digits[-1]} |"
    )


def grid(args) -> list[tuple]:
    sizes = (
        args.sizes.split(",")
        if args.sizes
        else [f"{s}x{y}x{a}" for s in (1, 2, 3) for y in (2, 3) for a in (2, 3)]
    )
    configs = []
    for family, size, seed, game, start, messages, features in itertools.product(
        args.families.split(","),
        sizes,
        range(args.seeds),
        args.games.split(","),
        args.starts.split(","),
        ("full", "2"),
        (1, 2),
    ):
        if messages == "2" and size.split("x")[1] == "2":
            continue  # 2 messages are one per state already
        configs.append((family, size, seed, game, start, messages, features))
    if not args.all and args.sample < len(configs):
        configs = random.Random(0).sample(configs, args.sample)
        if args.sizes == "" and args.families == ",".join(FAMILIES):
            configs += [known for known in KNOWN_SLOW if known not in configs]
    return configs


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sample", type=int, default=120, help="configurations sampled from the grid (default 120)"
    )
    parser.add_argument("--all", action="store_true", help="run the whole grid")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument(
        "--cap", type=int, default=60, help="seconds before a solve is killed (default 60)"
    )
    parser.add_argument(
        "--baseline", type=Path, help="an older source tree, solved in the same run"
    )
    parser.add_argument(
        "--sizes", default="", help="comma-separated SxYxA (default: every size up to 3x3x3)"
    )
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--starts", default=",".join(STARTS))
    parser.add_argument("--games", default=",".join(GAMES))
    parser.add_argument(
        "--extra", nargs=argparse.REMAINDER, default=[], help="more options for every solve"
    )
    return parser


def _run(args, configs: list, trees: dict[str, Path]) -> list[tuple]:
    """Solve every configuration in every tree, printing those over :data:`SLOW` seconds; returns
    ``(config, one result per tree)`` per configuration."""
    print(
        "| family | size | seed | game | start | messages | Alice features | "
        + " | ".join(f"{n} wall s | {n} CPU s | {n} status" for n in trees)
        + " |"
    )
    print(
        "| --- | --- | ---: | --- | --- | --- | ---: | "
        + " | ".join("---: | ---: | ---" for _ in trees)
        + " |"
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for config in configs:
            family, size, seed, game, start, messages, features = config
            path = instance_file(Path(tmp), family, size, seed, game, messages, features)
            cells = [solve_in(tree, path, start, args.cap, args.extra) for tree in trees.values()]
            rows.append((config, cells))
            if any(r["seconds"] > SLOW for r in cells):
                print(
                    "| "
                    + " | ".join(map(str, config))
                    + " | "
                    + " | ".join(
                        f"{r['seconds']:.2f} | {r['cpu']:.2f} | {r['status'][:40]}" for r in cells
                    )
                    + " |",
                    flush=True,
                )
    return rows


def _report(trees: dict[str, Path], rows: list[tuple]) -> None:
    """Per tree: the distributions of wall and CPU times, the statuses, the ten slowest."""
    results = {name: [cells[k] for _, cells in rows] for k, name in enumerate(trees)}
    print()
    print(
        "| tree | time | solves | median s | 90% s | max s | > 5 s | capped | median digits | max "
        "digits |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for key in ("seconds", "cpu"):
        for name, rs in results.items():
            print(summary(name, rs, key))
    for name, rs in results.items():
        counts = collections.Counter(r["status"] for r in rs)
        print(f"\n{name}: statuses " + ", ".join(f"{s} {c}" for s, c in counts.most_common()))
    for k, name in enumerate(trees):
        print(f"\n{name}: the ten slowest")
        for config, cells in sorted(rows, key=lambda row: -row[1][k]["seconds"])[:10]:
            r = cells[k]
            print(
                f"  {r['seconds']:6.2f} s ({r['cpu']:6.2f} s CPU)  {r['status']:<16} gap "
                f"{r['gap'][:24]:<24}"
                f" {' '.join(map(str, config))}"
            )


def main() -> None:
    args = _parser().parse_args()
    trees = {"this tree": HERE}
    if args.baseline:
        trees = {"baseline": args.baseline.resolve(), **trees}
    configs = grid(args)
    print(
        f"{len(configs)} configurations, {len(trees)} tree(s); configurations over {SLOW:g} s:",
        flush=True,
    )
    _report(trees, _run(args, configs, trees))


if __name__ == "__main__":
    main()
