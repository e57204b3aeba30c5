"""The text report of ``persuasion search`` (from the JSON object ``--json`` prints)."""

from __future__ import annotations

from persuasion.render import exact

__all__ = ["search_text"]


def _size(size: dict) -> str:
    return " x ".join(
        f"{size[what]} {what if size[what] != 1 else what[:-1]}"
        for what in ("senders", "states", "actions")
    )


def search_text(report: dict) -> str:
    """A few lines: the search's progress, the best score found, the minimised instance's numbers
    and the files written."""
    lines = [
        f"Search for {report['property']}: seed {report['seed']}, budget {report['budget']}, "
        f"{report['restarts_done']}/{report['restarts']} restarts"
        + ("" if report["complete"] else " (stopped by the time limit; --resume continues)")
    ]
    if report["equilibrium"] == "worst":
        budget = report["worst_budget"]
        lines.append(
            "  scored at the worst equilibrium for Alice found on each instance "
            f"(at most {budget['max_starts']} runs of the dynamics, {budget['random_starts']} "
            "random starts"
            + ("" if budget["restricted"] is None else f", restricted {budget['restricted']}")
            + ")"
        )
    if report["score"] is None:
        from persuasion.counterexamples.properties import PROPERTIES

        known = PROPERTIES.get(report["property"])
        why = known.nothing if known is not None else ""
        lines.append(f"  nothing found{': ' + why if why else ''}")
        return "\n".join(lines)
    lines.append(
        f"  best score found: {exact(report['found_score'])} on {_size(report['found_size'])}"
    )
    cut = "" if report["minimised"] else " (stopped by the time limit: not the smallest)"
    lines.append(f"  minimised{cut}: score {exact(report['score'])} on {_size(report['size'])}")
    lines.extend(f"    {name} = {exact(value)}" for name, value in report["numbers"].items())
    if report.get("polished") is not None:
        lines.append(
            "  polished by an exact LP: the score above, confirmed by the engine"
            if report["polished"]
            else "  polished: the exact LP found no larger score; the minimised instance is kept"
        )
    if report["files"]:
        lines.append(f"Wrote {', '.join(report['files'])}")
        named = {f.rsplit("/", 1)[-1]: f for f in report["files"]}
        if "certificate.json" not in named:
            lines.append("No exact equilibrium was found there, so there is no certificate")
            return "\n".join(lines)
        certificate, instance = named["certificate.json"], named["instance.json"]
        lines.append(f"Check it: persuasion check {certificate} --instance {instance}")
    return "\n".join(lines)
