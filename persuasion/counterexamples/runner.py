"""Run a search's restarts on local processes or a Dask cluster, with a progress bar, a time limit
and a state file that makes the search resumable.

Restarts are independent (:mod:`persuasion.counterexamples.engine`), so they run like a sweep's
tasks: in this process (``jobs=1``), on a process pool, or on the Dask cluster of a client from
:func:`persuasion.experiments.sweep.connect`.  Each finished restart is handed to ``done`` at once
(the caller writes it to the state file), so a search stopped by its time limit, Ctrl-C or a crash
keeps every restart that finished, and ``--resume`` runs only the others.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from persuasion.counterexamples.engine import Plan, Record, run_restart
from persuasion.deadline import DeadlinePassed, until
from persuasion.experiments.sweep import stop_now

__all__ = ["WorkerLost", "run_restarts"]


class WorkerLost(Exception):
    """A worker process died (killed, out of memory): the finished restarts are kept."""


Done = Callable[[Record], None]


def _bar(total: int, finished: int):
    """A rich progress bar on stderr, like ``simulate``'s, already ``finished`` restarts in."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.progress import TimeRemainingColumn

    bar = Progress(
        TextColumn("search"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
        transient=sys.stderr.isatty(),
    )
    job = bar.add_task("restarts", total=total, completed=finished)
    return bar, job


def _left(deadline: float | None) -> float | None:
    """Seconds until ``deadline`` (of :func:`time.monotonic`; None: no deadline), at least 0."""
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def _serial(plan: Plan, todo: list[int], deadline: float | None) -> Iterator[Record]:
    for index in todo:
        try:
            with until(deadline, time.monotonic):  # checked inside every evaluation
                record = run_restart(plan, index)
        except DeadlinePassed:  # the restart in progress has no record: --resume runs it
            return
        yield record
        if _left(deadline) == 0:
            return


def _pool(plan: Plan, todo: list[int], jobs: int, deadline: float | None) -> Iterator[Record]:
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        waiting = {pool.submit(run_restart, plan, index) for index in todo}
        while waiting:
            finished, waiting = wait(waiting, timeout=_left(deadline), return_when=FIRST_COMPLETED)
            for future in finished:
                try:
                    record = future.result()
                except BrokenProcessPool:
                    raise WorkerLost(
                        "a worker process died; the finished restarts are kept "
                        "(with --out, --resume continues)"
                    ) from None
                yield record
            if _left(deadline) == 0:
                break
    finally:
        stop_now(pool)  # restarts in progress too


def _dask(plan: Plan, todo: list[int], client, deadline: float | None) -> Iterator[Record]:
    from distributed import as_completed

    futures = [client.submit(run_restart, plan, index, pure=False) for index in todo]
    try:
        for future in as_completed(futures, timeout=_left(deadline)):
            yield future.result()
    except TimeoutError:  # the deadline passed: the restarts in progress are cancelled
        return
    finally:
        client.cancel(futures)


def run_restarts(
    plan: Plan,
    todo: list[int],
    done: Done,
    *,
    jobs: int | None = None,
    client=None,
    time_limit: float | None = None,
    progress: bool = False,
) -> bool:
    """Run restarts ``todo`` of ``plan``, handing each record to ``done`` as it finishes.

    ``time_limit`` (seconds): once passed, the restarts still running are stopped, in this
    process (a deadline every evaluation checks, :mod:`persuasion.deadline`) and in workers
    (terminated); they have no record, and a resumed search runs them again.  Returns whether
    every restart of ``todo`` finished.
    """
    jobs = jobs or os.cpu_count() or 1
    deadline = None if time_limit is None else time.monotonic() + time_limit
    if client is not None:
        records = _dask(plan, todo, client, deadline)
    elif jobs == 1 or len(todo) <= 1:
        records = _serial(plan, todo, deadline)
    else:
        records = _pool(plan, todo, jobs, deadline)
    count = 0
    with contextlib.ExitStack() as stack:
        bar = None
        if progress:
            bar, job = _bar(plan.restarts, plan.restarts - len(todo))
            stack.enter_context(bar)
        with contextlib.closing(records):
            for record in records:
                done(record)
                count += 1
                if bar is not None:
                    bar.advance(job)
    return count == len(todo)
