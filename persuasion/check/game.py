"""Checker steps about the game itself: alignment, outcomes, best-response bounds, Theorems 1 and 7.

Every verifier recomputes what it needs from the certificate's instance and
profile with its own short code (Alice's tie-broken best response, induced
distributions, the first-best), independent of the code that produced the
certificate, and checks the step's claims in exact arithmetic.  The file
formats are read with the package's validated readers (no solver involved).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from persuasion.check.core import concludes, number, numbers, require, verifier
from persuasion.errors import InputError
from persuasion.instance import parse_instance
from persuasion.profile import parse_profile

ZERO = Fraction(0)


# --- reading ---------------------------------------------------------------

def instance_of(context: dict):
    """The certificate's instance, read once."""
    if "_instance" not in context:
        try:
            context["_instance"] = parse_instance(context["certificate"].get("instance"), "certificate")
        except InputError as error:
            require(False, f"the embedded instance is invalid: {error}")
    return context["_instance"]


def profile_of(context: dict):
    """The certificate's profile, read once (a list of schemes ``[x_B][m]``)."""
    if "_profile" not in context:
        try:
            profile = parse_profile(context["certificate"].get("profile"), instance_of(context), "certificate")
        except InputError as error:
            require(False, f"the embedded profile is invalid: {error}")
        context["_profile"] = [list(map(list, s)) for s in profile.schemes]
    return context["_profile"]


def sender_index(instance, name) -> int:
    names = [s.name for s in instance.senders]
    require(name in names, f"unknown sender {name!r}")
    return names.index(name)


def scheme_from_json(instance, rules: dict, messages: list[str]) -> list[list[Fraction]]:
    """A scheme ``{x_B: {message: p}}`` as rows over ``messages``; each row a distribution."""
    require(isinstance(rules, dict) and set(rules) == set(instance.sender_features), "scheme: one row per sender feature")
    rows = []
    for xb in instance.sender_features:
        row = rules[xb]
        require(isinstance(row, dict) and set(row) <= set(messages), f"scheme row {xb!r}: unknown message")
        probs = [number(row.get(m, "0")) for m in messages]
        require(all(p >= 0 for p in probs) and sum(probs) == 1, f"scheme row {xb!r} is not a distribution")
        rows.append(probs)
    return rows


# --- the game, recomputed ----------------------------------------------------

def best_action(instance, weights) -> int:
    """Alice's action at unnormalised posterior ``weights``: earliest in the tie-break among the best."""
    values = [sum(w * u for w, u in zip(weights, row)) for row in instance.alice_utility]
    top = max(values)
    return next(a for a in instance.protocol.tie_break if values[a] == top)


def joint(instance, schemes) -> list[list[Fraction]]:
    """The induced distribution over (action, state) when Alice hears every scheme in ``schemes``."""
    events: dict = {}
    for xa, table in enumerate(instance.prior):
        for xb, row in enumerate(table):
            for messages in itertools.product(*(range(len(s[xb])) for s in schemes)):
                p_msgs = Fraction(1)
                for s, m in zip(schemes, messages):
                    p_msgs *= s[xb][m]
                if p_msgs:
                    w = events.setdefault((xa, messages), [ZERO] * instance.num_states)
                    for y, p in enumerate(row):
                        w[y] += p * p_msgs
    result = [[ZERO] * instance.num_states for _ in instance.actions]
    for w in events.values():
        a = best_action(instance, w)
        for y, p in enumerate(w):
            result[a][y] += p
    return result


def expectation(utility, dist) -> Fraction:
    return sum((u * p for urow, prow in zip(utility, dist) for u, p in zip(urow, prow)), ZERO)


# --- Definition 1 ----------------------------------------------------------

def _weights(instance, step):
    variant = step["variant"]
    require(variant in ("simplex", "nonnegative"), "variant must be 'simplex' or 'nonnegative'")
    weights = numbers(step["weights"])
    require(len(weights) == instance.num_senders, "one weight per sender")
    require(all(w >= 0 for w in weights), "weights must be non-negative")
    if variant == "simplex":
        require(sum(weights) == 1, "simplex weights must sum to 1")
    return variant, weights


@verifier("alignment-fit")
def _alignment_fit(step, context):
    """Definition 1 (Remark 2 for ``nonnegative``): ``|sum_i w_i U_i + c - u_A| <= epsilon`` everywhere."""
    instance = instance_of(context)
    variant, weights = _weights(instance, step)
    offset, epsilon = number(step["offset"]), number(step["epsilon"])
    for a in range(instance.num_actions):
        for y in range(instance.num_states):
            fit = sum(w * s.utility[a][y] for w, s in zip(weights, instance.senders)) + offset
            require(abs(fit - instance.alice_utility[a][y]) <= epsilon,
                    f"the fit misses u_A({instance.actions[a]}, {instance.states[y]}) by more than epsilon")
    return {"variant": variant, "weights": weights, "offset": offset, "epsilon": epsilon}


@verifier("alignment-lower-bound")
def _alignment_lower_bound(step, context):
    """No weights do better: ``sum|zeta| <= 1``, ``sum zeta = 0``, ``zeta . U_i >= kappa`` give ``eps >= kappa - zeta . u_A``."""
    instance = instance_of(context)
    variant = step["variant"]
    zeta = [numbers(row) for row in step["zeta"]]
    require(len(zeta) == instance.num_actions and all(len(r) == instance.num_states for r in zeta), "zeta shape")
    kappa, epsilon = number(step["kappa"]), number(step["epsilon"])
    if variant == "nonnegative":
        require(kappa == 0, "the non-negative variant needs kappa = 0")
    else:
        require(variant == "simplex", "variant must be 'simplex' or 'nonnegative'")
    flat = [v for row in zeta for v in row]
    require(sum(abs(v) for v in flat) <= 1, "sum |zeta| exceeds 1")
    require(sum(flat) == 0, "zeta does not sum to 0 (the offset would not cancel)")
    for s in instance.senders:
        require(expectation(s.utility, zeta) >= kappa, f"zeta . U_{s.name} < kappa")
    require(kappa - expectation(instance.alice_utility, zeta) == epsilon, "kappa - zeta . u_A != epsilon")
    fit = context.get(step.get("uses", {}).get("fit"))
    require(isinstance(fit, dict) and fit.get("epsilon") == epsilon and fit.get("variant") == variant,
            "the fit this bound matches must come first, with the same epsilon and variant")
    if context["certificate"].get("claim", "").startswith("definition-1"):
        concludes(context, epsilon=epsilon, weights=fit["weights"], offset=fit["offset"])
    return {"epsilon": epsilon}


# --- outcomes ----------------------------------------------------------------

@verifier("scheme-value")
def _scheme_value(step, context):
    """Definition 8 / 19: what one scheme alone gives Alice and its sender (Alice hears nobody else)."""
    instance = instance_of(context)
    role = step["role"]
    if role == "aligned":
        messages = [str(m) for m in range(int(step["messages"]))]
        require(int(step["messages"]) == max(len(s.messages) for s in instance.senders),
                "the aligned sender has the instance's largest message set (Definition 8)")
        utility = instance.alice_utility
    else:
        require(role == "oblivious", "role must be 'aligned' or 'oblivious'")
        sender = instance.senders[sender_index(instance, step["sender"])]
        messages, utility = list(sender.messages), sender.utility
    scheme = scheme_from_json(instance, step["scheme"], messages)
    dist = joint(instance, [scheme])
    value, alice = expectation(utility, dist), expectation(instance.alice_utility, dist)
    require(value == number(step["value"]), f"the scheme's value is {value}, not {step['value']}")
    require(alice == number(step["alice_value"]), f"Alice's value is {alice}, not {step['alice_value']}")
    return {"value": value, "alice_value": alice, "scheme": scheme, "role": role, "sender": step.get("sender")}


@verifier("profile-outcome")
def _profile_outcome(step, context):
    """Definition 5: everyone's expected utility when Alice hears the certificate's profile."""
    instance = instance_of(context)
    dist = joint(instance, profile_of(context))
    alice = expectation(instance.alice_utility, dist)
    senders = [expectation(s.utility, dist) for s in instance.senders]
    require(alice == number(step["alice_utility"]), f"Alice's utility is {alice}")
    require(senders == numbers(step["sender_utilities"]), "sender utilities differ")
    return {"alice": alice, "senders": senders}


def first_best(instance) -> Fraction:
    """Definition 2: OPT = sum over (x_A, x_B) of Alice's best expected utility."""
    return sum(
        (max(sum(p * u for p, u in zip(row, urow)) for urow in instance.alice_utility)
         for table in instance.prior for row in table),
        ZERO,
    )


@verifier("first-best")
def _first_best(step, context):
    """Definition 2: the first-best OPT."""
    opt = first_best(instance_of(context))
    require(opt == number(step["value"]), f"OPT is {opt}")
    return {"value": opt}


# --- best-response upper bounds ----------------------------------------------

def _situations(instance, context, role, sender, keys):
    """``q[t][x_B][y]`` for the listed situations, after checking that they are all the positive ones."""
    others = [] if role != "deviation" else [j for j in range(instance.num_senders) if j != sender]
    schemes = profile_of(context) if others else []
    nb, ny = len(instance.sender_features), instance.num_states
    weights = {}
    for xa, table in enumerate(instance.prior):
        for ms in itertools.product(*(range(len(instance.senders[j].messages)) for j in others)):
            q = []
            for xb in range(nb):
                p = Fraction(1)
                for j, m in zip(others, ms):
                    p *= schemes[j][xb][m]
                q.append([p * table[xb][y] for y in range(ny)])
            if any(any(row) for row in q):
                weights[(xa, ms)] = q
    listed = [(int(xa), tuple(int(m) for m in ms)) for xa, ms in keys]
    require(sorted(listed) == sorted(weights), "the situations listed are not exactly those of positive probability")
    return [weights[k] for k in listed]


def _values(utility, q):
    """``v[x_B][a] = sum_y q[x_B][y] u(a, y)``."""
    return [[sum(p * u for p, u in zip(row, urow)) for urow in utility] for row in q]


@verifier("upper-bound")
def _upper_bound(step, context):
    """A sender's best-response value is at most ``sum mu`` (see :mod:`persuasion.certify.bounds`)."""
    instance = instance_of(context)
    role = step["role"]
    require(role in ("deviation", "aligned", "oblivious"), "unknown role")
    i = None if role == "aligned" else sender_index(instance, step["sender"])
    utility = instance.alice_utility if role == "aligned" else instance.senders[i].utility
    q = _situations(instance, context, role, i, step["situations"])
    nt, na, nb = len(q), instance.num_actions, len(instance.sender_features)
    av = [_values(instance.alice_utility, qt) for qt in q]
    sv = [_values(utility, qt) for qt in q]
    rank = {a: k for k, a in enumerate(instance.protocol.tie_break)}

    def gain(t, a, other, xb):
        return av[t][xb][a] - av[t][xb][other]

    vectors = [tuple(int(a) for a in r) for r in step["vectors"]]
    require(all(len(r) == nt and all(0 <= a < na for a in r) for r in vectors), "malformed response vector")
    pruned = []
    for cert in step["pruned"]:
        assignment = {int(t): int(a) for t, a in cert["assignment"]}
        z = number(cert["z"])
        require(z >= 0, "Motzkin z must be non-negative")
        strict_total, combo = z, [z] * nb
        for t, other, value in cert["multipliers"]:
            t, other, y = int(t), int(other), number(value)
            require(t in assignment and other != assignment[t] and y >= 0, "bad Motzkin multiplier")
            if rank[other] < rank[assignment[t]]:
                strict_total += y
            for xb in range(nb):
                combo[xb] += y * gain(t, assignment[t], other, xb)
        require(strict_total == 1, "Motzkin multipliers: strict ones plus z must sum to 1")
        require(all(c <= 0 for c in combo), "Motzkin multipliers do not rule the assignment out")
        pruned.append(assignment)
    by_last: dict[int, list[dict]] = {}
    for p in pruned:
        by_last.setdefault(max(p), []).append(p)
    listed = set(vectors)

    def covered(prefix: list[int]) -> bool:
        t = len(prefix) - 1
        return any(all(prefix[s] == a for s, a in p.items()) for p in by_last.get(t, []))

    def walk(prefix: list[int]) -> None:
        if len(prefix) == nt:
            require(tuple(prefix) in listed, f"response vector {prefix} is neither listed nor ruled out")
            return
        for a in range(na):
            if not covered(prefix + [a]):
                walk(prefix + [a])

    walk([])
    messages = len(instance.senders[i].messages) if role != "aligned" else max(len(s.messages) for s in instance.senders)
    require(int(step["messages"]) == messages, "wrong message count")
    sets = step["sets"]
    everything = list(range(len(vectors)))
    if not (len(sets) == 1 and sorted(sets[0]["vectors"]) == everything):
        expected = sorted(itertools.combinations(everything, messages))
        require(messages < len(vectors) and sorted(tuple(sorted(s["vectors"])) for s in sets) == expected,
                "the sets of vectors must be all of them, or every set a scheme with these messages could use")
    totals = [_set_bound(s, vectors, nt, nb, sv, gain, instance) for s in sets]
    bound = max(totals)
    require(bound == number(step["bound"]), f"the largest sum of mu is {bound}")
    return {"bound": bound, "role": role, "sender": step.get("sender")}


def _set_bound(chosen, vectors, nt, nb, sv, gain, instance) -> Fraction:
    """Check one set's dual multipliers; return ``sum mu``, a bound on schemes using only its vectors."""
    mu = numbers(chosen["mu"])
    require(len(mu) == nb, "one mu per sender feature")
    members = [vectors[int(k)] for k in chosen["vectors"]]
    lam: dict[int, list] = {}
    for k, t, other, value in chosen["lambda"]:
        y = number(value)
        require(y >= 0 and 0 <= int(k) < len(members), "lambda must be non-negative and name a member")
        lam.setdefault(int(k), []).append((int(t), int(other), y))
    for k, r in enumerate(members):
        for xb in range(nb):
            total = sum((sv[t][xb][r[t]] for t in range(nt)), ZERO) - mu[xb]
            for t, other, y in lam.get(k, []):
                require(other != r[t], "lambda on a row that does not exist")
                total += y * gain(t, r[t], other, xb)
            require(total <= 0, f"dual constraint of vector {list(r)} fails at x_B = {instance.sender_features[xb]}")
    return sum(mu, ZERO)
