"""Benchmark: enumerating inducible response vectors, the reference against the certified float
search.

Run as ``python benchmarks/bench_cells.py [--budget 60] [--seed 1]`` (not part
of pytest).  For generated instances of growing size -- senders 2-6 with 3
messages over 3 states and 3 actions, then states 2-6 with 3 senders of 4
messages and 4 actions -- it builds sender 0's problem against a random
profile of the others (``experiments.families.random_profile``, as
``persuasion solve`` starts; ``dense`` rows use every message with positive
probability, as ``bench_sender_lp.py`` does) and times, in one run,
:func:`persuasion.inducible.inducible_responses` (exact LP per node) and
:func:`persuasion.cells.certified_responses` (float search, exact
certificates).  It checks that both give the same vectors and the same pruned
list, and prints a Markdown table with the ratio.  Both are timed as a best
response calls them, without collecting the pruned list (``tests/test_cells.py``
checks that the pruned lists agree too).  The reference is stopped after
``--budget`` seconds (then the row shows ``>`` the budget).
"""

from __future__ import annotations

import argparse
import signal
import time

from persuasion.cells import certified_responses
from persuasion.experiments.families import Size, generate, random_profile
from persuasion.inducible import inducible_responses
from persuasion.problem import deviation_problem

from bench_sender_lp import random_profile as dense_profile, with_messages

SIZES = (  # (senders, messages, states, actions, profile)
    [(k, 3, 3, 3, "families") for k in range(2, 7)]
    + [(6, 3, 3, 3, "dense")]
    + [(3, 4, ny, 4, "families") for ny in range(2, 7)]
)


class OverBudget(Exception):
    """The reference ran out of its time budget."""


def _stop(signum, frame):
    raise OverBudget


def timed(function, problem, budget: float | None = None):
    """``(seconds, vectors)``, or ``(None, None)`` past ``budget`` seconds."""
    if budget:
        signal.signal(signal.SIGALRM, _stop)
        signal.setitimer(signal.ITIMER_REAL, budget)
    start = time.perf_counter()
    try:
        vectors = function(problem)
    except OverBudget:
        return None, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - start, vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--budget", type=float, default=60.0, help="seconds the reference may take per size"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        "| senders | messages | states | actions | profile | situations | vectors | reference s | "
        "certified s | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for k, m, ny, na, kind in SIZES:
        instance = with_messages(generate("random", args.seed, Size(k, ny, na)), m)
        profile = (
            random_profile(instance, args.seed)
            if kind == "families"
            else dense_profile(instance, args.seed)
        )
        problem = deviation_problem(instance, profile, 0)
        ours, answer = timed(certified_responses, problem)
        theirs, reference = timed(inducible_responses, problem, args.budget)
        if reference is not None:
            assert answer == reference, f"{(k, m, ny, na, kind)}: the enumerations disagree"
            old, ratio = f"{theirs:.2f}", f"{theirs / ours:.1f}x"
        else:
            old = f"> {args.budget:.0f}"
            ratio = f"> {args.budget / ours:.1f}x" if args.budget > ours else "?"
        print(
            f"| {k} | {m} | {ny} | {na} | {kind} | {problem.num_situations} | {len(answer)} "
            f"| {old} | {ours:.2f} | {ratio} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
