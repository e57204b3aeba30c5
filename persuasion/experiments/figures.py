"""Figures of a sweep (matplotlib, Agg backend: no display needed).

- ``gap_by_family.png``: the distribution of ``U_A(C*) - Alice's utility``
  over the converged runs of every family, one panel per game.  Theorems 1
  and 6 (Sections C.2 and E.2) bound it by ``2 eps``; with the convex-hull
  condition (``hull``: ``eps = 0``) it is at most 0.
- ``gap_vs_epsilon.png``: the same gap against the non-negative alignment
  error ``eps`` (Definition 1, Remark 2), with the line ``gap = 2 eps``:
  every converged run under the theorems' hypotheses lies on or below it
  (converged runs are exact equilibria in both games).
- ``convergence.png``: the share of runs that converged and the rounds they
  took, per family and game.

Floats appear only here, for drawing; the numbers themselves are the exact
strings of ``runs.csv``.  Figures are drawn to bytes; the command line writes
them (:mod:`persuasion.output`).  Matplotlib keeps a font cache in its
configuration folder (``~/.cache/matplotlib`` by default): unless the user
set ``MPLCONFIGDIR``, :func:`draw_all` points it at a temporary folder that
is removed afterwards, so drawing writes nothing outside ``--out``.
matplotlib is the ``figures`` extra (``pip install 'persuasion[figures]'``);
without it :func:`draw_all` raises :class:`~persuasion.extras.MissingExtra`.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import tempfile
from fractions import Fraction

from persuasion.extras import FIGURES as FIGURES_EXTRA
from persuasion.extras import require
from persuasion.experiments.families import FAMILIES
from persuasion.experiments.names import FIGURES
from persuasion.games import GAMES

__all__ = ["draw_all"]

COLOURS = {"hull": "#1b9e77", "noisy": "#d95f02", "random": "#7570b3", "common": "#e7298a"}


def _pyplot():
    require(FIGURES_EXTRA)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _games(rows):
    """The games of ``rows``: those of the table in its order (:data:`persuasion.games.GAMES`),
    then any other by name."""
    order = list(GAMES)
    return sorted(
        {r["game"] for r in rows}, key=lambda g: (order.index(g) if g in GAMES else len(order), g)
    )


def _families(rows):
    present = {r["family"] for r in rows}
    return [f for f in FAMILIES if f in present] + sorted(present - set(FAMILIES))


def _converged(rows, game, family=None):
    return [
        r
        for r in rows
        if not r["error"]
        and r["converged"] == "true"
        and r["game"] == game
        and (family is None or r["family"] == family)
    ]


def _title(game: str) -> str:
    return GAMES[game].title if game in GAMES else game


def gap_by_family(rows) -> bytes:
    """Strip plot of ``U_A(C*) - Alice's utility`` per family, one panel per game."""
    plt = _pyplot()
    games, families = _games(rows), _families(rows)
    fig, axes = plt.subplots(
        1, len(games), figsize=(5.2 * len(games), 4.2), squeeze=False, sharey=True
    )
    jitter = random.Random(0)
    for ax, game in zip(axes[0], games, strict=True):
        for x, family in enumerate(families):
            gaps = [float(Fraction(r["gap"])) for r in _converged(rows, game, family)]
            xs = [x + jitter.uniform(-0.28, 0.28) for _ in gaps]
            ax.scatter(
                xs, gaps, s=14, alpha=0.55, color=COLOURS.get(family, "grey"), edgecolors="none"
            )
            if gaps:
                ax.plot([x - 0.35, x + 0.35], [max(gaps)] * 2, color="black", lw=1)
            total = sum(1 for r in rows if r["game"] == game and r["family"] == family)
            ax.annotate(
                f"{len(gaps)}/{total} conv.",
                (x, 0),
                xytext=(0, -30),
                textcoords="offset points",
                ha="center",
                fontsize=8,
                annotation_clip=False,
            )
        ax.axhline(0, color="grey", lw=0.8, ls=":")
        ax.set_xticks(range(len(families)), families)
        ax.set_xlim(-0.6, len(families) - 0.4)
        ax.set_title(_title(game), fontsize=10)
        ax.set_xlabel("family (bar: largest gap)", labelpad=18)
    return _finish(plt, fig, axes, "How far below the aligned benchmark Alice ends")


def _finish(plt, fig, axes, title: str) -> bytes:
    """Label the gap axis, title the figure, and render it."""
    axes[0][0].set_ylabel("U_A(C*) − Alice's utility (converged runs)")
    fig.suptitle(title, fontsize=11)
    return _png(plt, fig)


def _png(plt, fig) -> bytes:
    """The figure as PNG bytes; the figure is freed."""
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def gap_vs_epsilon(rows) -> bytes:
    """Scatter of the gap against ``eps`` with the line ``gap = 2 eps``."""
    plt = _pyplot()
    games, families = _games(rows), _families(rows)
    fig, axes = plt.subplots(
        1, len(games), figsize=(5.2 * len(games), 4.2), squeeze=False, sharey=True
    )
    for ax, game in zip(axes[0], games, strict=True):
        conv = _converged(rows, game)
        top = max([float(Fraction(r["epsilon"])) for r in conv] + [1e-3])
        for family in families:
            group = [r for r in conv if r["family"] == family]
            eps = [float(Fraction(r["epsilon"])) for r in group]
            gaps = [float(Fraction(r["gap"])) for r in group]
            above = sum(r["within_bound"] != "true" for r in group)
            label = f"{family} ({len(group)} runs, {above} above the bound)"
            ax.scatter(
                eps,
                gaps,
                s=16,
                alpha=0.55,
                color=COLOURS.get(family, "grey"),
                edgecolors="none",
                label=label,
            )
        ax.plot(
            [0, top * 1.05],
            [0, 2 * top * 1.05],
            color="black",
            lw=1,
            label="gap = 2ε (Theorem bound)",
        )
        ax.axhline(0, color="grey", lw=0.8, ls=":")
        highest = max([float(Fraction(r["gap"])) for r in conv] + [0.05])
        ax.set_ylim(
            min([float(Fraction(r["gap"])) for r in conv] + [0]) - 0.02 * highest, 1.6 * highest
        )
        ax.set_xlabel("ε (non-negative alignment error)")
        ax.set_title(_title(game), fontsize=10)
        ax.legend(fontsize=7, loc="upper right")
    return _finish(plt, fig, axes, "Gap to the aligned benchmark against the alignment error")


def convergence(rows) -> bytes:
    """Bars: share of runs converged per family and game; rounds of the converged runs."""
    plt = _pyplot()
    games, families = _games(rows), _families(rows)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    width = 0.8 / max(len(games), 1)
    for g, game in enumerate(games):
        shares, rounds = [], []
        for family in families:
            group = [r for r in rows if r["game"] == game and r["family"] == family]
            conv = _converged(rows, game, family)
            shares.append(len(conv) / len(group) if group else 0)
            rounds.append(sum(int(r["rounds"]) for r in conv) / len(conv) if conv else 0)
        xs = [x - 0.4 + width * (g + 0.5) for x in range(len(families))]
        left.bar(xs, shares, width, label=game, alpha=0.8)
        right.bar(xs, rounds, width, label=game, alpha=0.8)
    for ax, label in ((left, "share of runs converged"), (right, "mean rounds (converged runs)")):
        ax.set_xticks(range(len(families)), families)
        ax.set_ylabel(label)
    left.set_ylim(0, 1.15)
    left.legend(fontsize=8, loc="upper center", ncol=len(games))
    right.set_ylim(0, 1.3 * right.get_ylim()[1])
    right.legend(fontsize=8, loc="upper center", ncol=len(games))
    fig.suptitle("Convergence of best-response dynamics", fontsize=11)
    return _png(plt, fig)


@contextlib.contextmanager
def _private_config():
    """Matplotlib's configuration and cache folder: the user's ``MPLCONFIGDIR``, else a temporary
    one."""
    if "MPLCONFIGDIR" in os.environ:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="persuasion-matplotlib-") as folder:
        os.environ["MPLCONFIGDIR"] = folder
        try:
            yield
        finally:
            del os.environ["MPLCONFIGDIR"]


def draw_all(rows) -> dict[str, bytes]:
    """Every figure of the sweep as PNG bytes, by file name
    (:data:`~persuasion.experiments.names.FIGURES`)."""
    with _private_config():
        return dict(
            zip(
                FIGURES, (gap_by_family(rows), gap_vs_epsilon(rows), convergence(rows)), strict=True
            )
        )
