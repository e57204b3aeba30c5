"""The worst-equilibrium search against the adversarial review of issue 10: the restricted game's
enumeration honours the time limit (one line, exit status 2, instead of running on)."""

from __future__ import annotations

import pytest

import persuasion as ps
from persuasion.errors import BeyondLimit


def test_the_restricted_game_honours_the_time_limit(console, catalog):
    run = console(
        "solve", "judge-prosecutor", "--equilibrium", "worst", "--restricted", "deterministic",
        "--time-limit", "0",
    )  # fmt: skip
    assert run.returncode == 2 and run.stdout == "", run.stdout
    assert run.stderr.count("\n") == 1 and "did not finish within the time limit (0 s)" in (
        run.stderr
    )
    with pytest.raises(BeyondLimit, match="restricted game deterministic did not finish"):
        ps.equilibria(catalog("judge-prosecutor"), restricted="deterministic", time_limit=0)
    decided = ps.equilibria(catalog("judge-prosecutor"), restricted="deterministic").restricted
    assert len(decided.equilibria) == 8  # within the default limit it is decided as before
