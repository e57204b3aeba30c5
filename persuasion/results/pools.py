"""A synthetic pool of models and Proposition 3's bound beside what its simple average achieves."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from persuasion.numbers import fmt
from persuasion.results._display import Display

if TYPE_CHECKING:  # the pool module draws with random, which a solve never loads
    from persuasion.hull_audit.pools import Pool, PoolSpec


@dataclass(frozen=True, repr=False)
class PoolResult(Display):
    """A pool drawn from a seed (``persuasion pool``, :func:`persuasion.pool`).

    Attributes
    ----------
    spec : PoolSpec
        How the pool was drawn (:class:`persuasion.hull_audit.pools.PoolSpec`).
    pool : Pool
        The ratings table (:class:`persuasion.hull_audit.pools.Pool`); ``pool.to_csv()`` is the
        file.
    average_error : tuple of Fraction
        For ``K = 1..N``: ``max_j |mean of the first K models' ratings of item j - target_j|``,
        Definition 1's error at uniform weights ``1/K`` and offset 0 (exact).
    best_error : tuple of (int, Fraction)
        ``(K, epsilon)`` for ``K = 1, 2, 4, ..., N``: Definition 1's exact minimal error of the
        first ``K`` models (weights in the simplex, any offset; an exact LP each); empty for a
        pool of more than ``MAX_FIT_CELLS`` ratings (:mod:`persuasion.hull_audit.pools`).
    epsilon, delta : Fraction
        The tolerance and failure probability of Proposition 3.
    agents_needed : int
        Proposition 3's number of models: the least ``k`` with ``k > (ln(2 M) - ln delta) / (2
        epsilon^2)``, the ``M`` items standing for the pairs ``(a, y)``.  Under the random
        utility model, ``k`` models' average is within ``epsilon`` with probability ``>= 1 -
        delta``.
    threshold : tuple of Fraction
        A rational enclosure ``[lo, hi]`` of ``(ln(2 M) - ln delta) / (2 epsilon^2)``.
    reached : int or None
        The least ``K`` from which the average error stays at most ``epsilon`` up to ``N`` (None:
        not even at ``N``).
    file : str or None
        The CSV file written (with ``out``), else None.
    """

    spec: PoolSpec
    pool: Pool
    average_error: tuple[Fraction, ...]
    best_error: tuple[tuple[int, Fraction], ...]
    epsilon: Fraction
    delta: Fraction
    agents_needed: int
    threshold: tuple[Fraction, Fraction]
    reached: int | None
    file: str | None

    def to_json(self) -> dict[str, Any]:
        """Exactly what ``persuasion pool --json`` prints."""
        return {
            **self.spec.to_json(),
            "average_error": [
                {"k": k, "epsilon": fmt(e)} for k, e in enumerate(self.average_error, start=1)
            ],
            "best_error": [{"k": k, "epsilon": fmt(e)} for k, e in self.best_error],
            "proposition_3": {
                "epsilon": fmt(self.epsilon),
                "delta": fmt(self.delta),
                "agents_needed": self.agents_needed,
                "threshold_interval": [fmt(v) for v in self.threshold],
            },
            "reached": self.reached,
            "file": self.file,
        }

    def _title(self) -> str:
        s = self.spec
        return f"{s.model} pool of {s.models} models x {s.items} items, seed {s.seed}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("average error, all models", self.average_error[-1]),
            ("best fit error, all models", self.best_error[-1][1] if self.best_error else None),
            ("epsilon", self.epsilon),
            ("delta", self.delta),
            ("Proposition 3: models needed", self.agents_needed),
            ("average within epsilon from K", self.reached),
            ("file", self.file),
        ]
