"""The text of ``persuasion solve --equilibrium worst``: the lines after the solve's report.

Reads the ``equilibria`` object of :meth:`persuasion.results.Solution.to_json`
(:class:`persuasion.results.EquilibriumSearch`) and nothing else, as
:mod:`persuasion.render` reads the rest of the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from persuasion.numbers import own_number
from persuasion.render import exact, profile_lines

__all__ = ["worst_lines", "worst_text"]

SHOWN = 12
"""The most equilibria listed one per line (the JSON lists them all)."""


def worst_text(report: Mapping[str, Any]) -> str:
    """The solve's text (:func:`persuasion.render.solve_text`), then the search's lines."""
    from persuasion.render import solve_text

    text = solve_text(report)
    if "equilibria" not in report:
        return text
    return text + "\n\n" + "\n".join(worst_lines(report["equilibria"]))


def worst_lines(search: Mapping[str, Any]) -> list[str]:
    """Every distinct equilibrium found, the worst for Alice, full revelation, the restricted
    game's exact answer."""
    theorem = search["theorem"].split(" (")[0]
    found = search["found"]
    lines = [f"Worst equilibrium for Alice: search of {search['runs']} runs"]
    lines.append(f"  stopped: {search['stop_reason']}")
    trivial = search.get("trivial_revelation")
    if trivial:
        lines.append(f"  {trivial['explanation']}")
    lines.append(
        f"  {len(found)} distinct exact {'equilibrium' if len(found) == 1 else 'equilibria'} "
        "found (Nash gap 0 each; told apart by the "
        f"outcome); {theorem} bound {exact(search['bound'])}:"
    )
    for number, eq in enumerate(found[:SHOWN], 1):
        lines.append(f"    #{number} {_found_line(eq)}")
    if len(found) > SHOWN:
        lines.append(f"    ... {len(found) - SHOWN} more (--json lists them all)")
    if search["worst"] is None:
        lines.append("  no exact equilibrium was found (best responses may be unattained suprema)")
    else:
        worst = found[search["worst"]]
        lines += [
            f"  worst for Alice: #{search['worst'] + 1}, Alice's utility "
            f"{exact(worst['alice_utility'])}",
            _worst_note(search.get("lower_bound"), worst["alice_utility"], theorem),
            *_selection_note(theorem),
            f"Worst equilibrium profile (#{search['worst'] + 1}): pi_i(message | x_B)",
            *profile_lines(worst["profile"]),
        ]
    if search.get("restricted"):
        lines += [""] + _restricted_lines(search["restricted"], theorem)
    return lines


def _worst_note(lower_bound: str | None, worst: str, theorem: str) -> str:
    """Whether the worst found is Alice's worst equilibrium: decided exactly (one sender), or only
    the worst a search met."""
    if lower_bound is None:
        return (
            "  (the worst a search met, not a proof: an equilibrium it did not meet may be worse; "
            f"{theorem} is about the worst of all)"
        )
    if Fraction(lower_bound) == Fraction(worst):
        return (
            f"  (the worst of all, the equilibrium {theorem} is really about: Alice gets at least "
            f"{exact(lower_bound)} at every equilibrium -- the sender's optimal face, an exact LP)"
        )
    return (
        f"  (not proven the worst: Alice gets at least {exact(lower_bound)} at every equilibrium "
        "-- the sender's optimal face, an exact LP -- and no equilibrium met reaches it)"
    )


def _selection_note(theorem: str) -> list[str]:
    """In the best-AI selection game (Theorem 6) the worst may be an infimum no equilibrium
    attains: the equilibria met depend on ``--eta`` (review of issue 10, finding 11)."""
    if theorem != "Theorem 6":
        return []
    return [
        "  (best-AI selection: the equilibria met depend on --eta; Alice's worst may be an "
        "infimum that no equilibrium attains, approached as --eta shrinks)"
    ]


def _found_line(eq: Mapping[str, Any]) -> str:
    senders = ", ".join(exact(u) for u in eq["sender_utilities"])
    holds = "bound holds" if eq["bound_holds"] else "BOUND FAILS"
    times = f"{eq['times_found']} time" + ("s" if eq["times_found"] != 1 else "")
    return (
        f"Alice {exact(eq['alice_utility'])}, senders {senders}; {holds}; "
        f"from {eq['found_from']} (reached {times})"
    )


def _restricted_lines(restricted: Mapping[str, Any], theorem: str) -> list[str]:
    """The exact worst over the restricted game's pure equilibria, and which are full ones."""
    equilibria = restricted["equilibria"]
    full = [e for e in equilibria if e["full_equilibrium"]]
    lines = [
        f"Restricted game ({restricted['schemes']} schemes): {restricted['profiles']} pure "
        f"profiles, {len(equilibria)} pure equilibria (all enumerated exactly)",
        f"  {len(full)} of them are equilibria of the full game (exact Nash gap 0), "
        f"{len(equilibria) - len(full)} only of the restricted game",
    ]
    if restricted["worst"] is None:
        return lines + ["  the restricted game has no pure equilibrium"]
    worst = equilibria[restricted["worst"]]
    kind = "also" if worst["full_equilibrium"] else "NOT"
    lines.append(
        f"  worst among RESTRICTED pure equilibria: Alice {exact(worst['alice_utility'])} at "
        f"strategies {tuple(worst['strategies'])}; {kind} an equilibrium of the full game "
        f"(full Nash gap {exact(worst['full_nash_gap'])}); {theorem} bound "
        f"{'holds' if worst['bound_holds'] else 'FAILS'}"
    )
    if full:
        worst_full = min(full, key=lambda e: own_number(e["alice_utility"]))
        lines.append(
            "  worst among those that are full equilibria: Alice "
            f"{exact(worst_full['alice_utility'])} at strategies {tuple(worst_full['strategies'])}"
        )
    return lines
