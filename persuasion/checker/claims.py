"""The chains of the game claims: Definition 1, Theorems 1, 6 and 7.

Each chain reads its witnesses, proves every link the claim needs and
derives ``(holds, conclusion)`` from the instance, the profile and the
witnesses alone.  Witness keys (all required, nothing else allowed):

``fit``
    ``{"weights": [w_i per sender], "offset": c}``
``lower_bound``
    ``{"zeta": [[per state] per action], "kappa": k}`` (simplex) or ``{"zeta"}`` (non-negative)
``aligned``
    ``{"scheme": {x_B: {m: p}}, "bound": <upper bound>}`` (C*, Definition 8); in a
    conversation ``{"rule": ...}`` (:mod:`persuasion.checker.conversation`)
``deviations``
    ``{sender: <upper bound>}`` (each sender's best deviation, Definition 7)
``oblivious``
    ``{sender: {"scheme", "bound"}}`` (Definitions 18-19)

``<upper bound>`` is read by :func:`persuasion.checker.bounds.upper_bound`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from persuasion.checker.bounds import problem, upper_bound
from persuasion.checker.core import array, claim, fields, keyed, number, numbers, require
from persuasion.checker.game import (
    ZERO,
    Game,
    Matrix,
    Scheme,
    as_sender,
    expectation,
    first_best,
    joint,
    read_profile,
    read_scheme,
    teaches_best_action,
    utilities,
)


def witnesses(cert: dict, *keys: str) -> dict:
    return fields(cert["witnesses"], "witnesses", keys)


def supported(game: Game, wanted: str) -> None:
    """Theorems 1, 6 and 7 are about one round, Alice silent, best-response decisions, in their own
    game."""
    require(
        game.game == wanted,
        f"instance: the claim is about the {wanted} game, the instance plays {game.game}",
    )
    require(
        game.best_response,
        "instance: the theorems need rounds 1, alice_messages 1 and best-response decisions",
    )


def alignment(game: Game, wit: dict, simplex: bool) -> tuple[Fraction, list[Fraction], Fraction]:
    """Definition 1 (Remark 2 unless ``simplex``): the fit's error ``eps``, proven minimal by the LP
    dual.

    The fit gives ``eps = max |sum_i w_i U_i + c - u_A|``.  The dual ``zeta``
    (``sum |zeta| <= 1``, ``sum zeta = 0``, ``zeta . U_i >= kappa``; ``kappa = 0``
    for non-negative weights of any sum) shows every fit errs by at least
    ``kappa - zeta . u_A``; the two must meet.
    """
    fit = fields(wit["fit"], "witnesses.fit", ("weights", "offset"))
    w = numbers(fit["weights"], "witnesses.fit.weights", len(game.names))
    c = number(fit["offset"], "witnesses.fit.offset")
    require(all(x >= 0 for x in w), "witnesses.fit.weights: a weight is negative")
    require(not simplex or sum(w) == 1, "witnesses.fit.weights: simplex weights must sum to 1")
    eps = max(
        abs(
            sum((wi * u[a][y] for wi, u in zip(w, game.utilities, strict=True)), c)
            - game.alice[a][y]
        )
        for a in range(len(game.actions))
        for y in range(len(game.states))
    )
    lb = fields(
        wit["lower_bound"], "witnesses.lower_bound", ("zeta", "kappa") if simplex else ("zeta",)
    )
    zeta = [
        numbers(row, f"witnesses.lower_bound.zeta[{a}]", len(game.states))
        for a, row in enumerate(array(lb["zeta"], "witnesses.lower_bound.zeta", len(game.actions)))
    ]
    kappa = number(lb["kappa"], "witnesses.lower_bound.kappa") if simplex else ZERO
    flat = [v for row in zeta for v in row]
    require(
        sum(abs(v) for v in flat) <= 1 and sum(flat) == 0,
        "witnesses.lower_bound: need sum |zeta| <= 1 and sum zeta = 0",
    )
    require(
        all(expectation(u, zeta) >= kappa for u in game.utilities),
        "witnesses.lower_bound: some zeta . U_i < kappa",
    )
    lower = kappa - expectation(game.alice, zeta)
    require(
        lower == eps,
        f"witnesses: the fit errs by {eps}, the dual proves only {lower}: epsilon is not proven "
        "minimal",
    )
    return eps, w, c


def aligned(game: Game, witness: Any) -> tuple[Scheme, Fraction]:
    """Definition 8: C* (Alice's utility, the largest message set) and ``U_A(C*)``, proven
    optimal."""
    a = fields(witness, "witnesses.aligned", ("scheme", "bound"))
    m = max(len(ms) for ms in game.messages)
    scheme = read_scheme(
        a["scheme"], "witnesses.aligned.scheme", game, tuple(str(k) for k in range(m))
    )
    value = expectation(game.alice, joint(game, [scheme]))
    bound = upper_bound(a["bound"], "witnesses.aligned.bound", problem(game, game.alice, m))
    require(
        value == bound,
        f"witnesses.aligned: the scheme gives Alice {value}, the bound is {bound}: "
        "C* is not proven optimal",
    )
    return scheme, value


def chain_of_theorem(
    alice: Fraction,
    now: list[Fraction],
    dev_alice: Fraction,
    dev: list[Fraction],
    value: Fraction,
    w: list[Fraction],
    c: Fraction,
    eps: Fraction,
    gains: list[Fraction],
) -> None:
    """The inequalities of the proof of Theorems 1 and 6 (docs/explanation/certificates.md), on
    derived numbers."""
    for i, wi in enumerate(w):
        require(
            not wi or dev[i] <= now[i] + gains[i],
            f"proof: sender {i}'s deviation to C* beats their gain",
        )
    lhs = sum((wi * d for wi, d in zip(w, dev, strict=True)), ZERO)
    require(
        lhs <= sum((wi * (u + g) for wi, u, g in zip(w, now, gains, strict=True)), ZERO),
        "proof: the weighted gains fail",
    )
    require(lhs >= dev_alice - c - eps, "proof: alignment on the deviation distribution fails")
    require(dev_alice >= value, "proof: Alice learns less than C* tells her")
    require(
        sum((wi * u for wi, u in zip(w, now, strict=True)), ZERO) <= alice - c + eps,
        "proof: alignment at the profile fails",
    )


@claim("definition-1")
def definition_1(cert: dict, game: Game) -> tuple[bool, dict]:
    """Definition 1: ``epsilon`` (with these simplex weights and offset) is the minimal alignment
    error."""
    eps, w, c = alignment(game, witnesses(cert, "fit", "lower_bound"), simplex=True)
    return True, {"epsilon": eps, "weights": w, "offset": c}


@claim("definition-1-nonnegative")
def definition_1_nonnegative(cert: dict, game: Game) -> tuple[bool, dict]:
    """Definition 1 with Remark 2's non-negative weights of any sum."""
    eps, w, c = alignment(game, witnesses(cert, "fit", "lower_bound"), simplex=False)
    return True, {"epsilon": eps, "weights": w, "offset": c}


@claim("theorem-1")
def theorem_1(cert: dict, game: Game) -> tuple[bool, dict]:
    """Theorem 1 (Section C.2), with gains: ``U_A(profile) >= U_A(C*) - 2 eps - sum_i w_i g_i``.

    Chain: fit + dual => eps exact; C* + its bound => U_A(C*) exact; the
    profile's outcome; each sender's deviation bound => gain g_i; Definition 9
    at the profile (the weighted senders deviating to C* induce one
    distribution); then every inequality of the proof.  ``holds`` is
    Definition 9 at this profile.  In a conversation the chain is
    :func:`persuasion.checker.conversation.theorem_1`'s.
    """
    if not game.one_round:
        from persuasion.checker.conversation import theorem_1 as in_conversation

        return in_conversation(cert, game)
    supported(game, "simultaneous")
    wit = witnesses(cert, "fit", "lower_bound", "aligned", "deviations")
    eps, w, c = alignment(game, wit, simplex=False)
    profile = read_profile(cert["profile"], game)
    c_star, value = aligned(game, wit["aligned"])
    alice, now = utilities(game, joint(game, profile))
    deviations = keyed(wit["deviations"], "witnesses.deviations", game.names)
    gains = []
    for i, name in enumerate(game.names):
        others = [(j, s) for j, s in enumerate(profile) if j != i]
        bound = upper_bound(
            deviations[name],
            f"witnesses.deviations.{name}",
            problem(game, game.utilities[i], len(game.messages[i]), others),
        )
        require(
            bound >= now[i],
            f"witnesses.deviations.{name}: the bound {bound} is below {name}'s utility {now[i]}",
        )
        gains.append(bound - now[i])
    dists: list | None = []
    for i in (i for i, wi in enumerate(w) if wi):
        scheme = as_sender(c_star, len(game.messages[i]))
        if scheme is None:
            dists = None
            break
        dists.append(joint(game, profile[:i] + [scheme] + profile[i + 1 :]))
    identical = dists is not None and all(d == dists[0] for d in dists)
    bound = value - 2 * eps - sum((wi * g for wi, g in zip(w, gains, strict=True)), ZERO)
    # with no weighted sender, C* heard obliviously stands in for the deviation (see the docs)
    if identical:
        dev_alice, dev = utilities(game, dists[0] if dists else joint(game, [c_star]))
        chain_of_theorem(alice, now, dev_alice, dev, value, w, c, eps, gains)
        require(alice >= bound, "proof: Alice's utility is below the bound")
    return identical, {
        "alice_utility": alice,
        "aligned_value": value,
        "epsilon": eps,
        "weights": w,
        "gain_bounds": gains,
        "nash_gap_bound": max(gains),
        "bound": bound,
        "identical_induced_distributions": identical,
        "proposition_1": teaches_best_action(game, c_star),
    }


@claim("theorem-6")
def theorem_6(cert: dict, game: Game) -> tuple[bool, dict]:
    """Theorem 6 (Section E.2), with gains ``g_i = max(0, E_C*[U_i] - U_i(profile))``.

    Alice hears only the sender whose scheme, heard obliviously, is best for her (the first
    on ties, Definition 16).  If she already gets ``U_A(C*)`` there is nothing
    to prove; if a weighted sender cannot play C* (too few messages) the proof
    does not apply (``holds`` false); otherwise C* beats every sender's value,
    so a deviator to it is chosen, and the proof's inequalities are checked.  In a
    conversation each sender's conversation alone with Alice, and C*'s, are the kernel's own
    (:func:`persuasion.checker.conversation.selection`); the chain is the same.
    """
    from persuasion.checker import conversation

    if game.one_round:
        supported(game, "best-ai-selection")
    else:
        conversation.playable(game, "best-ai-selection", "theorem-6")
    wit = witnesses(cert, "fit", "lower_bound", "aligned")
    eps, w, c = alignment(game, wit, simplex=False)
    heard_alone = _oblivious if game.one_round else conversation.selection
    alone, c_star_alone, value, able = heard_alone(cert, game, wit, w)
    values = [expectation(game.alice, d) for d in alone]
    alice, now = utilities(game, alone[values.index(max(values))])
    dev_alice, dev = utilities(game, c_star_alone)
    gains = [max(ZERO, d - u) for d, u in zip(dev, now, strict=True)]
    bound = value - 2 * eps - sum((wi * g for wi, g in zip(w, gains, strict=True)), ZERO)
    holds = alice >= value or able
    if alice < value and able:
        require(value > max(values), "proof: C* does not beat every sender's value")
        chain_of_theorem(alice, now, dev_alice, dev, value, w, c, eps, gains)
    if holds:
        require(alice >= bound, "proof: Alice's utility is below the bound")
    return holds, {
        "alice_utility": alice,
        "aligned_value": value,
        "epsilon": eps,
        "weights": w,
        "gains": gains,
        "bound": bound,
        "senders_can_play_c_star": able,
    }


def _oblivious(
    cert: dict, game: Game, wit: dict, w: list[Fraction]
) -> tuple[list[Matrix], Matrix, Fraction, bool]:
    """One round of Definition 16: per sender, the distribution of their scheme heard alone;
    C*'s heard alone and ``U_A(C*)`` (proven optimal); whether every weighted sender can play
    C*."""
    profile = read_profile(cert["profile"], game)
    c_star, value = aligned(game, wit["aligned"])
    able = all(as_sender(c_star, len(game.messages[i])) is not None for i, wi in enumerate(w) if wi)
    return [joint(game, [s]) for s in profile], joint(game, [c_star]), value, able


@claim("theorem-7")
def theorem_7(cert: dict, game: Game) -> tuple[bool, dict]:
    """Theorem 7 (Appendix I): exact alignment, every sender able to reveal ``x_B`` (Remark 4),
    every sender playing an optimal oblivious scheme (Definitions 18-19), and yet Alice below OPT
    (Definition 2).

    Chain: fit + dual => eps exact; each oblivious scheme's value against its
    bound (optimal when they meet); the profile of those schemes; OPT.
    """
    supported(game, "simultaneous")
    wit = witnesses(cert, "fit", "lower_bound", "oblivious")
    eps, _, _ = alignment(game, wit, simplex=False)
    oblivious = keyed(wit["oblivious"], "witnesses.oblivious", game.names)
    schemes, optimal = [], []
    for i, name in enumerate(game.names):
        where = f"witnesses.oblivious.{name}"
        o = fields(oblivious[name], where, ("scheme", "bound"))
        scheme = read_scheme(o["scheme"], f"{where}.scheme", game, game.messages[i])
        value = expectation(game.utilities[i], joint(game, [scheme]))
        bound = upper_bound(
            o["bound"], f"{where}.bound", problem(game, game.utilities[i], len(game.messages[i]))
        )
        require(value <= bound, f"{where}: the scheme's value {value} exceeds the bound {bound}")
        schemes.append(scheme)
        optimal.append(value == bound)
    alice, _ = utilities(game, joint(game, schemes))
    opt = first_best(game)
    revealing = all(len(m) >= len(game.sender_features) for m in game.messages)
    holds = eps == 0 and revealing and all(optimal) and alice < opt
    return holds, {
        "alice_utility": alice,
        "first_best": opt,
        "epsilon": eps,
        "oblivious_optimal": optimal,
    }
