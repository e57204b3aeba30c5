"""Benchmark: exact certified LP optima vs. the float HiGHS solve.

Run as ``python benchmarks/bench_exact_lp.py`` (not part of pytest).  It
builds persuasion-style obedience LPs of growing size and prints one table
of median wall-clock times:

* **HiGHS** -- the float simplex alone (``highs.run()`` on a model already
  passed in, with the options our pipeline uses: simplex, presolve off);
  the ratios are to this time,
* **HiGHS default** -- the same with HiGHS's default options (presolve on),
* **ours** -- :func:`persuasion.lp.solve`: float solve, exact kernel solve
  and exact check (and a fallback, if one is needed), from the built LP,
  timed in alternation with **HiGHS**,
* **naive** -- HiGHS, then the *full* basis (structural and slack columns,
  m x m) solved exactly with sympy's ``DomainMatrix`` over QQ,
* **exact simplex** -- our dense Fraction simplex (small sizes only),
* **pycddlib** -- cddlib's exact (GMP) LP solver, if ``cdd`` is importable
  (small sizes only: it needs minutes from a few hundred rows on),

each also as a ratio to HiGHS.  The obedience LP: variables
``phi(t, r) >= 0`` for states ``t`` and recommendations ``r``;
``sum_r phi(t, r) == 1`` per state; obedience rows
``sum_t mu(t) phi(t, r) (u(r, t) - u(a, t)) >= 0`` for ``a != r``;
maximise ``sum_t mu(t) sum_r phi(t, r) v(r, t)``; ``mu`` a random rational
prior, ``u``, ``v`` random integers in 0..10.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from fractions import Fraction
from functools import partial

import highspy
from sympy import QQ
from sympy.polys.matrices import DomainMatrix

from persuasion.lp import LinearProgram, solve
from persuasion.lp.highs import float_solve, pass_model, prepared
from persuasion.lp.kernel import primal_dual
from persuasion.lp.scaled import IntegerLP
from persuasion.lp.simplex import exact_simplex
from persuasion.lp.verify import certify_optimal

SIZES = [(8, 10), (15, 50), (20, 70), (25, 90), (30, 100)]
"""(recommendations, states); the largest is 970 rows x 3000 columns, 90,000 nonzeros."""


def obedience_lp(actions: int, states: int, seed: int) -> LinearProgram:
    """A sender's best-response (obedience) LP with random integer/rational data."""
    rng = random.Random(seed)
    weights = [rng.randint(1, 10) for _ in range(states)]
    mu = [Fraction(w, sum(weights)) for w in weights]
    u = [[rng.randint(0, 10) for _ in range(states)] for _ in range(actions)]
    v = [[rng.randint(0, 10) for _ in range(states)] for _ in range(actions)]
    lp = LinearProgram(sense="max")
    phi = [[lp.add_variable(mu[t] * v[r][t]) for r in range(actions)] for t in range(states)]
    for t in range(states):
        lp.add_constraint({phi[t][r]: 1 for r in range(actions)}, "==", 1)
    for r in range(actions):
        for a in range(actions):
            if a != r:
                lp.add_constraint(
                    {phi[t][r]: mu[t] * (u[r][t] - u[a][t]) for t in range(states)}, ">=", 0
                )
    return lp


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def highs_alone(ilp: IntegerLP) -> float:
    """One float solve, with the options our pipeline uses, on a model already passed to HiGHS."""
    h = prepared(ilp)
    seconds, _ = timed(h.run)
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return seconds


def highs_default(ilp: IntegerLP) -> float:
    """One float solve with HiGHS's default options (presolve on), for reference."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    pass_model(h, ilp)
    seconds, _ = timed(h.run)
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return seconds


def naive_exact(lp: LinearProgram) -> Fraction:
    """HiGHS basis, then the full m x m basis solved with sympy DomainMatrix over QQ (no kernel, no
    check)."""
    data = lp.freeze()
    ilp = IntegerLP(data)
    basis = float_solve(ilp).basis
    m = data.num_constraints
    columns = [dict(zip(*ilp.column(j), strict=True)) for j in basis.cols] + [
        {i: 1} for i in sorted(basis.basic_rows(m))
    ]
    matrix = DomainMatrix([[QQ(col.get(i, 0)) for col in columns] for i in range(m)], (m, m), QQ)
    x = matrix.lu_solve(DomainMatrix([[QQ(b)] for b in data.rhs_nums], (m, 1), QQ))
    costs = [QQ(ilp.obj_nums[j]) for j in basis.cols] + [QQ(0)] * (m - len(basis.tight))
    matrix.transpose().lu_solve(DomainMatrix([[c] for c in costs], (m, 1), QQ))
    values = x.to_list_flat()
    return (
        sum(
            Fraction(ilp.obj_nums[j]) * Fraction(int(v.numerator), int(v.denominator))
            for j, v in zip(basis.cols, values[: len(basis.cols)], strict=True)
        )
        / ilp.obj_den
    )


def cdd_value(lp: LinearProgram) -> Fraction:
    """pycddlib's exact (GMP) LP optimum."""
    import cdd
    import cdd.gmp

    data = lp.freeze()
    n = data.num_variables
    array = []
    for cols, vals, sense, b in zip(data.row_cols, data.rows, data.senses, data.rhs, strict=True):
        dense = [Fraction(0)] * n
        for j, a in zip(cols, vals[1], strict=True):
            dense[j] = a
        if sense in (">=", "=="):
            array.append([-b] + dense)
        if sense in ("<=", "=="):
            array.append([b] + [-a for a in dense])
    array += [
        [Fraction(0)] + [Fraction(int(j == k)) for k in range(n)]
        for j in range(n)
        if not data.free[j]
    ]
    array.append([Fraction(0)] + [Fraction(c) for c in data.objective])
    program = cdd.gmp.linprog_from_array(array, cdd.LPObjType.MAX)
    cdd.gmp.linprog_solve(program)
    return Fraction(program.obj_value)


def kernel_and_check(ilp: IntegerLP) -> tuple[float, int]:
    """Seconds for the exact part alone (kernel solves + integer check), and the kernel size k."""
    basis = float_solve(ilp).basis
    seconds, solved = timed(
        lambda: certify_optimal(ilp, basis, *primal_dual(ilp, basis, ilp.obj_nums))
    )
    assert solved is not None
    return seconds, len(basis.cols)


def alternating(ilp: IntegerLP, lp: LinearProgram, repeat: int) -> tuple[float, float, object]:
    """Median seconds of HiGHS alone and of ``solve(lp)``, timed in alternation (a change of
    machine load hits both), and the last result."""
    highs, ours = [], []
    for _ in range(repeat):
        highs.append(highs_alone(ilp))
        seconds, result = timed(lambda: solve(lp))
        ours.append(seconds)
    return statistics.median(highs), statistics.median(ours), result


def median_time(fn, repeat: int) -> tuple[float, object]:
    runs = [timed(fn) for _ in range(repeat)]
    return statistics.median(t for t, _ in runs), runs[-1][1]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs per measurement (median reported)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--simplex-max-rows",
        type=int,
        default=70,
        help="dense exact simplex only up to this many rows",
    )
    parser.add_argument(
        "--cdd-max-rows", type=int, default=70, help="pycddlib only up to this many rows"
    )
    return parser


HEADER = [
    "rows",
    "cols",
    "nnz",
    "k",
    "HiGHS s",
    "HiGHS default s",
    "ours s",
    "x",
    "exact part s",
    "method",
    "naive s",
    "x",
    "simplex s",
    "x",
    "cdd s",
    "x",
]


def _row(actions: int, states: int, args, have_cdd: bool) -> list:
    """One table row: the obedience LP of ``actions x states`` timed by every method."""
    lp = obedience_lp(actions, states, args.seed)
    ilp = IntegerLP(lp.freeze())
    base, ours, result = alternating(ilp, lp, args.repeat)
    naive, naive_value = median_time(partial(naive_exact, lp), max(1, args.repeat // 2))
    assert naive_value == result.value, "naive exact value disagrees"
    exact_part, k = kernel_and_check(ilp)
    default = statistics.median(highs_default(ilp) for _ in range(args.repeat))
    cells = [
        lp.num_constraints,
        lp.num_variables,
        ilp.num_nonzeros,
        k,
        f"{base:.4f}",
        f"{default:.4f}",
    ]
    cells += [f"{ours:.4f}", f"{ours / base:.2f}"]
    cells += [f"{exact_part:.4f}", result.method, f"{naive:.4f}", f"{naive / base:.2f}"]
    if lp.num_constraints <= args.simplex_max_rows:
        seconds, (status, x, _, _) = median_time(partial(exact_simplex, lp.freeze()), 1)
        assert sum(c * v for c, v in zip(lp.freeze().objective, x, strict=True)) == result.value
        cells += [f"{seconds:.4f}", f"{seconds / base:.0f}"]
    else:
        cells += ["-", "-"]
    if have_cdd and lp.num_constraints <= args.cdd_max_rows:
        seconds, value = median_time(partial(cdd_value, lp), 1)
        assert value == result.value, "pycddlib disagrees"
        cells += [f"{seconds:.4f}", f"{seconds / base:.0f}"]
    else:
        cells += ["-", "-"]
    return cells


def main() -> None:
    args = _parser().parse_args()
    try:
        import cdd.gmp  # noqa: F401

        have_cdd = True
    except ImportError:
        have_cdd = False
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "---|" * len(HEADER))
    for actions, states in SIZES:
        cells = _row(actions, states, args, have_cdd)
        print("| " + " | ".join(str(c) for c in cells) + " |", flush=True)
    print()
    print(
        "x = time / HiGHS time.  k = kernel size.  exact part = kernel solves + integer check "
        "alone."
    )
    print("naive = HiGHS + full-basis sympy DomainMatrix solve (no check).")
    if not have_cdd:
        print(
            "pycddlib not importable: install libcdd-dev libgmp-dev (apt) and pycddlib (pip) to "
            "compare."
        )
    else:
        print(
            f"pycddlib and the dense exact simplex are run only up to {args.cdd_max_rows} / "
            f"{args.simplex_max_rows} rows."
        )


if __name__ == "__main__":
    main()
