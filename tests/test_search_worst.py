"""``persuasion search --equilibrium worst``: the tightness and hull properties scored at the worst
equilibrium for Alice a bounded search meets on each instance.

On the same instance the worst equilibrium never leaves Alice more than the first one (so its
ratio is never smaller), it is an exact equilibrium (Nash gap 0) and Theorems 1 and 6 still hold
there; the search is reproducible and resumable as with the first equilibrium; the installed
program writes a certificate that checks VALID; bad options are one line and exit status 2.
"""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction as F

import pytest
from hypothesis import given, settings

import persuasion as ps
from persuasion.cli import main
from persuasion.counterexamples.choice import WORST
from persuasion.counterexamples.properties import hull_failure, tightness
from persuasion.testing import instances

SMALL = dict(senders=[1], states=[2], actions=[3])
"""The smallest sizes on which the worst equilibrium reaches the bound (ratio 1)."""

GAMES = ("simultaneous", "best-ai-selection")


@settings(max_examples=12, deadline=None)
@given(instance=instances(max_states=2, max_actions=3, max_senders=2, games=GAMES))
def test_the_worst_equilibrium_never_leaves_alice_more_than_the_first(instance):
    game = instance.protocol.game
    first = tightness(game)(instance)
    worst = tightness(game)(instance, worst=WORST)
    decided = tightness(game)(instance, worst=ps.SearchBudget(2, 16, None, "deterministic"))
    if first is None:  # eps = 0, or the dynamics found no exact equilibrium: nothing to score
        return
    assert worst is not None and decided is not None
    # the worst is chosen among the first and the others met, the restricted game adds more
    assert first.score <= worst.score <= decided.score <= 1  # Theorems 1 and 6: gap <= 2 eps
    for found in (worst, decided):
        verified = ps.verify(instance, found.profile, game=game)
        assert verified.is_equilibrium and verified.nash_gap == 0
        assert verified.alice_utility == dict(found.numbers)["alice_utility"]


TIGHT = "collina-et-al-2025-theorem-1-tight"


@pytest.mark.parametrize(
    "game, claim", [("simultaneous", "theorem-1"), ("best-ai-selection", "theorem-6")]
)
def test_the_bound_of_theorems_1_and_6_is_met_with_equality(game, claim):
    # The catalog's instance (hand derivations in its index entry): U_A(C*) = 2, eps = 1, and
    # silence an equilibrium leaving Alice 0 = U_A(C*) - 2 eps.  The first equilibrium (full
    # revelation) shows nothing; the worst shows the ratio 1.  One sender: both games agree.
    instance = ps.catalog.load(TIGHT)
    protocol = dataclasses.replace(instance.protocol, game=game)
    instance = dataclasses.replace(instance, protocol=protocol)
    assert tightness(game)(instance).score == 0
    found = tightness(game)(instance, worst=WORST)
    assert found.score == 1 and dict(found.numbers)["alice_utility"] == 0
    assert found.profile == ps.catalog.entry(TIGHT).profile("silent")
    certificate = ps.certify(instance, found.profile, claims=[claim])[claim]
    verdict = ps.check(certificate)
    assert verdict.valid and verdict.holds
    assert dict(verdict.conclusion)["alice_utility"] == dict(verdict.conclusion)["bound"] == "0"


def test_two_copies_of_the_sender_keep_the_bound_met():
    # Theorem 1 with two senders: two copies of the sender, both silent, are an equilibrium (a
    # copy revealing alone gets him 1, no more); the weights 1/2, 1/2 keep eps = 1.
    instance = ps.catalog.load(TIGHT)
    bob = instance.senders[0]
    twice = dataclasses.replace(instance, senders=(bob, dataclasses.replace(bob, name="bob1")))
    found = tightness("simultaneous")(twice, worst=WORST)
    assert found.score == 1 and dict(found.numbers)["epsilon"] == 1
    assert ps.verify(twice, found.profile).nash_gap == 0


@pytest.mark.parametrize(
    "slug, game, claim, ratio, alice",
    [
        ("collina-et-al-2025-theorem-1-worst-2-3", "simultaneous", "theorem-1", F(2, 3), "5/3"),
        (
            "collina-et-al-2025-theorem-6-worst-4-7",
            "best-ai-selection",
            "theorem-6",
            F(4, 7),
            "6/7",
        ),
    ],
)
def test_the_catalog_keeps_the_tightest_worst_equilibria_the_search_found(
    slug, game, claim, ratio, alice
):
    # Found by the how-to's searches (hand derivations in the index): silence, the sender's best,
    # is the worst equilibrium; full revelation, the first one, gives Alice U_A(C*).
    # Theorem 1: U_A(C*) = 2, eps = 1/4, Alice 5/3; Theorem 6: U_A(C*) = 10/7, eps = 1/2, 6/7.
    instance = ps.catalog.load(slug)
    assert tightness(game)(instance).score == 0
    found = tightness(game)(instance, worst=WORST)
    assert found.score == ratio and found.profile == ps.catalog.entry(slug).profile("silent")
    verdict = ps.check(ps.certify(instance, found.profile, claims=[claim])[claim])
    assert verdict.valid and verdict.holds
    assert dict(verdict.conclusion)["alice_utility"] == alice


def test_hull_failure_goes_as_far_below_as_theorem_1_allows():
    instance = ps.catalog.load(TIGHT)
    first, worst = hull_failure(instance), hull_failure(instance, worst=WORST)
    assert first.score == 0 and worst.score == 2 == 2 * dict(worst.numbers)["epsilon"]


def test_a_small_worst_search_beats_the_first_equilibrium_and_is_certified(tmp_path):
    out = tmp_path / "worst"
    first = ps.search("theorem-1-tightness", seed=2, budget=20, jobs=1, **SMALL)
    worst = ps.search(
        "theorem-1-tightness", seed=2, budget=20, jobs=1, equilibrium="worst", out=out, **SMALL
    )
    assert first.found_score < worst.found_score <= 1
    assert worst.worst == WORST and worst.to_json()["equilibrium"] == "worst"
    assert repr(worst).endswith(", equilibrium=worst>") and "equilibrium" not in repr(first)
    instance = ps.load(out / "instance.json")
    verified = ps.verify(instance, ps.load_profile(out / "profile.json", instance))
    assert verified.is_equilibrium and verified.nash_gap == 0
    assert verified.alice_utility == dict(worst.numbers)["alice_utility"]
    verdict = ps.check(out / "certificate.json", out / "instance.json")
    assert verdict.valid and verdict.holds and verdict.claim == "theorem-1"
    recorded = json.loads((out / "finding.json").read_text())
    assert recorded["equilibrium"] == "worst" and recorded["worst_budget"]["max_starts"] == 16
    assert "--equilibrium worst --random-starts 2 --max-starts 16" in instance.description


def test_a_resumed_worst_search_ends_where_an_uninterrupted_one_does(tmp_path):
    options = dict(seed=1, budget=60, equilibrium="worst", **SMALL)
    whole = ps.search("theorem-6-tightness", out=tmp_path / "whole", jobs=1, **options)
    # a search of one restart, continued to the whole budget (a time limit now stops the restart
    # in progress too, so it cannot be relied on to leave exactly one restart done)
    part = {**options, "budget": 20}
    stopped = ps.search("theorem-6-tightness", out=tmp_path / "parts", jobs=1, **part)
    assert stopped.restarts_done == 1 < whole.restarts_done
    resumed = ps.search("theorem-6-tightness", out=tmp_path / "parts", resume=True, **options)
    assert {**resumed.to_json(), "files": []} == {**whole.to_json(), "files": []}
    names = ("instance.json", "profile.json", "certificate.json", "finding.json")
    for name in names:
        assert (tmp_path / "whole" / name).read_bytes() == (tmp_path / "parts" / name).read_bytes()
    # the state file records the per-evaluation budget: the first equilibrium cannot resume it
    header = json.loads((tmp_path / "parts" / "search-state.jsonl").read_text().split("\n")[0])
    assert header["settings"]["equilibrium"] == {"worst": WORST.to_json()}
    with pytest.raises(ps.InputError, match="other settings"):
        ps.search("theorem-6-tightness", out=tmp_path / "parts", resume=True, seed=1, budget=60)


def test_processes_give_the_worst_search_of_one_process():
    options = dict(seed=3, budget=40, equilibrium="worst", senders=[1, 2], states=[2])
    one = ps.search("theorem-1-tightness", jobs=1, **options).to_json()
    assert ps.search("theorem-1-tightness", jobs=2, **options).to_json() == one


def test_the_installed_program_searches_worst_equilibria(tmp_path, console):
    out = tmp_path / "cli"
    run = console(
        "search", "--property", "theorem-1-tightness", "--equilibrium", "worst", "--max-starts",
        "8", "--random-starts", "1", "--restricted", "deterministic", "--seed", "2", "--budget",
        "20", "--senders", "1", "--states", "2", "--actions", "3", "--jobs", "1", "--out",
        str(out), "--json",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["equilibrium"] == "worst"
    assert report["worst_budget"] == {
        "random_starts": 1, "max_starts": 8, "time_limit": None, "restricted": "deterministic",
    }  # fmt: skip
    assert F(report["score"]) == F(report["numbers"]["ratio"]) <= 1
    run = console("check", str(out / "certificate.json"), "--instance", str(out / "instance.json"))
    assert run.returncode == 0 and run.stdout.startswith("VALID: theorem-1 holds"), run.stderr
    run = console(
        "search", "--property", "theorem-1-tightness", "--equilibrium", "worst", "--budget", "20",
        "--senders", "1", "--states", "2", "--actions", "3", "--jobs", "1",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "scored at the worst equilibrium for Alice found on each instance" in run.stdout


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--max-starts", "3"], "--max-starts needs --equilibrium worst"),
        (["--restricted", "deterministic"], "--restricted needs --equilibrium worst"),
        (["--equilibrium", "worst", "--restricted", "grid:0"], "--restricted: restricted game"),
        (["--equilibrium", "worst", "--max-starts", "0"], "--max-starts: must be >= 1"),
        (
            [
                "--equilibrium",
                "worst",
                "--restricted",
                "deterministic",
                "--senders",
                "4",
                "--states",
                "3",
            ],
            "pure profiles",
        ),  # fmt: skip
    ],
)
def test_bad_worst_options_exit_2_with_one_line(capsys, argv, words):
    status = main(["search", "--property", "hull-failure", "--jobs", "1", *argv])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("persuasion: error:") and words in err, err


def test_the_worst_equilibrium_is_refused_where_it_means_nothing(capsys):
    status = main(["search", "--property", "oblivious-shortfall", "--equilibrium", "worst"])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and "equilibrium worst applies to" in err
    with pytest.raises(ps.OptionError, match="no time limit"):
        ps.search("theorem-1-tightness", equilibrium=ps.SearchBudget(time_limit=5))
    with pytest.raises(ps.OptionError, match="unknown equilibrium"):
        ps.search("theorem-1-tightness", equilibrium="best")
