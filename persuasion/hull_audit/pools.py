"""Synthetic pools of models: ratings tables drawn from a seed, exact on a grid (issue 12, point 4).

A pool is ``N`` models' ratings of ``M`` items and the user's (Alice's) rating of
each item, the target; every rating is a multiple of ``1 / denominator`` in
``[0, 1]``, written as an exact decimal, so the table is exact.  Two models:

``random-utility``
    Appendix H's random utility model.  The target ``t_j`` is drawn on the grid
    in ``[noise, 1 - noise]``; model ``i`` rates item ``j`` as ``U_ij = t_j +
    n_ij`` with independent noise ``n_ij`` of mean exactly 0 and ``|n_ij| <=
    noise``: uniform on the grid points of ``[-noise, noise]`` (``uniform``), or
    ``+-noise`` with probability 1/2 each (``two-point``, Hoeffding's worst
    case).  So ``E[U_ij] = t_j`` and ``U_ij`` lies in ``[0, 1]``, as
    Proposition 3 assumes, and the simple average tends to the target.
``persona``
    Systematic biases.  Item ``j`` has ``features`` binary features ``x_jf``
    (say "violent", "comedic"); persona ``i`` has a bias ``b_if`` per feature,
    drawn on the grid in ``[shift - bias, shift + bias]``, and rates ``U_ij =
    clip(t_j + sum_f b_if x_jf + n_ij)``, clipped to ``[0, 1]``, with the
    noise above and the target drawn on the grid in ``[0, 1]``.  With
    ``shift = 0`` the biases cancel on average; with ``|shift| > bias`` every
    persona leans the same way on every feature, no weighting cancels the lean
    and the hull condition (Definition 1) fails.

Every draw comes from :class:`random.Random` seeded with a string built from the
model, the sizes and the seed, so the same options give the same bytes on every
machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from persuasion.numbers import fmt

__all__ = [
    "DISTRIBUTIONS",
    "MODELS",
    "Pool",
    "PoolSpec",
    "SAMPLES",
    "average_errors",
    "best_errors",
    "checkpoints",
    "decimal",
    "draw",
    "sample",
]

MODELS = ("random-utility", "persona")
"""The generative models of a pool."""

DISTRIBUTIONS = ("uniform", "two-point")
"""The noise distributions of the random utility model."""

MAX_POOL_CELLS = 1_000_000
"""Most ratings (models x items) a synthetic pool may have."""

MAX_FIT_CELLS = 100_000
"""Most ratings for which :func:`best_errors` solves Definition 1's exact LPs (100 models x 1,000
items take about 2 s); beyond, ``persuasion hull`` fits the table."""


@dataclass(frozen=True)
class PoolSpec:
    """How a pool is drawn (the options of ``persuasion pool``); see the module's docstring.

    Attributes
    ----------
    model : {"random-utility", "persona"}
        The generative model.
    models, items : int
        How many models (columns) and items (rows).
    seed : int
        The seed of every draw.
    noise : Fraction
        The bound on each rating's noise, a multiple of ``1 / denominator`` in ``[0, 1/2]``
        (``random-utility`` at ``1/2``: every target is ``1/2``, a table ``hull`` refuses).
    distribution : {"uniform", "two-point"}
        The noise's distribution.
    denominator : int
        Every rating is a multiple of ``1 / denominator``: ``2^a 5^b``, so it is an exact decimal.
    features : int
        ``persona``: binary features per item.
    bias, shift : Fraction
        ``persona``: each bias is drawn in ``[shift - bias, shift + bias]`` (multiples of ``1 /
        denominator``).
    """

    model: str = "random-utility"
    models: int = 20
    items: int = 50
    seed: int = 0
    noise: Fraction = Fraction(1, 5)
    distribution: str = "uniform"
    denominator: int = 100
    features: int = 3
    bias: Fraction = Fraction(1, 10)
    shift: Fraction = Fraction(0)

    def check(self) -> PoolSpec:
        """This spec, once every value is usable; else ValueError naming the option."""
        if self.model not in MODELS:
            raise ValueError(f"model must be one of {', '.join(MODELS)}, not {self.model!r}")
        if self.distribution not in DISTRIBUTIONS:
            raise ValueError(
                f"distribution must be one of {', '.join(DISTRIBUTIONS)}, not {self.distribution!r}"
            )
        for name in ("models", "items", "denominator", "features"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, not {getattr(self, name)}")
        if self.models * self.items > MAX_POOL_CELLS:
            raise ValueError(
                f"models x items = {self.models * self.items} ratings is more than "
                f"MAX_POOL_CELLS = {MAX_POOL_CELLS} (persuasion.hull_audit.pools)"
            )
        rest = self.denominator
        for p in (2, 5):
            while rest % p == 0:
                rest //= p
        if rest != 1:
            raise ValueError(
                "denominator must be 2^a 5^b (so ratings are exact decimals), "
                f"not {self.denominator}"
            )
        for name in ("noise", "bias", "shift"):
            if (getattr(self, name) * self.denominator).denominator != 1:
                raise ValueError(f"{name} must be a multiple of 1/{self.denominator}")
        if not 0 <= self.noise <= Fraction(1, 2):
            raise ValueError(f"noise must be in [0, 1/2], not {self.noise}")
        if self.bias < 0 or abs(self.shift) + self.bias > 1:
            raise ValueError("bias must be >= 0 and |shift| + bias <= 1")
        return self

    def to_json(self) -> dict[str, Any]:
        """The spec as ``persuasion pool --json`` records it (the command line's option names)."""
        spec = {"model": self.model, "models": self.models, "items": self.items}
        spec.update(seed=self.seed, noise=fmt(self.noise), distribution=self.distribution)
        spec["denominator"] = self.denominator
        if self.model == "persona":
            spec.update(features=self.features, bias=fmt(self.bias), shift=fmt(self.shift))
        return spec


@dataclass(frozen=True)
class Pool:
    """A ratings table: ``ratings[i][j]`` is model ``i``'s rating of item ``j``, ``target[j]``
    the user's; every number exact in ``[0, 1]``."""

    items: tuple[str, ...]
    models: tuple[str, ...]
    ratings: tuple[tuple[Fraction, ...], ...]
    target: tuple[Fraction, ...]

    def to_csv(self) -> bytes:
        """The table as CSV (the ratings table ``persuasion hull`` reads): a header ``item, <one
        column per model>, target``, then one row per item; exact decimals, ``\\n`` line ends."""
        lines = [",".join(("item", *self.models, "target"))]
        for j, item in enumerate(self.items):
            row = [decimal(column[j]) for column in self.ratings]
            lines.append(",".join((item, *row, decimal(self.target[j]))))
        return ("\n".join(lines) + "\n").encode("ascii")


def decimal(q: Fraction) -> str:
    """``q`` as an exact decimal string (its denominator must be ``2^a 5^b``): ``0.35``, ``1``."""
    places = 0
    while (q * 10**places).denominator != 1:
        places += 1
    if places == 0:
        return str(q.numerator)
    digits = str(abs(q.numerator * 10**places // q.denominator)).rjust(places + 1, "0")
    sign = "-" if q < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def _grid(rng: random.Random, low: Fraction, high: Fraction, denominator: int) -> Fraction:
    """A uniform draw among the multiples of ``1 / denominator`` in ``[low, high]``."""
    return Fraction(rng.randint(int(low * denominator), int(high * denominator)), denominator)


def _noise(rng: random.Random, spec: PoolSpec) -> Fraction:
    """One noise draw: mean exactly 0, at most ``spec.noise`` in absolute value."""
    if spec.distribution == "two-point":
        return spec.noise if rng.randrange(2) else -spec.noise
    return _grid(rng, -spec.noise, spec.noise, spec.denominator)


def _names(prefix: str, n: int) -> tuple[str, ...]:
    width = len(str(n))
    return tuple(f"{prefix}{k + 1:0{width}d}" for k in range(n))


def draw(spec: PoolSpec) -> Pool:
    """The pool ``spec`` describes (deterministic in ``spec``; ValueError for a bad spec)."""
    s = spec.check()
    rng = random.Random(f"persuasion/pool/{s.model}/{s.models}x{s.items}/{s.seed}")
    d = s.denominator
    if s.model == "random-utility":
        target = tuple(_grid(rng, s.noise, 1 - s.noise, d) for _ in range(s.items))
        ratings = tuple(tuple(t + _noise(rng, s) for t in target) for _ in range(s.models))
        return Pool(_names("item", s.items), _names("model", s.models), ratings, target)
    target = tuple(_grid(rng, Fraction(0), Fraction(1), d) for _ in range(s.items))
    features = [[rng.randint(0, 1) for _ in range(s.features)] for _ in range(s.items)]
    ratings = []
    for _ in range(s.models):
        biases = [_grid(rng, s.shift - s.bias, s.shift + s.bias, d) for _ in range(s.features)]
        ratings.append(
            tuple(
                min(Fraction(1), max(Fraction(0), t + _lean(biases, x) + _noise(rng, s)))
                for t, x in zip(target, features, strict=True)
            )
        )
    return Pool(_names("item", s.items), _names("persona", s.models), tuple(ratings), target)


def _lean(biases: list[Fraction], features: list[int]) -> Fraction:
    return sum((b for b, x in zip(biases, features, strict=True) if x), Fraction(0))


def average_errors(pool: Pool) -> tuple[Fraction, ...]:
    """For ``K = 1..N``: the sup-norm error ``max_j |mean_{i <= K} U_ij - t_j|`` of the simple
    average of the first ``K`` models -- Definition 1's error at uniform weights ``1/K`` and
    offset 0, the fit Proposition 3 bounds."""
    sums = [Fraction(0)] * len(pool.items)
    errors = []
    for k, column in enumerate(pool.ratings, start=1):
        sums = [s + u for s, u in zip(sums, column, strict=True)]
        errors.append(max(abs(s / k - t) for s, t in zip(sums, pool.target, strict=True)))
    return tuple(errors)


SAMPLES = {
    "random-utility-20x50.csv": PoolSpec(),
    "persona-10x40.csv": PoolSpec(
        model="persona", models=10, items=40, noise=Fraction(1, 20), bias=Fraction(1, 10),
        shift=Fraction(3, 20),
    ),
}  # fmt: skip
"""The sample ratings tables shipped in ``persuasion/hull_audit/samples/`` (:func:`sample`), by file
name: Appendix H's model with the default options, where the average converges; and ten personas
that all lean the same way (``shift > bias``), where the hull condition fails."""


def sample(name: str) -> Path:
    """The path of the shipped sample ratings table ``name`` (a key of :data:`SAMPLES`)."""
    if name not in SAMPLES:
        raise ValueError(f"no sample {name!r} (choose from {', '.join(SAMPLES)})")
    return Path(__file__).parent / "samples" / name


def checkpoints(n: int) -> tuple[int, ...]:
    """The numbers of models a report shows: ``1, 2, 4, ...`` and ``n``."""
    return tuple(sorted({min(1 << j, n) for j in range(n.bit_length() + 1)}))


def best_errors(pool: Pool) -> tuple[tuple[int, Fraction], ...]:
    """Definition 1's exact minimal ``epsilon`` (weights in the simplex, any offset) of the first
    ``K`` models, for ``K`` in :func:`checkpoints` (each item one pair ``(a, y)``); empty beyond
    :data:`MAX_FIT_CELLS` ratings."""
    from persuasion.weighted_alignment import fit_alignment

    if len(pool.models) * len(pool.items) > MAX_FIT_CELLS:
        return ()
    rows = [(ratings,) for ratings in pool.ratings]
    return tuple(
        (k, fit_alignment(rows[:k], (pool.target,)).epsilon) for k in checkpoints(len(pool.models))
    )
