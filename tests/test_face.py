"""The worst point for Alice of one sender's optimal face (:mod:`persuasion.face`): a lower
bound on Alice's utility at every best response, reached by an exact equilibrium when the point
is a scheme that attains the supremum -- so with one sender it decides the worst equilibrium.
Pinned on the review's instance (issue 10, finding 4), compared to the restricted game's exact
enumeration and to the search on random one-sender instances."""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest
from hypothesis import given, settings

import persuasion as ps
from persuasion.face import worst_on_face
from persuasion.model import silent_profile
from persuasion.testing import instances

SEED6 = {
    "format": "persuasion-instance/1",
    "name": "lp-seed6",
    "states": ["y0", "y1", "y2"],
    "actions": ["a0", "a1", "a2"],
    "prior": {"y0": "1/8", "y1": "1/2", "y2": "3/8"},
    "alice": {"utility": [[0, 1, 2], [0, 3, 2], [0, 2, 3]]},
    "senders": [{"name": "b0", "utility": [[0, 0, 1], [3, 2, 2], [0, 2, 3]], "messages": 3}],
    "protocol": {"game": "simultaneous", "tie_break": ["a2", "a1", "a0"]},
}
"""The review's one-sender instance: the search used to stop at Alice 21/8, but 9/4 is an exact
equilibrium (the restricted game on the grid 1/4 has full-game equilibria worth 21/8, 5/2, 19/8
and 9/4 to Alice)."""


@pytest.fixture
def seed6(tmp_path):
    path = tmp_path / "seed6.json"
    path.write_text(json.dumps(SEED6))
    return path


def test_the_face_finds_the_worse_equilibrium_the_search_missed(seed6):
    instance = ps.load(seed6)
    face = worst_on_face(instance, silent_profile(instance), 0)
    assert face.bound == F(9, 4)
    checked = ps.verify(instance, face.profile)
    assert checked.nash_gap == 0 and checked.alice_utility == F(9, 4)
    search = ps.equilibria(instance, random_starts=50)
    assert search.worst.alice_utility == F(9, 4) == search.lower_bound
    decided = ps.equilibria(instance, max_starts=1, restricted="grid:4").restricted
    full = {eq.alice_utility for eq in decided.equilibria if eq.full_equilibrium}
    assert full == {F(21, 8), F(5, 2), F(19, 8), F(9, 4)}  # the brute force: none below 9/4


def test_the_installed_program_reports_the_worst_and_says_it_is_decided(seed6, console):
    run = console("solve", str(seed6), "--equilibrium", "worst", "--random-starts", "50")
    assert run.returncode == 0, run.stderr
    assert "worst for Alice: #2, Alice's utility 9/4" in run.stdout
    assert "(the worst of all" in run.stdout and "at least 9/4 at every equilibrium" in run.stdout
    run = console("solve", str(seed6), "--equilibrium", "worst", "--json")
    report = json.loads(run.stdout)["equilibria"]
    assert report["worst_alice_utility"] == report["lower_bound"] == "9/4"


def test_with_several_senders_no_bound_is_claimed(console, catalog):
    search = ps.equilibria(catalog("judge-prosecutor"), random_starts=0, max_starts=10)
    assert search.lower_bound is None and search.to_json()["lower_bound"] is None


@settings(max_examples=15, deadline=None)
@given(instances(max_senders=1, max_states=3, max_actions=3))
def test_the_face_bounds_every_equilibrium_and_its_point_is_one(instance):
    face = worst_on_face(instance, silent_profile(instance), 0)
    search = ps.equilibria(instance, random_starts=2)
    assert all(eq.alice_utility >= face.bound for eq in search.found)
    assert search.lower_bound == face.bound
    if face.profile is not None:  # the point attains the supremum: an exact equilibrium
        checked = ps.verify(instance, face.profile)
        assert checked.nash_gap == 0 and checked.alice_utility == face.bound
        assert search.worst.alice_utility == face.bound
    decided = ps.equilibria(instance, max_starts=1, restricted="grid:2").restricted
    assert all(eq.alice_utility >= face.bound for eq in decided.equilibria if eq.full_equilibrium)
