"""``persuasion simulate``: reproducible sweeps, honest families, Theorem 1/6 on in-hull runs, Dask
= local."""

from __future__ import annotations

import csv
import io
import json
import re
from fractions import Fraction

import pytest

from persuasion.weighted_alignment import weighted_alignment
from persuasion.cli import main
from persuasion.experiments import sweep
from persuasion.experiments.families import FAMILIES, Size, generate, random_profile
from persuasion.experiments.runs import COLUMNS, Settings, Task, run_task

EXACT = re.compile(r"^-?\d+(/\d+)?$")
SMALL = ["--senders", "2", "--states", "2", "--actions", "2", "--jobs", "1", "--no-figures"]


def _simulate(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["simulate", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def _rows(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


# ---------------------------------------------------------------- families


@pytest.mark.parametrize("size", [Size(2, 2, 2), Size(3, 3, 2), Size(2, 3, 3)], ids=str)
def test_families_are_what_they_say(size):
    noise = Fraction(1, 8)
    for seed in range(6):
        hull = generate("hull", seed, size)
        assert weighted_alignment(hull, simplex=False).epsilon == 0
        noisy = generate("noisy", seed, size, noise=noise)
        assert 0 < weighted_alignment(noisy, simplex=False).epsilon <= noise
        assert weighted_alignment(generate("random", seed, size), simplex=False).epsilon > 0
        common = generate("common", seed, size)
        assert len({s.utility for s in common.senders}) == 1
        assert weighted_alignment(common, simplex=False).epsilon > 0
        for inst in (hull, noisy):
            assert (inst.num_senders, inst.num_states, inst.num_actions) == (
                size.senders,
                size.states,
                size.actions,
            )
            assert all(
                len(s.messages) == size.states for s in inst.senders
            )  # any sender can reveal the state


def test_noise_bound_is_respected_for_a_smaller_bound():
    for seed in range(5):
        eps = weighted_alignment(
            generate("noisy", seed, Size(2, 2, 2), noise=Fraction(1, 32)), simplex=False
        ).epsilon
        assert 0 < eps <= Fraction(1, 32)


def test_generation_is_deterministic_and_depends_on_the_seed():
    for family in FAMILIES:
        assert generate(family, 3, Size(2, 3, 2)) == generate(family, 3, Size(2, 3, 2))
        assert generate(family, 3, Size(2, 3, 2)) != generate(family, 4, Size(2, 3, 2))
    inst = generate("hull", 0, Size(2, 3, 3))
    profile = random_profile(inst, 7)
    assert profile == random_profile(inst, 7)
    for scheme in profile.schemes:
        assert all(sum(row) == 1 and min(row) >= 0 for row in scheme)


def test_generate_rejects_bad_arguments():
    with pytest.raises(ValueError, match="unknown family"):
        generate("hul", 0, Size(2, 2, 2))
    with pytest.raises(ValueError, match="too small"):
        generate("hull", 0, Size(2, 1, 2))


# ---------------------------------------------------------------- the command


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, capsys):
    for name, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        status, _, _ = _simulate(
            capsys, "--runs", "2", "--seed", seed, "--out", str(tmp_path / name), *SMALL
        )
        assert status == 0
    a, b, c = ((tmp_path / n / "runs.csv").read_bytes() for n in "abc")
    assert a == b
    assert a != c
    assert (tmp_path / "a" / "runs.json").read_bytes() == (
        tmp_path / "b" / "runs.json"
    ).read_bytes()


def test_columns_are_present_and_exact(tmp_path, capsys):
    status, out, _ = _simulate(capsys, "--runs", "2", "--out", str(tmp_path), *SMALL)
    assert status == 0
    header = (tmp_path / "runs.csv").read_text().splitlines()[0].split(",")
    assert header == list(COLUMNS)
    for key in ("family", "seed", "converged", "alice_utility", "aligned_value", "epsilon"):
        assert key in header
    rows = _rows(tmp_path / "runs.csv")
    assert len(rows) == len(FAMILIES) * 2 * 3  # families x runs x default starts
    assert [(r["family"], r["seed"]) for r in rows[::3]] == [
        (f, s) for f in FAMILIES for s in ("0", "1")
    ]
    assert {r["family"] for r in rows} == set(FAMILIES)
    assert {r["start"] for r in rows} == {"oblivious", "silent", "random"}
    for r in rows:
        assert r["error"] == ""
        assert r["converged"] in ("true", "false")
        for key in (
            "alice_utility",
            "start_utility",
            "aligned_value",
            "first_best",
            "epsilon",
            "bound",
            "gap",
            "bound_slack",
            "nash_gap",
            "delta",
        ):
            assert EXACT.match(r[key]), (key, r[key])
        alice, aligned, eps = (
            Fraction(r["alice_utility"]),
            Fraction(r["aligned_value"]),
            Fraction(r["epsilon"]),
        )
        assert Fraction(r["bound"]) == aligned - 2 * eps
        assert Fraction(r["gap"]) == aligned - alice
        assert Fraction(r["bound_slack"]) == alice - (aligned - 2 * eps)
        assert (r["within_bound"] == "true") == (Fraction(r["bound_slack"]) >= 0)
        # regenerating the instance from (family, seed, size) gives the recorded eps
        inst = generate(
            r["family"],
            int(r["seed"]),
            Size(int(r["senders"]), int(r["states"]), int(r["actions"])),
        )
        assert weighted_alignment(inst, simplex=False).epsilon == eps
    assert "Sweep: 24 runs on 8 instances" in out
    for family in FAMILIES:
        assert re.search(rf"simultaneous\s+{family}\s+6\s+0\s", out), out


def test_seeds_and_sizes_follow_the_plan():
    tasks = sweep.plan(["hull", "random"], sweep.sizes([2, 3], [2], [2, 3]), 5, 10, Settings())
    assert [(t.family, t.seed) for t in tasks[:5]] == [("hull", s) for s in range(10, 15)]
    assert [t.size for t in tasks[:5]] == [
        Size(2, 2, 2),
        Size(2, 2, 3),
        Size(3, 2, 2),
        Size(3, 2, 3),
        Size(2, 2, 2),
    ]
    # a longer sweep extends a shorter one
    assert (
        sweep.plan(["hull"], [Size(2, 2, 2)], 3, 0, Settings())
        == sweep.plan(["hull"], [Size(2, 2, 2)], 5, 0, Settings())[:3]
    )


def test_json_summary_counts(capsys):
    status, out, _ = _simulate(
        capsys, "--runs", "2", "--family", "hull,noisy", "--start", "silent", "--json", *SMALL
    )
    assert status == 0
    report = json.loads(out)
    assert report["runs"] == 4 and report["instances"] == 4 and report["files"] == []
    assert [(s["game"], s["family"], s["runs"]) for s in report["summary"]] == [
        ("simultaneous", "hull", "2"),
        ("simultaneous", "noisy", "2"),
    ]


def test_summary_statistics_are_exact():
    base = dict.fromkeys(COLUMNS, "")
    rows = [
        dict(
            base,
            game="simultaneous",
            family="noisy",
            converged="true",
            epsilon="1/8",
            gap="1/3",
            bound_slack="-1/12",
            within_bound="false",
            rounds="2",
        ),
        dict(
            base,
            game="simultaneous",
            family="noisy",
            converged="true",
            epsilon="1/16",
            gap="0",
            bound_slack="1/8",
            within_bound="true",
            rounds="1",
        ),
        dict(
            base,
            game="simultaneous",
            family="noisy",
            converged="false",
            epsilon="0",
            gap="1",
            bound_slack="-1",
            within_bound="false",
            rounds="25",
        ),
        dict(base, game="simultaneous", family="noisy", error="ValueError: boom"),
    ]
    [s] = sweep.summarise(rows)
    assert s == {
        "game": "simultaneous",
        "family": "noisy",
        "runs": "4",
        "errors": "1",
        "converged": "2",
        "within_bound": "1",
        "mean_epsilon": "1/16",
        "mean_gap": "1/6",
        "max_gap": "1/3",
        "min_slack": "-1/12",
        "mean_rounds": "28/3",
    }


# ---------------------------------------------------------------- the theorems on a small sweep


def _converged_meet_the_bound(rows):
    converged = [r for r in rows if r["converged"] == "true"]
    for r in converged:
        alice, aligned, eps = (
            Fraction(r[k]) for k in ("alice_utility", "aligned_value", "epsilon")
        )
        assert alice >= aligned - 2 * eps, r
        assert r["within_bound"] == "true"
    return converged


def test_theorem_1_on_a_small_in_hull_sweep():
    """Every converged run (an exact equilibrium: Nash gap 0) has Alice's utility >= U_A(C*) - 2
    eps.

    Messages = states, so every sender can reveal the state: the identical
    induced distribution condition holds (Remark 4) and Theorem 1 applies.
    """
    settings = Settings(starts=("oblivious", "silent", "random"), max_rounds=15)
    tasks = sweep.plan(["hull", "noisy"], sweep.sizes([2, 3], [2, 3], [2, 3]), 8, 0, settings)
    rows = sweep.run(tasks, jobs=1)
    assert not [r for r in rows if r["error"]]
    converged = _converged_meet_the_bound(rows)
    assert len(converged) >= len(rows) // 2
    assert all(Fraction(r["nash_gap"]) == 0 for r in converged)
    hull = [r for r in converged if r["family"] == "hull"]
    assert hull and all(Fraction(r["alice_utility"]) >= Fraction(r["aligned_value"]) for r in hull)


def test_theorem_6_on_a_small_in_hull_selection_sweep():
    settings = Settings(games=("best-ai-selection",), starts=("oblivious", "silent"), max_rounds=15)
    tasks = sweep.plan(["hull", "noisy"], sweep.sizes([2, 3], [2, 3], [2]), 6, 0, settings)
    rows = sweep.run(tasks, jobs=1)
    assert not [r for r in rows if r["error"]]
    converged = _converged_meet_the_bound(rows)  # exact: converged means an exact equilibrium
    assert converged and all(Fraction(r["nash_gap"]) == 0 for r in converged)
    assert all(r["delta"] == "1/100" for r in rows)


def test_identical_senders_leave_alice_below_the_benchmark():
    """The hull-fails family with identical senders: some runs end strictly below U_A(C*)."""
    tasks = sweep.plan(
        ["common"], sweep.sizes([2], [2, 3], [2, 3]), 8, 0, Settings(starts=("silent",))
    )
    rows = sweep.run(tasks, jobs=1)
    below = [r for r in rows if r["converged"] == "true" and Fraction(r["gap"]) > 0]
    assert below
    assert all(Fraction(r["epsilon"]) > 0 for r in below)


# ---------------------------------------------------------------- failures, processes, Dask


def test_a_failing_run_is_an_error_row_not_a_crash():
    good = Task("hull", 0, Size(2, 2, 2), Settings(starts=("silent",)))
    bad = Task("hull", 1, Size(2, 1, 2), Settings(starts=("silent", "random")))
    rows = sweep.run([good, bad, good], jobs=1)
    assert [r["error"] == "" for r in rows] == [True, False, False, True]
    assert rows[1]["error"].startswith("ValueError: size 2x1x2 too small")
    assert rows[1]["family"] == "hull" and rows[1]["seed"] == "1" and rows[1]["converged"] == ""
    assert rows[0] == rows[3] == run_task(good)[0]


def test_processes_give_the_same_rows_as_one_process():
    tasks = sweep.plan(list(FAMILIES), [Size(2, 2, 2), Size(2, 3, 2)], 2, 3, Settings())
    assert sweep.run(tasks, jobs=2) == sweep.run(tasks, jobs=1)


def test_dask_gives_the_same_rows_as_local(tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    import dask

    args = [
        "--runs",
        "2",
        "--family",
        "hull,random",
        "--senders",
        "2",
        "--states",
        "2",
        "--actions",
        "2",
        "--no-figures",
    ]
    assert _simulate(capsys, *args, "--jobs", "1", "--out", str(tmp_path / "local"))[0] == 0
    scratch = {
        "temporary-directory": str(tmp_path / "scratch")
    }  # not a dask-scratch-space in the system's /tmp
    with (
        dask.config.set(scratch),
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
    ):
        status, out, err = _simulate(
            capsys, *args, "--dask", cluster.scheduler_address, "--out", str(tmp_path / "dask")
        )
    assert status == 0, err
    assert (tmp_path / "dask" / "runs.csv").read_bytes() == (
        tmp_path / "local" / "runs.csv"
    ).read_bytes()
    assert "Sweep: 12 runs on 4 instances" in out


def test_figures_are_written(tmp_path, capsys):
    status, out, _ = _simulate(
        capsys,
        "--runs",
        "1",
        "--senders",
        "2",
        "--states",
        "2",
        "--actions",
        "2",
        "--jobs",
        "1",
        "--out",
        str(tmp_path),
    )
    assert status == 0
    for name in ("gap_by_family.png", "gap_vs_epsilon.png", "convergence.png"):
        data = (tmp_path / "figures" / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
        assert name in out


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--runs", "0"], "--runs: must be >= 1"),
        (["--family", "hull,convex"], "'convex' is not one of"),
        (["--game", "chess"], "'chess' is not one of"),
        (["--start", "nowhere"], "'nowhere' is not one of"),
        (["--noise", "0"], "--noise: must be > 0"),
        (["--states", "1"], "--states: must be >= 2"),
        (["--senders", "two"], "not an integer"),
        (["--eta", "x"], "--eta"),
        (["--dask", "nonsense", "--runs", "1"], "--dask nonsense: cannot connect"),
    ],
)
def test_bad_options_exit_2_with_one_line(argv, words, capsys):
    status, out, err = _simulate(capsys, *argv, "--no-figures")
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("persuasion: error:") and words in err, err


def test_unwritable_out_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    status, _, err = _simulate(
        capsys, "--runs", "1", "--family", "hull", "--out", str(blocker / "sub"), *SMALL
    )
    assert status == 2 and err.count("\n") == 1 and str(blocker) in err


def test_progress_bar_only_on_request(capsys):
    args = ["--runs", "2", "--family", "hull", *SMALL]
    assert _simulate(capsys, *args)[2] == ""  # not a terminal: no bar
    status, out, err = _simulate(capsys, *args, "--progress")
    assert status == 0 and "6/6" in err and "Sweep: 6 runs" in out
