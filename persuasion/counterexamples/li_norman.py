"""More senders, less for Alice -- at the worst equilibrium, every sender able to reveal ``x_B``.

When every sender can add any signal to the others' (signals arbitrarily correlated, a
*Blackwell-connected* environment), Gentzkow and Kamenica (2017) show that with two or more
senders an information structure is an equilibrium outcome exactly when no sender gains by refining
it.  So from two senders on an added sender only removes equilibria and Alice's worst equilibrium
cannot get worse; and from one sender to two, an equilibrium strictly less informative than a
one-sender equilibrium is itself one (the lone sender could not gain by refining it, so it is as
good for him as his optimum).  What remains possible there is an equilibrium whose information is
*not comparable* with the lone sender's and is worth less to Alice.  Li and Norman (2018, 2021)
show each of Gentzkow and Kamenica's assumptions -- simultaneous moves, correlated signals, pure
strategies -- is needed; the simultaneous game of the paper (Definitions 3 and 7) drops the second
(messages independent given ``x_B``), so there even the monotonicity from two senders on can fail.

:func:`worse_with_more` measures the question on two senders, each able to reveal ``x_B`` (so
full revelation is an equilibrium, Remark 4, and the question is the worst one).  Alice's utility
at the worst equilibrium found -- the dynamics' and every pure equilibrium of the deterministic
restricted game that is an exact equilibrium of the full game (Nash gap 0;
:func:`persuasion.equilibria`) -- against her utility with either sender alone, bounded below at
*every* equilibrium of that one-sender game by an exact LP
(:mod:`persuasion.counterexamples.one_sender`).  A positive score is a certified case of "adding
a sender lowers what Alice gets at some equilibrium below what she gets at every equilibrium
without him" (the catalog's ``collina-et-al-2025-more-senders-less-worst``: information not
comparable, as above).
"""

from __future__ import annotations

from persuasion.counterexamples.one_sender import one_sender
from persuasion.counterexamples.properties import ETA, Finding, without
from persuasion.model import Instance, Profile

__all__ = ["floor_certificate", "worse_with_more", "worst_found"]


def worst_found(instance: Instance):
    """The equilibrium worst for Alice that :func:`persuasion.equilibria` finds, deciding the
    deterministic restricted game (None when none is found or the game is past the limits)."""
    from persuasion.api.worst import equilibria
    from persuasion.limits import MAX_RESTRICTED_PROFILES
    from persuasion.restricted import restricted_profile_count

    if restricted_profile_count(instance) > MAX_RESTRICTED_PROFILES:
        return None
    search = equilibria(
        instance,
        game="simultaneous",
        random_starts=0,
        max_starts=1,
        restricted="deterministic",
        time_limit=None,
        eta=ETA,
    )
    return search.worst


def _alone_profile(instance: Instance, sender: int) -> Profile:
    """Sender ``sender``'s scheme attaining their supremum when alone with Alice."""
    from persuasion.equilibrium import best_scheme
    from persuasion.problem import oblivious_problem
    from persuasion.sender import best_response

    alone = without(instance, 1 - sender)
    return Profile((best_scheme(alone, 0, best_response(oblivious_problem(alone, 0), ETA)),))


def worse_with_more(instance: Instance, **_: object) -> Finding | None:
    """How far Alice's worst equilibrium with both senders falls below every equilibrium with one.

    Parameters
    ----------
    instance : Instance
        Two senders, each with at least ``|X_B|`` messages (else None).

    Returns
    -------
    Finding or None
        Score ``floor - U_A``: ``U_A`` Alice's utility at the worst equilibrium found (its
        ``profile``), ``floor`` the exact lower bound on her utility at every equilibrium of the
        game where the sender ``dropped`` is removed (``fewer_profile``: one such equilibrium);
        None unless the score is positive.
    """
    nb = len(instance.sender_features)
    if instance.num_senders != 2 or any(len(s.messages) < nb for s in instance.senders):
        return None
    worst = worst_found(instance)
    if worst is None:
        return None
    best = None
    for kept in range(2):
        alone = one_sender(without(instance, 1 - kept), 0, ETA)
        if alone.attained and (best is None or alone.alice_floor > best[1].alice_floor):
            best = (kept, alone)
    if best is None or best[1].alice_floor <= worst.alice_utility:
        return None
    kept, alone = best
    numbers = (
        ("alice_utility", worst.alice_utility),
        ("alice_floor_fewer", alone.alice_floor),
        ("drop", alone.alice_floor - worst.alice_utility),
    )
    return Finding(
        alone.alice_floor - worst.alice_utility,
        numbers,
        worst.profile,
        dropped=1 - kept,
        fewer_profile=_alone_profile(instance, kept),
    )


def floor_certificate(instance: Instance) -> dict:
    """The exact LP certificate (``persuasion-lp-certificate/1``) of the one-sender floor of
    ``instance`` (one sender): :func:`persuasion.lp.check_certificate` re-verifies it."""
    from persuasion.counterexamples.one_sender import floor_result

    return floor_result(instance, 0, ETA).certificate
