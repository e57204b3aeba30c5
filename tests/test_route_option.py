"""``--route`` reaches every best response of ``verify`` and ``certify`` too.

The command line sets the route (:func:`persuasion.routes.using`, which loads
the solver) only once a command has read its files, so that a file with a
mistake gets its one-line error first (``tests/test_imports.py``).  Here: the
best responses each command computes after that all take the route asked for
(``solve``'s are checked through the installed program in
``tests/test_routes.py``).  Each best response's route is read from what
:func:`persuasion.routes.supremum` returned.
"""

from __future__ import annotations

import contextlib
import io
import json

import pytest

import persuasion.sender as sender
from conftest import INSTANCES
from persuasion.cli import main

JUDGE = str(INSTANCES / "judge-prosecutor.json")


@pytest.fixture
def routes_taken(monkeypatch) -> list[str]:
    """The route of every supremum found from now on, in order."""
    taken: list[str] = []
    real = sender.supremum

    def recording(problem, route=None):
        found = real(problem, route)
        taken.append(found.route)
        return found

    monkeypatch.setattr(sender, "supremum", recording)
    return taken


def _run(*argv: str) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(list(argv)) == 0
    return json.loads(out.getvalue()[out.getvalue().index("{") :])


@pytest.fixture(scope="module")
def equilibrium(tmp_path_factory):
    path = tmp_path_factory.mktemp("profile") / "equilibrium.json"
    path.write_text(
        json.dumps(_run("solve", JUDGE, "--json")["equilibrium"]["profile"]), encoding="utf-8"
    )
    return str(path)


@pytest.mark.parametrize("route, expected", [("enumeration", "enumeration"), ("auto", "cells")])
def test_verify_takes_the_route(routes_taken, equilibrium, route, expected):
    _run("verify", JUDGE, equilibrium, "--route", route, "--json")
    assert routes_taken and set(routes_taken) == {expected}


@pytest.mark.parametrize("route, expected", [("enumeration", "enumeration"), ("auto", "cells")])
def test_certify_takes_the_route_for_the_equilibrium_it_finds(routes_taken, route, expected):
    _run("certify", JUDGE, "--claim", "theorem-1", "--route", route, "--json")
    assert routes_taken and set(routes_taken) == {expected}
