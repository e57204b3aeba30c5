"""``auto`` runs best-response dynamics from several starts; the runs share their best responses.

:func:`persuasion.api.find_equilibrium` hands one dict of best responses to
every run of the simultaneous game (``responses`` of
:func:`persuasion.equilibrium.best_response_dynamics`), so a sender's best
response to the same schemes of the others is computed once per solve, not
once per start.  Pinned on kg-prosecutor (one sender: every start asks for the
same best response) and checked against the runs from each start alone.
"""

from __future__ import annotations

import pytest

import persuasion.equilibrium as equilibrium
from persuasion.api import find_equilibrium
from persuasion.starts import AUTO as STARTS

SIMULTANEOUS_CATALOG = [
    "aligned-3-states-2-messages",
    "judge-prosecutor",
    "kg-prosecutor",
    "medical",
]


def _asked(monkeypatch) -> list[tuple]:
    """Every (sender, other senders' schemes) whose best response the dynamics compute, in order."""
    asked: list[tuple] = []
    real = equilibrium.deviation_problem

    def recording(instance, profile, sender):
        asked.append((sender, profile.schemes[:sender] + profile.schemes[sender + 1 :]))
        return real(instance, profile, sender)

    monkeypatch.setattr(equilibrium, "deviation_problem", recording)
    return asked


def test_one_sender_best_response_is_computed_once_for_all_starts(catalog, monkeypatch):
    """kg-prosecutor has one sender, so every start's dynamics ask for the same best response (to no
    other scheme); no start converges (the gain left is a supremum no scheme attains), so all three
    run: they computed it three times, now once."""
    instance = catalog("kg-prosecutor")
    assert not any(find_equilibrium(instance, name)[0].converged for name in STARTS)
    asked = _asked(monkeypatch)
    dyn, name = find_equilibrium(instance, "auto")
    assert asked == [(0, ())]
    assert (name, dyn.status) == ("revealing", "no-improvement")


@pytest.mark.parametrize("slug", SIMULTANEOUS_CATALOG)
def test_auto_computes_no_best_response_twice_and_finds_what_each_start_finds(
    catalog, monkeypatch, slug
):
    instance = catalog(slug)
    alone = {name: find_equilibrium(instance, name)[0] for name in STARTS}
    asked = _asked(monkeypatch)
    dyn, name = find_equilibrium(instance, "auto")
    assert len(asked) == len(set(asked))
    assert dyn == alone[name]
    first_converged = next((n for n in STARTS if alone[n].converged), None)
    assert name == (first_converged or name)
