"""``persuasion hull --out DIR``: every number as CSV, and Figures 1-2 of the paper.

``curve.csv`` (one row per K: every float statistic, mean and sd over the orders),
``weights.csv`` (one row per model: its exact weight in each full-pool fit, ``"p/q"``),
``hull.json`` (the ``--json`` report) and, with matplotlib (the ``figures`` extra),
``figures/error.png`` (test MSE against K with +-1 sd bands, Figure 1),
``figures/sparsity.png`` (non-zero NNLS and simplex weights against K, Figure 2) and
``figures/epsilon.png`` (Definition 1's epsilon against K; not drawn when
``--epsilon-orders 0`` computes no epsilon curve).
"""

from __future__ import annotations

import csv
import io
import json

from persuasion.experiments.figures import _png, _private_config, _pyplot
from persuasion.hull_audit.fits import METHODS, SPARSITY_TOLERANCE
from persuasion.hull_audit.result import HullResult

FIGURES = ("figures/error.png", "figures/sparsity.png", "figures/epsilon.png")
OWNED = ("curve.csv", "weights.csv", "hull.json", *FIGURES)
"""Every name ``hull --out`` may write (``--force`` replaces exactly these)."""

_LABELS = {"best": "best single", "average": "simple average", "nnls": "NNLS", "simplex": "simplex"}


def _csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def files(result: HullResult, figures: bool = True) -> dict[str, bytes]:
    """The files of ``--out``, by owned name (figures only when ``figures``)."""
    report = result.to_json()
    exact = report["exact"]
    weights = []
    for model in result.models:
        row = {"model": model}
        for fit in ("definition1", "nonnegative", "nnls", "simplex"):
            row[fit] = "" if exact[fit] is None else exact[fit]["weights"][model]
        weights.append(row)
    out = {
        "curve.csv": _csv(report["float"]["curve"]),
        "weights.csv": _csv(weights),
        "hull.json": (json.dumps(report, indent=2) + "\n").encode("utf-8"),
    }
    if figures:
        with _private_config():
            out.update(_draw(result))
    return out


def _band(ax, K, values, label):
    mean = [m for m, _ in values]
    sd = [s for _, s in values]
    ax.plot(K, mean, label=label)
    ax.fill_between(
        K,
        [m - s for m, s in zip(mean, sd, strict=True)],
        [m + s for m, s in zip(mean, sd, strict=True)],
        alpha=0.2,
    )


def _draw(result: HullResult) -> dict[str, bytes]:
    """Figure 1 (test MSE), Figure 2 (sparsity) and epsilon, each against K, by file name;
    no epsilon figure when no order has the epsilon curve (``epsilon_orders=0``)."""
    plt = _pyplot()
    K = list(range(1, len(result.models) + 1))
    panels = (
        ([f"{m}_test" for m in METHODS], "test MSE (5-fold CV)", "Alignment error against K"),
        (["nnls_nonzero", "simplex_nonzero"], f"weights > {SPARSITY_TOLERANCE:g}", "Sparsity"),
        (["epsilon"], "epsilon (Definition 1, all items)", "Sup-norm error against K"),
    )
    images = {}
    for name, (keys, ylabel, title) in zip(FIGURES, panels, strict=True):
        if not all(key in result.curves for key in keys):
            continue
        fig, ax = plt.subplots(figsize=(6, 4))
        for key in keys:
            _band(ax, K, result.curves[key], _LABELS.get(key.split("_")[0], key))
        ax.set_xlabel("number of models K")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.legend()
        images[name] = _png(plt, fig)
    return images
