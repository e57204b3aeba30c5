"""The typed results of the front door (:mod:`persuasion.api`): what a user gets back.

Every result is a frozen dataclass of exact numbers (:class:`fractions.Fraction`)
with documented attributes, whose :meth:`to_json` is exactly the object the
command line prints with ``--json`` (exact numbers as ``"p/q"`` strings, SPEC
section 4), so the two never drift.  Each has a short ``repr`` and, for
notebooks, ``_repr_markdown_`` and ``_repr_html_`` (a small table of the key
numbers).  Status-like fields are enumerations (:class:`Status`) or
:data:`typing.Literal` types.

This module imports no solver: results are built by :mod:`persuasion.api`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from persuasion.model import Instance, Profile, Scheme
from persuasion.numbers import fmt

if TYPE_CHECKING:  # Literal types of the solver's records, for annotations only
    from persuasion.supremum import Method, Optimality

__all__ = [
    "AlignedSender",
    "AlignmentResult",
    "BestResponseResult",
    "Bound",
    "Certification",
    "CheckResult",
    "Claim",
    "Deviation",
    "Equilibrium",
    "Selection",
    "SimulationResult",
    "Solution",
    "SolveParameters",
    "Status",
    "SummaryRow",
    "SweepParameters",
    "Verification",
]


class Status(StrEnum):
    """Why best-response dynamics stopped (:attr:`Equilibrium.status`).

    A :class:`enum.StrEnum`: each member equals its JSON text (``Status.CYCLE ==
    "cycle"``).  The members are tested in this order by the dynamics
    (:func:`persuasion.equilibrium.best_response_dynamics`).
    """

    CONVERGED = "converged"
    """The exact Nash gap is within the tolerance (0 by default: an exact equilibrium)."""
    NO_IMPROVEMENT = "no-improvement"
    """A round changed nothing: the remaining gains are suprema no scheme attains."""
    CYCLE = "cycle"
    """The dynamics came back to a profile met before."""
    STALLED = "stalled"
    """``patience`` rounds in a row each lowered the smallest gap met by ``eta`` at most."""
    MAX_ROUNDS = "max-rounds"
    """The round limit was reached."""
    TIME_LIMIT = "time-limit"
    """The time limit passed; the best profile met is reported."""
    STEP_CONVERGED = "step-converged"
    """Best-AI selection: no sender gains by a step, but the exact Nash gap is positive."""


Attained = bool | None
"""Whether some scheme reaches a supremum (None: undecided, only when a MILP chose the set)."""


# ---------------------------------------------------------------- display


def _text(value: Any) -> str:
    """A value as a table cell: a Fraction as ``p/q``, a sequence as ``(a, b)``."""
    if isinstance(value, Fraction):
        return fmt(value)
    if isinstance(value, tuple | list):
        return "(" + ", ".join(_text(v) for v in value) + ")"
    if value is None:
        return "-"
    return str(value)


class _Display:
    """Notebook renderings from :meth:`_rows`: a two-column table of labels and values."""

    def _title(self) -> str:
        raise NotImplementedError

    def _rows(self) -> list[tuple[str, Any]]:
        raise NotImplementedError

    def _repr_markdown_(self) -> str:
        def cell(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        lines = [f"**{cell(self._title())}**", "", "| | |", "|---|---|"]
        lines += [f"| {cell(label)} | {cell(_text(value))} |" for label, value in self._rows()]
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        from html import escape

        rows = "".join(
            f"<tr><th>{escape(label)}</th><td>{escape(_text(value))}</td></tr>"
            for label, value in self._rows()
        )
        return f"<table><caption>{escape(self._title())}</caption>{rows}</table>"

    def __repr__(self) -> str:
        facts = ", ".join(f"{label}={_text(value)}" for label, value in self._rows()[:8])
        return f"<{type(self).__name__} {self._title()}: {facts}>"


def _scheme_json(features: tuple[str, ...], messages: tuple[str, ...], scheme: Scheme) -> dict:
    from persuasion.profile import dump_scheme

    return dump_scheme(features, messages, scheme)


def _fractions(values: tuple[Fraction, ...]) -> list[str]:
    return [fmt(v) for v in values]


# ---------------------------------------------------------------- best responses


@dataclass(frozen=True, repr=False)
class BestResponseResult(_Display):
    """A sender's exact best response to the other senders' schemes (SPEC section 1).

    Attributes
    ----------
    sender : str
        The sender's name.
    value : Fraction
        The supremum of the sender's expected utility over every scheme.
    attained : bool or None
        Whether some scheme reaches ``value`` under Alice's tie-break (None:
        not decided, only when a MILP chose the set of response vectors).
    achieved : Fraction
        The actual value of :attr:`scheme` (``value`` when attained, else at
        least ``value - eta``).
    route : str
        How the inducible response vectors were found
        (:data:`persuasion.route_names.ROUTES`, or ``"not-selected"``).
    method : str
        How the set of response vectors was chosen
        (:data:`persuasion.supremum.Method`).
    optimality : {"exact", "milp-solver"}
        Whether ``value`` is proven exactly or is the MILP solver's claim.
    scheme : Scheme
        The scheme returned, ``pi(m | x_B)``: one row per sender feature, one
        column per message of the sender.
    messages_used : int
        How many of the sender's messages the scheme uses.
    features : tuple of str
        The senders' feature names (the rows of :attr:`scheme`).
    messages : tuple of str
        The sender's message names (the columns of :attr:`scheme`).
    """

    sender: str
    value: Fraction
    attained: Attained
    achieved: Fraction
    route: str
    method: Method
    optimality: Optimality
    scheme: Scheme
    messages_used: int
    features: tuple[str, ...]
    messages: tuple[str, ...]

    @property
    def shortfall(self) -> Fraction:
        """``value - achieved``: how far :attr:`scheme` is from the supremum."""
        return self.value - self.achieved

    def _fields_json(self) -> dict[str, Any]:
        return {
            "best_value": fmt(self.value),
            "attained": self.attained,
            "achieved": fmt(self.achieved),
            "shortfall": fmt(self.shortfall),
            "route": self.route,
            "method": self.method,
            "optimality": self.optimality,
            "messages_used": self.messages_used,
        }

    def to_json(self) -> dict[str, Any]:
        """``{"sender", "best_value", "attained", ..., "messages_used", "scheme"}``."""
        return {
            "sender": self.sender,
            **self._fields_json(),
            "scheme": _scheme_json(self.features, self.messages, self.scheme),
        }

    def _title(self) -> str:
        return f"best response of {self.sender}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("value", self.value),
            ("attained", self.attained),
            ("achieved", self.achieved),
            ("messages_used", self.messages_used),
            ("route", self.route),
            ("optimality", self.optimality),
        ]


@dataclass(frozen=True, repr=False)
class Deviation(_Display):
    """A sender's current utility at a profile and their best deviation from it (Definition 7).

    Attributes
    ----------
    sender : str
        The sender's name.
    value : Fraction
        The sender's utility at the profile.
    best : BestResponseResult
        The sender's best response to the other senders' schemes.
    """

    sender: str
    value: Fraction
    best: BestResponseResult

    @property
    def gain(self) -> Fraction:
        """``best.value - value`` (never negative: keeping the scheme is a deviation)."""
        return self.best.value - self.value

    def to_json(self) -> dict[str, Any]:
        """The deviation as ``solve`` and ``verify`` print it."""
        return {
            "sender": self.sender,
            "value": fmt(self.value),
            **self.best._fields_json(),
            "gain": fmt(self.gain),
            "scheme": _scheme_json(self.best.features, self.best.messages, self.best.scheme),
        }

    def _title(self) -> str:
        return f"deviation of {self.sender}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [("value", self.value), ("best_value", self.best.value), ("gain", self.gain)]


# ---------------------------------------------------------------- a profile's play


@dataclass(frozen=True, repr=False)
class Selection(_Display):
    """Alice's choice in the best-AI selection game (Definition 16, steps 2-3).

    Attributes
    ----------
    alice_values : tuple of Fraction
        ``U_A(C_j)`` for every sender ``j``: what each scheme alone is worth to Alice.
    selected : str
        The sender Alice talks to: the highest value, the lowest index on ties.
    """

    alice_values: tuple[Fraction, ...]
    selected: str

    def to_json(self) -> dict[str, Any]:
        """``{"alice_values": [...], "selected": name}``."""
        return {"alice_values": _fractions(self.alice_values), "selected": self.selected}

    def _title(self) -> str:
        return "best-AI selection"

    def _rows(self) -> list[tuple[str, Any]]:
        return [("alice_values", self.alice_values), ("selected", self.selected)]


@dataclass(frozen=True, repr=False)
class _Play(_Display):
    """What a profile gives everyone: what :class:`Verification` and :class:`Equilibrium` share."""

    instance: Instance
    profile: Profile
    alice_utility: Fraction
    sender_utilities: tuple[Fraction, ...]
    joint: tuple[tuple[Fraction, ...], ...]
    selection: Selection | None
    deviations: tuple[Deviation, ...]
    nash_gap: Fraction

    def _play_json(self) -> dict[str, Any]:
        selection = {} if self.selection is None else {"selection": self.selection.to_json()}
        return {
            **selection,
            "alice_utility": fmt(self.alice_utility),
            "sender_utilities": _fractions(self.sender_utilities),
            "outcome": {
                "actions": list(self.instance.actions),
                "states": list(self.instance.states),
                "joint": [_fractions(row) for row in self.joint],
            },
        }


@dataclass(frozen=True, repr=False)
class Verification(_Play):
    """A profile checked exactly: Alice's response, every utility, best deviations, the Nash gap.

    Attributes
    ----------
    instance : Instance
        The instance played.
    profile : Profile
        The profile checked: one scheme per sender.
    alice_utility : Fraction
        Alice's expected utility at the profile.
    sender_utilities : tuple of Fraction
        Every sender's expected utility, in the instance's order.
    joint : tuple of tuple of Fraction
        The induced joint distribution of action and state (Definition 5): one
        row per action, one column per state.
    selection : Selection or None
        Alice's choice of sender, in the best-AI selection game only.
    deviations : tuple of Deviation
        Every sender's best deviation.
    nash_gap : Fraction
        The largest gain of a deviation (exactly 0 at a Nash equilibrium).
    nash_conv : Fraction
        The sum of the gains (OpenSpiel's ``nash_conv``).
    game : str
        The game played (a name of :data:`persuasion.games.GAMES`).
    eta : Fraction
        The approximation allowed for unattained best responses.
    """

    nash_conv: Fraction
    game: str
    eta: Fraction

    @property
    def is_equilibrium(self) -> bool:
        """Whether the Nash gap is exactly 0 (Definition 7)."""
        return self.nash_gap == 0

    def to_json(self) -> dict[str, Any]:
        """Exactly what ``persuasion verify --json`` prints."""
        return {
            "instance": self.instance.name,
            **self._play_json(),
            "deviations": [d.to_json() for d in self.deviations],
            "nash_gap": fmt(self.nash_gap),
            "nash_conv": fmt(self.nash_conv),
            "is_equilibrium": self.is_equilibrium,
        }

    def _title(self) -> str:
        return f"verification of a profile of {self.instance.name} ({self.game})"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("alice_utility", self.alice_utility),
            ("sender_utilities", self.sender_utilities),
            ("nash_gap", self.nash_gap),
            ("is_equilibrium", self.is_equilibrium),
            ("gains", tuple(d.gain for d in self.deviations)),
        ]


@dataclass(frozen=True, repr=False)
class Equilibrium(_Play):
    """The profile best-response dynamics reached, judged exactly (Definitions 7 and 17).

    Attributes
    ----------
    instance : Instance
        The instance played.
    profile : Profile
        The best profile the dynamics met (the smallest exact Nash gap).
    alice_utility : Fraction
        Alice's expected utility at the profile.
    sender_utilities : tuple of Fraction
        Every sender's expected utility, in the instance's order.
    joint : tuple of tuple of Fraction
        The induced joint distribution of action (rows) and state (columns).
    selection : Selection or None
        Alice's choice of sender, in the best-AI selection game only.
    deviations : tuple of Deviation
        Every sender's exact best deviation from the profile.
    nash_gap : Fraction
        The profile's exact Nash gap.
    converged : bool
        Whether the Nash gap is within the tolerance asked for.
    status : Status
        Why the dynamics stopped.
    stop_reason : str
        The same, in words.
    rounds : int
        The rounds completed.
    start : str
        The start profile of the run reported (a name of
        :data:`persuasion.starts.STARTS`, or ``"given profile"``).
    """

    converged: bool
    status: Status
    stop_reason: str
    rounds: int
    start: str

    def to_json(self) -> dict[str, Any]:
        """The ``equilibrium`` object of ``persuasion solve --json``."""
        from persuasion.profile import dump_profile

        return {
            "profile": dump_profile(self.profile, self.instance),
            **self._play_json(),
            "nash_gap": fmt(self.nash_gap),
            "converged": self.converged,
            "status": self.status.value,
            "stop_reason": self.stop_reason,
            "rounds": self.rounds,
            "start": self.start,
            "deviations": [d.to_json() for d in self.deviations],
        }

    def _title(self) -> str:
        return f"equilibrium search from {self.start}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            ("alice_utility", self.alice_utility),
            ("nash_gap", self.nash_gap),
            ("status", self.status.value),
            ("rounds", self.rounds),
            ("sender_utilities", self.sender_utilities),
        ]


# ---------------------------------------------------------------- benchmarks


@dataclass(frozen=True, repr=False)
class AlignmentResult(_Display):
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
        own = {"epsilon": fmt(self.epsilon), "weights": _fractions(self.weights)}
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
class AlignedSender(_Display):
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
            "scheme": _scheme_json(self.features, names, self.scheme),
        }

    def _title(self) -> str:
        return "aligned sender (Definition 8)"

    def _rows(self) -> list[tuple[str, Any]]:
        return [("value", self.value), ("messages", self.messages), ("attained", self.attained)]


@dataclass(frozen=True, repr=False)
class Bound(_Display):
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
class Solution(_Display):
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
        Definition 8's aligned sender and its optimal scheme.
    alignment : AlignmentResult
        The alignment error, weights and offset (Definition 1; Remark 2's
        variant in ``alignment.nonnegative``).
    equilibrium : Equilibrium
        The profile best-response dynamics found, judged exactly.
    bound : Bound
        The theorem's bound and whether Alice's utility meets it.
    parameters : SolveParameters
        The parameters used.
    """

    instance: Instance
    game: str
    first_best: Fraction
    aligned: AlignedSender
    alignment: AlignmentResult
    equilibrium: Equilibrium
    bound: Bound
    parameters: SolveParameters

    @property
    def aligned_value(self) -> Fraction:
        """``U_A(C*)`` (Definition 8): ``aligned.value``."""
        return self.aligned.value

    def to_json(self) -> dict[str, Any]:
        """Exactly what ``persuasion solve --json`` prints."""
        return {
            "instance": self.instance.name,
            "first_best": fmt(self.first_best),
            "aligned_value": fmt(self.aligned_value),
            "aligned": self.aligned.to_json(),
            "alignment": self.alignment.to_json(),
            "equilibrium": self.equilibrium.to_json(),
            "bound": self.bound.to_json(),
        }

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


# ---------------------------------------------------------------- certificates


@dataclass(frozen=True, repr=False)
class Claim(_Display):
    """One certified claim of the paper on an instance (a row of the theorem report).

    Attributes
    ----------
    name : str
        The claim (:data:`persuasion.check.CLAIMS`).
    cites : str
        Where the paper states it.
    holds : bool
        Whether the claim holds on the instance.
    statement : str
        The claim in words.
    hypotheses : str
        Its hypotheses, with the numbers that settle them.
    conclusion_text : str
        Its conclusion, with numbers.
    slack : Fraction or None
        How far the conclusion is from failing (a proven lower bound where
        ``exp``/``log`` enter); None where the claim is an equality.
    certificate_text : str
        The ``persuasion-certificate/2`` document, as the JSON text written to
        a file (:attr:`certificate` parses it; :func:`persuasion.check` checks it).
    file : str or None
        Where the certificate was written, if it was.
    """

    name: str
    cites: str
    holds: bool
    statement: str
    hypotheses: str
    conclusion_text: str
    slack: Fraction | None
    certificate_text: str = field(repr=False)
    file: str | None = None

    @property
    def certificate(self) -> dict[str, Any]:
        """The certificate: a fresh ``persuasion-certificate/2`` object, parsed from the text."""
        return json.loads(self.certificate_text)

    @property
    def conclusion(self) -> dict[str, Any]:
        """What the certificate concludes, as it writes it (exact numbers as ``"p/q"``)."""
        return self.certificate["conclusion"]

    def to_json(self) -> dict[str, Any]:
        """The claim's row of ``persuasion certify --json``."""
        row = {
            "name": self.name,
            "cites": self.cites,
            "holds": self.holds,
            "statement": self.statement,
            "hypotheses": self.hypotheses,
            "conclusion_text": self.conclusion_text,
            "slack": None if self.slack is None else fmt(self.slack),
            "conclusion": self.conclusion,
        }
        if self.file is not None:
            row["file"] = self.file
        return row

    def _title(self) -> str:
        return f"{self.name} ({self.cites})"

    def _rows(self) -> list[tuple[str, Any]]:
        return [("holds", self.holds), ("slack", self.slack), ("conclusion", self.conclusion_text)]


@dataclass(frozen=True, repr=False)
class Certification(_Display):
    """The certificates of the paper's claims on an instance (``persuasion certify``).

    Attributes
    ----------
    instance : Instance
        The instance certified.
    claims : tuple of Claim
        One certified claim per claim asked, in report order.
    """

    instance: Instance
    claims: tuple[Claim, ...]

    def __getitem__(self, name: str) -> Claim:
        """The claim called ``name``; KeyError if it was not certified."""
        for claim in self.claims:
            if claim.name == name:
                return claim
        raise KeyError(name)

    def with_files(self, files: Sequence[str]) -> Certification:
        """A copy whose claims record the files their certificates were written to, in order."""
        claims = zip(self.claims, files, strict=True)
        return dataclasses.replace(
            self, claims=tuple(dataclasses.replace(c, file=f) for c, f in claims)
        )

    def to_json(self) -> dict[str, Any]:
        """Exactly what ``persuasion certify --json`` prints."""
        return {"instance": self.instance.name, "claims": [c.to_json() for c in self.claims]}

    def _title(self) -> str:
        return f"certificates for {self.instance.name}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [(c.name, "holds" if c.holds else "does not hold") for c in self.claims]


@dataclass(frozen=True, repr=False)
class CheckResult(_Display):
    """The certificate kernel's verdict on a certificate (``persuasion check``).

    Attributes
    ----------
    valid : bool
        Whether the kernel re-derived the claim from the certificate's witnesses.
    claim : str or None
        The claim the certificate makes (None if it is invalid).
    holds : bool or None
        Whether the claim holds, as derived (None if invalid).
    conclusion : tuple of (str, object)
        The derived conclusion, key by key (exact numbers as ``"p/q"``; empty if invalid).
    problem : str or None
        The first thing that does not check, in one line (None if valid).
    """

    valid: bool
    claim: str | None = None
    holds: bool | None = None
    conclusion: tuple[tuple[str, Any], ...] = ()
    problem: str | None = None

    def line(self) -> str:
        """The verdict as ``persuasion check`` prints it: ``VALID: ...`` or ``INVALID: ...``."""
        if not self.valid:
            return f"INVALID: {self.problem}"
        verdict = "holds" if self.holds else "does not hold"
        facts = ", ".join(f"{key} {_plain(value)}" for key, value in self.conclusion)
        return f"VALID: {self.claim} {verdict}: {facts}"

    def to_json(self) -> dict[str, Any]:
        """``{"valid", "claim", "holds", "conclusion", "problem"}``."""
        return {
            "valid": self.valid,
            "claim": self.claim,
            "holds": self.holds,
            "conclusion": dict(self.conclusion),
            "problem": self.problem,
        }

    def _title(self) -> str:
        return "VALID" if self.valid else "INVALID"

    def _rows(self) -> list[tuple[str, Any]]:
        if not self.valid:
            return [("problem", self.problem)]
        return [("claim", self.claim), ("holds", self.holds), *self.conclusion]


def _plain(value: Any) -> str:
    """A derived conclusion value for the one-line verdict: ``[1, 1]``, ``5/3``, ``true``."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    return json.dumps(value) if isinstance(value, bool) else str(value)


# ---------------------------------------------------------------- sweeps


@dataclass(frozen=True, repr=False)
class SummaryRow(_Display):
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
class SimulationResult(_Display):
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
                f"{r.converged}/{r.runs} converged, min slack {_text(r.min_slack)}",
            )
            for r in self.summary
        ]
