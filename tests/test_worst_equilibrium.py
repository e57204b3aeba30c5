"""The equilibrium the theorems are about: `solve --equilibrium worst` and `ps.equilibria`.

Known answers, each derived where it is pinned; every equilibrium reported is re-verified with
an independent exact verification (`ps.verify`), the restricted game's pure equilibria are
compared with a brute-force enumeration, and hypothesis checks the search's properties on
random small instances.
"""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction as F
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import persuasion as ps
from persuasion.cli import main
from persuasion.restricted import restricted_game
from persuasion.testing import instances

ROOT = Path(__file__).resolve().parent.parent
JUDGE = str(ROOT / "instances" / "judge-prosecutor.json")

TWO_DEFENDERS = {
    "format": "persuasion-instance/1",
    "name": "two-defenders",
    "description": "Two defense attorneys who both want an acquittal; the judge acquits on the "
    "prior (guilty with probability 1/3).",
    "states": ["guilty", "innocent"],
    "actions": ["acquit", "convict"],
    "prior": {"guilty": "1/3", "innocent": "2/3"},
    "alice": {"utility": [[0, 1], [1, 0]]},
    "senders": [
        {"name": "defense-1", "utility": [[1, 1], [0, 0]], "messages": 2},
        {"name": "defense-2", "utility": [[1, 1], [0, 0]], "messages": 2},
    ],
    "protocol": {"game": "simultaneous", "tie_break": ["acquit", "convict"]},
}
"""A hand-made instance where an equilibrium worse for Alice than full revelation exists.

Both silent: the judge's posterior is the prior, P(guilty) = 1/3, so she acquits and gets 2/3;
each attorney gets 1, the most they can get, so neither gains by deviating: an equilibrium.
Both revealing: the judge learns the state and gets 1, and no single attorney can change what
she learns (the other reveals): an equilibrium too, the one `solve` finds first.  No profile
gives the judge less than the prior's 2/3 (information never hurts a Bayesian decision
maker), so 2/3 is exactly the worst equilibrium for Alice.  Alignment: the senders' utilities
are 1 on acquit and 0 on convict whatever the state, and Alice's differ by 1 between states on
each action, so the best fit with non-negative weights is off by 1/2 (weights 0, offset 1/2;
with simplex weights it is off by 1): eps = 1/2 and the Theorem 1 bound is
U_A(C*) - 2 eps = 1 - 1 = 0."""


@pytest.fixture(scope="module")
def judge():
    return ps.load(JUDGE)


@pytest.fixture
def two_defenders(tmp_path):
    path = tmp_path / "two-defenders.json"
    path.write_text(json.dumps(TWO_DEFENDERS))
    return path


def _verified(instance, found, game=None):
    """Every equilibrium reported re-verified independently: exact Nash gap 0, same utilities."""
    for eq in found:
        check = ps.verify(instance, eq.profile, game=game)
        assert check.nash_gap == 0, eq
        assert check.alice_utility == eq.alice_utility
        assert check.sender_utilities == eq.sender_utilities


# ---------------------------------------------------------------- known answers


def test_judge_prosecutor_every_equilibrium_gives_alice_opt(judge):
    # Appendix I: Alice's utility is the sum of the senders', non-negative eps = 0, so by
    # Theorem 1 every equilibrium gives her U_A(C*) = OPT = 2; the worst found must be 2.
    search = ps.equilibria(judge, random_starts=4)
    assert search.worst.alice_utility == 2
    assert {eq.alice_utility for eq in search.found} == {2}
    assert all(eq.bound_holds for eq in search.found) and search.bound == 2
    _verified(judge, search.found)
    trivial = search.trivial_revelation
    assert trivial.revealers == ("prosecutor", "defense") and trivial.is_equilibrium
    assert "no single sender can change what Alice learns" in trivial.explanation


def test_judge_prosecutor_restricted_game_against_brute_force(judge):
    search = ps.equilibria(judge, random_starts=0, max_starts=3, restricted="deterministic")
    decided = search.restricted
    game = restricted_game(judge)
    # brute force: a pure profile is an equilibrium of the restricted game when no sender
    # gains by any of their 4 deterministic schemes (2 messages, 2 values of x_B)
    brute = [
        p
        for p in game.profiles()
        if all(
            game.payoff(p)[i] >= game.payoff((*p[:i], k, *p[i + 1 :]))[i]
            for i in range(2)
            for k in range(4)
        )
    ]
    assert [e.strategies for e in decided.equilibria] == brute and decided.profiles == 16
    assert decided.worst.alice_utility == 2  # Theorem 1 holds at every restricted one too
    for eq in decided.equilibria:
        assert ps.verify(judge, eq.profile).nash_gap == eq.full_nash_gap
    full = [eq for eq in decided.equilibria if eq.full_equilibrium]
    assert (
        0 < len(full) < len(decided.equilibria)
    )  # some are equilibria of the restricted game only


def test_kg_prosecutor_has_no_exact_equilibrium_with_ties_to_acquittal(catalog):
    # One sender: an equilibrium is a best response to nothing; the prosecutor's supremum 3/5 is
    # never attained when ties go to acquittal (docs/explanation/model.md), so none is exact.
    search = ps.equilibria(catalog("kg-prosecutor"), random_starts=2)
    assert search.found == () and search.worst is None
    assert search.trivial_revelation is None  # one sender cannot make revelation trivial


def test_kg_prosecutor_unique_equilibrium_value_with_ties_to_conviction(catalog):
    # Kamenica and Gentzkow (2011): convict the guilty always and the innocent with
    # probability 3/7; the prosecutor gets 3/10 + 7/10 * 3/7 = 3/5 and the judge is right
    # on the guilty (3/10) and on the innocent acquitted (7/10 * 4/7 = 2/5): 7/10.  Every
    # optimal scheme convicts with probability 3/5, so Alice's 7/10 is the unique value.
    kg = catalog("kg-prosecutor")
    kg = dataclasses.replace(kg, protocol=dataclasses.replace(kg.protocol, tie_break=(1, 0)))
    search = ps.equilibria(kg, random_starts=4)
    assert [(eq.alice_utility, eq.sender_utilities) for eq in search.found] == [
        (F(7, 10), (F(3, 5),))
    ]
    _verified(kg, search.found)


def test_hand_made_silence_is_a_worse_equilibrium(two_defenders):
    instance = ps.load(two_defenders)
    solution = ps.solve(instance, equilibrium="worst")
    assert solution.equilibrium.alice_utility == 1  # the first found: full revelation
    search = solution.equilibria
    assert search.worst.alice_utility == F(2, 3)  # joint silence (see TWO_DEFENDERS)
    assert search.worst.sender_utilities == (1, 1)
    assert {eq.alice_utility for eq in search.found} >= {F(2, 3), F(1)}
    assert all(F(2, 3) <= eq.alice_utility <= 1 for eq in search.found)
    assert search.bound == 0 and all(eq.bound_holds for eq in search.found)
    assert solution.alignment.nonnegative.epsilon == F(1, 2) and solution.alignment.epsilon == 1
    _verified(instance, search.found)
    assert search.trivial_revelation.is_equilibrium


def test_selection_game_finds_the_stalled_kg_equilibrium(catalog):
    # Best-AI selection (Section E) with two KG prosecutors: revealing is an equilibrium (Alice
    # gets 1), and so is both playing KG's scheme, where the judge stays near 7/10.  Alice
    # never gets less than her no-information 7/10 (each scheme alone is worth that to her).
    # The search reaches the profile both convicting the innocent with probability 107/250
    # (KG's 3/7 within eta): 3/10 + 7/10 * 143/250 = 1751/2500, re-verified exactly below.
    selection = catalog("two-prosecutors-selection")
    search = ps.equilibria(selection, random_starts=8)
    assert search.game == "best-ai-selection" and search.theorem.startswith("Theorem 6")
    assert search.found[0].alice_utility == 1
    assert search.worst.alice_utility == F(1751, 2500)
    assert all(F(7, 10) <= eq.alice_utility <= 1 for eq in search.found)
    _verified(selection, search.found)


def test_budget_and_time_limit_stop_the_search(judge):
    assert ps.equilibria(judge, random_starts=8, max_starts=2).runs == 2
    stopped = ps.equilibria(judge, max_starts=2)
    assert stopped.stop_reason == "the budget of 2 runs was spent"
    timed = ps.equilibria(judge, time_limit=0)
    assert timed.runs == 0 and timed.stop_reason == "the time limit passed"


def test_bad_search_options_raise(judge):
    with pytest.raises(ValueError, match="grid:K"):
        ps.equilibria(judge, restricted="grid:0")
    with pytest.raises(ValueError, match="max_starts"):
        ps.solve(judge, equilibrium=ps.SearchBudget(max_starts=0))
    with pytest.raises(ValueError, match="unknown equilibrium"):
        ps.solve(judge, equilibrium="best")


def test_solve_takes_a_budget(judge):
    budget = ps.SearchBudget(random_starts=0, max_starts=2, restricted="deterministic")
    search = ps.solve(judge, equilibrium=budget).equilibria
    assert search.runs == 2 and search.restricted.profiles == 16
    assert ps.solve(judge).equilibria is None


def test_restricted_game_past_the_limit_is_refused_before_searching(catalog):
    # medical: 3 senders, 3 messages, 3 values of x_B; on the grid 1/2 each sender has
    # C(4, 2)^3 = 216 schemes, 216^3 pure profiles: past MAX_RESTRICTED_PROFILES
    with pytest.raises(ps.InputError, match="pure profiles"):
        ps.equilibria(catalog("medical"), restricted="grid:2", time_limit=0)


# ---------------------------------------------------------------- properties


@settings(max_examples=20)
@given(instances(max_states=2, max_actions=2, max_senders=2), st.integers(0, 3))
def test_search_properties(instance, seed):
    search = ps.equilibria(instance, random_starts=2, max_starts=12, seed=seed, time_limit=None)
    _verified(instance, search.found)
    first = ps.solve(instance)
    if first.equilibrium.nash_gap == 0 and search.found:
        assert search.worst.alice_utility <= first.equilibrium.alice_utility
    revealing = all(len(s.messages) >= len(instance.sender_features) for s in instance.senders)
    if revealing:  # Remark 4 / Proposition 1: the identical induced distribution condition
        assert all(eq.bound_holds for eq in search.found)
    keys = [eq.joint for eq in search.found]
    assert len(keys) == len(set(keys))  # distinct outcomes
    if search.trivial_revelation is not None:  # two senders can each reveal x_B: in the
        # simultaneous game no single sender can change what Alice learns, so the gap is 0
        assert search.trivial_revelation.is_equilibrium
        assert instance.num_senders >= 2


# ---------------------------------------------------------------- command line


def test_cli_default_output_is_unchanged(capsys, judge):
    assert main(["solve", JUDGE, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert "equilibria" not in report
    assert report == json.loads(json.dumps(ps.solve(judge, source=JUDGE).to_json()))


def test_cli_worst_json_and_text(capsys, two_defenders):
    argv = ["solve", str(two_defenders), "--equilibrium", "worst", "--random-starts", "2"]
    assert main([*argv, "--restricted", "deterministic", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)["equilibria"]
    assert report["worst_alice_utility"] == "2/3"
    assert report["found"][report["worst"]]["sender_utilities"] == ["1", "1"]
    assert report["trivial_revelation"]["is_equilibrium"] is True
    assert report["restricted"]["worst_alice_utility"] == "2/3"
    assert report["restricted"]["schemes"] == "deterministic"
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "worst for Alice: #" in text and "Alice's utility 2/3" in text
    assert "full revelation is trivially an equilibrium" in text


@pytest.mark.parametrize(
    "options",
    [
        ["--restricted", "deterministic"],
        ["--random-starts", "3"],
        ["--equilibrium", "worst", "--restricted", "grid:0"],
        ["--equilibrium", "worst", "--restricted", "everything"],
        ["--equilibrium", "worst", "--max-starts", "0"],
        ["--equilibrium", "worst", "--random-starts", "-1"],
        ["--equilibrium", "best"],
    ],
)
def test_cli_bad_options_exit_2(options, capsys):
    assert main(["solve", JUDGE, *options]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("persuasion: error:"), captured.err


def test_installed_program_reports_the_worst(console, two_defenders):
    result = console("solve", str(two_defenders), "--equilibrium", "worst", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)["equilibria"]
    assert {"found", "worst", "worst_alice_utility", "trivial_revelation"} <= set(report)
    assert report["worst_alice_utility"] == "2/3"
    text = console("solve", str(two_defenders), "--equilibrium", "worst")
    assert "Worst equilibrium for Alice" in text.stdout
    bad = console("solve", str(two_defenders), "--restricted", "deterministic")
    assert bad.returncode == 2 and "needs --equilibrium worst" in bad.stderr


def test_documented_keys_are_in_the_output(capsys, two_defenders):
    from test_docs import _documented_keys, _has_key

    keys = _documented_keys("### `solve --equilibrium worst --json` keys")
    assert len(keys) > 10
    argv = ["solve", str(two_defenders), "--equilibrium", "worst", "--random-starts", "1"]
    assert main([*argv, "--restricted", "deterministic", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [key for key in keys if not _has_key(report, key)] == []
