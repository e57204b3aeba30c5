"""The text of ``persuasion converse``: reads :meth:`persuasion.results.ConversationResult.to_json`
and nothing else, as :mod:`persuasion.render` reads the other reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from persuasion.model import NO_FEATURE
from persuasion.render import (
    DECISION_ROWS,
    _join,
    _long_note,
    _outcome_lines,
    _plural,
    exact,
    table,
)

__all__ = ["alice_rule_lines", "converse_text"]

_SIZES = [
    ("chance_outcomes", "chance outcomes (x_A, x_B, y) of positive probability"),
    ("transcripts", "complete transcripts"),
    ("alice_information_sets", "Alice's information sets"),
    ("sender_information_sets", "senders' information sets"),
    ("nodes", "nodes"),
    ("leaves", "leaves"),
]


def converse_text(report: Mapping[str, Any]) -> str:
    """The ``persuasion converse`` report as text: sizes, utilities, Alice's rule, the outcome."""
    rounds, said = report["rounds"], report["alice_messages"]
    lines = [
        f"persuasion converse: {report['instance']} ({_plural(rounds, 'round')}, "
        f"{_plural(said, 'message')} for Alice)",
        "",
        "Conversation game (Algorithm 1), counted before it was built",
    ]
    sizes = report["sizes"]
    rows = [
        [label, " + ".join(map(str, v)) if isinstance(v, list) else str(v)]
        for key, label in _SIZES
        for v in [sizes[key]]
    ]
    lines += table(["", "count"], rows) + ["", "Utilities when Alice best-responds"]
    players = [["Alice", exact(report["alice_utility"])]] + [
        [name, exact(u)]
        for name, u in zip(report["senders"], report["sender_utilities"], strict=True)
    ]
    lines += table(["player", "utility"], players) + [""] + _selection_lines(report)
    lines += alice_rule_lines(report["alice_rule"])
    lines += _outcome_lines(report["outcome"])
    return _join(_long_note(lines)).rstrip()


def alice_rule_lines(rule: Mapping[str, Any]) -> list[str]:
    """Alice's conversation rule (where she talks) and decision rule (where she acts), each
    followed by an empty line (``alice_rule`` of a conversation report)."""
    return _talk_lines(rule["talk"]) + [""] + _act_lines(rule["act"]) + [""]


def _selection_lines(report: Mapping[str, Any]) -> list[str]:
    """The best-AI selection game: what each conversation alone is worth, and Alice's choice."""
    if "selection" not in report:
        return []
    chosen = report["selection"]
    rows = [
        [name, exact(value), "selected" if name == chosen["selected"] else ""]
        for name, value in zip(report["senders"], chosen["alice_values"], strict=True)
    ]
    lines = ["Best-AI selection (Definition 16): Alice converses with each sender alone"]
    lines += table(["sender", "worth to Alice", ""], rows, align="lrl")
    return lines + ["  (the sizes above are those of the selected conversation)", ""]


def _features(rows: Sequence[Mapping[str, Any]]) -> bool:
    return any(row["alice_feature"] != NO_FEATURE for row in rows)


def _more(rows: Sequence[Any], what: str) -> list[str]:
    if len(rows) <= DECISION_ROWS:
        return []
    return [f"  ... and {_plural(len(rows) - DECISION_ROWS, what)}; --json lists them all"]


def _talk_lines(talk: Sequence[Mapping[str, Any]]) -> list[str]:
    """Where Alice talks (her histories so far) -> what she sends each sender."""
    if not talk:
        return []
    senders, features = list(talk[0]["histories"]), _features(talk)
    rows = [
        [str(t["round"])]
        + ([t["alice_feature"]] if features else [])
        + [t["histories"][s] or "-" for s in senders]
        + [exact(t["probability"])]
        + [t["send"][s] for s in senders]
        for t in talk[:DECISION_ROWS]
    ]
    headers = (
        ["round"]
        + (["x_A"] if features else [])
        + [f"history with {s}" for s in senders]
        + ["probability"]
        + [f"sends {s}" for s in senders]
    )
    align = "r" + "l" * (features + len(senders)) + "r" + "l" * len(senders)
    lines = ["Alice's conversation rule (Definition 6): her histories so far -> her messages"]
    return lines + table(headers, rows, align=align) + _more(talk, "more information set")


def _act_lines(act: Sequence[Mapping[str, Any]]) -> list[str]:
    """Where Alice acts (the whole conversation) -> her posterior and action."""
    if not act:
        return []
    senders, features = list(act[0]["histories"]), _features(act)
    states = list(act[0]["posterior"])
    rows = [
        ([d["alice_feature"]] if features else [])
        + [d["histories"][s] for s in senders]
        + [exact(d["probability"])]
        + [exact(d["posterior"][y]) for y in states]
        + [d["action"] + (" (tie)" if len(d["best_actions"]) > 1 else "")]
        for d in act[:DECISION_ROWS]
    ]
    headers = (
        (["x_A"] if features else [])
        + [f"history with {s}" for s in senders]
        + ["probability"]
        + [f"P({y} | .)" for y in states]
        + ["action"]
    )
    align = "l" * (features + len(senders)) + "r" * (1 + len(states)) + "l"
    lines = ["Alice's decision rule (Definition 4): the whole conversation -> her action"]
    return lines + table(headers, rows, align=align) + _more(act, "more information set")
