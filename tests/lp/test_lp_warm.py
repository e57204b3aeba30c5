"""Warm-started solves of one LP with changing rows (persuasion.lp.warm) against cold exact
solves."""

import random

from persuasion.lp import LinearProgram, check_certificate, solve
from persuasion.lp.warm import WarmLP
from lp_testing import random_lp


def _with_rows(
    lp: LinearProgram, caps: list[int], rows: dict[int, tuple[str, int]]
) -> LinearProgram:
    """The same LP built afresh with every capped row ``x_j <= 1`` replaced as ``rows`` says."""
    data = lp.freeze()
    fresh = LinearProgram(sense=data.sense)
    for c, free in zip(data.objective, data.free, strict=True):
        fresh.add_variable(objective=c, free=free)
    for i, ((cols, values), sense, rhs) in enumerate(
        zip(data.rows, data.senses, data.rhs, strict=True)
    ):
        sense, rhs = rows.get(i, (sense, rhs))
        fresh.add_constraint(dict(zip(cols, values, strict=True)), sense, rhs)
    return fresh


def test_a_sequence_of_row_changes_gives_the_cold_exact_results():
    """Random LPs, each variable capped by a row ``x_j <= 1``; a random sequence of changes of those
    rows to ``== 1`` or ``<= 0`` (as the branch and bound does) solved warm: the status, value and
    certificate of a cold solve every time, infeasible boxes included."""
    rng = random.Random(20261202)
    statuses = set()
    for _ in range(40):
        lp = random_lp(rng, n=rng.randint(2, 5), m=rng.randint(1, 4))
        n = lp.freeze().num_variables
        caps = [lp.add_constraint({j: 1}, "<=", 1) for j in range(n)]
        warm = WarmLP(lp.freeze())
        for _ in range(6):
            rows = {
                caps[j]: rng.choice([("==", 1), ("<=", 0)])
                for j in rng.sample(range(n), rng.randint(0, n))
            }
            result = warm.solve(rows)
            cold = solve(_with_rows(lp, caps, rows))
            check_certificate(result.certificate)
            assert (result.status, result.value) == (cold.status, cold.value)
            statuses.add(result.status)
    assert {"optimal", "infeasible"} <= statuses
