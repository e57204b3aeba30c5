"""The front door: load an instance, solve it, verify a profile, certify the paper's claims.

Every function returns a typed, frozen result (:mod:`persuasion.results`)
whose ``to_json()`` is what the matching command prints with ``--json``; the
command line (:mod:`persuasion.cli`) is a thin layer over these functions.
The game an instance plays is looked up in one table (:mod:`persuasion.games`).
The solver's modules are imported inside the functions, so that ``import
persuasion`` stays fast.

Exceptions: :class:`~persuasion.errors.InputError` for a bad file or an
instance this version cannot play (one line, naming the file);
:class:`OptionError` for arguments that cannot be used together;
:class:`~persuasion.equilibrium.TimeLimitTooShort` when a solve's time limit
passes before any profile could be judged.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from persuasion.errors import InputError
from persuasion.experiments.names import FAMILIES
from persuasion.games import GameEntry, game_claims, profile_claims
from persuasion.games import game as game_entry
from persuasion.limits import SOLVE_PATIENCE, SOLVE_TIME_LIMIT
from persuasion.model import Instance, Profile
from persuasion.results import (
    AlignedSender,
    AlignmentResult,
    BestResponseResult,
    Bound,
    Certification,
    CheckResult,
    Claim,
    Deviation,
    Equilibrium,
    Selection,
    SimulationResult,
    Solution,
    SolveParameters,
    Status,
    SummaryRow,
    SweepParameters,
    Verification,
)
from persuasion.starts import AUTO, STARTS, SWEEP, start_profile

if TYPE_CHECKING:
    from persuasion import equilibrium
    from persuasion.sender import BestResponse

__all__ = [
    "OptionError",
    "alignment",
    "best_response",
    "certify",
    "check",
    "find_equilibrium",
    "load",
    "load_profile",
    "simulate",
    "solve",
    "verify",
]

MEMORY = "<memory>"
"""How an error names an instance built in code rather than read from a file."""

ETA = Fraction(1, 1000)
"""Default ``eta``: how close to an unattained supremum a reported best-response scheme comes."""

STEP = Fraction(1, 100)
"""Default improvement step of the dynamics of games that take one (best-AI selection)."""


class OptionError(Exception):
    """Arguments that cannot be used (together): ``str(err)`` is one line saying why."""


# ---------------------------------------------------------------- reading


def load(path: str | Path) -> Instance:
    """Read an instance file (``persuasion-instance/1``, SPEC section 2).

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    Instance

    Raises
    ------
    InputError
        For any problem with the file, in one line naming it.
    """
    from persuasion.instance import load_instance

    return load_instance(path)


def load_profile(path: str | Path, instance: Instance) -> Profile:
    """Read a profile file (``persuasion-profile/1``, SPEC section 3) for ``instance``.

    Parameters
    ----------
    path : str or Path
        The file.
    instance : Instance
        The instance the profile is for.

    Returns
    -------
    Profile

    Raises
    ------
    InputError
        For any problem with the file, in one line naming it.
    """
    from persuasion.profile import load_profile as read

    return read(path, instance)


# ---------------------------------------------------------------- what can be played


def unsupported(instance: Instance) -> tuple[str, str] | None:
    """``(json path, problem)`` for a protocol this version cannot play yet, or None."""
    p = instance.protocol
    problems = [
        (
            p.rounds != 1,
            "protocol.rounds",
            "multi-round conversations are not supported yet (rounds must be 1)",
        ),
        (
            p.alice_messages != 1,
            "protocol.alice_messages",
            "Alice's messages are not supported yet (alice_messages must be 1)",
        ),
        (
            p.decision != "best-response",
            "protocol.decision",
            "the quantal decision rule is not supported yet",
        ),
    ]
    return next(((path, problem) for bad, path, problem in problems if bad), None)


def check_supported(instance: Instance, source: str = MEMORY) -> None:
    """Refuse, in one line naming the file, a protocol this version cannot solve yet."""
    problem = unsupported(instance)
    if problem:
        raise InputError(source, problem[1], "$." + problem[0])


def _game(instance: Instance, game: str | None) -> GameEntry:
    """The table entry of ``game``, by default the instance's own (``protocol.game``)."""
    return game_entry(instance.protocol.game if game is None else game)


@contextmanager
def _engine(route: str, set_search: str) -> Iterator[None]:
    """Every best response inside takes ``route`` and ``set_search`` (routes.using)."""
    from persuasion.routes import using

    with using(route, set_search):
        yield


def import_solver() -> None:
    """Import the modules a solve, a verification or a certificate uses (the command line does it
    once, with the garbage collector paused: :func:`persuasion.cli._loading_the_solver`)."""
    import importlib

    for name in ("alignment", "cells", "equilibrium", "problem", "profile", "receiver", "routes"):
        importlib.import_module(f"persuasion.{name}")
    importlib.import_module("persuasion.selection")


# ---------------------------------------------------------------- typed pieces


def _sender_index(instance: Instance, sender: int | str) -> int:
    names = [s.name for s in instance.senders]
    if isinstance(sender, str):
        if sender not in names:
            raise ValueError(f"no sender {sender!r} (the senders are {', '.join(names)})")
        return names.index(sender)
    if not 0 <= sender < len(names):
        raise ValueError(f"no sender {sender} (the senders are 0 to {len(names) - 1})")
    return sender


def _best(instance: Instance, sender: int, best: BestResponse) -> BestResponseResult:
    from persuasion.equilibrium import best_scheme

    return BestResponseResult(
        sender=instance.senders[sender].name,
        value=best.value,
        attained=best.attained,
        achieved=best.achieved,
        route=best.route,
        method=best.method,
        optimality=best.optimality,
        scheme=best_scheme(instance, sender, best),
        messages_used=len(best.columns),
        features=instance.sender_features,
        messages=instance.senders[sender].messages,
    )


def _deviations(instance: Instance, devs: Sequence[equilibrium.Deviation]) -> tuple[Deviation, ...]:
    return tuple(
        Deviation(instance.senders[d.sender].name, d.value, _best(instance, d.sender, d.best))
        for d in devs
    )


def _play(instance: Instance, entry: GameEntry, profile: Profile) -> dict[str, Any]:
    """The fields every result about a profile shares: the outcome, and Alice's choice of sender."""
    result = entry.outcome(instance, profile)
    selection = None
    if entry.selection is not None:
        values, chosen = entry.selection(instance, profile)
        selection = Selection(tuple(values), instance.senders[chosen].name)
    return {
        "instance": instance,
        "profile": profile,
        "alice_utility": result.alice_utility,
        "sender_utilities": tuple(result.sender_utilities),
        "joint": tuple(tuple(row) for row in result.joint),
        "selection": selection,
    }


# ---------------------------------------------------------------- benchmarks


def alignment(instance: Instance) -> AlignmentResult:
    """The alignment error of Definition 1, with Remark 2's non-negative variant.

    Parameters
    ----------
    instance : Instance
        The instance.

    Returns
    -------
    AlignmentResult
        The least ``epsilon`` with weights in the simplex, optimal weights and
        offset; ``nonnegative`` the same with any non-negative weights.
    """
    from persuasion.alignment import weighted_alignment

    def typed(found, nonnegative: AlignmentResult | None = None) -> AlignmentResult:
        return AlignmentResult(found.epsilon, found.weights, found.offset, nonnegative)

    nonnegative = typed(weighted_alignment(instance, simplex=False))
    return typed(weighted_alignment(instance, simplex=True), nonnegative)


def _aligned(instance: Instance, eta: Fraction) -> AlignedSender:
    """Definition 8's benchmark ``U_A(C*)`` and the aligned sender's optimal scheme."""
    from persuasion.equilibrium import scheme_from_columns
    from persuasion.problem import aligned_messages, aligned_problem
    from persuasion.sender import best_response as respond

    best = respond(aligned_problem(instance), eta)
    n = aligned_messages(instance)
    scheme = scheme_from_columns(best.columns, len(instance.sender_features), n)
    return AlignedSender(
        best.value, n, best.attained, best.optimality, scheme, instance.sender_features
    )


# ---------------------------------------------------------------- equilibria


def find_equilibrium(
    instance: Instance,
    start: Profile | str,
    *,
    game: str | GameEntry | None = None,
    **options: Any,
) -> tuple[equilibrium.Dynamics, str]:
    """Best-response dynamics from ``start``: a profile, a name of :data:`persuasion.starts.AUTO`,
    or ``"auto"``; returns the dynamics and the name of the start they ran from.

    ``auto`` runs from every start of :data:`~persuasion.starts.AUTO` in turn
    and keeps the first run that converges, else the one that stopped with the
    smallest Nash gap.  The game's own dynamics run (:attr:`GameEntry.dynamics
    <persuasion.GameEntry.dynamics>`), with the improvement ``step`` (an
    option) for a game that takes one.  ``time_limit`` (seconds of ``clock``)
    bounds all the runs together: a run stopped by it is the last one tried.
    ``progress`` receives every :class:`~persuasion.equilibrium.Step`, with the
    start's name.  The runs share their best responses (a sender's best
    response to the same schemes of the others is computed once).  The other
    ``options`` are those of :func:`persuasion.equilibrium.best_response_dynamics`.
    """
    from persuasion import cells

    entry = game if isinstance(game, GameEntry) else _game(instance, game)
    run = _runner(instance, entry, options)
    with cells.remembering():  # the best responses ask many of the same small questions
        if isinstance(start, Profile):
            return run(start, "given profile"), "given profile"
        names = list(AUTO) if start == "auto" else [start]
        runs = []
        for name in names:
            dyn = run(start_profile(instance, name), name)
            if dyn.converged:
                return dyn, name
            runs.append((dyn.nash_gap, len(runs), dyn, name))
            if dyn.status == Status.TIME_LIMIT:
                break
    _, _, dyn, name = min(runs)
    return dyn, name


def _runner(
    instance: Instance, entry: GameEntry, options: dict[str, Any]
) -> Callable[[Profile, str], equilibrium.Dynamics]:
    """``run(profile, start)``: the game's dynamics from ``profile``; one time limit for all."""
    import dataclasses

    step = options.pop("step", STEP)
    time_limit = options.pop("time_limit", None)
    clock = options.setdefault("clock", time.monotonic)
    progress = options.pop("progress", None)
    began = clock()
    responses: dict = {}

    def run(profile: Profile, name: str) -> equilibrium.Dynamics:
        left = None if time_limit is None else max(0.0, time_limit - (clock() - began))
        told = (
            None if progress is None else (lambda s: progress(dataclasses.replace(s, start=name)))
        )
        return entry.dynamics(
            instance,
            profile,
            step=step,
            responses=responses,
            time_limit=left,
            progress=told,
            **options,
        )

    return run


def solve(
    instance: Instance,
    *,
    game: str | None = None,
    start: Profile | str = "auto",
    order: Literal["round-robin", "random"] = "round-robin",
    seed: int = 0,
    max_rounds: int = 50,
    tolerance: Fraction = Fraction(0),
    eta: Fraction = ETA,
    step: Fraction = STEP,
    time_limit: float | None = SOLVE_TIME_LIMIT,
    patience: int | None = SOLVE_PATIENCE,
    route: str = "auto",
    set_search: str = "auto",
    progress: Callable[[equilibrium.Step], None] | None = None,
    source: str = MEMORY,
) -> Solution:
    """Benchmarks, an equilibrium found by best-response dynamics, and the theorem's bound.

    Computes OPT (Definition 2), ``U_A(C*)`` (Definition 8) and the alignment
    error (Definition 1, Remark 2), searches for a Nash equilibrium of the
    senders, and checks the bound ``U_A(C*) - 2 eps`` (non-negative ``eps``) of
    the game's theorem (Theorem 1, or Theorem 6 for best-AI selection).  Both
    theorems speak of exact equilibria: see ``bound.exact_equilibrium``.

    Parameters
    ----------
    instance : Instance
        The instance to solve.
    game : str, optional
        A name of :data:`persuasion.games.GAMES`; by default ``protocol.game``.
    start : Profile or str
        A profile, a name of :data:`persuasion.starts.AUTO`, or ``"auto"``.
    order, seed, max_rounds, tolerance, eta, step, time_limit, patience, route, set_search
        How the dynamics run and the best responses are found (:class:`SolveParameters`).
    progress : callable, optional
        Called with every :class:`~persuasion.equilibrium.Step` of the dynamics.
    source : str
        How errors name the instance (its file).

    Returns
    -------
    Solution

    Raises
    ------
    InputError
        If the instance's protocol cannot be played by this version.
    ValueError
        For an unknown game, start, route or set search.
    TimeLimitTooShort
        If the time limit passes before any profile could be judged exactly.
    """
    named = start if isinstance(start, str) else "given profile"
    parameters = SolveParameters(
        order, seed, named, max_rounds, tolerance, eta, step, time_limit, patience, route,
        set_search,
    )  # fmt: skip
    return _solve(instance, _game(instance, game), start, parameters, progress, source)


def _solve(
    instance: Instance,
    entry: GameEntry,
    start: Profile | str,
    parameters: SolveParameters,
    progress: Callable[[equilibrium.Step], None] | None,
    source: str,
) -> Solution:
    check_supported(instance, source)
    p = parameters
    options = dict(order=p.order, seed=p.seed, max_rounds=p.max_rounds, tolerance=p.tolerance)
    options.update(eta=p.eta, step=p.step, time_limit=p.time_limit, patience=p.patience)
    with _engine(p.route, p.set_search):
        aligns = alignment(instance)
        aligned = _aligned(instance, p.eta)
        dyn, start_name = find_equilibrium(
            instance, start, game=entry, progress=progress, **options
        )
        found = _equilibrium(instance, entry, dyn, start_name)
    return Solution(
        instance=instance,
        game=entry.name,
        first_best=_first_best(instance),
        aligned=aligned,
        alignment=aligns,
        equilibrium=found,
        bound=_bound(entry, aligned.value, aligns.nonnegative.epsilon, found),
        parameters=parameters,
    )


def _first_best(instance: Instance) -> Fraction:
    from persuasion.receiver import first_best

    return first_best(instance)


def _equilibrium(
    instance: Instance, entry: GameEntry, dyn: equilibrium.Dynamics, start: str
) -> Equilibrium:
    return Equilibrium(
        **_play(instance, entry, dyn.profile),
        deviations=_deviations(instance, dyn.deviations),
        nash_gap=dyn.nash_gap,
        converged=dyn.converged,
        status=Status(dyn.status),
        stop_reason=dyn.stop_reason,
        rounds=dyn.rounds,
        start=start,
    )


def _bound(
    entry: GameEntry, aligned_value: Fraction, epsilon: Fraction, found: Equilibrium
) -> Bound:
    value = entry.bound(aligned_value, epsilon)
    return Bound(
        value=value,
        epsilon=epsilon,
        holds=found.alice_utility >= value,
        exact_equilibrium=found.nash_gap == 0,
        theorem=entry.theorem,
        formula=entry.formula,
    )


def verify(
    instance: Instance,
    profile: Profile,
    *,
    game: str | None = None,
    eta: Fraction = ETA,
    route: str = "auto",
    set_search: str = "auto",
    source: str = MEMORY,
) -> Verification:
    """Check a profile exactly: Alice's response, every utility, best deviations, the Nash gap.

    Parameters
    ----------
    instance : Instance
        The instance played.
    profile : Profile
        One scheme per sender (:func:`load_profile`, or built in code).
    game : str, optional
        A name of :data:`persuasion.games.GAMES`; by default the instance's own.
    eta : Fraction
        A reported best-response scheme comes within ``eta`` of an unattained supremum.
    route, set_search : str
        How every best response finds its supremum.
    source : str
        How errors name the instance (its file).

    Returns
    -------
    Verification

    Raises
    ------
    InputError
        If the instance's protocol cannot be played by this version.
    ValueError
        For an unknown game, route or set search.
    """
    from persuasion.equilibrium import deviations, nash_conv, nash_gap

    entry = _game(instance, game)
    check_supported(instance, source)
    with _engine(route, set_search):
        devs = deviations(instance, profile, eta, entry.exact_game())
        play = _play(instance, entry, profile)
    return Verification(
        **play,
        deviations=_deviations(instance, devs),
        nash_gap=nash_gap(devs),
        nash_conv=nash_conv(devs),
        game=entry.name,
        eta=eta,
    )


def best_response(
    instance: Instance,
    profile: Profile,
    sender: int | str,
    *,
    game: str | None = None,
    eta: Fraction = ETA,
    route: str = "auto",
    set_search: str = "auto",
) -> BestResponseResult:
    """A sender's exact best response to the other senders' schemes in ``profile``.

    Parameters
    ----------
    instance : Instance
        The instance played.
    profile : Profile
        The schemes of the other senders (the sender's own is ignored).
    sender : int or str
        The sender: an index or a name.
    game : str, optional
        A name of :data:`persuasion.games.GAMES`; by default the instance's own.
    eta : Fraction
        The scheme returned comes within ``eta`` of an unattained supremum.
    route, set_search : str
        How the best response finds its supremum.

    Returns
    -------
    BestResponseResult

    Raises
    ------
    ValueError
        For an unknown sender, game, route or set search.
    """
    entry = _game(instance, game)
    index = _sender_index(instance, sender)
    with _engine(route, set_search):
        best = entry.respond(instance, profile, index, eta)
    return _best(instance, index, best)


# ---------------------------------------------------------------- certificates


def _claims(instance: Instance, asked: Sequence[str] | None, source: str) -> list[str]:
    """The claims to certify: those asked (all by default) that apply to the instance's game.

    A game claim about another game is refused when asked for, and left out
    otherwise; so are every game's claims when the protocol cannot be played.
    """
    from persuasion.check.core import CLAIMS

    entry = _game(instance, None)
    every_game = set(game_claims())
    other_game = every_game - set(entry.claims)
    unknown = [c for c in asked or () if c not in CLAIMS]
    if unknown:
        raise ValueError(f"unknown claim {unknown[0]!r} (choose from {', '.join(CLAIMS)})")
    wanted = set(asked or CLAIMS)
    if wanted & other_game and asked:
        raise InputError(
            source,
            f"{', '.join(sorted(wanted & other_game))} is about the other game; "
            f"this instance plays {entry.name}",
        )
    if asked and wanted & every_game:
        check_supported(instance, source)
    skip = other_game | (every_game if unsupported(instance) else set())
    return [c for c in CLAIMS if c in wanted and c not in skip]


def _claim(certificate: dict) -> Claim:
    import json

    from persuasion.certify import summary

    row = summary(certificate)
    return Claim(
        name=row["name"],
        cites=row["cites"],
        holds=row["holds"],
        statement=row["statement"],
        hypotheses=row["hypotheses"],
        conclusion_text=row["conclusion_text"],
        slack=None if row["slack"] is None else Fraction(row["slack"]),
        certificate_text=json.dumps(certificate, indent=1) + "\n",
    )


def certify(
    instance: Instance,
    profile: Profile | None = None,
    *,
    claims: Sequence[str] | None = None,
    eta: Fraction = ETA,
    lam: Fraction | None = None,
    hoeffding_epsilon: Fraction = Fraction(1, 10),
    failure_probability: Fraction = Fraction(1, 20),
    route: str = "auto",
    set_search: str = "auto",
    source: str = MEMORY,
) -> Certification:
    """Machine-checkable certificates of the paper's claims on an instance.

    Each certificate (``persuasion-certificate/2``) can be re-checked by the
    solver-free kernel (:func:`check`).  The game claims that apply are those
    of the instance's game (:attr:`persuasion.games.GameEntry.claims`).

    Parameters
    ----------
    instance : Instance
        The instance.
    profile : Profile, optional
        The profile of Theorem 1 or 6; by default the equilibrium that
        :func:`find_equilibrium` finds from ``"auto"``.
    claims : sequence of str, optional
        Names from :data:`persuasion.check.CLAIMS`; by default every claim
        that applies to the instance.
    eta : Fraction
        A reported best-response scheme comes within ``eta`` of an unattained supremum.
    lam : Fraction, optional
        Quantal-response rationality for Lemmas 1-2 and Proposition 2; by
        default the instance's, else 10.
    hoeffding_epsilon : Fraction
        The alignment tolerance of Proposition 3's sample bound.
    failure_probability : Fraction
        Proposition 3's failure probability ``delta``, in (0, 1).
    route, set_search : str
        How every best response finds its supremum.
    source : str
        The instance's file: errors name it, and certificates embed its exact text
        (else the instance written out), so that ``check`` can compare it with the file.

    Returns
    -------
    Certification

    Raises
    ------
    InputError
        If a claim asked for is about another game, or a game claim is asked
        of a protocol this version cannot play.
    ValueError
        For an unknown claim, route or set search.
    """
    chosen = _claims(instance, claims, source)
    analytic = dict(lam=lam, hoeffding_epsilon=hoeffding_epsilon, delta=failure_probability)
    with _engine(route, set_search):
        made = _certificates(instance, chosen, profile, eta, analytic, source)
    return Certification(instance, tuple(_claim(c) for c in made))


def _certificates(
    instance: Instance,
    chosen: list[str],
    profile: Profile | None,
    eta: Fraction,
    analytic: dict[str, Any],
    source: str,
) -> list[dict]:
    """The certificates of ``chosen``; a claim about a profile, without one, is about the
    equilibrium :func:`find_equilibrium` finds from ``"auto"``."""
    from persuasion.certify import certify as make

    if set(profile_claims()) & set(chosen) and profile is None:
        profile = find_equilibrium(instance, "auto", eta=eta)[0].profile
    path = None if source == MEMORY else source
    return make(instance, chosen, profile=profile, eta=eta, path=path, **analytic)


def _frozen(value: Any) -> Any:
    """A derived conclusion value with every list made a tuple."""
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


def check(
    certificate: str | Path | dict | Claim, instance: str | Path | bytes | None = None
) -> CheckResult:
    """Re-derive a certificate's claim exactly with the solver-free kernel (``persuasion check``).

    Parameters
    ----------
    certificate : str, Path, dict or Claim
        A certificate file, the parsed certificate, or a claim of :func:`certify`.
    instance : str, Path or bytes, optional
        Your own instance file (or its bytes): the certificate is valid only
        if it embeds exactly this instance (same sha256).

    Returns
    -------
    CheckResult
        ``valid`` with the derived claim, or the first thing that does not check.

    Raises
    ------
    InputError
        If a file cannot be read or is not JSON.
    """
    from persuasion.check import Invalid, check as kernel
    from persuasion.errors import one_line
    from persuasion.jsonio import read_bytes, read_json

    own = read_bytes(instance) if isinstance(instance, str | Path) else instance
    if isinstance(certificate, Claim):
        certificate = certificate.certificate
    elif isinstance(certificate, str | Path):
        certificate = read_json(certificate)
    try:
        result = kernel(certificate, own)
    except Invalid as problem:
        return CheckResult(valid=False, problem=one_line(str(problem)))
    conclusion = tuple((key, _frozen(value)) for key, value in result["conclusion"].items())
    return CheckResult(True, result["claim"], result["holds"], conclusion)


# ---------------------------------------------------------------- sweeps


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
    played = SweepParameters(
        tuple(games), tuple(families), runs, seed,
        tuple(senders), tuple(states), tuple(actions), tuple(starts), noise, max_rounds, order,
        eta, step,
    )  # fmt: skip
    rows, instances = _sweep(_checked(played), jobs=jobs, dask=dask, progress=progress)
    return _sweep_result(rows, instances, folder, played, figures)


def _checked(played: SweepParameters) -> SweepParameters:
    """``played``, once every game and start it names is known (else ValueError)."""
    for name in played.games:
        game_entry(name)
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
    import contextlib

    from persuasion.experiments import sweep
    from persuasion.experiments.runs import Settings

    p = played
    settings = Settings(
        games=p.games,
        starts=p.starts,
        max_rounds=p.max_rounds,
        order=p.order,
        eta=p.eta,
        delta=p.step,
        noise=p.noise,
    )
    with contextlib.ExitStack() as stack:
        client = None
        if dask is not None:
            try:
                client = stack.enter_context(sweep.connect(dask, jobs))
            except sweep.DaskError as exc:
                raise OptionError(str(exc)) from None
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
