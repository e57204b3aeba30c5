"""Tables for people: plain, aligned text renderings of the report dicts.

The command line prints these by default; ``--json`` prints the dicts
themselves (the results' ``to_json`` builds them, :mod:`persuasion.results`).
Rendering only reads the dicts -- it computes nothing -- so what a person reads and what a program
reads are the same numbers.  Every exact value is printed by :func:`exact`:
its ``"p/q"`` text, followed, when that text is longer than :data:`SHORT`
characters, by a decimal companion for reading only, ``1751/2500 (~0.7004)``.

The output is plain text, so it is the same in a terminal, in a pipe and in
the documentation (``tests/test_docs.py`` compares it exactly).  Names are
printed as given, except that a character that is not printable (a newline
or escape character, a lone surrogate from an instance built in memory) is
written as an escape such as ``\\n``: it can neither break a table's rows
nor fail to encode.
"""

from __future__ import annotations

import decimal
import re
from typing import Any
from collections.abc import Iterable, Mapping, Sequence

from persuasion.errors import printable
from persuasion.model import NO_FEATURE
from persuasion.numbers import fmt, own_number

__all__ = [
    "table",
    "approx",
    "exact",
    "with_companions",
    "profile_lines",
    "decision_rule_lines",
    "solve_text",
    "verify_text",
    "best_response_text",
    "certify_text",
    "simulate_text",
]


SHORT = 8
"""An exact value whose text is longer than this many characters gets a decimal companion."""

LONG = 48
"""Exact values longer than this many characters are abbreviated (``--json`` has them in full)."""


def companion(value: Any) -> str:
    """``" (~x)"``, the decimal companion of an exact value whose text is long, else ``""``.

    Parameters
    ----------
    value : Fraction, int or str
        An exact number (``"p/q"`` text, an int or a Fraction).

    Returns
    -------
    str
        Empty when the value's text has at most :data:`SHORT` characters or
        when the companion would only repeat it (an integer shown whole).
    """
    text = fmt(own_number(value))
    if len(text) <= SHORT:
        return ""
    near = approx(value)
    return "" if near == text else f" (~{near})"


def exact(value: Any) -> str:
    """An exact number as ``"p/q"`` text with its decimal companion when long (:func:`companion`).

    A value longer than :data:`LONG` characters -- exact arithmetic can produce
    fractions with hundreds of digits -- is shown as
    ``"[p/q: 135/134 digits] (~0.5)"``; ``--json`` carries it in full.
    """
    text = fmt(own_number(value))
    if len(text) > LONG:
        num, _, den = text.lstrip("-").partition("/")
        text = f"[p/q: {len(num)}/{len(den)} digits]"
    return text + companion(value)


_FRACTION_IN_TEXT = re.compile(r"\[[^\]]*\]|(?<![\w/.])-?\d+/\d+(?![\w/]| \(~)")
"""A ``p/q`` in running text not already followed by a companion, or an interval ``[...]``
(matched to be skipped: the texts that print intervals give them one companion)."""


def with_companions(text: str) -> str:
    """``text`` with the decimal companion of every long ``p/q`` in it (:func:`companion`).

    For texts written elsewhere with exact numbers in them (a certificate's statement,
    hypotheses and conclusion); interval endpoints ``[a, b]`` are left alone.
    """

    def add(match: re.Match) -> str:
        token = match.group(0)
        return token if token.startswith("[") else token + companion(token)

    return _FRACTION_IN_TEXT.sub(add, text)


WHOLE = 24
"""Integers with up to this many digits are their own companion; longer ones are rounded."""

_APPROX = decimal.Context(prec=6, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
"""Decimal arithmetic for companions beyond a double's range (``1e400``, ``1e-400``)."""


def approx(value: Any) -> str:
    """A float companion of an exact number, 6 significant digits, for reading only.

    Integers up to :data:`WHOLE` digits are shown whole; numbers a double cannot
    hold (beyond about ``1e308`` or below ``1e-308``) are rounded in decimal instead.
    """
    q = own_number(value)
    if q.denominator == 1 and len(str(abs(q.numerator))) <= WHOLE:
        return str(q.numerator)
    try:
        near = float(q)
    except OverflowError:
        near = 0.0
    if near == 0.0 or q.denominator == 1:
        rounded = _APPROX.divide(decimal.Decimal(q.numerator), decimal.Decimal(q.denominator))
        mantissa, exponent = f"{rounded:.5e}".split("e")
        # as a float prints: 1e+400, 3.33333e-401
        return f"{mantissa.rstrip('0').rstrip('.')}e{exponent}"
    return f"{near:.6g}"


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    align: str | None = None,
    indent: int = 2,
) -> list[str]:
    """Lay out ``rows`` under ``headers`` in aligned columns.

    ``align`` has one letter per column, ``"l"`` or ``"r"`` (default: the
    first column left, the others right).  Trailing spaces are stripped.
    """
    headers = [printable(h) for h in headers]
    rows = [[printable(str(c)) for c in row] for row in rows]
    ncol = len(headers)
    if align is None:
        align = "l" + "r" * (ncol - 1)
    widths = [len(h) for h in headers]
    for row in rows:
        for j, cell in enumerate(row):
            widths[j] = max(widths[j], len(cell))

    def line(cells: Sequence[str]) -> str:
        parts = []
        for j, cell in enumerate(cells):
            parts.append(cell.ljust(widths[j]) if align[j] == "l" else cell.rjust(widths[j]))
        return (" " * indent + "  ".join(parts)).rstrip()

    out = [line(list(headers)), " " * indent + "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in rows)
    return out


def _attained(flag: bool | None) -> str:
    if flag is None:
        return "undecided"
    return "yes" if flag else "no (supremum)"


def _plural(n: Any, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _join(lines: list[str]) -> str:
    """The lines of a report as text, every one printable (names may hold anything)."""
    return "\n".join(printable(line) for line in lines)


def _long_note(lines: list[str]) -> list[str]:
    if any("digits]" in line for line in lines):
        lines += [
            "",
            "[p/q: m/n digits] marks an exact value too long for a table;"
            " --json prints it in full.",
        ]
    return lines


# ---------------------------------------------------------------- profiles


def _message_order(keys: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for k in keys:
        if k not in seen:
            seen.append(k)
    if all(k.isdigit() for k in seen):
        return sorted(seen, key=int)
    return seen


def scheme_lines(scheme: Mapping[str, Mapping[str, Any]], *, indent: int = 4) -> list[str]:
    """One sender's rule as a table: a row per ``x_B`` (``{x_B: {message: p}}``), or per ``x_B``
    and private history where the rule is keyed by history (``{x_B: {history: {message: p}}}``,
    a conversation's), a column per message."""
    rows = [
        (xb, key, dist)
        for xb, entry in scheme.items()
        for key, dist in (
            entry.items() if any(isinstance(v, Mapping) for v in entry.values()) else [("", entry)]
        )
    ]
    messages = _message_order(m for *_, dist in rows for m in dist)
    keyed = any(key for _, key, _ in rows)
    cells = [
        [xb] + ([key or "(any)"] if keyed else []) + [exact(dist.get(m, 0)) for m in messages]
        for xb, key, dist in rows
    ]
    headers = ["x_B", "history \\ message"] if keyed else ["x_B \\ message"]
    return table(headers + messages, cells, align="l" * len(headers) + "r" * len(messages),
                 indent=indent)  # fmt: skip


def profile_lines(profile: Mapping[str, Any], *, indent: int = 2) -> list[str]:
    """Every sender's scheme of a ``persuasion-profile/1`` object: pi_i(message | x_B)."""
    out: list[str] = []
    for sender, scheme in profile.get("rules", {}).items():
        out.append(" " * indent + f"{sender}:")
        out.extend(scheme_lines(scheme, indent=indent + 2))
    return out


DECISION_ROWS = 40
"""At most this many situations of a decision rule are printed (``--json`` lists them all)."""


def _decision_action(row: Mapping[str, Any]) -> str:
    """The action Alice takes, and the actions tied with it for her best."""
    tied = [a for a in row.get("best_actions", []) if a != row["action"]]
    return f"{row['action']} (tie with {', '.join(tied)})" if tied else row["action"]


def decision_rule_lines(
    rule: Sequence[Mapping[str, Any]], *, indent: int = 2, limit: int = DECISION_ROWS
) -> list[str]:
    """Alice's decision rule (Definition 4) as a table: a row per situation of positive probability.

    Parameters
    ----------
    rule : sequence of dict
        The ``decision_rule`` rows of a report
        (:meth:`persuasion.decision.DecisionRule.to_json`).
    indent : int
        Spaces before the table.
    limit : int
        Print at most this many rows, and a line saying how many more there are.

    Returns
    -------
    list of str
        A heading, the table (her features ``x_A`` unless the prior is over
        states only, the message heard from each sender, the situation's
        probability, her posterior over states, her action) and the note.
    """
    if not rule:
        return []
    senders = list(rule[0]["messages"])
    states = list(rule[0]["posterior"])
    features = any(row["alice_feature"] != NO_FEATURE for row in rule)
    rows = [
        ([row["alice_feature"]] if features else [])
        + [row["messages"][s] for s in senders]
        + [exact(row["probability"])]
        + [exact(row["posterior"][y]) for y in states]
        + [_decision_action(row)]
        for row in rule[:limit]
    ]
    headers = (
        (["x_A"] if features else [])
        + senders
        + ["probability"]
        + [f"P({y} | .)" for y in states]
        + ["action"]
    )
    align = "l" * (features + len(senders)) + "r" * (1 + len(states)) + "l"
    lines = ["Alice's decision rule (Definition 4): the messages she hears -> her action"]
    lines += table(headers, rows, align=align, indent=indent)
    if len(rule) > limit:
        more = _plural(len(rule) - limit, "more situation")
        lines.append(" " * indent + f"... and {more}; --json lists them all")
    return lines


# ---------------------------------------------------------------- solve


def _sender_rows(report: Mapping[str, Any]) -> list[list[str]]:
    """One row per sender: utility, best-deviation value, gain, attained."""
    utilities = list(report.get("sender_utilities", []))
    deviations = list(report.get("deviations", []))
    rows = []
    for i in range(max(len(utilities), len(deviations))):
        dev = deviations[i] if i < len(deviations) else {}
        value = utilities[i] if i < len(utilities) else dev.get("value")
        row = [dev.get("sender", f"sender {i}"), exact(value)]
        if dev:
            attained = _attained(dev.get("attained", True))
            row += [exact(dev["best_value"]), exact(dev["gain"]), attained]
        else:
            row += ["", "", ""]
        rows.append(row)
    return rows


def _player_lines(report: Mapping[str, Any]) -> list[str]:
    """Alice's utility, then each sender's and their best deviation (solve's and verify's table)."""
    rows = [["Alice", exact(report["alice_utility"]), "", "", ""]]
    rows.extend(_sender_rows(report))
    return table(["player", "utility", "best deviation", "gain", "attained"], rows, align="lrrrl")


def _benchmark_lines(report: Mapping[str, Any]) -> list[str]:
    """OPT, U_A(C*) and both alignment errors."""
    align = report["alignment"]
    rows = [
        ["first-best OPT (Definition 2)", report["first_best"]],
        ["aligned value U_A(C*) (Definition 8)", report["aligned_value"]],
        ["alignment error eps, simplex weights (Definition 1)", align["epsilon"]],
        ["alignment error eps, non-negative weights (Remark 2)", align["nonnegative"]["epsilon"]],
    ]
    lines = ["Benchmarks"]
    lines += table(["quantity", "value"], [[name, exact(v)] for name, v in rows])
    aligned = report.get("aligned", {})
    if aligned:
        note = f"  U_A(C*) uses one aligned sender with {aligned.get('messages', '?')} messages"
        if "rule" in aligned:
            note += " in the instance's conversation"
        if aligned.get("optimality") == "incomplete":
            note += "; not decided (the search ran out of time or cuts): U_A(C*) is at least this"
        elif aligned.get("attained", True) is False:
            note += "; it is a supremum, not attained"
        lines.append(note)
    return lines + [""]


def _weight_lines(report: Mapping[str, Any]) -> list[str]:
    """The alignment weights and offsets, simplex and non-negative."""
    align = report["alignment"]
    nonneg = align["nonnegative"]
    names = [d["sender"] for d in report["equilibrium"].get("deviations", [])]
    if len(names) != len(align["weights"]):
        names = [f"sender {i}" for i in range(len(align["weights"]))]
    rows = [
        [n, exact(w), exact(v)]
        for n, w, v in zip(names, align["weights"], nonneg["weights"], strict=True)
    ]
    rows.append(["offset c", exact(align["offset"]), exact(nonneg["offset"])])
    lines = ["Alignment weights (sum_i w_i U_i + c approximates u_A)"]
    return lines + table(["", "simplex", "non-negative"], rows) + [""]


def _search_lines(eq: Mapping[str, Any]) -> list[str]:
    """How the equilibrium search went, and the players' utilities at the profile it returned."""
    status = "converged" if eq.get("converged") else "did not converge"
    start = f" from the {eq['start']} profile" if eq.get("start") else ""
    if eq.get("start") == "given profile":
        start = " from the given profile"
    rounds = _plural(eq.get("rounds", "?"), "round")
    lines = [f"Equilibrium search{start}: {status} after {rounds}"]
    if eq.get("stop_reason"):
        lines.append(f"  stopped: {eq['stop_reason']}")
    lines += _player_lines(eq)
    lines.append(f"  Nash gap (largest gain): {_gap(eq)}")
    return lines + _solver_word_lines(eq) + _selection_lines(eq) + [""]


def _gap(report: Mapping[str, Any]) -> str:
    """The Nash gap, "at least g" when some sender's best deviation was not decided."""
    gap = exact(report["nash_gap"])
    return f"at least {gap}" if report.get("undecided") else gap


def _profile_heading(eq: Mapping[str, Any]) -> str:
    """The heading of the profile solve returns: an equilibrium only when its Nash gap is 0."""
    rule = "pi_i(message | x_B, history)" if "alice_rule" in eq else "pi_i(message | x_B)"
    if own_number(eq["nash_gap"]) != 0:
        return f"Best profile found (not an equilibrium: Nash gap {_gap(eq)}): {rule}"
    if eq.get("undecided"):
        return f"Best profile found (an equilibrium is undecided: Nash gap {_gap(eq)}): {rule}"
    return f"Equilibrium profile: {rule}"


def _bound_lines(report: Mapping[str, Any]) -> list[str]:
    """Theorem 1's (or 6's) bound U_A(C*) - 2 eps against Alice's utility."""
    eq, bound = report["equilibrium"], report["bound"]
    theorem = bound.get("theorem", "Theorem 1 (Section C.2)")
    value = exact(bound["value"])
    lines = [
        f"{theorem.replace(' (', ' bound (', 1)}",
        f"  U_A(C*) - 2 eps = {exact(report['aligned_value'])} - 2*{exact(bound['epsilon'])}"
        f" = {value}  (eps: non-negative weights, Remark 2)",
        f"  Alice's utility {exact(eq['alice_utility'])} >= {value}:"
        f" {'holds' if bound['holds'] else 'does not hold'}",
    ]
    if own_number(eq["nash_gap"]) != 0 or eq.get("undecided"):
        what = "an undecided" if own_number(eq["nash_gap"]) == 0 else "a positive"
        lines.append(
            f"  ({theorem.split(' (')[0]} speaks of exact equilibria; this profile has {what}"
            " Nash gap,"
        )
        lines.append("  so the comparison is informative only)")
    return lines


def solve_text(report: Mapping[str, Any]) -> str:
    """The ``persuasion solve`` report (:meth:`persuasion.results.Solution.to_json`) as text."""
    eq = report["equilibrium"]
    lines = [f"persuasion solve: {report['instance']}", ""]
    lines += _benchmark_lines(report) + _weight_lines(report) + _search_lines(eq)
    lines += [_profile_heading(eq)] + profile_lines(eq["profile"]) + [""]
    if eq.get("decision_rule"):
        lines += decision_rule_lines(eq["decision_rule"]) + [""]
    lines += _alice_rule_lines(eq)
    lines += _bound_lines(report)
    return _join(_long_note(lines))


def _alice_rule_lines(report: Mapping[str, Any]) -> list[str]:
    """In a conversation: Alice's conversation and decision rules (as ``converse`` shows them)."""
    if "alice_rule" not in report:
        return []
    from persuasion.render_conversation import alice_rule_lines

    return alice_rule_lines(report["alice_rule"])


def _solver_word_lines(report: Mapping[str, Any]) -> list[str]:
    """A note when some best deviation is optimal only by the MILP solver's word (``optimality``
    ``milp-solver``): the gap, and so the equilibrium verdict, then rest on its claim."""
    claimed = [
        dev["sender"]
        for dev in report.get("deviations", [])
        if dev.get("optimality") == "milp-solver"
    ]
    lines = []
    if claimed:
        lines.append(
            "  (only as far as the MILP solver's word goes: that no deviation of "
            f"{', '.join(claimed)} is worth more is its claim, optimality milp-solver; the gains "
            "shown are exact lower bounds)"
        )
    if report.get("undecided"):
        lines.append(
            f"  (the best deviation of {', '.join(report['undecided'])} was not decided: the "
            "search ran out of time or cuts, optimality incomplete; its gain, and so the Nash "
            "gap, is only a lower bound)"
        )
    return lines


def _selection_lines(report: Mapping[str, Any]) -> list[str]:
    """In the best-AI selection game: what each sender alone is worth to Alice, and her choice."""
    selection = report.get("selection")
    if not selection:
        return []
    values = ", ".join(exact(v) for v in selection["alice_values"])
    return [
        f"  best-AI selection: Alice's value of each sender alone: {values};"
        f" she picks {selection['selected']}"
    ]


# ---------------------------------------------------------------- verify


def _deviation_lines(report: Mapping[str, Any]) -> list[str]:
    """Every sender's best deviation: its value, gain, whether attained, and the scheme."""
    devs = report.get("deviations", [])
    keyed = any("rule" in dev for dev in devs)  # a conversation's rules
    lines = [f"Best deviations: pi_i(message | x_B{', history' if keyed else ''})"]
    for dev in devs:
        head = (
            f"  {dev['sender']}: best value {exact(dev['best_value'])}, gain {exact(dev['gain'])}"
        )
        if dev.get("attained", True) is False:
            head += "; a supremum no scheme attains"
            if "achieved" in dev:
                head += f" (the scheme below achieves {exact(dev['achieved'])})"
        elif dev.get("attained") is None:
            head += "; whether it is attained is undecided"
        lines.append(head)
        rule = dev.get("scheme") or dev.get("rule")
        if rule:
            lines.extend(scheme_lines(rule, indent=4))
    return lines


def _outcome_lines(outcome: Mapping[str, Any] | None) -> list[str]:
    """The induced distribution P(action, state) (Definition 5)."""
    if not outcome:
        return []
    rows = [
        [a] + [exact(p) for p in row]
        for a, row in zip(outcome["actions"], outcome["joint"], strict=True)
    ]
    lines = ["Outcome: P(action, state)"]
    return lines + table(["action \\ state"] + list(outcome["states"]), rows) + [""]


def verify_text(report: Mapping[str, Any]) -> str:
    """The ``persuasion verify`` report (``Verification.to_json``) as text."""
    talk = ""
    if "rounds" in report:  # a conversation
        talk = f" ({_plural(report['rounds'], 'round')}, Alice's best-response conversation)"
    lines = [f"persuasion verify: {report['instance']}{talk}", ""]
    lines.append("Utilities when Alice best-responds to the profile")
    lines += _player_lines(report)
    verdicts = {True: "a Nash equilibrium", False: "NOT a Nash equilibrium", None: "undecided"}
    verdict = verdicts[report["is_equilibrium"]]
    lines.append(f"  Nash gap (largest gain): {_gap(report)} -> {verdict}")
    lines += _solver_word_lines(report) + _selection_lines(report) + [""]
    lines += _outcome_lines(report.get("outcome"))
    if report.get("decision_rule"):
        lines += decision_rule_lines(report["decision_rule"]) + [""]
    lines += _alice_rule_lines(report)
    lines += _deviation_lines(report)
    return _join(_long_note(lines)).rstrip()


def best_response_text(report: Mapping[str, Any]) -> str:
    """The ``persuasion best-response`` report (``BestResponseResult.to_json``, or a
    conversation's ``ConversationBestResponseResult.to_json``) as text."""
    rows = [
        ["best value (a supremum over every rule)", exact(report["best_value"])],
        ["attained", _attained(report["attained"])],
        ["value of the rule below", exact(report["achieved"])],
        ["optimality", report["optimality"]],
    ]
    rows += [[key, report[key]] for key in ("route", "method") if key in report]
    lines = [f"persuasion best-response: {report['sender']}", ""]
    lines += [f"  {label}: {value}" for label, value in rows]
    if report["optimality"] == "milp-solver":
        lines.append(
            "  (that no rule is worth more is the MILP solver's claim; the value is exact)"
        )
    elif report["optimality"] == "incomplete":
        lines.append(
            "  (not decided: the search ran out of time or cuts; the best value is only a lower"
            " bound on the supremum)"
        )
    rule = report.get("scheme") or report.get("rule")
    history = ", history" if "rule" in report else ""
    lines += ["", f"The rule returned: pi(message | x_B{history})"] + scheme_lines(rule, indent=2)
    return _join(_long_note(lines)).rstrip()


# ---------------------------------------------------------------- certify, simulate


def certify_text(report: Mapping[str, Any]) -> str:
    """The theorem report: each result, its hypotheses, its conclusion and the exact slack."""
    lines = [f"persuasion certify: {report['instance']}", ""]
    rows = [
        [
            c["name"],
            c["cites"],
            "yes" if c["holds"] else "no",
            exact(c["slack"]) if c["slack"] is not None else "-",
        ]
        for c in report["claims"]
    ]
    lines += table(["claim", "cites", "holds", "slack"], rows, align="lllr")
    for c in report["claims"]:
        lines += [
            "",
            f"{c['name']}: {with_companions(c['statement'])}",
            f"  hypotheses: {with_companions(c['hypotheses'])}",
            f"  conclusion: {with_companions(c['conclusion_text'])}",
        ]
        if "file" in c:
            lines.append(f"  certificate: {c['file']}")
    return _join(_long_note(lines))


def _statistic(value: Any) -> str:
    """A sweep statistic, or ``-`` where there is none (no converged run)."""
    return exact(value) if value else "-"


SWEEP_COLUMNS = {
    "game": "game",
    "family": "family",
    "runs": "runs",
    "errors": "errors",
    "converged": "conv",
    "within_bound": "in bound",
    "mean_epsilon": "mean eps",
    "mean_gap": "mean gap",
    "max_gap": "max gap",
    "min_slack": "min slack",
    "mean_rounds": "mean rounds",
}
"""The columns of the sweep summary: key of a summary row -> header."""

_STATISTICS = frozenset({"mean_epsilon", "mean_gap", "max_gap", "min_slack", "mean_rounds"})


def simulate_text(report: Mapping[str, Any]) -> str:
    """The summary of a ``persuasion simulate`` sweep: one row per (game, family).

    ``conv`` counts converged runs, ``in bound`` those of them with Alice's
    utility >= U_A(C*) - 2 eps (Theorems 1 and 6); ``min slack``
    is the smallest ``alice_utility - bound`` over converged runs (negative:
    the bound fails); ``mean gap``/``max gap`` are of ``U_A(C*) - alice_utility``.
    """
    lines = [
        f"Sweep: {_plural(report['runs'], 'run')} on {_plural(report['instances'], 'instance')}"
    ]
    rows = [
        [_statistic(s[key]) if key in _STATISTICS else s[key] for key in SWEEP_COLUMNS]
        for s in report["summary"]
    ]
    lines += table(list(SWEEP_COLUMNS.values()), rows, align="ll" + "r" * (len(SWEEP_COLUMNS) - 2))
    lines.append(
        "  gap = U_A(C*) - Alice's utility; slack = Alice's utility - (U_A(C*) - 2 eps);"
        " statistics over converged runs"
    )
    if report.get("files"):
        lines.append("")
        lines.append("Wrote " + ", ".join(report["files"]))
    return _join(_long_note(lines))


# ---------------------------------------------------------------- pool


def pool_text(report: Mapping[str, Any]) -> str:
    """A ``persuasion pool`` draw: the simple average's and the best fit's (Definition 1)
    sup-norm errors at K = 1, 2, 4, ..., N models, beside Proposition 3's number of models for
    ``epsilon`` and ``delta``."""
    p3 = report["proposition_3"]
    lines = [
        f"Pool: {report['model']}, {_plural(report['models'], 'model')} x "
        f"{_plural(report['items'], 'item')}, seed {report['seed']}, noise {report['noise']}"
    ]
    from persuasion.hull_audit.pools import checkpoints

    n = report["models"]
    errors = report["average_error"]
    best = {row["k"]: row["epsilon"] for row in report["best_error"]}
    rows = [
        [k, exact(errors[k - 1]["epsilon"])] + ([exact(best[k])] if best else [])
        for k in checkpoints(n)
    ]
    lines += table(["K", "average error"] + (["best fit error"] if best else []), rows)
    if not best:
        lines.append(
            "  (best fits skipped beyond MAX_FIT_CELLS ratings: 'persuasion hull' fits them)"
        )
    reached = report["reached"]
    lines += [
        f"Proposition 3 (Appendix H): {p3['agents_needed']} models make the average "
        f"{p3['epsilon']}-aligned with probability >= 1 - {p3['delta']}",
        "  (the items standing for the pairs (a, y)); this pool's average is within "
        + (f"{p3['epsilon']} from K = {reached}" if reached else f"{p3['epsilon']} at no K <= {n}"),
    ]
    if report.get("file"):
        lines += ["", f"Wrote {report['file']}"]
    return _join(_long_note(lines))
