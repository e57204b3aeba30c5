"""Tables for people: plain, aligned text renderings of the report dicts.

The command line prints these by default; ``--json`` prints the dicts
themselves (:mod:`persuasion.reports` builds them).  Rendering only reads the
dicts -- it computes nothing -- so what a person reads and what a program
reads are the same numbers.  Exact values (``"p/q"`` strings) come first; a
float companion, for reading only, sits in the column marked ``~``.

The output is plain text, so it is the same in a terminal, in a pipe and in
the documentation (``tests/test_docs.py`` compares it exactly).  Names are
printed as given, except that a character that is not printable (a newline
or escape character, a lone surrogate from an instance built in memory) is
written as an escape such as ``\\n``: it can neither break a table's rows
nor fail to encode.
"""

from __future__ import annotations

import decimal
from typing import Any
from collections.abc import Iterable, Mapping, Sequence

from persuasion.errors import printable
from persuasion.numbers import fmt, own_number

__all__ = [
    "table",
    "approx",
    "exact",
    "profile_lines",
    "solve_text",
    "verify_text",
    "certify_text",
    "simulate_text",
]


LONG = 24
"""Exact values longer than this many characters are abbreviated in tables (``--json`` has them in full)."""


def exact(value: Any, *, limit: int | None = LONG) -> str:
    """An exact number as ``"p/q"`` text (accepts ``"p/q"`` strings, ints and Fractions).

    A value longer than ``limit`` characters -- exact arithmetic can produce
    fractions with hundreds of digits -- is shown as ``"[p/q: 135/134 digits]"``;
    the float column and ``--json`` still carry it.
    """
    text = fmt(own_number(value))
    if limit is not None and len(text) > limit:
        num, _, den = text.lstrip("-").partition("/")
        return f"[p/q: {len(num)}/{len(den)} digits]"
    return text


_APPROX = decimal.Context(prec=6, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
"""Decimal arithmetic for companions beyond a double's range (``1e400``, ``1e-400``)."""


def approx(value: Any) -> str:
    """A float companion of an exact number, 6 significant digits, for reading only.

    Integers up to ``LONG`` digits are shown whole; numbers a double cannot
    hold (beyond about ``1e308`` or below ``1e-308``) are rounded in decimal instead.
    """
    q = own_number(value)
    if q.denominator == 1 and len(str(abs(q.numerator))) <= LONG:
        return str(q.numerator)
    try:
        companion = float(q)
    except OverflowError:
        companion = 0.0
    if companion == 0.0 or q.denominator == 1:
        rounded = _APPROX.divide(decimal.Decimal(q.numerator), decimal.Decimal(q.denominator))
        mantissa, exponent = f"{rounded:.5e}".split("e")
        return f"{mantissa.rstrip('0').rstrip('.')}e{exponent}"  # as a float prints: 1e+400, 3.33333e-401
    return f"{companion:.6g}"


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
            "[p/q: m/n digits] marks an exact value too long for a table; --json prints it in full.",
        ]
    return lines


# ---------------------------------------------------------------- profiles


def _distributions(
    node: Any, path: tuple[str, ...]
) -> list[tuple[tuple[str, ...], Mapping[str, Any]]]:
    """Walk a sender's rule down to its leaves: distributions ``{message: probability}``.

    One-round rules are ``{x_B: {m: p}}``; multi-round rules nest the sender's
    private history under ``x_B``.  Returns ``(path, distribution)`` pairs.
    """
    if (
        isinstance(node, Mapping)
        and node
        and all(not isinstance(v, Mapping) for v in node.values())
    ):
        return [(path, node)]
    if isinstance(node, Mapping):
        out = []
        for key, child in node.items():
            out.extend(_distributions(child, path + (str(key),)))
        return out
    return []


def _message_order(keys: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for k in keys:
        if k not in seen:
            seen.append(k)
    if all(k.isdigit() for k in seen):
        return sorted(seen, key=int)
    return seen


def scheme_lines(scheme: Mapping[str, Any], *, indent: int = 4) -> list[str]:
    """One sender's rule as a table: a row per situation, a column per message."""
    dists = _distributions(scheme, ())
    messages = _message_order(m for _, d in dists for m in d)
    rows = []
    for path, dist in dists:
        rows.append([" / ".join(path) or "-"] + [exact(dist.get(m, 0)) for m in messages])
    return table(["x_B \\ message"] + messages, rows, indent=indent)


def profile_lines(profile: Mapping[str, Any], *, indent: int = 2) -> list[str]:
    """Every sender's rule of a ``persuasion-profile/1`` object: pi_i(message | x_B)."""
    out: list[str] = []
    for sender, scheme in profile.get("rules", {}).items():
        out.append(" " * indent + f"{sender}:")
        out.extend(scheme_lines(scheme, indent=indent + 2))
    return out


# ---------------------------------------------------------------- solve


def _sender_rows(report: Mapping[str, Any]) -> list[list[str]]:
    """One row per sender: utility, float companion, best-deviation value, gain, attained."""
    utilities = list(report.get("sender_utilities", []))
    deviations = list(report.get("deviations", []))
    rows = []
    for i in range(max(len(utilities), len(deviations))):
        dev = deviations[i] if i < len(deviations) else {}
        value = utilities[i] if i < len(utilities) else dev.get("value")
        row = [dev.get("sender", f"sender {i}"), exact(value), approx(value)]
        if dev:
            attained = _attained(dev.get("attained", True))
            row += [exact(dev["best_value"]), exact(dev["gain"]), attained]
        else:
            row += ["", "", ""]
        rows.append(row)
    return rows


def solve_text(report: Mapping[str, Any]) -> str:
    """The ``persuasion solve`` report (see :func:`persuasion.reports.solve_report`) as text."""
    lines: list[str] = [f"persuasion solve: {report['instance']}", ""]

    align = report["alignment"]
    nonneg = align["nonnegative"]
    aligned = report.get("aligned", {})
    lines.append("Benchmarks")
    lines.extend(
        table(
            ["quantity", "exact", "~"],
            [
                [
                    "first-best OPT (Definition 2)",
                    exact(report["first_best"]),
                    approx(report["first_best"]),
                ],
                [
                    "aligned value U_A(C*) (Definition 8)",
                    exact(report["aligned_value"]),
                    approx(report["aligned_value"]),
                ],
                [
                    "alignment error eps, simplex weights (Definition 1)",
                    exact(align["epsilon"]),
                    approx(align["epsilon"]),
                ],
                [
                    "alignment error eps, non-negative weights (Remark 2)",
                    exact(nonneg["epsilon"]),
                    approx(nonneg["epsilon"]),
                ],
            ],
        )
    )
    if aligned:
        note = f"  U_A(C*) uses one aligned sender with {aligned.get('messages', '?')} messages"
        if not aligned.get("attained", True):
            note += "; it is a supremum, not attained"
        lines.append(note)
    lines.append("")

    lines.append("Alignment weights (sum_i w_i U_i + c approximates u_A)")
    names = [d["sender"] for d in report["equilibrium"].get("deviations", [])]
    if len(names) != len(align["weights"]):
        names = [f"sender {i}" for i in range(len(align["weights"]))]
    rows = [
        [n, exact(w), exact(v)]
        for n, w, v in zip(names, align["weights"], nonneg["weights"], strict=True)
    ]
    rows.append(["offset c", exact(align["offset"]), exact(nonneg["offset"])])
    lines.extend(table(["", "simplex", "non-negative"], rows))
    lines.append("")

    eq = report["equilibrium"]
    status = "converged" if eq.get("converged") else "did not converge"
    start = (
        f" from the {eq['start']} profile"
        if eq.get("start") and eq["start"] != "given profile"
        else ""
    )
    if eq.get("start") == "given profile":
        start = " from the given profile"
    lines.append(
        f"Equilibrium search{start}: {status} after {_plural(eq.get('rounds', '?'), 'round')}"
    )
    if eq.get("stop_reason"):
        lines.append(f"  stopped: {eq['stop_reason']}")
    rows = [["Alice", exact(eq["alice_utility"]), approx(eq["alice_utility"]), "", "", ""]]
    rows.extend(_sender_rows(eq))
    lines.extend(
        table(
            ["player", "utility", "~", "best deviation", "gain", "attained"], rows, align="lrrrrl"
        )
    )
    lines.append(f"  Nash gap (largest gain): {exact(eq['nash_gap'])}")
    lines.extend(_solver_word_lines(eq))
    lines.extend(_selection_lines(eq))
    lines.append("")
    lines.append("Equilibrium profile: pi_i(message | x_B)")
    lines.extend(profile_lines(eq["profile"]))
    lines.append("")

    bound = report["bound"]
    theorem = bound.get("theorem", "Theorem 1 (Section C.2)")
    lines.append(f"{theorem.replace(' (', ' bound (', 1)}")
    lines.append(
        f"  U_A(C*) - 2 eps = {exact(report['aligned_value'])} - 2*{exact(bound['epsilon'])}"
        f" = {exact(bound['value'])}  (eps: non-negative weights, Remark 2)"
    )
    lines.append(
        f"  Alice's utility {exact(eq['alice_utility'])} >= {exact(bound['value'])}:"
        f" {'holds' if bound['holds'] else 'does not hold'}"
    )
    if own_number(eq["nash_gap"]) != 0:
        lines.append(
            f"  ({theorem.split(' (')[0]} speaks of exact equilibria; this profile has a positive Nash gap,"
        )
        lines.append("  so the comparison is informative only)")
    return _join(_long_note(lines))


def _solver_word_lines(report: Mapping[str, Any]) -> list[str]:
    """A note when some best deviation is optimal only by the MILP solver's word (``optimality`` ``milp-solver``):
    the gap, and so the equilibrium verdict, then rest on its claim."""
    claimed = [
        dev["sender"]
        for dev in report.get("deviations", [])
        if dev.get("optimality") == "milp-solver"
    ]
    if not claimed:
        return []
    return [
        f"  (only as far as the MILP solver's word goes: that no deviation of {', '.join(claimed)} is "
        "worth more is its claim, optimality milp-solver; the gains shown are exact lower bounds)"
    ]


def _selection_lines(report: Mapping[str, Any]) -> list[str]:
    """In the best-AI selection game: what each sender alone is worth to Alice, and her choice."""
    selection = report.get("selection")
    if not selection:
        return []
    values = ", ".join(exact(v) for v in selection["alice_values"])
    return [
        f"  best-AI selection: Alice's value of each sender alone: {values}; she picks {selection['selected']}"
    ]


# ---------------------------------------------------------------- verify


def verify_text(report: Mapping[str, Any]) -> str:
    """The ``persuasion verify`` report (see :func:`persuasion.reports.verify_report`) as text."""
    lines: list[str] = [f"persuasion verify: {report['instance']}", ""]

    lines.append("Utilities when Alice best-responds to the profile")
    rows = [["Alice", exact(report["alice_utility"]), approx(report["alice_utility"]), "", "", ""]]
    rows.extend(_sender_rows(report))
    lines.extend(
        table(
            ["player", "utility", "~", "best deviation", "gain", "attained"], rows, align="lrrrrl"
        )
    )
    verdict = "a Nash equilibrium" if report["is_equilibrium"] else "NOT a Nash equilibrium"
    lines.append(f"  Nash gap (largest gain): {exact(report['nash_gap'])} -> {verdict}")
    lines.extend(_solver_word_lines(report))
    lines.extend(_selection_lines(report))
    lines.append("")

    outcome = report.get("outcome")
    if outcome:
        lines.append("Outcome: P(action, state)")
        rows = [
            [a] + [exact(p) for p in row]
            for a, row in zip(outcome["actions"], outcome["joint"], strict=True)
        ]
        lines.extend(table(["action \\ state"] + list(outcome["states"]), rows))
        lines.append("")

    lines.append("Best deviations: pi_i(message | x_B)")
    for dev in report.get("deviations", []):
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
        scheme = dev.get("scheme")
        if scheme:
            lines.extend(scheme_lines(scheme, indent=4))
    return _join(_long_note(lines)).rstrip()


def certify_text(report: Mapping[str, Any]) -> str:
    """The theorem report: each result, its hypotheses, its conclusion and the exact slack."""
    lines = [f"persuasion certify: {report['instance']}", ""]
    rows = [
        [
            c["name"],
            c["cites"],
            "yes" if c["holds"] else "no",
            c["slack"] if c["slack"] is not None else "-",
        ]
        for c in report["claims"]
    ]
    lines += table(["claim", "cites", "holds", "slack"], rows, align="lllr")
    for c in report["claims"]:
        lines += [
            "",
            f"{c['name']}: {c['statement']}",
            f"  hypotheses: {c['hypotheses']}",
            f"  conclusion: {c['conclusion_text']}",
        ]
        if "file" in c:
            lines.append(f"  certificate: {c['file']}")
    return _join(lines)


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
        [
            s["game"],
            s["family"],
            s["runs"],
            s["errors"],
            s["converged"],
            s["within_bound"],
            exact(s["mean_epsilon"]) if s["mean_epsilon"] else "-",
            exact(s["mean_gap"]) if s["mean_gap"] else "-",
            approx(s["mean_gap"]) if s["mean_gap"] else "-",
            exact(s["max_gap"]) if s["max_gap"] else "-",
            exact(s["min_slack"]) if s["min_slack"] else "-",
            approx(s["min_slack"]) if s["min_slack"] else "-",
            exact(s["mean_rounds"]) if s["mean_rounds"] else "-",
        ]
        for s in report["summary"]
    ]
    lines.extend(
        table(
            [
                "game",
                "family",
                "runs",
                "errors",
                "conv",
                "in bound",
                "mean eps",
                "mean gap",
                "~",
                "max gap",
                "min slack",
                "~",
                "mean rounds",
            ],
            rows,
            align="llrrrrrrrrrrr",
        )
    )
    lines.append(
        "  gap = U_A(C*) - Alice's utility; slack = Alice's utility - (U_A(C*) - 2 eps);"
        " statistics over converged runs"
    )
    if report.get("files"):
        lines.append("")
        lines.append("Wrote " + ", ".join(report["files"]))
    return _join(lines)
