"""A sweep of best-response dynamics over generated instances, and its summary."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from persuasion.numbers import fmt
from persuasion.results._display import Display, cell


@dataclass(frozen=True, repr=False)
class SummaryRow(Display):
    """One (game, family) line of a sweep's summary (:func:`persuasion.simulate`).

    Attributes
    ----------
    game, family : str
        The game played and the instance family.
    runs, errors, converged, within_bound : int
        How many runs; how many failed; how many converged; how many of those
        met the bound ``U_A(C*) - 2 eps``.
    mean_epsilon : Fraction or None
        The mean non-negative alignment error over the runs that did not fail.
    mean_gap, max_gap : Fraction or None
        Mean and largest ``U_A(C*) - U_A`` over the converged runs.
    min_slack : Fraction or None
        The least ``U_A - bound`` over the converged runs (negative: the bound fails).
    mean_rounds : Fraction or None
        The mean number of rounds over the runs that did not fail.
    """

    game: str
    family: str
    runs: int
    errors: int
    converged: int
    within_bound: int
    mean_epsilon: Fraction | None
    mean_gap: Fraction | None
    max_gap: Fraction | None
    min_slack: Fraction | None
    mean_rounds: Fraction | None

    _COUNTS = ("runs", "errors", "converged", "within_bound")
    _EXACT = ("mean_epsilon", "mean_gap", "max_gap", "min_slack", "mean_rounds")

    @classmethod
    def from_json(cls, row: dict[str, str]) -> SummaryRow:
        """The row from its JSON form (counts as decimal strings, numbers ``"p/q"`` or ``""``)."""
        counts = {key: int(row[key]) for key in cls._COUNTS}
        exact = {key: Fraction(row[key]) if row[key] else None for key in cls._EXACT}
        return cls(game=row["game"], family=row["family"], **counts, **exact)

    def to_json(self) -> dict[str, str]:
        """The row of ``persuasion simulate --json``'s ``summary``: every value a string."""
        row = {"game": self.game, "family": self.family}
        row.update((key, str(getattr(self, key))) for key in self._COUNTS)
        for key in self._EXACT:
            value = getattr(self, key)
            row[key] = "" if value is None else fmt(value)
        return row

    def _title(self) -> str:
        return f"{self.game}, {self.family}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [(key, getattr(self, key)) for key in (*self._COUNTS, *self._EXACT)]


@dataclass(frozen=True)
class SweepParameters:
    """What a sweep plays (:func:`persuasion.simulate`), recorded in its :class:`SimulationResult`.

    Attributes
    ----------
    games : tuple of str
        Names of :data:`persuasion.games.GAMES`, each played on every instance.
    families : tuple of str
        Instance families (:data:`persuasion.experiments.names.FAMILIES`).
    runs : int
        Instances per family.
    seed : int
        Instance ``j`` of a family has seed ``seed + j``.
    senders, states, actions : tuple of int
        The size grid (every sender has ``states`` messages); instance ``j``
        has the ``j``-th size, cycling.
    starts : tuple of str
        Names of :data:`persuasion.starts.STARTS`: every instance is played
        from each.
    noise : Fraction
        The noisy family's noise bound (its ``eps <= noise``).
    max_rounds : int
        The most rounds of each run's dynamics.
    order : {"round-robin", "random"}
        The order in which senders best-respond.
    eta : Fraction
        A reported best-response scheme comes within ``eta`` of an unattained supremum.
    step : Fraction
        The improvement step of games whose dynamics take one (best-AI selection).
    """

    games: tuple[str, ...]
    families: tuple[str, ...]
    runs: int
    seed: int
    senders: tuple[int, ...]
    states: tuple[int, ...]
    actions: tuple[int, ...]
    starts: tuple[str, ...]
    noise: Fraction
    max_rounds: int
    order: Literal["round-robin", "random"]
    eta: Fraction
    step: Fraction

    def to_json(self) -> dict[str, Any]:
        """The settings as ``runs.json`` records them (the command line's option names)."""
        return {
            "game": list(self.games),
            "family": list(self.families),
            "runs": self.runs,
            "seed": self.seed,
            "senders": list(self.senders),
            "states": list(self.states),
            "actions": list(self.actions),
            "start": list(self.starts),
            "noise": fmt(self.noise),
            "max_rounds": self.max_rounds,
            "order": self.order,
            "eta": fmt(self.eta),
            "delta": fmt(self.step),
        }


@dataclass(frozen=True, repr=False)
class SimulationResult(Display):
    """A sweep of best-response dynamics over generated instances (``persuasion simulate``).

    Attributes
    ----------
    runs : int
        How many runs (instance, game, start) were played.
    instances : int
        How many instances were generated.
    summary : tuple of SummaryRow
        One row per (game, family).
    rows : tuple of tuple of (str, str)
        Every run, column by column as in ``runs.csv``
        (:data:`persuasion.experiments.runs.COLUMNS`).
    files : tuple of str
        The files written (with ``out``), else empty.
    parameters : SweepParameters
        What the sweep played.
    """

    runs: int
    instances: int
    summary: tuple[SummaryRow, ...]
    rows: tuple[tuple[tuple[str, str], ...], ...]
    files: tuple[str, ...]
    parameters: SweepParameters

    def to_json(self) -> dict[str, Any]:
        """Exactly what ``persuasion simulate --json`` prints."""
        return {
            "runs": self.runs,
            "instances": self.instances,
            "summary": [row.to_json() for row in self.summary],
            "files": list(self.files),
        }

    def _title(self) -> str:
        plural = "" if self.instances == 1 else "s"
        return f"sweep of {self.runs} runs on {self.instances} instance{plural}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            (
                f"{r.game}, {r.family}",
                f"{r.converged}/{r.runs} converged, min slack {cell(r.min_slack)}",
            )
            for r in self.summary
        ]
