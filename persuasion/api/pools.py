"""Synthetic pools of models (``persuasion pool``): Appendix H's random utility model, personas."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from persuasion.api.checks import integer, rational
from persuasion.results.pools import PoolResult


def pool(
    model: str = "random-utility",
    *,
    models: int = 20,
    items: int = 50,
    seed: int = 0,
    noise: Fraction = Fraction(1, 5),
    distribution: str = "uniform",
    denominator: int = 100,
    features: int = 3,
    bias: Fraction = Fraction(1, 10),
    shift: Fraction = Fraction(0),
    epsilon: Fraction = Fraction(1, 10),
    delta: Fraction = Fraction(1, 20),
    out: str | Path | None = None,
    force: bool = False,
) -> PoolResult:
    """Draw a pool of models' ratings from ``seed`` (``persuasion pool``): the same arguments give
    the same table, byte for byte; measure the simple average's and Definition 1's best fit's
    errors as models are added, beside Proposition 3's number of models.

    Parameters
    ----------
    model, models, items, seed, noise, distribution, denominator, features, bias, shift
        How the pool is drawn (:class:`persuasion.hull_audit.pools.PoolSpec`).
    epsilon, delta
        Proposition 3's tolerance and failure probability (``0 < delta < 1``).
    out, force
        Write the ratings table as CSV to the file ``out`` (atomically); an existing file only
        with ``force``.  Checked before any draw.

    Returns
    -------
    PoolResult

    Raises
    ------
    ValueError
        For an option out of range or not exact (a float), naming the option.
    InputError
        For an ``out`` that cannot be written.
    """
    from persuasion.hull_audit.pools import PoolSpec

    spec = PoolSpec(
        model=model,
        models=integer("models", models, 1),
        items=integer("items", items, 1),
        seed=integer("seed", seed, 0),
        noise=rational("noise", noise, Fraction(0), strict=False),
        distribution=distribution,
        denominator=integer("denominator", denominator, 1),
        features=integer("features", features, 1),
        bias=rational("bias", bias, Fraction(0), strict=False),
        shift=rational("shift", shift, Fraction(-1), strict=False),
    ).check()
    return _drawn(spec, epsilon, delta, out, force)


def _drawn(spec, epsilon, delta, out: str | Path | None, force: bool) -> PoolResult:
    """Check Proposition 3's parameters and ``out``, then draw the pool and measure its average."""
    from persuasion.hull_audit.pools import average_errors, best_errors, draw
    from persuasion.output import checked_file, write_text
    from persuasion.witnesses.analytic import hoeffding_agents

    epsilon = rational("epsilon", epsilon, Fraction(0), strict=True)
    delta = rational("delta", delta, Fraction(0), strict=True)
    agents, threshold = hoeffding_agents(spec.items, epsilon, delta)
    path = None if out is None else str(out)
    folder = checked_file(path, force, "--out", "pool.csv")
    drawn = draw(spec)
    errors = average_errors(drawn)
    if folder is not None:
        write_text(folder, drawn.to_csv().decode("ascii"), path, "--out")
    return PoolResult(
        spec=spec,
        pool=drawn,
        average_error=errors,
        best_error=best_errors(drawn),
        epsilon=epsilon,
        delta=delta,
        agents_needed=agents,
        threshold=threshold,
        reached=_reached(errors, epsilon),
        file=path,
    )


def _reached(errors: tuple[Fraction, ...], epsilon: Fraction) -> int | None:
    """The least ``K`` from which every average error up to ``N`` is at most ``epsilon``."""
    k = len(errors)
    while k > 0 and errors[k - 1] <= epsilon:
        k -= 1
    return k + 1 if k < len(errors) else None
