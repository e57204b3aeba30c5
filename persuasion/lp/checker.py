"""Independent checker for LP certificates (standard library only).

:func:`check_certificate` re-verifies a certificate from
:mod:`persuasion.lp.result` in exact rational arithmetic, using nothing but
the numbers written in it.  It trusts no solver: an optimal certificate is
checked by primal feasibility, dual feasibility and equal objectives (weak
duality then proves optimality); an infeasible one by its Farkas
multipliers; an unbounded one by a feasible point and an improving ray.
Sign conventions are in :mod:`persuasion.lp.result`.
"""

import re
from fractions import Fraction

_NUMBER = re.compile(r"-?[0-9]+(/[0-9]+)?")


class CertificateError(ValueError):
    """A certificate failed a check; the message names the step."""


def _require(condition, step):
    if not condition:
        raise CertificateError(step)


def _num(text, what):
    _require(
        isinstance(text, str) and _NUMBER.fullmatch(text) and not text.endswith("/0"),
        f"{what}: not a 'p/q' number",
    )
    return Fraction(text)


def _vector(cert, key, length):
    values = cert.get(key)
    _require(isinstance(values, list) and len(values) == length, f"{key}: missing or wrong length")
    return [_num(v, key) for v in values]


def _read_lp(lp):
    """Return (sense, c, free, rows, senses, rhs) with rows as lists of (j, a)."""
    _require(isinstance(lp, dict) and lp.get("sense") in ("min", "max"), "lp: bad sense")
    _require(isinstance(lp.get("objective"), list), "lp: bad objective")
    c = _vector(lp, "objective", len(lp["objective"]))
    free = lp.get("free")
    _require(
        isinstance(free, list) and len(free) == len(c) and all(isinstance(f, bool) for f in free),
        "lp: bad free flags",
    )
    _require(isinstance(lp.get("rows"), list), "lp: bad rows")
    rows, senses, rhs = [], [], []
    for row in lp["rows"]:
        _require(
            isinstance(row, dict) and row.get("sense") in ("<=", ">=", "=="), "lp: bad row sense"
        )
        entries = row.get("coefficients")
        _require(
            isinstance(entries, list) and all(isinstance(e, list) and len(e) == 2 for e in entries),
            "lp: bad row",
        )
        cols = [j for j, _ in entries]
        _require(all(type(j) is int and 0 <= j < len(c) for j in cols), "lp: bad column index")
        _require(len(set(cols)) == len(cols), "lp: repeated column in a row")
        rows.append([(j, _num(a, "lp coefficient")) for j, a in entries])
        senses.append(row["sense"])
        rhs.append(_num(row.get("rhs"), "lp rhs"))
    return lp["sense"], c, free, rows, senses, rhs


def _satisfies(value, sense, bound):
    return value <= bound if sense == "<=" else value >= bound if sense == ">=" else value == bound


def _check_feasible(x, free, rows, senses, rhs, step):
    _require(
        all(f or v >= 0 for v, f in zip(x, free, strict=True)),
        f"{step}: negative value on a nonnegative variable",
    )
    for i, row in enumerate(rows):
        activity = sum(a * x[j] for j, a in row)
        _require(_satisfies(activity, senses[i], rhs[i]), f"{step}: row {i} violated")


def _row_multipliers_signed(y, senses, sign, step):
    """Require ``sign * y_i >= 0`` on "<=" rows and ``<= 0`` on ">=" rows."""
    for i, (v, s) in enumerate(zip(y, senses, strict=True)):
        _require(
            not (s == "<=" and sign * v < 0) and not (s == ">=" and sign * v > 0),
            f"{step}: wrong sign on row {i}",
        )


def _column_weights(y, rows, n):
    """``A^T y``."""
    weights = [Fraction(0)] * n
    for yi, row in zip(y, rows, strict=True):
        for j, a in row:
            weights[j] += a * yi
    return weights


def check_certificate(cert):
    """Return None if ``cert`` is a valid certificate; raise :class:`CertificateError` otherwise."""
    _require(isinstance(cert, dict), "certificate: not a dict")
    sense, c, free, rows, senses, rhs = _read_lp(cert.get("lp"))
    n, m = len(c), len(rows)
    status = cert.get("status")
    if status == "optimal":
        claim = {
            "x": _vector(cert, "x", n),
            "y": _vector(cert, "y", m),
            "value": _num(cert.get("value"), "value"),
        }
    elif status == "infeasible":
        claim = {"y": _vector(cert, "y", m)}
    elif status == "unbounded":
        claim = {"x": _vector(cert, "x", n), "ray": _vector(cert, "ray", n)}
    else:
        raise CertificateError("certificate: unknown status")
    check_claim(status, sense, c, free, rows, senses, rhs, **claim)


def check_claim(status, sense, c, free, rows, senses, rhs, x=None, y=None, ray=None, value=None):
    """The exact checks behind :func:`check_certificate`, on numbers already read.

    ``rows`` is a list of ``[(j, a), ...]``; every number a Fraction or int.
    """
    n, m = len(c), len(rows)
    if status == "optimal":
        _check_feasible(x, free, rows, senses, rhs, "primal feasibility")
        sign = 1 if sense == "max" else -1
        _row_multipliers_signed(y, senses, sign, "dual feasibility")
        for j, (cj, w) in enumerate(zip(c, _column_weights(y, rows, n), strict=True)):
            reduced = sign * (cj - w)
            _require(
                reduced <= 0 and (not free[j] or reduced == 0),
                f"dual feasibility: reduced cost of column {j}",
            )
        _require(
            sum(cj * xj for cj, xj in zip(c, x, strict=True)) == value, "objective: c.x != value"
        )
        _require(
            sum(bi * yi for bi, yi in zip(rhs, y, strict=True)) == value, "duality: b.y != value"
        )
    elif status == "infeasible":
        _row_multipliers_signed(y, senses, 1, "farkas")
        for j, w in enumerate(_column_weights(y, rows, n)):
            _require(w >= 0 and (not free[j] or w == 0), f"farkas: column {j} of A^T y")
        _require(
            sum(bi * yi for bi, yi in zip(rhs, y, strict=True)) < 0, "farkas: b.y is not negative"
        )
    elif status == "unbounded":
        _check_feasible(x, free, rows, senses, rhs, "feasible point")
        _check_feasible(ray, free, rows, senses, [0] * m, "ray")
        slope = sum(cj * rj for cj, rj in zip(c, ray, strict=True))
        _require(slope > 0 if sense == "max" else slope < 0, "ray: does not improve the objective")
    else:
        raise CertificateError("certificate: unknown status")
