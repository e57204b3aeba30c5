"""What a reader meets in the tables: decimal companions, Alice's decision rule, honest headings."""

from __future__ import annotations

import copy
import json
from fractions import Fraction as F

import pytest

from persuasion import render
from persuasion.cli import main
from persuasion.decision import decision_rule
from persuasion.model import Profile
from persuasion.api import solve, verify

OBLIVIOUS = Profile(
    (((F(1), F(0)), (F(1), F(0))), ((F(1, 2), F(1, 2)), (F(0), F(1))))
)  # Appendix I's oblivious profile of judge-prosecutor (the tutorial's oblivious.json)

WANDERING = {
    "format": "persuasion-instance/1",
    "name": "random-2x3x3-seed11",
    "states": ["y0", "y1", "y2"],
    "actions": ["a0", "a1", "a2"],
    "prior": {"y0": "2/7", "y1": "2/7", "y2": "3/7"},
    "alice": {"utility": [["3/4", "1/2", "3/4"], ["1/4", "0", "1"], ["1", "1/4", "1/4"]]},
    "senders": [
        {
            "name": "bob0",
            "utility": [["1/2", 0, 0], ["1/2", "1/4", 0], [0, "1/4", "1/4"]],
            "messages": 3,
        },
        {
            "name": "bob1",
            "utility": [["1/2", "3/4", "1/2"], ["3/4", "1/2", 0], ["1/4", 0, "3/4"]],
            "messages": 3,
        },
    ],
    "protocol": {"game": "simultaneous", "tie_break": ["a0", "a1", "a2"]},
}
"""tests/test_dynamics.py's wandering(): generate("random", 11, Size(2, 3, 3)), whose dynamics from
silence do not settle (Nash gap about 0.0432 after one round)."""


# ---------------------------------------------------------------- decimal companions


@pytest.mark.parametrize(
    "value, shown",
    [
        (F(5, 3), "5/3"),  # short: no companion
        (F(999, 1000), "999/1000"),  # 8 characters: still none
        (F(1751, 2500), "1751/2500 (~0.7004)"),  # 9 characters
        (F(-1751, 2500), "-1751/2500 (~-0.7004)"),
        (10**12, "1000000000000"),  # an integer is its own decimal
        ("0", "0"),
        # a certificate's slack of 21 digits over 18 (issue 9, point 6): in full, then its size
        (
            F(123456789012345678901, 10**17),
            "123456789012345678901/100000000000000000 (~1234.57)",
        ),
        (F(1, 812345678901), "1/812345678901 (~1.231e-12)"),
        # beyond 48 characters the digits are counted, the companion still gives the size
        (F(10**60 + 1, 3 * 10**59), "[p/q: 61/60 digits] (~3.33333)"),
    ],
)
def test_exact_values_get_a_companion_when_long(value, shown):
    assert render.exact(value) == shown


def test_companions_in_running_text():
    text = (
        "U_A = 1751/2500 >= 2/3; B = 78577199422741651/100000000000000 (~785.772) in"
        " [5740865944368523/500000000000000000, 1148173188873707/100000000000000000] (~0.0114817)"
        "; log 3/10."
    )
    assert render.with_companions(text) == (
        "U_A = 1751/2500 (~0.7004) >= 2/3; B = 78577199422741651/100000000000000 (~785.772) in"
        " [5740865944368523/500000000000000000, 1148173188873707/100000000000000000] (~0.0114817)"
        "; log 3/10."
    )  # a companion is added once; intervals keep the single one their text gives them


def test_certify_slack_reads_with_its_companion():
    claim = {
        "name": "lemma-2",
        "cites": "Lemma 2 (Section D.1)",
        "holds": True,
        "slack": "784703194631821492453/1000000000000000000",
        "statement": "s",
        "hypotheses": "||u - u'|| = 1/3",
        "conclusion_text": "||P - Q||_1 <= 68799595595017547/1000000000000000000",
    }
    text = render.certify_text({"instance": "judge-prosecutor", "claims": [claim]})
    assert "784703194631821492453/1000000000000000000 (~784.703)" in text.splitlines()[4]
    assert "conclusion: ||P - Q||_1 <= 68799595595017547/1000000000000000000 (~0.0687996)" in text


def test_simulate_summary_has_no_separate_float_columns():
    row = {
        "game": "simultaneous",
        "family": "noisy",
        "runs": 96,
        "errors": 0,
        "converged": 89,
        "within_bound": 89,
        "mean_epsilon": "101011/1290240",
        "mean_gap": "5/2848",
        "max_gap": "1/16",
        "min_slack": "1/96",
        "mean_rounds": "13/8",
    }
    lines = render.simulate_text({"runs": 96, "instances": 32, "summary": [row]}).splitlines()
    assert lines[1].split() == [
        "game", "family", "runs", "errors", "conv", "in", "bound", "mean", "eps",
        "mean", "gap", "max", "gap", "min", "slack", "mean", "rounds",
    ]  # fmt: skip
    assert lines[3].split() == [
        "simultaneous", "noisy", "96", "0", "89", "89", "101011/1290240", "(~0.0782885)",
        "5/2848", "1/16", "1/96", "13/8",
    ]  # fmt: skip


# ---------------------------------------------------------------- Alice's decision rule


DECISION_TABLE = """\
Alice's decision rule (Definition 4): the messages she hears -> her action
  prosecutor  defense  probability  P(guilty | .)  P(innocent | .)  action
  ----------  -------  -----------  -------------  ---------------  -------------------------
  0           0                1/3              1                0  convict
  0           1                2/3            1/2              1/2  acquit (tie with convict)"""
"""Derived by hand in tests/test_decision.py (test_judge_prosecutor_oblivious_profile_by_hand)."""


def test_verify_shows_the_decision_rule_when_the_report_has_it(catalog):
    inst = catalog("judge-prosecutor")
    report = verify(inst, OBLIVIOUS).to_json()
    report.pop("decision_rule", None)
    assert "decision rule" not in render.verify_text(report)
    report["decision_rule"] = decision_rule(inst, OBLIVIOUS).to_json()
    text = render.verify_text(report)
    assert DECISION_TABLE in text
    assert text.index("Outcome: P(action, state)") < text.index(DECISION_TABLE)
    assert text.index(DECISION_TABLE) < text.index("Best deviations")


def test_solve_shows_the_equilibriums_decision_rule_when_the_report_has_it(catalog):
    """judge-prosecutor's revealing equilibrium: ("0", "0") w.p. 2/3 -> convict, ("1", "1") ->
    acquit."""
    inst = catalog("judge-prosecutor")
    report = solve(inst).to_json()
    from persuasion.profile import parse_profile

    profile = parse_profile(report["equilibrium"]["profile"], inst)
    report["equilibrium"]["decision_rule"] = decision_rule(inst, profile).to_json()
    lines = render.solve_text(report).splitlines()
    at = lines.index("Alice's decision rule (Definition 4): the messages she hears -> her action")
    assert [line.split() for line in lines[at + 3 : at + 5]] == [
        ["0", "0", "2/3", "1", "0", "convict"],
        ["1", "1", "1/3", "0", "1", "acquit"],
    ]
    assert lines[at - 1] == "" and lines[at + 6].startswith("Theorem 1 bound")


def _rows(n: int, feature: str = "none") -> list[dict]:
    return [
        {
            "alice_feature": feature,
            "messages": {"bob": str(k)},
            "probability": f"1/{n}",
            "posterior": {"y": "1"},
            "best_actions": ["a"],
            "action": "a",
        }
        for k in range(n)
    ]


def test_a_long_decision_rule_is_cut_with_a_count():
    lines = render.decision_rule_lines(_rows(45))
    assert len(lines) == 1 + 2 + render.DECISION_ROWS + 1
    assert lines[-1] == "  ... and 5 more situations; --json lists them all"
    assert render.decision_rule_lines(_rows(3)) == [
        "Alice's decision rule (Definition 4): the messages she hears -> her action",
        "  bob  probability  P(y | .)  action",
        "  ---  -----------  --------  ------",
        "  0            1/3         1  a",
        "  1            1/3         1  a",
        "  2            1/3         1  a",
    ]


def test_alices_features_get_a_column_unless_the_prior_is_over_states_only():
    lines = render.decision_rule_lines(_rows(1, "young"))
    assert lines[1].split() == ["x_A", "bob", "probability", "P(y", "|", ".)", "action"]
    assert lines[3].split() == ["young", "0", "1", "1", "a"]
    assert render.decision_rule_lines([]) == []


# ---------------------------------------------------------------- honest headings


def test_a_profile_with_a_positive_gap_is_not_headed_equilibrium(catalog):
    report = solve(catalog("judge-prosecutor")).to_json()
    assert "Equilibrium profile: pi_i(message | x_B)" in render.solve_text(report)
    cut = copy.deepcopy(report)
    cut["equilibrium"].update(
        status="max-rounds",
        converged=False,
        nash_gap="1/7",
        stop_reason="iteration cap reached",
    )
    text = render.solve_text(cut)
    assert "Equilibrium profile" not in text
    assert "Best profile found (not an equilibrium: Nash gap 1/7): pi_i(message | x_B)" in text
    assert "did not converge after 1 round" in text


def _expect_cut_solve(lines: list[str]) -> None:
    """A search cut by --max-rounds: the profile's heading gives the gap the search reports."""
    assert "Equilibrium profile" not in "\n".join(lines)
    assert "  stopped: iteration cap reached" in lines
    (gap_line,) = [line for line in lines if line.startswith("  Nash gap (largest gain): ")]
    gap = gap_line.removeprefix("  Nash gap (largest gain): ")
    assert gap.endswith(")") and F(gap.split()[0]) > 0  # long, so with its companion
    heading = f"Best profile found (not an equilibrium: Nash gap {gap}): pi_i(message | x_B)"
    assert heading in lines


def test_a_solve_stopped_after_one_round_says_what_it_found(tmp_path, capsys, console):
    """In-process and through the installed program (the gap is about 0.0432: test_dynamics'
    patience test starts from it)."""
    path = tmp_path / "wandering.json"
    path.write_text(json.dumps(WANDERING))
    args = ["solve", str(path), "--start", "silent", "--max-rounds", "1"]
    assert main(args) == 0
    _expect_cut_solve(capsys.readouterr().out.splitlines())
    proc = console(*args)
    assert proc.returncode == 0 and proc.stderr == ""
    _expect_cut_solve(proc.stdout.splitlines())


# ---------------------------------------------------------------- one-round schemes


def test_schemes_render_one_round_rules():
    scheme = {"guilty": {"0": "1"}, "innocent": {"0": "999/1000", "1": "1/1000"}}
    assert render.scheme_lines(scheme, indent=2) == [
        "  x_B \\ message         0       1",
        "  -------------  --------  ------",
        "  guilty                1       0",
        "  innocent       999/1000  1/1000",
    ]
