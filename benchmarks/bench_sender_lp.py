"""Benchmark: the exact pipeline on real sender best-response LPs, as games grow.

Run as ``python benchmarks/bench_sender_lp.py [--repeat 5]`` (not part of
pytest).  For generated instances of growing size -- senders, messages per
sender, states, actions -- it builds sender 0's best-response LP against a
random profile of the others (the LP that ``persuasion verify`` and ``solve``
solve: obedience over inducible response vectors, :mod:`persuasion.obedience`)
and prints, in one run, the median time of the float HiGHS solve alone, of
the whole exact pipeline (:func:`persuasion.lp.solve`: float solve + exact
kernel solve + exact check) and their ratio, and the pipeline's overhead
per call (its time minus HiGHS's, in milliseconds).  The two are timed in
alternation, so a change of machine load hits both.  Enumerating the
inducible vectors is not timed: it is the same for any LP backend.

A second table times the tiny LPs that the enumeration itself solves in a
loop (one per search node, :mod:`persuasion.inducible`), recorded on the
instances of the first table with at most ``--tiny-max-situations``
situations: median per-call time of HiGHS alone and of the pipeline.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import time
from fractions import Fraction

from persuasion.experiments.families import Size, generate
import persuasion.inducible
from persuasion.inducible import inducible_responses
from persuasion.lp import solve
from persuasion.lp.scaled import IntegerLP
from persuasion.model import Profile
from persuasion.obedience import best_response_program
from persuasion.problem import deviation_problem

from bench_exact_lp import highs_alone

SIZES = [  # (senders, messages, states, actions)
    (2, 2, 2, 2),
    (2, 3, 3, 3),
    (3, 2, 3, 3),
    (3, 3, 3, 3),
    (3, 3, 4, 3),
    (3, 4, 4, 4),
]


def random_profile(instance, seed: int) -> Profile:
    """Schemes with probabilities in multiples of 1/4 (every message used somewhere)."""
    rng = random.Random(seed)
    schemes = []
    for sender in instance.senders:
        rows = []
        for _ in instance.sender_features:
            weights = [rng.randint(1, 3) for _ in sender.messages]
            rows.append(tuple(Fraction(w, sum(weights)) for w in weights))
        schemes.append(tuple(rows))
    return Profile(tuple(schemes))


def with_messages(instance, count: int):
    """The instance with every sender given ``count`` messages."""
    senders = tuple(
        dataclasses.replace(s, messages=tuple(str(m) for m in range(count)))
        for s in instance.senders
    )
    return dataclasses.replace(instance, senders=senders)


def alternating(lp, repeat: int) -> tuple[float, float]:
    """Median seconds of HiGHS alone and of the whole pipeline on ``lp``, timed in alternation."""
    ilp = IntegerLP(lp.freeze())
    highs, ours = [], []
    for _ in range(repeat):
        highs.append(highs_alone(ilp))
        start = time.perf_counter()
        result = solve(lp)
        ours.append(time.perf_counter() - start)
        assert result.status == "optimal"
    return statistics.median(highs), statistics.median(ours)


def node_lps(problem) -> list:
    """The LPs that enumerating ``problem``'s inducible vectors solves, in order."""
    seen = []

    def recording(lp):
        seen.append(lp.copy())
        return solve(lp)

    persuasion.inducible.solve = recording
    try:
        inducible_responses(problem)
    finally:
        persuasion.inducible.solve = solve
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs per measurement (median reported)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tiny-max-situations", type=int, default=9)
    args = parser.parse_args()
    print(
        "| senders | messages | states | actions | situations | vectors | rows | cols | HiGHS s "
        "| exact pipeline s | ratio | overhead ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    tiny = []
    for k, m, ny, na in SIZES:
        instance = with_messages(generate("random", args.seed, Size(k, ny, na)), m)
        problem = deviation_problem(instance, random_profile(instance, args.seed), 0)
        lp = best_response_program(problem, inducible_responses(problem)).lp
        if problem.num_situations <= args.tiny_max_situations:
            tiny += node_lps(problem)
        highs, exact = alternating(lp, args.repeat)
        print(
            f"| {k} | {m} | {ny} | {na} | {problem.num_situations} | "
            f"{lp.num_variables // problem.num_features} "
            f"| {lp.num_constraints} | {lp.num_variables} | {highs:.4f} | {exact:.4f} | "
            f"{exact / highs:.2f} "
            f"| {1000 * (exact - highs):.2f} |",
            flush=True,
        )
    optimal = [lp for lp in tiny if solve(lp).status == "optimal"]
    times = [alternating(lp, args.repeat) for lp in optimal]
    highs = statistics.median(h for h, _ in times)
    exact = statistics.median(e for _, e in times)
    print()
    print(
        "| tiny LPs (enumeration nodes) | median rows | HiGHS ms/call | exact pipeline ms/call | "
        "overhead ms/call |"
    )
    print("|---|---|---|---|---|")
    rows = statistics.median(lp.num_constraints for lp in optimal)
    print(
        f"| {len(optimal)} | {rows:g} | {1000 * highs:.3f} | {1000 * exact:.3f} | "
        f"{1000 * (exact - highs):.3f} |"
    )


if __name__ == "__main__":
    main()
