"""Checker steps that chain earlier steps into the paper's conclusions (Theorems 1 and 7).

Each verifier reads the facts earlier steps established (by their ids in
the step's ``uses``), recomputes what is missing, and checks every
inequality of the proof exactly.
"""

from __future__ import annotations

from fractions import Fraction

from persuasion.check.core import concludes, number, numbers, require, verifier
from persuasion.check.game import expectation, first_best, instance_of, joint, profile_of, sender_index

ZERO = Fraction(0)


def used(step: dict, context: dict, name: str) -> dict:
    """The facts of the earlier step that ``step["uses"][name]`` names."""
    ref = step["uses"][name]
    require(isinstance(ref, str) and ref in context and isinstance(context[ref], dict), f"uses.{name}: no earlier step {ref!r}")
    return context[ref]


@verifier("optimum")
def _optimum(step, context):
    """A value achieved by a scheme equals an upper bound on all schemes: it is the optimum."""
    achieved = used(step, context, "achieved")
    bound = used(step, context, "bound")
    require((achieved["role"], achieved["sender"]) == (bound["role"], bound["sender"]),
            "the scheme and the bound are about different problems")
    require(achieved["value"] == bound["bound"], f"achieved {achieved['value']} but the bound is {bound['bound']}")
    require(achieved["value"] == number(step["value"]), "the optimum stated differs")
    return {**achieved, "optimal": True}


@verifier("nash-gap")
def _nash_gap(step, context):
    """Definition 7: each sender's gain is at most (bound on best deviation) - (current utility)."""
    instance = instance_of(context)
    current = used(step, context, "outcome")["senders"]
    gains = numbers(step["gains"])
    require(len(gains) == instance.num_senders, "one gain per sender")
    for i, s in enumerate(instance.senders):
        facts = used(step, context, f"bound:{s.name}")
        require((facts["role"], facts["sender"]) == ("deviation", s.name), f"bound:{s.name} is not {s.name}'s deviation bound")
        bound = facts["bound"]
        require(bound >= current[i], f"the bound for {s.name} is below their current utility")
        require(gains[i] == bound - current[i], f"gain of {s.name} is {bound - current[i]}")
    gap = max(gains)
    require(gap == number(step["nash_gap"]), f"Nash gap is {gap}")
    return {"gains": gains, "nash_gap": gap}


@verifier("deviation-outcomes")
def _deviation_outcomes(step, context):
    """Definition 9 at this profile: every weighted sender deviating to C* induces the same distribution."""
    instance = instance_of(context)
    aligned = used(step, context, "aligned")["scheme"]
    used_messages = max((m for row in aligned for m, p in enumerate(row) if p), default=0) + 1
    profile = profile_of(context)
    dists, short = [], []
    for name in step["senders"]:
        i = sender_index(instance, name)
        if len(instance.senders[i].messages) < used_messages:
            short.append(name)
            continue
        scheme = [row[: len(instance.senders[i].messages)] + [ZERO] * (len(instance.senders[i].messages) - len(row))
                  for row in aligned]
        dists.append(joint(instance, profile[:i] + [scheme] + profile[i + 1:]))
    identical = not short and all(d == dists[0] for d in dists)
    require(identical == step["identical"], f"identical is {identical}")
    learns = used(step, context, "aligned")["alice_value"] == first_best(instance)
    require(learns == step["proposition_1"], "proposition_1 must say whether C* lets Alice reach OPT")
    if not identical:
        return {"identical": False, "proposition_1": learns}
    # With no weighted sender the weighted sums are 0 on any distribution; C* alone serves.
    dist = dists[0] if dists else joint(instance, [aligned])
    return {
        "identical": True,
        "proposition_1": learns,
        "alice": expectation(instance.alice_utility, dist),
        "senders": [expectation(s.utility, dist) for s in instance.senders],
    }


@verifier("theorem-1-bound")
def _theorem_1(step, context):
    """Theorem 1 (Section C.2), with gains: ``U_A(NE) >= U_A(C*) - 2 eps - sum_i w_i g_i``.

    For every sender ``i`` with ``w_i > 0``: ``E_dev[U_i] <= U_i(NE) + g_i``
    (the gain bounds every deviation, C* included).  Summing with the
    weights, the common deviation distribution gives ``E_dev[sum w U] >=
    E_dev[u_A] - c - eps >= U_A(C*) - c - eps`` and the profile gives
    ``E_NE[sum w U] <= U_A(NE) - c + eps``.
    """
    fit = used(step, context, "fit")
    optimal_fit = used(step, context, "fit_optimal")
    require(optimal_fit["epsilon"] == fit["epsilon"], "the fit used is not the optimal one certified")
    dev = used(step, context, "deviation")
    outcome = used(step, context, "outcome")
    gains = used(step, context, "gap")["gains"]
    aligned = used(step, context, "aligned_value")["value"]
    w, c, eps = fit["weights"], fit["offset"], fit["epsilon"]
    instance = instance_of(context)
    concludes(context, alice_utility=outcome["alice"], epsilon=eps, weights=w, gains=gains,
              nash_gap=used(step, context, "gap")["nash_gap"], aligned_value=aligned,
              identical_induced_distributions=dev["identical"], proposition_1=dev["proposition_1"])
    if not dev["identical"]:
        require(step["holds"] is False, "Definition 9 fails here, so Theorem 1 cannot be claimed")
        return {"holds": False}
    for i, s in enumerate(instance.senders):
        if w[i]:
            require(dev["senders"][i] <= outcome["senders"][i] + gains[i], f"{s.name}: deviation to C* beats the gain bound")
    lhs = sum((wi * v for wi, v in zip(w, dev["senders"])), ZERO)
    require(lhs <= sum((wi * (v + g) for wi, v, g in zip(w, outcome["senders"], gains)), ZERO), "weighted Nash condition")
    require(lhs >= dev["alice"] - c - eps, "alignment on the deviation distribution")
    require(dev["alice"] >= aligned, "Alice learns at least what C* tells her")
    ne_mix = sum((wi * v for wi, v in zip(w, outcome["senders"])), ZERO)
    require(ne_mix <= outcome["alice"] - c + eps, "alignment on the equilibrium distribution")
    slack = sum((wi * g for wi, g in zip(w, gains)), ZERO)
    bound = aligned - 2 * eps - slack
    require(bound == number(step["bound"]), f"the bound is {bound}")
    concludes(context, bound=bound)
    require(outcome["alice"] >= bound, "Alice's utility is below the bound")
    require(step["holds"] is True, "the bound holds, so the claim must say so")
    return {"holds": True, "bound": bound}


@verifier("theorem-7-gap")
def _theorem_7(step, context):
    """Theorem 7 (Appendix I): alignment holds exactly, every sender can reveal x_B (so Definition 9
    holds by Proposition 1 and Remark 4), every sender plays an optimal oblivious strategy, yet Alice < OPT."""
    instance = instance_of(context)
    fit = used(step, context, "fit")
    schemes = profile_of(context)
    optimal = True
    for i, s in enumerate(instance.senders):
        facts = used(step, context, f"oblivious:{s.name}")
        require((facts.get("role"), facts.get("sender")) == ("oblivious", s.name), f"oblivious:{s.name} is about another sender")
        require(facts["scheme"] == schemes[i], f"the profile's scheme for {s.name} is not the oblivious one proved")
        optimal = optimal and facts.get("optimal", False)
    revealing = all(len(s.messages) >= len(instance.sender_features) for s in instance.senders)
    alice = used(step, context, "outcome")["alice"]
    opt = used(step, context, "first_best")["value"]
    concludes(context, alice_utility=alice, first_best=opt, epsilon=fit["epsilon"])
    holds = fit["epsilon"] == 0 and optimal and revealing and alice < opt
    require(holds == step["holds"], "holds must say whether alignment is exact, every sender can reveal x_B "
            "(Remark 4), every oblivious strategy is optimal, and Alice falls short of OPT")
    return {"holds": holds, "shortfall": opt - alice}


@verifier("selection-outcome")
def _selection_outcome(step, context):
    """Definition 16: each scheme's value to Alice alone, her choice, and everyone's utility."""
    instance = instance_of(context)
    profile = profile_of(context)
    dists = [joint(instance, [scheme]) for scheme in profile]
    values = [expectation(instance.alice_utility, d) for d in dists]
    require(values == numbers(step["alice_values"]), "Alice's values of the senders alone differ")
    chosen = values.index(max(values))
    require(instance.senders[chosen].name == step["selected"], "Alice picks the first sender of highest value")
    senders = [expectation(s.utility, dists[chosen]) for s in instance.senders]
    require(senders == numbers(step["sender_utilities"]), "sender utilities differ")
    return {"values": values, "alice": values[chosen], "senders": senders}


@verifier("theorem-6-bound")
def _theorem_6(step, context):
    """Theorem 6 (Section E.2), with gains: ``U_A(NE) >= U_A(C*) - 2 eps - sum_i w_i g_i``.

    If ``U_A(NE) >= U_A(C*)`` there is nothing to prove.  Otherwise every
    sender deviating to C* is chosen (C* beats every other sender's value),
    so all deviations induce C*'s own distribution; with ``g_i >= E_C*[U_i] -
    U_i(NE)`` (the gain of that deviation) the weighted sum and the alignment
    fit give the bound, as in the paper's proof.
    """
    instance = instance_of(context)
    fit, optimal_fit = used(step, context, "fit"), used(step, context, "fit_optimal")
    require(optimal_fit["epsilon"] == fit["epsilon"], "the fit used is not the optimal one certified")
    aligned = used(step, context, "aligned")
    value = used(step, context, "aligned_value")["value"]
    now = used(step, context, "outcome")
    w, c, eps = fit["weights"], fit["offset"], fit["epsilon"]
    dist = joint(instance, [aligned["scheme"]])
    dev = [expectation(s.utility, dist) for s in instance.senders]
    gains = [max(ZERO, d - u) for d, u in zip(dev, now["senders"])]
    require(gains == numbers(step["gains"]), "gains are the deviations to C* minus current utilities")
    used_messages = max((m for row in aligned["scheme"] for m, p in enumerate(row) if p), default=0) + 1
    able = all(len(s.messages) >= used_messages for s, wi in zip(instance.senders, w) if wi)
    bound = value - 2 * eps - sum((wi * g for wi, g in zip(w, gains)), ZERO)
    concludes(context, alice_utility=now["alice"], aligned_value=value, epsilon=eps, weights=w, gains=gains,
              bound=bound, senders_can_play_c_star=able)
    if now["alice"] >= value:
        holds = True
    elif not able:
        holds = False
    else:
        require(value > max(now["values"]), "C* must beat every sender's value to be chosen")
        lhs = sum((wi * d for wi, d in zip(w, dev)), ZERO)
        require(lhs <= sum((wi * (u + g) for wi, u, g in zip(w, now["senders"], gains)), ZERO), "weighted gains")
        require(lhs >= value - c - eps, "alignment on C*'s distribution")
        require(sum((wi * u for wi, u in zip(w, now["senders"])), ZERO) <= now["alice"] - c + eps,
                "alignment at the profile")
        holds = True
    if holds:
        require(now["alice"] >= bound, "Alice's utility is below the bound")
    require(step["holds"] is holds, f"holds must be {holds}")
    return {"holds": holds, "bound": bound}
