"""The curves of every order, in this process, in local worker processes or on Dask.

A task is a chunk of orders with the data they need (the float table, the
folds' Gram matrices); its answer is one :func:`~persuasion.hull_audit.fits.order_curves`
dict per order, plus the sup-norm curve for the first ``epsilon_orders`` orders.
Results come back in order, so the numbers do not depend on ``jobs`` or Dask.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from persuasion.experiments.sweep import stop_now
from persuasion.hull_audit.fits import Folds, order_curves
from persuasion.hull_audit.supnorm import epsilon_curve

CHUNK = 10
"""Orders per task."""


@dataclass(frozen=True)
class Chunk:
    """Orders to fit, and which of them also get the sup-norm curve."""

    U: np.ndarray
    y: np.ndarray
    folds: Folds
    orders: tuple[np.ndarray, ...]
    with_epsilon: tuple[bool, ...]


def run_chunk(chunk: Chunk) -> list[dict[str, np.ndarray]]:
    """Every order's curves (``"epsilon"`` added where asked)."""
    out = []
    for order, eps in zip(chunk.orders, chunk.with_epsilon, strict=True):
        curves = order_curves(order, chunk.folds)
        if eps:
            curves["epsilon"] = epsilon_curve(chunk.U, chunk.y, order)
        out.append(curves)
    return out


def run_orders(U, y, folds, orders, epsilon_orders, jobs=None, client=None):
    """The curves of every order (in order): in this process (``jobs=1``), ``jobs`` local
    processes (default: every core), or on the Dask cluster of ``client``."""
    flags = [i < epsilon_orders for i in range(len(orders))]
    jobs = jobs or os.cpu_count() or 1
    size = CHUNK if client is not None else max(1, -(-len(orders) // jobs))
    chunks = [
        Chunk(U, y, folds, tuple(orders[i : i + size]), tuple(flags[i : i + size]))
        for i in range(0, len(orders), size)
    ]
    if client is not None:
        parts = client.gather(client.map(run_chunk, chunks, pure=False))
    elif jobs == 1 or len(chunks) == 1:
        parts = [run_chunk(c) for c in chunks]
    else:
        parts = _local(chunks, jobs)
    return [curves for part in parts for curves in part]


def _local(chunks: list[Chunk], jobs: int) -> list[list[dict[str, np.ndarray]]]:
    """The chunks on ``jobs`` local processes; on Ctrl-C (or a failure) the workers are stopped
    at once, as ``simulate``'s (:mod:`persuasion.experiments.sweep`)."""
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(chunks)))
    try:
        parts = list(pool.map(run_chunk, chunks))
    except BaseException:
        stop_now(pool)
        raise
    pool.shutdown()
    return parts
