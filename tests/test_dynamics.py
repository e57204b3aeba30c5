"""Bounded best-response dynamics (issue 8, points 5 and 6): the time limit, short schemes,
progress, Ctrl-C.

The time limit is tested with an injected clock (no timing assertion); the
denominators on a game where they grew before (up to 13 digits in 20 rounds);
every reported gap is recomputed independently with
:func:`persuasion.equilibrium.nash_gap` over fresh exact deviations.  The
installed program is run in a subprocess for the options and for Ctrl-C.
"""

from __future__ import annotations

import dataclasses
import json
import re
import select
import signal
import subprocess
import sys
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import CONSOLE_TIMEOUT, ROOT, console_env, console_script
from persuasion import deadline, limits
from persuasion.cli import EXIT_INTERRUPTED, INTERRUPTED
from persuasion.equilibrium import (
    SIMULTANEOUS,
    Deviation,
    Game,
    STATUSES,
    adopted_scheme,
    best_response_dynamics,
    deviations,
    nash_gap,
    rounded_scheme,
)
from persuasion.experiments.families import Size, generate, random_profile
from persuasion.instance import dump_instance
from persuasion.model import silent_profile
from persuasion.numbers import fmt
from persuasion.profile import dump_profile
from persuasion.api import find_equilibrium, solve, verify
from persuasion.results import Status
from persuasion.attainment import ROUNDING

ETA = Fraction(1, 1000)
JUDGE = str(ROOT / "instances" / "judge-prosecutor.json")


class Clock:
    """A fake clock that a best response moves on by one second (:func:`ticking`); reading it does
    not.

    The engine reads the clock between its nodes and LPs too (the deadline of
    :mod:`persuasion.deadline`), so a clock that moved on every reading would
    make the number of best responses in ``T`` seconds depend on the engine.
    """

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def ticking(clock: Clock, game: Game = SIMULTANEOUS) -> Game:
    """``game`` with every best response taking one second of ``clock``."""

    def respond(instance, profile, i, eta):
        answer = game.respond(instance, profile, i, eta)
        clock.now += 1
        return answer

    return Game(game.name, game.outcome, respond)


def timed(inst, start, seconds, game: Game = SIMULTANEOUS, **options):
    """Best-response dynamics from ``start`` where every best response takes one second of a fake
    clock."""
    clock = Clock()
    return best_response_dynamics(
        inst, start, time_limit=seconds, clock=clock, game=ticking(clock, game), **options
    )


def wandering():
    """A 2-sender, 3-state, 3-action game whose dynamics from silence never settle (its
    denominators grew to 13 digits in 20 rounds before schemes were shortened)."""
    return generate("random", 11, Size(2, 3, 3))


def exact_gap(instance, profile) -> Fraction:
    return nash_gap(deviations(instance, profile, ETA))


def recording(visited: list):
    """The simultaneous game, noting every profile a best response is computed at."""

    def respond(instance, profile, i, eta):
        visited.append(profile)
        return SIMULTANEOUS.respond(instance, profile, i, eta)

    return Game("recording", SIMULTANEOUS.outcome, respond)


# ---------------------------------------------------------------- the time limit


def test_time_limit_reports_the_best_profile_met_with_its_exact_gap():
    inst = wandering()
    dyn = timed(inst, silent_profile(inst), 9)
    assert dyn.status == "time-limit" and not dyn.converged
    assert dyn.stop_reason.startswith("time limit reached (9 s)")
    assert dyn.rounds >= 1
    # the same dynamics without a limit, cut after the rounds completed, met the same best profile
    reference = best_response_dynamics(inst, silent_profile(inst), max_rounds=dyn.rounds)
    assert reference.status == "max-rounds"
    assert dyn.profile == reference.profile
    assert dyn.nash_gap == reference.nash_gap == exact_gap(inst, dyn.profile) > 0


def test_a_longer_time_limit_never_reports_a_worse_gap():
    inst = wandering()
    gaps = [timed(inst, silent_profile(inst), t).nash_gap for t in (3, 9, 15)]
    assert gaps == sorted(gaps, reverse=True)


def test_time_limit_zero_judges_the_start_profile():
    inst = wandering()
    start = silent_profile(inst)
    dyn = timed(inst, start, 0)
    assert (dyn.status, dyn.rounds, dyn.profile) == ("time-limit", 0, start)
    assert dyn.nash_gap == exact_gap(inst, start) > 0


def test_time_limit_inside_the_first_round_judges_the_profile_reached():
    inst = wandering()
    visited: list = []
    dyn = timed(inst, silent_profile(inst), 2, recording(visited))
    assert (dyn.status, dyn.rounds) == ("time-limit", 0)
    assert dyn.profile != silent_profile(inst)  # sender 0 moved before the limit passed
    assert dyn.nash_gap == exact_gap(inst, dyn.profile)


def test_time_limit_of_auto_covers_every_start():
    """A run stopped by the limit is the last start tried."""
    inst = wandering()
    dyn, start = find_equilibrium(inst, "auto", time_limit=0, clock=Clock())
    if dyn.status == "converged":  # the revealing profile is an equilibrium here
        assert start == "revealing" and dyn.nash_gap == 0
    else:
        assert (dyn.status, start) == ("time-limit", "revealing")
    assert dyn.nash_gap == exact_gap(inst, dyn.profile)
    tried = []
    find_equilibrium(inst, "silent", time_limit=0, clock=Clock(), progress=tried.append)
    assert {s.start for s in tried} == {"silent"}


def test_solve_says_why_it_stopped():
    inst = wandering()
    eq = solve(inst, start="silent", time_limit=0).equilibrium
    assert (eq.status, eq.converged, eq.rounds) == (Status.TIME_LIMIT, False, 0)
    assert eq.nash_gap == verify(inst, silent_profile(inst)).nash_gap
    assert solve(inst, start="revealing").equilibrium.status in STATUSES


def test_the_documented_time_limits_are_those_of_the_module():
    page = (ROOT / "docs" / "reference" / "limits.md").read_text(encoding="utf-8")
    for name in (
        "SOLVE_TIME_LIMIT",
        "SOLVE_PATIENCE",
        "SOLVE_JUDGE_GRACE",
        "INTERRUPT_GRACE_SECONDS",
    ):
        assert re.search(rf"^\| `{name}` \| {getattr(limits, name)} \|", page, flags=re.M), name
    commands = (ROOT / "docs" / "reference" / "commands.md").read_text(encoding="utf-8")
    assert f"| `--time-limit SECONDS` | `{limits.SOLVE_TIME_LIMIT}` |" in commands


# ---------------------------------------------------------------- short schemes


def test_denominators_stay_short_and_every_gap_is_exact():
    inst = wandering()
    visited: list = []
    dyn = best_response_dynamics(inst, silent_profile(inst), max_rounds=12, game=recording(visited))
    longest = max(
        p.denominator for profile in visited for s in profile.schemes for row in s for p in row
    )
    assert longest <= ROUNDING[-1]  # before: 13 digits within 12 rounds
    assert dyn.nash_gap == exact_gap(inst, dyn.profile)
    for dev in dyn.deviations:  # the deviations reported are those of the profile reported
        assert dev == deviations(inst, dyn.profile, ETA)[dev.sender]


def test_a_move_far_from_the_best_is_rounded_within_eta():
    inst = wandering()
    profile = silent_profile(inst)
    dev = Deviation(
        0,
        SIMULTANEOUS.outcome(inst, profile).sender_utilities[0],
        SIMULTANEOUS.respond(inst, profile, 0, ETA),
    )
    assert dev.gain > ETA
    for eta in (ETA, Fraction(1, 10)):
        scheme = adopted_scheme(inst, profile, dev, eta)
        value = SIMULTANEOUS.outcome(inst, profile.replace(0, scheme)).sender_utilities[0]
        assert value >= dev.best.value - eta
        assert all(sum(row) == 1 and min(row) >= 0 for row in scheme)


def test_a_move_within_eta_takes_the_exact_best_response():
    inst = wandering()
    profile = silent_profile(inst)
    dev = Deviation(
        0,
        SIMULTANEOUS.outcome(inst, profile).sender_utilities[0],
        SIMULTANEOUS.respond(inst, profile, 0, ETA),
    )
    near = dataclasses.replace(dev, value=dev.best.value - ETA)
    from persuasion.equilibrium import best_scheme

    assert adopted_scheme(inst, profile, near, ETA) == best_scheme(inst, 0, dev.best)


@given(
    st.lists(
        st.lists(st.fractions(0, 1, max_denominator=10**12), min_size=2, max_size=4),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(ROUNDING),
)
def test_rounded_scheme_is_a_nearby_distribution_on_the_grid(rows, denominator):
    scheme = tuple(
        tuple(p / sum(row) if sum(row) else Fraction(1, len(row)) for p in row) for row in rows
    )
    rounded = rounded_scheme(scheme, denominator)
    if rounded is None:
        return
    for old, new in zip(scheme, rounded, strict=True):
        assert sum(new) == 1 and min(new) >= 0
        assert all((p * denominator).denominator == 1 for p in new)
        assert max(abs(a - b) for a, b in zip(old, new, strict=True)) <= Fraction(
            len(old), denominator
        )


# ---------------------------------------------------------------- progress


def test_progress_is_told_of_every_best_response():
    inst = wandering()
    visited: list = []
    steps = []
    dyn = best_response_dynamics(
        inst, silent_profile(inst), max_rounds=3, game=recording(visited), progress=steps.append
    )
    assert len(steps) == len(visited)
    assert [s.round for s in steps] == sorted(s.round for s in steps) and steps[
        -1
    ].round == dyn.rounds == 3
    assert steps[0].best_gap is None and steps[-1].best_gap is not None
    assert any(s.judging for s in steps) and any(not s.judging for s in steps)


def test_progress_lines_off_a_terminal_only_when_asked(console):
    silent = console("solve", JUDGE, "--json")
    assert silent.returncode == 0 and silent.stderr == ""
    asked = console("solve", JUDGE, "--json", "--start", "silent", "--progress")
    assert asked.returncode == 0
    assert json.loads(asked.stdout)["equilibrium"]["start"] == "silent"
    lines = asked.stderr.splitlines()
    assert lines and all(line.startswith("solve (silent): round ") for line in lines)
    assert console("solve", JUDGE, "--progress", "--no-progress").returncode == 2


def test_no_rich_without_progress(tmp_path):
    code = (
        "import sys; from persuasion.cli import main; main(['solve', sys.argv[1], '--json']); "
        "sys.stderr.write(str('rich' in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, JUDGE],
        capture_output=True,
        text=True,
        env=console_env(tmp_path),
        timeout=CONSOLE_TIMEOUT,
    )
    assert done.stderr.strip().endswith("False")


def test_time_limit_option(console):
    result = console("solve", JUDGE, "--json", "--start", "silent", "--time-limit", "0")
    assert result.returncode == 0 and result.stderr == ""
    eq = json.loads(result.stdout)["equilibrium"]
    assert (eq["status"], eq["rounds"]) == ("time-limit", 0)
    assert console("solve", JUDGE, "--json", "--time-limit", "none").returncode == 0
    bad = console("solve", JUDGE, "--time-limit", "-1")
    assert (
        bad.returncode == 2 and len(bad.stderr.splitlines()) == 1 and "--time-limit" in bad.stderr
    )


# ---------------------------------------------------------------- Ctrl-C


def _line(stream, seconds: float) -> str:
    """One line of ``stream``, waiting at most ``seconds`` (a hang fails the test)."""
    ready, _, _ = select.select([stream], [], [], seconds)
    assert ready, f"no output within {seconds} s"
    return stream.readline()


def test_ctrl_c_stops_a_long_solve_with_one_line(tmp_path):
    game = tmp_path / "long.json"
    game.write_text(
        json.dumps(dump_instance(generate("random", 4, Size(3, 3, 3))))
    )  # minutes from silence
    argv = [
        str(console_script()),
        "solve",
        str(game),
        "--start",
        "silent",
        "--time-limit",
        "none",
        "--progress",
    ]
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=console_env(tmp_path),
        text=True,
    )
    try:
        assert _line(proc.stderr, 120).startswith("solve (silent): round 1/50")
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        rest = proc.stderr.read()
        out = proc.stdout.read()
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == EXIT_INTERRUPTED
    assert rest.splitlines()[-1] == INTERRUPTED and rest.count(INTERRUPTED) == 1
    assert "Traceback" not in rest and out == ""


# -------------------------------------------------------------- the deadline inside a best response


def test_the_deadline_stops_a_best_response_from_inside():
    """The clock jumps past the limit as the 5th best response starts: the engine's own checks stop
    it, and the dynamics report the best profile judged before, exactly as a run cut there would."""
    inst = wandering()
    clock = Clock()
    calls = []

    def respond(instance, profile, i, eta):
        calls.append(i)
        if len(calls) == 5:
            clock.now = 1000.0
        return SIMULTANEOUS.respond(instance, profile, i, eta)

    game = Game("jumping", SIMULTANEOUS.outcome, respond)
    dyn = best_response_dynamics(inst, silent_profile(inst), time_limit=100, clock=clock, game=game)
    assert len(calls) == 5  # the 5th best response was cut, no 6th began
    assert (dyn.status, dyn.rounds) == ("time-limit", 1)
    reference = best_response_dynamics(inst, silent_profile(inst), max_rounds=1)
    assert (dyn.profile, dyn.nash_gap) == (reference.profile, reference.nash_gap)
    assert dyn.nash_gap == exact_gap(inst, dyn.profile)


@pytest.mark.parametrize("engine", ["cells", "simplex", "lp", "compact-milp"])
def test_every_engine_loop_checks_the_deadline(engine):
    from persuasion.cells import certified_responses
    from persuasion.compact_milp import compact_milp
    from persuasion.lp import LinearProgram, solve
    from persuasion.lp.simplex import exact_simplex
    from persuasion.problem import deviation_problem

    inst = wandering()
    problem = deviation_problem(
        inst, silent_profile(inst).replace(0, ((Fraction(1, 2),) * 2 + (0,),) * 3), 1
    )
    lp = LinearProgram("max")
    x = lp.add_variable(1)
    lp.add_constraint({x: 1}, "<=", 1)
    run = {
        "cells": lambda: certified_responses(problem),
        "simplex": lambda: exact_simplex(lp.freeze()),
        "lp": lambda: solve(lp),
        "compact-milp": lambda: compact_milp(problem),
    }[engine]
    assert run()  # no deadline: it runs
    with deadline.until(5.0, lambda: 4.0):
        assert run()  # before the deadline: it runs
    with deadline.until(5.0, lambda: 5.0), pytest.raises(deadline.DeadlinePassed):
        run()
    assert run()  # the deadline ends with its block


def test_the_deadline_stops_a_highs_solve_already_running():
    """A float MILP (the compact or the set MILP of a limited best response) is one HiGHS run with
    no exact LP inside: the deadline is checked while HiGHS solves, not only before. The clock
    passes the deadline at its second reading, after the solve has started in its worker thread."""
    import highspy
    import numpy as np

    from persuasion.lp.highs import MAIN_THREAD_NONZEROS, run

    rng = np.random.default_rng(0)
    n = m = 400
    h = highspy.Highs()
    if not hasattr(h, "cancelSolve"):
        pytest.skip(
            "highspy before 1.8 cannot stop a solve it has started (the oldest supported is 1.7.2)"
        )
    h.setOptionValue("output_flag", False)
    h.setOptionValue("presolve", "off")
    a = rng.integers(1, 100, size=(m, n)).astype(float)
    h.passModel(
        n,
        m,
        m * n,
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMaximize),
        0.0,
        rng.integers(1, 100, size=n).astype(float),
        np.zeros(n),
        np.full(n, highspy.kHighsInf),
        np.full(m, -highspy.kHighsInf),
        np.full(m, 1000.0),
        (np.arange(n) * m).astype(np.int32),
        np.tile(np.arange(m, dtype=np.int32), n),
        a.T.ravel().copy(),
        np.zeros(n, dtype=np.int32),
    )
    assert m * n > MAIN_THREAD_NONZEROS  # solved in a worker thread
    readings = iter([4.0])
    with deadline.until(5.0, lambda: next(readings, 5.0)), pytest.raises(deadline.DeadlinePassed):
        run(h, m * n)


def test_a_time_limit_shorter_than_one_best_response_says_so_in_one_line(tmp_path, console):
    """Sender 0's best response at this start takes minutes (over 150 s measured); with the deadline
    the solve ends in seconds: the limit, then the grace to judge, pass inside best responses."""
    inst = generate("random", 0, Size(3, 6, 4))
    game, start = tmp_path / "big.json", tmp_path / "start.json"
    game.write_text(json.dumps(dump_instance(inst)))
    start.write_text(json.dumps(dump_profile(random_profile(inst, 0), inst)))
    result = console("solve", str(game), "--start", str(start), "--time-limit", "1", "--json")
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "raise --time-limit" in result.stderr
    assert result.stderr.startswith(f"persuasion: error: {game}: the time limit (1 s)")


# ---------------------------------------------------------------- cycles and stalls


def _pennies():
    """A toy game on a 2-state instance: sender 0 wants to copy sender 1's scheme, sender 1 wants to
    differ from sender 0's (silent or revealing): best responses go round in a cycle of 4
    profiles."""
    inst = wandering()
    from persuasion.model import revealing_profile

    silent, revealing = silent_profile(inst).schemes[0], revealing_profile(inst).schemes[0]

    def outcome(instance, profile):
        same = Fraction(profile.schemes[0] == profile.schemes[1])
        return dataclasses.replace(
            SIMULTANEOUS.outcome(instance, profile), sender_utilities=(same, 1 - same)
        )

    def respond(instance, profile, i, eta):
        from persuasion.sender import BestResponse

        target = (
            profile.schemes[1]
            if i == 0
            else (revealing if profile.schemes[0] == silent else silent)
        )
        columns = tuple(((k,), tuple(row[k] for row in target)) for k in range(len(target[0])))
        return BestResponse(Fraction(1), True, columns, Fraction(1), "toy", "lp", "exact", None)

    return inst, Game("pennies", outcome, respond), silent, revealing


def test_a_cycle_of_profiles_stops_the_dynamics_and_is_named():
    inst, game, silent, revealing = _pennies()
    start = silent_profile(inst)
    dyn = best_response_dynamics(inst, start, game=game, max_rounds=50)
    # round 1: (silent, revealing); round 2: (revealing, silent); round 3: (silent, revealing) again
    assert (dyn.status, dyn.rounds) == ("cycle", 3)
    assert dyn.stop_reason.startswith("cycle: ")
    assert dyn.profile.schemes == (silent, revealing)  # the first of the equally bad profiles met
    assert dyn.nash_gap == 1 and [d.gain for d in dyn.deviations] == [1, 0]


def test_patience_stops_creeping_dynamics_at_the_best_profile_met():
    """From silence this game's Nash gap falls by less than eta = 1/1000 a round (0.0432, 0.0425,
    0.0418, ...: still 0.03 after 30 rounds): with patience 3 the dynamics stop after 1 + 3
    rounds."""
    inst = wandering()
    dyn = best_response_dynamics(inst, silent_profile(inst), patience=3, max_rounds=50)
    assert (dyn.status, dyn.rounds) == ("stalled", 4)
    assert dyn.stop_reason.startswith(
        "stalled: the last 3 rounds each lowered the smallest Nash gap met by 1/1000"
    )
    # the profile and gap reported are those of the same dynamics cut after 4 rounds
    cut = best_response_dynamics(inst, silent_profile(inst), max_rounds=4)
    assert (cut.status, cut.profile, cut.nash_gap) == ("max-rounds", dyn.profile, dyn.nash_gap)
    assert dyn.nash_gap == exact_gap(inst, dyn.profile) > 0
    best = [
        best_response_dynamics(inst, silent_profile(inst), max_rounds=r).nash_gap
        for r in (1, 2, 3, 4)
    ]
    assert all(
        0 < earlier - later <= ETA for earlier, later in pairwise(best)
    )  # progress, by eta at most
    assert (
        best_response_dynamics(inst, silent_profile(inst), patience=None, max_rounds=8).status
        == "max-rounds"
    )
    with pytest.raises(ValueError):
        best_response_dynamics(inst, silent_profile(inst), patience=0)


def test_patience_option(console, tmp_path):
    game = tmp_path / "wandering.json"
    game.write_text(json.dumps(dump_instance(wandering())))
    inst = wandering()
    expected = best_response_dynamics(inst, silent_profile(inst), patience=2)
    result = console("solve", str(game), "--json", "--start", "silent", "--patience", "2")
    assert result.returncode == 0
    eq = json.loads(result.stdout)["equilibrium"]
    assert (eq["status"], eq["rounds"], eq["nash_gap"]) == (
        "stalled",
        expected.rounds,
        fmt(expected.nash_gap),
    )
    assert console("solve", JUDGE, "--json", "--patience", "none").returncode == 0
    bad = console("solve", JUDGE, "--patience", "0")
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1 and "--patience" in bad.stderr
