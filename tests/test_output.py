"""Safe output (issue 7, points 2e, 5, 6): ``--out`` is checked first, written atomically, never
through a link.

In-process tests of :mod:`persuasion.output`, then the installed ``persuasion``
script in a subprocess for every refusal (exit status 2, exactly one line on
stderr, nothing on stdout, nothing written), and a run with an empty home
that must stay empty.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import console_script
from persuasion.errors import InputError
from persuasion.limits import MAX_RUNS
from persuasion.output import check_folder, write_files

ROOT = Path(__file__).resolve().parent.parent
JUDGE = str(ROOT / "instances" / "judge-prosecutor.json")
OWNED = ("runs.csv", "runs.json", "figures/a.png", "figures/b.png")
HANG = 120
"""Seconds after which a subprocess counts as hung (never a timing assertion: refusals take a second
or two)."""


def tree(path: Path) -> dict[str, bytes | None]:
    """Every entry under ``path``: file contents, None for folders, the target for links."""
    out: dict[str, bytes | None] = {}
    for entry in sorted(path.rglob("*")):
        name = str(entry.relative_to(path))
        if entry.is_symlink():
            out[name] = os.readlink(entry).encode()
        elif entry.is_dir():
            out[name] = None
        else:
            out[name] = entry.read_bytes()
    return out


# ---------------------------------------------------------------- the checks, in process


def test_new_folder_is_created_and_written(tmp_path):
    folder = check_folder(str(tmp_path / "out"), OWNED, force=False)
    assert not (tmp_path / "out").exists()  # the check writes nothing
    paths = write_files(folder, {"runs.csv": b"a\n", "figures/a.png": b"png"})
    assert paths == [
        str(tmp_path / "out" / "runs.csv"),
        str(tmp_path / "out" / "figures" / "a.png"),
    ]
    assert tree(tmp_path / "out") == {"figures": None, "figures/a.png": b"png", "runs.csv": b"a\n"}


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda t: "", "an empty name"),
        (lambda t: (t / "file").write_text("x") and str(t / "file"), "is a file"),
        (
            lambda t: (t / "file").write_text("x") and str(t / "file" / "sub"),
            "is not an existing folder",
        ),
        (lambda t: str(t / "missing" / "out"), "is not an existing folder"),
    ],
)
def test_unusable_destinations_are_refused(tmp_path, make, words):
    path = make(tmp_path)
    before = tree(tmp_path)
    with pytest.raises(InputError, match=words) as info:
        check_folder(path, OWNED, force=False)
    assert "\n" not in str(info.value) and str(info.value).startswith("--out ")
    assert tree(tmp_path) == before


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_a_place_nobody_may_write_is_refused():
    with pytest.raises(InputError, match="is not writable"):
        check_folder("/proc/self/persuasion-out", OWNED, force=False)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_folder_is_refused(tmp_path):
    (tmp_path / "ro").mkdir(mode=0o500)
    with pytest.raises(InputError, match="is not writable"):
        check_folder(str(tmp_path / "ro" / "out"), OWNED, force=False)
    with pytest.raises(InputError, match="is not writable"):
        check_folder(str(tmp_path / "ro"), OWNED, force=False)


def test_a_folder_that_is_a_link_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "link").symlink_to(outside)
    for path in (
        str(tmp_path / "link"),
        str(tmp_path / "link") + "/",
    ):  # a trailing slash would follow it
        with pytest.raises(InputError, match="symbolic link"):
            check_folder(path, OWNED, force=True)
    assert tree(outside) == {}


def test_a_non_empty_folder_needs_force_and_force_replaces_only_owned_files(tmp_path):
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    (out / "runs.csv").write_text("old run")
    (out / "figures" / "b.png").write_text("old figure")
    (out / "notes.txt").write_text("mine")
    (out / "figures" / "mine.png").write_text("mine too")
    with pytest.raises(InputError, match="not empty.*--force"):
        check_folder(str(out), OWNED, force=False)
    folder = check_folder(str(out), OWNED, force=True)
    write_files(folder, {"runs.json": b"{}", "figures/a.png": b"new"})
    assert tree(out) == {  # the old run's runs.csv and b.png are gone, the user's files stay
        "figures": None,
        "figures/a.png": b"new",
        "figures/mine.png": b"mine too",
        "notes.txt": b"mine",
        "runs.json": b"{}",
    }


def test_force_removes_an_emptied_figures_folder(tmp_path):
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "a.png").write_text("old")
    write_files(check_folder(str(out), OWNED, force=True), {"runs.csv": b"new"})
    assert tree(out) == {"runs.csv": b"new"}


@pytest.mark.parametrize("name", ["runs.csv", "figures", "figures/a.png"])
def test_an_owned_name_that_is_a_link_is_refused(tmp_path, name):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.png").write_text("precious")
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    if name == "figures":
        (out / "figures").rmdir()
        (out / "figures").symlink_to(outside)
    else:
        (out / name).symlink_to(outside / "a.png")
    with pytest.raises(InputError, match="symbolic link"):
        check_folder(str(out), OWNED, force=True)
    assert tree(outside) == {"a.png": b"precious"}


def test_a_link_planted_after_the_check_is_replaced_not_followed(tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    folder = check_folder(str(out), OWNED, force=False)
    (out / "runs.csv").symlink_to(outside)
    write_files(folder, {"runs.csv": b"new"})
    assert outside.read_text() == "precious"
    assert not (out / "runs.csv").is_symlink() and (out / "runs.csv").read_bytes() == b"new"


def test_a_folder_swapped_for_a_link_after_the_check_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = check_folder(str(tmp_path / "out"), OWNED, force=False)
    (tmp_path / "out").symlink_to(outside)
    with pytest.raises(OSError):
        write_files(folder, {"runs.csv": b"new"})
    assert tree(outside) == {}


def test_files_are_replaced_atomically_not_rewritten_in_place(tmp_path):
    """A rename gives the name a new file: a hard link to the old one keeps the old bytes, no
    temporary is left."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "runs.csv").write_text("old")
    os.link(out / "runs.csv", tmp_path / "old-link")
    write_files(check_folder(str(out), OWNED, force=True), {"runs.csv": b"new"})
    assert (tmp_path / "old-link").read_text() == "old"
    assert tree(out) == {"runs.csv": b"new"}


def test_only_owned_names_are_written(tmp_path):
    folder = check_folder(str(tmp_path / "out"), OWNED, force=False)
    with pytest.raises(ValueError, match="owns"):
        write_files(folder, {"../escape.csv": b"x"})
    assert tree(tmp_path) == {}


# ---------------------------------------------------------------- the installed script


def _script() -> str:
    return str(console_script())


def persuasion(*argv: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_script(), *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env or dict(os.environ),
        timeout=HANG,
    )


def assert_refused(proc: subprocess.CompletedProcess, *words: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("persuasion: error: "), proc.stderr
    for word in words:
        assert word in lines[0], lines[0]


SIM = ["simulate", "--runs", str(MAX_RUNS), "--jobs", "1"]
"""A sweep far too long to finish within :data:`HANG`: only a refusal before any run can return."""

CERTIFY = ["certify", JUDGE]


def _destinations(tmp: Path) -> list[tuple[str, str]]:
    (tmp / "file").write_text("x")
    (tmp / "full").mkdir()
    (tmp / "full" / "old.txt").write_text("old")
    (tmp / "outside").mkdir()
    (tmp / "link").symlink_to(tmp / "outside")
    return [
        ("", "empty name"),
        ("file", "is a file"),
        ("file/sub", "not an existing folder"),
        ("missing/out", "not an existing folder"),
        ("full", "not empty"),
        ("link", "symbolic link"),
        ("link/", "symbolic link"),
        ("x" * 300, "file name too long"),  # past NAME_MAX (255 bytes): once a traceback
        ("-", "standard output"),  # once created a folder named '-'
    ] + ([("/proc/self/out", "not writable")] if Path("/proc/self").is_dir() else [])


@pytest.mark.parametrize("command", [SIM, CERTIFY], ids=["simulate", "certify"])
def test_script_refuses_a_bad_out_before_any_work(command, tmp_path):
    for path, words in _destinations(tmp_path):
        before = tree(tmp_path)
        proc = persuasion(*command, "--out", path, cwd=tmp_path)
        assert_refused(proc, "--out", words)
        assert tree(tmp_path) == before, path


def test_certify_checks_out_before_reading_the_instance(tmp_path):
    (tmp_path / "file").write_text("x")
    assert_refused(
        persuasion("certify", "missing.json", "--out", "file", cwd=tmp_path),
        "--out file",
        "is a file",
    )


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--dask", ""], ["--dask", "empty address"]),
        (["--dask", "   "], ["--dask", "empty address"]),
        (["--runs", str(MAX_RUNS + 1)], ["--runs", f"<= {MAX_RUNS}", "MAX_RUNS"]),
        (["--jobs", "0"], ["--jobs", ">= 1"]),
        (["--dask", "tcp://127.0.0.1:1"], ["--dask tcp://127.0.0.1:1: cannot connect"]),
    ],
)
def test_script_refuses_bad_simulate_options_before_any_work(argv, words, tmp_path):
    proc = persuasion(*SIM, "--out", "out", *argv, cwd=tmp_path)
    assert_refused(proc, *words)
    assert tree(tmp_path) == {}


def test_help_states_the_limits():
    text = subprocess.run(
        [_script(), "simulate", "--help"], capture_output=True, text=True, timeout=HANG
    ).stdout
    flat = " ".join(text.split())
    assert (
        f"1 to {MAX_RUNS}" in flat
        and "at least 1" in flat
        and "5 seconds" in flat
        and "--force" in flat
    )


def _clean_env(tmp_path: Path) -> tuple[dict, Path, Path]:
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "MPLCONFIGDIR")
    }
    env.update(HOME=str(home), TMPDIR=str(temp))
    return env, home, temp


SMALL = [
    "simulate",
    "--runs",
    "1",
    "--family",
    "hull",
    "--senders",
    "2",
    "--states",
    "2",
    "--actions",
    "2",
]
FIGURES = {
    "figures",
    "figures/gap_by_family.png",
    "figures/gap_vs_epsilon.png",
    "figures/convergence.png",
}


@pytest.mark.parametrize(
    "extra", [["--jobs", "1"], ["--jobs", "1", "--dask", "local"]], ids=["local", "dask-local"]
)
def test_nothing_is_written_outside_out(extra, tmp_path):
    """A fresh home stays empty (no matplotlib font cache), temporary folders are removed, only DIR
    appears."""
    env, home, temp = _clean_env(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    proc = persuasion(*SMALL, *extra, "--out", "out", "--json", cwd=work, env=env)
    assert proc.returncode == 0, proc.stderr
    assert set(tree(work)) == {
        "out",
        "out/runs.csv",
        "out/runs.json",
        *(f"out/{f}" for f in FIGURES),
    }
    assert tree(home) == {} and tree(temp) == {}


def test_simulate_force_replaces_an_old_run(tmp_path):
    out = tmp_path / "out"
    first = persuasion(*SMALL, "--jobs", "1", "--out", "out", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    (out / "notes.txt").write_text("mine")
    assert_refused(
        persuasion(*SMALL, "--jobs", "1", "--out", "out", cwd=tmp_path), "not empty", "--force"
    )
    again = persuasion(
        *SMALL,
        "--seed",
        "7",
        "--jobs",
        "1",
        "--no-figures",
        "--out",
        "out",
        "--force",
        cwd=tmp_path,
    )
    assert again.returncode == 0, again.stderr
    assert set(tree(out)) == {
        "notes.txt",
        "runs.csv",
        "runs.json",
    }  # the old figures went with the old run
    assert json.loads((out / "runs.json").read_text())["settings"]["seed"] == 7


def test_certify_force_removes_stale_certificates(tmp_path):
    out = tmp_path / "certs"
    out.mkdir()
    (out / "theorem-1.json").write_text("stale")
    (out / "notes.txt").write_text("mine")
    proc = persuasion(
        "certify", JUDGE, "--claim", "theorem-7", "--out", "certs", "--force", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert set(tree(out)) == {"notes.txt", "theorem-7.json"}
    assert os.path.join("certs", "theorem-7.json") in proc.stdout
    check = persuasion("check", str(out / "theorem-7.json"), cwd=tmp_path)
    assert check.returncode == 0 and check.stdout.startswith("VALID")


def test_nothing_is_written_outside_out_with_a_scheduler(tmp_path):
    """The same with a running scheduler (on the loopback address): the client leaves nothing
    behind."""
    distributed = pytest.importorskip("distributed")
    import dask

    env, home, temp = _clean_env(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    with (
        dask.config.set({"temporary-directory": str(tmp_path / "scratch")}),
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=False,
            protocol="tcp://",
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
    ):
        proc = persuasion(
            *SMALL,
            "--dask",
            cluster.scheduler_address,
            "--out",
            "out",
            "--no-figures",
            cwd=work,
            env=env,
        )
    assert proc.returncode == 0, proc.stderr
    assert set(tree(work)) == {"out", "out/runs.csv", "out/runs.json"}
    assert tree(home) == {} and tree(temp) == {}


@pytest.mark.parametrize(
    "command",
    [
        ["certify", "instances/judge-prosecutor.json", "--claim", "definition-1"],
        ["simulate", "--runs", "1", "--no-figures"],
    ],
)
def test_force_without_out_is_refused(command, tmp_path):
    """--force means nothing without --out: refused in one line rather than ignored."""
    proc = persuasion(*command, "--force", cwd=ROOT)
    assert_refused(proc, "--force", "--out")


@pytest.mark.parametrize(
    ("out", "force", "words"),
    [
        ("x" * 300 + ".nfg", False, "file name too long"),  # once OSError Errno 36, a traceback
        ("-", False, "standard output"),  # once wrote a file named '-'
        ("/dev/full", True, "not a regular file"),  # once named the folder /dev, not --out
    ],
)
def test_export_refuses_a_bad_out_naming_it(out, force, words, tmp_path):
    """Every refusal of ``export --out`` is one line naming the argument itself, exit status 2."""
    proc = persuasion(
        "export", JUDGE, "--gambit", "--out", out, *(["--force"] if force else []), cwd=tmp_path
    )
    named = f"--out {out}" if len(out) < 80 else f"--out ...{out[-80:]}"  # cut at its start
    assert_refused(proc, named, words)
    assert tree(tmp_path) == {}
