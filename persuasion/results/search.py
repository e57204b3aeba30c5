"""A counterexample search (:func:`persuasion.search`): the extreme instance found, minimised."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from persuasion.model import Instance, Profile
from persuasion.numbers import fmt
from persuasion.results._display import Display

if TYPE_CHECKING:
    from persuasion.api.worst import SearchBudget


def _size(size: tuple[int, ...]) -> dict[str, int] | None:
    """``{"senders", "states", "actions"}``, or None when nothing was found."""
    return dict(zip(("senders", "states", "actions"), size, strict=True)) if size else None


@dataclass(frozen=True, repr=False)
class SearchResult(Display):
    """What ``persuasion search`` found (:func:`persuasion.search`).

    Attributes
    ----------
    property : str
        The property searched (a name of :data:`persuasion.counterexamples.PROPERTIES` or
        ``module:function``).
    seed, budget : int
        The search's seed and evaluation budget.
    restarts, restarts_done : int
        Restarts the budget buys, and how many have finished (fewer when the time limit
        stopped the search: ``complete`` is then False and ``resume`` continues it).
    complete : bool
        Whether every restart has finished.
    score : Fraction or None
        The best score found (None: nothing found); for the minimised instance, at least the
        score found (``keep="extreme"``) or positive (``keep="positive"``).
    found_score : Fraction or None
        The score of the best instance before minimisation.
    numbers : tuple of (str, Fraction)
        The exact numbers behind the score on the minimised instance (e.g. ``ratio``, ``gap``,
        ``epsilon``, ``first_best``).
    instance : Instance or None
        The minimised instance.
    profile : Profile or None
        Its equilibrium (for properties about one).
    size, found_size : tuple of int
        Senders, states, actions of the minimised instance, and of the one found (empty when
        nothing was found).
    claim : str
        The certificate's claim (``theorem-7``, ``theorem-1``, ``theorem-6``).
    files : tuple of str
        Files written into the output folder.
    polished : bool or None
        None unless ``polish`` was asked; then whether the exact LP's proposal was confirmed by
        the engine and replaced the minimised finding (:mod:`persuasion.counterexamples.polish`).
    worst : SearchBudget or None
        The per-evaluation budget of the worst-equilibrium search the score is over (None: the
        first equilibrium the dynamics reach; :mod:`persuasion.counterexamples.choice`).
    minimised : bool
        False when the time limit stopped minimisation: the instance is the last simpler one it
        accepted, not necessarily the smallest.
    """

    property: str
    seed: int
    budget: int
    restarts: int
    restarts_done: int
    complete: bool
    score: Fraction | None
    found_score: Fraction | None
    numbers: tuple[tuple[str, Fraction], ...]
    instance: Instance | None
    profile: Profile | None
    size: tuple[int, ...]
    found_size: tuple[int, ...]
    claim: str
    files: tuple[str, ...] = ()
    polished: bool | None = None
    worst: SearchBudget | None = None
    minimised: bool = True

    def _title(self) -> str:
        return f"search for {self.property}"

    def _rows(self) -> list[tuple[str, Any]]:
        rows = [
            ("score", self.score),
            ("restarts", f"{self.restarts_done}/{self.restarts}"),
            ("size", "x".join(map(str, self.size)) or "none"),
        ]
        return rows if self.worst is None else [*rows, ("equilibrium", "worst")]

    def to_json(self) -> dict[str, Any]:
        """The object ``persuasion search --json`` prints (exact numbers as ``"p/q"`` strings)."""

        def exact(value: Fraction | None) -> str | None:
            return None if value is None else fmt(value)

        return {
            "property": self.property,
            "seed": self.seed,
            "budget": self.budget,
            "restarts": self.restarts,
            "restarts_done": self.restarts_done,
            "complete": self.complete,
            "score": exact(self.score),
            "found_score": exact(self.found_score),
            "numbers": {name: fmt(value) for name, value in self.numbers},
            "size": _size(self.size),
            "found_size": _size(self.found_size),
            "claim": self.claim,
            "files": list(self.files),
            "polished": self.polished,
            "equilibrium": "first" if self.worst is None else "worst",
            "worst_budget": None if self.worst is None else self.worst.to_json(),
            "minimised": self.minimised,
        }
