"""``persuasion solve`` on a quantal instance (issue 11, point 4): the QRE search of
:mod:`persuasion.qre.dynamics` -- the profile found, its enclosed utilities and the QRE check's
verdict with a certified eta, never "equilibrium" without the proof."""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction as F

import mpmath
import pytest
from hypothesis import given, settings, strategies as st

import persuasion as ps
from persuasion.api.quantal import verify_quantal
from persuasion.checker.enclosures import log_bounds
from persuasion.model import silent_profile
from persuasion.numbers import parse_number
from persuasion.receiver import outcome
from persuasion.testing import instances

ADVISERS = "collina-et-al-2025-quantal-advisers"

ONE_SENDER = {
    "format": "persuasion-instance/1",
    "name": "quantal-matcher",
    "description": "One sender whose utility is Alice's; Alice matches the state, 2-quantally.",
    "states": ["s", "t"],
    "actions": ["a", "b"],
    "prior": {"s": "1/3", "t": "2/3"},
    "alice": {"utility": [[1, 0], [0, 1]]},
    "senders": [{"name": "twin", "utility": [[1, 0], [0, 1]]}],
    "protocol": {"decision": {"rule": "quantal", "lambda": "2"}},
}
"""A QRE known in closed form.  A message leaving ``P(t | message) = beta`` gives Alice beliefs
``(1 - beta, beta)``; with ``d = |2 beta - 1|`` the sender's (and Alice's) value is ``V = 1/2 + d
(sigma(2 d) - 1/2)``, ``sigma`` the logistic function: increasing in ``d``, so at most ``sigma(2)
= e^2 / (1 + e^2)``, reached at ``beta`` 0 and 1 only.  The concave envelope of ``V`` is that
constant: the sender's best scheme reveals the state, and Alice gets ``e^2 / (1 + e^2)``."""


def e2() -> mpmath.mpf:
    with mpmath.workdps(60):
        return mpmath.e**2 / (1 + mpmath.e**2)


def contains(pair, value) -> bool:
    with mpmath.workdps(60):
        lo, hi = (mpmath.mpf(x.numerator) / x.denominator for x in pair)
        return lo <= value <= hi


def pair(json_pair) -> tuple[F, F]:
    return parse_number(json_pair[0]), parse_number(json_pair[1])


@pytest.fixture
def matcher(tmp_path):
    path = tmp_path / "matcher.json"
    path.write_text(json.dumps(ONE_SENDER), encoding="utf-8")
    return path


# ---------------------------------------------------------------- the console script


def test_console_solve_then_verify_reproduces_eta(console, tmp_path):
    """From silence the hawk reveals the state: a QRE within eta, Alice gets e^2/(1+e^2); the
    profile written by --out is read by verify, whose eta is exactly the one solve reported."""
    out = tmp_path / "found.json"
    solved = console("solve", ADVISERS, "--start", "silent", "--out", str(out))
    assert solved.returncode == 0 and solved.stderr == "", solved.stderr
    text = solved.stdout
    assert "QRE search (Definition 12) from the silent profile: converged after 1 round\n" in text
    assert "QRE check (Definition 12): a quantal response equilibrium within eta = 0.001" in text
    assert "Alice: ~0.880797077978" in text
    report = json.loads(console("solve", ADVISERS, "--start", "silent", "--json").stdout)
    eq = report["equilibrium"]
    assert report["decision"] == {"rule": "quantal", "lambda": "2"} and report["first_best"] == "1"
    assert eq["verdict"] == "qre-within-eta" and eq["status"] == "converged" and eq["converged"]
    assert json.loads(out.read_text(encoding="utf-8")) == eq["profile"]
    checked = console("verify", ADVISERS, str(out), "--json")
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["eta_bound"] == eq["eta_bound"]
    game = ps.load(ADVISERS)  # and once more in this process, from the file
    again = verify_quantal(game, ps.load_profile(out, game))
    assert again.verdict == "qre-within-eta" and str(again.eta_bound) == eq["eta_bound"]
    assert contains(pair(eq["alice_utility"]), e2())


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--equilibrium", "worst"], "equilibrium 'worst' (--equilibrium worst) does not apply"),
        (["--equilibrium", "worst", "--restricted", "deterministic"], "does not apply"),
        (["--restricted", "deterministic"], "--restricted needs --equilibrium worst"),
        (["--route", "cells"], "route (--route) does not apply"),
        (["--set-search", "milp"], "set_search (--set-search) does not apply"),
        (["--delta", "1/2"], "step (--delta) does not apply"),
        (["--max-rounds", "0"], "--max-rounds"),
    ],
)
def test_console_refuses_what_cannot_apply_in_one_line(console, argv, words):
    result = console("solve", ADVISERS, *argv)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and words in result.stderr, result.stderr


def test_console_refuses_a_quantal_conversation_and_an_existing_out(console, tmp_path):
    game = json.loads(json.dumps(ONE_SENDER))
    game["protocol"]["rounds"] = 2
    path = tmp_path / "two-rounds.json"
    path.write_text(json.dumps(game), encoding="utf-8")
    result = console("solve", str(path))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "rounds must be 1" in result.stderr
    taken = tmp_path / "taken.json"
    taken.write_text("{}", encoding="utf-8")
    result = console("solve", ADVISERS, "--out", str(taken))
    assert result.returncode == 2 and "add --force" in result.stderr
    assert taken.read_text(encoding="utf-8") == "{}"  # refused before any work, file untouched


def test_console_out_for_a_best_responding_alice_too(console, tmp_path):
    """solve --out writes the equilibrium of any solve; verify finds the same Nash gap; --force
    replaces the file, and --force alone is one line."""
    out = tmp_path / "eq.json"
    out.write_text("{}", encoding="utf-8")
    solved = console("solve", "kg-prosecutor", "--json", "--out", str(out), "--force")
    assert solved.returncode == 0, solved.stderr
    eq = json.loads(solved.stdout)["equilibrium"]
    assert json.loads(out.read_text(encoding="utf-8")) == eq["profile"]
    checked = json.loads(console("verify", "kg-prosecutor", str(out), "--json").stdout)
    assert checked["nash_gap"] == eq["nash_gap"]
    alone = console("solve", "kg-prosecutor", "--force")
    assert alone.returncode == 2 and len(alone.stderr.splitlines()) == 1
    assert "--force" in alone.stderr and "--out" in alone.stderr


# ---------------------------------------------------------------- known answers


def test_one_sender_reveals_the_state_the_closed_form_qre(matcher):
    """The sender's best scheme reveals the state (ONE_SENDER): from silence the search finds it,
    Alice's enclosed utility holds e^2/(1+e^2), and the eta bound is the grid's alone."""
    game = ps.load(matcher)
    solved = ps.solve(game, start="silent")
    eq = solved.equilibrium
    assert eq.verdict == "qre-within-eta" and eq.converged and eq.rounds == 1
    assert eq.profile.schemes[0] in (((1, 0), (0, 1)), ((0, 1), (1, 0)))
    assert contains(eq.alice_utility, e2())
    assert 0 < eq.eta_bound < F(1, 500)


def test_the_eta_bound_shrinks_as_the_grid_refines(matcher):
    """At the revealing QRE the sender's gain is 0: eta is the grid's price, and falls with the
    grid (N = 2, 8, ..., 4,096 as the work allowed grows)."""
    game = ps.load(matcher)
    found = ps.solve(game, start="silent").equilibrium.profile
    etas = [verify_quantal(game, found, grid_work=w).eta_bound for w in (8, 40, 2_000, 200_000)]
    assert etas == sorted(etas, reverse=True) and len(set(etas)) == len(etas)
    assert etas[-1] < F(1, 500) < F(1, 20) < etas[0]


def test_lemma_1_at_the_found_profile():
    """Alice's quantal utility at the profile found is within log|A| / lambda of her
    best-response value at the same profile (Lemma 1, summed over the situations)."""
    for slug in (ADVISERS, "medical-quantal"):
        game = ps.load(ADVISERS) if slug == ADVISERS else _quantal_medical()
        eq = ps.solve(game, max_rounds=1).equilibrium
        best = outcome(game, eq.profile).alice_utility
        lam = game.protocol.lam
        assert eq.alice_utility[0] >= best - log_bounds(game.num_actions, 64)[0] / lam
        assert eq.alice_utility[1] <= best


@settings(max_examples=6, deadline=None)
@given(instances(max_states=2, max_actions=3, max_senders=2), st.sampled_from([F(1), F(4)]))
def test_generated_games_the_reported_check_is_verify_and_lemma_1_holds(game, lam):
    """On generated games: the check solve reports is exactly verify's on the profile found, its
    verdict says converged, and Lemma 1 holds there."""
    protocol = dataclasses.replace(game.protocol, decision="quantal", lam=lam)
    game = dataclasses.replace(game, protocol=protocol)
    eq = ps.solve(game, max_rounds=3).equilibrium
    assert ps.verify(game, eq.profile).to_json() == eq.check.to_json()
    assert eq.converged == (eq.verdict == "qre-within-eta")
    best = outcome(game, eq.profile).alice_utility
    assert eq.alice_utility[0] >= best - log_bounds(game.num_actions, 64)[0] / lam


def _quantal_medical():
    game = ps.load("medical")
    protocol = dataclasses.replace(game.protocol, decision="quantal", lam=F(5))
    return dataclasses.replace(game, protocol=protocol)


# ---------------------------------------------------------------- honesty


def test_a_search_that_stops_early_says_not_a_qre():
    """Prosecutor and defense, Alice 1-quantal, from silence: after one round a deviation still
    provably gains; the text never calls the profile an equilibrium."""
    from persuasion.render_quantal import quantal_solve_text

    game = ps.load("gentzkow-kamenica-2017-prosecutor-defense")
    protocol = dataclasses.replace(game.protocol, decision="quantal", lam=F(1))
    game = dataclasses.replace(game, protocol=protocol)
    solved = ps.solve(game, start="silent", max_rounds=1)
    eq = solved.equilibrium
    assert eq.verdict == "not-a-qre" and not eq.converged and eq.status == "max-rounds"
    assert any(d.gain[0] > 0 for d in eq.check.deviations) and eq.eta_bound > 0
    text = quantal_solve_text(solved.to_json())
    assert "did not converge" in text and "NOT a quantal response equilibrium" in text
    assert "equilibrium within eta" not in text


def test_the_time_limit_reports_the_start_judged():
    game = ps.load(ADVISERS)
    eq = ps.solve(game, start="silent", time_limit=0).equilibrium
    assert eq.status == "time-limit" and eq.rounds == 0 and eq.verdict == "not-a-qre"
    assert eq.profile == silent_profile(game)


def test_python_and_console_agree(console):
    solved = ps.solve(ps.load(ADVISERS))
    assert isinstance(solved, ps.QuantalSolution)
    assert solved.equilibrium.start == "revealing" and solved.equilibrium.rounds == 0
    printed = console("solve", ADVISERS, "--json")
    assert json.loads(printed.stdout) == solved.to_json()


def test_options_that_cannot_apply_are_refused_in_python():
    game = ps.load(ADVISERS)
    with pytest.raises(ps.OptionError, match="does not apply to a quantal-responding Alice"):
        ps.solve(game, equilibrium="worst")
    with pytest.raises(ps.InputError, match="simultaneous game only"):
        ps.solve(game, game="best-ai-selection")
