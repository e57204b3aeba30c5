"""Sweeps of best-response dynamics over generated instances (``persuasion simulate``)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Literal

from persuasion.api.checks import integer, one_of, rational
from persuasion.api.common import ETA, OptionError, dask_client
from persuasion.limits import MAX_RUNS
from persuasion.games import STEP
from persuasion.experiments.names import FAMILIES
from persuasion.games import game as game_entry
from persuasion.results import SimulationResult, SummaryRow, SweepParameters
from persuasion.starts import STARTS, SWEEP

# ---------------------------------------------------------------- sweeps


def _require_extras(figures: bool, cluster: bool) -> None:
    """Refuse a sweep whose optional modules are absent, before any run, naming the extra."""
    from persuasion import extras

    wanted = [(extras.FIGURES, " (or leave them out with --no-figures)")] if figures else []
    wanted += [(extras.CLUSTER, "")] if cluster else []
    for extra, hint in wanted:
        try:
            extras.require(extra)
        except extras.MissingExtra as exc:
            raise OptionError(f"{exc}{hint}") from None


def simulate(
    *,
    games: Sequence[str] = ("simultaneous",),
    families: Sequence[str] = FAMILIES,
    runs: int = 20,
    seed: int = 0,
    senders: Sequence[int] = (2, 3),
    states: Sequence[int] = (2, 3),
    actions: Sequence[int] = (2, 3),
    starts: Sequence[str] = SWEEP,
    noise: Fraction = Fraction(1, 8),
    max_rounds: int = 25,
    order: Literal["round-robin", "random"] = "round-robin",
    eta: Fraction = ETA,
    step: Fraction = STEP,
    jobs: int | None = None,
    dask: str | None = None,
    progress: bool = False,
    out: str | Path | None = None,
    force: bool = False,
    figures: bool = True,
) -> SimulationResult:
    """Best-response dynamics on generated instances (``persuasion simulate``): the same
    arguments give the same rows, whatever ``jobs`` or ``dask``.

    Parameters
    ----------
    games, families, runs, seed, senders, states, actions
        The games and the instances (:class:`SweepParameters`).
    starts, noise, max_rounds, order, eta, step
        How each run plays (:class:`SweepParameters`).
    jobs, dask, progress
        Local worker processes (default every core; 1: this process), or a Dask
        scheduler address (``"local"``: a local cluster); a progress bar on stderr.
    out, force, figures
        Write ``runs.csv``, ``runs.json`` and (``figures``) the figures into the folder
        ``out``: empty or new unless ``force`` (checked before any run).

    Returns
    -------
    SimulationResult

    Raises
    ------
    OptionError
        For ``force`` without ``out``, or a Dask scheduler that does not answer.
    InputError
        For an ``out`` folder that cannot be used, or a size grid beyond the limits.
    ValueError
        For an unknown game, family or start.
    """
    folder = _out_folder(out, force)
    _require_extras(figures=folder is not None and figures, cluster=dask is not None)
    played = SweepParameters(
        tuple(games), tuple(families), runs, seed,
        tuple(senders), tuple(states), tuple(actions), tuple(starts), noise, max_rounds, order,
        eta, step,
    )  # fmt: skip
    rows, instances = _sweep(_checked(played), jobs=jobs, dask=dask, progress=progress)
    return _sweep_result(rows, instances, folder, played, figures)


def _checked(played: SweepParameters) -> SweepParameters:
    """``played``, once every option is one the command line would take (else ValueError)."""
    for name in played.games:
        game_entry(name)
    for name in played.families:
        one_of("family", name, FAMILIES)
    integer("runs", played.runs, 1, MAX_RUNS)
    integer("seed", played.seed, 0)
    for name, sizes, minimum in (
        ("senders", played.senders, 1), ("states", played.states, 2),
        ("actions", played.actions, 2),
    ):  # fmt: skip
        if not sizes:
            raise ValueError(f"{name} must name at least one size")
        for size in sizes:
            integer(name, size, minimum)
    integer("max_rounds", played.max_rounds, 1)
    one_of("order", played.order, ("round-robin", "random"))
    for name in ("noise", "eta", "step"):
        rational(name, getattr(played, name), Fraction(0), strict=True)
    unknown = [name for name in played.starts if name not in STARTS]
    if unknown:
        raise ValueError(f"unknown start {unknown[0]!r} (choose from {', '.join(STARTS)})")
    return played


def _out_folder(out: str | Path | None, force: bool):
    """The checked folder a sweep writes into (:func:`persuasion.output.check_folder`), or None."""
    if out is None:
        if force:
            raise OptionError("force only applies with out (there is no folder to write)")
        return None
    from persuasion.experiments.names import FIGURES, FILES
    from persuasion.output import check_folder

    return check_folder(str(out), [*FILES, *(f"figures/{name}" for name in FIGURES)], force)


def _sweep(
    played: SweepParameters, *, jobs: int | None, dask: str | None, progress: bool
) -> tuple[list[dict[str, str]], int]:
    """Every run of the sweep, and how many instances it generated."""

    from persuasion.experiments import sweep
    from persuasion.experiments.runs import Settings

    p = played
    settings = Settings(
        games=p.games,
        starts=p.starts,
        max_rounds=p.max_rounds,
        order=p.order,
        eta=p.eta,
        step=p.step,
        noise=p.noise,
    )
    with dask_client(dask, jobs) as client:
        grid = sweep.sizes(p.senders, p.states, p.actions)
        tasks = sweep.plan(p.families, grid, p.runs, p.seed, settings)
        rows = sweep.run(tasks, jobs=jobs, client=client, progress=progress)
    return rows, len(tasks)


def _sweep_result(
    rows: list[dict[str, str]], instances: int, folder, played: SweepParameters, figures: bool
) -> SimulationResult:
    """The typed result of a sweep; its files written into ``folder`` first, if any."""
    from persuasion.experiments import sweep

    summary = sweep.summarise(rows)
    written: tuple[str, ...] = ()
    if folder is not None:
        data = sweep.files(rows, summary, played.to_json())
        if figures:
            from persuasion.experiments.figures import draw_all

            data.update((f"figures/{name}", image) for name, image in draw_all(rows).items())
        written = _write(folder, data)
    return SimulationResult(
        runs=len(rows),
        instances=instances,
        summary=tuple(SummaryRow.from_json(row) for row in summary),
        rows=tuple(tuple(row.items()) for row in rows),
        files=written,
        parameters=played,
    )


def _write(folder, files: dict[str, bytes]) -> tuple[str, ...]:
    """Write ``files`` into the checked folder; a failure is one line naming the folder."""
    from persuasion.output import write_files

    try:
        return tuple(write_files(folder, files))
    except OSError as exc:
        raise OptionError(f"--out {folder.path}: {exc.strerror or exc}") from None
