"""The ``persuasion hull`` command: parse, call :func:`persuasion.hull_audit.hull`, render."""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction
from typing import Any

_SHOWN_K = (1, 2, 5, 10, 20, 50, 100)
"""The K the text table shows (and N)."""

_SHORT = 40
"""Longest exact number the text shows in full."""


def add_hull(commands: Any) -> None:
    """Add the ``hull`` command to the command line's subparsers."""
    from persuasion import cli

    hull = commands.add_parser(
        "hull",
        help="audit a pool of models: is the target near the convex hull of their ratings?",
        description=(
            "Read a ratings table (CSV with a header: optional 'item' column, one column per "
            "model, one target column; or Parquet) and fit the target from the first K models, "
            "K = 1..N, along random orders: best single model, simple average, NNLS and "
            "simplex least squares (mean squared error, k-fold cross-validated, Appendix F) and "
            "the sup-norm error epsilon of Definition 1 that the theorems use. The full pool's "
            "epsilon is exact and certified; its least-squares fits are certified by exact KKT "
            "conditions on tables up to MAX_HULL_EXACT_CELLS cells."
        ),
        epilog="Exit status: 0 success; 2 bad input (one line naming the file and the cell)."
        + cli._LIMITS_EPILOG,
    )
    hull.add_argument("ratings", metavar="RATINGS", help="the ratings table (.csv or .parquet)")
    hull.add_argument(
        "--target", default="target", metavar="NAME", help="the target column (default target)"
    )
    hull.add_argument(
        "--scale",
        type=_scale,
        metavar="LO:HI",
        help="map every rating from [LO, HI] to [0, 1], exactly (for example 0:100)",
    )
    hull.add_argument(
        "--permutations",
        type=cli._integer(1),
        default=100,
        metavar="N",
        help="random orders of the models (default 100)",
    )
    hull.add_argument(
        "--folds", type=cli._integer(2), default=5, metavar="N", help="CV folds (default 5)"
    )
    cli._add_seed(hull, "integer >= 0 (default 0): the folds and the orders")
    hull.add_argument(
        "--epsilon-orders",
        type=cli._integer(0),
        default=10,
        metavar="N",
        help="compute the sup-norm epsilon curve on the first N orders (default 10; one LP per "
        "order and K)",
    )
    _add_output(hull, cli)
    hull.set_defaults(func=run)


def _add_output(hull, cli) -> None:
    cli._add_out(
        hull,
        "write DIR/curve.csv, weights.csv, hull.json and DIR/figures/*.png (DIR new or empty)",
        "curve.csv, weights.csv, hull.json and figures/error.png, sparsity.png, epsilon.png",
    )
    hull.add_argument("--no-figures", action="store_true", help="with --out, draw no figures")
    hull.add_argument(
        "--instance-out",
        metavar="FILE",
        help="write the pool as a persuasion-instance/1 game (items as states, the models "
        "with positive Definition 1 weight as senders, the target as Alice's), for "
        "'persuasion solve FILE'",
    )
    hull.add_argument(
        "--threshold",
        type=cli._rational(Fraction(-(10**9)), strict=False),
        metavar="Q",
        help="with --instance-out: Alice's value of passing, on the [0, 1] scale (default: "
        "the target's mean rating)",
    )
    hull.add_argument(
        "--jobs",
        type=cli._integer(1),
        default=None,
        metavar="N",
        help="worker processes (default: all cores); 1 runs in this process",
    )
    hull.add_argument(
        "--dask",
        type=cli._address,
        metavar="ADDRESS",
        help="run the orders on a Dask cluster (a scheduler address, or 'local'), as simulate",
    )
    cli._add_json(hull)


def _scale(text: str):
    from persuasion.hull_audit.table import parse_scale

    try:
        return parse_scale(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    """The ``hull`` command; exit status 0."""
    from persuasion import cli
    from persuasion.api.common import OptionError
    from persuasion.errors import InputError
    from persuasion.hull_audit import hull

    if args.threshold is not None and args.instance_out is None:
        raise InputError("--threshold", "only applies with --instance-out")
    try:
        result = _audit(args, hull)
    except OptionError as exc:  # a Dask scheduler that cannot be reached
        raise cli._LoadError(str(exc)) from None
    report = result.to_json()
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        sys.stdout.write(text(report) + "\n")
    return 0


def _audit(args: argparse.Namespace, hull):
    """``hull`` with the command's options."""
    return hull(
        args.ratings,
        target=args.target,
        scale=args.scale,
        permutations=args.permutations,
        folds=args.folds,
        seed=args.seed,
        epsilon_orders=args.epsilon_orders,
        jobs=args.jobs,
        dask=args.dask,
        out=args.out,
        figures=not args.no_figures,
        instance_out=args.instance_out,
        threshold=args.threshold,
        force=args.force,
    )


def text(report: dict) -> str:
    """The readable table of a ``hull`` report."""
    s, exact = report["settings"], report["exact"]
    d1, nn = exact["definition1"], exact["nonnegative"]
    lines = [
        f"pool: {len(report['models'])} models x {report['items']} items of {s['source']}, "
        f"target {s['target']!r}",
        f"epsilon (Definition 1, exact, certified): {_exact(d1['epsilon'])}; "
        f"offset {_exact(d1['offset'])}",
        f"epsilon (Remark 2, non-negative weights): {_exact(nn['epsilon'])}",
        f"least squares of the full pool: {exact['kkt_note']}",
    ]
    for name in ("nnls", "simplex"):
        fit = exact[name]
        if fit is not None:
            used = sum(1 for w in fit["weights"].values() if w != "0")
            lines.append(
                f"  {name}: MSE {float(Fraction(fit['mse'])):.6g} (exact), {used} models used"
            )
    lines += _curve_table(report, s)
    for key in ("instance", "out"):
        if report[key]:
            lines.append(f"wrote {report[key]}")
    return "\n".join(lines)


def _exact(text: str) -> str:
    """An exact number for reading: ``p/q ~ float``, or only the float (and where the exact
    number is) when ``p/q`` is longer than :data:`_SHORT` characters."""
    value = f"{float(Fraction(text)):.6g}"
    if text == value:
        return text
    if len(text) > _SHORT:
        return f"~ {value} (exact: {len(text)} characters, in --json)"
    return f"{text} ~ {value}"


def _curve_table(report: dict, s: dict) -> list[str]:
    """Test MSE (mean +- sd over the orders), sparsity and epsilon at a few K (floats)."""
    N = len(report["models"])
    shown = sorted({k for k in _SHOWN_K if k <= N} | {N})
    keys = ("best_test", "average_test", "nnls_test", "simplex_test")
    head = f"{'K':>4}" + "".join(f"{k.split('_')[0] + ' MSE':>22}" for k in keys)
    head += f"{'nnls>0':>8}{'simplex>0':>10}{'epsilon':>10}"
    lines = [
        f"float statistics over {s['permutations']} orders, {s['folds']}-fold CV "
        f"(mean +- sd; weights > {report['float']['sparsity_tolerance']:g}; epsilon over "
        f"{min(s['epsilon_orders'], s['permutations'])} orders):",
        head,
    ]
    rows = report["float"]["curve"]
    for K in shown:
        row = rows[K - 1]
        cells = "".join(f"{row[k + '_mean']:>12.4g} +- {row[k + '_sd']:<8.2g}" for k in keys)
        eps = f"{row['epsilon_mean']:>10.4g}" if "epsilon_mean" in row else f"{'-':>10}"
        sparsity = f"{row['nnls_nonzero_mean']:>8.1f}{row['simplex_nonzero_mean']:>10.1f}"
        lines.append(f"{K:>4}{cells}{sparsity}{eps}")
    return lines
