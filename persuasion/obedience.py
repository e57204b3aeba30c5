"""The revelation-principle programs over response vectors.

Variables ``phi[k][x_B] >= 0`` are the probability that the sender sends the
message recommending response vector ``columns[k]`` when the feature is
``x_B``; ``sum_k phi[k][x_B] = 1`` for every ``x_B`` (the scheme is a
distribution), and obedience says that Alice, in every situation, likes the
recommended action at least as much as every other.  The sender maximises
``sum_k sum_t sum_x_B phi[k][x_B] * sender_values[t][x_B][r_k(t)]``.
Restricted to inducible vectors (:mod:`persuasion.inducible`) its value is the
supremum of the sender's utility under Alice's fixed tie-break (docs/explanation/model.md;
Dughmi-Xu 2016 for one receiver type, Kolotilin et al. 2017 for many).

:func:`margin_program` is the cone version used to decide whether the
supremum is attained: it maximises, for every column with a strict
constraint, a margin ``z_k <= 1`` by which the strict constraints hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from persuasion.lp import LinearProgram
from persuasion.lp.model import scale_to_integers
from persuasion.problem import ResponseVector, SenderProblem


Column = tuple[ResponseVector, tuple[Fraction, ...]]
"""One message: the response vector it recommends and ``phi(x_B) = pi(message | x_B)``."""

ZERO = Fraction(0)

FLOOR = "floor"
"""Key of the margin of a strict Alice floor in :attr:`Program.z`."""


@dataclass(frozen=True)
class Candidate:
    """Response vectors a scheme worth some value may use and, per vector, the ``x_B`` at which its
    message may be sent (``sent_at``; None: at any), as complementary slackness leaves them
    (:meth:`Program.usable`, :func:`persuasion.branch_bound.branch_and_bound`'s leaves)."""

    vectors: tuple[ResponseVector, ...]
    sent_at: tuple[frozenset[int], ...] | None = None


@dataclass
class Program:
    """A built program and where its variables are: ``phi[k][x_B]`` (None where the column is held
    at zero), the margins ``z[k]``, and every column's strict obedience rows."""

    lp: LinearProgram
    phi: list[list[int | None]]
    z: dict[int, int]
    tau: int | None = None
    strict_rows: list[list[int]] | None = None

    def columns(self, x, vectors: list[ResponseVector], scale=Fraction(1)) -> list[Column]:
        """The non-zero columns ``(vectors[k], phi_k / scale)`` of a solution ``x`` (one message
        each)."""
        result = []
        for k, phi_k in enumerate(self.phi):
            phi = tuple(ZERO if v is None else x[v] / scale for v in phi_k)
            if any(phi):
                result.append((vectors[k], phi))
        return result

    def usable(self, result, vectors: list[ResponseVector]) -> Candidate:
        """Where a scheme over ``vectors`` worth this program's exact optimum ``result`` can send
        messages.

        Such a scheme is an optimal solution, and ``result.y`` an optimal dual
        solution, so complementary slackness holds between them: the scheme
        is zero on every column ``phi_k(x_B)`` whose reduced cost is not zero
        (:meth:`persuasion.lp.LPResult.reduced_costs`), and holds with
        equality every obedience row whose dual is not zero.  If that row is
        strict, Alice is indifferent there and her tie-break leaves the vector
        (Definition 4): a scheme that induces its vectors under the real
        tie-break, as attaining ones do, does not use it.
        """
        costs = result.reduced_costs()
        vectors_kept, sent_at = [], []
        for k, (r, phi_k) in enumerate(zip(vectors, self.phi, strict=True)):
            where = frozenset(xb for xb, v in enumerate(phi_k) if v is not None and costs[v] == 0)
            if where and not any(result.y[i] for i in self.strict_rows[k]):
                vectors_kept.append(r)
                sent_at.append(where)
        return Candidate(tuple(vectors_kept), tuple(sent_at))


def _add_obedience(problem, lp, phi_k, r, margin=None, implied=True) -> list[int]:
    """Obedience rows for the column ``phi_k`` recommending ``r`` (every strict row ``>= margin``
    when given; without the rows ``phi >= 0`` implies unless ``implied``); returns the strict rows'
    indices."""
    rows, strict = [], []
    for t, a in enumerate(r):
        for _, is_strict, xbs, nums, scale in problem.obedience_rows(t, a, implied):
            cols = [phi_k[xb] for xb in xbs]
            if (
                None in cols
            ):  # some x_B held at zero (Candidate.sent_at): the rest scaled as add_constraint would
                kept = [
                    Fraction(g, scale) for j, g in zip(cols, nums, strict=True) if j is not None
                ]
                cols = [j for j in cols if j is not None]
                nums, _, scale = scale_to_integers(kept, 0)
            if (
                is_strict and margin is not None
            ):  # the margin comes after the column's own variables
                cols, nums = [*cols, margin], [*nums, -scale]
            if cols:
                rows.append((cols, nums, 0, scale))
                strict.append(is_strict)
    added = lp.add_scaled_constraints(rows, ">=")
    return [index for index, is_strict in zip(added, strict, strict=True) if is_strict]


def best_response_program(
    problem: SenderProblem, columns: list[ResponseVector], worth: Fraction | None = None
) -> Program:
    """The obedience LP over ``columns`` (ties in the sender's favour, i.e. its closure), without
    the rows ``phi >= 0`` implies (:meth:`persuasion.problem.SenderProblem.obedience_rows`).

    With ``worth``: the schemes worth exactly ``worth`` to the sender (the LP's optimal face when
    ``worth`` is its value), minimising Alice's value instead (:mod:`persuasion.face`)."""
    lp = LinearProgram(sense="max" if worth is None else "min")
    phi, strict_rows, sender_row = [], [], {}
    for r in columns:
        objective = problem.sender_column(r) if worth is None else problem.alice_column(r)
        phi_k = [lp.add_variable(objective=objective[xb]) for xb in range(problem.num_features)]
        phi.append(phi_k)
        sender_row.update(zip(phi_k, problem.sender_column(r), strict=True))
        strict_rows.append(_add_obedience(problem, lp, phi_k, r, implied=False))
    for xb in range(problem.num_features):
        lp.add_constraint({phi_k[xb]: 1 for phi_k in phi}, "==", 1)
    if worth is not None:
        lp.add_constraint(sender_row, "==", worth)
    if problem.alice_floor is not None:
        lp.add_constraint(_alice_row(problem, columns, phi), ">=", problem.alice_floor)
    return Program(lp, phi, {}, strict_rows=strict_rows)


def column_bound_program(problem: SenderProblem, r: ResponseVector) -> Program:
    """``max c_r . phi`` over one obedient column with ``0 <= phi(x_B) <= 1``.

    Its value bounds what column ``r`` can add to any scheme (every column of
    a scheme has ``phi(x_B) <= 1``), so the obedience LP over a set of vectors
    is worth at most the sum of its vectors' values here
    (:func:`persuasion.limited.by_subsets`).
    """
    lp = LinearProgram(sense="max")
    objective = problem.sender_column(r)
    phi_k = [lp.add_variable(objective=objective[xb]) for xb in range(problem.num_features)]
    for v in phi_k:
        lp.add_constraint({v: 1}, "<=", 1)
    _add_obedience(problem, lp, phi_k, r, implied=False)
    return Program(lp, [phi_k], {})


def _alice_row(
    problem: SenderProblem, columns: list[ResponseVector], phi: list[list[int]]
) -> dict[int, Fraction]:
    """Alice's value of the scheme, as a row over the ``phi`` variables."""
    row: dict[int, Fraction] = {}
    for r, phi_k in zip(columns, phi, strict=True):
        for xb, c in enumerate(problem.alice_column(r)):
            if c and phi_k[xb] is not None:
                row[phi_k[xb]] = c
    return row


def has_strict(problem: SenderProblem, r: ResponseVector) -> bool:
    """Does following ``r`` need Alice to strictly prefer some action somewhere?"""
    return any(problem.rank(a) > 0 for a in r)


def margin_program(
    problem: SenderProblem,
    columns: list[ResponseVector],
    value: Fraction | None,
    sent_at: tuple[frozenset[int], ...] | None = None,
) -> Program:
    """The cone program that finds which columns can hold their strict constraints with room.

    Variables ``(phi, tau) >= 0`` with ``sum_k phi[k][x_B] = tau`` (a scaled
    scheme), obedience, and, if ``value`` is given, sender value ``= value *
    tau`` (optimality).  Every column gets a margin ``0 <= z_k <= 1``: every
    strict constraint ``>= z_k``, or, for a column with none, its mass
    ``sum_x_B phi[k][x_B] >= z_k``; maximise ``sum z_k``.  Because the
    feasible set is a cone, an optimum has ``z_k = 1`` for every column that
    is non-zero and strictly induced in *some* feasible scaled scheme, and
    ``z_k = 0`` exactly for the columns that are zero or on the boundary in
    all of them.  A strict Alice floor (Section E) gets a
    margin of its own, under the key :data:`FLOOR`.  With ``sent_at``
    (:attr:`Candidate.sent_at`), column ``k`` has variables only at the
    ``x_B`` in ``sent_at[k]``: zero elsewhere.
    """
    lp = LinearProgram(sense="max")
    tau = lp.add_variable()
    phi, z = [], {}
    objective_row: dict[int, Fraction] = {}
    for k, r in enumerate(columns):
        phi_k = [
            lp.add_variable() if sent_at is None or xb in sent_at[k] else None
            for xb in range(problem.num_features)
        ]
        phi.append(phi_k)
        margin = z[k] = lp.add_variable(objective=1)
        lp.add_constraint({margin: 1}, "<=", 1)
        if has_strict(problem, r):
            _add_obedience(problem, lp, phi_k, r, margin)
        else:  # nothing to hold strictly: the margin is the message's mass
            _add_obedience(problem, lp, phi_k, r)
            lp.add_constraint({**{v: 1 for v in phi_k if v is not None}, margin: -1}, ">=", 0)
        for xb, c in enumerate(problem.sender_column(r)):
            if c and phi_k[xb] is not None:
                objective_row[phi_k[xb]] = c
    for xb in range(problem.num_features):
        row = {phi_k[xb]: Fraction(1) for phi_k in phi if phi_k[xb] is not None}
        row[tau] = Fraction(-1)
        lp.add_constraint(row, "==", 0)
    if value is not None:
        if value:
            objective_row[tau] = -value
        if objective_row:
            lp.add_constraint(objective_row, "==", 0)
    if problem.alice_floor is not None:
        _add_margin_floor(problem, lp, columns, phi, tau, z)
    return Program(lp, phi, z, tau)


def _add_margin_floor(problem: SenderProblem, lp: LinearProgram, columns, phi, tau, z) -> None:
    """The scaled Alice floor ``Alice's value >= floor * tau`` of :func:`margin_program`, with a
    margin of its own (under :data:`FLOOR` in ``z``) when the floor is strict."""
    row = _alice_row(problem, columns, phi)
    if problem.alice_floor:
        row[tau] = -problem.alice_floor
    if problem.floor_strict:
        z[FLOOR] = lp.add_variable(objective=1)
        lp.add_constraint({z[FLOOR]: 1}, "<=", 1)
        row[z[FLOOR]] = Fraction(-1)
    if row:
        lp.add_constraint(row, ">=", 0)
