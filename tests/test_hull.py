"""``persuasion hull`` (issue 12): a pool of models' ratings against the convex hull condition.

Known answers (an exact convex combination, a single model, a hand-computed NNLS), brute
force (the float fits against scipy, the float epsilon curve against the exact LP), properties
(epsilon non-increasing in K, NNLS <= simplex <= best single on the training folds), KKT
certificates rejecting tampered weights, the pool's game, and the installed program on
hostile tables.
"""

from __future__ import annotations

import json
import sys
from fractions import Fraction as F

import numpy as np
import pytest
import scipy.optimize
from hypothesis import given, settings
from hypothesis import strategies as st

import persuasion as ps
from persuasion.errors import InputError
from persuasion.hull_audit.fits import Folds, make_folds, order_curves
from persuasion.hull_audit.kkt import KKTError, check_kkt, exact_fit, gram
from persuasion.hull_audit.qp import nnls, simplex_ls
from persuasion.hull_audit.supnorm import epsilon_curve
from persuasion.hull_audit.table import Ratings, read_ratings
from persuasion.instance import load_instance
from persuasion.weighted_alignment import weighted_alignment


def write_table(path, models, target, items=None):
    """A ratings CSV: ``models`` maps names to columns; the target column is ``target``."""
    names = list(models)
    lines = ["item," + ",".join(names) + ",target"]
    for t, y in enumerate(target):
        item = items[t] if items else f"i{t}"
        lines.append(f"{item}," + ",".join(str(models[n][t]) for n in names) + f",{y}")
    path.write_text("\n".join(lines) + "\n")
    return path


def table(models, target) -> Ratings:
    """An in-memory exact ratings table."""
    names = tuple(models)
    rows = tuple(tuple(F(models[n][t]) for n in names) for t in range(len(target)))
    return Ratings(
        "<memory>", tuple(map(str, range(len(target)))), names, rows, tuple(map(F, target))
    )


COMBINATION = {  # target = 1/3 m1 + 2/3 m2 + 1/10, exactly; m1, m2, m3, 1 independent
    "m1": ["0.1", "0.5", "0.9", "0.3", "0.7", "0.2"],
    "m2": ["0.4", "0.2", "0.6", "0.8", "0.1", "0.5"],
    "m3": ["0.9", "0.1", "0.3", "0.2", "0.6", "0.4"],
}


def _combination_target(offset):
    return [
        F(a) / 3 + 2 * F(b) / 3 + offset
        for a, b in zip(*list(COMBINATION.values())[:2], strict=True)
    ]


def test_exact_convex_combination_has_epsilon_zero_and_its_weights(tmp_path):
    target = _combination_target(F(1, 10))
    path = write_table(tmp_path / "pool.csv", COMBINATION, [str(y) for y in target])
    result = ps.hull(path, permutations=3, folds=2, jobs=1)
    assert result.definition1.epsilon == 0
    assert result.definition1.weights == (F(1, 3), F(2, 3), 0)
    assert result.definition1.offset == F(1, 10)
    assert result.nonnegative.epsilon == 0
    assert result.curves["epsilon"][-1][0] == pytest.approx(0, abs=1e-9)


def test_exact_combination_without_offset_is_an_exact_least_squares_fit():
    result = ps.hull(table(COMBINATION, _combination_target(F(0))), permutations=2, folds=2, jobs=1)
    for fit in (result.nnls, result.simplex):
        assert fit.mse == 0 and fit.weights == (F(1, 3), F(2, 3), 0)


def test_single_model_pool():
    m = ["0", "1/4", "1", "1/2"]
    y = ["1/8", "1/2", "3/4", "1/2"]
    result = ps.hull(table({"only": m}, y), permutations=2, folds=2, jobs=1)
    d = [F(a) - F(b) for a, b in zip(y, m, strict=True)]
    assert result.definition1.epsilon == (max(d) - min(d)) / 2  # the offset centres the residuals
    r, t = [F(v) for v in m], [F(v) for v in y]
    w = sum(a * b for a, b in zip(r, t, strict=True)) / sum(a * a for a in r)
    assert result.nnls.weights == (w,)
    assert result.simplex.weights == (1,)
    assert result.curves["simplex_nonzero"] == ((1.0, 0.0),)


def test_hand_computed_nnls():
    # U = [[1, 0], [0, 1], [1, 1]], y = (2, 0, 0): the unconstrained fit (4/3, -2/3) is
    # infeasible; NNLS is (1, 0) with gradient (0, 1) >= 0, MSE ((1-2)^2 + 0 + 1^2) / 3 = 2/3.
    result = ps.hull(table({"a": [1, 0, 1], "b": [0, 1, 1]}, [2, 0, 0]), permutations=1, folds=2)
    assert result.nnls.weights == (1, 0) and result.nnls.mse == F(2, 3)
    assert result.simplex.weights == (1, 0) and result.simplex.mse == F(2, 3)


def _certificate_inputs():
    exact = table(COMBINATION, [F(1, 2), F(1, 3), F(1, 5), F(3, 4), F(0), F(1)])
    G, b, yy = gram(exact.exact, exact.target)
    return G, b, yy, len(exact.items)


def test_kkt_certificates_reject_tampered_weights():
    G, b, yy, n = _certificate_inputs()
    for simplex in (False, True):
        Gf, bf = (np.array([[float(v) for v in row] for row in G]), np.array([float(v) for v in b]))
        w = (simplex_ls if simplex else nnls)(Gf, bf)
        cert = exact_fit(G, b, yy, n, [int(i) for i in np.flatnonzero(w > 0)], simplex)
        assert cert is not None
        assert check_kkt(G, b, yy, n, cert.weights, cert.mu, simplex) == cert
        moved = list(cert.weights)
        j = max(range(len(moved)), key=lambda i: moved[i])
        moved[j] -= F(1, 10**6)
        if simplex:
            moved[(j + 1) % len(moved)] += F(1, 10**6)
        with pytest.raises(KKTError):
            check_kkt(G, b, yy, n, moved, cert.mu, simplex)
    with pytest.raises(KKTError, match="negative"):
        check_kkt(G, b, yy, n, [F(-1), F(1), F(1)], 0, True)
    with pytest.raises(KKTError, match="sum"):
        check_kkt(G, b, yy, n, [F(1), F(1), F(0)], 0, True)


pools = st.tuples(st.integers(4, 12), st.integers(1, 6), st.integers(0, 2**32 - 1))


def _pool(shape):
    n, N, seed = shape
    rng = np.random.default_rng(seed)
    return rng.random((n, N)), rng.random(n), rng


@settings(max_examples=25, deadline=None)
@given(pools)
def test_active_set_matches_scipy(shape):
    U, y, _ = _pool(shape)
    G, b = U.T @ U, U.T @ y
    w = nnls(G, b)
    assert np.sum((U @ w - y) ** 2) == pytest.approx(
        np.sum((U @ scipy.optimize.nnls(U, y)[0] - y) ** 2), abs=1e-9
    )
    ws = simplex_ls(G, b)
    assert ws.min() >= 0 and ws.sum() == pytest.approx(1)
    for j in range(U.shape[1]):  # no vertex of the simplex does better
        assert np.sum((U @ ws - y) ** 2) <= np.sum((U[:, j] - y) ** 2) + 1e-9


@settings(max_examples=20, deadline=None)
@given(pools)
def test_curves_are_ordered(shape):
    U, y, rng = _pool(shape)
    order = rng.permutation(U.shape[1])
    eps = epsilon_curve(U, y, order)
    assert np.all(np.diff(eps) <= 1e-12)
    folds: Folds = make_folds(U, y, np.arange(len(y)) % 2, 2)
    c = order_curves(order, folds)
    assert np.all(c["nnls_train"] <= c["simplex_train"] + 1e-9)  # NNLS has no sum constraint
    assert np.all(c["simplex_train"] <= c["best_train"] + 1e-9)  # every single model is a vertex
    assert np.all(c["simplex_train"] <= c["average_train"] + 1e-9)


def test_float_epsilon_curve_ends_at_the_exact_epsilon():
    U, y, _ = _pool((15, 4, 7))
    exact = table({f"m{j}": [F(v) for v in U[:, j]] for j in range(4)}, [F(v) for v in y])
    result = ps.hull(exact, permutations=2, folds=3, jobs=1)
    assert result.curves["epsilon"][-1][0] == pytest.approx(float(result.definition1.epsilon))
    assert result.nonnegative.epsilon <= result.definition1.epsilon


def test_seed_reproduces_and_jobs_do_not_matter(tmp_path):
    U, y, _ = _pool((20, 5, 3))
    models = {f"m{j}": [round(v, 3) for v in U[:, j]] for j in range(5)}
    path = write_table(tmp_path / "pool.csv", models, [round(v, 3) for v in y])
    one = ps.hull(path, permutations=4, seed=5, jobs=1).to_json()
    assert ps.hull(path, permutations=4, seed=5, jobs=2).to_json() == one
    assert ps.hull(path, permutations=4, seed=6, jobs=1).to_json() != one


def test_scale_maps_exactly(tmp_path):
    path = write_table(tmp_path / "pool.csv", {"a": [0, 50, 100], "b": [10, 20, 90]}, [25, 50, 75])
    ratings = read_ratings(path, scale=(F(0), F(100)))
    assert ratings.column(0) == (0, F(1, 2), 1) and ratings.target == (F(1, 4), F(1, 2), F(3, 4))
    with pytest.raises(InputError, match="outside --scale"):
        read_ratings(path, scale=(F(0), F(80)))


def test_pool_game_has_the_tables_epsilon(tmp_path):
    U, y, _ = _pool((6, 3, 11))
    models = {f"m{j}": [round(v, 2) for v in U[:, j]] for j in range(3)}
    path = write_table(tmp_path / "pool.csv", models, [round(v, 2) for v in y])
    game = tmp_path / "game.json"
    result = ps.hull(path, permutations=1, folds=2, instance_out=str(game))
    instance = load_instance(game)
    assert weighted_alignment(instance).epsilon == result.definition1.epsilon
    support = [m for m, w in zip(result.models, result.definition1.weights, strict=True) if w]
    assert [s.name for s in instance.senders] == support
    assert instance.actions == ("adopt", "pass")


GOOD = "item,a,b,target\nx,1,2,3\ny,2,5,1\nz,3,1,2\nw,4,4,4\nv,0,3,2\n"
HOSTILE = [
    ("item,a,b,target\nx,1,,3\ny,2,5,1\n", "row 1, column 'b': missing value"),
    ("item,a,b,target\nx,1,2,3\ny,2,high,1\n", "row 2, column 'b': non-numeric cell"),
    ("item,a,b,target\nx,1,7,3\ny,2,7,1\n", "column 'b' is constant"),
    ("item,a,b,target\nx,1,2,3\n", "1 rows of items; at least 2 needed"),
    ("item,target\nx,1\ny,2\n", "no model columns"),
    ("item,a,b\nx,1,2\ny,2,1\n", "no target column 'target'"),
    ("item,a,a,target\nx,1,2,3\n", "column name 'a' is not unique"),
    ("item,a,b,target\nx,1,2,3\nx,2,5,1\n", "row 2: item 'x' repeats row 1"),
    ("item,a,b,target\nx,1,2,3,9\n", "row 1: 5 cells, the header has 4"),
    ("item,a,b,target\nx,1,2,1e99999999\ny,2,1,0\n", "non-numeric cell"),
    ("", "empty file"),
    ("item,a,b,target\nx,1e400,2,3\ny,2,1,1\n", "row 1, column 'a': |value|"),
    ("item,a,b,target\nx,1,2,3\ny,2e308,1,1\n", "row 2, column 'a': |value|"),
    ("item,a,b,target\nx,1,2,1e400\ny,2,1,1\n", "row 1, column 'target': |value|"),
    ("item,a,b,target\nx,1,2,3\ny,2,1e-400,1\n", "column 'b': |value| (after any --scale)"),
    ("item,a,b,target\nx,1e200,2,3\ny,2,1,1\n", "row 1, column 'a': |value| (after any"),
    ("item,a,b,target\nx,-1e-200,2,3\ny,2,1,1\n", "outside 1e-150 .. 1e+150"),
]


@pytest.mark.parametrize(("text", "message"), HOSTILE)
def test_hostile_tables_are_one_line_errors(console, tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    run = console("hull", str(path), "--folds", "2")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and str(path) in run.stderr and message in run.stderr


def test_bad_options_are_one_line_errors(console, tmp_path):
    path = tmp_path / "pool.csv"
    path.write_text(GOOD)
    for args, message in (
        (["--scale", "5:1"], "LO must be below HI"),
        (["--scale", "0:3"], "outside --scale"),
        (["--folds", "6"], "5 rows of items; at least 6 needed"),
        (["--threshold", "1/2"], "only applies with --instance-out"),
        (["--out", str(path)], "is a file, not a folder"),
        (["--scale", "0:1e400"], "outside 1e-150 .. 1e+150"),  # 1/1e400 would be float 0
        (["--force"], "only applies with --out or --instance-out"),
    ):
        run = console("hull", str(path), *args)
        assert run.returncode == 2 and run.stderr.count("\n") == 1 and message in run.stderr, args
    parquet = tmp_path / "pool.parquet"
    parquet.write_bytes(b"PAR1")
    run = console("hull", str(parquet))
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    assert "parquet" in run.stderr.lower()


def test_json_is_the_api_result_and_out_writes_every_number(console, tmp_path):
    path = tmp_path / "pool.csv"
    path.write_text(GOOD)
    out = tmp_path / "audit"
    args = ["--permutations", "3", "--folds", "2", "--seed", "4"]
    run = console("hull", str(path), *args, "--json", "--out", str(out), "--no-figures")
    assert run.returncode == 0 and run.stderr == ""
    report = json.loads(run.stdout)
    api = ps.hull(
        path, permutations=3, folds=2, seed=4, jobs=1, out=str(tmp_path / "b"), figures=False
    )
    expected = {**api.to_json(), "out": str(out)}
    floats = report.pop("float"), expected.pop("float")
    assert report == expected  # every exact number, the settings and the models
    for row, twin in zip(floats[0]["curve"], floats[1]["curve"], strict=True):
        assert row == pytest.approx(twin)  # BLAS threads may differ in the last bits
    assert report["exact"]["definition1"]["epsilon"] == str(api.definition1.epsilon)
    assert sorted(p.name for p in out.iterdir()) == ["curve.csv", "hull.json", "weights.csv"]
    assert (out / "curve.csv").read_text().count("\n") == 3  # header + K = 1, 2
    text = console("hull", str(path), *args)
    assert text.returncode == 0 and text.stdout.startswith("pool: 2 models x 5 items")


def test_out_draws_the_figures(tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "pool.csv"
    path.write_text(GOOD)
    ps.hull(path, permutations=2, folds=2, jobs=1, out=str(tmp_path / "o"))
    for name in ("error", "sparsity", "epsilon"):
        assert (tmp_path / "o" / "figures" / f"{name}.png").read_bytes().startswith(b"\x89PNG")


def test_force_rewrites_out_and_instance_out(console, tmp_path):
    path = tmp_path / "pool.csv"
    path.write_text(GOOD)
    out, game = tmp_path / "audit", tmp_path / "game.json"
    args = [str(path), "--permutations", "1", "--folds", "2", "--out", str(out), "--no-figures"]
    assert console("hull", *args).returncode == 0
    again = console("hull", *args)
    assert again.returncode == 2 and "add --force" in again.stderr
    forced = console("hull", *args, "--force", "--json")
    assert forced.returncode == 0, forced.stderr
    assert json.loads((out / "hull.json").read_text()) == json.loads(forced.stdout)
    both = [*args, "--instance-out", str(game)]
    assert console("hull", *both, "--force").returncode == 0 and game.exists()
    assert console("hull", *both, "--force").returncode == 0


def test_out_without_epsilon_orders_draws_no_epsilon_figure(console, tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "pool.csv"
    path.write_text(GOOD)
    out = tmp_path / "o"
    run = console(
        "hull",
        str(path),
        "--permutations",
        "2",
        "--folds",
        "2",
        "--jobs",
        "1",
        "--epsilon-orders",
        "0",
        "--out",
        str(out),
    )
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["error.png", "sparsity.png"]


def test_hull_figures_without_matplotlib_name_figures_not_a_sweep(monkeypatch, tmp_path, capsys):
    from persuasion.cli import main

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    path = tmp_path / "pool.csv"
    path.write_text(GOOD)
    assert main(["hull", str(path), "--out", str(tmp_path / "o")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "drawing figures needs matplotlib" in err and "sweep" not in err
    assert err.count("\n") == 1 and not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("argument", "value", "message"),
    [
        ("folds", 1, "folds must be >= 2"),
        ("permutations", 0, "permutations must be >= 1"),
        ("jobs", 0, "jobs must be >= 1"),
        ("epsilon_orders", -1, "epsilon_orders must be >= 0"),
        ("seed", -1, "seed must be >= 0"),
        ("folds", 2.0, "folds must be an integer"),
    ],
)
def test_api_refuses_what_the_command_line_refuses(tmp_path, argument, value, message):
    path = tmp_path / "pool.csv"
    path.write_text(GOOD)
    with pytest.raises(ValueError, match=message):
        ps.hull(path, **{argument: value})


def test_curve_work_beyond_the_limit_is_refused_before_any_file(console, tmp_path):
    models = 1_000
    path = tmp_path / "wide.csv"
    names = [f"m{j}" for j in range(models)]
    rows = [",".join([*names, "target"])]
    rows += [",".join(str(t + j * t * t % 7) for j in range(models + 1)) for t in range(5)]
    path.write_text("\n".join(rows) + "\n")
    out = tmp_path / "o"
    run = console("hull", str(path), "--permutations", "101", "--out", str(out))
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert "101 orders x 5 folds" in run.stderr and "MAX_HULL_CURVE_WORK" in run.stderr
    assert not out.exists()


def test_epsilon_curve_work_beyond_the_limit_is_refused_before_any_file(console, tmp_path):
    models, items = 1_000, 200  # 11 orders x 1,000^2 x 200 = 2.2e9 > MAX_HULL_EPSILON_WORK
    path = tmp_path / "wide.csv"
    names = [f"m{j}" for j in range(models)]
    rows = [",".join([*names, "target"])]
    rows += [",".join(str((t * 7 + j * 3) % 11) for j in range(models + 1)) for t in range(items)]
    path.write_text("\n".join(rows) + "\n")
    out = tmp_path / "o"
    options = ("--permutations", "11", "--epsilon-orders", "11", "--out", str(out))
    run = console("hull", str(path), *options)
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert "11 epsilon orders" in run.stderr and "MAX_HULL_EPSILON_WORK" in run.stderr
    assert not out.exists()


def test_huge_cells_of_an_in_memory_table_are_refused():
    with pytest.raises(InputError, match="row 2, column 'm1': |value|"):
        table({"m1": [1, 10**400]}, [0, 1])


def test_instance_out_is_solvable(console, tmp_path):
    path = tmp_path / "pool.csv"
    path.write_text(GOOD)
    game = tmp_path / "game.json"
    run = console("hull", str(path), "--permutations", "1", "--instance-out", str(game))
    assert run.returncode == 0, run.stderr
    solved = console("solve", str(game), "--json")
    assert solved.returncode == 0, solved.stderr
    eps = json.loads(
        run.stdout.split("\n")[0]
        and console("hull", str(path), "--permutations", "1", "--json").stdout
    )["exact"]["definition1"]["epsilon"]
    assert eps in solved.stdout
    again = console("hull", str(path), "--permutations", "1", "--instance-out", str(game))
    assert again.returncode == 2 and "the file exists" in again.stderr


def test_dask_local_cluster_gives_the_same_audit(tmp_path):
    pytest.importorskip("distributed")
    path = tmp_path / "pool.csv"
    path.write_text(GOOD)
    here = ps.hull(path, permutations=12, folds=2, jobs=1).to_json()
    there = ps.hull(path, permutations=12, folds=2, jobs=1, dask="local").to_json()
    floats = here.pop("float")["curve"], there.pop("float")["curve"]
    assert here == there
    for row, twin in zip(*floats, strict=True):
        assert row == pytest.approx(twin)


def test_exact_fit_repairs_a_float_support_off_by_one_model():
    G, b, yy, n = _certificate_inputs()
    for simplex in (False, True):
        Gf = np.array([[float(v) for v in row] for row in G])
        w = (simplex_ls if simplex else nnls)(Gf, np.array([float(v) for v in b]))
        best = exact_fit(G, b, yy, n, [int(i) for i in np.flatnonzero(w > 0)], simplex)
        assert best is not None and best.weights[0] == 0
        for support in ([0, 1, 2], [int(np.argmax(w))]):  # too many models, too few
            assert exact_fit(G, b, yy, n, support, simplex) == best


def test_nnls_optimum_zero_is_certified():
    pool = table({"m1": [1, 2, 3, 1], "m2": [2, 1, 1, 3]}, [-1, -2, 0, -1])  # U'y < 0
    result = ps.hull(pool, permutations=1, folds=2, jobs=1)
    assert result.kkt_note == "certified"
    assert result.nnls.weights == (0, 0) and result.nnls.mse == F(6, 4)  # mean of y^2


def test_beyond_the_exact_limit_the_least_squares_are_not_certified(monkeypatch):
    import persuasion.hull_audit.audit as audit

    monkeypatch.setattr(audit, "MAX_HULL_EXACT_CELLS", 17)  # the table has 6 x 3 = 18 cells
    result = ps.hull(table(COMBINATION, _combination_target(F(0))), permutations=1, folds=2)
    assert result.nnls is None and result.simplex is None
    assert "MAX_HULL_EXACT_CELLS" in result.kkt_note
    assert result.definition1.epsilon == 0  # the sup-norm fit is certified at any size


def test_without_epsilon_orders_there_is_no_epsilon_curve(tmp_path, capsys):
    from persuasion.cli import main

    path = tmp_path / "pool.csv"
    path.write_text(GOOD)
    assert (
        main(["hull", str(path), "--epsilon-orders", "0", "--permutations", "2", "--jobs", "1"])
        == 0
    )
    last = capsys.readouterr().out.rstrip().splitlines()[-1]
    assert last.split()[0] == "2" and last.split()[-1] == "-"


# ---------------------------------------------------------------- Parquet (the parquet extra)

PARQUET_TYPES = {  # each column type read exactly; the CSV twin holds the same numbers as text
    "item": (["x", "y", "z", "w", "v"], None),
    "a": ([0.1, 0.25, 1 / 3, 0.7, 1e-5], "float64"),  # 1/3: its shortest repr, 0.3333333333333333
    "b": ([1, 2, 0, 5, 3], "int8"),
    "c": ([0.1, 0.2, 0.7, 0.3, 0.9], "float32"),  # read as its float32 shortest repr: 0.1 is 1/10
    "target": (["1/3", "2.5", "0", "1e-2", "7"], None),
}


def write_parquet(path, columns):
    """A Parquet file of ``columns``: ``{name: (values, pyarrow type name or None)}``."""
    pa = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    arrays = {n: pa.array(v, type=t and getattr(pa, t)()) for n, (v, t) in columns.items()}
    parquet.write_table(pa.table(arrays), path)
    return path


def _twins(tmp_path):
    """The Parquet table of PARQUET_TYPES and its CSV twin (float32 cells as numpy prints them)."""
    parquet = write_parquet(tmp_path / "pool.parquet", PARQUET_TYPES)
    text = {
        n: [str(np.float32(v)) if t == "float32" else str(v) for v in values]
        for n, (values, t) in PARQUET_TYPES.items()
    }
    lines = [",".join(text), *(",".join(row) for row in zip(*text.values(), strict=True))]
    csv = tmp_path / "pool.csv"
    csv.write_text("\n".join(lines) + "\n")
    return parquet, csv


def test_parquet_cells_read_exactly_by_type(tmp_path):
    parquet, _ = _twins(tmp_path)
    ratings = read_ratings(parquet)
    assert ratings.models == ("a", "b", "c") and ratings.items == ("x", "y", "z", "w", "v")
    assert ratings.column(0) == (F(1, 10), F(1, 4), F("0.3333333333333333"), F(7, 10), F(1, 10**5))
    assert ratings.column(1) == (1, 2, 0, 5, 3)
    assert ratings.column(2) == (F(1, 10), F(1, 5), F(7, 10), F(3, 10), F(9, 10))
    assert ratings.target == (F(1, 3), F(5, 2), 0, F(1, 100), 7)


def test_parquet_decimal_cells_are_exact(tmp_path):
    pa = pytest.importorskip("pyarrow")
    from decimal import Decimal

    column = pa.array([Decimal(t) for t in ("0.125", "1E+1", "-3.5")], type=pa.decimal128(9, 3))
    pytest.importorskip("pyarrow.parquet").write_table(
        pa.table({"m": column, "target": [1, 2, 4]}), tmp_path / "d.pq"
    )
    assert read_ratings(tmp_path / "d.pq").column(0) == (F(1, 8), 10, F(-7, 2))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=2, max_size=6))
def test_a_parquet_float_reads_as_its_shortest_repr(tmp_path_factory, floats):
    """Property: a float64 cell is the Fraction of repr(x), which rounds back to exactly x."""
    path = tmp_path_factory.mktemp("floats") / "f.parquet"
    target = [float(t) for t in range(len(floats))]
    write_parquet(path, {"m": (floats, "float64"), "target": (target, "float64")})
    if len(set(floats)) == 1:
        with pytest.raises(InputError, match="column 'm' is constant"):
            read_ratings(path)
        return
    if any(x and not 1e-150 <= abs(x) <= 1e150 for x in floats):  # products would not be floats
        with pytest.raises(InputError, match=r"outside 1e-150 \.\. 1e\+150"):
            read_ratings(path)
        return
    read = read_ratings(path).column(0)
    assert read == tuple(F(repr(x)) for x in floats)
    assert [float(v) for v in read] == floats


def test_parquet_table_equals_its_csv_twin_api_and_cli(console, tmp_path):
    parquet, csv = _twins(tmp_path)
    args = {"permutations": 3, "folds": 2, "seed": 4, "jobs": 1}
    twin = ps.hull(csv, **args).to_json()
    result = ps.hull(parquet, **args).to_json()
    assert result["settings"].pop("source") == str(parquet)
    assert twin["settings"].pop("source") == str(csv)
    assert result == twin
    options = ["--permutations", "3", "--folds", "2", "--seed", "4", "--json"]
    runs = [console("hull", str(path), *options) for path in (parquet, csv)]
    assert [(run.returncode, run.stderr) for run in runs] == [(0, ""), (0, "")]
    cli = [json.loads(run.stdout) for run in runs]
    assert [report["settings"].pop("source") for report in cli] == [str(parquet), str(csv)]
    assert cli[0] == cli[1]  # the same program on the same numbers: every float too
    floats = cli[0].pop("float"), result.pop("float")
    assert cli[0] == result  # every exact number; the API's float curve may differ in BLAS bits
    for row, twin in zip(floats[0]["curve"], floats[1]["curve"], strict=True):
        assert row == pytest.approx(twin)


PARQUET_HOSTILE = [
    ({"a": (["1", "high", "2"], None)}, "row 2, column 'a': non-numeric cell"),
    ({"a": ([True, False, True], None)}, "row 1, column 'a': non-numeric cell"),
    ({"a": ([1, None, 2], "int64")}, "row 2, column 'a': missing value"),
    ({"a": ([1.5, float("nan"), 2.0], "float64")}, "row 2, column 'a': missing value"),
    ({"a": ([1.5, float("inf"), 2.0], "float64")}, "row 2, column 'a': non-numeric cell"),
    ({" ": ([1, 2, 3], "int64")}, "column name '(empty)' is not unique"),
]


@pytest.mark.parametrize(("columns", "message"), PARQUET_HOSTILE)
def test_hostile_parquet_tables_are_one_line_errors(console, tmp_path, columns, message):
    path = write_parquet(
        tmp_path / "bad.parquet", {**columns, "b": ([4, 1, 2], None), "target": ([3, 1, 2], None)}
    )
    run = console("hull", str(path), "--folds", "2")
    assert (run.returncode, run.stdout, run.stderr.count("\n")) == (2, "", 1)
    assert run.stderr.startswith(f"persuasion: error: {path}: ") and message in run.stderr


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"PAR1", "smaller than the minimum file footer"),
        (b"", "file size is 0 bytes"),
        (b"PAR1" + bytes(64) + b"PAR1", ""),
        (b"item,a,target\nx,1,2\n", ""),  # a CSV named .parquet
    ],
)
def test_corrupt_parquet_is_one_line_error(console, tmp_path, content, reason):
    pytest.importorskip("pyarrow")
    path = tmp_path / "bad.parquet"
    path.write_bytes(content)
    run = console("hull", str(path))
    assert (run.returncode, run.stdout, run.stderr.count("\n")) == (2, "", 1)
    assert run.stderr.startswith(f"persuasion: error: {path}: not a Parquet table (")
    assert reason in run.stderr


def test_parquet_row_count_is_checked_before_decoding(tmp_path, monkeypatch):
    """A few kilobytes of Parquet can encode millions of equal cells: the footer's count is
    checked before any column is read."""
    path = write_parquet(
        tmp_path / "big.parquet", {"a": ([1, 2] * 50, None), "target": ([0] * 100, None)}
    )
    monkeypatch.setattr("persuasion.hull_audit.table.MAX_RATINGS_CELLS", 199)
    decoded = []
    monkeypatch.setattr("persuasion.hull_audit.table._parquet_text", decoded.append)
    with pytest.raises(InputError, match="more than MAX_RATINGS_CELLS"):
        read_ratings(path)
    assert decoded == []


def test_parquet_without_pyarrow_names_the_extra(tmp_path, monkeypatch):
    path = tmp_path / "pool.parquet"
    path.write_bytes(b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(InputError) as caught:
        read_ratings(path)
    assert str(caught.value) == (
        f"{path}: reading a Parquet ratings table needs pyarrow, which is not installed: "
        "pip install 'persuasion[parquet]' (or save the table as CSV)"
    )


def test_an_unreachable_dask_scheduler_is_one_line(console, tmp_path):
    """The one Dask connection of simulate, search and hull (persuasion.api.common.dask_client)."""
    path = tmp_path / "pool.csv"
    path.write_text(GOOD)
    run = console("hull", str(path), "--dask", "nonsense", "--permutations", "2")
    assert run.returncode == 2 and run.stdout == "", run.stderr
    assert run.stderr.count("\n") == 1 and "--dask nonsense: cannot connect" in run.stderr
    with pytest.raises(ps.OptionError, match="--dask nonsense: cannot connect"):
        ps.hull(path, permutations=2, dask="nonsense")
