"""Benchmark: the whole exact best response against a float compact MILP, on a growing grid.

Run as ``python benchmarks/bench_best_response.py [--quick] [--corners]
[--all-senders] [--route NAME] [--time-limit 120] [--json FILE]`` (not part
of pytest).  For generated instances (``experiments.families.generate
("random", seed, Size(senders, states, actions))``, every sender given
``messages`` messages, Alice given ``features`` features by
:func:`with_alice_features`) and a random profile of the others
(``families.random_profile``), it times in one run, for sender 0 (every
sender with ``--all-senders``):

* **exact** -- :func:`persuasion.sender.best_response` on the sender's
  problem, whole: enumeration of the inducible response vectors, the LPs,
  attainment; the problem itself is built before the clock starts;
* **float MILP** -- :func:`persuasion.compact_milp.compact_milp`, the compact
  MILP a practitioner would write with HiGHS (ties in the sender's favour,
  so its value is an upper bound), building included;

and checks that the exact value never exceeds the MILP's bound by more than
its tolerance (exit status 1 when it does, or when a method fails).

The grid is every cell of senders x messages x states x actions x Alice
features within the ranges given (default 2-6, 2-4, 2-6, 2-4, 1-3), visited
from the smallest cell outwards, one step in one dimension at a time (cells
in order of their distance from the smallest).  A method that passes the
time limit on a cell is not run on any cell at least as large in every
dimension (shown ``>120 s``); a cell past the limit for both is left out.
Each method runs in a forked process, killed at the time limit (the MILP
is also given the limit, so it stops by itself and reports its bound).
``--corners`` times instead the issue's two far corners, for every sender.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import math
import multiprocessing
import os
import platform
import random
import sys
import time
from datetime import datetime, UTC
from fractions import Fraction
from functools import partial

from persuasion.compact_milp import compact_milp
from persuasion.experiments.families import Size, generate, random_profile
from persuasion.instance import dump_instance, parse_instance
from persuasion.model import Instance
from persuasion.problem import deviation_problem
from persuasion.render import approx
from persuasion.routes import ROUTES
from persuasion.sender import best_response

from bench_sender_lp import with_messages

AXES = ("senders", "messages", "states", "actions", "features")
FULL = {
    "senders": (2, 6),
    "messages": (2, 4),
    "states": (2, 6),
    "actions": (2, 4),
    "features": (1, 3),
}
QUICK = {
    "senders": (2, 3),
    "messages": (2, 3),
    "states": (2, 3),
    "actions": (2, 3),
    "features": (1, 2),
}
QUICK_LIMIT = 10.0
"""``--quick``'s time limit in seconds (unless ``--time-limit`` is given)."""
CORNERS = ((6, 3, 3, 3, 1), (3, 4, 6, 4, 1))
"""The issue's far corners: 6 senders x 3 messages x 3 states x 3 actions; 3 x 4 x 6 x 4."""
GRACE = 10.0
"""Seconds past the time limit before a run is killed (the problem is built first; the MILP stops by
itself)."""


def with_alice_features(instance: Instance, count: int, seed: int) -> Instance:
    """The instance with Alice's features ``x_A`` drawn given the state: ``P(x_A, x_B, y) = P(x_B,
    y) P(x_A | y)``.

    ``P(x_A | y)`` has small integer weights (1 to 3) per state, seeded, so
    Alice's features are informative and every situation keeps a positive
    probability.  The result is checked by the instance parser.
    """
    if count == 1:
        return instance
    rng = random.Random(f"persuasion/bench/features/{instance.name}/{count}/{seed}")
    given_state = []
    for _ in instance.states:
        weights = [rng.randint(1, 3) for _ in range(count)]
        given_state.append([Fraction(w, sum(weights)) for w in weights])
    (table,) = instance.prior
    prior = tuple(
        tuple(tuple(p * given_state[y][xa] for y, p in enumerate(row)) for row in table)
        for xa in range(count)
    )
    split = dataclasses.replace(
        instance,
        prior=prior,
        alice_features=tuple(f"xa{j}" for j in range(count)),
        state_only=False,
    )
    return parse_instance(dump_instance(split), f"{instance.name} with {count} Alice features")


def cell_instance(cell: tuple[int, ...], seed: int) -> Instance:
    """The generated instance of a grid cell ``(senders, messages, states, actions, features)``."""
    senders, messages, states, actions, features = cell
    instance = with_messages(generate("random", seed, Size(senders, states, actions)), messages)
    return with_alice_features(instance, features, seed)


def sender_problem(cell: tuple[int, ...], seed: int, sender: int):
    """Sender ``sender``'s best-response problem in the cell's instance, against a random profile of
    the others."""
    instance = cell_instance(cell, seed)
    return deviation_problem(instance, random_profile(instance, seed), sender)


def _exact(problem, args) -> dict:
    start = time.perf_counter()
    best = best_response(problem, route=args.route)
    seconds = time.perf_counter() - start
    return {
        "status": "ok" if seconds <= args.time_limit else "time-limit",
        "seconds": seconds,
        "value": best.value,
        "route": best.route,
        "method": best.method,
        "optimality": best.optimality,
    }


def _milp(problem, args) -> dict:
    result = dataclasses.asdict(
        compact_milp(problem, time_limit=args.time_limit, tighten=args.milp == "tight")
    )
    bound = (
        result["bound"] if math.isfinite(result["bound"]) else None
    )  # None: HiGHS proved no bound
    return {
        **result,
        "bound": bound,
        "status": "time-limit" if result["timed_out"] else result["status"],
    }


METHODS = {"exact": _exact, "milp": _milp}


def _child(connection, method: str, cell, sender: int, args) -> None:
    """Build the problem (before the clock starts), run the method, send back what it found."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # the HiGHS banner
    try:
        problem = sender_problem(cell, args.seed, sender)
        connection.send({"situations": problem.num_situations, **METHODS[method](problem, args)})
    except BaseException as error:
        connection.send({"status": "error", "error": f"{type(error).__name__}: {error}"})


def timed(method: str, cell, sender: int, args) -> dict:
    """Run one method on one cell in a forked process, killed ``GRACE`` seconds past the time limit.

    Everything that touches HiGHS (the generator's alignment LPs too) runs in
    the child, so every child is forked from a process that never started
    HiGHS's threads.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, daemon=True, args=(send, method, cell, sender, args))
    process.start()
    send.close()
    try:
        if receive.poll(args.time_limit + GRACE):
            return receive.recv()
        return {"status": "time-limit", "killed": True}
    except EOFError:
        return {"status": "error", "error": f"the process died (exit status {process.exitcode})"}
    finally:
        if process.is_alive():
            process.kill()
        process.join()


@dataclasses.dataclass
class Row:
    cell: tuple[int, ...]
    sender: int
    situations: int | None
    exact: dict
    milp: dict

    def check(self) -> bool | None:
        """Is the exact value at most the MILP's bound plus its tolerance (None: not both known)?"""
        value, bound = self.exact.get("value"), self.milp.get("bound")
        if value is None or bound is None:
            return None
        return value <= Fraction(bound) + Fraction(self.milp["tolerance"])


def _seconds(part: dict, limit: float) -> str:
    if part["status"] == "skipped" or part["status"] == "time-limit":
        return f">{limit:g} s"
    if part["status"] != "ok" and part["status"] != "optimal":
        return part["status"]
    return f"{part['seconds']:.3f}"


HEADER = (
    "| senders | messages | states | actions | Alice features | sender | situations | exact s | "
    "float MILP s "
    "| exact / float | exact value | float value | check |"
)


def markdown(row: Row, limit: float) -> str:
    exact, milp = row.exact, row.milp
    done = exact["status"] == "ok" and milp["status"] == "optimal"
    ratio = f"{exact['seconds'] / milp['seconds']:.2f}" if done else "-"
    value = approx(exact["value"]) if exact.get("value") is not None else "-"
    float_value = f"{milp['value']:.6g}" if milp.get("value") is not None else "-"
    check = {True: "ok", False: "**FAILS**", None: "-"}[row.check()]
    situations = "-" if row.situations is None else row.situations
    cells = (
        *row.cell,
        row.sender,
        situations,
        _seconds(exact, limit),
        _seconds(milp, limit),
        ratio,
        value,
        float_value,
        check,
    )
    return "| " + " | ".join(map(str, cells)) + " |"


def grid(ranges: dict[str, tuple[int, int]]) -> list[tuple[int, ...]]:
    """Every cell within ``ranges``, nearest the smallest first (then in lexicographic order)."""
    cells = itertools.product(*(range(ranges[a][0], ranges[a][1] + 1) for a in AXES))
    low = [ranges[a][0] for a in AXES]
    return sorted(cells, key=lambda c: (sum(x - least for x, least in zip(c, low, strict=True)), c))


def _covers(smaller: tuple[int, ...], cell: tuple[int, ...]) -> bool:
    return all(s <= c for s, c in zip(smaller, cell, strict=True))


def bench(cells, senders_of, args, rows: list[Row], save) -> None:
    """Time both methods on every cell (see the module docstring for the skipping rule), appending
    to ``rows`` and calling ``save()`` after each."""
    past = {"exact": [], "milp": []}
    left_out = 0
    print(HEADER)
    print("|" + "---|" * HEADER.count(" | ") + "---|")
    for cell in cells:
        skip = {m: any(_covers(c, cell) for c in past[m]) for m in past}
        if all(skip.values()):
            left_out += 1
            continue
        for i in senders_of(cell):
            exact = {"status": "skipped"} if skip["exact"] else timed("exact", cell, i, args)
            milp = {"status": "skipped"} if skip["milp"] else timed("milp", cell, i, args)
            row = Row(cell, i, exact.get("situations", milp.get("situations")), exact, milp)
            rows.append(row)
            save()
            print(markdown(row, args.time_limit), flush=True)
            for name, part in (("exact", exact), ("milp", milp)):
                if part["status"] == "time-limit" and cell not in past[name]:
                    past[name].append(cell)
    if left_out:
        print(
            f"\n{left_out} larger cells left out: both methods passed {args.time_limit:g} s on a "
            "smaller cell."
        )


def _parse_range(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    try:
        pair = (int(low), int(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a range like 2-6, got {text!r}") from None
    if pair[0] > pair[1]:
        raise argparse.ArgumentTypeError(f"empty range {text!r}")
    return pair


def _json_row(row: Row) -> dict:
    exact = {
        k: (str(v) if isinstance(v, Fraction) else v)
        for k, v in row.exact.items()
        if k != "situations"
    }
    milp = {k: v for k, v in row.milp.items() if k != "situations"}
    return {
        **dict(zip(AXES, row.cell, strict=True)),
        "sender": row.sender,
        "situations": row.situations,
        "exact": exact,
        "milp": milp,
        "check": row.check(),
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a small grid ({', '.join(f'{a} {lo}-{hi}' for a, (lo, hi) in QUICK.items())}), "
        f"time limit {QUICK_LIMIT:g} s: under 2 minutes",
    )
    parser.add_argument(
        "--corners",
        action="store_true",
        help="only the two far corners (6x3x3x3 and 3x4x6x4, one Alice feature), every sender",
    )
    parser.add_argument(
        "--all-senders",
        action="store_true",
        help="every sender's best response, not only sender 0's",
    )
    parser.add_argument(
        "--route", choices=ROUTES, default="auto", help="the exact engine's route (default auto)"
    )
    parser.add_argument(
        "--milp",
        choices=("tight", "textbook"),
        default="tight",
        help="the MILP with its valid tightening rows (default) or the textbook big-M model alone",
    )
    parser.add_argument(
        "--time-limit", type=float, help="seconds per method and run (default 120; --quick: 10)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--json", metavar="FILE", help="also write every measurement (exact values as p/q) here"
    )
    for axis in AXES:
        parser.add_argument(
            f"--{axis}",
            type=_parse_range,
            metavar="LOW-HIGH",
            help=f"range of {axis} (default {FULL[axis][0]}-{FULL[axis][1]})",
        )
    return parser


def _cells(parser: argparse.ArgumentParser, args) -> list[tuple[int, ...]]:
    """The cells to run: the corners, or the grid of the ranges asked (checked)."""
    if args.corners:
        return list(CORNERS)
    ranges = {a: getattr(args, a) or (QUICK if args.quick else FULL)[a] for a in AXES}
    if (
        ranges["senders"][0] < 1
        or ranges["states"][0] < 2
        or ranges["actions"][0] < 2
        or ranges["messages"][0] < 1
        or ranges["features"][0] < 1
    ):
        parser.error(
            "ranges need >= 1 sender, >= 1 message, >= 2 states, >= 2 actions, >= 1 Alice feature"
        )
    return grid(ranges)


def _save(args, started: datetime, load, rows: list[Row]) -> None:
    """Write every measurement so far to ``--json`` (if given)."""
    if not args.json:
        return
    with open(args.json, "w", encoding="utf-8") as out:
        json.dump(
            {
                "command": sys.argv,
                "started": started.isoformat(),
                "machine": platform.platform(),
                "cores": os.cpu_count(),
                "load_average": load,
                "time_limit": args.time_limit,
                "milp": args.milp,
                "seed": args.seed,
                "rows": [_json_row(r) for r in rows],
            },
            out,
            indent=1,
        )


def main() -> int:
    parser = _parser()
    args = parser.parse_args()
    if args.time_limit is None:
        args.time_limit = QUICK_LIMIT if args.quick else 120.0
    if args.time_limit <= 0:
        parser.error("--time-limit must be positive")
    cells = _cells(parser, args)
    if args.json:
        try:
            open(args.json, "w", encoding="utf-8").close()
        except OSError as error:
            parser.error(f"--json: cannot write {args.json}: {error.strerror}")
    every = args.all_senders or args.corners
    senders_of = (lambda cell: range(cell[0])) if every else (lambda cell: [0])
    started = datetime.now(UTC)
    load = os.getloadavg()
    print(
        f"{started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load average {load[0]:.2f} (1 "
        "min), "
        f"time limit {args.time_limit:g} s, seed {args.seed}, {args.milp} MILP\n",
        flush=True,
    )
    rows: list[Row] = []
    try:
        bench(cells, senders_of, args, rows, partial(_save, args, started, load, rows))
    except KeyboardInterrupt:
        print(
            f"interrupted after {len(rows)} rows"
            + (f" (saved in {args.json})" if args.json else ""),
            file=sys.stderr,
        )
        return 130
    failures = [
        r for r in rows if r.check() is False or "error" in (r.exact["status"], r.milp["status"])
    ]
    for row in failures:
        print(
            f"FAILED: {dict(zip(AXES, row.cell, strict=True))}, sender {row.sender}: exact "
            f"{row.exact}, MILP {row.milp}",
            file=sys.stderr,
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
