"""The straightforward conversation (Definition 10), agreement (Definition 15), information
substitutes (Definition 14) and ``persuasion agree``.

Pinned: hand-derived transcripts (the catalog's XOR prior and four-state example, and a
two-pair prior derived below); brute force: Definition 14 against its mean-squared-error form
computed from the prior directly; properties: the partition-refinement bound on rounds,
beliefs are martingales, an Alice with no features of her own learns everything, and under
information substitutes exact agreement is accurate (the exact case of Theorem 4, proved in
docs/explanation/agreement.md); the installed program in a subprocess; hostile inputs.
"""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest
from hypothesis import given, settings

from persuasion import agree
from persuasion.agreement import converse
from persuasion.catalog import load as load_slug
from persuasion.checker.substitutes import substitutes
from persuasion.errors import BeyondLimit
from persuasion.instance import parse_instance
from persuasion.limits import MAX_SUBSTITUTE_CHECKS
from persuasion.testing import instances

XOR = "frongillo-et-al-2021-xor"
FOUR = "aaronson-2005-four-state-agreement"
JOINT = instances(max_states=3, max_actions=3, max_senders=1, max_alice_features=3,
                  max_sender_features=3)  # fmt: skip


def _reports(result, alice, senders):
    pair = next(p for p in result.pairs if (p.alice, p.senders) == (alice, senders))
    return [([str(v) for v in a], [str(v) for v in b]) for a, b in pair.reports]


# ---------------------------------------------------------------- pinned transcripts


def test_xor_agrees_at_once_and_learns_nothing():
    result = agree(load_slug(XOR), zeta=F(0))
    assert result.rounds == 1 and result.settled
    for pair in result.pairs:
        assert _reports(result, pair.alice, pair.senders) == [(["1/2", "1/2"], ["1/2", "1/2"])]
        assert pair.exact_agreement_round == 1 and pair.estimation_error == (F(1, 2), F(1, 2))
    assert result.max_error == (F(1, 2), F(1, 2))
    s = result.substitutes
    assert not s.holds and (s.action, s.lhs, s.rhs) == ("guess-even", F(1, 4), F(0))
    assert s.alice_features == ("heads", "tails") and s.sender_features == ("heads", "tails")


def test_four_state_transcript():
    result = agree(load_slug(FOUR), zeta=F(0))
    assert _reports(result, "w1-or-w2", "w1")[:2] == [
        (["1/2", "1/2"], ["1", "0"]),
        (["1", "0"], ["1", "0"]),
    ]
    assert _reports(result, "w1-or-w2", "not-w1")[:2] == [
        (["1/2", "1/2"], ["1/3", "2/3"]),
        (["0", "1"], ["0", "1"]),
    ]
    assert [p.exact_agreement_round for p in result.pairs] == [2, 2, 2]
    assert result.rounds == 3 and result.max_error == (0, 0)
    assert result.agreement_by_round == (0, 1, 1)
    assert (result.substitutes.lhs, result.substitutes.rhs) == (F(1, 24), 0)


def test_a_round_limit_stops_early_and_measures_the_error_there():
    result = agree(load_slug(FOUR), zeta=F(0), rounds=1)
    assert (result.rounds, result.settled) == (1, False)
    pair = next(p for p in result.pairs if p.senders == "not-w1" and p.alice == "w1-or-w2")
    # after round 1 Alice knows x_B is not w1: P(w1 or w3 | {w1, w2}, not w1) = 0
    assert pair.final_beliefs == (0, 1) and pair.exact_agreement_round is None


def test_zeta_agreement_comes_no_later_than_exact_agreement():
    result = agree(load_slug(FOUR), zeta=F(1, 6))
    pair = next(p for p in result.pairs if p.alice == "w1-or-w2" and p.senders == "not-w1")
    assert (pair.agreement_round, pair.exact_agreement_round) == (1, 2)  # |1/2 - 1/3| = 1/6


# ---------------------------------------------------------------- Definition 14 by brute force


def _mse_sides(instance, action, rows, cols):
    """Definition 14's two sides, each mean squared error summed over (x_A, x_B, y) directly."""
    prior, u = instance.prior, [r[action] for r in zip(*instance.alice_utility, strict=True)]
    cells = [(i, j, y) for i in rows for j in cols for y in range(len(u)) if prior[i][j][y]]
    total = sum(prior[i][j][y] for i, j, y in cells)

    def mean(keep):
        mass = sum(prior[i][j][y] for i, j, y in cells if keep(i, j))
        return sum(prior[i][j][y] * u[y] for i, j, y in cells if keep(i, j)) / mass

    def mse(key):
        return (
            sum(
                prior[i][j][y] * (u[y] - mean(lambda a, b, i=i, j=j: key(a, b) == key(i, j))) ** 2
                for i, j, y in cells
            )
            / total
        )

    both, bob, alice, none = (mse(k) for k in (
        lambda a, b: (a, b), lambda a, b: b, lambda a, b: a, lambda a, b: 0))  # fmt: skip
    return bob - both, none - alice


@settings(max_examples=40, deadline=None)
@given(JOINT)
def test_substitutes_matches_the_mean_squared_errors(instance):
    verdict = substitutes(instance.prior, instance.alice_utility)
    if verdict.worst is not None:
        w = verdict.worst
        assert (w.lhs, w.rhs) == _mse_sides(instance, w.action, w.alice, w.senders)
        assert w.lhs > w.rhs
    alive_a = [i for i, t in enumerate(instance.prior) if any(map(any, t))]
    alive_b = [j for j in range(len(instance.sender_features))
               if any(any(t[j]) for t in instance.prior)]  # fmt: skip
    lhs, rhs = _mse_sides(instance, 0, alive_a, alive_b)
    if lhs > rhs:  # a violation on the whole space is found
        assert not verdict.holds and verdict.worst.lhs - verdict.worst.rhs >= lhs - rhs


# ---------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(JOINT)
def test_agreement_within_the_partition_bound(instance):
    """A pair's reports differ only in rounds that split its rectangle: it agrees exactly, and
    settles, by round |X_A| + |X_B| - 1."""
    result = agree(instance, zeta=F(0))
    bound = len(instance.alice_features) + len(instance.sender_features) - 1
    assert result.settled and result.rounds <= bound
    for pair in result.pairs:
        assert pair.exact_agreement_round is not None
        assert pair.exact_agreement_round <= pair.settled_round <= bound
        assert pair.reports[-1][0] == pair.reports[-1][1] == pair.final_beliefs


@settings(max_examples=60, deadline=None)
@given(JOINT)
def test_beliefs_are_martingales(instance):
    """Averaged over what Alice cannot tell apart when she reports in round k, her belief after
    Bob's answer is her report: E[mu^{k+1} | her information] = mu^k."""
    talk = converse(instance.prior, instance.alice_utility)
    for k in range(talk.rounds):
        groups: dict = {}
        for pair in talk.pairs:
            heard = (pair.alice, tuple(r for r in pair.reports[:k]), pair.reports[k][0])
            groups.setdefault(heard, []).append(pair)
        for (_, _, report), pairs in groups.items():
            mass = sum(p.probability for p in pairs)
            nxt = [p.reports[k + 1][0] if k + 1 < len(p.reports) else p.final for p in pairs]
            average = tuple(
                sum(p.probability * v[a] for p, v in zip(pairs, nxt, strict=True)) / mass
                for a in range(len(report))
            )
            assert average == report


@settings(max_examples=40, deadline=None)
@given(instances(max_states=3, max_actions=3, max_senders=1))
def test_alice_without_features_learns_everything(instance):
    """With X_A trivial, Bob's report is E[u_A | x_B] and it is all Alice needs: eps_u = 0."""
    result = agree(instance)
    assert result.max_error == (0,) * len(instance.actions)


@settings(max_examples=80, deadline=None)
@given(JOINT)
def test_substitutes_make_exact_agreement_accurate(instance):
    """Theorem 4 at zeta = 0: under Definition 14 the settled conversation is exact."""
    result = agree(instance, zeta=F(0))
    if result.substitutes.holds:
        assert result.max_error == (0,) * len(instance.actions)


# ---------------------------------------------------------------- the front door


def test_agree_refuses_bad_options():
    game = load_slug(XOR)
    with pytest.raises(ValueError, match="zeta"):
        agree(game, zeta=F(-1))
    with pytest.raises(ValueError, match="rounds"):
        agree(game, rounds=0)
    with pytest.raises(TypeError):
        agree("not an instance")


def _wide(n_alice: int, n_senders: int) -> dict:
    rows = [
        {"alice": f"a{i}", "senders": f"b{j}", "state": "y0", "p": F(1, n_alice * n_senders)}
        for i in range(n_alice)
        for j in range(n_senders)
    ]
    return {
        "format": "persuasion-instance/1",
        "states": ["y0", "y1"],
        "actions": ["x", "z"],
        "features": {"alice": [f"a{i}" for i in range(n_alice)],
                     "senders": [f"b{j}" for j in range(n_senders)]},
        "prior": rows,
        "alice": {"utility": [[1, 0], [0, 1]]},
        "senders": [{"name": "bob", "utility": [[1, 0], [0, 1]]}],
    }  # fmt: skip


def test_beyond_the_substitutes_limit_is_one_line_before_any_work():
    game = parse_instance(_wide(10, 10))
    assert 2 * 1023 * 1023 > MAX_SUBSTITUTE_CHECKS
    with pytest.raises(BeyondLimit, match="MAX_SUBSTITUTE_CHECKS") as err:
        agree(game)
    assert "\n" not in str(err.value)


def test_to_json_is_the_command_output(console):
    result = agree(load_slug(FOUR), zeta=F(1, 6), rounds=2)
    run = console("agree", FOUR, "--zeta", "1/6", "--rounds", "2", "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == result.to_json()
    assert result.to_json()["pairs"][1]["reports"][0] == {
        "alice": ["1/2", "1/2"],
        "bob": ["1/3", "2/3"],
    }


def test_the_program_prints_transcripts_and_the_verdict(console):
    run = console("agree", XOR)
    assert run.returncode == 0, run.stderr
    assert "round 1: Alice (1/2, 1/2)  Bob (1/2, 1/2)" in run.stdout
    assert "Information substitutes (Definition 14): FAILS" in run.stdout


@pytest.mark.parametrize(
    "args, problem",
    [
        (["--zeta", "-1"], "must be >= 0"),
        (["--rounds", "0"], "must be >= 1"),
        (["--zeta", "1e999999999"], "exponent"),
    ],
)
def test_hostile_options_are_one_line(console, args, problem):
    run = console("agree", XOR, *args)
    assert run.returncode == 2 and run.stdout == ""
    assert problem in run.stderr and len(run.stderr.splitlines()) == 1


def test_hostile_instances_are_one_line(console, tmp_path):
    wide = tmp_path / "wide.json"
    wide.write_text(json.dumps(_wide(10, 10), default=str), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "persuasion-instance/1"', encoding="utf-8")
    for path, problem in ((wide, "MAX_SUBSTITUTE_CHECKS"), (broken, "broken.json")):
        run = console("agree", str(path))
        assert run.returncode == 2 and run.stdout == "", run.stderr
        assert problem in run.stderr and len(run.stderr.splitlines()) == 1
