"""The typed, frozen result of ``persuasion hull`` / :func:`persuasion.hull_audit` and its JSON.

Exact numbers (the full pool's certified epsilon, weights and offset; the KKT-certified
least-squares fits) are ``"p/q"`` strings; the curves over K are float statistics
(mean and sample sd over the orders), under the key ``"float"`` to say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from persuasion.hull_audit.fits import SPARSITY_TOLERANCE
from persuasion.hull_audit.kkt import KKTCertificate
from persuasion.numbers import fmt

FORMAT = "persuasion-hull/1"
"""The ``format`` of the JSON report."""


@dataclass(frozen=True)
class Settings:
    """What was fitted: file, target column, scale, orders, folds, seed, sup-norm orders."""

    source: str
    target: str
    scale: tuple[Fraction, Fraction] | None
    permutations: int
    folds: int
    seed: int
    epsilon_orders: int

    def to_json(self) -> dict:
        """The ``settings`` object of the report."""
        scale = None if self.scale is None else f"{fmt(self.scale[0])}:{fmt(self.scale[1])}"
        return {**self.__dict__, "scale": scale}


@dataclass(frozen=True)
class SupNormFit:
    """Definition 1's exact optimum for the full pool: ``epsilon``, weights, offset ``c``;
    ``simplex=False`` is Remark 2's non-negative variant.  Certified by the LP's dual witness."""

    simplex: bool
    epsilon: Fraction
    weights: tuple[Fraction, ...]
    offset: Fraction

    def to_json(self, models) -> dict:
        """``{"epsilon", "offset", "weights": {model: "p/q"}}``."""
        return {
            "epsilon": fmt(self.epsilon),
            "offset": fmt(self.offset),
            "weights": {m: fmt(w) for m, w in zip(models, self.weights, strict=True)},
        }


def _kkt_json(cert: KKTCertificate | None, models) -> dict | None:
    if cert is None:
        return None
    return {
        "mse": fmt(cert.mse),
        "multiplier": fmt(cert.mu),
        "weights": {m: fmt(w) for m, w in zip(models, cert.weights, strict=True)},
    }


@dataclass(frozen=True)
class HullResult:
    """A pool's audit: settings, the exact full-pool fits, and the float curves over K.

    ``curves[key][K-1] = (mean, sd)`` over the orders, for ``key`` in ``best_test``,
    ``average_test``, ``nnls_test``, ``simplex_test`` (and ``_train``), ``nnls_nonzero``,
    ``simplex_nonzero`` (weights above :data:`SPARSITY_TOLERANCE`) and ``epsilon`` (Definition
    1's sup-norm error of the first K models, over the first ``epsilon_orders`` orders).
    ``nnls`` and ``simplex``: the full pool's least-squares fits on every item, certified
    exactly by their KKT conditions (None when not certified: ``kkt_note`` says why).
    ``instance`` and ``out``: the instance file and the folder written, if any.
    """

    settings: Settings
    models: tuple[str, ...]
    items: int
    definition1: SupNormFit
    nonnegative: SupNormFit
    nnls: KKTCertificate | None
    simplex: KKTCertificate | None
    kkt_note: str
    curves: dict[str, tuple[tuple[float, float], ...]]
    instance: str | None = None
    out: str | None = None

    def to_json(self) -> dict:
        """The report ``persuasion hull --json`` prints."""
        rows = []
        for K in range(1, len(self.models) + 1):
            row: dict = {"K": K}
            for key, values in self.curves.items():
                row[f"{key}_mean"], row[f"{key}_sd"] = values[K - 1]
            rows.append(row)
        return {
            "format": FORMAT,
            "settings": self.settings.to_json(),
            "items": self.items,
            "models": list(self.models),
            "exact": {
                "definition1": self.definition1.to_json(self.models),
                "nonnegative": self.nonnegative.to_json(self.models),
                "nnls": _kkt_json(self.nnls, self.models),
                "simplex": _kkt_json(self.simplex, self.models),
                "kkt_note": self.kkt_note,
            },
            "float": {"sparsity_tolerance": SPARSITY_TOLERANCE, "curve": rows},
            "instance": self.instance,
            "out": self.out,
        }
