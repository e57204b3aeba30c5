"""The front door refuses what the command line refuses (persuasion.api.checks).

Each case is a reproduction from the adversarial review of the front door: before these checks,
a profile for another instance, a row that is no distribution or an impossible prior gave a
confident wrong number or a traceback from inside the solver, while the command line refused
the same input in one line.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction as F

import pytest

import persuasion as ps
from persuasion.errors import InputError
from persuasion.model import Profile, revealing_profile, silent_profile


@pytest.fixture(scope="module")
def judge():
    return ps.catalog.load("judge-prosecutor")


@pytest.fixture(scope="module")
def kg():
    return ps.catalog.load("kg-prosecutor")


def _with_row(profile: Profile, sender: int, row: tuple) -> Profile:
    schemes = list(profile.schemes)
    schemes[sender] = (row, *schemes[sender][1:])
    return Profile(tuple(schemes))


# ---------------------------------------------------------------- profiles


def test_a_profile_for_another_instance_is_refused(judge, kg):
    """The judge game's 2-sender profile on the 1-sender KG game gave Alice 17/20 before."""
    with pytest.raises(InputError, match="the profile has 2 schemes for 1 senders"):
        ps.verify(kg, silent_profile(judge))
    with pytest.raises(InputError, match="the profile has 1 schemes for 2 senders"):
        ps.verify(judge, silent_profile(kg))


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ((F(1), F(1)), "the probabilities sum to 2, not 1"),
        ((F(2), F(-1)), "-1 is not a probability"),
        ((F(3, 2), F(-1, 2)), "-1/2 is not a probability"),
        ((0.5, 0.5), "0.5 is not an exact rational probability"),
        ((F(1),), "has 1 probabilities for 2 messages"),
    ],
    ids=["sum-2", "negative", "negative-first", "float", "short"],
)
def test_a_row_that_is_no_distribution_is_refused_everywhere(judge, row, problem):
    bad = _with_row(revealing_profile(judge), 0, row)
    with pytest.raises(InputError, match=problem):
        ps.verify(judge, bad)
    with pytest.raises(InputError, match=problem):
        ps.solve(judge, start=bad)
    with pytest.raises(InputError, match=problem):
        ps.certify(judge, bad, claims=["theorem-1"])
    with pytest.raises(InputError, match=problem):
        ps.best_response(judge, bad, 1)


def test_a_profile_must_be_a_profile(judge):
    with pytest.raises(TypeError, match="a profile must be a persuasion.Profile, not dict"):
        ps.verify(judge, {"prosecutor": {}})


# ---------------------------------------------------------------- instances built in code


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda g: {"prior": tuple(tuple(tuple(2 * p for p in r) for r in t) for t in g.prior)},
            "1",
        ),
        (lambda g: {"protocol": dataclasses.replace(g.protocol, tie_break=(0, 0))}, "tie_break"),
        (lambda g: {"senders": ()}, "senders"),
        (lambda g: {"senders": (g.senders[0], g.senders[0])}, "prosecutor"),
    ],
    ids=["prior-sums-to-2", "tie-break-repeats", "no-senders", "duplicate-names"],
)
def test_an_instance_built_in_code_passes_the_instance_files_checks(judge, change, problem):
    bad = dataclasses.replace(judge, **change(judge))
    with pytest.raises(InputError, match=problem) as err:
        ps.alignment(bad)
    assert str(err.value).startswith("<memory>: ")


def test_an_instance_must_be_an_instance():
    with pytest.raises(TypeError, match="an instance must be a persuasion.Instance, not str"):
        ps.solve("judge-prosecutor")


# ---------------------------------------------------------------- options


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"order": "zigzag"}, "order must be one of round-robin, random"),
        ({"tolerance": 0.1}, "tolerance must be an exact rational"),
        ({"eta": F(0)}, "eta must be > 0"),
        ({"step": -1}, "step must be > 0"),
        ({"time_limit": float("nan")}, "time_limit must be a finite number"),
        ({"seed": "x"}, "seed must be an integer"),
        ({"max_rounds": 0}, "max_rounds must be >= 1"),
        ({"start": "nowhere"}, "start must be one of auto, oblivious"),
    ],
)
def test_solve_refuses_an_option_the_command_line_refuses(judge, options, problem):
    with pytest.raises(ValueError, match=problem):
        ps.solve(judge, **options)


def test_simulate_refuses_before_any_run():
    with pytest.raises(ValueError, match="runs must be >= 1 and <= 100000"):
        ps.simulate(runs=10**9)
    with pytest.raises(ValueError, match="senders must be >= 1, not 0"):
        ps.simulate(senders=[0])
    with pytest.raises(ValueError, match="family must be one of"):
        ps.simulate(families=["nowhere"])


def test_certify_takes_claim_names_not_a_string(judge):
    with pytest.raises(TypeError, match="not the string 'theorem-1'"):
        ps.certify(judge, claims="theorem-1")
    with pytest.raises(ValueError, match="failure_probability must be < 1"):
        ps.certify(judge, claims=["proposition-3"], failure_probability=F(1))


def test_a_sender_is_a_name_or_an_index(judge):
    with pytest.raises(TypeError, match="a sender is a name or an index, not True"):
        ps.best_response(judge, silent_profile(judge), True)


# ---------------------------------------------------------------- slugs


def test_certify_and_check_take_a_slug_like_the_command_line(judge):
    """A certificate made from the slug embeds the packaged file: checking it against the slug
    is VALID, and against another instance INVALID."""
    claim = ps.certify(judge, claims=["definition-1"], source="judge-prosecutor")["definition-1"]
    assert ps.check(claim, "judge-prosecutor").valid
    assert not ps.check(claim, "kg-prosecutor").valid
    with pytest.raises(InputError, match="no such file"):
        ps.certify(judge, claims=["definition-1"], source="no-such-game")


def test_load_takes_a_path_or_a_slug():
    assert ps.load("kg-prosecutor") == ps.catalog.load("kamenica-gentzkow-2011-prosecutor")
    with pytest.raises(TypeError, match="load takes a file path or a catalog slug, not NoneType"):
        ps.load(None)


def test_a_history_table_in_a_one_round_profile_is_one_input_error():
    """Review of issue 11: a history-keyed row inside a ps.Profile was a TypeError traceback."""
    from persuasion.conversation.rules import HistoryTable

    game = ps.catalog.load("collina-et-al-2025-judge-prosecutor")
    table = HistoryTable(((("0",), (F(1), F(0))),))
    with pytest.raises(ps.InputError, match="HistoryTable, not a row of probabilities"):
        ps.verify(game, ps.Profile(((table, table), (table, table))))
