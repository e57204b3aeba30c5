"""What a search for Alice's worst equilibrium finds: every distinct exact equilibrium met, the
worst for Alice, whether full revelation is trivially an equilibrium, and the exact worst over a
restricted game (Definition 7; the bound of Theorems 1 and 6 at each)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from persuasion.model import Instance, Profile
from persuasion.numbers import fmt
from persuasion.results._display import Display, fractions_json


@dataclass(frozen=True, repr=False)
class FoundEquilibrium(Display):
    """An exact equilibrium the search met (Definition 7: exact Nash gap 0).

    Attributes
    ----------
    instance : Instance
        The instance played.
    profile : Profile
        The first profile met with this outcome.
    alice_utility : Fraction
        Alice's expected utility there.
    sender_utilities : tuple of Fraction
        Every sender's expected utility, in the instance's order.
    joint : tuple of tuple of Fraction
        The induced joint distribution of action (rows) and state (columns),
        Definition 5: equilibria are told apart by it.
    found_from : str
        The start whose dynamics first reached it (a named start, ``random K``,
        ``pure profile (...)``, ``move of SENDER from #N`` or ``restricted (...)``).
    times_found : int
        How many runs reached this outcome.
    bound_holds : bool
        Whether ``alice_utility`` is at least the bound of the game's theorem.
    """

    instance: Instance
    profile: Profile
    alice_utility: Fraction
    sender_utilities: tuple[Fraction, ...]
    joint: tuple[tuple[Fraction, ...], ...]
    found_from: str
    times_found: int
    bound_holds: bool

    def to_json(self) -> dict[str, Any]:
        """One entry of ``equilibria.found`` in ``persuasion solve --equilibrium worst --json``."""
        from persuasion.profile import dump_profile

        return {
            "alice_utility": fmt(self.alice_utility),
            "sender_utilities": fractions_json(self.sender_utilities),
            "nash_gap": "0",
            "bound_holds": self.bound_holds,
            "found_from": self.found_from,
            "times_found": self.times_found,
            "joint": [fractions_json(row) for row in self.joint],
            "profile": dump_profile(self.profile, self.instance),
        }

    def _title(self) -> str:
        return f"equilibrium found from {self.found_from}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("alice_utility", self.alice_utility),
            ("sender_utilities", self.sender_utilities),
            ("bound_holds", self.bound_holds),
            ("times_found", self.times_found),
        ]


@dataclass(frozen=True, repr=False)
class TrivialRevelation(Display):
    """Whether full revelation is an equilibrium because two or more senders can each reveal.

    When two senders can each reveal ``x_B`` (Remark 4), in the simultaneous
    game no single sender can change what Alice learns, so the revealing
    profile is an equilibrium whatever the utilities: the theorems' bound
    then says nothing about it.  Checked exactly: :attr:`nash_gap`.

    Attributes
    ----------
    revealers : tuple of str
        The senders with at least as many messages as values of ``x_B``.
    nash_gap : Fraction
        The revealing profile's exact Nash gap.
    explanation : str
        One line saying what holds and why.
    """

    revealers: tuple[str, ...]
    nash_gap: Fraction
    explanation: str

    @property
    def is_equilibrium(self) -> bool:
        """Whether the revealing profile's Nash gap is exactly 0."""
        return self.nash_gap == 0

    def to_json(self) -> dict[str, Any]:
        """The ``equilibria.trivial_revelation`` object."""
        return {
            "revealers": list(self.revealers),
            "nash_gap": fmt(self.nash_gap),
            "is_equilibrium": self.is_equilibrium,
            "explanation": self.explanation,
        }

    def _title(self) -> str:
        return "full revelation"

    def _rows(self) -> list[tuple[str, Any]]:
        return [("revealers", self.revealers), ("nash_gap", self.nash_gap)]


@dataclass(frozen=True, repr=False)
class RestrictedEquilibrium(Display):
    """A pure equilibrium of the restricted game, judged against every deviation of the full game.

    Attributes
    ----------
    instance : Instance
        The instance played.
    strategies : tuple of int
        The scheme each sender picks, an index into the restricted game's list.
    profile : Profile
        The schemes themselves.
    alice_utility : Fraction
        Alice's expected utility there.
    sender_utilities : tuple of Fraction
        Every sender's expected utility.
    full_nash_gap : Fraction
        The exact Nash gap against every scheme (Definition 7), not only the restricted ones.
    bound_holds : bool
        Whether ``alice_utility`` is at least the bound of the game's theorem.
    """

    instance: Instance
    strategies: tuple[int, ...]
    profile: Profile
    alice_utility: Fraction
    sender_utilities: tuple[Fraction, ...]
    full_nash_gap: Fraction
    bound_holds: bool

    @property
    def full_equilibrium(self) -> bool:
        """Whether it is also an equilibrium of the full game (:attr:`full_nash_gap` is 0)."""
        return self.full_nash_gap == 0

    def to_json(self) -> dict[str, Any]:
        """One entry of ``equilibria.restricted.equilibria``."""
        from persuasion.profile import dump_profile

        return {
            "strategies": list(self.strategies),
            "alice_utility": fmt(self.alice_utility),
            "sender_utilities": fractions_json(self.sender_utilities),
            "full_nash_gap": fmt(self.full_nash_gap),
            "full_equilibrium": self.full_equilibrium,
            "bound_holds": self.bound_holds,
            "profile": dump_profile(self.profile, self.instance),
        }

    def _title(self) -> str:
        return f"restricted pure equilibrium {self.strategies}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("alice_utility", self.alice_utility),
            ("full_nash_gap", self.full_nash_gap),
            ("full_equilibrium", self.full_equilibrium),
            ("bound_holds", self.bound_holds),
        ]


@dataclass(frozen=True, repr=False)
class RestrictedWorst(Display):
    """Every pure equilibrium of a restricted game (:mod:`persuasion.restricted`), and the worst.

    Exact over the restricted game: the worst is the worst for Alice among its
    *pure* equilibria, not among every equilibrium of the full game.

    Attributes
    ----------
    schemes : str
        ``"deterministic"`` or ``"grid 1/K"``.
    profiles : int
        The restricted game's number of pure profiles (all were examined).
    equilibria : tuple of RestrictedEquilibrium
        Every pure equilibrium, in Gambit's order of pure profiles.
    """

    schemes: str
    profiles: int
    equilibria: tuple[RestrictedEquilibrium, ...]

    @property
    def worst(self) -> RestrictedEquilibrium | None:
        """The pure equilibrium worst for Alice (the first on ties), None if there is none."""
        return min(self.equilibria, key=lambda e: e.alice_utility, default=None)

    def to_json(self) -> dict[str, Any]:
        """The ``equilibria.restricted`` object."""
        worst = self.worst
        return {
            "schemes": self.schemes,
            "profiles": self.profiles,
            "equilibria": [e.to_json() for e in self.equilibria],
            "worst": None if worst is None else self.equilibria.index(worst),
            "worst_alice_utility": None if worst is None else fmt(worst.alice_utility),
        }

    def _title(self) -> str:
        return f"restricted game ({self.schemes} schemes)"

    def _rows(self) -> list[tuple[str, Any]]:
        worst = self.worst
        return [
            ("profiles", self.profiles),
            ("pure_equilibria", len(self.equilibria)),
            ("worst_alice_utility", None if worst is None else worst.alice_utility),
        ]


@dataclass(frozen=True, repr=False)
class EquilibriumSearch(Display):
    """Every distinct exact equilibrium a multi-start search met, and the worst for Alice.

    The theorems (1 and 6) bound Alice's utility at *every* equilibrium; the
    worst one found is the one they are really about.  A search proves
    nothing about equilibria it did not meet: :attr:`restricted` decides the
    question exactly over a restricted game.

    Attributes
    ----------
    game : str
        The game played.
    theorem : str
        The theorem that bounds the game's equilibria.
    bound : Fraction
        Its bound ``U_A(C*) - 2 eps`` (non-negative ``eps``, Remark 2).
    found : tuple of FoundEquilibrium
        Every distinct equilibrium outcome met, in the order first met.
    runs : int
        The runs of best-response dynamics made.
    stop_reason : str
        Why the search stopped (every start tried, the start budget, the time limit).
    trivial_revelation : TrivialRevelation or None
        Present when two or more senders can each reveal ``x_B``.
    restricted : RestrictedWorst or None
        The exact worst over the restricted game asked for, if any.
    lower_bound : Fraction or None
        Alice's utility at every equilibrium is at least this, exactly (one sender in the
        simultaneous game: the worst point of the sender's optimal face, :mod:`persuasion.face`);
        when the worst found equals it, the worst found is Alice's worst equilibrium.
    """

    game: str
    theorem: str
    bound: Fraction
    found: tuple[FoundEquilibrium, ...]
    runs: int
    stop_reason: str
    trivial_revelation: TrivialRevelation | None
    restricted: RestrictedWorst | None
    lower_bound: Fraction | None = None

    @property
    def worst(self) -> FoundEquilibrium | None:
        """The equilibrium found that is worst for Alice (first met on ties), or None."""
        return min(self.found, key=lambda e: e.alice_utility, default=None)

    def to_json(self) -> dict[str, Any]:
        """The ``equilibria`` object of ``persuasion solve --equilibrium worst --json``."""
        worst = self.worst
        own: dict[str, Any] = {
            "theorem": self.theorem,
            "bound": fmt(self.bound),
            "runs": self.runs,
            "stop_reason": self.stop_reason,
            "found": [e.to_json() for e in self.found],
            "worst": None if worst is None else self.found.index(worst),
            "worst_alice_utility": None if worst is None else fmt(worst.alice_utility),
            "lower_bound": None if self.lower_bound is None else fmt(self.lower_bound),
        }
        if self.trivial_revelation is not None:
            own["trivial_revelation"] = self.trivial_revelation.to_json()
        if self.restricted is not None:
            own["restricted"] = self.restricted.to_json()
        return own

    def _title(self) -> str:
        return f"equilibrium search ({self.game})"

    def _rows(self) -> list[tuple[str, Any]]:
        worst = self.worst
        return [
            ("found", len(self.found)),
            ("worst_alice_utility", None if worst is None else worst.alice_utility),
            ("bound", self.bound),
            ("runs", self.runs),
        ]
