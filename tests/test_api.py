"""The front door (``import persuasion as ps``): typed results with pinned answers, their JSON is
the command line's, they are immutable and readable, and the games come from one table.

Known answers are those of the instances' own descriptions (the paper's Appendix I for
judge-prosecutor, Kamenica-Gentzkow for kg-prosecutor, the introduction for medical), as in
tests/test_instances.py.
"""

from __future__ import annotations

import collections
import importlib
import dataclasses
import json
import subprocess
import sys
from dataclasses import dataclass
from fractions import Fraction as F

import pytest

import persuasion as ps
from conftest import CONSOLE_TIMEOUT, INSTANCES, console_env, console_script
from persuasion import games
from persuasion.cli import main
from persuasion.errors import InputError
from persuasion.model import revealing_profile, silent_profile
from persuasion.profile import dump_profile

SLUGS = sorted(p.stem for p in INSTANCES.glob("*.json"))


def load(slug: str) -> ps.Instance:
    return ps.load(INSTANCES / f"{slug}.json")


@pytest.fixture(scope="module")
def judge() -> ps.Instance:
    return load("judge-prosecutor")


@pytest.fixture(scope="module")
def solutions() -> dict[str, ps.Solution]:
    return {slug: ps.solve(load(slug)) for slug in SLUGS}


# ---------------------------------------------------------------- pinned answers


@dataclass(frozen=True)
class AlignmentCase:
    """Definition 1's error, weights and offset, and Remark 2's (non-negative) error and weights."""

    slug: str
    epsilon: F
    weights: tuple[F, ...]
    offset: F
    nonnegative: F
    nonnegative_weights: tuple[F, ...] | None = None


ALIGNMENTS = [
    # Appendix I: u_A = U_prosecutor + U_defense exactly (non-negative weights 1, 1).
    AlignmentCase("judge-prosecutor", F(1, 4), (F(1, 2), F(1, 2)), F(3, 4), F(0), (F(1), F(1))),
    # Kamenica-Gentzkow: the prosecutor's utility is unrelated to the judge's.
    AlignmentCase("kg-prosecutor", F(1), (F(1),), F(0), F(1, 2), (F(0),)),
    # Introduction: the drug makers' misaligned parts sum to zero.
    AlignmentCase("medical", F(0), (F(1, 3),) * 3, F(0), F(0)),
]


@pytest.mark.parametrize("case", ALIGNMENTS, ids=[c.slug for c in ALIGNMENTS])
def test_alignment_pins_definition_1_and_remark_2(case):
    found = ps.alignment(load(case.slug))
    assert isinstance(found, ps.AlignmentResult)
    assert (found.epsilon, found.weights, found.offset) == (
        case.epsilon,
        case.weights,
        case.offset,
    )
    assert found.nonnegative.epsilon == case.nonnegative
    if case.nonnegative_weights is not None:
        assert found.nonnegative.weights == case.nonnegative_weights
    assert found.nonnegative.nonnegative is None


def test_solve_pins_the_benchmarks_and_the_bound(solutions):
    """Appendix I: OPT = U_A(C*) = 2 and eps = 0: Alice gets 2 at every equilibrium (Theorem 1)."""
    sol = solutions["judge-prosecutor"]
    assert (sol.first_best, sol.aligned_value, sol.aligned.messages) == (F(2), F(2), 2)
    eq = sol.equilibrium
    assert (eq.alice_utility, eq.nash_gap, eq.converged) == (F(2), F(0), True)
    assert eq.status is ps.Status.CONVERGED
    assert eq.start in {"revealing", "silent"}
    assert (sol.bound.value, sol.bound.holds, sol.bound.exact_equilibrium) == (F(2), True, True)
    assert sol.bound.theorem == "Theorem 1 (Section C.2)"
    assert sol.game == "simultaneous" and eq.selection is None
    assert sol.parameters.eta == F(1, 1000) and sol.parameters.start == "auto"


def test_solve_plays_the_selection_game_of_the_instance(solutions):
    """Section E: two identical prosecutors; full revelation is an equilibrium worth 1 to Alice,
    each prosecutor's scheme alone worth 1 to her, the tie going to the first (Definition 16)."""
    sol = solutions["two-prosecutors-selection"]
    assert sol.game == "best-ai-selection" and sol.bound.theorem == "Theorem 6 (Section E.2)"
    assert sol.equilibrium.selection == ps.Selection((F(1), F(1)), "prosecutor-1")
    assert (sol.equilibrium.alice_utility, sol.bound.value) == (F(1), F(0))


def test_solve_from_a_given_profile(judge):
    """Both senders revealing is an equilibrium (Appendix I): the dynamics stop at once."""
    sol = ps.solve(judge, start=revealing_profile(judge))
    assert (sol.parameters.start, sol.equilibrium.start) == ("given profile", "given profile")
    assert sol.equilibrium.profile == revealing_profile(judge)
    assert (sol.equilibrium.rounds, sol.equilibrium.nash_gap) == (1, 0)


def test_solve_takes_another_game_by_name(judge):
    """``game=`` overrides the instance's protocol: judge-prosecutor's selection game, Theorem 6."""
    sol = ps.solve(judge, game="best-ai-selection")
    assert sol.game == "best-ai-selection" and sol.bound.theorem == "Theorem 6 (Section E.2)"
    assert sol.equilibrium.selection is not None
    assert sol.equilibrium.alice_utility == F(2) and sol.equilibrium.nash_gap == 0
    with pytest.raises(ValueError, match="unknown game 'chess'"):
        ps.solve(judge, game="chess")


def test_verify_pins_appendix_i(judge):
    """Both senders revealing is an equilibrium worth OPT = 2 to Alice; the oblivious profile
    gives her only 5/3 and is no equilibrium.  u_A = U_p + U_d at every profile."""
    revealing = ps.verify(judge, revealing_profile(judge))
    assert (revealing.alice_utility, revealing.nash_gap, revealing.is_equilibrium) == (2, 0, True)
    oblivious = ps.verify(
        judge, ps.solve(judge, start="oblivious", max_rounds=1).equilibrium.profile
    )
    for found in (revealing, oblivious):
        assert found.alice_utility == sum(found.sender_utilities)
        assert found.nash_gap == max(d.gain for d in found.deviations)
        assert found.nash_conv == sum(d.gain for d in found.deviations)
        assert sum(map(sum, found.joint)) == 1


def test_verify_of_the_oblivious_profile(judge):
    from persuasion.equilibrium import oblivious_profile

    found = ps.verify(judge, oblivious_profile(judge))
    assert found.alice_utility == F(5, 3)
    assert not found.is_equilibrium and found.nash_gap > 0
    assert [d.sender for d in found.deviations] == ["prosecutor", "defense"]


def test_best_response_pins_kamenica_gentzkow():
    """The prosecutor's supremum 3/5 is unattained with ties to acquittal; the scheme returned
    comes within eta of it."""
    kg = load("kg-prosecutor")
    best = ps.best_response(kg, silent_profile(kg), "prosecutor")
    assert (best.sender, best.value, best.attained) == ("prosecutor", F(3, 5), False)
    assert 0 < best.shortfall <= F(1, 1000) and best.achieved == best.value - best.shortfall
    assert best.scheme[0] == (F(0), F(1))  # the guilty always hear "convict"
    assert ps.best_response(kg, silent_profile(kg), 0) == best
    eta = F(1, 100)
    assert 0 < ps.best_response(kg, silent_profile(kg), 0, eta=eta).shortfall <= eta
    with pytest.raises(ValueError, match="no sender 'judge'"):
        ps.best_response(kg, silent_profile(kg), "judge")


def test_certify_then_check(judge, tmp_path):
    source = str(INSTANCES / "judge-prosecutor.json")  # the file whose text certificates embed
    found = ps.certify(judge, claims=["definition-1", "theorem-1"], source=source)
    assert [c.name for c in found.claims] == ["definition-1", "theorem-1"]
    definition = found["definition-1"]
    assert definition.holds and definition.slack is None
    assert definition.conclusion["epsilon"] == "1/4"
    theorem = found["theorem-1"]
    assert theorem.holds and theorem.slack == 0  # Alice's 2 meets the bound 2 exactly
    verdict = ps.check(theorem)
    assert (verdict.valid, verdict.claim, verdict.holds) == (True, "theorem-1", True)
    assert dict(verdict.conclusion)["bound"] == "2"
    path = tmp_path / "theorem-1.json"
    path.write_text(theorem.certificate_text, encoding="utf-8")
    assert ps.check(path, source) == verdict
    same_game = (INSTANCES / "judge-prosecutor.json").read_bytes() + b" "  # but not the same file
    assert "sha256 differs" in ps.check(path, same_game).problem
    forged = theorem.certificate
    forged["conclusion"]["bound"] = "3"
    refused = ps.check(forged)
    assert (refused.valid, refused.claim) == (False, None)
    assert refused.line() == f"INVALID: {refused.problem}" and "bound" in refused.problem


def test_certify_refuses_a_claim_of_the_other_game(judge):
    with pytest.raises(InputError, match="theorem-6 is about the other game; this instance plays"):
        ps.certify(judge, claims=["theorem-6"], source="judge.json")
    assert "theorem-6" not in [c.name for c in ps.certify(judge, claims=None).claims]


# ---------------------------------------------------------------- the JSON is the CLI's


def _cli_json(*args: str, home) -> dict:
    """What the installed ``persuasion`` program prints with ``args``, parsed."""
    proc = subprocess.run(
        [str(console_script()), *args],
        capture_output=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        env=console_env(home),
        timeout=CONSOLE_TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("slug", SLUGS)
def test_solve_to_json_is_the_cli_json(slug, solutions, tmp_path):
    assert solutions[slug].to_json() == _cli_json(
        "solve", str(INSTANCES / f"{slug}.json"), "--json", home=tmp_path
    )


def test_verify_and_certify_to_json_are_the_cli_json(judge, solutions, tmp_path):
    profile = solutions["judge-prosecutor"].equilibrium.profile
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(dump_profile(profile, judge)), encoding="utf-8")
    instance = str(INSTANCES / "judge-prosecutor.json")
    verified = _cli_json("verify", instance, str(path), "--json", home=tmp_path)
    assert ps.verify(judge, profile).to_json() == verified
    certified = _cli_json("certify", instance, "--claim", "definition-1", "--json", home=tmp_path)
    assert ps.certify(judge, claims=["definition-1"], source=instance).to_json() == certified


SWEEP = dict(runs=1, senders=(2,), states=(2,), actions=(2,), families=("hull",), jobs=1)
SWEEP_ARGS = ["--runs", "1", "--senders", "2", "--states", "2", "--actions", "2"]
SWEEP_ARGS += ["--family", "hull", "--jobs", "1", "--json"]


def test_simulate_to_json_is_the_cli_json(tmp_path):
    result = ps.simulate(**SWEEP)
    assert result.to_json() == _cli_json("simulate", *SWEEP_ARGS, home=tmp_path)
    assert result.runs == len(result.rows) == 3 and result.instances == 1
    (row,) = result.summary
    assert (row.game, row.family, row.runs) == ("simultaneous", "hull", 3)
    assert ps.SummaryRow.from_json(row.to_json()) == row
    assert result.parameters.starts == ("oblivious", "silent", "random")


def test_simulate_refuses_what_it_cannot_play():
    with pytest.raises(ValueError, match="unknown game"):
        ps.simulate(**SWEEP, games=("chess",))
    with pytest.raises(ValueError, match="unknown start 'nowhere'"):
        ps.simulate(**SWEEP, starts=("nowhere",))
    with pytest.raises(ps.OptionError, match="force only applies with out"):
        ps.simulate(**SWEEP, force=True)


# ---------------------------------------------------------------- typed, immutable, readable


def test_results_are_frozen(judge, solutions):
    sol = solutions["judge-prosecutor"]
    verification = ps.verify(judge, sol.equilibrium.profile)
    for result, name in [
        (sol, "first_best"),
        (sol.equilibrium, "status"),
        (sol.bound, "holds"),
        (sol.alignment, "epsilon"),
        (sol.parameters, "eta"),
        (verification, "nash_gap"),
        (verification.deviations[0].best, "value"),
    ]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(result, name, 0)
    assert isinstance(sol.equilibrium.deviations, tuple)
    assert isinstance(sol.equilibrium.sender_utilities, tuple)


def test_every_number_is_a_fraction(solutions):
    sol = solutions["kg-prosecutor"]
    eq = sol.equilibrium
    numbers = [sol.first_best, sol.aligned_value, sol.bound.value, eq.alice_utility, eq.nash_gap]
    numbers += [*eq.sender_utilities, *(p for row in eq.joint for p in row)]
    numbers += [d.gain for d in eq.deviations] + [d.best.achieved for d in eq.deviations]
    assert all(type(x) is F for x in numbers)


def test_status_is_an_enumeration(solutions):
    from persuasion.equilibrium import STATUSES, Dynamics

    assert all(type(s.equilibrium.status) is ps.Status for s in solutions.values())
    assert ps.Status("cycle") is ps.Status.CYCLE and ps.Status.CYCLE == "cycle"
    assert set(STATUSES) | {ps.Status.STEP_CONVERGED} == set(ps.Status)
    dyn = Dynamics(None, (), False, "", 0, "max-rounds")
    assert dyn.status is ps.Status.MAX_ROUNDS
    with pytest.raises(ValueError):
        Dynamics(None, (), False, "", 0, "gave up")


def test_reprs_name_the_key_numbers(solutions):
    sol = solutions["kg-prosecutor"]
    text = repr(sol)
    assert text.startswith("<Solution kg-prosecutor (simultaneous):")
    for fact in ("first_best=1", "aligned_value=1", "epsilon=1", "nash_gap=1/2500", "bound=0"):
        assert fact in text
    assert len(text) < 300
    assert "alice_utility=1751/2500" in repr(sol.equilibrium)
    assert "value=3/5" in repr(sol.equilibrium.deviations[0].best)


def test_notebook_renderings(judge):
    odd = dataclasses.replace(judge, name="<b>judge & co</b> | x")
    sol = ps.solve(odd, start="revealing")
    html = sol._repr_html_()
    assert "&lt;b&gt;judge &amp; co&lt;/b&gt;" in html and "<b>" not in html
    assert "<tr><th>first_best</th><td>2</td></tr>" in html
    markdown = sol._repr_markdown_()
    assert "| first_best | 2 |" in markdown and "\\| x" in markdown
    assert (
        "| holds |" in ps.certify(judge, claims=["definition-1"])["definition-1"]._repr_markdown_()
    )


def test_importing_the_package_loads_nothing_else(tmp_path):
    code = (
        "import sys, persuasion as ps\n"
        "print(sorted(m for m in sys.modules if m.startswith('persuasion')))\n"
        "ps.Solution\n"
        "print('numpy' in sys.modules, 'persuasion.results' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        encoding="utf-8",
        env=console_env(tmp_path),
        timeout=CONSOLE_TIMEOUT,
    )
    assert proc.stdout.splitlines() == ["['persuasion']", "False True"], proc.stderr


def test_front_door_names_stay_functions_once_every_module_is_imported(judge):
    """No module of the package is named like a front-door function (the import system would
    bind the module over the function the first time it is imported)."""
    import pkgutil
    import types

    for module in pkgutil.walk_packages(ps.__path__, "persuasion."):
        importlib.import_module(module.name)
    for name in ps.__all__:
        assert not isinstance(getattr(ps, name), types.ModuleType), name
    certificate = ps.certify(judge, claims=["definition-1"])["definition-1"]
    assert ps.check(certificate).valid
    assert ps.alignment(judge).epsilon == F(1, 4)
    assert set(ps.__all__) <= set(dir(ps))
    with pytest.raises(AttributeError):
        ps.nothing_of_the_sort  # noqa: B018


# ---------------------------------------------------------------- one table of games


def test_the_table_holds_both_games_of_the_paper():
    simultaneous, selection = games.GAMES["simultaneous"], games.GAMES["best-ai-selection"]
    assert (simultaneous.theorem, simultaneous.claims) == (
        "Theorem 1 (Section C.2)",
        ("theorem-1", "theorem-7"),
    )
    assert (selection.theorem, selection.claims) == ("Theorem 6 (Section E.2)", ("theorem-6",))
    assert selection.uses_step and not simultaneous.uses_step
    assert simultaneous.bound(F(2), F(1, 4)) == F(3, 2)


@pytest.fixture
def fake_game():
    """A third game, registered in the table only: the simultaneous game with Theorem 'F', whose
    bound is ``U_A(C*) - 3 eps``, counting how often each of its pieces is called."""
    calls: collections.Counter = collections.Counter()
    simultaneous = games.GAMES["simultaneous"]

    def outcome(instance, profile):
        calls["outcome"] += 1
        return simultaneous.outcome(instance, profile)

    def respond(instance, profile, sender, eta):
        calls["respond"] += 1
        return simultaneous.respond(instance, profile, sender, eta)

    def dynamics(instance, start, **options):
        calls["dynamics"] += 1
        return simultaneous.dynamics(instance, start, **options)

    entry = games.GameEntry(
        name="fake",
        description="a game registered by a test",
        title="fake game (Theorem F)",
        outcome=outcome,
        respond=respond,
        dynamics=dynamics,
        theorem="Theorem F",
        bound_claim="theorem-1",
        claims=("theorem-1",),
        formula="U_A(C*) - 3 eps",
        bound=lambda aligned, epsilon: aligned - 3 * epsilon,
    )
    games.register(entry)
    yield calls
    del games.GAMES["fake"]


def test_a_game_added_to_the_table_is_played_by_solve_verify_and_simulate(fake_game, tmp_path):
    kg = load("kg-prosecutor")
    sol = ps.solve(kg, game="fake")
    assert (sol.game, sol.bound.theorem, sol.bound.formula) == (
        "fake",
        "Theorem F",
        "U_A(C*) - 3 eps",
    )
    assert sol.bound.value == 1 - 3 * F(1, 2)  # U_A(C*) = 1, non-negative eps = 1/2
    assert fake_game["dynamics"] >= 1 and fake_game["outcome"] >= 1
    assert sol.equilibrium.alice_utility == ps.solve(kg).equilibrium.alice_utility
    before = fake_game["respond"]
    assert ps.verify(kg, silent_profile(kg), game="fake").nash_gap == F(3, 5)
    assert fake_game["respond"] == before + 1
    before = fake_game["dynamics"]
    swept = ps.simulate(**SWEEP, games=("fake",), starts=("silent",))
    assert [row.game for row in swept.summary] == ["fake"]
    assert fake_game["dynamics"] == before + 1


def test_the_command_line_offers_a_game_added_to_the_table(fake_game, capsys):
    code = main(["simulate", *SWEEP_ARGS, "--game", "fake", "--start", "silent"])
    assert code == 0
    assert [row["game"] for row in json.loads(capsys.readouterr().out)["summary"]] == ["fake"]


def test_the_front_door_writes_nothing_to_a_scripts_stdout(tmp_path):
    """A script's stdout is its own: HiGHS prints a banner on the process's file descriptor 1 when
    an instance is made (highspy 1.16), which in-process capture never sees - so run a script."""
    code = (
        "import persuasion as ps\n"
        f"solution = ps.solve(ps.load({str(INSTANCES / 'judge-prosecutor.json')!r}))\n"
        "print(solution.first_best, solution.equilibrium.alice_utility)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        encoding="utf-8",
        cwd=tmp_path,
        env=console_env(tmp_path),
        timeout=CONSOLE_TIMEOUT,
    )
    assert (proc.stdout, proc.stderr) == ("2 2\n", "")
