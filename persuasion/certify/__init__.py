"""``persuasion certify``: which of the paper's guarantees apply to an instance, proved.

:func:`certify` returns one ``persuasion-certificate/1`` per claim
(:data:`CLAIMS`); :func:`summary` turns a certificate into a row of the
theorem report.  The game claims are built in :mod:`persuasion.certify.claims`,
the analytic ones (Lemmas 1-2, Propositions 2-3) in
:mod:`persuasion.certify.analytic`, from numbers this module derives from the
instance (documented in docs/reference/commands.md).
"""

from __future__ import annotations

from fractions import Fraction

from persuasion.certify import analytic
from persuasion.certify.claims import definition_1, theorem_1, theorem_7
from persuasion.equilibrium import scheme_from_columns
from persuasion.model import Instance, Profile
from persuasion.problem import aligned_problem
from persuasion.receiver import action_values
from persuasion.sender import best_response

CLAIMS = (
    "definition-1",
    "definition-1-nonnegative",
    "theorem-1",
    "theorem-7",
    "lemma-1",
    "lemma-2",
    "proposition-2",
    "proposition-3",
)
"""Every claim ``certify`` knows, in report order."""


def prior_beliefs(instance: Instance) -> list[Fraction]:
    """Alice's expected utility of each action with no information (her belief vector at the prior)."""
    totals = [Fraction(0)] * instance.num_states
    for table in instance.prior:
        for row in table:
            totals = [t + p for t, p in zip(totals, row)]
    return action_values(instance.alice_utility, totals)


def likeliest_feature_beliefs(instance: Instance) -> list[Fraction]:
    """Alice's beliefs once she knows the most likely sender feature ``x_B`` (earliest on ties)."""
    nb, ny = len(instance.sender_features), instance.num_states
    rows = [[sum(table[xb][y] for table in instance.prior) for y in range(ny)] for xb in range(nb)]
    mass = [sum(r) for r in rows]
    xb = mass.index(max(mass))
    return [v / mass[xb] for v in action_values(instance.alice_utility, rows[xb])]


def estimation_error(instance: Instance, eta: Fraction) -> Fraction:
    """Proposition 2's ``eps_u`` for the aligned rule C*: the largest sup-norm gap between
    Alice's beliefs after C*'s message and her beliefs knowing ``(x_A, x_B)``."""
    best = best_response(aligned_problem(instance), eta)
    nb = len(instance.sender_features)
    scheme = scheme_from_columns(best.columns, nb, len(best.columns))
    worst = Fraction(0)
    for table in instance.prior:
        for m in range(len(best.columns)):
            heard = [sum(scheme[xb][m] * table[xb][y] for xb in range(nb)) for y in range(instance.num_states)]
            if not any(heard):
                continue
            mu = [v / sum(heard) for v in action_values(instance.alice_utility, heard)]
            for xb, row in enumerate(table):
                if scheme[xb][m] and any(row):
                    true = [v / sum(row) for v in action_values(instance.alice_utility, row)]
                    worst = max(worst, max(abs(a - b) for a, b in zip(mu, true)))
    return worst


def certify(
    instance: Instance,
    claims: list[str],
    *,
    profile: Profile,
    eta: Fraction,
    lam: Fraction | None = None,
    hoeffding_epsilon: Fraction = Fraction(1, 10),
    delta: Fraction = Fraction(1, 20),
    path: str | None = None,
) -> list[dict]:
    """One certificate per claim in ``claims`` (names from :data:`CLAIMS`)."""
    if lam is None:
        lam = instance.protocol.lam or Fraction(10)
    makers = {
        "definition-1": lambda: definition_1(instance, path=path),
        "definition-1-nonnegative": lambda: definition_1(instance, simplex=False, path=path),
        "theorem-1": lambda: theorem_1(instance, profile, eta=eta, path=path),
        "theorem-7": lambda: theorem_7(instance, eta=eta, path=path),
        "lemma-1": lambda: analytic.lemma_1_certificate(prior_beliefs(instance), lam),
        "lemma-2": lambda: analytic.lemma_2_certificate(prior_beliefs(instance), likeliest_feature_beliefs(instance), lam),
        "proposition-2": lambda: analytic.proposition_2_certificate(lam, estimation_error(instance, eta)),
        "proposition-3": lambda: analytic.proposition_3_certificate(
            instance.num_actions, instance.num_states, hoeffding_epsilon, delta),
    }
    return [makers[name]() for name in claims]


def summary(cert: dict) -> dict:
    """A theorem-report row: the claim, what it cites, whether it holds, its conclusion."""
    return {
        "name": cert["claim"],
        "cites": cert["cites"],
        "holds": cert["holds"],
        "statement": cert["statement"],
        "conclusion": cert["conclusion"],
    }


__all__ = ["CLAIMS", "certify", "summary"]
