"""The properties a search hunts: each scores an instance, exactly, or says it shows nothing.

A property's ``evaluate(instance)`` returns a :class:`Finding` (an exact score, larger is more
extreme, and the numbers that show it) or None.  ``keep`` says what minimisation must preserve:
``"positive"`` -- a score > 0 (the finding exists); ``"extreme"`` -- a score at least the one found.

- ``oblivious-shortfall`` (Theorem 7, Appendix I): exact alignment (non-negative error 0), every
  sender can reveal the state and plays an optimal oblivious scheme (Definitions 18-19), yet Alice
  gets less than the first-best OPT (Definition 2).  Score: OPT minus what she gets.
- ``theorem-1-tightness`` / ``theorem-6-tightness``: at an exact equilibrium of the simultaneous
  game (Theorem 1, Section C.2) / the best-AI selection game (Theorem 6, Section E.2) with
  ``eps > 0``, the score ``(U_A(C*) - U_A) / (2 eps)`` (Definition 8; Remark 2's ``eps``): 1 would
  make the bound ``U_A(C*) - 2 eps`` tight, above 1 would refute it.
- ``hull-failure``: how far below ``U_A(C*)`` an exact equilibrium goes, ``U_A(C*) - U_A``, with
  ``0 < eps <= max_epsilon``.
- ``more-senders-less``: removing one sender raises Alice's utility at the equilibrium found
  (Li and Norman's point that adding a sender can hurt).  Score: the rise.
- ``more-senders-less-worst``: two senders who can each reveal ``x_B``; Alice's utility at the
  worst equilibrium found falls below her utility at *every* equilibrium with one sender alone
  (:mod:`~persuasion.counterexamples.li_norman`).  Score: the drop.
- ``module:function``: the user's predicate on an :class:`~persuasion.model.Instance`, returning a
  bool (True: score 1) or a rational score (a finding when > 0).

Equilibria come from :func:`equilibrium_of`, the one place that chooses which equilibrium a
property is about: the first the dynamics reach, or (``worst``, for the tightness and hull
properties) the worst for Alice a bounded search meets (:mod:`persuasion.counterexamples.choice`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Rational

from persuasion.model import Instance, Profile

__all__ = ["PROPERTIES", "Finding", "Property", "equilibrium_of", "lookup", "PredicateError"]

ETA = Fraction(1, 1000)


@dataclass(frozen=True)
class Finding:
    """What an instance shows: the exact ``score``, the ``numbers`` behind it (name, value), the
    equilibrium ``profile`` (if the property is about one) and, for ``more-senders-less``, the
    sender whose removal helps Alice (``dropped``) with the smaller game's equilibrium."""

    score: Fraction
    numbers: tuple[tuple[str, Fraction], ...]
    profile: Profile | None = None
    dropped: int | None = None
    fewer_profile: Profile | None = None


@dataclass(frozen=True)
class Property:
    """A property a search can hunt (see the module docstring)."""

    name: str
    space: str
    game: str
    keep: str
    claim: str
    evaluate: Callable[..., Finding | None] = field(repr=False)
    summary: str = ""
    fewer_floor: Callable[[Instance], dict] | None = field(default=None, repr=False)
    """For a finding with a sender dropped: the certificate of a bound on the smaller game,
    written as ``fewer-floor.json``."""
    nothing: str = ""
    """What the theory says when a search finds nothing (the text report prints it)."""


def equilibrium_of(instance: Instance, game: str, worst=None) -> Profile | None:
    """An exact equilibrium of ``game`` on ``instance`` (Nash gap 0), or None if none was found.

    The first one :func:`persuasion.api.find_equilibrium` reaches from ``"auto"``, as
    :func:`persuasion.solve` reports it; with ``worst`` (a
    :class:`~persuasion.api.worst.SearchBudget` per evaluation), the worst for Alice among it and
    those a search of that budget meets (:mod:`persuasion.counterexamples.choice`).  The one place
    that chooses the equilibrium.

    Parameters
    ----------
    instance : Instance
        The instance.
    game : str
        A name of :data:`persuasion.games.GAMES`.
    worst : SearchBudget, optional
        Search for the worst equilibrium for Alice with this budget.

    Returns
    -------
    Profile or None
        The equilibrium, or None when the dynamics stopped short of an exact one.
    """
    from persuasion.api.play import find_equilibrium

    dyn, _ = find_equilibrium(instance, "auto", game=game, eta=ETA)
    first = dyn.profile if dyn.converged and dyn.nash_gap == 0 else None
    if worst is None:
        return first
    from persuasion.counterexamples.choice import worst_equilibrium

    return worst_equilibrium(instance, game, worst, first)


def _benchmarks(instance: Instance) -> tuple[Fraction, Fraction]:
    """``U_A(C*)`` (Definition 8) and the non-negative alignment error (Remark 2)."""
    from persuasion.problem import aligned_problem
    from persuasion.sender import best_response
    from persuasion.weighted_alignment import weighted_alignment

    aligned = best_response(aligned_problem(instance), ETA).value
    return aligned, weighted_alignment(instance, simplex=False).epsilon


def _alice(instance: Instance, game: str, profile: Profile) -> Fraction:
    from persuasion.games import game as entry

    return entry(game).outcome(instance, profile).alice_utility


def oblivious_shortfall(instance: Instance, **_: object) -> Finding | None:
    """Theorem 7: exact alignment, oblivious optimal schemes, Alice below OPT."""
    from persuasion.witnesses.claims import theorem_7

    certificate = theorem_7(instance, eta=ETA)
    if not certificate["holds"]:
        return None
    c = certificate["conclusion"]
    opt, alice = Fraction(c["first_best"]), Fraction(c["alice_utility"])
    return Finding(opt - alice, (("first_best", opt), ("alice_utility", alice)))


def _revealing(instance: Instance) -> bool:
    return all(len(s.messages) >= len(instance.sender_features) for s in instance.senders)


def _gap(instance: Instance, game: str, max_epsilon: Fraction | None, worst=None):
    """``(U_A(C*), eps, U_A, profile)`` at an exact equilibrium (:func:`equilibrium_of`, the worst
    found with ``worst``) with ``0 < eps <= max_epsilon``, every sender able to reveal the state;
    else None."""
    if not _revealing(instance):
        return None
    aligned, eps = _benchmarks(instance)
    if eps == 0 or (max_epsilon is not None and eps > max_epsilon):
        return None
    profile = equilibrium_of(instance, game, worst)
    if profile is None:
        return None
    return aligned, eps, _alice(instance, game, profile), profile


def _numbers(aligned: Fraction, eps: Fraction, alice: Fraction) -> tuple:
    ratio = (aligned - alice) / (2 * eps)
    return (
        ("aligned_value", aligned), ("epsilon", eps), ("alice_utility", alice),
        ("gap", aligned - alice), ("ratio", ratio),
    )  # fmt: skip


def tightness(game: str) -> Callable[..., Finding | None]:
    """The score ``(U_A(C*) - U_A) / (2 eps)`` at an exact equilibrium of ``game``."""

    def evaluate(instance: Instance, max_epsilon: Fraction | None = None, worst=None, **_: object):
        found = _gap(instance, game, max_epsilon, worst)
        if found is None:
            return None
        aligned, eps, alice, profile = found
        return Finding((aligned - alice) / (2 * eps), _numbers(aligned, eps, alice), profile)

    return evaluate


def hull_failure(instance: Instance, max_epsilon: Fraction | None = None, worst=None, **_: object):
    """The gap ``U_A(C*) - U_A`` at an exact equilibrium with ``0 < eps <= max_epsilon``."""
    found = _gap(instance, "simultaneous", max_epsilon, worst)
    if found is None:
        return None
    aligned, eps, alice, profile = found
    return Finding(aligned - alice, _numbers(aligned, eps, alice), profile)


def without(instance: Instance, sender: int) -> Instance:
    """``instance`` with sender ``sender`` removed (Alice's utility and the prior unchanged)."""
    from dataclasses import replace

    senders = instance.senders[:sender] + instance.senders[sender + 1 :]
    return replace(instance, senders=senders)


def more_senders_less(instance: Instance, **_: object) -> Finding | None:
    """The largest rise of Alice's equilibrium utility when one sender is removed (> 0)."""
    if instance.num_senders < 2:
        return None
    profile = equilibrium_of(instance, "simultaneous")
    if profile is None:
        return None
    full = _alice(instance, "simultaneous", profile)
    best = None
    for i in range(instance.num_senders):
        fewer = without(instance, i)
        other = equilibrium_of(fewer, "simultaneous")
        if other is None:
            continue
        rise = _alice(fewer, "simultaneous", other) - full
        if rise > 0 and (best is None or rise > best[0]):
            best = (rise, i, other)
    if best is None:
        return None
    rise, i, other = best
    numbers = (("alice_utility", full), ("alice_utility_fewer", full + rise), ("rise", rise))
    return Finding(rise, numbers, profile, dropped=i, fewer_profile=other)


def more_senders_less_worst(instance: Instance, **_: object) -> Finding | None:
    """:func:`persuasion.counterexamples.li_norman.worse_with_more`."""
    from persuasion.counterexamples.li_norman import worse_with_more

    return worse_with_more(instance)


def _floor_certificate(instance: Instance) -> dict:
    from persuasion.counterexamples.li_norman import floor_certificate

    return floor_certificate(instance)


class PredicateError(ValueError):
    """A ``module:function`` property that cannot be imported or used (one line)."""


def _user(spec: str) -> Callable[[Instance], object]:
    """Import the function ``module:function`` names (raises :class:`PredicateError`)."""
    module_name, _, function_name = spec.partition(":")
    if not module_name or not function_name:
        raise PredicateError(f"--property {spec}: give a known name or module:function")
    try:
        module = importlib.import_module(module_name)
    except (Exception, SystemExit) as exc:  # any failure of the user's module is theirs
        raise PredicateError(f"--property {spec}: cannot import {module_name} ({exc})") from None
    function = getattr(module, function_name, None)
    if not callable(function):
        raise PredicateError(f"--property {spec}: {module_name} has no function {function_name}")
    return function


def user_property(spec: str) -> Callable[..., Finding | None]:
    """The property of the user's predicate ``spec`` (``module:function``)."""

    def evaluate(instance: Instance, **_: object) -> Finding | None:
        verdict = _user(spec)(instance)
        if isinstance(verdict, bool):
            score = Fraction(1) if verdict else None
        elif isinstance(verdict, Rational):
            score = Fraction(verdict)
        elif verdict is None:
            score = None
        else:
            raise PredicateError(
                f"--property {spec}: returned {type(verdict).__name__}, not a bool or a rational"
            )
        if score is None or score <= 0:
            return None
        return Finding(score, (("score", score),))

    return evaluate


LI_NORMAN_NOTHING = (
    "none within this budget, but they exist (the catalog's "
    "collina-et-al-2025-more-senders-less-worst; a larger --budget finds more). With signals "
    "that may be correlated (Gentzkow and Kamenica 2017), an equilibrium with both senders can "
    "leave Alice below every one-sender equilibrium only with information not comparable to the "
    "lone sender's; with the independent signals here (Li and Norman) that is not the only way"
)
"""Why ``more-senders-less-worst`` may find nothing."""


PROPERTIES = {
    p.name: p
    for p in (
        Property("oblivious-shortfall", "hull", "simultaneous", "positive", "theorem-7",
                 oblivious_shortfall, "OPT - U_A with oblivious senders, eps = 0 (Theorem 7)"),
        Property("theorem-1-tightness", "revealing", "simultaneous", "extreme", "theorem-1",
                 tightness("simultaneous"), "(U_A(C*) - U_A) / (2 eps) at an equilibrium"),
        Property("theorem-6-tightness", "revealing", "best-ai-selection", "extreme", "theorem-6",
                 tightness("best-ai-selection"), "(U_A(C*) - U_A) / (2 eps), best-AI selection"),
        Property("hull-failure", "revealing", "simultaneous", "extreme", "theorem-1",
                 hull_failure, "U_A(C*) - U_A at an equilibrium, eps > 0"),
        Property("more-senders-less", "free", "simultaneous", "positive", "theorem-1",
                 more_senders_less, "rise of U_A when one sender is removed"),
        Property("more-senders-less-worst", "revealing", "simultaneous", "positive", "theorem-1",
                 more_senders_less_worst, "U_A at every one-sender equilibrium minus U_A at the "
                 "worst two-sender equilibrium found", _floor_certificate, LI_NORMAN_NOTHING),
    )
}  # fmt: skip
"""The named properties, by name."""


def lookup(name: str) -> Property:
    """The property ``name``: one of :data:`PROPERTIES` or ``module:function`` (checked now).

    Parameters
    ----------
    name : str
        The property's name, or ``module:function``.

    Returns
    -------
    Property

    Raises
    ------
    PredicateError
        For an unknown name, or a ``module:function`` that cannot be imported.
    """
    if name in PROPERTIES:
        return PROPERTIES[name]
    if ":" not in name:
        raise PredicateError(
            f"--property {name}: unknown property (choose from {', '.join(PROPERTIES)}, "
            "or module:function)"
        )
    _user(name)
    return Property(name, "free", "simultaneous", "positive", "theorem-1", user_property(name))
