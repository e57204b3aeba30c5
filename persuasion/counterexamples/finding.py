"""From the restarts' records to a finding: the best point, minimised, and its files.

:func:`conclude` takes the best record (:func:`persuasion.counterexamples.engine.best`), minimises
its point while the property's finding holds (:mod:`persuasion.counterexamples.minimise`) and
evaluates the minimum again. :func:`files` writes it out: the instance, the equilibrium profile, a
certificate of the property's claim that ``persuasion check`` verifies (Theorem 7, 1 or 6), and
``finding.json`` with the exact numbers.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from fractions import Fraction

from persuasion.deadline import check, until
from persuasion.model import Instance
from persuasion.numbers import fmt
from persuasion.counterexamples.engine import Plan, Record, best, evaluate
from persuasion.counterexamples.choice import budget_options
from persuasion.counterexamples.minimise import minimised
from persuasion.counterexamples.properties import (
    ETA,
    Finding,
    PredicateError,
    equilibrium_of,
    lookup,
    without,
)
from persuasion.counterexamples.space import Point, instance_of

__all__ = ["Conclusion", "conclude", "files", "keeps"]

FINDING_FORMAT = "persuasion-search-finding/1"


@dataclass(frozen=True)
class Conclusion:
    """The best record of a search, its minimised point and the finding there (all None when
    nothing was found); ``polished``: None unless polishing was asked, then whether the polished
    point replaced the minimised one; ``minimised`` is False when the time limit stopped
    minimisation."""

    found: Record | None
    point: Point | None
    finding: Finding | None
    polished: bool | None = None
    minimised: bool = True


def keeps(plan: Plan, score: Fraction):
    """``keeps(point)``: does ``point`` still show the finding of score ``score``?"""
    keep = lookup(plan.property).keep

    def test(point: Point) -> bool:
        found = evaluate(plan, point)
        check()  # an evaluation the deadline cut short says nothing: stop minimising
        if found is None:
            return False
        return found.score > 0 if keep == "positive" else found.score >= score

    return test


def conclude(
    plan: Plan, records: list[Record], polish: bool = False, deadline: float | None = None
) -> Conclusion:
    """The best record, minimised (a finding with score 0 or less is kept as found; once
    ``deadline``, of :func:`time.monotonic`, passes, minimisation stops at the last point
    accepted), then, with ``polish``, polished by an exact LP where the engine confirms it
    (:mod:`persuasion.counterexamples.polish`).

    Raises
    ------
    PredicateError
        When the property no longer holds at the point minimisation kept (a predicate that does
        not give the same answer on the same instance).
    """
    from persuasion.counterexamples.polish import POLISHERS

    top = best(records)
    if top is None:
        return Conclusion(None, None, None)
    point, done = top.point, True
    if top.score > 0 or lookup(plan.property).keep == "extreme":
        with until(deadline, time.monotonic):
            point, done = minimised(point, keeps(plan, top.score))
    finding = evaluate(plan, point)
    if finding is None:
        raise PredicateError(
            f"--property {plan.property}: held on an instance, then not on the same instance "
            "(a predicate must give the same answer every time)"
        )
    if not polish:
        return Conclusion(top, point, finding, minimised=done)
    polished = POLISHERS[plan.property](point, finding)
    if polished is None:
        return Conclusion(top, point, finding, polished=False, minimised=done)
    return Conclusion(top, *polished, polished=True, minimised=done)


def instance_name(plan: Plan) -> str:
    """The found instance's name: the property (``:`` made ``-``) and the seed."""
    return f"search-{plan.property.replace(':', '-')}-seed{plan.seed}"


def named(plan: Plan, point: Point) -> Instance:
    """The minimised instance, named and described by the search that found it."""
    prop = lookup(plan.property)
    instance = instance_of(point, instance_name(plan))
    return replace(
        instance,
        description=f"found by persuasion search --property {plan.property} --seed {plan.seed} "
        f"--budget {plan.budget}{budget_options(plan.worst)}, then minimised: "
        f"{prop.summary or 'user predicate'}",
    )


def _certified(instance: Instance, claim: str | None, profile) -> dict[str, bytes]:
    """The instance file, profile file and certificate of ``claim`` at ``profile`` (None: the
    instance file only)."""
    from persuasion.profile import dump_profile
    from persuasion.witnesses import certify
    from persuasion.witnesses.claims import instance_text

    out = {"instance": instance_text(instance).encode("utf-8")}
    if claim is None:
        return out
    certificate = certify(instance, [claim], profile=profile, eta=ETA)[0]
    if profile is not None:
        out["profile"] = _json(dump_profile(profile, instance))
    out["certificate"] = _json(certificate)
    return out


def _json(data: dict) -> bytes:
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def files(plan: Plan, conclusion: Conclusion) -> dict[str, bytes]:
    """The files of a conclusion, by name (:data:`persuasion.counterexamples.folder.OWNED`); none if
    nothing was found."""
    if conclusion.point is None:
        return {}
    prop, finding = lookup(plan.property), conclusion.finding
    instance = named(plan, conclusion.point)
    profile, claim = finding.profile, prop.claim
    if profile is None and claim != "theorem-7":  # a predicate: the equilibrium found
        profile = equilibrium_of(instance, prop.game)
        claim = None if profile is None else claim  # none found exactly: nothing to certify
    out = {f"{k}.json": v for k, v in _certified(instance, claim, profile).items()}
    if finding.dropped is not None:
        fewer = without(instance, finding.dropped)
        made = _certified(fewer, prop.claim, finding.fewer_profile)
        out.update((f"fewer-{k}.json", v) for k, v in made.items())
        if prop.fewer_floor is not None:
            out["fewer-floor.json"] = _json(prop.fewer_floor(fewer))
    out["finding.json"] = _json(
        {
            "format": FINDING_FORMAT,
            "property": plan.property,
            "seed": plan.seed,
            "budget": plan.budget,
            "score": fmt(finding.score),
            "found_score": fmt(conclusion.found.score),
            "found_restart": conclusion.found.index,
            "numbers": {name: fmt(value) for name, value in finding.numbers},
            "claim": claim,
            "equilibrium": "first" if plan.worst is None else "worst",
            "worst_budget": None if plan.worst is None else plan.worst.to_json(),
            "dropped_sender": None
            if finding.dropped is None
            else instance.senders[finding.dropped].name,
            "polished": conclusion.polished,
        }
    )
    return out
