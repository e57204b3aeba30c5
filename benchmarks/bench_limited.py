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

checks that the two exact values agree (exit status 1 when not), and prints
the ratios exact / MILP and enumeration / MILP.  The default cells are the
slow limited-message cells of docs/explanation/performance.md; ``--quick``
adds every limited-message cell of ``bench_best_response.py --quick``.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import types

import bench_best_response as grid
import persuasion.limited as limited

SLOW = ("3x2x3x4x1 3x2x4x3x1 4x2x3x2x2 2x2x4x3x3 2x2x4x4x2 2x2x5x2x3 2x2x6x2x2 2x3x4x4x1 3x2x3x4x2 3x2x4x4x1 "
        "3x2x5x2x2 3x2x5x3x1 4x2x3x2x3 4x2x3x4x1 4x2x4x3x1 4x2x5x2x1 4x3x4x2x1 5x2x3x2x2 5x2x3x3x1 5x2x4x2x1 "
        "2x2x4x4x3 2x2x5x3x3 2x2x5x4x2 2x2x6x2x3 2x3x5x3x2 2x3x6x2x2 3x2x3x4x3 3x2x4x4x2 3x3x5x3x1 3x3x6x2x1 "
        "4x2x4x3x2 4x2x5x3x1 4x2x6x2x1 5x2x3x3x2 6x2x3x3x1 2x2x5x4x3")
"""The 36 cells above 2x in docs/explanation/performance.md ("A larger grid (partial)")."""


def _enumeration(problem, args):
    limited.SUBSETS_FIRST = math.inf  # in the forked child only
    return grid._exact(problem, args)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", help="comma-separated cells SxMxYxAxF (default: the 36 slow cells)")
    parser.add_argument("--quick", action="store_true", help="also every limited-message cell of the quick grid")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    cells = [tuple(int(v) for v in c.split("x")) for c in (options.cells.split(",") if options.cells else SLOW.split())]
    if options.quick:
        ranges = [range(low, high + 1) for low, high in (grid.QUICK[axis] for axis in grid.AXES)]
        cells += [c for c in itertools.product(*ranges) if c not in cells]
    args = types.SimpleNamespace(time_limit=options.time_limit, route="auto", milp="tight", seed=options.seed)
    grid.METHODS["enumeration"] = _enumeration
    print("| cell | method | exact s | enumeration s | float MILP s | exact / float | enumeration / float | values |")
    print("|---|---|---|---|---|---|---|---|")
    bad = 0
    for cell in cells:
        problem = grid.sender_problem(cell, options.seed, 0)
        if problem.messages >= problem.num_features:
            continue  # enough messages: no set is chosen
        runs = {name: grid.timed(name, cell, 0, args) for name in ("exact", "enumeration", "milp")}
        if any(run.get("status") not in ("ok", "optimal") for run in runs.values()):
            print(f"| {'x'.join(map(str, cell))} | | {' | '.join(str(run.get('status')) for run in runs.values())} | | | |")
            continue
        exact, enumeration, milp = (runs[name]["seconds"] for name in ("exact", "enumeration", "milp"))
        if runs["exact"]["value"] != runs["enumeration"]["value"]:
            bad += 1
        print(f"| {'x'.join(map(str, cell))} | {runs['exact'].get('method')} | {exact:.3f} | {enumeration:.3f} | "
              f"{milp:.3f} | {exact / milp:.2f} | {enumeration / milp:.2f} | "
              f"{'ok' if runs['exact']['value'] == runs['enumeration']['value'] else 'DIFFERENT'} |", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
