"""Alice's quantal response (Definition 11) and her utility under it (Lemma 1), exactly.

The probabilities ``exp(lam mu_a) / sum_b exp(lam mu_b)`` are irrational in
general, so they are sympy expressions.  This is its own module so that only
code asking for them imports sympy (about a second of start-up): the exact
solver and the CLI's ``solve``/``verify``/``check`` never do.  sympy is the
``quantal`` extra (``pip install 'persuasion[quantal]'``).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from persuasion.extras import QUANTAL, missing

try:
    import sympy
except ImportError as exc:  # sympy is the ``quantal`` extra
    raise missing(QUANTAL, "sympy") from exc


def quantal_response(values: Sequence[Fraction], lam: Fraction) -> list[sympy.Expr]:
    """The lambda-quantal response (Definition 11) to the belief vector ``values``.

    ``values`` are Alice's (normalised) expected utilities ``mu_a``; the result
    is the exact probability of each action, ``exp(lam mu_a) / sum_b exp(lam
    mu_b)``, as sympy expressions (they are irrational in general; evaluate
    with ``.evalf(n)`` or enclose them in intervals).
    """
    lam_s = sympy.Rational(lam.numerator, lam.denominator)
    top = max(values)
    # Shifting by the largest value changes nothing and keeps exponents <= 0.
    exps = [
        sympy.exp(lam_s * sympy.Rational((v - top).numerator, (v - top).denominator))
        for v in values
    ]
    total = sympy.Add(*exps)
    return [e / total for e in exps]


def quantal_utility(values: Sequence[Fraction], lam: Fraction) -> sympy.Expr:
    """Alice's expected utility ``sum_a p(a) mu_a`` under the lambda-quantal response (Lemma 1's
    quantity)."""
    probs = quantal_response(values, lam)
    return sympy.Add(
        *(
            p * sympy.Rational(v.numerator, v.denominator)
            for p, v in zip(probs, values, strict=True)
        )
    )
