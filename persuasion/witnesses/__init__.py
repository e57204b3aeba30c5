"""``persuasion certify``: which of the paper's guarantees apply to an instance, proved.

:func:`certify` returns one ``persuasion-certificate/2`` per claim
(:data:`CLAIMS`); :func:`summary` turns a certificate into a row of the
theorem report.  The game claims are built in :mod:`persuasion.witnesses.claims`,
Theorems 1 and 6 in a conversation in :mod:`persuasion.witnesses.conversation`,
the analytic ones (Lemmas 1-2, Propositions 2-3) in
:mod:`persuasion.witnesses.analytic`, from numbers this module derives from the
instance (documented in docs/reference/commands.md).
"""

from __future__ import annotations

from fractions import Fraction

from persuasion.witnesses.claims import definition_1, theorem_1, theorem_6, theorem_7
from persuasion.witnesses.theorem5 import decimal, theorem_5_certificate
from persuasion.checker.core import CLAIMS
from persuasion.model import Instance, Profile
from persuasion.numbers import fmt


def _analytic():
    """:mod:`persuasion.witnesses.analytic`, imported when an analytic claim is asked: it loads
    mpmath."""
    from persuasion.witnesses import analytic

    return analytic


def _quantal():
    """:mod:`persuasion.witnesses.quantal`, imported when ``theorem-2`` is asked."""
    from persuasion.witnesses import quantal

    return quantal


def certify(
    instance: Instance,
    claims: list[str],
    *,
    profile: Profile,
    eta: Fraction,
    lam: Fraction | None = None,
    hoeffding_epsilon: Fraction = Fraction(1, 10),
    delta: Fraction = Fraction(1, 20),
    conversation_rounds: int = 10**9,
    delta_conv: Fraction = Fraction(1, 100),
    path: str | None = None,
) -> list[dict]:
    """One certificate per claim in ``claims`` (names from :data:`CLAIMS`)."""
    if lam is None:
        lam = instance.protocol.lam or Fraction(10)
    makers = {
        "definition-1": lambda: definition_1(instance, path=path),
        "definition-1-nonnegative": lambda: definition_1(instance, simplex=False, path=path),
        "theorem-1": lambda: _theorem_1_certificate(instance, profile, eta, path),
        "theorem-2": lambda: _quantal().theorem_2(instance, profile, eta=eta, path=path),
        "theorem-6": lambda: _theorem_6_certificate(instance, profile, eta, path),
        "theorem-7": lambda: theorem_7(instance, eta=eta, path=path),
        "lemma-1": lambda: _analytic().lemma_1_certificate(instance, lam, path=path),
        "lemma-2": lambda: _analytic().lemma_2_certificate(instance, lam, path=path),
        "proposition-2": lambda: _analytic().proposition_2_certificate(
            instance, lam, eta, path=path
        ),
        "proposition-3": lambda: _analytic().proposition_3_certificate(
            instance, hoeffding_epsilon, delta, path=path
        ),
        "theorem-5": lambda: theorem_5_certificate(
            instance, lam, conversation_rounds, delta_conv, path=path
        ),
    }
    return [makers[name]() for name in claims]


def _theorem_1_certificate(instance: Instance, profile, eta: Fraction, path: str | None) -> dict:
    """Theorem 1's certificate: in a conversation, with the gains of the deviations to C*
    (:mod:`persuasion.witnesses.conversation`)."""
    from persuasion.conversation import is_conversation

    if is_conversation(instance):
        from persuasion.witnesses import conversation

        return conversation.theorem_1(instance, profile, path=path)
    return theorem_1(instance, profile, eta=eta, path=path)


def _theorem_6_certificate(instance: Instance, profile, eta: Fraction, path: str | None) -> dict:
    """Theorem 6's certificate: in a conversation, over each sender's conversation alone with
    Alice (:func:`persuasion.witnesses.conversation.theorem_6`)."""
    from persuasion.conversation import is_conversation

    if is_conversation(instance):
        from persuasion.witnesses import conversation

        return conversation.theorem_6(instance, profile, path=path)
    return theorem_6(instance, profile, eta=eta, path=path)


def _lower(interval) -> Fraction:
    return Fraction(interval[0])


def _upper(interval) -> Fraction:
    return Fraction(interval[1])


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _theorem_1(c: dict) -> tuple[str, str, Fraction | None]:
    hypotheses = (
        f"eps = {c['epsilon']} (w = {', '.join(c['weights'])}); Definition 9 at this profile: "
        f"{_yes(c['identical_induced_distributions'])}; "
    )
    if "gains" in c:  # a conversation: the deviations to C*, not the best ones
        gains = ", ".join("-" if g is None else g for g in c["gains"])
        hypotheses += f"gains of deviating to C* (no Nash gap is certified): {gains}"
    else:
        hypotheses += (
            f"Proposition 1 (C* teaches her best action): {_yes(c['proposition_1'])}; "
            f"Nash gap at most {c['nash_gap_bound']}"
        )
    if not c["identical_induced_distributions"]:
        return hypotheses, "no conclusion: the hypothesis fails", None
    conclusion = (
        f"U_A = {c['alice_utility']} >= U_A(C*) - 2 eps - sum w_i g_i = "
        f"{c['aligned_value']} - 2*{c['epsilon']} - "
        f"{fmt(Fraction(c['aligned_value']) - 2 * Fraction(c['epsilon']) - Fraction(c['bound']))}"
        f" = {c['bound']}"
    )
    return hypotheses, conclusion, Fraction(c["alice_utility"]) - Fraction(c["bound"])


def _theorem_5(c: dict) -> tuple[str, str, Fraction | None]:
    """Theorem 5's row: Definition 14 decides whether it says anything; no slack (it bounds every
    quantal response Nash equilibrium, none of which is computed here)."""
    subs = c["substitutes"]
    worst = subs["worst"]
    hypotheses = (
        f"information substitutes: {_yes(subs['holds'])}"
        + (
            ""
            if worst is None
            else f" (fails for {worst['action']}: {worst['lhs']} > {worst['rhs']})"
        )
        + f"; eps = {c['epsilon']}; OPT = {c['first_best']}; zeta^2 = {c['zeta_squared']}"
    )
    lo, hi = c["bound_interval"]
    conclusion = f"every QRE gives Alice at least ~{decimal(lo)} (in [{lo}, {hi}])"
    if c["corollary_3"]:
        conclusion += f"; Corollary 3: at least ~{decimal(c['corollary_interval'][0])}"
    return hypotheses, conclusion, None


def _theorem_2(c: dict) -> tuple[str, str, Fraction | None]:
    gains = ", ".join("-" if g is None else g for g in c["gains"])
    hypotheses = (
        f"eps = {c['epsilon']} (w = {', '.join(c['weights'])}); eps_u = {c['eps_u']}, "
        f"delta <= {c['delta'][1]}; weighted senders can play C*: "
        f"{_yes(c['senders_can_play_c_star'])}; gains of deviating to C*: {gains}"
    )
    if not c["senders_can_play_c_star"]:
        return hypotheses, "no conclusion: the hypothesis fails", None
    conclusion = (
        f"U_A >= {c['alice_utility'][0]} >= {c['bound']} (U_A(C*) >= {c['aligned_utility'][0]})"
    )
    return hypotheses, conclusion, _lower(c["alice_utility"]) - Fraction(c["bound"])


def _rows(cert: dict) -> tuple[str, str, Fraction | None]:
    """Hypotheses, conclusion and exact slack of one certificate, in words and numbers."""
    c, claim = cert["conclusion"], cert["claim"]
    if claim.startswith("definition-1"):
        return (
            "none",
            f"eps = {c['epsilon']} is the minimum (w = {', '.join(c['weights'])}, c = "
            f"{c['offset']})",
            None,
        )
    if claim == "theorem-1":
        return _theorem_1(c)
    if claim == "theorem-2":
        return _theorem_2(c)
    if claim == "theorem-6":
        hypotheses = (
            f"eps = {c['epsilon']} (w = {', '.join(c['weights'])}); weighted senders can play C*: "
            f"{_yes(c['senders_can_play_c_star'])}; gains of deviating to C*: "
            f"{', '.join(c['gains'])}"
        )
        return (
            hypotheses,
            f"U_A = {c['alice_utility']} >= {c['bound']}",
            Fraction(c["alice_utility"]) - Fraction(c["bound"]),
        )
    if claim == "theorem-7":
        return (
            f"eps = {c['epsilon']} (must be 0); every sender can reveal x_B; oblivious strategies "
            "optimal",
            f"Alice gets {c['alice_utility']} vs OPT = {c['first_best']}",
            Fraction(c["first_best"]) - Fraction(c["alice_utility"]),
        )
    if claim == "lemma-1":
        return (
            "beliefs at the prior",
            "quantal gap <= log|A| / lambda",
            _lower(c["bound_interval"]) - _upper(c["gap_interval"]),
        )
    if claim == "lemma-2":
        return (
            f"||u - u'|| = {c['epsilon']}",
            "||P - Q||_1 <= e^(2 lambda eps) - 1",
            _lower(c["bound_interval"]) - 1 - _upper(c["l1_interval"]),
        )
    if claim == "proposition-2":
        return ("eps_u of the aligned rule C*", f"delta <= {c['delta']}", None)
    if claim == "theorem-5":
        return _theorem_5(c)
    return (
        f"k = {c['k']} agents",
        "k > (ln(2|A||Y|) - ln delta) / (2 eps^2)",
        Fraction(c["k"]) - _upper(c["threshold_interval"]),
    )


def summary(cert: dict) -> dict:
    """A theorem-report row: the claim, whether its hypotheses hold, its conclusion and exact slack.

    ``slack`` is how far the conclusion is from failing, as an exact
    rational (a proven lower bound where ``exp``/``log`` enter), or None
    where the claim is an equality or has no conclusion.
    """
    hypotheses, conclusion, slack = _rows(cert)
    return {
        "name": cert["claim"],
        "cites": cert["cites"],
        "holds": cert["holds"],
        "statement": cert["statement"],
        "hypotheses": hypotheses,
        "conclusion_text": conclusion,
        "slack": None if slack is None else fmt(slack),
        "conclusion": cert["conclusion"],
    }


__all__ = ["CLAIMS", "certify", "summary"]
