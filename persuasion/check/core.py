"""Re-verify a theorem certificate (``persuasion-certificate/1``) step by step, exactly.

A certificate is a self-contained JSON record of one claim: the instance it
is about, the profile if any, every number used (``"p/q"`` strings) and a
list of *steps*.  Each step has an ``id``, a ``kind``, the paper's result it
instantiates (``cites``) and the data that lets this module re-derive it.
:func:`check` runs the verifier registered for each kind, in order, and stops
at the first step that does not re-verify.  Nothing here calls a solver: the
checker recomputes outcomes from the instance and checks inequalities in
rational arithmetic (and with rational enclosures where ``exp`` and ``log``
appear).
"""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from typing import Any, Callable

FORMAT = "persuasion-certificate/1"

CLAIMS = (
    "definition-1",
    "definition-1-nonnegative",
    "theorem-1",
    "theorem-6",
    "theorem-7",
    "lemma-1",
    "lemma-2",
    "proposition-2",
    "proposition-3",
)
"""Every claim a certificate can make, in report order."""


class StepFailure(Exception):
    """A step did not re-verify; ``step`` is its id (or ``"certificate"``)."""

    def __init__(self, step: str, problem: str) -> None:
        self.step = step
        self.problem = problem
        super().__init__(f"step {step}: {problem}")


def require(condition: bool, problem: str) -> None:
    """Fail the current step with ``problem`` unless ``condition`` holds."""
    if not condition:
        raise _Failed(problem)


class _Failed(Exception):
    pass


def concludes(context: dict, **values: Any) -> None:
    """Require the certificate's ``conclusion`` to state exactly these established values."""
    stated = context["certificate"].get("conclusion")
    require(isinstance(stated, dict), "the certificate has no conclusion")
    for key, value in values.items():
        require(key in stated, f"the conclusion does not state {key}")
        claimed = stated[key]
        if isinstance(value, Fraction):
            claimed = number(claimed)
        elif isinstance(value, list) and value and isinstance(value[0], Fraction):
            claimed = numbers(claimed)
        require(claimed == value, f"the conclusion's {key} is not what the steps establish")


def number(value: Any) -> Fraction:
    """An exact number written as ``"p/q"`` or an integer string (no floats)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _Failed(f"not an exact number: {value!r}")
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise _Failed(f"not an exact number: {value!r}") from None


def numbers(values: Any) -> list[Fraction]:
    """A list of exact numbers."""
    if not isinstance(values, list):
        raise _Failed(f"expected a list of numbers, got {values!r}")
    return [number(v) for v in values]


Verifier = Callable[[dict, dict], None]
"""``verify(step, context)``: raise via :func:`require` if the step does not hold.

``context`` holds the parsed certificate (``context["certificate"]``) and
whatever earlier steps stored under their ids.
"""

VERIFIERS: dict[str, Verifier] = {}


def verifier(kind: str) -> Callable[[Verifier], Verifier]:
    """Register the verifier of one step kind."""

    def register(fn: Verifier) -> Verifier:
        VERIFIERS[kind] = fn
        return fn

    return register


def check(cert: Any) -> int:
    """Re-verify every step of ``cert``; return the number of steps, or raise :class:`StepFailure`."""
    if not isinstance(cert, dict) or cert.get("format") != FORMAT:
        raise StepFailure("certificate", f"not a {FORMAT} certificate")
    steps = cert.get("steps")
    if not isinstance(steps, list) or not steps:
        raise StepFailure("certificate", "no steps")
    if "instance_sha256" in cert:
        digest = hashlib.sha256(json.dumps(cert.get("instance"), sort_keys=True).encode()).hexdigest()
        if digest != cert["instance_sha256"]:
            raise StepFailure("certificate", "instance_sha256 does not match the embedded instance")
    context: dict[str, Any] = {"certificate": cert}
    for index, step in enumerate(steps):
        step_id = step.get("id", f"#{index}") if isinstance(step, dict) else f"#{index}"
        if not isinstance(step, dict) or step.get("kind") not in VERIFIERS:
            raise StepFailure(str(step_id), f"unknown step kind {step.get('kind') if isinstance(step, dict) else step!r}")
        if step_id in context:
            raise StepFailure(str(step_id), "repeated step id")
        try:
            context[step_id] = VERIFIERS[step["kind"]](step, context)
        except _Failed as failure:
            raise StepFailure(str(step_id), str(failure)) from None
        except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError) as error:
            raise StepFailure(str(step_id), f"malformed step ({type(error).__name__}: {error})") from None
    final = context[steps[-1]["id"]] if isinstance(steps[-1], dict) and "id" in steps[-1] else None
    holds = final.get("holds", True) if isinstance(final, dict) else True
    if cert.get("holds") is not holds:
        raise StepFailure("certificate", f"'holds' must be {str(holds).lower()}, as the last step establishes")
    return len(steps)
