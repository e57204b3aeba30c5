"""From an audited pool to a game (issue 12, point 7): the models as senders of an instance.

The reduction (docs/explanation/pool-audits.md): every item is a state, equally likely
(the items Alice may meet); Alice chooses ``adopt`` or ``pass``.  Adopting item ``y`` gives
each party its rating of ``y`` (Alice: the target's); passing gives Alice the threshold ``T``
(default: the target's mean rating) and every model ``T - c``, with ``c`` the offset of the
pool's Definition 1 fit -- Alice's threshold on the models' scale.  Then the game's
alignment error (the sup over both actions and every state) is exactly the table's
Definition 1 epsilon: the adopt rows are the table's residuals and, because the weights
sum to 1, the pass row's residual is ``sum_i w_i (T - c) + c - T = 0``.  The senders are the
models with positive Definition 1 weight (its support: the same epsilon, far fewer
senders); each has 2 messages, enough to recommend one of the 2 actions.
"""

from __future__ import annotations

from fractions import Fraction

from persuasion.errors import InputError
from persuasion.hull_audit.result import SupNormFit
from persuasion.hull_audit.table import Ratings
from persuasion.instance import parse_instance
from persuasion.numbers import fmt

ACTIONS = ("adopt", "pass")
"""Alice's actions in the game of a pool."""


def pool_instance(table: Ratings, fit: SupNormFit, threshold: Fraction | None, option: str) -> dict:
    """The persuasion-instance/1 data of ``table``'s pool (``fit``: its Definition 1 fit),
    checked by the instance reader (an instance beyond a limit is an error naming ``option``)."""
    T = sum(table.target, Fraction(0)) / len(table.target) if threshold is None else threshold
    support = [j for j, w in enumerate(fit.weights) if w > 0]
    states = [f"item-{name}" for name in table.items]
    senders = [
        {
            "name": table.models[j],
            "messages": 2,
            "utility": [[fmt(v) for v in table.column(j)], [fmt(T - fit.offset)] * len(states)],
        }
        for j in support
    ]
    data = {
        "format": "persuasion-instance/1",
        "name": "pool-" + table.target_name,
        "description": (
            f"The pool of {table.source} as a game (persuasion hull --instance-out): items are "
            f"states (uniform prior), Alice adopts or passes; adopting pays every party its "
            f"rating, passing pays Alice {fmt(T)} and each model {fmt(T - fit.offset)}. Senders: "
            f"the {len(support)} models with positive Definition 1 weight; alignment error "
            f"{fmt(fit.epsilon)} (Definition 1, as the table's)."
        ),
        "states": states,
        "actions": list(ACTIONS),
        "prior": {s: fmt(Fraction(1, len(states))) for s in states},
        "alice": {"utility": [[fmt(v) for v in table.target], [fmt(T)] * len(states)]},
        "senders": senders,
        "protocol": {"game": "simultaneous", "tie_break": list(ACTIONS)},
    }
    try:
        parse_instance(data, f"{option} (the pool's game)")
    except InputError as exc:
        raise InputError(option, f"the pool's game cannot be played: {exc.problem}") from None
    return data
