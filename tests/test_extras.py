"""A light base install: what some commands need is an extra, and its absence is one clear line.

``pip install persuasion`` carries what ``solve``, ``verify``, ``certify`` and
``check`` need; matplotlib (``figures``), Dask (``cluster``), sympy
(``quantal``) and pyarrow (``parquet``) are extras (issue 9, point 6).  A missing
extra is simulated by blocking its module (``sys.modules[name] = None``, what an
uninstalled module looks like to ``import``): in-process with monkeypatch, and for the installed
program with a planted ``sitecustomize`` that blocks it at start-up.  The
command must then refuse before any run with one line on stderr naming the
extra to install, exit status 2, no traceback, nothing written.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tomllib

import pytest
from packaging.requirements import Requirement

from conftest import CONSOLE_TIMEOUT, ROOT, console_env, console_script
from persuasion import extras
from persuasion.cli import main

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
EXTRAS = (extras.FIGURES, extras.CLUSTER, extras.QUANTAL, extras.PARQUET)
SWEEP = ["simulate", "--runs", "1", "--family", "hull", "--senders", "2", "--states", "2"]
SWEEP += ["--actions", "2", "--jobs", "1"]

FIGURES_LINE = (
    "persuasion: error: drawing figures needs matplotlib, which is not installed: "
    "pip install 'persuasion[figures]' (or leave them out with --no-figures)\n"
)
CLUSTER_LINE = (
    "persuasion: error: running a sweep on a Dask cluster needs distributed, which is not "
    "installed: pip install 'persuasion[cluster]'\n"
)


def _provided(requirements: list[str]) -> set[str]:
    """The top-level modules of the distributions ``requirements`` name, with their extras'."""
    names = set()
    for req in map(Requirement, requirements):
        names.add(req.name.lower())
        for text in importlib.metadata.requires(req.name) or []:  # dask[distributed]: distributed
            dep = Requirement(text)
            if dep.marker and any(dep.marker.evaluate({"extra": e}) for e in req.extras):
                names.add(dep.name.lower())
    return {
        module
        for module, dists in importlib.metadata.packages_distributions().items()
        if names & {d.lower() for d in dists}
    }


# ---------------------------------------------------------------- the declared extras


@pytest.mark.parametrize("extra", EXTRAS, ids=lambda e: e.name)
def test_each_extra_installs_the_modules_its_message_names(extra):
    """`pip install 'persuasion[NAME]'` really brings what the refusal says is missing."""
    assert set(extra.modules) <= _provided(PROJECT["optional-dependencies"][extra.name])


def test_the_base_install_is_light():
    """The base dependencies bring none of the extras' modules; `all` and `dev` bring every one."""
    base = _provided(PROJECT["dependencies"])
    for extra in EXTRAS:
        assert not set(extra.modules) & base, extra.name
    optional = PROJECT["optional-dependencies"]
    (everything,) = [
        Requirement(text) for text in optional["all"] if text.startswith("persuasion[")
    ]
    assert {e.name for e in EXTRAS} <= everything.extras
    assert "persuasion[all]" in optional["dev"]  # the README's `pip install -e '.[dev]'`


def test_require_sees_an_installed_extra_and_a_blocked_one(monkeypatch):
    extras.require(extras.FIGURES)  # installed here (the dev extra): no error
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(extras.MissingExtra, match=r"pip install 'persuasion\[figures\]'$"):
        extras.require(extras.FIGURES)


# ---------------------------------------------------------------- in-process


def test_figures_without_matplotlib_refused_before_any_run(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert main([*SWEEP, "--out", str(tmp_path / "sweep")]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", FIGURES_LINE)
    assert not (tmp_path / "sweep").exists()


def test_no_figures_needs_no_matplotlib(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert main([*SWEEP, "--out", str(tmp_path / "sweep"), "--no-figures", "--json"]) == 0
    assert capsys.readouterr().err == ""
    assert sorted(p.name for p in (tmp_path / "sweep").iterdir()) == ["runs.csv", "runs.json"]


def test_dask_without_distributed_refused_before_any_run(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)
    assert main([*SWEEP, "--dask", "local"]) == 2
    assert capsys.readouterr() == ("", CLUSTER_LINE)


# ---------------------------------------------------------------- the installed program


def _blocking(tmp_path, blocked: str) -> dict[str, str]:
    """A clean environment whose interpreter starts with ``blocked`` made unimportable."""
    plant = tmp_path / "plant"
    plant.mkdir()
    (plant / "sitecustomize.py").write_text(
        f"import sys\nsys.modules[{blocked!r}] = None\n", encoding="utf-8"
    )
    env = console_env(tmp_path)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(plant), env.get("PYTHONPATH")) if p)
    return env


def _run(tmp_path, blocked: str, program: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        program,
        capture_output=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        env=_blocking(tmp_path, blocked),
        cwd=tmp_path,
        timeout=CONSOLE_TIMEOUT,
    )


@pytest.mark.parametrize(
    "blocked, options, line",
    [
        ("matplotlib", ["--out", "sweep"], FIGURES_LINE),
        ("distributed", ["--dask", "local"], CLUSTER_LINE),
        ("dask", ["--dask", "tcp://127.0.0.1:1"], CLUSTER_LINE.replace("distributed", "dask")),
    ],
)
def test_installed_program_names_the_missing_extra(tmp_path, blocked, options, line):
    proc = _run(tmp_path, blocked, [str(console_script()), *SWEEP, *options])
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", line)
    assert not (tmp_path / "sweep").exists()


def test_quantal_without_sympy_names_the_extra(tmp_path):
    """A Python user importing persuasion.quantal without sympy reads which extra to install."""
    proc = _run(tmp_path, "sympy", [sys.executable, "-c", "import persuasion.quantal"])
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1] == (
        "persuasion.extras.MissingExtra: Alice's quantal response in closed form needs sympy, "
        "which is not installed: pip install 'persuasion[quantal]'"
    )


def test_hull_of_a_parquet_table_without_pyarrow_names_the_extra(tmp_path):
    """The installed program refuses a Parquet table without pyarrow before reading it; a CSV
    table needs no pyarrow."""
    (tmp_path / "pool.parquet").write_bytes(b"PAR1")
    proc = _run(tmp_path, "pyarrow", [str(console_script()), "hull", "pool.parquet"])
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        "persuasion: error: pool.parquet: reading a Parquet ratings table needs pyarrow, which "
        "is not installed: pip install 'persuasion[parquet]' (or save the table as CSV)\n"
    )
    csv = tmp_path / "csv"
    csv.mkdir()
    (csv / "pool.csv").write_text("a,b,target\n1,2,3\n2,5,1\n3,1,2\n", encoding="utf-8")
    options = ["--folds", "2", "--permutations", "1", "--json"]
    proc = _run(csv, "pyarrow", [str(console_script()), "hull", "pool.csv", *options])
    assert (proc.returncode, proc.stderr) == (0, "")
