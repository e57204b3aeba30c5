"""The text of ``persuasion verify`` and ``persuasion solve`` on a quantal instance
(``QuantalVerification.to_json``, ``QuantalSolution.to_json``).

Enclosures ``[lo, hi]`` are shown as a decimal with the digits both ends share (``--json`` prints
the exact endpoints).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from fractions import Fraction
from typing import Any

from persuasion.numbers import parse_number
from persuasion.render import _join, exact, table

__all__ = ["enclosure", "quantal_conversation_text", "quantal_solve_text", "quantal_verify_text"]


def enclosure(pair: Sequence[str], digits: int = 12) -> str:
    """``[lo, hi]`` as ``~x`` (lo and hi agree to ``digits`` significant digits) or ``[lo, hi]``
    in decimals rounded outward."""
    lo, hi = (parse_number(v) for v in pair)
    if lo == hi:
        return exact(pair[0])
    show = [f"{Decimal(x.numerator) / Decimal(x.denominator):.{digits}g}" for x in (lo, hi)]
    return f"~{show[0]}" if show[0] == show[1] else f"[{show[0]}, {show[1]}]"


def quantal_verify_text(report: Mapping[str, Any]) -> str:
    """The report as text: utilities, the QRE verdict, each deviation's bounds, the situations."""
    lines = [f"persuasion verify: {report['instance']}", ""]
    lines += _check_lines(report, report["decision"]["lambda"])
    return _join(lines).rstrip()


def quantal_conversation_text(report: Mapping[str, Any]) -> str:
    """``persuasion verify`` or ``converse`` on a quantal conversation
    (``QuantalConversation.to_json``): the
    utilities, Lemma 1's gap, Definition 13's ``delta``, why the QRE check is not done, and every
    transcript with Alice's reports and her quantal response."""
    lam, rounds = exact(report["decision"]["lambda"]), report["rounds"]
    lines = [f"{report['instance']}: a conversation with a quantal Alice", ""]
    lines.append(
        f"Utilities when Alice reports her beliefs for {rounds} round(s) (Definition 10) and "
        f"responds {lam}-quantally (Definition 11)"
    )
    lines.append(f"  Alice: {enclosure(report['alice_utility'])}")
    for name, u in zip(
        report["transcripts"][0]["histories"], report["sender_utilities"], strict=True
    ):
        lines.append(f"  {name}: {enclosure(u)}")
    lemma, delta = report["lemma_1"], report["delta"]
    lines += [
        "  Alice best-responding after the same transcripts: "
        + exact(report["best_response_utility"]),
        f"  Lemma 1: the gap {enclosure(lemma['gap'])} is at most log|A|/lambda = "
        f"{enclosure(lemma['bound'])}",
        f"  Definition 13 (reference: a sender revealing x_B): eps_u = {exact(delta['eps_u'])}, "
        f"delta = {enclosure(delta['delta'])}",
        "",
        f"QRE check (Definition 12): {report['qre_check']['reason']}",
        "",
        "Transcripts (Alice's reports > answers), probability, P(action)",
    ]
    actions = report["outcome"]["actions"]
    rows = [
        [t["alice_feature"], " | ".join(f"{n}: {h}" for n, h in t["histories"].items()),
         exact(t["probability"])]
        + [enclosure(t["action_probabilities"][a], 6) for a in actions]
        for t in report["transcripts"]
    ]  # fmt: skip
    return _join(lines + table(["x_A", "histories", "P"] + actions, rows)).rstrip()


def quantal_solve_text(report: Mapping[str, Any]) -> str:
    """``persuasion solve`` on a quantal instance (``QuantalSolution.to_json``) as text: the
    benchmarks, how the QRE search went, the profile found and its QRE check."""
    from persuasion.render import _plural, _weight_lines, profile_lines

    eq, align = report["equilibrium"], report["alignment"]
    rows = [
        ["first-best OPT (Definition 2)", report["first_best"]],
        ["alignment error eps, simplex weights (Definition 1)", align["epsilon"]],
        ["alignment error eps, non-negative weights (Remark 2)", align["nonnegative"]["epsilon"]],
    ]
    lines = [f"persuasion solve: {report['instance']}", "", "Benchmarks"]
    lines += table(["quantity", "value"], [[name, exact(v)] for name, v in rows]) + [""]
    lines += _weight_lines(report)
    start = "the given profile" if eq["start"] == "given profile" else f"the {eq['start']} profile"
    status = "converged" if eq["converged"] else "did not converge"
    lines += [
        f"QRE search (Definition 12) from {start}: {status} after {_plural(eq['rounds'], 'round')}",
        f"  stopped: {eq['stop_reason']}",
        "",
        "Profile found: pi_i(message | x_B)",
        *profile_lines(eq["profile"]),
        "",
    ]
    lines += _check_lines(eq, report["decision"]["lambda"])
    return _join(lines).rstrip()


def _check_lines(report: Mapping[str, Any], lam: str) -> list[str]:
    """Utilities, the QRE verdict, each deviation's bounds and the situations of a QRE check."""
    lines = [f"Utilities when Alice responds {exact(lam)}-quantally (Definition 11)"]
    lines.append(f"  Alice: {enclosure(report['alice_utility'])}")
    for d, u in zip(report["deviations"], report["sender_utilities"], strict=True):
        lines.append(f"  {d['sender']}: {enclosure(u)}")
    verdict = (
        "NOT a quantal response equilibrium (a deviation provably gains; every gain is at most "
        f"eta = {_decimal(report['eta_bound'])}, rounded up)"
        if report["verdict"] == "not-a-qre"
        else f"a quantal response equilibrium within eta = {_decimal(report['eta_bound'])} "
        "(rounded up; exact in --json)"
    )
    lines += ["", f"QRE check (Definition 12): {verdict}"]
    rows = [
        [d["sender"], enclosure(d["value"]), _decimal(d["best_lower"], up=False),
         _decimal(d["best_upper"]), f"1/{d['grid_step']}", _decimal(d["slack"])]
        for d in report["deviations"]
    ]  # fmt: skip
    lines += table(["sender", "utility", "best >=", "best <=", "grid", "grid slack"], rows)
    lines += ["", "Alice's quantal response in each situation (probability, P(action))"]
    actions = report["outcome"]["actions"]
    rows = [
        [s["alice_feature"], ", ".join(s["messages"].values()), exact(s["probability"])]
        + [enclosure(s["action_probabilities"][a], 6) for a in actions]
        for s in report["situations"]
    ]
    return lines + table(["x_A", "messages", "P"] + actions, rows)


def _decimal(value: str, up: bool = True) -> str:
    """An exact number as 8 significant digits, rounded outward: up for an upper bound, down for
    a lower one."""
    x = Fraction(parse_number(value))
    with localcontext() as ctx:
        ctx.rounding = ROUND_CEILING if up else ROUND_FLOOR
        return f"{+(Decimal(x.numerator) / Decimal(x.denominator)):.8g}"
