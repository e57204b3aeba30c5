"""Certificates of the paper's results on one instance (``persuasion certify``).

Each function returns a ``persuasion-certificate/1`` dict: the instance (and
profile) it is about, the claim, its conclusion in exact numbers, and the
steps that :mod:`persuasion.check` re-verifies one by one without a solver.

* ``definition-1`` / ``definition-1-nonnegative``: the alignment error with
  its weights and offset is optimal (Definition 1; Remark 2).
* ``theorem-1``: at a profile (given, or found by best-response dynamics),
  Alice gets at least ``U_A(C*) - 2 eps - sum_i w_i g_i``, where ``g_i`` is
  sender ``i``'s certified gain (0 at an exact equilibrium: Theorem 1 as
  stated; the general form is proved in docs/explanation/certificates.md).
* ``theorem-6``: the same bound in the best-AI selection game (Section E),
  with the gains of the deviation to C* the proof uses.
* ``theorem-7``: the oblivious strategies (Definitions 18-19) and what Alice
  gets by combining them, against the first-best (Appendix I).
"""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction

from persuasion.alignment import Alignment, weighted_alignment
from persuasion.certify.bounds import upper_bound_step
from persuasion.check.core import FORMAT
from persuasion.equilibrium import scheme_from_columns
from persuasion.instance import dump_instance
from persuasion.model import Instance, Profile, Scheme
from persuasion.numbers import fmt
from persuasion.problem import aligned_messages, aligned_problem, deviation_problem, oblivious_problem
from persuasion.profile import dump_profile, dump_scheme
from persuasion.receiver import expected_utility, first_best, lone_outcome, outcome
from persuasion.sender import best_response

ETA = Fraction(1, 1000)

UNITS = ("utilities in the instance's own units, not rescaled to [0, 1]: Definition 1 and "
         "Theorems 1, 6 and 7 are unchanged by a common positive affine change of units "
         "(epsilon, gains and bounds scale with Alice's utility)")
"""What every game certificate says about units (SPEC section 1 asks certificates to say so)."""


def envelope(instance: Instance, claim: str, cites: str, statement: str, holds: bool,
             conclusion: dict, steps: list, profile: Profile | None = None, path: str | None = None) -> dict:
    """The self-contained certificate around ``steps``."""
    data = dump_instance(instance)
    cert = {
        "format": FORMAT,
        "claim": claim,
        "cites": cites,
        "statement": statement,
        "holds": holds,
        "conclusion": conclusion,
        "instance": data,
        "instance_sha256": hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest(),
        "units": UNITS,
    }
    if path:
        cert["instance_path"] = str(path)
    if profile is not None:
        cert["profile"] = dump_profile(profile, instance)
    cert["steps"] = steps
    return cert


def _variant(alignment: Alignment) -> str:
    return "simplex" if alignment.simplex else "nonnegative"


def fit_step(step_id: str, alignment: Alignment) -> dict:
    """Definition 1 (or Remark 2): the weights and offset fit u_A within epsilon."""
    return {
        "id": step_id,
        "kind": "alignment-fit",
        "cites": "Definition 1" if alignment.simplex else "Definition 1, Remark 2",
        "statement": f"|sum_i w_i U_i + c - u_A| <= {fmt(alignment.epsilon)} for every action and state",
        "variant": _variant(alignment),
        "weights": [fmt(w) for w in alignment.weights],
        "offset": fmt(alignment.offset),
        "epsilon": fmt(alignment.epsilon),
    }


def lower_bound_step(step_id: str, alignment: Alignment) -> dict:
    """Definition 1: the LP dual shows that no weights and offset fit better."""
    return {
        "id": step_id,
        "kind": "alignment-lower-bound",
        "cites": "Definition 1 (LP duality)",
        "statement": f"no {_variant(alignment)} weights and offset fit u_A within less than {fmt(alignment.epsilon)}",
        "variant": _variant(alignment),
        "zeta": [[fmt(v) for v in row] for row in alignment.zeta],
        "kappa": fmt(alignment.kappa),
        "epsilon": fmt(alignment.epsilon),
    }


def definition_1(instance: Instance, *, simplex: bool = True, path: str | None = None) -> dict:
    """Certificate that ``epsilon`` (with its weights and offset) is the minimal alignment error."""
    alignment = weighted_alignment(instance, simplex=simplex)
    claim = "definition-1" if simplex else "definition-1-nonnegative"
    return envelope(
        instance, claim, "Definition 1" if simplex else "Definition 1, Remark 2",
        f"the minimal weighted alignment error ({_variant(alignment)} weights) is {fmt(alignment.epsilon)}",
        True,
        {"epsilon": fmt(alignment.epsilon), "weights": [fmt(w) for w in alignment.weights],
         "offset": fmt(alignment.offset)},
        [fit_step("fit", alignment), {**lower_bound_step("optimal", alignment), "uses": {"fit": "fit"}}],
        path=path,
    )


def _scheme_step(step_id, role, sender, scheme_json, messages, value, alice_value, cites):
    step = {
        "id": step_id, "kind": "scheme-value", "cites": cites,
        "statement": f"this scheme alone gives its sender {fmt(value)} and Alice {fmt(alice_value)}",
        "role": role, "sender": sender, "scheme": scheme_json,
        "value": fmt(value), "alice_value": fmt(alice_value),
    }
    if role == "aligned":
        step["messages"] = messages
    return step


def _alone_steps(instance: Instance, role: str, sender: int | None, eta: Fraction) -> tuple[list, Fraction | None, Scheme]:
    """Steps proving a lone sender's optimum (the aligned one of Definition 8, or an oblivious one of Definition 19).

    Returns the steps, the optimum (None when no scheme attains the
    supremum, so no optimal strategy exists) and the scheme found.
    """
    if role == "aligned":
        problem, name, tag, cites = aligned_problem(instance), None, "aligned", "Definition 8"
        messages = tuple(str(m) for m in range(aligned_messages(instance)))
        utility = instance.alice_utility
    else:
        problem, cites = oblivious_problem(instance, sender), "Definitions 18-19"
        name = tag = instance.senders[sender].name
        messages, utility = instance.senders[sender].messages, instance.senders[sender].utility
    best = best_response(problem, eta)
    scheme = scheme_from_columns(best.columns, len(instance.sender_features), len(messages))
    result = lone_outcome(instance, utility, scheme)
    steps = [_scheme_step(f"{role}:{tag}", role, name, dump_scheme(instance.sender_features, messages, scheme),
                          len(messages), expected_utility(utility, result.joint), result.alice_utility, cites)]
    bound_step, bound = upper_bound_step(f"{role}-bound:{tag}", problem, role, name, cites,
                                         best.value if best.optimality == "exact" else None)
    steps.append(bound_step)
    if not best.attained:
        return steps, None, scheme
    steps.append({
        "id": f"{role}-optimum:{tag}", "kind": "optimum", "cites": cites,
        "statement": f"{fmt(bound)} is the best a lone {tag} sender can do, and this scheme attains it",
        "uses": {"achieved": f"{role}:{tag}", "bound": f"{role}-bound:{tag}"}, "value": fmt(bound),
    })
    return steps, bound, scheme


def theorem_1(instance: Instance, profile: Profile, *, eta: Fraction = ETA, path: str | None = None) -> dict:
    """Certificate of Theorem 1's bound at ``profile`` (the gains version when it is not an exact equilibrium)."""
    alignment = weighted_alignment(instance, simplex=False)
    steps = [fit_step("fit", alignment), {**lower_bound_step("fit-optimal", alignment), "uses": {"fit": "fit"}}]
    aligned_steps, aligned_value, aligned_scheme = _alone_steps(instance, "aligned", None, eta)
    steps += aligned_steps
    current = outcome(instance, profile)
    steps.append({
        "id": "outcome", "kind": "profile-outcome", "cites": "Definition 5",
        "statement": f"at the profile Alice gets {fmt(current.alice_utility)}",
        "alice_utility": fmt(current.alice_utility),
        "sender_utilities": [fmt(u) for u in current.sender_utilities],
    })
    gains = []
    for i, s in enumerate(instance.senders):
        problem = deviation_problem(instance, profile, i)
        best = best_response(problem, eta)
        step, bound = upper_bound_step(f"bound:{s.name}", problem, "deviation", s.name,
                                       "Definition 7 (best-response LP dual)",
                                       best.value if best.optimality == "exact" else None)
        steps.append(step)
        gains.append(bound - current.sender_utilities[i])
    gap = max(gains)
    steps.append({
        "id": "gap", "kind": "nash-gap", "cites": "Definition 7",
        "statement": "the profile is an exact Nash equilibrium" if gap == 0
        else f"the profile is a {fmt(gap)}-equilibrium",
        "uses": {"outcome": "outcome", **{f"bound:{s.name}": f"bound:{s.name}" for s in instance.senders}},
        "gains": [fmt(g) for g in gains], "nash_gap": fmt(gap),
    })
    weighted = [s.name for s, w in zip(instance.senders, alignment.weights) if w]
    identical = _identical(instance, profile, weighted, aligned_scheme)
    learns = aligned_value == first_best(instance)
    steps.append({
        "id": "deviation", "kind": "deviation-outcomes", "cites": "Definition 9, Proposition 1",
        "statement": ("every weighted sender deviating to C* induces the same distribution" if identical
                      else "Definition 9 fails at this profile: deviations to C* differ (or a sender lacks the messages)")
        + ("; C* lets Alice reach OPT, so Proposition 1 gives Definition 9 at every profile" if learns
           else "; C* does not let Alice reach OPT, so Proposition 1 does not apply"),
        "uses": {"aligned": "aligned:aligned"}, "senders": weighted, "identical": identical,
        "proposition_1": learns,
    })
    slack = sum((w * g for w, g in zip(alignment.weights, gains)), Fraction(0))
    bound = aligned_value - 2 * alignment.epsilon - slack
    holds = identical and current.alice_utility >= bound
    steps.append({
        "id": "theorem-1", "kind": "theorem-1-bound",
        "cites": "Theorem 1 (Section C.2)" + ("" if gap == 0 else ", with gains (docs/explanation/certificates.md)"),
        "statement": f"Alice's utility {fmt(current.alice_utility)} >= U_A(C*) - 2 eps - sum_i w_i g_i = {fmt(bound)}"
        if identical else "the hypothesis of Theorem 1 (Definition 9) fails here",
        "uses": {"fit": "fit", "fit_optimal": "fit-optimal", "deviation": "deviation", "outcome": "outcome", "gap": "gap",
                 "aligned_value": "aligned-optimum:aligned"},
        "bound": fmt(bound), "holds": holds,
    })
    conclusion = {
        "alice_utility": fmt(current.alice_utility), "aligned_value": fmt(aligned_value),
        "epsilon": fmt(alignment.epsilon), "weights": [fmt(w) for w in alignment.weights],
        "gains": [fmt(g) for g in gains], "nash_gap": fmt(gap), "bound": fmt(bound),
        "identical_induced_distributions": identical,
        "proposition_1": learns,
    }
    return envelope(instance, "theorem-1", "Theorem 1 (Section C.2)",
                    "Alice's utility at this profile is at least U_A(C*) - 2 eps - sum_i w_i g_i",
                    holds, conclusion, steps, profile, path)


def _identical(instance: Instance, profile: Profile, senders: list[str], aligned: Scheme) -> bool:
    """Do the weighted senders, each deviating to C*, induce one distribution (Definition 9 here)?"""
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
    steps = [fit_step("fit", alignment)]
    schemes, optimal = [], {}
    for i, s in enumerate(instance.senders):
        alone, value, scheme = _alone_steps(instance, "oblivious", i, eta)
        steps += alone
        schemes.append(scheme)
        optimal[s.name] = value is not None
    profile = Profile(tuple(schemes))
    combined = outcome(instance, profile)
    opt = first_best(instance)
    steps.append({
        "id": "outcome", "kind": "profile-outcome", "cites": "Definition 5",
        "statement": f"combining the oblivious schemes, Alice gets {fmt(combined.alice_utility)}",
        "alice_utility": fmt(combined.alice_utility),
        "sender_utilities": [fmt(u) for u in combined.sender_utilities],
    })
    steps.append({"id": "first-best", "kind": "first-best", "cites": "Definition 2",
                  "statement": f"OPT = {fmt(opt)}", "value": fmt(opt)})
    revealing = all(len(s.messages) >= len(instance.sender_features) for s in instance.senders)
    holds = alignment.epsilon == 0 and revealing and all(optimal.values()) and combined.alice_utility < opt
    steps.append({
        "id": "theorem-7", "kind": "theorem-7-gap", "cites": "Theorem 7 (Appendix I)",
        "statement": f"alignment error {fmt(alignment.epsilon)}; oblivious senders leave Alice at "
        f"{fmt(combined.alice_utility)} {'<' if combined.alice_utility < opt else '='} OPT = {fmt(opt)}",
        "uses": {"fit": "fit", "outcome": "outcome", "first_best": "first-best",
                 **{f"oblivious:{name}": f"oblivious-optimum:{name}" if ok else f"oblivious:{name}"
                    for name, ok in optimal.items()}},
        "holds": holds,
    })
    conclusion = {"alice_utility": fmt(combined.alice_utility), "first_best": fmt(opt),
                  "epsilon": fmt(alignment.epsilon)}
    return envelope(instance, "theorem-7", "Theorem 7 (Appendix I)",
                    "weighted alignment without sender competition does not ensure the first-best",
                    holds, conclusion, steps, profile, path)


def theorem_6(instance: Instance, profile: Profile, *, eta: Fraction = ETA, path: str | None = None) -> dict:
    """Certificate of Theorem 6's bound at ``profile`` in the best-AI selection game.

    The gains ``g_i`` are those of the deviation the proof uses, to C*:
    ``max(0, E_C*[U_i] - U_i(profile))``, 0 at every equilibrium.
    """
    from persuasion.selection import alice_values, alone_outcome, selected

    alignment = weighted_alignment(instance, simplex=False)
    steps = [fit_step("fit", alignment), {**lower_bound_step("fit-optimal", alignment), "uses": {"fit": "fit"}}]
    aligned_steps, aligned_value, aligned_scheme = _alone_steps(instance, "aligned", None, eta)
    steps += aligned_steps
    values = alice_values(instance, profile)
    chosen = selected(values)
    now = alone_outcome(instance, chosen, profile.schemes[chosen])
    steps.append({
        "id": "outcome", "kind": "selection-outcome", "cites": "Definition 16",
        "statement": f"Alice picks {instance.senders[chosen].name} and gets {fmt(now.alice_utility)}",
        "alice_values": [fmt(v) for v in values], "selected": instance.senders[chosen].name,
        "sender_utilities": [fmt(u) for u in now.sender_utilities],
    })
    c_star = lone_outcome(instance, instance.alice_utility, aligned_scheme)
    gains = [max(Fraction(0), d - u) for d, u in zip(c_star.sender_utilities, now.sender_utilities)]
    used_messages = max((m for row in aligned_scheme for m, p in enumerate(row) if p), default=0) + 1
    able = all(len(s.messages) >= used_messages for s, w in zip(instance.senders, alignment.weights) if w)
    bound = aligned_value - 2 * alignment.epsilon - sum((w * g for w, g in zip(alignment.weights, gains)), Fraction(0))
    holds = now.alice_utility >= aligned_value or able
    steps.append({
        "id": "theorem-6", "kind": "theorem-6-bound", "cites": "Theorem 6 (Section E.2)",
        "statement": f"Alice's utility {fmt(now.alice_utility)} >= U_A(C*) - 2 eps - sum_i w_i g_i = {fmt(bound)}"
        if holds else "a weighted sender cannot play C* (too few messages), so the proof does not apply",
        "uses": {"fit": "fit", "fit_optimal": "fit-optimal", "aligned": "aligned:aligned",
                 "aligned_value": "aligned-optimum:aligned", "outcome": "outcome"},
        "gains": [fmt(g) for g in gains], "holds": holds,
    })
    conclusion = {
        "alice_utility": fmt(now.alice_utility), "aligned_value": fmt(aligned_value),
        "epsilon": fmt(alignment.epsilon), "weights": [fmt(w) for w in alignment.weights],
        "gains": [fmt(g) for g in gains], "bound": fmt(bound), "senders_can_play_c_star": able,
    }
    return envelope(instance, "theorem-6", "Theorem 6 (Section E.2)",
                    "in the best-AI selection game Alice's utility is at least U_A(C*) - 2 eps - sum_i w_i g_i",
                    holds, conclusion, steps, profile, path)
