"""Benchmark: the branch-and-bound tree witness against one dual per set of vectors.

Run as ``python benchmarks/bench_tree_witness.py [--cases 4] [--seed 1]`` (not part of pytest).
For seeded games where a lone sender with ``m`` messages (fewer than the states) faces Alice
types that each match the state with their own prior, so that the message limit binds, and
which have more than ``SUBSET_LIMIT`` sets of ``m`` inducible vectors, it times in one run:

* **sets** -- the set witness: the exact dual of every set of ``m`` vectors
  (:func:`persuasion.witnesses.bounds.dual_bound` with the optimum as floor), as
  ``upper_bound_witness`` wrote it below ``SUBSET_LIMIT``;
* **tree** -- :func:`persuasion.witnesses.bounds.tree_witness`;

each with the kernel's whole check of the witness (its completeness walk, the same for both,
included) (:func:`persuasion.checker.bounds.upper_bound`), and prints both bounds (they must be
equal: exit status 1 otherwise), the tree's nodes, and the ratios. The one-set bound over all
vectors, which ``certify`` wrote beyond ``SUBSET_LIMIT`` before, is printed for comparison. The
optimum is
the best response's value (exact or a MILP solver's); both witnesses prove it or a true bound above
it.
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import sys
import time
from fractions import Fraction
from functools import partial

from persuasion.cells import certified_responses
from persuasion.witnesses.bounds import dual_bound, motzkin, tree_witness
from persuasion.checker.bounds import Problem, upper_bound
from persuasion.limited import SUBSET_LIMIT
from persuasion.model import Instance, Protocol, Sender
from persuasion.problem import oblivious_problem
from persuasion.sender import best_response


def game(rng: random.Random) -> Instance:
    """Four states, four actions, 2-4 Alice types with their own priors, Alice and the sender
    rewarded for matching the state (plus small off-diagonal terms), 2 or 3 messages."""
    ny, types, m = 4, rng.randint(2, 4), rng.choice([2, 3])
    weights = [[rng.randint(1, 4) for _ in range(ny)] for _ in range(types)]
    total = sum(map(sum, weights))
    prior = tuple(
        tuple(
            tuple(Fraction(w[xb], total) if y == xb else Fraction(0) for y in range(ny))
            for xb in range(ny)
        )
        for w in weights
    )
    states = tuple(f"y{j}" for j in range(ny))

    def utility(top: int):
        return tuple(
            tuple(Fraction(1) if a == y else Fraction(rng.randint(0, top), 4) for y in range(ny))
            for a in range(ny)
        )

    alice, sender = utility(1), utility(2)
    order = list(range(ny))
    rng.shuffle(order)
    return Instance(
        "bench",
        states,
        tuple(f"a{j}" for j in range(ny)),
        tuple(f"t{j}" for j in range(types)),
        states,
        prior,
        alice,
        (Sender("bob", sender, tuple(str(j) for j in range(m))),),
        Protocol(tie_break=tuple(order)),
    )


def kernel_problem(problem) -> Problem:
    return Problem(
        [[list(r) for r in t] for t in problem.alice_values],
        [[list(r) for r in t] for t in problem.sender_values],
        problem.messages,
        [problem.rank(a) for a in range(problem.num_actions)],
    )


def set_witness(problem, vectors, m: int, value: Fraction) -> list[dict]:
    """The witness by sets: one dual bound for every choice of ``m`` of the ``vectors``."""
    return [
        dict(
            zip(
                ("mu", "lambda"),
                dual_bound(problem, [vectors[k] for k in c], value)[:2],
                strict=True,
            ),
            vectors=list(c),
        )
        for c in itertools.combinations(range(len(vectors)), m)
    ]


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng, found, failed = random.Random(args.seed), 0, False
    print(
        f"{'K':>4} {'m':>2} {'sets':>6} {'value':>10} {'one-set':>8} {'sets s':>8} {'tree s':>8} "
        f"{'nodes':>5} "
        f"{'ratio':>6} {'check sets s':>12} {'check tree s':>12}"
    )
    while found < args.cases:
        problem = oblivious_problem(game(rng), 0)
        pruned: list = []
        vectors = certified_responses(problem, pruned)
        m = problem.messages
        if math.comb(len(vectors), m) <= SUBSET_LIMIT:
            continue
        found += 1
        value = best_response(problem, Fraction(1, 1000)).value
        base = {
            "vectors": [list(r) for r in vectors],
            "pruned": [motzkin(problem, a) for a in pruned],
        }
        kernel = kernel_problem(problem)
        sets, t_sets = timed(partial(set_witness, problem, vectors, m, value))
        (tree, bound), t_tree = timed(partial(tree_witness, problem, vectors, m, value))
        by_sets, c_sets = timed(partial(upper_bound, dict(base, sets=sets), "w", kernel))
        by_tree, c_tree = timed(partial(upper_bound, dict(base, tree=tree), "w", kernel))
        one = dual_bound(problem, vectors)[2]
        nodes = str(tree).count("'rho'") * 2 - 1
        print(
            f"{len(vectors):>4} {m:>2} {math.comb(len(vectors), m):>6} {str(value):>10} "
            f"{str(one):>8} {t_sets:>8.2f} "
            f"{t_tree:>8.2f} {nodes:>5} {t_sets / t_tree:>6.0f} {c_sets:>12.3f} {c_tree:>12.3f}",
            flush=True,
        )
        if not (by_sets == by_tree == bound):
            print(f"  MISMATCH: sets {by_sets}, tree {by_tree}, producer {bound}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
