"""Nash gaps and best-response dynamics in the one-round simultaneous game.

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
import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from persuasion.model import Instance, Profile, Scheme
from persuasion.problem import deviation_problem, oblivious_problem
from persuasion.receiver import Outcome, outcome
from persuasion.sender import BestResponse, Column, best_response


@dataclass(frozen=True)
class Deviation:
    """Sender ``sender``'s current utility, best response and gain (``best.value - value``)."""

    sender: int
    value: Fraction
    best: BestResponse

    @property
    def gain(self) -> Fraction:
        return self.best.value - self.value


def scheme_from_columns(columns: tuple[Column, ...], num_features: int, num_messages: int) -> Scheme:
    """The scheme that sends message ``k`` with probability ``columns[k]``'s ``phi(x_B)``."""
    if len(columns) > num_messages:
        raise ValueError(f"{len(columns)} messages needed, {num_messages} available")
    rows = [[Fraction(0)] * num_messages for _ in range(num_features)]
    for k, (_, phi) in enumerate(columns):
        for xb, p in enumerate(phi):
            rows[xb][k] = p
    return tuple(tuple(row) for row in rows)


def sender_best_response(instance: Instance, profile: Profile, sender: int, eta: Fraction) -> BestResponse:
    """Sender ``sender``'s exact best response to the other senders' schemes in ``profile``."""
    return best_response(deviation_problem(instance, profile, sender), eta)


def best_scheme(instance: Instance, sender: int, best: BestResponse) -> Scheme:
    """The returned best-response scheme as a scheme of ``sender`` (using their message names)."""
    return scheme_from_columns(
        best.columns, len(instance.sender_features), len(instance.senders[sender].messages)
    )


@dataclass(frozen=True)
class Game:
    """How a profile is played: its outcome, and one sender's exact best response to it."""

    name: str
    outcome: Callable[[Instance, Profile], Outcome]
    respond: Callable[[Instance, Profile, int, Fraction], BestResponse]


SIMULTANEOUS = Game("simultaneous", outcome, sender_best_response)
"""The one-round simultaneous game: Alice hears every sender (Sections B-C)."""


def oblivious_profile(instance: Instance, eta: Fraction = Fraction(1, 1000)) -> Profile:
    """Every sender's single-sender optimum, as if Alice heard only them (Definitions 18-19)."""
    nb = len(instance.sender_features)
    return Profile(tuple(
        scheme_from_columns(best_response(oblivious_problem(instance, i), eta).columns, nb, len(s.messages))
        for i, s in enumerate(instance.senders)
    ))


def deviations(instance: Instance, profile: Profile, eta: Fraction, game: Game = SIMULTANEOUS) -> list[Deviation]:
    """Every sender's best deviation from ``profile``."""
    current = game.outcome(instance, profile).sender_utilities
    return [
        Deviation(i, current[i], game.respond(instance, profile, i, eta))
        for i in range(instance.num_senders)
    ]


def nash_gap(devs: list[Deviation]) -> Fraction:
    """The largest gain of a unilateral deviation (0 exactly at a Nash equilibrium)."""
    return max(d.gain for d in devs)


def nash_conv(devs: list[Deviation]) -> Fraction:
    """The sum of the gains (OpenSpiel's ``nash_conv``)."""
    return sum((d.gain for d in devs), Fraction(0))


@dataclass(frozen=True)
class Dynamics:
    """The best profile best-response dynamics met, why they stopped, and after how many rounds.

    ``deviations`` are every sender's best deviation from ``profile``;
    ``converged`` says its Nash gap is within the tolerance asked for.
    """

    profile: Profile
    deviations: tuple[Deviation, ...]
    converged: bool
    stop_reason: str
    rounds: int

    @property
    def nash_gap(self) -> Fraction:
        return nash_gap(list(self.deviations))


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
) -> Dynamics:
    """Best-response dynamics over exact best responses in ``game``.

    Each round visits every sender (in index order, or in a random order
    drawn from ``seed``); a sender switches to their returned best-response
    scheme when its actual value is strictly higher than their current
    utility.  After every round the profile's Nash gap is computed exactly.
    The dynamics stop when it is at most ``tolerance`` (converged), when a
    round changed nothing (the remaining gains are suprema that no scheme
    attains, or that the ``eta``-approximation cannot improve on), at a
    profile seen before (a cycle), or after ``max_rounds`` rounds.  The
    result is the profile with the smallest gap met after any round, with
    the reason the dynamics stopped.
    """
    rng = random.Random(seed)
    cache: dict[tuple, Deviation] = {}

    def deviation(profile: Profile, i: int) -> Deviation:
        key = (profile.schemes, i)
        if key not in cache:
            current = game.outcome(instance, profile).sender_utilities[i]
            cache[key] = Deviation(i, current, game.respond(instance, profile, i, eta))
        return cache[key]

    profile = start
    seen = {profile.schemes}
    best: Dynamics | None = None
    for round_number in range(1, max_rounds + 1):
        senders = list(range(instance.num_senders))
        if order == "random":
            rng.shuffle(senders)
        switched = False
        for i in senders:
            dev = deviation(profile, i)
            if dev.best.achieved > dev.value:
                profile = profile.replace(i, best_scheme(instance, i, dev.best))
                switched = True
        devs = tuple(deviation(profile, i) for i in range(instance.num_senders))
        gap = nash_gap(list(devs))
        if best is None or gap < best.nash_gap:
            best = Dynamics(profile, devs, gap <= tolerance, "", round_number)
        if gap == 0:
            reason = "equilibrium: Nash gap is exactly 0"
        elif gap <= tolerance:
            reason = "within tolerance"
        elif not switched:
            reason = "no attainable improvement: the remaining gains are unattained suprema"
        elif profile.schemes in seen:
            reason = "cycle: a profile repeated"
        elif round_number == max_rounds:
            reason = "iteration cap reached"
        else:
            seen.add(profile.schemes)
            continue
        return dataclasses.replace(best, stop_reason=reason, rounds=round_number)
    raise ValueError("max_rounds must be at least 1")
