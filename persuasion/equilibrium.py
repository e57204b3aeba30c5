"""Nash gaps and best-response dynamics in the one-round simultaneous game -- and, through a
:class:`Game` over conversation rules (:mod:`persuasion.conversation.play`), in conversations.

Definition 7: a profile is a Nash equilibrium when no sender can gain by a
unilateral deviation.  A sender's *gain* is the supremum of their utility over
all deviations minus their current utility (never negative: keeping the
current scheme is a deviation); the profile's *Nash gap* is the largest gain
(an equilibrium has gap exactly 0; a profile with gap ``g`` is a
``g``-equilibrium).  OpenSpiel's ``nash_conv`` is the sum of the gains; we
report both.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from fractions import Fraction
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from persuasion.deadline import DeadlinePassed, check as check_deadline, until
from persuasion.limits import SOLVE_JUDGE_GRACE
from persuasion.model import Instance, Profile, Scheme
from persuasion.problem import deviation_problem, oblivious_problem
from persuasion.receiver import Outcome, outcome
from persuasion.results import Status
from persuasion.attainment import ROUNDING, rounded_distribution
from persuasion.sender import BestResponse, Column, best_response

if TYPE_CHECKING:
    import random


@dataclass(frozen=True)
class Deviation:
    """Sender ``sender``'s current utility, best response and gain (``best.value - value``)."""

    sender: int
    value: Fraction
    best: BestResponse

    @property
    def gain(self) -> Fraction:
        return self.best.value - self.value


def scheme_from_columns(
    columns: tuple[Column, ...], num_features: int, num_messages: int
) -> Scheme:
    """The scheme that sends message ``k`` with probability ``columns[k]``'s ``phi(x_B)``."""
    if len(columns) > num_messages:
        raise ValueError(f"{len(columns)} messages needed, {num_messages} available")
    rows = [[Fraction(0)] * num_messages for _ in range(num_features)]
    for k, (_, phi) in enumerate(columns):
        for xb, p in enumerate(phi):
            rows[xb][k] = p
    return tuple(tuple(row) for row in rows)


def sender_best_response(
    instance: Instance, profile: Profile, sender: int, eta: Fraction
) -> BestResponse:
    """Sender ``sender``'s exact best response to the other senders' schemes in ``profile``."""
    return best_response(deviation_problem(instance, profile, sender), eta)


def best_scheme(instance: Instance, sender: int, best: BestResponse) -> Scheme:
    """The returned best-response scheme as a scheme of ``sender`` (using their message names)."""
    return scheme_from_columns(
        best.columns, len(instance.sender_features), len(instance.senders[sender].messages)
    )


@dataclass(frozen=True)
class Game:
    """How a profile is played: its outcome, and one sender's exact best response to it.

    ``respond(instance, profile, i, eta)`` must depend on the other senders'
    schemes only (a deviation replaces sender ``i``'s own), which lets
    :func:`best_response_dynamics` reuse it.  ``adopt(instance, profile, dev,
    eta, game)`` is the rule a sender moving in the dynamics switches to
    (:func:`adopted_scheme` by default).  A profile is anything hashable with
    ``replace(i, rule)``: a :class:`~persuasion.model.Profile` or, in a
    conversation (:mod:`persuasion.conversation.play`), a
    :class:`~persuasion.conversation.rules.ConversationProfile`.
    """

    name: str
    outcome: Callable[[Instance, Profile], Outcome]
    respond: Callable[[Instance, Profile, int, Fraction], BestResponse]
    adopt: Callable[..., Any] | None = None


SIMULTANEOUS = Game("simultaneous", outcome, sender_best_response)
"""The one-round simultaneous game: Alice hears every sender (Sections B-C)."""


def oblivious_profile(instance: Instance, eta: Fraction = Fraction(1, 1000)) -> Profile:
    """Every sender's single-sender optimum, as if Alice heard only them (Definitions 18-19)."""
    nb = len(instance.sender_features)
    return Profile(
        tuple(
            scheme_from_columns(
                best_response(oblivious_problem(instance, i), eta).columns, nb, len(s.messages)
            )
            for i, s in enumerate(instance.senders)
        )
    )


def deviations(
    instance: Instance, profile: Profile, eta: Fraction, game: Game = SIMULTANEOUS
) -> list[Deviation]:
    """Every sender's best deviation from ``profile``."""
    current = game.outcome(instance, profile).sender_utilities
    return [
        Deviation(i, current[i], game.respond(instance, profile, i, eta))
        for i in range(instance.num_senders)
    ]


def nash_gap(devs: list[Deviation]) -> Fraction:
    """The largest gain of a unilateral deviation (0 exactly at a Nash equilibrium)."""
    return max(d.gain for d in devs)


def undecided(devs: Sequence[Deviation]) -> tuple[int, ...]:
    """The senders whose best deviation was not decided (optimality ``"incomplete"``: a
    conversation's search ran out of time or cuts, :mod:`persuasion.conversation.search`): their
    gain is only a lower bound, and so is the Nash gap."""
    return tuple(d.sender for d in devs if getattr(d.best, "optimality", "") == "incomplete")


def nash_conv(devs: list[Deviation]) -> Fraction:
    """The sum of the gains (OpenSpiel's ``nash_conv``)."""
    return sum((d.gain for d in devs), Fraction(0))


STATUSES = tuple(s for s in Status if s is not Status.STEP_CONVERGED)
"""Why best-response dynamics stopped (:attr:`Dynamics.status`), in the order they are tested
(the selection game adds :attr:`Status.STEP_CONVERGED <persuasion.results.Status>`)."""


@dataclass(frozen=True)
class Dynamics:
    """The best profile best-response dynamics met, why they stopped, and after how many rounds.

    ``deviations`` are every sender's best deviation from ``profile``, so its
    Nash gap is exact; ``converged`` says that gap is within the tolerance
    asked for.  ``status`` is one of :data:`STATUSES` (the selection game
    adds ``"step-converged"``), a :class:`~persuasion.results.Status` (a
    string given is converted; None before the dynamics decide);
    ``stop_reason`` says the same in words; ``rounds`` counts the rounds
    completed.
    """

    profile: Profile
    deviations: tuple[Deviation, ...]
    converged: bool
    stop_reason: str
    rounds: int
    status: Status | None = None

    def __post_init__(self) -> None:
        if self.status is not None and not isinstance(self.status, Status):
            object.__setattr__(self, "status", Status(self.status))

    @property
    def nash_gap(self) -> Fraction:
        return nash_gap(list(self.deviations))


@dataclass(frozen=True)
class Step:
    """What the dynamics are about to compute, for a progress display.

    Sender ``sender``'s best response in round ``round``: a move
    (``judging`` false) or, once every sender has moved, a best deviation
    that the round's exact Nash gap needs (``judging`` true).  ``best_gap`` is
    the smallest exact Nash gap met so far (None before the first round
    ends); ``start`` names the start profile, when the caller knows it.
    """

    round: int
    sender: int
    judging: bool
    best_gap: Fraction | None
    start: str = ""


def rounded_scheme(scheme: Scheme, denominator: int) -> Scheme | None:
    """``scheme`` with every probability rounded to a multiple of ``1/denominator``; the largest
    entry of each row takes what rounding left over (None if that makes it negative)."""
    rows = tuple(rounded_distribution(row, denominator) for row in scheme)
    return None if None in rows else rows


def adopted_scheme(
    instance: Instance, profile: Profile, dev: Deviation, eta: Fraction, game: Game = SIMULTANEOUS
) -> Scheme:
    """The scheme sender ``dev.sender`` switches to in best-response dynamics: a short one.

    Exact best responses are vertices of LPs whose data are the other
    senders' schemes, so their denominators compound from round to round (9
    digits to 37 in 50 rounds on a 2-sender, 3-state game).  So, while the
    sender's gain exceeds ``eta``, the returned scheme is rounded to
    multiples of ``1/10``, ``1/100``, ... (:data:`persuasion.attainment.ROUNDING`;
    the first that works), and a rounding is kept only if its *actual* value
    in ``game`` -- the exact outcome of the profile with it, under Alice's
    real tie-break -- is within ``eta`` of the supremum ``dev.best.value``, as
    the eta-approximations of :func:`persuasion.sender.best_response` are.  A
    move of a sender already within ``eta`` (the last steps to an exact
    equilibrium) is rounded only to a scheme worth as much as the exact best
    response's (``dev.best.achieved``), so exact equilibria are still found.
    A scheme whose denominators are already that short is kept.  Only moves
    are shortened: every Nash gap the dynamics report is computed exactly for
    the profile reported.
    """
    exact = best_scheme(instance, dev.sender, dev.best)
    return shortest_rule(instance, profile, dev, eta, game, exact, exact)


def shortest_rule(
    instance: Instance,
    profile: Profile,
    dev: Deviation,
    eta: Fraction,
    game: Game,
    exact: Any,
    rows: Sequence[Sequence[Fraction]],
) -> Any:
    """:func:`adopted_scheme`'s rounding for any rule: ``exact``, whose distributions are
    ``rows`` (a scheme's rows; a conversation rule's rows at every history), rounded row by row
    to the first denominator of :data:`~persuasion.attainment.ROUNDING` whose actual value is
    good enough, else ``exact``."""
    target = dev.best.achieved if dev.gain <= eta else dev.best.value - eta
    distinct = tuple(dict.fromkeys(tuple(row) for row in rows))
    longest = max(p.denominator for row in distinct for p in row)
    for denominator in ROUNDING:
        if longest <= denominator:
            return exact
        shortened = rounded_scheme(distinct, denominator)
        if shortened is None:
            continue
        rounded = _with_rows(exact, dict(zip(distinct, shortened, strict=True)))
        value = game.outcome(instance, profile.replace(dev.sender, rounded)).sender_utilities[
            dev.sender
        ]
        if value >= target:
            return rounded
    return exact


def _with_rows(rule: Any, rows: dict[tuple, tuple]) -> Any:
    """``rule`` (a scheme, or a conversation rule of rows and history tables) with every row
    replaced by ``rows[row]``."""
    from persuasion.conversation.rules import HistoryTable

    def entry(e: Any) -> Any:
        if isinstance(e, HistoryTable):
            return HistoryTable(tuple((h, rows[tuple(row)]) for h, row in e.rows))
        return rows[tuple(e)]

    return tuple(entry(e) for e in rule)


class TimeLimitTooShort(Exception):
    """The time limit passed before any profile could be judged exactly (a best response takes
    longer)."""


def _verdict(gap: Fraction, tolerance: Fraction) -> str | None:
    if gap == 0:
        return "equilibrium: Nash gap is exactly 0"
    return "within tolerance" if gap <= tolerance else None


def best_response_dynamics(
    instance: Instance,
    start: Profile,
    *,
    order: str = "round-robin",
    seed: int = 0,
    max_rounds: int = 50,
    tolerance: Fraction = Fraction(0),
    eta: Fraction = Fraction(1, 1000),
    game: Game = SIMULTANEOUS,
    time_limit: float | None = None,
    patience: int | None = None,
    clock: Callable[[], float] = time.monotonic,
    progress: Callable[[Step], None] | None = None,
    responses: dict[tuple, BestResponse] | None = None,
) -> Dynamics:
    """Best-response dynamics over exact best responses in ``game``.

    Each round visits every sender (in index order, or in a random order
    drawn from ``seed``); a sender switches when their exact best response's
    actual value is strictly higher than their current utility, to a short
    scheme within ``eta`` of the supremum (:func:`adopted_scheme`).  After
    every round the profile's Nash gap is computed exactly.  The dynamics stop
    for the first reason of :data:`STATUSES` that applies
    (:class:`~persuasion.results.Status` says each): the gap is at most
    ``tolerance``; a round changed nothing; a profile came back; ``patience``
    rounds in a row each lowered the smallest gap met by ``eta`` at most;
    ``max_rounds`` rounds; or ``time_limit`` seconds of ``clock``, a deadline
    (:mod:`persuasion.deadline`) the best responses themselves check (0:
    evaluate the start profile only).  The result is the profile with the
    smallest exact gap met after any round (the earliest on ties), with the
    reason the dynamics stopped; if the limit passes before the first round
    ends, the profile reached is judged within
    :data:`persuasion.limits.SOLVE_JUDGE_GRACE` more seconds (or
    ``time_limit``, if longer), so that a reported profile always comes with
    its exact gap; if that passes too, :class:`TimeLimitTooShort`.
    ``progress`` is called before every best response computed (:class:`Step`).

    A sender's best response depends on the other senders' schemes only
    (:class:`Game`), so it is computed once per such profile of the others and
    kept in ``responses`` (filled in): pass the same dict to runs of the same
    ``game`` and ``eta`` from other starts, and none is computed twice.
    """
    if max_rounds < 1 or (patience is not None and patience < 1):
        raise ValueError("max_rounds and patience must be at least 1")
    rng = None
    if order == "random":
        import random  # here: the default order draws nothing; importing random costs ~1.5 ms

        rng = random.Random(seed)
    run = _Run(instance, game, eta, tolerance, progress, {} if responses is None else responses)
    return run.play(start, rng, (time_limit, clock), patience, max_rounds)


@dataclass
class _Run:
    """One run of :func:`best_response_dynamics`: its best responses, utilities and progress."""

    instance: Instance
    game: Game
    eta: Fraction
    tolerance: Fraction
    progress: Callable[[Step], None] | None
    responses: dict[tuple, BestResponse]
    utilities: dict[tuple, tuple[Fraction, ...]] = field(default_factory=dict)
    best: Dynamics | None = None
    """The profile with the smallest exact Nash gap met after any round (the earliest on ties)."""
    rounds: int = 0
    stalled_rounds: int = 0
    """Rounds in a row that lowered the smallest gap met by ``eta`` at most."""

    def play(
        self,
        start: Profile,
        rng: random.Random | None,
        limit: tuple[float | None, Callable[[], float]],
        patience: int | None,
        max_rounds: int,
    ) -> Dynamics:
        """Rounds from ``start`` until the dynamics stop (``limit``: time limit and clock)."""
        time_limit, clock = limit
        deadline = None if time_limit is None else clock() + time_limit
        profile = start
        seen = {profile}
        while True:
            senders = list(range(self.instance.num_senders))
            if rng is not None:
                rng.shuffle(senders)
            try:
                with until(deadline, clock):
                    profile, switched = self.moves(profile, senders)
                    reached = self.judged(profile)
            except DeadlinePassed:
                if deadline is None or clock() < deadline:
                    raise  # a deadline set around the dynamics (persuasion.deadline.until): its own
                return self.timed_out(profile, time_limit, clock)
            revisited = profile in seen
            stopped = self.after_round(reached, switched, revisited, patience, max_rounds)
            if stopped is not None:
                return stopped
            seen.add(profile)

    def deviation(self, profile: Profile, i: int, judging: bool) -> Deviation:
        """Sender ``i``'s current utility and best response, each computed once."""
        if profile not in self.utilities:
            outcome = self.game.outcome(self.instance, profile)
            self.utilities[profile] = outcome.sender_utilities
        current = self.utilities[profile][i]
        key = (i, profile.replace(i, None))  # what i's best response depends on: the others
        if key not in self.responses:
            check_deadline()
            if self.progress is not None:
                gap = None if self.best is None else self.best.nash_gap
                self.progress(Step(self.rounds + 1, i, judging, gap))
            self.responses[key] = self.game.respond(self.instance, profile, i, self.eta)
        return Deviation(i, current, self.responses[key])

    def judged(self, profile: Profile) -> Dynamics:
        """``profile`` with every sender's best deviation: its exact Nash gap."""
        devs = tuple(self.deviation(profile, i, True) for i in range(self.instance.num_senders))
        converged = nash_gap(list(devs)) <= self.tolerance and not undecided(devs)
        return Dynamics(profile, devs, converged, "", self.rounds)

    def moves(self, profile: Profile, senders: list[int]) -> tuple[Profile, bool]:
        """One round: each sender in turn switches to a short scheme when it gains strictly."""
        switched = False
        for i in senders:
            dev = self.deviation(profile, i, False)
            if dev.best.achieved > dev.value:
                adopt = self.game.adopt or adopted_scheme
                scheme = adopt(self.instance, profile, dev, self.eta, self.game)
                profile = profile.replace(i, scheme)
                switched = True
        return profile, switched

    def after_round(
        self,
        reached: Dynamics,
        switched: bool,
        revisited: bool,
        patience: int | None,
        max_rounds: int,
    ) -> Dynamics | None:
        """Record the round that reached ``reached``; the result if the dynamics stop now."""
        self.rounds += 1
        best = self.best
        progressed = best is None or reached.nash_gap < best.nash_gap - self.eta
        if best is None or reached.nash_gap < best.nash_gap:
            self.best = reached
        self.stalled_rounds = 0 if progressed else self.stalled_rounds + 1
        stop = self._stop(reached, switched, revisited, patience, max_rounds)
        if stop is None:
            return None
        reason, status = stop
        reason += self._undecided_note()
        return dataclasses.replace(self.best, stop_reason=reason, status=status, rounds=self.rounds)

    def _undecided_note(self) -> str:
        """Which senders' best deviations from the best profile were not decided, if any."""
        names = [self.instance.senders[i].name for i in undecided(self.best.deviations)]
        if not names:
            return ""
        return (
            f"; the best deviation of {', '.join(names)} was not decided (the search ran out of "
            "time or cuts): the Nash gap shown is a lower bound"
        )

    def _stop(
        self,
        reached: Dynamics,
        switched: bool,
        revisited: bool,
        patience: int | None,
        max_rounds: int,
    ) -> tuple[str, Status] | None:
        """Why the dynamics stop after this round (:data:`STATUSES`, in order), or None."""
        verdict = _verdict(reached.nash_gap, self.tolerance)
        if verdict is not None and reached.converged:
            return verdict, Status.CONVERGED
        if not switched:
            reason = "no attainable improvement: the remaining gains are unattained suprema"
            return reason, Status.NO_IMPROVEMENT
        if revisited:
            reason = "cycle: the dynamics came back to a profile met before and would repeat"
            return reason, Status.CYCLE
        if patience is not None and self.stalled_rounds >= patience:
            reason = (
                f"stalled: the last {patience} rounds each lowered the smallest Nash gap met by "
                f"{self.eta} at most; the best profile met is reported"
            )
            return reason, Status.STALLED
        if self.rounds == max_rounds:
            return "iteration cap reached", Status.MAX_ROUNDS
        return None

    def timed_out(
        self, profile: Profile, time_limit: float, clock: Callable[[], float]
    ) -> Dynamics:
        """The result when the time limit passed during a round.

        If nothing was judged yet, the profile reached is judged with some grace
        (:data:`persuasion.limits.SOLVE_JUDGE_GRACE`), so that a reported profile
        always comes with its exact gap; :class:`TimeLimitTooShort` if that passes too.
        """
        if self.best is None:
            grace = max(time_limit, SOLVE_JUDGE_GRACE)
            try:
                with until(clock() + grace, clock):
                    self.best = self.judged(profile)
            except DeadlinePassed:
                raise TimeLimitTooShort(
                    f"the time limit ({time_limit:.3g} s), then {grace:.3g} s more to judge the "
                    "profile reached, passed before any profile was judged exactly (one best "
                    "response takes longer); raise --time-limit"
                ) from None
            if self.best.converged:
                reason = _verdict(self.best.nash_gap, self.tolerance)
                return dataclasses.replace(self.best, stop_reason=reason, status=Status.CONVERGED)
        reason = (
            f"time limit reached ({time_limit:.3g} s) after {self.rounds} rounds; "
            "the best profile met is reported" + self._undecided_note()
        )
        return dataclasses.replace(
            self.best, stop_reason=reason, status=Status.TIME_LIMIT, rounds=self.rounds
        )
