"""Certificates of the paper's results on one instance (``persuasion certify``).

Each function returns a ``persuasion-certificate/2`` dict: the instance's
exact text and its sha256, the profile if the claim is about one, the
*witnesses* the kernel (:mod:`persuasion.checker`) needs, and -- for human
readers, compared by the kernel with what it derives -- ``holds`` and the
``conclusion`` in exact numbers, computed here with the package's own code.

* ``definition-1`` / ``definition-1-nonnegative``: the alignment error with
  its weights and offset is optimal (Definition 1; Remark 2).
* ``theorem-1``: at a profile, Alice gets at least
  ``U_A(C*) - 2 eps - sum_i w_i g_i``, where ``g_i`` is sender ``i``'s
  certified gain (0 at an exact equilibrium: Theorem 1 as stated; the general
  form is proved in docs/explanation/certificates.md).
* ``theorem-6``: the same bound in the best-AI selection game (Section E),
  with the gains of the deviation to C* the proof uses.
* ``theorem-7``: the oblivious strategies (Definitions 18-19) and what Alice
  gets by combining them, against the first-best (Appendix I).
"""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from pathlib import Path

from persuasion.weighted_alignment import Alignment, weighted_alignment
from persuasion.witnesses.bounds import upper_bound_witness
from persuasion.checker.core import FORMAT
from persuasion.equilibrium import scheme_from_columns
from persuasion.instance import dump_instance
from persuasion.model import Instance, Profile, Scheme
from persuasion.numbers import fmt
from persuasion.problem import (
    aligned_messages,
    aligned_problem,
    deviation_problem,
    oblivious_problem,
)
from persuasion.conversation.rules import ConversationProfile
from persuasion.profile import dump_conversation_profile, dump_profile, dump_scheme
from persuasion.receiver import (
    Outcome,
    best_action,
    expected_utility,
    first_best,
    oblivious_outcome_for,
    outcome,
)
from persuasion.sender import best_response

ETA = Fraction(1, 1000)

UNITS = (
    "utilities in the instance's own units, not rescaled to [0, 1]: Definition 1 and "
    "Theorems 1, 6 and 7 are unchanged by a common positive affine change of units "
    "(epsilon, gains and bounds scale with Alice's utility)"
)
"""What every game certificate says about units (docs/explanation/model.md asks certificates to say
so)."""


def instance_text(instance: Instance, path: str | None = None) -> str:
    """The exact text of the instance file at ``path`` (the instance dumped as JSON when there is
    none).

    A BOM stays in the text, so the UTF-8 bytes of the text are the file's bytes.
    """
    if path:
        return Path(path).read_bytes().decode("utf-8")
    return json.dumps(dump_instance(instance), indent=1, ensure_ascii=False) + "\n"


def envelope(
    instance: Instance,
    claim: str,
    cites: str,
    statement: str,
    witnesses: dict,
    *,
    holds: bool,
    conclusion: dict,
    profile: Profile | ConversationProfile | None = None,
    parameters: dict | None = None,
    path: str | None = None,
    units: bool = True,
) -> dict:
    """The self-contained certificate around ``witnesses``."""
    body = instance_text(instance, path)
    cert = {
        "format": FORMAT,
        "claim": claim,
        "cites": cites,
        "statement": statement,
        "holds": holds,
        "conclusion": conclusion,
    }
    if units:
        cert["units"] = UNITS
    cert["instance_text"] = body
    cert["instance_sha256"] = hashlib.sha256(body.encode("utf-8")).hexdigest()
    if path:
        cert["instance_path"] = str(path)
    if isinstance(profile, ConversationProfile):  # a conversation's rules, maybe by history
        cert["profile"] = dump_conversation_profile(profile, instance)
    elif profile is not None:
        cert["profile"] = dump_profile(profile, instance)
    if parameters is not None:
        cert["parameters"] = {key: fmt(value) for key, value in parameters.items()}
    cert["witnesses"] = witnesses
    return json.loads(
        json.dumps(cert)
    )  # nothing shared between witnesses and conclusion, as in a file


def _variant(alignment: Alignment) -> str:
    return "simplex" if alignment.simplex else "nonnegative"


def alignment_witnesses(alignment: Alignment) -> dict:
    """Definition 1: the fit (weights, offset) and the LP dual proving no fit is better."""
    lower = {"zeta": [[fmt(v) for v in row] for row in alignment.zeta]}
    if alignment.simplex:
        lower["kappa"] = fmt(alignment.kappa)
    return {
        "fit": {"weights": [fmt(w) for w in alignment.weights], "offset": fmt(alignment.offset)},
        "lower_bound": lower,
    }


def definition_1(instance: Instance, *, simplex: bool = True, path: str | None = None) -> dict:
    """Certificate that ``epsilon`` (with its weights and offset) is the minimal alignment error."""
    alignment = weighted_alignment(instance, simplex=simplex)
    return envelope(
        instance,
        "definition-1" if simplex else "definition-1-nonnegative",
        "Definition 1" if simplex else "Definition 1, Remark 2",
        f"the minimal weighted alignment error ({_variant(alignment)} weights) is "
        f"{fmt(alignment.epsilon)}",
        alignment_witnesses(alignment),
        holds=True,
        conclusion={
            "epsilon": fmt(alignment.epsilon),
            "weights": [fmt(w) for w in alignment.weights],
            "offset": fmt(alignment.offset),
        },
        path=path,
    )


def oblivious_witness(
    instance: Instance, sender: int | None, eta: Fraction
) -> tuple[dict, Fraction, Fraction, Scheme]:
    """An obliviously heard sender's scheme and upper bound: C* (``sender`` None, Definition 8) or
    an optimal oblivious sender (Definition 19).

    Returns the witness ``{"scheme", "bound"}``, the scheme's value, the
    proven bound (equal when the supremum is attained) and the scheme.
    """
    if sender is None:
        problem, utility = aligned_problem(instance), instance.alice_utility
        messages = tuple(str(m) for m in range(aligned_messages(instance)))
    else:
        problem, utility = oblivious_problem(instance, sender), instance.senders[sender].utility
        messages = instance.senders[sender].messages
    best = best_response(problem, eta)
    scheme = scheme_from_columns(best.columns, len(instance.sender_features), len(messages))
    value = expected_utility(utility, oblivious_outcome_for(instance, utility, scheme).joint)
    witness, bound = upper_bound_witness(problem, best.value, best.tree)
    return (
        {"scheme": dump_scheme(instance.sender_features, messages, scheme), "bound": witness},
        value,
        bound,
        scheme,
    )


def bound_with_gains(
    aligned_value: Fraction, alignment: Alignment, gains: list[Fraction]
) -> Fraction:
    """Theorems 1 and 6 at any profile: ``U_A(C*) - 2 eps - sum_i w_i g_i``, with ``g_i`` (upper
    bounds on) each sender's deviation gain; at an exact equilibrium every ``g_i`` is 0."""
    weighted = sum((w * g for w, g in zip(alignment.weights, gains, strict=True)), Fraction(0))
    return aligned_value - 2 * alignment.epsilon - weighted


def theorem_1(
    instance: Instance, profile: Profile, *, eta: Fraction = ETA, path: str | None = None
) -> dict:
    """Certificate of Theorem 1's bound at ``profile`` (the gains version when it is not an exact
    equilibrium)."""
    alignment = weighted_alignment(instance, simplex=False)
    aligned_witness, aligned_value, _, aligned_scheme = oblivious_witness(instance, None, eta)
    current = outcome(instance, profile)
    deviations, gains = {}, []
    for i, s in enumerate(instance.senders):
        problem = deviation_problem(instance, profile, i)
        best = best_response(problem, eta)
        deviations[s.name], bound = upper_bound_witness(problem, best.value, best.tree)
        gains.append(bound - current.sender_utilities[i])
    gap = max(gains)
    weighted = [s.name for s, w in zip(instance.senders, alignment.weights, strict=True) if w]
    identical = _identical(instance, profile, weighted, aligned_scheme)
    bound = bound_with_gains(aligned_value, alignment, gains)
    conclusion = {
        "alice_utility": fmt(current.alice_utility),
        "aligned_value": fmt(aligned_value),
        "epsilon": fmt(alignment.epsilon),
        "weights": [fmt(w) for w in alignment.weights],
        "gain_bounds": [fmt(g) for g in gains],
        "nash_gap_bound": fmt(gap),
        "bound": fmt(bound),
        "identical_induced_distributions": identical,
        "proposition_1": _teaches_best_action(instance, aligned_scheme),
    }
    return envelope(
        instance,
        "theorem-1",
        "Theorem 1 (Section C.2)",
        "Alice's utility at this profile is at least U_A(C*) - 2 eps - sum_i w_i g_i",
        {**alignment_witnesses(alignment), "aligned": aligned_witness, "deviations": deviations},
        holds=identical,
        conclusion=conclusion,
        profile=profile,
        path=path,
    )


def _teaches_best_action(instance: Instance, scheme: Scheme) -> bool:
    """Proposition 1 with ties: after each message of C* (and each x_A) one action is Alice's
    tie-broken best for every x_B sending it, so extra information never changes it (Definition 9
    at every profile).  Reaching OPT is not enough when she has ties."""
    return all(
        len(
            {
                best_action(instance, row)
                for xb, row in enumerate(table)
                if scheme[xb][m] and any(row)
            }
        )
        <= 1
        for table in instance.prior
        for m in range(len(scheme[0]))
    )


def _identical(instance: Instance, profile: Profile, senders: list[str], aligned: Scheme) -> bool:
    """Do the weighted senders, each deviating to C*, induce one distribution (Definition 9
    here)?"""
    used = max((m for row in aligned for m, p in enumerate(row) if p), default=0) + 1
    dists = []
    for name in senders:
        i = instance.sender_index(name)
        n = len(instance.senders[i].messages)
        if used > n:
            return False
        scheme = tuple(tuple(row[:n]) + (Fraction(0),) * (n - len(row)) for row in aligned)
        dists.append(outcome(instance, profile.replace(i, scheme)).joint)
    return all(d == dists[0] for d in dists)


def theorem_7(instance: Instance, *, eta: Fraction = ETA, path: str | None = None) -> dict:
    """Theorem 7 (Appendix I): oblivious single-sender optima, combined, against OPT."""
    alignment = weighted_alignment(instance, simplex=False)
    witnesses, schemes, optimal = {}, [], []
    for i, s in enumerate(instance.senders):
        witnesses[s.name], value, bound, scheme = oblivious_witness(instance, i, eta)
        schemes.append(scheme)
        optimal.append(value == bound)
    combined = outcome(instance, Profile(tuple(schemes)))
    opt = first_best(instance)
    revealing = all(len(s.messages) >= len(instance.sender_features) for s in instance.senders)
    holds = alignment.epsilon == 0 and revealing and all(optimal) and combined.alice_utility < opt
    return envelope(
        instance,
        "theorem-7",
        "Theorem 7 (Appendix I)",
        "weighted alignment without sender competition does not ensure the first-best",
        {**alignment_witnesses(alignment), "oblivious": witnesses},
        holds=holds,
        conclusion={
            "alice_utility": fmt(combined.alice_utility),
            "first_best": fmt(opt),
            "epsilon": fmt(alignment.epsilon),
            "oblivious_optimal": optimal,
        },
        path=path,
    )


def theorem_6_conclusion(
    now: Outcome, deviation: Outcome, value: Fraction, alignment, able: bool
) -> tuple[bool, dict]:
    """Theorem 6's ``holds`` and conclusion, one round or conversation alike: Alice's outcome
    ``now`` (the sender she selects), the outcome of ``C*`` heard alone (``deviation``, worth
    ``value`` to her), gains ``g_i = max(0, E_C*[U_i] - U_i(now))`` and the bound
    ``U_A(C*) - 2 eps - sum_i w_i g_i``; ``able``: every weighted sender can play ``C*``."""
    gains = [
        max(Fraction(0), d - u)
        for d, u in zip(deviation.sender_utilities, now.sender_utilities, strict=True)
    ]
    bound = bound_with_gains(value, alignment, gains)
    return now.alice_utility >= value or able, {
        "alice_utility": fmt(now.alice_utility),
        "aligned_value": fmt(value),
        "epsilon": fmt(alignment.epsilon),
        "weights": [fmt(w) for w in alignment.weights],
        "gains": [fmt(g) for g in gains],
        "bound": fmt(bound),
        "senders_can_play_c_star": able,
    }


def theorem_6(
    instance: Instance, profile: Profile, *, eta: Fraction = ETA, path: str | None = None
) -> dict:
    """Certificate of Theorem 6's bound at ``profile`` in the best-AI selection game.

    The gains ``g_i`` are those of the deviation the proof uses, to C*:
    ``max(0, E_C*[U_i] - U_i(profile))``, 0 at every equilibrium.
    """
    from persuasion.selection import alice_values, oblivious_outcome, selected

    alignment = weighted_alignment(instance, simplex=False)
    aligned_witness, aligned_value, _, aligned_scheme = oblivious_witness(instance, None, eta)
    chosen = selected(alice_values(instance, profile))
    now = oblivious_outcome(instance, chosen, profile.schemes[chosen])
    c_star = oblivious_outcome_for(instance, instance.alice_utility, aligned_scheme)
    used_messages = (
        max((m for row in aligned_scheme for m, p in enumerate(row) if p), default=0) + 1
    )
    able = all(
        len(s.messages) >= used_messages
        for s, w in zip(instance.senders, alignment.weights, strict=True)
        if w
    )
    holds, conclusion = theorem_6_conclusion(now, c_star, aligned_value, alignment, able)
    return envelope(
        instance,
        "theorem-6",
        "Theorem 6 (Section E.2)",
        "in the best-AI selection game Alice's utility is at least U_A(C*) - 2 eps - sum_i w_i g_i",
        {**alignment_witnesses(alignment), "aligned": aligned_witness},
        holds=holds,
        conclusion=conclusion,
        profile=profile,
        path=path,
    )
