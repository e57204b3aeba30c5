"""``persuasion search``: every property finds something from a fixed seed, the certificates
written check VALID (in-process and with the installed program), minimisation keeps the finding and
never grows the instance, a resumed search ends where an uninterrupted one does, bad options are one
line and exit status 2."""

from __future__ import annotations

import json
import random
import sys
import textwrap
from fractions import Fraction as F

import pytest

import persuasion as ps
from persuasion.cli import main
from persuasion.counterexamples.engine import Plan, run_restart
from persuasion.counterexamples.minimise import minimise
from persuasion.counterexamples.properties import oblivious_shortfall
from persuasion.counterexamples.space import SPACES, complexity, draw, instance_of
from persuasion.experiments.families import Size

FOUND = ("instance.json", "certificate.json", "finding.json")


def _search(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["search", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def _valid(folder, prefix: str = "") -> ps.CheckResult:
    """The certificate in ``folder`` checked by the kernel against the instance file beside it."""
    verdict = ps.check(folder / f"{prefix}certificate.json", folder / f"{prefix}instance.json")
    assert verdict.valid, verdict.problem
    return verdict


def _profile(folder, instance, prefix: str = "") -> ps.Profile:
    return ps.load_profile(folder / f"{prefix}profile.json", instance)


# ---------------------------------------------------------------- the properties


def test_the_judge_and_prosecutor_show_the_oblivious_shortfall(catalog):
    # Appendix I (Theorem 7): OPT = 2, the oblivious senders leave Alice 5/3 (the instance file's
    # description derives both by hand): a shortfall of 1/3.
    found = oblivious_shortfall(catalog("judge-prosecutor"))
    assert found.score == F(1, 3)
    assert dict(found.numbers) == {"first_best": F(2), "alice_utility": F(5, 3)}


def test_oblivious_shortfall_is_rediscovered_small_and_certified(tmp_path, console):
    out = tmp_path / "found"
    result = ps.search("oblivious-shortfall", seed=0, out=out, jobs=1)  # the default budget
    assert result.complete and result.score > 0
    instance = ps.load(out / "instance.json")
    # judge/prosecutor-like: two senders, two states, two actions, Alice exactly aligned with
    # them (non-negative weights, Remark 2), each sender able to reveal the state
    assert result.size == (2, 2, 2) and instance.num_senders == 2
    assert ps.alignment(instance).nonnegative.epsilon == 0
    assert all(len(s.messages) == 2 for s in instance.senders)
    verdict = _valid(out)
    assert verdict.claim == "theorem-7" and verdict.holds
    derived = dict(verdict.conclusion)
    assert F(derived["first_best"]) - F(derived["alice_utility"]) == result.score
    assert F(derived["first_best"]) == ps.solve(instance).first_best
    run = console("check", str(out / "certificate.json"), "--instance", str(out / "instance.json"))
    assert run.returncode == 0 and run.stdout.startswith("VALID: theorem-7 holds"), run.stderr


@pytest.mark.parametrize(
    "name, game, claim",
    [
        ("theorem-1-tightness", "simultaneous", "theorem-1"),
        ("theorem-6-tightness", "best-ai-selection", "theorem-6"),
    ],
)
def test_tightness_reports_an_exact_ratio_at_a_certified_equilibrium(tmp_path, name, game, claim):
    out = tmp_path / name
    result = ps.search(name, seed=1, budget=60, senders=[1], states=[2], actions=[2], out=out)
    numbers = dict(result.numbers)
    assert result.score == numbers["ratio"] > 0
    instance = ps.load(out / "instance.json")
    assert instance.protocol.game == game
    profile = _profile(out, instance)
    # the numbers, re-derived independently: an exact equilibrium, U_A(C*), Remark 2's eps
    verified = ps.verify(instance, profile)
    assert verified.is_equilibrium and verified.alice_utility == numbers["alice_utility"]
    assert ps.solve(instance).aligned_value == numbers["aligned_value"]
    assert ps.alignment(instance).nonnegative.epsilon == numbers["epsilon"] > 0
    gap = numbers["aligned_value"] - numbers["alice_utility"]
    assert result.score == gap / (2 * numbers["epsilon"])
    assert result.score <= 1  # Theorems 1 and 6: the gap is at most 2 eps
    verdict = _valid(out)
    assert verdict.claim == claim and verdict.holds


def test_hull_failure_measures_the_gap_below_the_benchmark(tmp_path):
    out = tmp_path / "hull"
    result = ps.search(
        "hull-failure", seed=0, budget=60, senders=[1], states=[2], actions=[2], out=out
    )
    numbers = dict(result.numbers)
    assert result.score == numbers["gap"] == numbers["aligned_value"] - numbers["alice_utility"]
    assert result.score > 0 and 0 < numbers["epsilon"]
    assert result.score <= 2 * numbers["epsilon"]  # Theorem 1
    assert _valid(out).holds


def test_hull_failure_respects_max_epsilon(tmp_path):
    result = ps.search(
        "hull-failure", seed=0, budget=40, senders=[1], states=[2], actions=[2],
        max_epsilon=F(1, 2),
    )  # fmt: skip
    assert result.score is not None and dict(result.numbers)["epsilon"] <= F(1, 2)


def test_more_senders_give_alice_less(tmp_path):
    out = tmp_path / "more"
    result = ps.search("more-senders-less", seed=0, budget=200, out=out)
    assert result.score > 0
    full, fewer = ps.load(out / "instance.json"), ps.load(out / "fewer-instance.json")
    assert fewer.num_senders == full.num_senders - 1
    here = ps.verify(full, _profile(out, full))
    there = ps.verify(fewer, _profile(out, fewer, "fewer-"))
    assert here.is_equilibrium and there.is_equilibrium
    assert there.alice_utility - here.alice_utility == result.score
    for prefix in ("", "fewer-"):
        assert _valid(out, prefix).claim == "theorem-1"


LI_NORMAN = "collina-et-al-2025-more-senders-less-worst"


def _li_norman_point():
    """The catalog's Li-Norman instance as a search point."""
    from persuasion.counterexamples.space import Point

    game = ps.catalog.load(LI_NORMAN)
    return Point(
        "revealing", "simultaneous", (4, 1, 4), tuple(s.utility for s in game.senders), (3, 3),
        (2, 0, 1), game.alice_utility,
    )  # fmt: skip


def test_a_second_sender_lowers_the_worst_equilibrium_below_every_one_sender_one():
    # The catalog's instance (hand derivations in its file): bob1 revealing y1 with bob0 silent
    # is an equilibrium worth 10/9 to Alice; alone, bob0's optimal schemes must pool y1 with more
    # than 2/9 of y2 (a1 there), so every one gives her more than 4/3 -- the LP's floor.
    from persuasion.counterexamples.li_norman import worse_with_more
    from persuasion.counterexamples.properties import without

    game = ps.catalog.load(LI_NORMAN)
    found = worse_with_more(game)
    assert found.score == F(2, 9) and game.senders[found.dropped].name == "bob1"
    assert dict(found.numbers) == {
        "alice_utility": F(10, 9), "alice_floor_fewer": F(4, 3), "drop": F(2, 9)
    }  # fmt: skip
    here = ps.verify(game, found.profile)
    assert here.is_equilibrium and here.alice_utility == F(10, 9)
    alone = ps.verify(without(game, found.dropped), found.fewer_profile)
    assert alone.is_equilibrium and alone.alice_utility == F(16, 9) >= F(4, 3)


def test_the_li_norman_finding_is_written_with_every_certificate(tmp_path):
    from persuasion.counterexamples.engine import Plan, Record, evaluate
    from persuasion.counterexamples.finding import Conclusion, files
    from persuasion.lp import check_certificate

    plan = Plan("more-senders-less-worst", 0, 20, (Size(2, 3, 3),))
    point = _li_norman_point()
    finding = evaluate(plan, point)
    written = files(plan, Conclusion(Record(0, finding.score, point), point, finding))
    for name, data in written.items():
        (tmp_path / name).write_bytes(data)
    assert {"fewer-floor.json", "fewer-certificate.json", "certificate.json"} <= set(written)
    # the equilibria with both senders and with bob0 alone, each certified by the kernel
    assert dict(_valid(tmp_path).conclusion)["alice_utility"] == "10/9"
    assert dict(_valid(tmp_path, "fewer-").conclusion)["alice_utility"] == "16/9"
    # the floor: an exact LP certificate (its optimum is minus Alice's least utility)
    floor = json.loads((tmp_path / "fewer-floor.json").read_text())
    assert check_certificate(floor) is None and F(floor["value"]) == -F(4, 3)
    tampered = dict(floor, value="-3/2")
    with pytest.raises(Exception, match="value|objective|dual|primal"):
        check_certificate(tampered)
    assert json.loads(written["finding.json"])["dropped_sender"] == "bob1"


def test_nothing_found_for_li_norman_says_what_the_theory_says(capsys):
    # two states: the search meets no case in one restart; the report says why it may not
    status, text, err = _search(
        capsys, "--property", "more-senders-less-worst", "--budget", "20", "--states", "2",
        "--actions", "2", "--jobs", "1",
    )  # fmt: skip
    assert status == 0, err
    assert text.startswith("Search for more-senders-less-worst: seed 0, budget 20, 1/1 restarts")
    assert "nothing found: none within this budget" in text
    assert "Gentzkow and Kamenica 2017" in text and "Li and Norman" in text


# ---------------------------------------------------------------- polishing by an exact LP


def test_polishing_the_catalog_tightness_instance_raises_its_ratio_and_reverifies():
    # The 8/15 instance (U_A(C*) = 4/3, Alice 2/3 at silence, eps = 5/8): with silence held an
    # equilibrium, the LP over the sender's utility lowers eps to 1/2 -- the errors on (a0, y1)
    # and (a1, y1) must differ by at least 1 while silence stays his best -- a ratio of 2/3.
    from persuasion.counterexamples.polish import polish_tightness
    from persuasion.counterexamples.properties import tightness
    from persuasion.counterexamples.space import Point, instance_of

    game = ps.catalog.load("collina-et-al-2025-theorem-1-gap-8-15")
    point = Point(
        "revealing", "simultaneous", (1, 2), (game.senders[0].utility,), (2,), (1, 0),
        game.alice_utility,
    )  # fmt: skip
    found = tightness("simultaneous")(game)
    polished, better = polish_tightness(point, found)
    assert found.score == F(8, 15) and better.score == F(2, 3) >= found.score
    assert dict(better.numbers)["epsilon"] == F(1, 2)
    assert polished.utilities == (((F(0), F(0)), (F(1), F(0))),)
    instance = instance_of(polished)
    assert ps.verify(instance, better.profile).is_equilibrium
    assert ps.alignment(instance).nonnegative.epsilon == F(1, 2)
    claim = ps.certify(instance, better.profile, claims=["theorem-1"])["theorem-1"]
    assert ps.check(claim).valid


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_polishing_never_lowers_a_finding_and_it_reverifies(tmp_path, seed):
    options = dict(seed=seed, budget=40, senders=[1, 2], states=[2], actions=[2], jobs=1)
    plain = ps.search("theorem-1-tightness", **options)
    out = tmp_path / "polished"
    polished = ps.search("theorem-1-tightness", polish=True, out=out, **options)
    assert plain.polished is None and polished.polished in (True, False)
    assert polished.score >= plain.score
    assert polished.to_json()["polished"] == polished.polished
    numbers = dict(polished.numbers)
    instance = ps.load(out / "instance.json")
    assert ps.verify(instance, _profile(out, instance)).is_equilibrium
    assert ps.alignment(instance).nonnegative.epsilon == numbers["epsilon"]
    assert polished.score == numbers["ratio"] <= 1  # Theorem 1
    assert _valid(out).holds
    assert json.loads((out / "finding.json").read_text())["polished"] == polished.polished


def test_the_installed_program_polishes_and_refuses_polish_elsewhere(tmp_path, console):
    run = console(
        "search", "--property", "theorem-1-tightness", "--budget", "20", "--senders", "1",
        "--states", "2", "--actions", "2", "--jobs", "1", "--polish", "--json",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["polished"] in (True, False)
    run = console(
        "search", "--property", "theorem-1-tightness", "--budget", "20", "--senders", "1",
        "--states", "2", "--actions", "2", "--jobs", "1", "--polish",
    )  # fmt: skip
    assert run.returncode == 0 and "  polished" in run.stdout, run.stderr
    run = console("search", "--property", "hull-failure", "--polish", "--jobs", "1")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1
    assert "polish applies to theorem-1-tightness only, not to hull-failure" in run.stderr


# ---------------------------------------------------------------- user predicates


@pytest.fixture
def predicates(tmp_path, monkeypatch):
    """A module ``search_predicates`` on the path, with predicates for the tests."""
    (tmp_path / "search_predicates.py").write_text(
        textwrap.dedent(
            """
            from fractions import Fraction

            def wide(instance):
                return instance.num_actions >= 3

            def prior_spread(instance):
                prior = [sum(row[y] for row in instance.prior[0]) for y in range(2)]
                return Fraction(max(prior) - min(prior))

            def broken(instance):
                raise RuntimeError("no luck")

            def wordy(instance):
                return "yes"

            def never(instance):
                return False
            """
        )
    )
    (tmp_path / "search_exits.py").write_text("raise SystemExit(3)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "search_predicates"
    sys.modules.pop("search_predicates", None)


def test_a_user_predicate_is_minimised_to_its_smallest_instance(tmp_path, predicates):
    out = tmp_path / "wide"
    result = ps.search(f"{predicates}:wide", budget=20, actions=[3], out=out, jobs=1)
    # the smallest instance with three actions: one sender, two states
    assert result.score == 1 and result.size == (1, 2, 3)
    assert _valid(out).claim == "theorem-1"


def test_a_rational_score_is_kept_while_minimising(predicates):
    result = ps.search(f"{predicates}:prior_spread", budget=40, states=[2], jobs=1)
    # the largest spread of two prior weights from 1..4 is 4/5 - 1/5 = 3/5; minimising cannot
    # ease the prior (1, 4) (uniform, or a weight made 1, has spread 0), so it keeps 3/5 and sheds
    # the rest: one sender, two actions
    assert result.found_score == result.score == F(3, 5) and result.size == (1, 2, 2)


def test_nothing_found_is_said_plainly(tmp_path, capsys, predicates):
    out = tmp_path / "none"
    status, text, err = _search(
        capsys, "--property", f"{predicates}:never", "--budget", "20", "--jobs", "1",
        "--out", str(out),
    )  # fmt: skip
    assert status == 0, err
    assert (
        text
        == "Search for search_predicates:never: seed 0, budget 20, 1/1 restarts\n  nothing found\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["search-state.jsonl"]
    assert _search(capsys, "--property", f"{predicates}:never", "--budget", "20", "--json")[0] == 0
    result = ps.search(f"{predicates}:never", budget=20, jobs=1)
    assert result.score is None and result.to_json()["size"] is None and result.files == ()


@pytest.mark.parametrize(
    "spec, words",
    [
        ("nowhere_at_all:f", "cannot import nowhere_at_all"),
        ("search_exits:f", "cannot import search_exits (3)"),
        ("search_predicates:missing", "search_predicates has no function missing"),
        ("search_predicates:broken", "raised RuntimeError: no luck"),
        ("search_predicates:wordy", "returned str, not a bool or a rational"),
        ("tightness", "unknown property"),
    ],
)
def test_bad_predicates_exit_2_with_one_line(capsys, predicates, spec, words):
    status, out, err = _search(capsys, "--property", spec, "--budget", "1", "--jobs", "1")
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("persuasion: error:") and words in err, err


# ---------------------------------------------------------------- minimisation


@pytest.mark.parametrize("seed", range(12))
def test_minimisation_keeps_the_finding_and_never_grows(seed):
    rng = random.Random(seed)
    space = SPACES[seed % len(SPACES)]
    point = draw(rng, space, "simultaneous", 2, 3, 3)
    target = max(point.utilities[0][0])

    def keeps(p) -> bool:  # a finding: the first sender's first row reaches the target somewhere
        return max(p.utilities[0][0]) >= target

    small = minimise(point, keeps)
    assert keeps(small)
    assert all(s <= b for s, b in zip(complexity(small), complexity(point), strict=True))
    instance_of(small)  # still a well-formed instance
    assert complexity(small)[:3] == (1, 2, 2)  # one sender, two states and actions suffice


# ---------------------------------------------------------------- reproducibility, resuming


def _files(folder) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in (*FOUND, "profile.json")}


def test_a_resumed_search_ends_where_an_uninterrupted_one_does(tmp_path):
    options = dict(seed=3, budget=60, senders=[1], states=[2], actions=[2])
    whole = ps.search("theorem-1-tightness", out=tmp_path / "whole", jobs=1, **options)
    stopped = ps.search(
        "theorem-1-tightness", out=tmp_path / "parts", jobs=1, time_limit=1e-9, **options
    )
    # the time limit stops the restart in progress too: it has no record, resume runs it
    assert not stopped.complete and stopped.restarts_done == 0 < stopped.restarts == 3
    resumed = ps.search("theorem-1-tightness", out=tmp_path / "parts", resume=True, **options)
    assert resumed.complete and resumed.restarts_done == 3
    assert _files(tmp_path / "whole") == _files(tmp_path / "parts")
    one, two = whole.to_json(), resumed.to_json()
    assert {**one, "files": []} == {**two, "files": []}
    # a larger budget on --resume adds restarts: 20 evaluations, then 60, is a budget of 60
    small = dict(options, budget=20)
    ps.search("theorem-1-tightness", out=tmp_path / "grown", jobs=1, **small)
    grown = ps.search("theorem-1-tightness", out=tmp_path / "grown", resume=True, **options)
    assert grown.restarts_done == 3 and grown.score == whole.score
    assert grown.numbers == whole.numbers


def test_the_state_file_holds_every_finished_restart(tmp_path):
    plan_options = dict(seed=1, budget=40, senders=[1], states=[2], actions=[2])
    ps.search("hull-failure", out=tmp_path / "s", jobs=1, **plan_options)
    header, *restarts = (tmp_path / "s" / "search-state.jsonl").read_text().splitlines()
    assert json.loads(header)["format"] == "persuasion-search-state/1"
    records = [json.loads(line) for line in restarts]
    assert [r["index"] for r in records] == [0, 1]
    plan = Plan("hull-failure", 1, 40, (Size(1, 2, 2),))
    assert records[1] == run_restart(plan, 1).to_json()  # a restart alone, again


def test_a_cut_last_line_is_run_again_and_a_damaged_one_refused(tmp_path, capsys):
    options = dict(seed=1, budget=40, senders=[1], states=[2], actions=[2])
    whole = ps.search("hull-failure", out=tmp_path / "s", jobs=1, **options).to_json()
    state = tmp_path / "s" / "search-state.jsonl"
    lines = state.read_text().splitlines()
    state.write_text("\n".join([*lines[:2], lines[2][:40]]) + "\n")  # a crash mid-line
    again = ps.search("hull-failure", out=tmp_path / "s", resume=True, **options).to_json()
    assert {**again, "files": []} == {**whole, "files": []}
    state.write_text("\n".join([lines[0], "{nonsense", lines[2]]) + "\n")
    status, _, err = _search(
        capsys, "--property", "hull-failure", "--seed", "1", "--budget", "40", "--senders", "1",
        "--states", "2", "--actions", "2", "--out", str(tmp_path / "s"), "--resume",
    )  # fmt: skip
    assert status == 2 and err.count("\n") == 1 and "line 2: a damaged restart record" in err


def test_processes_give_the_result_of_one_process():
    options = dict(seed=2, budget=80, senders=[1, 2], states=[2], actions=[2])
    one = ps.search("theorem-6-tightness", jobs=1, **options).to_json()
    assert ps.search("theorem-6-tightness", jobs=2, **options).to_json() == one


def test_dask_gives_the_result_of_local_processes(tmp_path):
    distributed = pytest.importorskip("distributed")
    import dask

    options = dict(seed=0, budget=40, senders=[1], states=[2], actions=[2])
    local = ps.search("theorem-1-tightness", jobs=1, **options).to_json()
    with (
        dask.config.set({"temporary-directory": str(tmp_path / "scratch")}),
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
    ):
        found = ps.search("theorem-1-tightness", dask=cluster.scheduler_address, **options)
    assert found.to_json() == local


# ---------------------------------------------------------------- the command line


def test_the_installed_program_searches_and_its_certificate_checks(tmp_path, console):
    out = tmp_path / "cli"
    run = console(
        "search", "--property", "theorem-1-tightness", "--budget", "40", "--senders", "1",
        "--states", "2", "--actions", "2", "--jobs", "1", "--out", str(out), "--json",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["complete"] and F(report["score"]) == F(report["numbers"]["ratio"])
    run = console("check", str(out / "certificate.json"), "--instance", str(out / "instance.json"))
    assert run.returncode == 0 and run.stdout.startswith("VALID: theorem-1 holds"), run.stderr


def test_the_text_report_names_the_score_and_the_files(tmp_path, capsys):
    out = tmp_path / "t"
    status, text, err = _search(
        capsys, "--property", "oblivious-shortfall", "--budget", "20", "--jobs", "1",
        "--out", str(out),
    )  # fmt: skip
    assert status == 0, err
    assert text.startswith("Search for oblivious-shortfall: seed 0, budget 20, 1/1 restarts")
    assert "minimised: score" in text and "certificate.json" in text


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--budget", "0"], "--budget: must be >= 1"),
        (["--resume"], "--resume only applies with --out"),
        (["--force"], "--force only applies with --out"),
        (["--max-epsilon", "0"], "--max-epsilon: must be > 0"),
        (["--states", "1"], "--states: must be >= 2"),
        (["--dask", "nonsense"], "--dask nonsense: cannot connect"),
    ],
)
def test_bad_options_exit_2_with_one_line(capsys, argv, words):
    status, out, err = _search(capsys, "--property", "hull-failure", "--jobs", "1", *argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("persuasion: error:") and words in err, err


def test_bad_folders_exit_2_with_one_line(tmp_path, capsys):
    base = ["--property", "hull-failure", "--budget", "20", "--senders", "1", "--jobs", "1"]
    empty = tmp_path / "empty"
    empty.mkdir()
    status, _, err = _search(capsys, *base, "--out", str(empty), "--resume")
    assert status == 2 and "no search state to resume" in err and err.count("\n") == 1
    assert _search(capsys, *base, "--out", str(tmp_path / "run"))[0] == 0
    status, _, err = _search(capsys, *base, "--out", str(tmp_path / "run"))
    assert status == 2 and "not empty" in err and err.count("\n") == 1
    status, _, err = _search(
        capsys, *base, "--seed", "5", "--out", str(tmp_path / "run"), "--resume"
    )
    assert status == 2 and "other settings" in err and err.count("\n") == 1
    status, _, err = _search(capsys, *base, "--out", str(tmp_path / "run"), "--force", "--resume")
    assert status == 2 and "cannot be used together" in err
    assert _search(capsys, *base, "--out", str(tmp_path / "run"), "--force")[0] == 0


def test_progress_bar_only_on_request(capsys):
    args = ["--property", "hull-failure", "--budget", "40", "--senders", "1", "--jobs", "1"]
    assert _search(capsys, *args)[2] == ""  # not a terminal: no bar
    status, out, err = _search(capsys, *args, "--progress")
    assert status == 0 and "search" in err and "2/2" in err and out.startswith("Search for")


def test_the_catalog_keeps_the_tightest_instance_found():
    # The catalog's entry for the measured result of the how-to (hand derivations in its index):
    # U_A(C*) = 4/3, eps = 5/8, silence an equilibrium leaving Alice 2/3: ratio (2/3) / (5/4).
    from persuasion.counterexamples.properties import tightness

    instance = ps.catalog.load("collina-et-al-2025-theorem-1-gap-8-15")
    found = tightness("simultaneous")(instance)
    assert found.score == F(8, 15)
    silent = ps.catalog.entry("collina-et-al-2025-theorem-1-gap-8-15").profile("silent")
    claim = ps.certify(instance, silent, claims=["theorem-1"])["theorem-1"]
    verdict = ps.check(claim)
    assert verdict.valid and verdict.holds
    assert dict(verdict.conclusion)["alice_utility"] == "2/3"


def test_ctrl_c_keeps_the_finished_restarts_and_resume_ends_as_if_uninterrupted(tmp_path):
    import os
    import signal
    import subprocess
    import time

    from conftest import console_env, console_script

    options = dict(seed=4, budget=400, senders=[1], states=[2, 3], actions=[2])
    argv = [
        str(console_script()), "search", "--property", "theorem-1-tightness", "--seed", "4",
        "--budget", "400", "--senders", "1", "--states", "2,3", "--actions", "2", "--jobs", "1",
        "--out", str(tmp_path / "cut"),
    ]  # fmt: skip
    home = tmp_path / "home"
    home.mkdir()
    run = subprocess.Popen(
        argv, env=console_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    state = tmp_path / "cut" / "search-state.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None:
        if state.exists() and state.read_text().count("\n") >= 3:  # two restarts finished
            break
        time.sleep(0.05)
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    if run.returncode == 0:  # finished before the signal arrived: nothing to resume
        pytest.skip("the search finished before Ctrl-C")
    assert run.returncode == 130 and err.startswith("persuasion: interrupted"), err
    kept = state.read_text().count("\n") - 1
    assert 2 <= kept < 20
    resumed = ps.search("theorem-1-tightness", out=tmp_path / "cut", resume=True, **options)
    whole = ps.search("theorem-1-tightness", jobs=1, **options)
    assert resumed.complete and {**resumed.to_json(), "files": []} == whole.to_json()
    assert os.path.exists(tmp_path / "cut" / "certificate.json")


def test_a_worker_that_dies_is_one_line_and_the_restarts_are_kept(tmp_path, predicates):
    # a predicate that kills its own worker process (not this one) the first time it runs there
    (tmp_path / "search_killer.py").write_text(
        "import os, signal\n"
        f"MAIN = {__import__('os').getpid()}\n"
        "def kill(instance):\n"
        "    if os.getpid() != MAIN:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return True\n"
    )
    with pytest.raises(ps.OptionError, match="a worker process died"):
        ps.search("search_killer:kill", budget=40, jobs=2, out=tmp_path / "k")
    assert (tmp_path / "k" / "search-state.jsonl").exists()
    sys.modules.pop("search_killer", None)
