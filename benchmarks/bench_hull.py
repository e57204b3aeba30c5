"""Speed of ``persuasion hull``'s fits: vectorised Gram-form fits against a plain scipy loop.

    python benchmarks/bench_hull.py [--models 100] [--items 1000] [--permutations 100]
        [--folds 5] [--baseline-permutations 2] [--jobs 2] [--seed 0]

A synthetic pool (Appendix H's random utility model: each model is the target plus
independent noise and a bias of its own, clipped to [0, 1]).  Times, in one run:

- the vectorised fits (:func:`persuasion.hull_audit.fits.order_curves`: shared per-fold Gram
  matrices, prefix sums, warm-started active sets along K) for every permutation, in one
  process and on ``--jobs`` processes;
- the straightforward baseline: for every permutation, K and fold, ``scipy.optimize.nnls`` and
  ``scipy.optimize.minimize(method="SLSQP")`` (simplex) on the item matrix, cold-started --
  on ``--baseline-permutations`` permutations, scaled per permutation;
- the sup-norm epsilon curve (one warm-started HiGHS model per order) for one order.

Checks that both give the same test MSE (to 1e-6) and prints a Markdown table and the ratio.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import scipy.optimize

from persuasion.hull_audit.fits import assign_folds, make_folds, order_curves
from persuasion.hull_audit.run import run_orders
from persuasion.hull_audit.supnorm import epsilon_curve


def pool(models: int, items: int, seed: int):
    """Appendix H's random utility model: target + noise + a per-model bias, in [0, 1]."""
    rng = np.random.default_rng(seed)
    y = rng.random(items)
    noise = 0.3 * rng.standard_normal((items, models)) + 0.2 * rng.standard_normal(models)
    return np.clip(y[:, None] + noise, 0, 1), y, rng


def _simplex(U, y):
    K = U.shape[1]
    result = scipy.optimize.minimize(
        lambda w: np.sum((U @ w - y) ** 2),
        np.full(K, 1 / K),
        jac=lambda w: 2 * U.T @ (U @ w - y),
        method="SLSQP",
        bounds=[(0, None)] * K,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1, "jac": lambda w: np.ones(K)}],
        options={"ftol": 1e-12, "maxiter": 500},
    )
    return result.x


def baseline(U, y, assignment, folds, order):
    """The plain loop: test MSE of NNLS and simplex per K, fold-averaged."""
    out = {"nnls_test": np.zeros(len(order)), "simplex_test": np.zeros(len(order))}
    for f in range(folds):
        train, test = assignment != f, assignment == f
        for K in range(1, len(order) + 1):
            cols = order[:K]
            Ut, yt, Uv, yv = U[train][:, cols], y[train], U[test][:, cols], y[test]
            w = scipy.optimize.nnls(Ut, yt)[0]
            out["nnls_test"][K - 1] += np.mean((Uv @ w - yv) ** 2) / folds
            w = _simplex(Ut, yt)
            out["simplex_test"][K - 1] += np.mean((Uv @ w - yv) ** 2) / folds
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=100)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--permutations", type=int, default=100)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--baseline-permutations", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    U, y, rng = pool(args.models, args.items, args.seed)
    assignment = assign_folds(args.items, args.folds, rng)
    orders = [rng.permutation(args.models) for _ in range(args.permutations)]
    start = time.perf_counter()
    folds = make_folds(U, y, assignment, args.folds)
    fast = [order_curves(order, folds) for order in orders]
    serial = time.perf_counter() - start
    start = time.perf_counter()
    run_orders(U, y, folds, orders, 0, args.jobs)
    parallel = time.perf_counter() - start
    start = time.perf_counter()
    slow = [baseline(U, y, assignment, args.folds, o) for o in orders[: args.baseline_permutations]]
    plain = (time.perf_counter() - start) / args.baseline_permutations * args.permutations
    start = time.perf_counter()
    epsilon_curve(U, y, orders[0])
    eps = time.perf_counter() - start
    gap = max(
        float(np.max(np.abs(s[key] - f[key])))
        for s, f in zip(slow, fast, strict=False)
        for key in ("nnls_test", "simplex_test")
    )
    print(
        f"{args.models} models x {args.items} items x {args.permutations} permutations x "
        f"{args.folds} folds (largest test-MSE difference to the baseline: {gap:.2g})\n"
    )
    print("| method | wall time (s) | vs baseline |\n|---|---|---|")
    print(
        f"| scipy loop (nnls + SLSQP), scaled from {args.baseline_permutations} | {plain:.1f} | 1 |"
    )
    print(f"| vectorised, 1 process | {serial:.1f} | {plain / serial:.0f}x faster |")
    print(f"| vectorised, --jobs {args.jobs} | {parallel:.1f} | {plain / parallel:.0f}x faster |")
    print(f"\nsup-norm epsilon curve, one order (K = 1..{args.models}): {eps:.2f} s")
    assert gap < 1e-6, "the vectorised fits disagree with scipy"


if __name__ == "__main__":
    main()
