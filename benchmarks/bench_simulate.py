"""Throughput of ``persuasion simulate``: runs per minute, serial vs local processes (vs Dask).

    python benchmarks/bench_simulate.py [--runs 8] [--seed 0] [--jobs N] [--dask]

Plays a standard sweep (every family, both games, the default grid 2-3
senders x 2-3 states x 2-3 actions and starts oblivious, silent, random;
``--runs`` instances per family) once in one process and once on ``--jobs``
local processes (default: all cores), optionally once more on a Dask
LocalCluster, checks that every mode gives the same rows, and prints a
Markdown table of wall time, runs per minute and the speed-up over serial.
Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time

from persuasion.experiments import sweep
from persuasion.experiments.families import FAMILIES
from persuasion.experiments.runs import GAMES, Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8, help="instances per family (default 8)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--dask", action="store_true", help="also time a Dask LocalCluster with --jobs workers"
    )
    args = parser.parse_args()
    tasks = sweep.plan(
        FAMILIES, sweep.sizes([2, 3], [2, 3], [2, 3]), args.runs, args.seed, Settings(games=GAMES)
    )
    modes = [
        ("serial (--jobs 1)", dict(jobs=1)),
        (f"processes (--jobs {args.jobs})", dict(jobs=args.jobs)),
    ]
    if args.dask:
        modes.append((f"dask local ({args.jobs} workers)", dict(jobs=args.jobs, dask="local")))
    results = []
    for name, options in modes:
        start = time.perf_counter()
        with contextlib.ExitStack() as stack:  # the cluster's start is timed too
            if options.pop("dask", None):
                options["client"] = stack.enter_context(sweep.connect("local", args.jobs))
            rows = sweep.run(tasks, **options)
        results.append((name, rows, time.perf_counter() - start))
    reference = results[0][1]
    for name, rows, _ in results:
        assert rows == reference, f"{name} gave different rows"
    errors = sum(1 for r in reference if r["error"])
    print(
        f"standard sweep: {len(tasks)} instances, {len(reference)} runs ({errors} error rows), "
        f"{os.cpu_count()} cores"
    )
    print()
    print("| mode | runs | seconds | runs / minute | speed-up vs serial |")
    print("| --- | ---: | ---: | ---: | ---: |")
    serial = results[0][2]
    for name, rows, seconds in results:
        print(
            f"| {name} | {len(rows)} | {seconds:.1f} | {60 * len(rows) / seconds:.0f} | "
            f"{serial / seconds:.2f}x |"
        )


if __name__ == "__main__":
    main()
