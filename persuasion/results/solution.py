"""What a solve computes: the benchmarks, the equilibrium found and the theorem's bound."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from persuasion.model import Instance, Scheme
from persuasion.numbers import fmt
from persuasion.results._display import Attained, Display, fractions_json, scheme_json
from persuasion.results.worst import EquilibriumSearch
from persuasion.results.play import Equilibrium

if TYPE_CHECKING:
    from persuasion.results.conversation_play import ConversationEquilibrium
    from persuasion.supremum import Optimality


@dataclass(frozen=True, repr=False)
class AlignmentResult(Display):
    """Weighted alignment (Definition 1) and its non-negative variant (Remark 2).

    Attributes
    ----------
    epsilon : Fraction
        The least alignment error ``max_{a,y} |sum_i w_i U_i(a,y) + c - u_A(a,y)|``
        with the weights ``w`` in the simplex.
    weights : tuple of Fraction
        Optimal weights ``w``, one per sender.
    offset : Fraction
        Optimal offset ``c``.
    nonnegative : AlignmentResult or None
        The same with any non-negative weights (Remark 2: the epsilon the
        bounds of Theorems 1 and 6 may use); None on that variant itself.
    """

    epsilon: Fraction
    weights: tuple[Fraction, ...]
    offset: Fraction
    nonnegative: AlignmentResult | None = None

    def to_json(self) -> dict[str, Any]:
        """``{"epsilon", "weights", "offset"}`` and, on the simplex variant, ``"nonnegative"``."""
        own = {"epsilon": fmt(self.epsilon), "weights": fractions_json(self.weights)}
        own["offset"] = fmt(self.offset)
        if self.nonnegative is not None:
            own["nonnegative"] = self.nonnegative.to_json()
        return own

    def _title(self) -> str:
        return "alignment (Definition 1)"

    def _rows(self) -> list[tuple[str, Any]]:
        rows = [("epsilon", self.epsilon), ("weights", self.weights), ("offset", self.offset)]
        if self.nonnegative is not None:
            rows += [
                ("nonnegative_epsilon", self.nonnegative.epsilon),
                ("nonnegative_weights", self.nonnegative.weights),
            ]
        return rows


@dataclass(frozen=True, repr=False)
class AlignedSender(Display):
    """Definition 8's benchmark: the best scheme of a sender whose utility is Alice's.

    Attributes
    ----------
    value : Fraction
        ``U_A(C*)``: Alice's utility under the aligned sender's optimal scheme.
    messages : int
        The aligned sender's number of messages (the most any sender has).
    attained : bool or None
        Whether ``value`` is attained under Alice's tie-break.
    optimality : {"exact", "milp-solver"}
        Whether ``value`` is proven exactly or is the MILP solver's claim.
    scheme : Scheme
        The aligned sender's optimal scheme (messages named ``"0"``, ``"1"``, ...).
    features : tuple of str
        The senders' feature names (the rows of :attr:`scheme`).
    """

    value: Fraction
    messages: int
    attained: Attained
    optimality: Optimality
    scheme: Scheme
    features: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The ``aligned`` object of ``persuasion solve --json``."""
        names = tuple(str(m) for m in range(self.messages))
        return {
            "value": fmt(self.value),
            "messages": self.messages,
            "attained": self.attained,
            "optimality": self.optimality,
            "scheme": scheme_json(self.features, names, self.scheme),
        }

    def _title(self) -> str:
        return "aligned sender (Definition 8)"

    def _rows(self) -> list[tuple[str, Any]]:
        return [("value", self.value), ("messages", self.messages), ("attained", self.attained)]


@dataclass(frozen=True, repr=False)
class Bound(Display):
    """The guarantee of the theorem that bounds the game (Theorem 1 or Theorem 6).

    Attributes
    ----------
    value : Fraction
        The bound ``U_A(C*) - 2 eps`` with the non-negative ``eps`` (Remark 2).
    epsilon : Fraction
        That ``eps``.
    holds : bool
        Whether Alice's utility at the profile found is at least :attr:`value`.
    exact_equilibrium : bool
        Whether that profile is an exact equilibrium (the theorems' hypothesis).
    theorem : str
        The theorem, with the section of the paper that proves it.
    formula : str
        The bound's formula.
    """

    value: Fraction
    epsilon: Fraction
    holds: bool
    exact_equilibrium: bool
    theorem: str
    formula: str

    def to_json(self) -> dict[str, Any]:
        """The ``bound`` object of ``persuasion solve --json``."""
        return {
            "value": fmt(self.value),
            "epsilon": fmt(self.epsilon),
            "holds": self.holds,
            "exact_equilibrium": self.exact_equilibrium,
            "theorem": self.theorem,
        }

    def _title(self) -> str:
        return f"{self.theorem}: {self.formula}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [("value", self.value), ("epsilon", self.epsilon), ("holds", self.holds)]


@dataclass(frozen=True)
class SolveParameters:
    """The parameters of a solve (:func:`persuasion.solve`), recorded in its :class:`Solution`.

    Attributes
    ----------
    order : {"round-robin", "random"}
        The order in which senders best-respond (``random``: drawn from ``seed``).
    seed : int
        Seeds every random choice.
    start : str
        Where the dynamics started: a name of :data:`persuasion.starts.AUTO`,
        ``"auto"`` (try them in turn; keep the first run that converges, else
        the smallest Nash gap) or ``"given profile"``.
    max_rounds : int
        The most rounds of the dynamics (every sender once per round).
    tolerance : Fraction
        The dynamics stop once the exact Nash gap is at most this (0: only at
        an exact equilibrium).
    eta : Fraction
        A reported best-response scheme comes within ``eta`` of an unattained supremum.
    step : Fraction
        The improvement step of games whose dynamics take one (best-AI selection).
    time_limit : float or None
        Seconds for the dynamics (None: no limit).
    patience : int or None
        The dynamics stop when this many rounds in a row each lower the
        smallest exact Nash gap by at most ``eta`` (None: never).
    route, set_search : str
        How every best response finds its supremum
        (:data:`persuasion.route_names.ROUTES`, :data:`~persuasion.route_names.SET_SEARCHES`).
    """

    order: Literal["round-robin", "random"]
    seed: int
    start: str
    max_rounds: int
    tolerance: Fraction
    eta: Fraction
    step: Fraction
    time_limit: float | None
    patience: int | None
    route: str
    set_search: str


@dataclass(frozen=True, repr=False)
class Solution(Display):
    """Everything ``persuasion solve`` computes: benchmarks, an equilibrium and the bound.

    Attributes
    ----------
    instance : Instance
        The instance solved.
    game : str
        The game played (a name of :data:`persuasion.games.GAMES`).
    first_best : Fraction
        OPT: Alice's best expected utility knowing everything (Definition 2).
    aligned : AlignedSender
        Definition 8's aligned sender and its optimal scheme (in a conversation a
        :class:`~persuasion.results.conversation_play.ConversationAligned`: its best
        conversation rule).
    alignment : AlignmentResult
        The alignment error, weights and offset (Definition 1; Remark 2's
        variant in ``alignment.nonnegative``).
    equilibrium : Equilibrium or ConversationEquilibrium
        The profile best-response dynamics found, judged exactly (in a conversation, a
        profile of conversation rules).
    bound : Bound
        The theorem's bound and whether Alice's utility meets it.
    parameters : SolveParameters
        The parameters used.
    equilibria : EquilibriumSearch or None
        With ``equilibrium="worst"``: every distinct exact equilibrium a
        multi-start search met and the worst for Alice; None otherwise.
    """

    instance: Instance
    game: str
    first_best: Fraction
    aligned: AlignedSender
    alignment: AlignmentResult
    equilibrium: Equilibrium | ConversationEquilibrium
    bound: Bound
    parameters: SolveParameters
    equilibria: EquilibriumSearch | None = None

    @property
    def aligned_value(self) -> Fraction:
        """``U_A(C*)`` (Definition 8): ``aligned.value``."""
        return self.aligned.value

    def to_json(self) -> dict[str, Any]:
        """Exactly what ``persuasion solve --json`` prints."""
        own = {
            "instance": self.instance.name,
            "first_best": fmt(self.first_best),
            "aligned_value": fmt(self.aligned_value),
            "aligned": self.aligned.to_json(),
            "alignment": self.alignment.to_json(),
            "equilibrium": self.equilibrium.to_json(),
            "bound": self.bound.to_json(),
        }
        if self.equilibria is not None:
            own["equilibria"] = self.equilibria.to_json()
        return own

    def _title(self) -> str:
        return f"{self.instance.name} ({self.game})"

    def _rows(self) -> list[tuple[str, Any]]:
        eq = self.equilibrium
        return [
            ("first_best", self.first_best),
            ("aligned_value", self.aligned_value),
            ("epsilon", self.alignment.epsilon),
            ("alice_utility", eq.alice_utility),
            ("nash_gap", eq.nash_gap),
            ("status", eq.status.value),
            ("bound", self.bound.value),
            ("bound_holds", self.bound.holds),
            ("theorem", self.bound.theorem),
        ]
