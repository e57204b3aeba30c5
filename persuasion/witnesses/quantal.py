"""The certificate of Theorem 2 (Section D.2) at a profile of a quantal instance.

The witnesses are those of Theorem 1's certificate that the kernel cannot derive
alone: the alignment fit with its LP dual (Definition 1, Remark 2) and the aligned
rule C* with its upper bound (Definition 8), the reference rule ``C_B*``.  Everything
else -- every quantal outcome, ``eps_u``, ``delta``, the gains and the bound -- the
kernel derives itself (:mod:`persuasion.checker.quantal`); so ``holds`` and the
``conclusion`` written here are the kernel's own derivation, which ``persuasion
check`` repeats and compares.
"""

from __future__ import annotations

from fractions import Fraction

from persuasion.checker.core import Invalid, check
from persuasion.errors import InputError
from persuasion.model import Instance, Profile
from persuasion.weighted_alignment import weighted_alignment
from persuasion.witnesses.claims import alignment_witnesses, envelope, oblivious_witness

STATEMENT = (
    "Alice's utility under lambda-quantal response at this profile is at least "
    "U_A(C*) - 2 eps - delta (s_A + sum_j w_j s_j) / 2 - sum_j w_j g_j"
)


def theorem_2(
    instance: Instance, profile: Profile, *, eta: Fraction, path: str | None = None
) -> dict:
    """Certificate of Theorem 2's bound at ``profile``, with the gains ``g_j`` of each weighted
    sender's deviation to C* (0 at a quantal response equilibrium)."""
    alignment = weighted_alignment(instance, simplex=False)
    aligned, _, _, _ = oblivious_witness(instance, None, eta)
    cert = envelope(
        instance,
        "theorem-2",
        "Theorem 2, Proposition 2 (Section D.2)",
        STATEMENT,
        {**alignment_witnesses(alignment), "aligned": aligned},
        holds=True,
        conclusion={},
        profile=profile,
        path=path,
    )
    try:
        derived = check({k: v for k, v in cert.items() if k not in ("holds", "conclusion")})
    except Invalid as problem:  # an instance beyond MAX_QUANTAL_EXPONENTIALS
        raise InputError(path or "<memory>", f"theorem-2: {problem}") from None
    cert["holds"], cert["conclusion"] = derived["holds"], derived["conclusion"]
    return cert
