"""Benchmark: the limited-message choice of sets -- branch and bound against the set enumeration.

Run as ``python benchmarks/bench_limited.py [--cells 3x2x4x4x1,...] [--quick] [--time-limit 30]``
(not part of pytest).  For each grid cell of ``bench_best_response.py``
(senders x messages x states x actions x Alice features, sender 0, seed 1)
whose sender has fewer messages than features, it times in one run, each in
a forked child:

* **exact** -- :func:`persuasion.sender.best_response` as it is (the route
  :func:`persuasion.limited.limited_supremum` picks per problem);
* **enumeration** -- the same with every set enumerated
  (``limited.SUBSETS_FIRST`` set to infinity: the engine before the branch and bound);
* **float MILP** -- the compact MILP of ``bench_best_response.py``;

checks that the two exact values agree (exit status 1 when not; with
``--without-enumeration``, that the exact value is at most the MILP's bound
plus its tolerance), and prints
the ratios exact / MILP and enumeration / MILP.  The default cells are the
slow limited-message cells of docs/explanation/performance.md; ``--quick``
adds every limited-message cell of ``bench_best_response.py --quick``.

``--threshold`` instead times the set search alone, in-process, on small
seeded problems (``Size(2, 3, 2)`` to ``Size(2, 4, 3)``, seeds 1-12, every
message count below the features, at most 60 sets): the enumeration with its
early stop (:func:`persuasion.limited.by_subsets` with the LP over every
vector as ceiling) against :func:`persuasion.branch_bound.branch_and_bound`,
by number of sets -- the measurement behind ``limited.SUBSETS_FIRST``.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import itertools
import math
import sys
import time
import types

import bench_best_response as grid
import persuasion.limited as limited

SLOW = (
    "3x2x3x4x1 3x2x4x3x1 4x2x3x2x2 2x2x4x3x3 2x2x4x4x2 2x2x5x2x3 2x2x6x2x2 2x3x4x4x1 3x2x3x4x2 "
    "3x2x4x4x1 "
    "3x2x5x2x2 3x2x5x3x1 4x2x3x2x3 4x2x3x4x1 4x2x4x3x1 4x2x5x2x1 4x3x4x2x1 5x2x3x2x2 5x2x3x3x1 "
    "5x2x4x2x1 "
    "2x2x4x4x3 2x2x5x3x3 2x2x5x4x2 2x2x6x2x3 2x3x5x3x2 2x3x6x2x2 3x2x3x4x3 3x2x4x4x2 3x3x5x3x1 "
    "3x3x6x2x1 "
    "4x2x4x3x2 4x2x5x3x1 4x2x6x2x1 5x2x3x3x2 6x2x3x3x1 2x2x5x4x3"
)
"""The 36 cells above 2x in docs/explanation/performance.md ("A larger grid (partial)")."""


def _enumeration(problem, args):
    limited.SUBSETS_FIRST = math.inf  # in the forked child only
    return grid._exact(problem, args)


def threshold() -> None:
    """The ``--threshold`` table (module docstring)."""
    from persuasion.branch_bound import branch_and_bound
    from persuasion.cells import certified_responses
    from persuasion.experiments.families import Size, generate, random_profile
    from persuasion.lp import solve
    from persuasion.obedience import best_response_program
    from persuasion.problem import deviation_problem

    buckets = ((1, 6), (7, 12), (13, 24), (25, 60))
    rows = collections.defaultdict(lambda: [0.0, 0.0, 0])
    for seed in range(1, 13):
        for size in (Size(2, 3, 2), Size(2, 3, 3), Size(2, 4, 2), Size(3, 3, 2), Size(2, 4, 3)):
            instance = generate("random", seed, size)
            problem = deviation_problem(instance, random_profile(instance, seed), 0)
            for m in range(1, problem.num_features):
                p = dataclasses.replace(problem, messages=m)
                vectors = certified_responses(p)
                sets = limited.count_with_core([], vectors, m)
                if sets > buckets[-1][1]:
                    continue
                ceiling = solve(best_response_program(p, vectors).lp).value
                start = time.perf_counter()
                enumerated = limited.by_subsets(p, vectors, ceiling)
                middle = time.perf_counter()
                searched = branch_and_bound(p, vectors)
                end = time.perf_counter()
                if (enumerated is None) != (searched is None) or (
                    searched and enumerated[0] != searched.value
                ):
                    raise SystemExit(f"different values on seed {seed}, {size}, {m} messages")
                row = rows[next(b for b in buckets if b[0] <= sets <= b[1])]
                row[0], row[1], row[2] = row[0] + middle - start, row[1] + end - middle, row[2] + 1
    print("| sets | problems | enumeration ms | branch and bound ms | ratio |")
    print("|---|---|---|---|---|")
    for low, high in buckets:
        enumeration, search, count = rows[(low, high)]
        if count:
            print(
                f"| {low}-{high} | {count} | {1000 * enumeration / count:.1f} | "
                f"{1000 * search / count:.1f} | "
                f"{search / enumeration:.2f} |"
            )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cells", help="comma-separated cells SxMxYxAxF (default: the 36 slow cells)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="also every limited-message cell of the quick grid"
    )
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--threshold", action="store_true", help="time the set search alone by number of sets"
    )
    parser.add_argument(
        "--without-enumeration",
        action="store_true",
        help="skip the enumeration column (the slowest; the exact route and the MILP only)",
    )
    return parser


def _cells(options) -> list[tuple[int, ...]]:
    """The cells asked (default :data:`SLOW`), plus the quick grid's with ``--quick``."""
    cells = [
        tuple(int(v) for v in c.split("x"))
        for c in (options.cells.split(",") if options.cells else SLOW.split())
    ]
    if options.quick:
        ranges = [range(low, high + 1) for low, high in (grid.QUICK[axis] for axis in grid.AXES)]
        cells += [c for c in itertools.product(*ranges) if c not in cells]
    return cells


def _compare(cell: tuple[int, ...], options, args) -> tuple[str, bool]:
    """One cell's table line, and whether it found a disagreement (values differ, or the exact
    value is above the MILP's bound)."""
    methods = ("exact", "milp") if options.without_enumeration else ("exact", "enumeration", "milp")
    runs = {
        name: grid.timed(name, cell, 0, args) if name in methods else {"status": "skipped"}
        for name in ("exact", "enumeration", "milp")
    }
    done = {
        name: run["seconds"] for name, run in runs.items() if run.get("status") in ("ok", "optimal")
    }
    same = "exact" in done and "enumeration" in done
    bad = same and runs["exact"]["value"] != runs["enumeration"]["value"]
    seconds = [
        f"{done[name]:.3f}" if name in done else str(runs[name].get("status"))
        for name in ("exact", "enumeration", "milp")
    ]
    ratios = [
        f"{done[name] / done['milp']:.2f}" if name in done and "milp" in done else ""
        for name in ("exact", "enumeration")
    ]
    verdict = ("DIFFERENT" if bad else "ok") if same else ""
    if not same and grid.Row(cell, 0, None, runs["exact"], runs["milp"]).check() is False:
        bad, verdict = True, "ABOVE THE MILP BOUND"
    line = (
        f"| {'x'.join(map(str, cell))} | {runs['exact'].get('method', '')} | "
        f"{' | '.join(seconds)} | "
        f"{' | '.join(ratios)} | {verdict} |"
    )
    return line, bad


def main() -> int:
    options = _parser().parse_args()
    if options.threshold:
        threshold()
        return 0
    cells = _cells(options)
    args = types.SimpleNamespace(
        time_limit=options.time_limit, route="auto", milp="tight", seed=options.seed
    )
    grid.METHODS["enumeration"] = _enumeration
    print(
        "| cell | method | exact s | enumeration s | float MILP s | exact / float | enumeration / "
        "float | values |"
    )
    print("|---|---|---|---|---|---|---|---|")
    bad = 0
    for cell in cells:
        problem = grid.sender_problem(cell, options.seed, 0)
        if problem.messages >= problem.num_features:
            continue  # enough messages: no set is chosen
        line, disagrees = _compare(cell, options, args)
        bad += disagrees
        print(line, flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
