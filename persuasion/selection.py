"""The best-AI selection game (Section E, Definitions 16-17).

Alice evaluates every sender's committed scheme *alone*, ``U_A(C_j)``,
picks the one worth most to her (lowest index on ties) and talks only to
it; every sender is paid by the outcome of that single conversation.

A sender's best response (Section E; the notes in ``domain.md``) is the
better of

(a) not being selected -- the outcome of the best other sender ``j'`` --
    possible when some scheme is worth less to Alice than ``j'``'s (or
    equal, if ``j'`` wins ties), the uninformative scheme being the least
    valuable; and
(b) being selected -- the single-sender program with the extra linear
    constraint that Alice's value reaches ``M = U_A(C_j')``: weakly if this
    sender wins ties with ``j'``, strictly otherwise
    (:attr:`persuasion.problem.SenderProblem.alice_floor`).

The strict constraint is an open condition: its supremum is the weak
program's value whenever some scheme beats ``M`` at all, and may be
unattained.  For best-response dynamics an explicit improvement step
``step`` replaces "strictly more than ``M``" by "at least ``M + step``",
which is attainable (docs/explanation/selection.md; the command line's
``--delta``).
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from persuasion.equilibrium import Dynamics, Game, best_response_dynamics, deviations
from persuasion.games import STEP
from persuasion.model import Instance, Profile, Scheme, silent_scheme
from persuasion.problem import oblivious_problem, oblivious_problem_for
from persuasion.receiver import Outcome, oblivious_outcome_for
from persuasion.sender import BestResponse, best_response


def oblivious_outcome(instance: Instance, sender: int, scheme: Scheme) -> Outcome:
    """Everyone's utility when Alice talks to ``sender`` alone, who uses ``scheme`` (Definition 16,
    step 3)."""
    return oblivious_outcome_for(instance, instance.senders[sender].utility, scheme)


def alice_values(instance: Instance, profile: Profile) -> list[Fraction]:
    """``U_A(C_j)`` for every sender ``j``: what each scheme alone is worth to Alice."""
    return [oblivious_outcome(instance, j, s).alice_utility for j, s in enumerate(profile.schemes)]


def selected(values: list[Fraction]) -> int:
    """Alice's choice: the highest value, lowest index on ties (Definition 16, step 2)."""
    return values.index(max(values))


def selection_outcome(instance: Instance, profile: Profile) -> Outcome:
    """The outcome of the best-AI selection game at ``profile`` (Definition 16, step 4)."""
    j = selected(alice_values(instance, profile))
    return oblivious_outcome(instance, j, profile.schemes[j])


def selection_best_response(
    instance: Instance, profile: Profile, sender: int, eta: Fraction, step: Fraction | None = None
) -> BestResponse:
    """Sender ``sender``'s best response in the selection game (exact supremum when ``step`` is
    None).

    With ``step``, being selected against a rival who wins ties requires
    Alice's value ``>= M + step`` (the dynamics' attainable step); the
    value reported is then the supremum of that restricted problem.
    """
    base = oblivious_problem(instance, sender)
    values = alice_values(instance, profile)
    others = [j for j in range(instance.num_senders) if j != sender]
    if not others:
        return best_response(base, eta)
    top = max(values[j] for j in others)
    rival = min(j for j in others if values[j] == top)
    loses_ties = rival < sender
    silent = silent_scheme(len(instance.sender_features), len(instance.senders[sender].messages))
    floor_of_alice = oblivious_outcome(instance, sender, silent).alice_utility
    options = []
    if floor_of_alice < top or (floor_of_alice == top and loses_ties):
        left_out = oblivious_outcome(instance, rival, profile.schemes[rival]).sender_utilities[
            sender
        ]
        ones = tuple(Fraction(1) for _ in range(base.num_features))
        response = tuple(base.response_at(t, ones) for t in range(base.num_situations))
        options.append(
            BestResponse(
                left_out,
                True,
                ((response, ones),),
                left_out,
                "not-selected",
                "not-selected",
                "exact",
                None,
            )
        )
    if loses_ties and step is not None:
        chosen = dataclasses.replace(base, alice_floor=top + step)
    else:
        chosen = dataclasses.replace(base, alice_floor=top, floor_strict=loses_ties)
    if not (chosen.floor_strict and _best_alice_value(instance, sender, eta) <= top):
        selected_response = best_response(chosen, eta)
        if selected_response is not None:
            options.append(selected_response)
    return max(options, key=lambda option: (option.value, option.attained is True))


def _best_alice_value(instance: Instance, sender: int, eta: Fraction) -> Fraction:
    """The most any scheme of ``sender`` (with their messages) is worth to Alice."""
    problem = oblivious_problem_for(
        instance, instance.alice_utility, len(instance.senders[sender].messages)
    )
    return best_response(problem, eta).value


def selection_game(step: Fraction | None) -> Game:
    """The selection game for :func:`persuasion.equilibrium.best_response_dynamics`."""
    return Game(
        "best-ai-selection",
        selection_outcome,
        lambda instance, profile, i, eta: selection_best_response(instance, profile, i, eta, step),
    )


EXACT = selection_game(None)
"""The selection game with exact best responses (strict requirements kept strict)."""


def selection_dynamics(
    instance: Instance, start: Profile, *, step: Fraction = STEP, **options
) -> Dynamics:
    """Best-response dynamics in the selection game with improvement step ``step``.

    ``options`` are those of :func:`persuasion.equilibrium.best_response_dynamics`.
    The dynamics move by best responses that improve by ``step``; the profile they
    stop at is then judged exactly: its deviations and Nash gap are the exact
    suprema (no ``step``), and it counts as converged only if that exact gap
    is within ``tolerance``.  When the steps stop but the exact gap is
    positive, the status is ``"step-converged"``.  The judgement is made
    even when the time limit has passed: a reported gap is always exact.
    """
    return stepped_dynamics(instance, start, selection_game(step), EXACT, step, **options)


def stepped_dynamics(
    instance: Instance, start, stepped: Game, exact: Game, step: Fraction, **options
) -> Dynamics:
    """:func:`selection_dynamics` for any game whose dynamics move by ``step``: best-response
    dynamics in ``stepped``, the profile they stop at judged in ``exact`` (a conversation's
    selection game, :mod:`persuasion.conversation.selection`, runs them too)."""
    tolerance = options.get("tolerance", Fraction(0))
    eta = options.get("eta", Fraction(1, 1000))
    dyn = best_response_dynamics(instance, start, game=stepped, **options)
    exact_devs = tuple(deviations(instance, dyn.profile, eta, exact))
    judged = dataclasses.replace(dyn, deviations=exact_devs, converged=False)
    gap = judged.nash_gap
    if gap <= tolerance:
        reason = "equilibrium: Nash gap is exactly 0" if gap == 0 else "within tolerance"
        return dataclasses.replace(judged, converged=True, stop_reason=reason, status="converged")
    if dyn.status == "converged":
        reason = f"no sender gains by a step of delta = {step}, but the exact Nash gap is positive"
        return dataclasses.replace(judged, stop_reason=reason, status="step-converged")
    reason = f"{dyn.stop_reason} (steps of delta = {step}); the exact Nash gap is positive"
    return dataclasses.replace(judged, stop_reason=reason)
