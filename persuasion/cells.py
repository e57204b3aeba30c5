"""The inducible response vectors, found by a float search and certified exactly.

:func:`certified_responses` returns exactly what
:func:`persuasion.inducible.inducible_responses` returns -- every inducible
response vector in lexicographic order, and the same ``pruned`` list of
partial assignments found not inducible -- by the same depth-first search
over situations.  That search is determined by one exact predicate, "is this
partial assignment inducible?" (docs/explanation/model.md: some message ``nu`` in the
simplex makes every strict obedience row ``> 0`` and every weak one
``>= 0``), so two searches that answer it exactly visit the same nodes in the
same order and give the same lists.  Only how a node is answered changes:

* **A float margin LP, one model for the whole search.**  Each obedience row
  is scaled to its primitive integer multiple ``h`` (a positive multiple of
  the advantage row, so the same constraint).  The cone LP

      ``max s``  s.t.  ``h . nu - |h|_max s >= 0`` (strict rows),  ``h . nu >= 0`` (weak rows),
      ``sum nu - s >= 0``,  ``sum nu <= 1``,  ``nu >= 0``

  is always feasible (``nu = 0, s = 0``) and bounded, and its optimum is
  positive exactly when the assignment is inducible.  It is solved in floats
  by :class:`persuasion.lp.margin.MarginLP` (a dense simplex on its dual,
  whose rows a child extends and the search cuts back, each solve starting
  from its parent's basis), which answers with a basis only.
* **Inducible is certified by an exact witness.**  The basis's kernel (a
  square integer system of at most ``|X_B| + 1`` rows) is solved exactly by
  python-flint; if its ``s`` is positive, its ``nu`` is accepted only after
  checking in integers that ``nu >= 0``, ``nu != 0`` and every strict row of
  the assignment is ``> 0`` and every weak one ``>= 0``.  The search carries
  the witness on, as the reference does: a child whose action is Alice's
  exact tie-broken response to the witness is inducible without an LP.
* **Not inducible is certified by exact Motzkin multipliers.**  Otherwise the
  kernel's dual is solved exactly, giving ``Y`` on the rows and ``z`` (the
  multiplier of ``sum nu - s >= 0``); they are accepted only after checking
  in integers that ``Y >= 0``, ``z >= 0``, ``z > 0`` or some strict row has
  ``Y > 0``, and ``sum Y h(x_B) + z <= 0`` for every ``x_B``.  A message
  inducing the assignment would make ``sum Y (h . nu) + z`` both positive and
  at most 0: the certificate of :func:`persuasion.witnesses.bounds.motzkin`
  (which rebuilds one for every pruned assignment, when ``certify`` asks).
* **Learned conflicts.**  The rows with ``Y > 0`` belong to a few
  ``(situation, action)`` pairs, and the same multipliers prove that *no*
  assignment containing those pairs is inducible.  The search keeps every
  such conflict and answers a node that contains one without an LP: most
  nodes are not inducible, for a reason involving a handful of situations.
* **Fallback.**  Whenever the float answer certifies nothing (no basis, a
  kernel that is not square or is singular, a basic solution that violates
  a row, multipliers of a wrong sign), the node is decided by the
  reference's own exact certified LP (:func:`persuasion.inducible.witness`,
  through :func:`persuasion.lp.solve`).

So every node's answer is exact whatever the floats do, and the result is the
reference's.  No float is read back: the float solver's output is a basis
and a hint (is its optimum positive?) that only orders the two attempts.

A float solve takes tens of microseconds and runs in the calling thread, so
Ctrl-C raises :class:`KeyboardInterrupt` at once between two solves (the
fallback's LP runs in :func:`persuasion.lp.highs.run`'s interruptible worker
thread).
"""

from __future__ import annotations

import contextlib
from bisect import bisect_right
from contextvars import ContextVar
from fractions import Fraction
from math import gcd, lcm

import flint
import numpy as np

from persuasion.deadline import check
from persuasion.inducible import inducible_responses, witness
from persuasion.lp.kernel import solve_columns
from persuasion.lp.margin import MarginLP, base_rows
from persuasion.memory import scope
from persuasion.problem import ResponseVector, SenderProblem

Pair = tuple[int, int]
"""``(situation t, action a)``: Alice plays ``a`` in ``t``."""

Witness = tuple[int, ...]
"""Message weights ``nu(x_B)`` as non-negative integers, not all 0 (any positive scale induces the
same)."""

_BASE_ROWS = len(base_rows(0))
"""The model's first rows (:func:`persuasion.lp.margin.base_rows`): ``sum nu - s >= 0`` (row 0)
and ``-sum nu >= -1`` (row 1)."""

_INT64_SAFE = 2**62
"""A dot product whose terms are bounded by this in total is computed in int64, else in Python
ints."""

_WIDE = 2**31
"""Integer data from this magnitude on is kept as Python ints (numpy object arrays)."""


def _integers(values: list[Fraction]) -> list[int]:
    """``values`` times the lcm of their denominators (a positive multiple)."""
    den = lcm(*(v.denominator for v in values))
    return [v.numerator * (den // v.denominator) for v in values]


def _primitive(values: list[Fraction]) -> list[int]:
    """The primitive integer vector that is a positive multiple of ``values`` (0 stays 0)."""
    nums = _integers(values)
    common = gcd(*nums)
    return [x // common for x in nums] if common else nums


def _array(rows: list, wide: bool) -> np.ndarray:
    """Nested lists of ints as an int64 array, or an object array of Python ints if ``wide``."""
    return np.array(rows, dtype=object if wide else np.int64)


def _dot(matrix: np.ndarray, bound: int, vector: Witness) -> np.ndarray:
    """``matrix @ vector`` exactly; ``bound`` is the largest magnitude in ``matrix``."""
    if matrix.dtype != object and bound * sum(vector) < _INT64_SAFE:
        return matrix @ np.array(vector, dtype=np.int64)
    return matrix.astype(object) @ np.array(vector, dtype=object)


def _common_length(a: list, b: list) -> int:
    """The length of the longest common prefix of two lists (slice comparisons run in C)."""
    n = min(len(a), len(b))
    if a[:n] == b[:n]:
        return n
    low, high = 0, n  # a[:low] == b[:low], a[:high] != b[:high]
    while high - low > 1:
        middle = (low + high) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle
    return low


class _Rows:
    """The obedience rows of every pair as integers, and Alice's values as integers.

    A pair's rows are ``[c_s, h(0), ..., h(|X_B|-1)]``, meaning ``c_s s + h .
    nu >= 0``, with ``h`` the primitive integer multiple of the advantage row of
    :meth:`SenderProblem.obedience` and ``c_s = -|h|_max`` (``-1`` if ``h =
    0``) on strict rows, ``0`` on weak ones; weak rows with ``h = 0`` always
    hold and are left out.
    """

    def __init__(self, problem: SenderProblem) -> None:
        nb = problem.num_features
        exact: dict[Pair, list[list[int]]] = {}
        for t in range(problem.num_situations):
            for a in range(problem.num_actions):
                rows = []
                for _, strict, coefficients in problem.obedience(t, a):
                    h = _primitive([coefficients.get(xb, Fraction(0)) for xb in range(nb)])
                    if strict:
                        rows.append([-max(max(map(abs, h)), 1)] + h)
                    elif any(h):
                        rows.append([0] + h)
                exact[t, a] = rows
        self.bound = max(
            (abs(x) for rows in exact.values() for row in rows for x in row), default=1
        )
        wide = self.bound >= _WIDE
        self.exact = {
            pair: _array(rows, wide).reshape(len(rows), nb + 1) for pair, rows in exact.items()
        }
        self.base = _array(base_rows(nb), wide)
        alice = [self._alice(problem, t) for t in range(problem.num_situations)]
        self.alice_bound = max((abs(v) for table in alice for row in table for v in row), default=1)
        self.alice = _array(alice, self.alice_bound >= _WIDE).reshape(
            len(alice), problem.num_actions, nb
        )
        self.tie_break = np.array(problem.tie_break)

    @staticmethod
    def _alice(problem: SenderProblem, t: int) -> list[list[int]]:
        """Alice's values in situation ``t`` per unit of ``nu(x_B)``, ``[a][x_B]``, times one
        positive integer."""
        table = problem.alice_values[t]
        na = problem.num_actions
        flat = _integers([v for row in table for v in row])
        return [[flat[xb * na + a] for xb in range(problem.num_features)] for a in range(na)]

    def responses(self, nu: Witness) -> list[int]:
        """Alice's tie-broken action in every situation after a message with weights ``nu``.

        Exact integer arithmetic (:meth:`SenderProblem.response_at` on a
        positive multiple of the values); the first maximum in tie-break order wins.
        """
        n, na, nb = self.alice.shape
        values = _dot(self.alice.reshape(n * na, nb), self.alice_bound, nu).reshape(n, na)
        ordered = values[:, self.tie_break]
        return self.tie_break[np.argmax(ordered, axis=1)].tolist()


class _Search:
    """Answers "is this assignment inducible?" exactly, on one stack-shaped float model."""

    def __init__(self, problem: SenderProblem, rows: _Rows) -> None:
        self.problem = problem
        self.rows = rows
        self.model = MarginLP(problem.num_features, rows.exact)
        self.pairs: list[Pair] = []  # the pairs whose rows the model holds, in order
        self.ends: list[int] = []  # model row count after each pair's rows
        capacity = sum(
            max(len(rows.exact[t, a]) for a in range(problem.num_actions))
            for t in range(problem.num_situations)
        )
        self._rows = np.zeros((capacity, problem.num_features + 1), dtype=rows.base.dtype)
        self.stack = self._rows[:0]  # the exact rows of self.pairs, stacked
        self.num_actions = problem.num_actions
        self.conflicts: dict[Pair, list[int]] = {}

    def bit(self, t: int, a: int) -> int:
        """The bit of the pair ``(t, a)`` in an assignment's bit set."""
        return 1 << (t * self.num_actions + a)

    def conflicted(self, assigned: int, t: int, a: int) -> bool:
        """Does the assignment with bit set ``assigned``, plus ``a`` in ``t``, contain a learned
        conflict?"""
        return any(conflict & assigned == conflict for conflict in self.conflicts.get((t, a), ()))

    def decide(self, assignment: list[Pair]) -> Witness | None:
        """An exact witness inducing ``assignment``, or None if it is certified not inducible."""
        self._load(assignment)
        claim = self.model.solve()
        if claim is not None:
            answer = self._certify(*claim)
            if answer is not False:
                return answer
        return self._fallback(assignment)

    def _load(self, assignment: list[Pair]) -> None:
        """Make the model hold exactly the rows of ``assignment``, keeping the common prefix."""
        keep = _common_length(self.pairs, assignment)
        rows_kept = self.ends[keep - 1] if keep else _BASE_ROWS
        self.model.truncate(keep)
        del self.pairs[keep:], self.ends[keep:]
        end = rows_kept
        for p in assignment[keep:]:
            block = self.rows.exact[p]
            self._rows[end - _BASE_ROWS : end - _BASE_ROWS + len(block)] = block
            end += len(block)
            self.pairs.append(p)
            self.ends.append(end)
            self.model.push(p)
        self.stack = self._rows[: end - _BASE_ROWS]

    def _certify(self, rows: list[int], cols: list[int], positive: bool) -> Witness | None | bool:
        """Solve the basis with tight ``rows`` and basic ``cols`` exactly, and certify what it
        gives.

        The exact witness, or None for "not inducible" (certified), or False if
        this basis certifies neither.  The float solver's claim ``positive``
        (is its optimum above its tolerance?) only chooses which certificate is
        tried first.
        """
        k = len(rows)
        if k != len(cols):
            return False
        full = [
            (self.rows.base[i] if i < _BASE_ROWS else self.stack[i - _BASE_ROWS]).tolist()
            for i in rows
        ]
        matrix = flint.fmpz_mat(k, k, [row[j] for row in full for j in cols])
        attempts = (self._witness, self._motzkin) if positive else (self._motzkin, self._witness)
        for attempt in attempts:
            answer = attempt(matrix, rows, cols, full)
            if answer is not False:
                return answer
        return False

    def _witness(
        self, matrix, rows: list[int], cols: list[int], full: list[list[int]]
    ) -> Witness | bool:
        """The basic solution's ``nu`` if its ``s`` is positive and it induces the assignment
        exactly, else False."""
        primal = solve_columns(matrix, [[-1 if i == 1 else 0 for i in rows]])
        if primal is None:
            return False
        x = dict(zip(cols, primal[0].numerators, strict=True))
        if x.get(0, 0) <= 0:
            return False
        nu = tuple(x.get(1 + xb, 0) for xb in range(self.problem.num_features))
        return nu if self._induces(nu) else False

    def _induces(self, nu: Witness) -> bool:
        """Exactly: ``nu >= 0``, not 0, and every row of the model's assignment holds (strictly
        where strict)."""
        if min(nu) < 0 or not any(nu):
            return False
        rows = self.stack
        values = _dot(rows[:, 1:], self.rows.bound, nu)
        strict = rows[:, 0] != 0
        return bool(np.all(values[strict] > 0) and np.all(values[~strict] >= 0))

    def _motzkin(
        self, matrix, rows: list[int], cols: list[int], full: list[list[int]]
    ) -> None | bool:
        """None if the basis's dual gives a valid Motzkin certificate (and learn its conflict), else
        False.

        The dual of ``max s`` over rows ``R x >= b`` is ``c = -sum mu_r R_r``
        with ``mu >= 0``; solving ``K^T y = c`` on the kernel gives ``y = -mu``
        times a positive denominator.  So ``Y = -y`` on the assignment's rows
        and ``z = -y`` on row 0.  The certificate is checked exactly: ``Y >=
        0``, ``z >= 0``, ``z > 0`` or ``Y > 0`` on a strict row, and ``sum Y
        h(x_B) + z <= 0`` for every ``x_B``.
        """
        dual = solve_columns(matrix.transpose(), [[1 if j == 0 else 0 for j in cols]])
        if dual is None:
            return False
        z, used = 0, []
        for i, row, yi in zip(rows, full, dual[0].numerators, strict=True):
            if i == 0:
                z = -yi
            elif i >= _BASE_ROWS and yi:
                used.append((i, row, -yi))
        if z < 0 or any(v < 0 for _, _, v in used):
            return False
        if not z and not any(row[0] for _, row, _ in used):
            return False
        for xb in range(1, self.problem.num_features + 1):
            if sum(v * row[xb] for _, row, v in used) + z > 0:
                return False
        self._learn([i for i, _, _ in used])
        return None

    def _learn(self, rows: list[int]) -> None:
        """Remember that no message induces the pairs owning ``rows`` together."""
        owners = sorted({self.pairs[bisect_right(self.ends, i)] for i in rows})
        if len(owners) < 2:  # a single pair: the search never tries it again
            return
        *others, last = owners
        self.conflicts.setdefault(last, []).append(sum(self.bit(*p) for p in others))

    def _fallback(self, assignment: list[Pair]) -> Witness | None:
        """The reference's exact certified LP decides this node."""
        nu = witness(self.problem, assignment)
        return None if nu is None else tuple(_integers(list(nu)))


ALONE_MEMO = 10_000
"""Most answers :func:`remembering` keeps (past it, new questions are answered and not kept)."""

_ALONE: ContextVar[dict | None] = ContextVar("persuasion_alone_memo", default=None)


def remembering() -> contextlib.AbstractContextManager[None]:
    """Within the block, "is action ``a`` inducible alone in situation ``t``?" is answered once per
    question.

    Every enumeration first asks it of every pair (its ``alone`` lists), and
    best-response dynamics ask it again at every best response, of problems
    that differ only in the other senders' schemes.  The answer depends on far
    less (:func:`_alone_question`), so most of those questions are the same.
    Nested blocks share the outermost block's memory, which ends with it.
    """
    return scope(_ALONE)


def _alone_question(problem: SenderProblem, t: int) -> tuple:
    """What decides whether an action is inducible alone in situation ``t``, the action aside.

    A message's weights ``nu >= 0`` (not 0) induce action ``a`` in ``t`` when
    ``sum_x_B nu(x_B) (v(x_B, a) - v(x_B, b)) > 0`` for every action ``b``
    before ``a`` in the tie-break and ``>= 0`` for the others, with ``v(x_B,
    .)`` Alice's values in ``t`` per unit of ``nu(x_B)``.  Dividing ``v(x_B,
    .)`` by any ``c(x_B) > 0`` and ``nu(x_B)`` by ``1 / c(x_B)`` changes no
    sign, and maps the non-zero non-negative weights onto themselves: so the
    answer is the same for every situation whose rows ``v(x_B, .)`` are equal
    once each is divided by its largest magnitude (an all-zero row stays
    zero) -- in a deviation problem that is every situation with the same
    Alice features and the same ``x_B`` of zero probability, whatever the
    other senders' schemes.  The question is those rows and the tie-break.
    """
    rows = []
    for values in problem.alice_values[t]:
        top = max(map(abs, values), default=0)
        rows.append(tuple(v / top for v in values) if top else tuple(values))
    return problem.tie_break, tuple(rows)


def certified_responses(problem: SenderProblem, pruned: list | None = None) -> list[ResponseVector]:
    """Every inducible response vector of ``problem``, in lexicographic order, certified exactly.

    The same list as :func:`persuasion.inducible.inducible_responses`, with
    the same ``pruned`` semantics (every partial assignment found not
    inducible: single pairs for actions not inducible in their situation
    alone, prefixes otherwise), found much faster (see the module docstring).
    """
    if problem.num_features == 0:  # no message weights at all: nothing to search
        return inducible_responses(problem, pruned)
    rows = _Rows(problem)
    search = _Search(problem, rows)
    n = problem.num_situations
    alone = _alone_actions(problem, search, pruned)
    found: list[ResponseVector] = []
    prefix: list[int] = []  # the actions chosen in situations 0..t-1
    # the open nodes, one per depth t <= len(prefix): (pairs assigned as bits, witness, its
    # responses, the actions still to try in situation t); a loop, not recursion, since situations
    # can be many
    frames: list[tuple] = []

    def enter(assigned: int, nu: Witness, responses: list[int]) -> None:
        if len(prefix) == n:
            found.append(tuple(prefix))
            if prefix:
                prefix.pop()
        else:
            frames.append((assigned, nu, responses, iter(alone[len(prefix)])))

    start = (1,) + (0,) * (problem.num_features - 1)
    enter(0, start, rows.responses(start))
    while frames:
        check()  # a time limit can stop a long enumeration (persuasion.deadline)
        assigned, nu, responses, actions = frames[-1]
        t = len(prefix)
        a = next(actions, None)
        if a is None:
            frames.pop()
            if prefix:
                prefix.pop()
        elif a == responses[t]:
            prefix.append(a)
            enter(assigned | search.bit(t, a), nu, responses)
        else:
            child = (
                None
                if search.conflicted(assigned, t, a)
                else search.decide(list(enumerate(prefix)) + [(t, a)])
            )
            if child is not None:
                prefix.append(a)
                enter(assigned | search.bit(t, a), child, rows.responses(child))
            elif pruned is not None:
                pruned.append(list(enumerate(prefix)) + [(t, a)])
    return found


def _alone_actions(problem: SenderProblem, search: _Search, pruned: list | None) -> list[list[int]]:
    """Per situation ``t``, the actions inducible in ``t`` alone (the pairs not so inducible are
    appended to ``pruned``), answered from the :func:`remembering` memo when one is open."""
    alone: list[list[int]] = [[] for _ in range(problem.num_situations)]
    memo = _ALONE.get()
    for t in range(problem.num_situations):
        question = None if memo is None else _alone_question(problem, t)
        for a in range(problem.num_actions):
            known = None if memo is None else memo.get((question, a))
            if known is None:
                known = search.decide([(t, a)]) is not None
                if memo is not None and len(memo) < ALONE_MEMO:
                    memo[question, a] = known
            if known:
                alone[t].append(a)
            elif pruned is not None:
                pruned.append([(t, a)])
    return alone
