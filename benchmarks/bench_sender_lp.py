"""Benchmark: the exact pipeline on real sender best-response LPs, as games grow.

Run as ``python benchmarks/bench_sender_lp.py [--repeat 5]`` (not part of
pytest).  For generated instances of growing size -- senders, messages per
sender, states, actions -- it builds sender 0's best-response LP against a
random profile of the others (the LP that ``persuasion verify`` and ``solve``
solve: obedience over inducible response vectors, :mod:`persuasion.obedience`)
and prints, in one run, the median time of the float HiGHS solve alone, of
the whole exact pipeline (:func:`persuasion.lp.solve`: float solve + exact
kernel solve + exact check) and their ratio.  Enumerating the inducible
vectors is not timed: it is the same for any LP backend.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import time
from fractions import Fraction

from persuasion.experiments.families import Size, generate
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
    senders = tuple(dataclasses.replace(s, messages=tuple(str(m) for m in range(count))) for s in instance.senders)
    return dataclasses.replace(instance, senders=senders)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median reported)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print("| senders | messages | states | actions | situations | vectors | rows | cols | HiGHS s | exact pipeline s | ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for k, m, ny, na in SIZES:
        instance = with_messages(generate("random", args.seed, Size(k, ny, na)), m)
        problem = deviation_problem(instance, random_profile(instance, args.seed), 0)
        lp = best_response_program(problem, inducible_responses(problem)).lp
        ilp = IntegerLP(lp.freeze())
        highs = statistics.median(highs_alone(ilp) for _ in range(args.repeat))
        ours = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = solve(lp)
            ours.append(time.perf_counter() - start)
            assert result.status == "optimal"
        exact = statistics.median(ours)
        print(f"| {k} | {m} | {ny} | {na} | {problem.num_situations} | {lp.num_variables // problem.num_features} "
              f"| {lp.num_constraints} | {lp.num_variables} | {highs:.4f} | {exact:.4f} | {exact / highs:.2f} |")


if __name__ == "__main__":
    main()
