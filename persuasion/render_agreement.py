"""The text of ``persuasion agree``: the straightforward conversation and Definition 14.

Reads :meth:`persuasion.results.Agreement.to_json` and nothing else, as
:mod:`persuasion.render` reads the other commands' reports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from persuasion.render import exact, table

__all__ = ["agree_text"]

SHOWN = 24
"""The most pairs whose transcripts are printed (``--json`` has them all)."""


def _vector(values: Sequence[Any]) -> str:
    return "(" + ", ".join(exact(v) for v in values) + ")"


def _round(value: int | None) -> str:
    return "-" if value is None else str(value)


def agree_text(report: Mapping[str, Any]) -> str:
    """The conversation's summary, every pair's transcript, then the substitutes verdict."""
    limit = report["rounds_limit"]
    lines = [
        f"Straightforward conversation (Definition 10) on {report['instance'] or 'the instance'}: "
        f"beliefs are (E[u_A(a, y) | ...])_a for a in ({', '.join(report['actions'])})",
        f"  rounds played: {report['rounds']}"
        + (f" of {limit} asked" if limit is not None else " (until a round refines nothing)")
        + ("; every conversation has settled" if report["settled"] else "; not yet settled"),
        "  order: "
        + (
            "alternating (Bob hears Alice's report of the round, Algorithm 1)"
            if report["order"] == "alternating"
            else "simultaneous (both report on the earlier rounds, Definition 10 read literally)"
        ),
        f"  P(zeta-agreement by round k), zeta = {exact(report['zeta'])}: "
        + ", ".join(f"k={k}: {exact(v)}" for k, v in enumerate(report["agreement_by_round"], 1)),
        f"  Alice's estimation error |E[u_A|x_A,x_B] - E[u_A|x_A,pi]|: expected "
        f"{_vector(report['expected_error'])}, at worst {_vector(report['max_error'])}",
        "",
    ]
    pairs = report["pairs"]
    rows = [_pair_row(pair) for pair in pairs[:SHOWN]]
    lines += table(
        ["x_A", "x_B", "P", "zeta-agree", "agree", "settled", "final beliefs", "error"], rows
    )
    if len(pairs) > SHOWN:
        lines.append(f"  ... {len(pairs) - SHOWN} more pairs (--json lists them all)")
    for pair in pairs[:SHOWN]:
        lines.append(f"Transcript x_A = {pair['alice']}, x_B = {pair['senders']}:")
        for k, said in enumerate(pair["reports"], 1):
            lines.append(f"  round {k}: Alice {_vector(said['alice'])}  Bob {_vector(said['bob'])}")
    lines += ["", *_substitutes_lines(report["substitutes"])]
    return "\n".join(lines)


def _pair_row(pair: Mapping[str, Any]) -> list[str]:
    return [
        pair["alice"],
        pair["senders"],
        exact(pair["probability"]),
        _round(pair["agreement_round"]),
        _round(pair["exact_agreement_round"]),
        _round(pair["settled_round"]),
        _vector(pair["final_beliefs"]),
        _vector(pair["estimation_error"]),
    ]


def _substitutes_lines(verdict: Mapping[str, Any]) -> list[str]:
    head = (
        f"Information substitutes (Definition 14): {'holds' if verdict['holds'] else 'FAILS'} "
        f"({verdict['checks']} checks of (action, A, B))"
    )
    worst = verdict["worst"]
    if worst is None:
        return [head]
    return [
        head,
        f"  {verdict['violations']} violations; the worst: action {worst['action']}, "
        f"A = {{{', '.join(worst['alice_features'])}}}, "
        f"B = {{{', '.join(worst['sender_features'])}}}",
        f"  value of x_A once x_B is known {exact(worst['lhs'])} > value of x_A alone "
        f"{exact(worst['rhs'])}",
    ]
