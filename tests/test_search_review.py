"""``persuasion search`` against hostile predicates (the adversarial review of issue 10): a
finding without an exact equilibrium is written without a certificate, a predicate that changes its
answer or exits is one line and exit status 2, a predicate's prints never reach stdout."""

from __future__ import annotations

import json
import os
import random
import textwrap

import pytest

from conftest import console_env

PREDICATES = textwrap.dedent(
    """
    import sys

    calls = []

    def once(instance):
        calls.append(1)
        return len(calls) == 1

    def exiter(instance):
        sys.exit(3)
    """
)

LOUD = textwrap.dedent(
    """
    print("printed while importing")

    def printer(instance):
        print("printed by the predicate")
        return True
    """
)

NO_EQUILIBRIUM = textwrap.dedent(
    """
    import persuasion.counterexamples.finding as finding

    finding.equilibrium_of = lambda instance, game: None  # as if the dynamics found none

    def always(instance):
        return True
    """
)


@pytest.fixture
def run(tmp_path, console):
    """The installed program with the review's predicates importable (hostile, loud, noeq)."""
    (tmp_path / "hostile.py").write_text(PREDICATES)
    (tmp_path / "noeq.py").write_text(NO_EQUILIBRIUM)
    (tmp_path / "loud.py").write_text(LOUD)
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH")) if p)
    env = console_env(console.home, PYTHONPATH=path)

    def search(*argv: str):
        return console("search", "--budget", "20", *argv, env=env, cwd=tmp_path)

    return search


def test_a_finding_without_an_exact_equilibrium_is_written_without_a_certificate(tmp_path, run):
    made = run("--property", "noeq:always", "--jobs", "1", "--out", str(tmp_path / "ne"))
    assert made.returncode == 0 and "Traceback" not in made.stderr, made.stderr
    assert "minimised: score 1" in made.stdout and "there is no certificate" in made.stdout
    assert sorted(p.name for p in (tmp_path / "ne").iterdir()) == [
        "finding.json", "instance.json", "search-state.jsonl",
    ]  # fmt: skip
    assert json.loads((tmp_path / "ne" / "finding.json").read_text())["claim"] is None
    again = run("--property", "noeq:always", "--jobs", "1", "--out", str(tmp_path / "ne"))
    assert again.returncode == 2  # the folder is not empty; --resume concludes the same way
    resumed = run(
        "--property", "noeq:always", "--jobs", "1", "--out", str(tmp_path / "ne"), "--resume"
    )
    assert resumed.returncode == 0 and resumed.stdout == made.stdout, resumed.stderr


@pytest.mark.parametrize("json_flag", [(), ("--json",)])
def test_a_predicate_that_changes_its_answer_is_one_line_and_status_2(run, json_flag):
    made = run("--property", "hostile:once", "--jobs", "1", *json_flag)
    assert made.returncode == 2 and made.stdout == "", made.stdout
    assert made.stderr.count("\n") == 1 and "must give the same answer" in made.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_predicates_prints_go_to_stderr_not_into_the_json(run, jobs):
    made = run("--property", "loud:printer", "--jobs", jobs, "--budget", "40", "--json")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["score"] == "1"
    assert "printed by the predicate" in made.stderr and "printed while importing" in made.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_predicate_calling_sys_exit_is_one_line_and_status_2(run, jobs):
    made = run("--property", "hostile:exiter", "--jobs", jobs, "--budget", "40")
    assert made.returncode == 2 and made.stdout == ""
    assert made.stderr == "persuasion: error: --property hostile:exiter: called sys.exit(3)\n"


# ---------------------------------------------------------------- the time limit


def test_the_time_limit_stops_the_restart_in_progress(console):
    # with --time-limit 0 the first evaluation's end is past the deadline: the restart in progress
    # stops there and has no record (the search used to finish it: 1/2 restarts)
    run = console(
        "search", "--property", "hull-failure", "--budget", "40", "--senders", "1", "--jobs", "1",
        "--time-limit", "0", "--json",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["restarts_done"] == 0 and not report["complete"] and report["score"] is None


def test_minimisation_stops_at_a_deadline_keeping_the_last_point_accepted():
    from persuasion.counterexamples.minimise import minimise, minimised
    from persuasion.counterexamples.space import draw
    from persuasion.deadline import DeadlinePassed

    point = draw(random.Random(3), "free", "simultaneous", 2, 3, 3)
    calls = []

    def keeps(candidate) -> bool:  # any simpler point keeps the finding, until the deadline
        calls.append(candidate)
        if len(calls) > 1:
            raise DeadlinePassed
        return True

    first, done = minimised(point, keeps)
    assert not done and first == calls[0] and first != point
    assert minimise(point, lambda p: True) != first  # unhurried, it goes further


def test_a_predicate_module_in_the_current_folder_is_found(tmp_path, console):
    # as the how-to says: my_predicates.py in the folder the command runs in, no PYTHONPATH
    (tmp_path / "my_predicates.py").write_text(
        "def wide(instance):\n    return instance.num_actions >= 3\n"
    )
    run = console(
        "search", "--property", "my_predicates:wide", "--budget", "20", "--actions", "3",
        "--jobs", "2", "--json", cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["score"] == "1"


def test_a_deadline_around_the_dynamics_reaches_its_owner(catalog):
    # the search's deadline passes inside an evaluation's dynamics (which have no time limit of
    # their own): it reaches the search, which drops the restart -- never a TypeError from the
    # dynamics' time-limit report, nor a predicate error
    import time

    from persuasion.counterexamples.properties import equilibrium_of
    from persuasion.deadline import DeadlinePassed, until

    instance = catalog("judge-prosecutor")
    with pytest.raises(DeadlinePassed), until(time.monotonic() - 1, time.monotonic):
        equilibrium_of(instance, "simultaneous")
    assert equilibrium_of(instance, "simultaneous") is not None  # unhurried, as before
