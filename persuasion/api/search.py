"""Counterexample search (``persuasion search``): random restarts, local search, minimisation."""

from __future__ import annotations

import time
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Literal

from persuasion.api.common import OptionError, dask_client
from persuasion.api.search_options import check_options
from persuasion.api.worst import SearchBudget
from persuasion.results import SearchResult

DEFAULT_GRIDS = {
    "oblivious-shortfall": ((2,), (2, 3), (2, 3)),
    "more-senders-less": ((2,), (3,), (2,)),
    "more-senders-less-worst": ((2,), (3,), (3,)),
}
"""Sizes (senders, states, actions) a property searches by default; others: :data:`GRID`."""

GRID = ((1, 2), (2, 3), (2, 3))
"""The default sizes of the tightness and hull properties and of a user predicate."""


def search(
    property: str,
    *,
    seed: int = 0,
    budget: int = 200,
    time_limit: float | None = None,
    senders: Sequence[int] | None = None,
    states: Sequence[int] | None = None,
    actions: Sequence[int] | None = None,
    max_epsilon: Fraction | None = None,
    equilibrium: Literal["first", "worst"] | SearchBudget = "first",
    jobs: int | None = None,
    dask: str | None = None,
    progress: bool = False,
    out: str | Path | None = None,
    force: bool = False,
    resume: bool = False,
    polish: bool = False,
) -> SearchResult:
    """Search for an instance where ``property`` holds or is extreme, minimise it, certify it.

    Parameters
    ----------
    property : str
        A name of :data:`persuasion.counterexamples.PROPERTIES`, or ``module:function`` (a
        predicate of an :class:`~persuasion.Instance`: a bool or a rational score).
    seed, budget : int
        Seed and evaluations (restarts of 20): the same two give the same result, however run.
    time_limit : float, optional
        Seconds for the whole search, minimisation included (stopped restarts rerun on resume).
    senders, states, actions : sequence of int, optional
        The size grid, cycled through by the restarts; defaults per property.
    max_epsilon : Fraction, optional
        Tightness and hull properties: only instances with ``eps <= max_epsilon``.
    equilibrium : {"first", "worst"} or SearchBudget
        Tightness and hull properties: score the first equilibrium reached, or the worst one met
        by a search per evaluation (:mod:`persuasion.counterexamples.choice`; no time limit).
    jobs, dask, progress
        Worker processes, a Dask scheduler, a progress bar: as for :func:`persuasion.simulate`.
    out, force, resume
        The output folder (new or empty unless ``force``); ``resume`` continues its search.
    polish : bool
        Then an exact LP with the equilibrium fixed (:mod:`persuasion.counterexamples.polish`).

    Raises
    ------
    OptionError
        A bad property, or an option out of range or that cannot matter for the property.
    InputError
        An output folder or a state file that cannot be used.
    """
    sizes = (senders, states, actions)
    check_options(property, seed, budget, time_limit, sizes, max_epsilon, jobs)
    plan = _plan(property, seed, budget, sizes, max_epsilon, equilibrium, polish)
    records = _finished(plan, out, force, resume)
    deadline = None if time_limit is None else time.monotonic() + time_limit
    complete = _run(plan, records, out, jobs, dask, time_limit, progress)
    return _result(plan, records, complete, out, polish, deadline)


def _plan(name: str, seed: int, budget: int, sizes, max_epsilon, equilibrium, polish: bool):
    """The search's :class:`~persuasion.counterexamples.engine.Plan`, its options checked
    (``polish`` refused for a property no LP polishes)."""
    from persuasion.experiments import sweep
    from persuasion.counterexamples.engine import Plan, user_output
    from persuasion.counterexamples.polish import POLISHERS
    from persuasion.counterexamples.properties import PredicateError, lookup

    if polish and name not in POLISHERS:
        raise OptionError(f"polish applies to {', '.join(POLISHERS)} only, not to {name}")

    try:
        with user_output():
            prop = lookup(name)
    except PredicateError as exc:
        raise OptionError(str(exc)) from None
    defaults = DEFAULT_GRIDS.get(prop.name, GRID)
    grid = tuple(
        sweep.sizes(*(given or default for given, default in zip(sizes, defaults, strict=True)))
    )
    return Plan(name, seed, budget, grid, max_epsilon, _worst(prop, grid, equilibrium))


def _worst(prop, grid, equilibrium) -> SearchBudget | None:
    """The per-evaluation budget of the worst-equilibrium search (None: the first equilibrium),
    refused for a property it does not apply to, a time limit, or a restricted game too big for
    the largest instance of ``grid``."""
    from persuasion.api.play import budget_of
    from persuasion.counterexamples import choice

    try:
        worst = budget_of(equilibrium, choice.WORST)
    except ValueError as exc:
        raise OptionError(str(exc)) from None
    if worst is None:
        return None
    if prop.name not in choice.USES:
        raise OptionError(f"equilibrium worst applies to {', '.join(choice.USES)}, not {prop.name}")
    if worst.time_limit is not None:
        raise OptionError("the worst-equilibrium budget of a search takes no time limit")
    if worst.restricted is not None:
        choice.check_restricted(prop, max(grid, key=lambda s: (s.senders, s.states)), worst)
    return worst


def _finished(plan, out, force: bool, resume: bool) -> dict:
    """The restarts already finished (``resume``), once the output folder is checked."""
    if (force or resume) and out is None:
        raise OptionError(f"{'resume' if resume else 'force'} only applies with out")
    if force and resume:
        raise OptionError("force and resume cannot be used together")
    from persuasion.counterexamples import folder as output

    return {} if out is None else output.open_folder(str(out), plan, force=force, resume=resume)


def _run(plan, records: dict, out, jobs, dask, time_limit, progress) -> bool:
    """Run the restarts not yet in ``records`` (recording each, and the state file)."""
    from persuasion.counterexamples import folder as output
    from persuasion.counterexamples.properties import PredicateError
    from persuasion.counterexamples.runner import WorkerLost, run_restarts

    def done(record) -> None:
        records[record.index] = record
        if out is not None:
            output.append_state(str(out), record)

    todo = [j for j in range(plan.restarts) if j not in records]
    with dask_client(dask, jobs) as client:
        try:
            return run_restarts(
                plan, todo, done, jobs=jobs, client=client, time_limit=time_limit,
                progress=progress,
            )  # fmt: skip
        except (PredicateError, WorkerLost) as exc:
            raise OptionError(str(exc)) from None


def _result(plan, records: dict, complete: bool, out, polish: bool, deadline) -> SearchResult:
    """The typed result; the finding's files written into ``out`` first (minimisation stops at
    ``deadline``, of :func:`time.monotonic`)."""
    from persuasion.counterexamples import finding as found
    from persuasion.counterexamples import folder as output
    from persuasion.counterexamples.properties import PredicateError

    try:
        conclusion = found.conclude(plan, list(records.values()), polish, deadline)
    except PredicateError as exc:  # a predicate that changed its answer, or exited
        raise OptionError(str(exc)) from None
    written: tuple[str, ...] = ()
    if out is not None:
        written = tuple(output.write(found.files(plan, conclusion), str(out)))
    finding, point = conclusion.finding, conclusion.point
    top = conclusion.found

    def size(p) -> tuple[int, ...]:
        return () if p is None else (len(p.utilities), p.states, p.actions)

    return SearchResult(
        property=plan.property,
        seed=plan.seed,
        budget=plan.budget,
        restarts=plan.restarts,
        restarts_done=len(records),
        complete=complete and len(records) == plan.restarts,
        score=None if finding is None else finding.score,
        found_score=None if top is None else top.score,
        numbers=() if finding is None else finding.numbers,
        instance=None if point is None else found.named(plan, point),
        profile=None if finding is None else finding.profile,
        size=size(point),
        found_size=size(None if top is None else top.point),
        claim=found.lookup(plan.property).claim,
        files=written,
        polished=conclusion.polished,
        worst=plan.worst,
        minimised=conclusion.minimised,
    )
