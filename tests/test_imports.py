"""Every command loads only the libraries it uses (issue 8, point 4: small games in a blink).

sympy (about a second of start-up), matplotlib, dask and rich are imported only
where they are used: sympy by Alice's quantal response (:mod:`persuasion.quantal`),
mpmath by the analytic certificates (:mod:`persuasion.witnesses.analytic`),
matplotlib by the figures of ``simulate --out``, dask by ``simulate --dask``,
rich by a progress bar; jsonschema only to name what is wrong with a file that
does not conform to its schema (:mod:`persuasion.conformance`).  ``solve`` on a
catalog instance loads exactly numpy, highspy and python-flint besides the
standard library.  The kernel behind ``persuasion check`` loads no solver
at all.  These tests run the installed ``persuasion`` program with a planted
``sitecustomize`` that, when the process ends, writes the names in
``sys.modules`` to a file; and the reverse: where a library is used, it is seen
loaded (so the observer sees lazy imports, and each test can fail).  How fast
the commands are is measured in benchmarks/bench_startup.py, never here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from importlib.metadata import packages_distributions

from conftest import CONSOLE_TIMEOUT, INSTANCES, ROOT, SMALL_SWEEP, console_env, console_script

HEAVY = frozenset({"sympy", "mpmath", "matplotlib", "dask", "distributed", "rich"})
"""Libraries no ``solve``, ``verify``, ``check`` or alignment certificate of a catalog instance
uses."""

SOLVER = frozenset({"numpy", "highspy", "flint"})
"""What the exact solver loads; the certificate kernel loads none of it."""

SCHEMA_ERRORS = frozenset({"jsonschema"})
"""Loaded only to name the violation in a file that does not conform to its schema."""

OWNERS = {"sympy": "persuasion.quantal", "mpmath": "persuasion.witnesses.analytic"}
"""The one module of the package that imports each of these at module level."""

CATALOG = sorted(p.name for p in INSTANCES.glob("*.json"))
JUDGE = str(INSTANCES / "judge-prosecutor.json")
SMALL_HULL_SWEEP = (*SMALL_SWEEP, "--family", "hull")

OBSERVER = """
import atexit, os, sys

def _record():
    with open(os.environ["PERSUASION_TEST_MODULES"], "w", encoding="utf-8") as fh:
        fh.write("\\n".join(sorted(sys.modules)))

atexit.register(_record)
"""


@pytest.fixture(scope="module")
def observe(tmp_path_factory):
    """``observe(*args)``: run the installed program; return the set of module names it had loaded
    at exit."""
    home = tmp_path_factory.mktemp("home")
    plant = home / "plant"
    plant.mkdir()
    (plant / "sitecustomize.py").write_text(OBSERVER, encoding="utf-8")
    runs = iter(range(10**6))

    def run(*args: str, program: list[str] | None = None, status: int = 0) -> set[str]:
        """The installed program with ``args`` (or ``program``, a whole command line) ending with
        ``status``."""
        record = home / f"modules-{next(runs)}.txt"
        env = console_env(home, PERSUASION_TEST_MODULES=str(record))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(plant), env.get("PYTHONPATH")) if p)
        proc = subprocess.run(
            program or [str(console_script()), *args],
            capture_output=True,
            encoding="utf-8",
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=home,
            timeout=CONSOLE_TIMEOUT,
        )
        assert proc.returncode == status, proc.stderr
        run.stderr = proc.stderr
        return set(record.read_text(encoding="utf-8").split())

    run.home = home
    return run


def tops(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.fixture(scope="module")
def certificates(observe):
    """Two certificates of judge-prosecutor, and the modules their ``certify`` loaded."""
    out = observe.home / "certs"
    modules = observe(
        "certify", JUDGE, "--claim", "theorem-1", "--claim", "lemma-1", "--out", str(out), "--json"
    )
    return out, modules


def libraries(modules: set[str], interpreter: set[str]) -> set[str]:
    """The installed distributions' top-level packages among ``modules`` but this package and those
    the bare ``interpreter`` loads (its site hooks); the standard library is no distribution."""
    return tops(modules) & set(packages_distributions()) - tops(interpreter) - {"persuasion"}


@pytest.fixture(scope="module")
def interpreter(observe):
    """The modules of ``python -c pass`` with the same environment (and observer)."""
    return observe(program=[sys.executable, "-c", "pass"])


@pytest.mark.parametrize("name", CATALOG)
def test_solve_loads_the_solver_and_nothing_else(observe, interpreter, name):
    """Pinned: numpy, highspy and python-flint, no other library (no jsonschema for a good file);
    and not :mod:`logging`, which only a library that logs loads (the next test), nor
    :mod:`hashlib`, which only the certificates' digests need
    (:func:`persuasion.checker.core.sha256`), nor :mod:`random`, which only ``--order random`` needs
    (the test after)."""
    loaded = observe("solve", str(INSTANCES / name), "--json")
    assert libraries(loaded, interpreter) == SOLVER
    assert {"logging", "hashlib", "random"} & loaded == set()


def test_a_solve_in_random_order_loads_random(observe):
    assert "random" in observe("solve", JUDGE, "--json", "--order", "random")


LATE_LOGGER = """
import importlib
import persuasion.api as api

_real = api.solve

def solve(*args, **kwargs):
    logger = importlib.import_module("logging").getLogger("planted.library")
    logger.warning("planted late log record")
    return _real(*args, **kwargs)

api.solve = solve
"""


@pytest.mark.parametrize("isolated", [True, False])
def test_a_library_that_loads_logging_late_is_silenced_all_the_same(tmp_path, isolated):
    """The program drops log records (no "last resort" handler on stderr) without loading logging
    itself: a library that imports it in the middle of a solve and logs a warning writes nothing.
    Through main() (no isolation) the same record is seen, so the test can fail."""
    plant = tmp_path / "plant"
    plant.mkdir()
    (plant / "sitecustomize.py").write_text(LATE_LOGGER, encoding="utf-8")
    env = console_env(tmp_path)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(plant), env.get("PYTHONPATH")) if p)
    program = [str(console_script())] if isolated else [sys.executable, "-c", _MAIN]
    proc = subprocess.run(
        [*program, "solve", JUDGE, "--json"],
        capture_output=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=tmp_path,
        timeout=CONSOLE_TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout[proc.stdout.index("{") :])["first_best"] == "2"
    assert ("planted late log record" in proc.stderr) is not isolated


_MAIN = "import sys; from persuasion.cli import main; sys.exit(main())"


def test_a_file_that_breaks_the_schema_loads_jsonschema_for_the_message(
    observe, interpreter, tmp_path
):
    """The reverse: jsonschema names the violation (and is seen loaded), the reading stops there,
    before the solver loads (the route of ``--route`` is set only once the files are read)."""
    bad = json.loads((INSTANCES / "judge-prosecutor.json").read_text(encoding="utf-8"))
    bad["senders"][0]["messages"] = 0
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    loaded = observe("solve", str(path), "--json", status=2)
    assert (
        observe.stderr == f"persuasion: error: {path}: $.senders[0].messages: "
        "the message count must be at least 1\n"
    )
    assert SCHEMA_ERRORS <= libraries(loaded, interpreter)
    assert libraries(loaded, interpreter) & SOLVER == set()


def test_verify_loads_no_unused_library(observe, interpreter, tmp_path):
    solved = subprocess.run(
        [str(console_script()), "solve", JUDGE, "--json"],
        capture_output=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        env=console_env(tmp_path),
        timeout=CONSOLE_TIMEOUT,
    )
    profile = tmp_path / "equilibrium.json"
    profile.write_text(
        json.dumps(json.loads(solved.stdout)["equilibrium"]["profile"]), encoding="utf-8"
    )
    assert libraries(observe("verify", JUDGE, str(profile), "--json"), interpreter) == SOLVER


def test_an_alignment_certificate_loads_no_mpmath(observe):
    """``certify --claim definition-1`` (the alignment error eps is optimal) needs the LP solver
    only."""
    loaded = tops(
        observe("certify", JUDGE, "--claim", "definition-1", "--claim", "definition-1-nonnegative")
    )
    assert loaded & HEAVY == set()
    assert "highspy" in loaded


def test_an_analytic_certificate_loads_mpmath_only(certificates):
    """The reverse: Lemma 1's enclosures are found with mpmath, and it is loaded for them."""
    loaded = tops(certificates[1])
    assert "mpmath" in loaded
    assert loaded & HEAVY == {"mpmath"}


@pytest.mark.parametrize("claim", ["theorem-1", "lemma-1"])
def test_check_loads_no_solver(observe, certificates, claim):
    """The certificate kernel is standard library only: not even numpy, and no mpmath for Lemma
    1."""
    modules = observe("check", str(certificates[0] / f"{claim}.json"))
    assert tops(modules) & (HEAVY | SOLVER | SCHEMA_ERRORS) == set()
    assert "persuasion.checker.claims" in modules  # the chains were registered, by the check itself
    assert (
        "hashlib" in modules
    )  # the reverse of the solve's: the embedded instance's digest is checked


def test_help_loads_neither_solver_nor_reader(observe):
    loaded = tops(observe("--help"))
    assert loaded & (HEAVY | SOLVER | SCHEMA_ERRORS) == set()
    assert "argparse" in loaded


def test_a_sweep_loads_matplotlib_for_figures_and_rich_for_the_bar_only(observe):
    plain = tops(observe(*SMALL_HULL_SWEEP, "--json"))
    assert plain & HEAVY == set()
    drawn = tops(
        observe(*SMALL_HULL_SWEEP, "--json", "--progress", "--out", str(observe.home / "sweep"))
    )
    assert drawn & HEAVY == {"matplotlib", "rich"}


def _imported(modules: list[str], home: Path) -> set[str]:
    """Top-level packages loaded by importing ``modules`` in a fresh interpreter."""
    code = (
        f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
        "print('\\n'.join(sys.modules))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        encoding="utf-8",
        timeout=CONSOLE_TIMEOUT,
        stdin=subprocess.DEVNULL,
        env=console_env(home),
        cwd=home,
    )
    assert proc.returncode == 0, proc.stderr
    return tops(set(proc.stdout.split()))


def _package_modules() -> list[str]:
    package = ROOT / "persuasion"
    return sorted(
        ".".join(("persuasion", *p.relative_to(package).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
        for p in package.rglob("*.py")
    )


def test_heavy_libraries_are_imported_at_module_level_by_their_owner_only(tmp_path):
    """Importing every module of the package but the owners loads none of :data:`HEAVY`; each owner
    loads its library."""
    others = [m for m in _package_modules() if m not in OWNERS.values()]
    assert "persuasion.cli" in others and "persuasion.experiments.sweep" in others
    assert _imported(others, tmp_path) & HEAVY == set()
    for library, owner in OWNERS.items():
        assert library in _imported([owner], tmp_path)


def test_agree_loads_no_solver(observe):
    """``persuasion agree`` is exact Fraction sums: no numpy, highspy, flint nor mpmath; the
    kernel's decision of Definition 14 is loaded, and used."""
    modules = observe("agree", str(INSTANCES / "xor-prior.json"), "--json")
    assert tops(modules) & (HEAVY | SOLVER | SCHEMA_ERRORS) == set()
    assert "persuasion.checker.substitutes" in modules


def test_a_theorem_5_certificate_loads_the_lp_solver_but_no_mpmath(observe):
    """Its enclosures are the kernel's own; only Definition 1's fit needs the LP solver."""
    loaded = tops(observe("certify", JUDGE, "--claim", "theorem-5"))
    assert loaded & HEAVY == set() and "highspy" in loaded
