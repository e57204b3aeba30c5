"""A search for a quantal response Nash equilibrium (Definition 12): best-response dynamics on the
grid deviations of :mod:`persuasion.qre.deviation`, every profile judged by the QRE check.

Each round visits every sender in turn (in index order, or in a random order).  A sender switches
to the scheme of their grid deviation when it *provably* gains: its value's lower bound exceeds
the upper end of their enclosed utility.
After every round the profile is judged: its enclosed outcome and every sender's deviation bounds,
the check ``persuasion verify`` prints (:func:`persuasion.qre.check.qre_check`).  The search stops
when no deviation provably gains (verdict ``qre-within-eta``: a fixed point of the dynamics) or
the ``eta`` bound is within the tolerance, a profile comes back, ``patience`` rounds in a row each
lower the smallest ``eta`` bound met by ``eta`` at most, after ``max_rounds`` rounds or at the
time limit.  The result is the best profile judged (``qre-within-eta`` before ``not-a-qre``, then
the smallest ``eta`` bound; the earliest on ties), the start included.  Damped moves (halving or
``1/k`` steps) were measured and did no better (docs/explanation/quantal-response.md).

A sender's deviation bounds depend on the other senders' schemes only, so each is computed once per
such profile of the others and shared by the moves and the judging (and by the runs from several
starts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from persuasion.deadline import DeadlinePassed, check as check_deadline, until
from persuasion.equilibrium import Step
from persuasion.model import Instance, Profile
from persuasion.qre.check import qre_check
from persuasion.qre.deviation import DeviationBounds, deviation_bounds
from persuasion.qre.outcome import quantal_outcome
from persuasion.results import Status
from persuasion.results.quantal import QuantalOutcome, QuantalVerification

if TYPE_CHECKING:
    import random


@dataclass(frozen=True)
class QuantalDynamics:
    """The best profile the QRE search judged, why it stopped and after how many rounds."""

    verification: QuantalVerification
    converged: bool
    status: Status
    stop_reason: str
    rounds: int


def rank(v: QuantalVerification) -> tuple[bool, Fraction]:
    """How good a judged profile is: ``qre-within-eta`` first, then the smaller ``eta`` bound."""
    return v.verdict == "not-a-qre", v.eta_bound


@dataclass
class QuantalSearch:
    """One run of the QRE search (module docstring): its caches and the best profile judged."""

    instance: Instance
    grid_work: int
    source: str
    tolerance: Fraction = Fraction(0)
    eta: Fraction = Fraction(1, 1000)
    progress: Callable[[Step], None] | None = None
    order: random.Random | None = None
    """Visits the senders in a random order drawn from it every round (None: index order)."""
    bounds: dict[tuple, DeviationBounds] = field(default_factory=dict)
    outcomes: dict[tuple, QuantalOutcome] = field(default_factory=dict)
    best: QuantalVerification | None = None
    rounds: int = 0
    stalled_rounds: int = 0
    """Rounds in a row that lowered the smallest ``eta`` bound met by ``eta`` at most."""

    def outcome(self, profile: Profile) -> QuantalOutcome:
        if profile.schemes not in self.outcomes:
            self.outcomes[profile.schemes] = quantal_outcome(self.instance, profile)
        return self.outcomes[profile.schemes]

    def deviation(self, profile: Profile, i: int, judging: bool) -> DeviationBounds:
        """Sender ``i``'s deviation bounds at ``profile``, each computed once."""
        key = (i, profile.schemes[:i] + profile.schemes[i + 1 :])
        if key not in self.bounds:
            check_deadline()
            if self.progress is not None:
                gap = None if self.best is None else self.best.eta_bound
                self.progress(Step(self.rounds + 1, i, judging, gap))
            self.bounds[key] = deviation_bounds(
                self.instance, profile, i, self.grid_work, self.source
            )
        return self.bounds[key]

    def judge(self, profile: Profile) -> QuantalVerification:
        bounds = [self.deviation(profile, i, True) for i in range(self.instance.num_senders)]
        return qre_check(self.instance, profile, self.outcome(profile), bounds)

    def moves(self, profile: Profile) -> Profile:
        """One round: each sender whose grid deviation provably gains switches to its scheme."""
        senders = list(range(self.instance.num_senders))
        if self.order is not None:
            self.order.shuffle(senders)
        for i in senders:
            found = self.deviation(profile, i, False)
            value = self.outcome(profile).sender_utilities[i]
            if found.scheme is not None and found.lower > value[1]:
                profile = profile.replace(i, found.scheme)
        return profile

    def play(
        self,
        start: Profile,
        max_rounds: int,
        patience: int | None,
        limit: tuple[float | None, Callable[[], float]],
    ) -> QuantalDynamics:
        """Judge ``start``, then rounds until the search stops (``limit``: time limit, clock)."""
        time_limit, clock = limit
        self.best = self.judge(start)  # judged before the clock starts: always a verdict
        stop = self.stop(self.best, False, None, max_rounds)
        deadline = None if time_limit is None else clock() + time_limit
        profile, seen = start, {start.schemes}
        while stop is None:
            try:
                with until(deadline, clock):
                    profile = self.moves(profile)
                    reached = self.judge(profile)
            except DeadlinePassed:
                if deadline is None or clock() < deadline:
                    raise  # a deadline set around the search: its own
                reason = f"time limit reached ({time_limit:.3g} s) after {self.rounds} rounds"
                stop = reason + "; the best profile judged is reported", Status.TIME_LIMIT
                break
            self.rounds += 1
            self.record(reached)
            stop = self.stop(reached, profile.schemes in seen, patience, max_rounds)
            seen.add(profile.schemes)
        reason, status = stop
        converged = self._within(self.best)
        return QuantalDynamics(self.best, converged, status, reason, self.rounds)

    def record(self, reached: QuantalVerification) -> None:
        """Keep ``reached`` if it is the best profile judged; count the rounds that stall."""
        best = self.best.eta_bound
        if rank(reached) < rank(self.best):
            self.best = reached
        self.stalled_rounds = 0 if reached.eta_bound < best - self.eta else self.stalled_rounds + 1

    def _within(self, v: QuantalVerification) -> bool:
        return v.verdict == "qre-within-eta" or v.eta_bound <= self.tolerance

    def stop(
        self, reached: QuantalVerification, revisited: bool, patience: int | None, max_rounds: int
    ) -> tuple[str, Status] | None:
        """Why the search stops at ``reached``, or None (the statuses in the order of
        :data:`persuasion.equilibrium.STATUSES`)."""
        if self._within(reached):
            if reached.verdict == "qre-within-eta":
                reason = "no sender's deviation provably gains: a QRE within the eta bound"
            else:
                reason = f"the eta bound is within the tolerance {self.tolerance}"
            return reason, Status.CONVERGED
        if revisited:
            return "cycle: the search came back to a profile met before", Status.CYCLE
        if patience is not None and patience <= self.stalled_rounds:
            reason = (
                f"stalled: the last {patience} rounds each lowered the smallest eta bound met by "
                f"{self.eta} at most; the best profile judged is reported"
            )
            return reason, Status.STALLED
        if max_rounds <= self.rounds:
            return "iteration cap reached", Status.MAX_ROUNDS
        return None
