"""The float fits of Appendix F for K = 1..N models along one random order, cross-validated.

For one order of the models (a permutation) and every K, four fits of the
target from the first K models, each trained on k-1 folds and scored on the
held-out fold (mean squared error, MSE): the best single model (least
training MSE), the simple average, non-negative least squares (NNLS) and
simplex-constrained least squares -- the paper's methods (1)-(4).  Everything
is computed from per-fold Gram matrices ``G = U'U``, ``b = U'y``, ``y'y``
(shared by every order and every K), prefix sums (average, best single) and
warm-started active sets (:mod:`persuasion.hull_audit.qp`), so one order costs
O(folds x N x passes x K^2), independent of the number of items.  Floats
only: these are statistics, reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from persuasion.hull_audit.qp import nnls, simplex_ls

METHODS = ("best", "average", "nnls", "simplex")
"""The MSE fits, in the paper's order: best single model, simple average, NNLS, simplex."""

SPARSITY_TOLERANCE = 1e-6
"""A fitted weight counts as non-zero above this (the paper's Figure 2 threshold)."""


@dataclass(frozen=True)
class Folds:
    """Per-fold Gram data: training and test ``G``, ``b``, ``y'y`` and item counts."""

    train: tuple[tuple[np.ndarray, np.ndarray, float, int], ...]
    test: tuple[tuple[np.ndarray, np.ndarray, float, int], ...]


def make_folds(U: np.ndarray, y: np.ndarray, assignment: np.ndarray, k: int) -> Folds:
    """The Gram data of the ``k`` folds (``assignment[t]`` is item t's fold)."""
    total = (U.T @ U, U.T @ y, float(y @ y), len(y))
    train, test = [], []
    for f in range(k):
        mask = assignment == f
        Ut, yt = U[mask], y[mask]
        held = (Ut.T @ Ut, Ut.T @ yt, float(yt @ yt), int(mask.sum()))
        test.append(held)
        train.append(tuple(a - h for a, h in zip(total, held, strict=True)))
    return Folds(tuple(train), tuple(test))


def assign_folds(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Item t's fold: a random split of ``n`` items into ``k`` folds of sizes differing by 1."""
    return rng.permutation(np.arange(n) % k)


def _mse(w, G, b, yy, n):
    return (w @ G @ w - 2 * b @ w + yy) / n


def _prefix_fits(order, train, test):
    """Best single and simple average on every prefix of ``order``: (train, test) MSE per K."""
    G, b, yy, n = train
    Gt, bt, yyt, nt = test
    singles = (np.diag(G)[order] - 2 * b[order] + yy) / n
    best = np.minimum.accumulate(singles)
    pick = np.array([order[int(np.argmin(singles[: k + 1]))] for k in range(len(order))])
    best_test = (np.diag(Gt)[pick] - 2 * bt[pick] + yyt) / nt
    K = np.arange(1, len(order) + 1)
    out = []
    for Gm, bm, yym, nm in (train, test):
        block = Gm[np.ix_(order, order)].cumsum(0).cumsum(1).diagonal()
        out.append((block / K**2 - 2 * bm[order].cumsum() / K + yym) / nm)
    return (best, best_test), tuple(out)


def order_curves(order: np.ndarray, folds: Folds) -> dict[str, np.ndarray]:
    """Every fit's fold-mean train and test MSE and NNLS/simplex sparsity, per K, for one order.

    Keys ``"<method>_train"``, ``"<method>_test"`` (methods :data:`METHODS`) and
    ``"<method>_nonzero"`` for ``nnls`` and ``simplex``; arrays of length N (index K-1).
    """
    N = len(order)
    sums = {key: np.zeros(N) for key in _keys()}
    for train, test in zip(folds.train, folds.test, strict=True):
        (best, best_test), (avg, avg_test) = _prefix_fits(order, train, test)
        sums["best_train"] += best
        sums["best_test"] += best_test
        sums["average_train"] += avg
        sums["average_test"] += avg_test
        _least_squares(order, train, test, sums)
    k = len(folds.train)
    return {key: value / k for key, value in sums.items()}


def _keys():
    yield from (f"{m}_{part}" for m in METHODS for part in ("train", "test"))
    yield from ("nnls_nonzero", "simplex_nonzero")


def _least_squares(order, train, test, sums):
    """NNLS and simplex along the prefixes of ``order`` (warm starts), added into ``sums``."""
    G, b, yy, n = train
    Gt, bt, yyt, nt = test
    Gp, bp = G[np.ix_(order, order)], b[order]
    Gtp, btp = Gt[np.ix_(order, order)], bt[order]
    w_nn, w_sx = np.zeros(0), None
    for K in range(1, len(order) + 1):
        w_nn = nnls(Gp[:K, :K], bp[:K], np.append(w_nn, 0.0))
        w_sx = simplex_ls(Gp[:K, :K], bp[:K], None if w_sx is None else np.append(w_sx, 0.0))
        for name, w in (("nnls", w_nn), ("simplex", w_sx)):
            sums[f"{name}_train"][K - 1] += _mse(w, Gp[:K, :K], bp[:K], yy, n)
            sums[f"{name}_test"][K - 1] += _mse(w, Gtp[:K, :K], btp[:K], yyt, nt)
            sums[f"{name}_nonzero"][K - 1] += np.count_nonzero(w > SPARSITY_TOLERANCE)
