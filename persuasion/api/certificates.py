"""Certificates of the paper's claims on an instance, and their check by the kernel."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from persuasion.api.checks import checked_instance, checked_profile, integer, rational
from persuasion.api.common import ETA, MEMORY, check_supported, engine, game_of, unsupported
from persuasion.api.play import find_equilibrium
from persuasion.conversation import is_conversation as talks
from persuasion.errors import BeyondLimit, InputError, beyond_in, show
from persuasion.games import game_claims, profile_claims
from persuasion.model import Instance, Profile

if TYPE_CHECKING:
    from persuasion.conversation.rules import ConversationProfile
from persuasion.results import Certification, CheckResult, Claim

# ---------------------------------------------------------------- certificates

CONVERSATION_ROUNDS = 10**9
"""Default ``K`` of Theorem 5 (rounds of straightforward conversation) for an instance of one
round; an instance of more rounds gives its own ``protocol.rounds``."""

DELTA_CONV = Fraction(1, 100)
"""Default ``delta_conv`` of Theorem 5: the probability that the conversation fails to agree."""


def _claims(
    instance: Instance, asked: Sequence[str] | None, source: str, profile: Any = None
) -> list[str]:
    """The claims to certify: those asked (all by default) that apply to the instance's game.

    A game claim about another game is refused when asked for, and left out
    otherwise; so are every game's claims when the protocol cannot be played, and in a
    conversation those certified in one round only (:func:`_conversation_skips`).
    """
    from persuasion.checker.core import CLAIMS

    entry = game_of(instance, None)
    every_game = set(game_claims())
    other_game = every_game - set(entry.claims)
    unknown = [c for c in asked or () if c not in CLAIMS]
    if unknown:
        raise ValueError(f"unknown claim {unknown[0]!r} (choose from {', '.join(CLAIMS)})")
    wanted = set(asked or CLAIMS)
    if wanted & other_game and asked:
        raise InputError(
            source,
            f"{', '.join(sorted(wanted & other_game))} is about the other game; "
            f"this instance plays {entry.name}",
        )
    if talks(instance):
        skip = other_game | _conversation_skips(
            instance, wanted - other_game, asked, profile, source
        )
    else:
        if asked and wanted & every_game:
            check_supported(instance, source)
        skip = other_game | (every_game if unsupported(instance) else set())
    if not asked and _beyond_substitutes(instance):
        skip.add("theorem-5")  # asked for, it is refused with one line naming the limit
    if not _quantal_claim(instance, "theorem-2" in (asked or ()), source):
        skip.add("theorem-2")
    return [c for c in CLAIMS if c in wanted and c not in skip]


def _conversation_skips(
    instance: Instance, wanted: set[str], asked: Sequence[str] | None, profile: Any, source: str
) -> set[str]:
    """The game claims left out of a conversation's certificates, refused in one line when
    asked: Theorem 7 (certified in one round only), and Theorems 1 and 6 (the game's own)
    when :func:`_theorem_1_problem` says why not."""
    from persuasion.games import game_claims

    p = instance.protocol
    if asked and "theorem-7" in wanted:
        raise InputError(
            source,
            f"theorem-7 is certified in one round with Alice silent; this instance "
            f"is a conversation ({show(p.rounds, 24)} round(s), {show(p.alice_messages, 24)} "
            "Alice message(s))",
            "$.protocol",
        )
    own = wanted & {"theorem-1", "theorem-6"}
    problem = _theorem_1_problem(instance, profile, source, min(own)) if own else None
    if asked and problem:
        raise InputError(source, problem[1], problem[0])
    return set(game_claims()) - ({"theorem-1", "theorem-6"} if problem is None else set())


def _theorem_1_problem(
    instance: Instance, profile: Any, source: str, claim: str = "theorem-1"
) -> tuple[str, str] | None:
    """``(json path, problem)`` when ``claim`` (Theorem 1, or 6 in the selection game) cannot be
    certified in this conversation: a quantal Alice, a game beyond ``MAX_CONVERSATION_NODES``,
    no rule that tells Alice her best action
    (:func:`persuasion.witnesses.conversation.revealing_problem`); else None."""
    from persuasion.conversation.sizes import check_conversation_size
    from persuasion.witnesses.conversation import revealing_problem

    if instance.protocol.decision != "best-response":
        return "$.protocol.decision", f"{claim} in a conversation needs a best-responding Alice"
    try:  # first: counting C*'s answer sequences takes |M|^R
        check_conversation_size(instance, source)
    except InputError as beyond:
        return beyond.path or "$.protocol", beyond.problem
    why = revealing_problem(instance, claim)
    return ("$.senders", why) if why else None


def _beyond_substitutes(instance: Instance) -> bool:
    """Would Theorem 5's check of Definition 14 pass ``MAX_SUBSTITUTE_CHECKS``?"""
    from persuasion.checker.substitutes import substitute_checks
    from persuasion.limits import MAX_SUBSTITUTE_CHECKS

    return substitute_checks(instance.prior, instance.num_actions) > MAX_SUBSTITUTE_CHECKS


def _quantal_claim(instance: Instance, asked: bool, source: str) -> bool:
    """Whether ``theorem-2`` (a quantal-responding Alice, Section D.2) applies; asked of an
    instance it is not about, it is refused in one line."""
    from persuasion.api.quantal import quantal_problem

    if instance.protocol.decision != "quantal":
        if asked:
            raise InputError(
                source, "theorem-2 is about a quantal-responding Alice; this instance's "
                "decision rule is best-response", "$.protocol.decision",
            )  # fmt: skip
        return False
    problem = quantal_problem(instance)
    if problem and asked:
        raise InputError(source, problem[1], "$." + problem[0])
    return problem is None


def _claim(certificate: dict) -> Claim:
    import json

    from persuasion.witnesses import summary

    row = summary(certificate)
    return Claim(
        name=row["name"],
        cites=row["cites"],
        holds=row["holds"],
        statement=row["statement"],
        hypotheses=row["hypotheses"],
        conclusion_text=row["conclusion_text"],
        slack=None if row["slack"] is None else Fraction(row["slack"]),
        certificate_text=json.dumps(certificate, indent=1) + "\n",
    )


def certify(
    instance: Instance,
    profile: Profile | ConversationProfile | None = None,
    *,
    claims: Sequence[str] | None = None,
    eta: Fraction = ETA,
    lam: Fraction | None = None,
    hoeffding_epsilon: Fraction = Fraction(1, 10),
    failure_probability: Fraction = Fraction(1, 20),
    conversation_rounds: int | None = None,
    delta_conv: Fraction = DELTA_CONV,
    route: str = "auto",
    set_search: str = "auto",
    source: str = MEMORY,
) -> Certification:
    """Machine-checkable certificates (``persuasion-certificate/2``) of the paper's claims on an
    instance, each re-checked by the solver-free kernel (:func:`check`); the game claims are
    those of the instance's game (``GameEntry.claims``).

    Parameters
    ----------
    instance : Instance
    profile : Profile or ConversationProfile, optional
        The profile of Theorem 1, 2 or 6; by default the equilibrium :func:`find_equilibrium`
        finds from ``"auto"`` (for Theorem 2: every sender revealing ``x_B`` if they can).  In a
        conversation (``rounds > 1`` or ``alice_messages > 1``) the senders' rules, maybe keyed
        by history (default: where :func:`persuasion.solve`'s dynamics reach); ``theorem-1``
        and ``theorem-6`` are proved there with the gains of switching to ``C*`` (no Nash gap).
    claims : sequence of str, optional
        Names from :data:`persuasion.checker.CLAIMS`; default every claim that applies.
    eta : Fraction
        A reported best-response scheme comes within ``eta`` of an unattained supremum.
    lam : Fraction, optional
        Alice's quantal rationality on the instance's utilities; default (and only value
        accepted) a quantal instance's own, else 10.
    hoeffding_epsilon, failure_probability : Fraction
        Proposition 3's alignment tolerance and failure probability ``delta`` in (0, 1).
    conversation_rounds, delta_conv : int, Fraction
        Theorem 5's ``K >= 1`` (default and only value accepted: ``protocol.rounds`` if above 1;
        else :data:`CONVERSATION_ROUNDS`) and failure probability of agreement, in (0, 1).
    route, set_search : str
        How every best response finds its supremum.
    source : str
        The instance's file or slug: certificates embed its text, for ``check --instance``.

    Raises
    ------
    InputError
        For input a file could not hold, a claim about another game or protocol, or ``lam`` or
        ``K`` not the instance's; a limit passed is a ``BeyondLimit`` naming ``source``.
    ValueError
        For an unknown claim, route or set search, or an option out of range.
    """
    source, profile = _checked(instance, profile, claims, source)
    eta, analytic = _options(eta, lam, hoeffding_epsilon, failure_probability)
    analytic |= _conversation_options(instance, analytic, conversation_rounds, delta_conv, source)
    chosen = _claims(instance, claims, source, profile)
    with engine(route, set_search):
        made = _certificates(instance, chosen, profile, eta, analytic, source)
    return Certification(instance, tuple(_claim(c) for c in made))


def _checked(
    instance: Instance, profile: Any, claims: Sequence[str] | None, source: str
) -> tuple[str, Any]:
    """The file a certificate embeds (``source``, or its catalog slug's packaged file) and the
    profile (a conversation's rules in a conversation), once the instance, the profile and the
    claims are ones the command line would take."""
    located = _located(source)
    checked_instance(instance, located)
    if profile is not None and talks(instance):
        from persuasion.api.conversation import checked_rules

        profile = checked_rules(instance, profile, located)
    elif profile is not None:
        checked_profile(instance, profile, located)
    if isinstance(claims, str):
        raise TypeError(f"claims must be a sequence of claim names, not the string {claims!r}")
    return located, profile


def _options(
    eta: Fraction, lam: Fraction | None, hoeffding_epsilon: Fraction, failure_probability: Fraction
) -> tuple[Fraction, dict[str, Any]]:
    """``eta`` and the analytic claims' parameters, checked as the command line checks them."""
    positive = Fraction(0)
    delta = rational("failure_probability", failure_probability, positive, strict=True)
    if delta >= 1:
        raise ValueError(f"failure_probability must be < 1, not {delta}")
    return rational("eta", eta, positive, strict=True), dict(
        lam=None if lam is None else rational("lam", lam, positive, strict=True),
        hoeffding_epsilon=rational("hoeffding_epsilon", hoeffding_epsilon, positive, strict=True),
        delta=delta,
    )


def _conversation_options(
    instance: Instance, analytic: dict, rounds: int | None, delta_conv: Fraction, source: str
) -> dict[str, Any]:
    """Theorem 5's ``K`` and ``delta_conv``, checked as the command line checks them, and
    ``lambda`` and ``K`` given by the instance (:func:`_own_parameters`)."""
    delta = rational("delta_conv", delta_conv, Fraction(0), strict=True)
    if delta >= 1:
        raise ValueError(f"delta_conv must be < 1, not {delta}")
    if rounds is not None:
        rounds = integer("conversation_rounds", rounds, 1)
    return {"delta_conv": delta, **_own_parameters(instance, analytic["lam"], rounds, source)}


def _own_parameters(
    instance: Instance, lam: Fraction | None, rounds: int | None, source: str
) -> dict[str, Any]:
    """``lambda`` and ``K``: the instance's own (its quantal ``lambda``, its ``rounds`` when
    above 1) unless given, and a given one that differs from the instance's is refused -- the
    instance says what Alice does, an option does not silently replace it."""
    from persuasion.errors import show

    p = instance.protocol
    if p.lam is not None and lam is not None and lam != p.lam:
        raise InputError(
            source,
            f"--lambda {show(lam)} conflicts with the instance's quantal lambda {show(p.lam)} "
            "(leave --lambda out to use it)",
            "$.protocol.decision.lambda",
        )
    if p.rounds > 1 and rounds is not None and rounds != p.rounds:
        raise InputError(
            source,
            f"--conversation-rounds {show(Fraction(rounds))} conflicts with the instance's "
            f"{show(p.rounds, 24)} rounds (leave --conversation-rounds out to use them)",
            "$.protocol.rounds",
        )
    own = p.rounds if p.rounds > 1 else CONVERSATION_ROUNDS
    return {"lam": p.lam if lam is None else lam, "conversation_rounds": rounds or own}


def _located(source: str) -> str:
    """``source``, or the packaged file of the catalog slug it names (a file that exists wins)."""
    if source == MEMORY:
        return source
    import os

    from persuasion.catalog import instance_file

    path = str(instance_file(source))
    if not os.path.isfile(path):
        raise InputError(str(source), "no such file, nor a catalog slug")
    return path


def _certificates(
    instance: Instance,
    chosen: list[str],
    profile: Profile | None,
    eta: Fraction,
    analytic: dict[str, Any],
    source: str,
) -> list[dict]:
    """The certificates of ``chosen``; a claim about a profile, without one, is about the
    equilibrium :func:`find_equilibrium` finds from ``"auto"``."""
    from persuasion.witnesses import certify as make

    if "theorem-2" in chosen and profile is None:  # a quantal instance: no dynamics to run
        from persuasion.model import revealing_profile

        profile = revealing_profile(instance)
    if set(profile_claims()) & set(chosen) and profile is None:
        profile = _reached(instance, eta, source)
    path = None if source == MEMORY else source
    try:
        return make(instance, chosen, profile=profile, eta=eta, path=path, **analytic)
    except BeyondLimit as exc:  # one line naming the file, as for bad input
        raise beyond_in(source, exc) from None


def _reached(instance: Instance, eta: Fraction, source: str) -> Any:
    """The profile ``persuasion solve`` reaches with its defaults (best-response dynamics from
    ``"auto"``): in a conversation, over conversation rules
    (:func:`persuasion.api.conversation_play.solve_conversation`'s dynamics)."""
    if not talks(instance):
        return find_equilibrium(instance, "auto", eta=eta)[0].profile
    from persuasion.api.conversation_play import played_conversation

    played = played_conversation(instance, source)
    return find_equilibrium(instance, "auto", game=played, eta=eta)[0].profile


def _frozen(value: Any) -> Any:
    """A derived conclusion value with every list made a tuple."""
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


def check(
    certificate: str | Path | dict | Claim, instance: str | Path | bytes | None = None
) -> CheckResult:
    """Re-derive a certificate's claim exactly with the solver-free kernel (``persuasion check``).

    Parameters
    ----------
    certificate : str, Path, dict or Claim
        A certificate file, the parsed certificate, or a claim of :func:`certify`.
    instance : str, Path or bytes, optional
        Your own instance file, a catalog slug, or the file's bytes: the
        certificate is valid only if it embeds exactly this instance (same sha256).

    Returns
    -------
    CheckResult
        ``valid`` with the derived claim, or the first thing that does not check.

    Raises
    ------
    InputError
        If a file cannot be read or is not JSON.
    """
    from persuasion.checker import Invalid, check as kernel
    from persuasion.errors import one_line
    from persuasion.jsonio import read_bytes, read_json

    own = read_bytes(_located(str(instance))) if isinstance(instance, str | Path) else instance
    if isinstance(certificate, Claim):
        certificate = certificate.certificate
    elif isinstance(certificate, str | Path):
        certificate = read_json(certificate)
    try:
        result = kernel(certificate, own)
    except Invalid as problem:
        return CheckResult(valid=False, problem=one_line(str(problem)))
    conclusion = tuple((key, _frozen(value)) for key, value in result["conclusion"].items())
    return CheckResult(True, result["claim"], result["holds"], conclusion)
