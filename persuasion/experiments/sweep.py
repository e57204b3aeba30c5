"""Run a sweep: plan the tasks, run them on local processes or a Dask cluster, summarise, write
files.

The later version of the paper (Section F; shared/paper/README.md) simulates
the best-AI selection game (Section E) by best-response dynamics and reports
that competition reliably helps Alice when the convex-hull condition
(Definition 1) holds and not always when it fails.  A sweep reproduces this
exactly: :func:`plan` lists one :class:`~persuasion.experiments.runs.Task`
per generated instance, :func:`run` plays them (independently, so in any
order and on any machine), and the rows come back in plan order, so the same
seed always gives the same ``runs.csv``, byte for byte.

Instance ``j`` of a family (``j = 0 .. runs-1``) has seed ``seed + j`` and
size ``sizes[j % len(sizes)]``: a sweep with more runs extends a smaller one.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from fractions import Fraction

from persuasion.extras import CLUSTER, require
from persuasion.experiments.families import FAMILIES, Size
from persuasion.experiments.names import FILES
from persuasion.experiments.runs import COLUMNS, GAMES, Settings, Task, run_task
from persuasion.errors import InputError
from persuasion.limits import DASK_CONNECT_SECONDS, MAX_NAMES, MAX_SENDERS
from persuasion.numbers import beyond, fmt
from persuasion.sizes import check_instance_size

__all__ = ["plan", "sizes", "connect", "run", "summarise", "csv_text", "files", "FORMAT"]

FORMAT = "persuasion-sweep/1"
"""The ``format`` of ``runs.json``."""


GRID_SOURCE = "--senders/--states/--actions"
"""How an error about the size grid names its source (the options, as a file is named for an
instance)."""


def sizes(senders: Iterable[int], states: Iterable[int], actions: Iterable[int]) -> list[Size]:
    """The grid of sizes, in a fixed order.

    Raises :class:`~persuasion.errors.InputError` when the grid's largest instance is beyond the
    limits an instance file meets (:func:`persuasion.sizes.check_instance_size`; every sender has
    ``states`` messages): a sweep would otherwise build it and run for hours.
    """
    senders, states, actions = tuple(senders), tuple(states), tuple(actions)
    largest = {"senders": max(senders), "states": max(states), "actions": max(actions)}
    for what, limit in (("senders", MAX_SENDERS), ("states", MAX_NAMES), ("actions", MAX_NAMES)):
        if largest[what] > limit:
            raise InputError(GRID_SOURCE, beyond(f"{largest[what]} {what}", limit))
    n = largest["states"]
    check_instance_size(
        {
            "states": list(range(n)),
            "actions": list(range(largest["actions"])),
            "senders": [{"messages": n}] * largest["senders"],
        },
        GRID_SOURCE,
    )
    return [Size(k, n, m) for k, n, m in itertools.product(senders, states, actions)]


def plan(
    families: Sequence[str], grid: Sequence[Size], runs: int, seed: int, settings: Settings
) -> list[Task]:
    """One task per instance: ``runs`` instances of every family, sizes cycling through ``grid``."""
    for family in families:
        if family not in FAMILIES:
            raise ValueError(f"unknown family {family!r} (choose from {', '.join(FAMILIES)})")
    return [
        Task(family, seed + j, grid[j % len(grid)], settings)
        for family in families
        for j in range(runs)
    ]


Progress = Callable[[int], None]
"""Called with the number of runs just finished."""


def _failed(task: Task, exc: BaseException) -> list[dict[str, str]]:
    """Error rows for a task whose worker itself failed (e.g. a process that died)."""
    from persuasion.experiments.runs import _blank, _message

    s = task.settings
    return [dict(_blank(task, g, st), error=_message(exc)) for g in s.games for st in s.starts]


def stop_now(pool: ProcessPoolExecutor) -> None:
    """Stop ``pool``'s workers now, tasks in progress too.  Leaving the pool normally waits for
    every queued task, and a worker that never got the signal (``kill -INT`` to this process
    alone) would outlive the program; the executor has no public way to stop a running task
    (``simulate``, ``search`` and ``hull`` share this).  The pool's manager thread is then
    joined (for a few seconds at most): left running, it raced the interpreter's exit and
    printed "Exception ignored ... Bad file descriptor" after the program's one error line."""
    processes = list((pool._processes or {}).values())
    for process in processes:
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(5)
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(5)


def _local(tasks: list[Task], jobs: int, advance: Progress) -> list[list[dict[str, str]]]:
    results: list[list[dict[str, str]] | None] = [None] * len(tasks)
    if jobs == 1:
        for i, task in enumerate(tasks):
            results[i] = run_task(task)
            advance(task.num_runs)
        return results  # type: ignore[return-value]
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        futures = {pool.submit(run_task, task): i for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except Exception as exc:
                results[i] = _failed(tasks[i], exc)
            advance(tasks[i].num_runs)
    except BaseException:  # Ctrl-C (or a failure)
        stop_now(pool)
        raise
    pool.shutdown()
    return results  # type: ignore[return-value]


class DaskError(Exception):
    """The Dask scheduler could not be reached or started."""


@contextlib.contextmanager
def connect(address: str, jobs: int | None = None):
    """A Dask client: of the scheduler at ``address``, or of a new LocalCluster (``"local"``,
    ``jobs`` workers).

    Raises :class:`DaskError` within :data:`~persuasion.limits.DASK_CONNECT_SECONDS` when the
    scheduler cannot be reached, so a command can fail before any work.  A
    LocalCluster's workers keep their scratch files in a temporary folder
    removed on exit (Dask's default, ``dask-scratch-space`` in the system's
    temporary folder, would stay behind).  Dask is the ``cluster`` extra: without it,
    :class:`~persuasion.extras.MissingExtra` is raised before anything starts.
    """
    require(CLUSTER)
    import dask
    from distributed import Client, LocalCluster

    with contextlib.ExitStack() as stack:
        try:
            if address == "local":
                scratch = stack.enter_context(
                    tempfile.TemporaryDirectory(prefix="persuasion-dask-")
                )
                stack.enter_context(dask.config.set({"temporary-directory": scratch}))
                cluster = stack.enter_context(
                    LocalCluster(
                        n_workers=jobs or os.cpu_count() or 1,
                        threads_per_worker=1,
                        dashboard_address=None,
                    )
                )
                client = stack.enter_context(Client(cluster))
            else:
                client = stack.enter_context(Client(address, timeout=f"{DASK_CONNECT_SECONDS}s"))
        except Exception as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise DaskError(f"--dask {address}: cannot connect ({reason})") from None
        yield client


def _dask(tasks: list[Task], client, advance: Progress) -> list[list[dict[str, str]]]:
    """Run the tasks on the Dask cluster of ``client``."""
    from distributed import as_completed as dask_completed

    futures = client.map(run_task, tasks, pure=False)
    index = {f.key: i for i, f in enumerate(futures)}
    results: list[list[dict[str, str]] | None] = [None] * len(tasks)
    for future in dask_completed(futures):
        i = index[future.key]
        try:
            results[i] = future.result()
        except Exception as exc:
            results[i] = _failed(tasks[i], exc)
        advance(tasks[i].num_runs)
    return results  # type: ignore[return-value]


def run(
    tasks: list[Task],
    *,
    jobs: int | None = None,
    client=None,
    progress: bool = False,
) -> list[dict[str, str]]:
    """Every run of every task, in plan order (independent of how they were scheduled).

    ``jobs`` worker processes (default ``os.cpu_count()``; 1 runs in this
    process), or the Dask cluster of ``client`` (:func:`connect`).
    ``progress`` shows a rich progress bar on stderr.
    """
    jobs = jobs or os.cpu_count() or 1
    total = sum(t.num_runs for t in tasks)
    bar = None
    if progress:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        bar = Progress(
            TextColumn("simulate"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            transient=sys.stderr.isatty(),
        )
        job = bar.add_task("runs", total=total)
        bar.start()

    def advance(n: int) -> None:
        if bar is not None:
            bar.advance(job, n)

    try:
        if client is not None:
            results = _dask(tasks, client, advance)
        else:
            results = _local(tasks, jobs, advance)
    finally:
        if bar is not None:
            bar.stop()
    return [row for rows in results for row in rows]


def _mean(values: list[Fraction]) -> str:
    return fmt(sum(values, Fraction(0)) / len(values)) if values else ""


def summarise(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """One row per (game, family): counts, and exact statistics over the converged runs.

    ``within_bound`` counts converged runs with ``within_bound`` true;
    ``min_slack`` is the smallest ``bound_slack`` (negative: the bound
    fails); ``mean_gap``/``max_gap`` are of ``aligned_value - alice_utility``.
    """

    def rank(key: tuple[str, str]) -> tuple:
        game, family = key
        return (
            GAMES.index(game) if game in GAMES else 99,
            game,
            FAMILIES.index(family) if family in FAMILIES else 99,
            family,
        )

    keys = sorted({(r["game"], r["family"]) for r in rows}, key=rank)
    out = []
    for game, family in keys:
        group = [r for r in rows if r["game"] == game and r["family"] == family]
        done = [r for r in group if not r["error"]]
        conv = [r for r in done if r["converged"] == "true"]
        gaps = [Fraction(r["gap"]) for r in conv]
        slacks = [Fraction(r["bound_slack"]) for r in conv]
        out.append(
            {
                "game": game,
                "family": family,
                "runs": str(len(group)),
                "errors": str(len(group) - len(done)),
                "converged": str(len(conv)),
                "within_bound": str(sum(r["within_bound"] == "true" for r in conv)),
                "mean_epsilon": _mean([Fraction(r["epsilon"]) for r in done]),
                "mean_gap": _mean(gaps),
                "max_gap": fmt(max(gaps)) if gaps else "",
                "min_slack": fmt(min(slacks)) if slacks else "",
                "mean_rounds": _mean([Fraction(r["rounds"]) for r in done]),
            }
        )
    return out


def csv_text(rows: list[dict[str, str]]) -> str:
    """``runs.csv``: a header of :data:`COLUMNS` and one line per run, exact strings."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def files(
    rows: list[dict[str, str]], summary: list[dict[str, str]], settings: dict
) -> dict[str, bytes]:
    """The contents of ``runs.csv`` and ``runs.json`` (settings, summary and every run), by name."""
    document = {"format": FORMAT, "settings": settings, "summary": summary, "runs": rows}
    text = (csv_text(rows), json.dumps(document, indent=1) + "\n")
    return {name: content.encode("utf-8") for name, content in zip(FILES, text, strict=True)}
