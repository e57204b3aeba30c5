"""Exact linear programming with certificates.

Build a :class:`LinearProgram` with exact coefficients, :func:`solve` it
(HiGHS in floats finds a basis, python-flint solves it exactly, an integer
check certifies it, exact fallbacks repair it), and re-verify any result's
``certificate`` with the solver-free :func:`check_certificate`.
:func:`solve_mixed` handles integer variables (exactly verified incumbent,
optimality at solver tolerance).
"""

from persuasion.lp.checker import CertificateError, check_certificate
from persuasion.lp.mixed import MixedResult, solve_mixed
from persuasion.lp.model import LinearProgram
from persuasion.lp.result import LPResult
from persuasion.lp.pipeline import solve

__all__ = [
    "CertificateError",
    "LPResult",
    "LinearProgram",
    "MixedResult",
    "check_certificate",
    "solve",
    "solve_mixed",
]
