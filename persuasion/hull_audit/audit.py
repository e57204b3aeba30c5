"""``hull``: audit a pool of models for weighted alignment (Definition 1; Appendix F).

Reads and checks the ratings table, then: the exact sup-norm fits of the whole
pool (Definition 1 and Remark 2's non-negative variant, certified by the LP
layer), the exact KKT-certified NNLS and simplex fits of the whole pool (tables
up to :data:`~persuasion.limits.MAX_HULL_EXACT_CELLS`), and the float curves
over K = 1..N along ``permutations`` random orders with k-fold cross-validation.
"""

from __future__ import annotations

import json
import os
from fractions import Fraction

import numpy as np

from persuasion.api.checks import integer
from persuasion.errors import InputError
from persuasion.extras import FIGURES, MissingExtra, require
from persuasion.hull_audit.files import OWNED, files
from persuasion.hull_audit.fits import assign_folds, make_folds
from persuasion.hull_audit.game import pool_instance
from persuasion.hull_audit.kkt import exact_fit, gram
from persuasion.hull_audit.qp import nnls, simplex_ls
from persuasion.hull_audit.result import HullResult, Settings, SupNormFit
from persuasion.hull_audit.run import run_orders
from persuasion.hull_audit.table import TARGET, Ratings, read_ratings
from persuasion.limits import MAX_HULL_CURVE_WORK, MAX_HULL_EPSILON_WORK, MAX_HULL_EXACT_CELLS
from persuasion.output import check_folder, checked_file, write_files, write_text
from persuasion.weighted_alignment import fit_alignment


def hull(
    ratings: str | os.PathLike | Ratings,
    *,
    target: str = TARGET,
    scale: tuple[Fraction, Fraction] | None = None,
    permutations: int = 100,
    folds: int = 5,
    seed: int = 0,
    epsilon_orders: int = 10,
    jobs: int | None = None,
    dask: str | None = None,
    out: str | None = None,
    figures: bool = True,
    instance_out: str | None = None,
    threshold: Fraction | None = None,
    force: bool = False,
) -> HullResult:
    """Audit a ratings table (a file, or a :class:`~persuasion.hull_audit.table.Ratings`).

    ``permutations`` random orders of the models (from ``seed``), ``folds``-fold
    cross-validation (items split once, from ``seed``), the sup-norm curve on the first
    ``epsilon_orders`` orders; ``jobs`` local processes, or a Dask cluster (``dask``: a
    scheduler address or ``"local"``, contacted after the table is checked).  ``out``:
    a folder for every number as CSV and the figures (:mod:`persuasion.hull_audit.files`);
    ``instance_out``: a persuasion-instance/1 file of the pool's game
    (:mod:`persuasion.hull_audit.game`, Alice's pass value ``threshold``), written before the
    curves.  Both destinations are checked first.  Raises
    :class:`~persuasion.errors.InputError` for a bad table or destination, ValueError (naming
    the argument) for a count the command line refuses, OptionError for an unreachable ``dask``.
    """
    _check_counts(permutations, folds, seed, epsilon_orders, jobs)
    table = _table(ratings, target, scale, folds)
    _check_work(table, permutations, folds, epsilon_orders)
    folder, instance_file = _destinations(out, figures, instance_out, force)
    definition1 = sup_norm(table, simplex=True)
    if instance_file is not None:
        data = pool_instance(table, definition1, threshold, f"--instance-out {instance_out}")
        write_text(instance_file, json.dumps(data, indent=1) + "\n", instance_out, "--instance-out")
    settings = Settings(
        table.source, table.target_name, scale, permutations, folds, seed, epsilon_orders
    )
    nn, sx, note = _least_squares(table)
    result = HullResult(
        settings=settings,
        models=table.models,
        items=len(table.items),
        definition1=definition1,
        nonnegative=sup_norm(table, simplex=False),
        nnls=nn,
        simplex=sx,
        kkt_note=note,
        curves=_statistics(_curves(table, settings, jobs, dask)),
        instance=instance_out,
        out=out,
    )
    if folder is not None:
        write_files(folder, files(result, figures))
    return result


def _table(ratings, target, scale, folds: int) -> Ratings:
    """The table read and checked (:func:`read_ratings`), or the given one with ``folds`` rows."""
    if not isinstance(ratings, Ratings):
        return read_ratings(ratings, target=target, scale=scale, min_rows=folds)
    if len(ratings.items) < folds:
        raise InputError(ratings.source, f"{len(ratings.items)} rows of items; {folds} folds")
    return ratings


def _check_counts(permutations, folds, seed, epsilon_orders, jobs) -> None:
    """The counts the command line's options allow (``--permutations`` ... ``--jobs``), checked
    before any work: ValueError naming the argument otherwise."""
    integer("permutations", permutations, 1)
    integer("folds", folds, 2)
    integer("seed", seed, 0)
    integer("epsilon_orders", epsilon_orders, 0)
    if jobs is not None:
        integer("jobs", jobs, 1)


def _check_work(table: Ratings, permutations: int, folds: int, epsilon_orders: int) -> None:
    """Refuse (one line) float curves beyond :data:`~persuasion.limits.MAX_HULL_CURVE_WORK` and a
    sup-norm curve beyond :data:`~persuasion.limits.MAX_HULL_EPSILON_WORK`."""
    N, items = len(table.models), len(table.target)
    work = permutations * folds * N**3
    if work > MAX_HULL_CURVE_WORK:
        raise InputError(
            table.source,
            f"{N} models x {permutations} orders x {folds} folds: permutations x folds x "
            f"models^3 = {work} > MAX_HULL_CURVE_WORK = {MAX_HULL_CURVE_WORK}; use fewer "
            "--permutations (or models)",
        )
    work = min(epsilon_orders, permutations) * N**2 * items
    if work > MAX_HULL_EPSILON_WORK:
        raise InputError(
            table.source,
            f"{N} models x {items} items x {epsilon_orders} epsilon orders: orders x models^2 x "
            f"items = {work} > MAX_HULL_EPSILON_WORK = {MAX_HULL_EPSILON_WORK}; use fewer "
            "--epsilon-orders (0: no curve; the pool's eps stays exact)",
        )


def _destinations(out, figures, instance_out, force):
    """The ``--out`` folder and the ``--instance-out`` file, checked before any work (``force``
    replaces either's files)."""
    folder = None if out is None else check_folder(out, OWNED, force)
    if figures and folder is not None:
        try:
            require(FIGURES)
        except MissingExtra as exc:
            raise InputError(f"--out {out}", f"{exc}; or add --no-figures") from None
    if instance_out is None:
        if force and out is None:
            raise InputError("--force", "only applies with --out or --instance-out")
        return folder, None
    return folder, checked_file(instance_out, force, "--instance-out", "pool.json")


def _curves(table: Ratings, settings: Settings, jobs: int | None, dask: str | None):
    """Every order's float curves: folds and orders drawn from the seed (folds first)."""
    rng = np.random.default_rng(settings.seed)
    k = settings.folds
    fold_data = make_folds(table.U, table.y, assign_folds(len(table.items), k, rng), k)
    orders = [rng.permutation(len(table.models)) for _ in range(settings.permutations)]
    from persuasion.api.common import dask_client

    with dask_client(dask, jobs) as client:
        return run_orders(
            table.U,
            table.y,
            fold_data,
            orders,
            min(settings.epsilon_orders, settings.permutations),
            jobs,
            client,
        )


def sup_norm(table: Ratings, simplex: bool) -> SupNormFit:
    """The full pool's exact sup-norm fit (one row of items: actions x states = 1 x items)."""
    columns = [[table.column(j)] for j in range(len(table.models))]
    fit = fit_alignment(columns, [table.target], simplex=simplex)
    return SupNormFit(simplex, fit.epsilon, fit.weights, fit.offset)


def _least_squares(table: Ratings):
    """The full pool's NNLS and simplex fits on every item, KKT-certified in rationals."""
    cells = len(table.items) * len(table.models)
    if cells > MAX_HULL_EXACT_CELLS:
        return None, None, f"not certified: {cells} cells > MAX_HULL_EXACT_CELLS"
    G, b, yy = gram(table.exact, table.target)
    Gf, bf = table.U.T @ table.U, table.U.T @ table.y
    certs = []
    for solver, simplex in ((nnls, False), (simplex_ls, True)):
        w = solver(Gf, bf)
        support = [int(i) for i in np.flatnonzero(w > 0)]
        certs.append(exact_fit(G, b, yy, len(table.items), support, simplex))
    missing = [name for name, c in zip(("nnls", "simplex"), certs, strict=True) if c is None]
    note = "certified" if not missing else f"not certified ({', '.join(missing)}): float support"
    return certs[0], certs[1], note


def _statistics(per_order) -> dict[str, tuple[tuple[float, float], ...]]:
    """Mean and sample sd over the orders, per key and K (sd 0 for one order, and where the
    orders differ only by rounding: at K = N every order fits the same pool)."""
    out = {}
    for key in per_order[0]:
        stack = np.array([curves[key] for curves in per_order if key in curves])
        sd = stack.std(axis=0, ddof=1) if len(stack) > 1 else np.zeros(stack.shape[1])
        sd[sd <= 1e-12 * np.maximum(1, np.abs(stack).max(axis=0))] = 0  # rounding, not spread
        out[key] = tuple((float(m), float(s)) for m, s in zip(stack.mean(axis=0), sd, strict=True))
    return out
