"""Synthetic pools of models (issue 12, point 4): Appendix H's random utility model, personas,
Proposition 3's bound beside the simple average, the sample files and ``persuasion pool``."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import persuasion as ps
from persuasion.checker.analytic import hoeffding_threshold
from persuasion.hull_audit.pools import (
    SAMPLES,
    Pool,
    PoolSpec,
    average_errors,
    best_errors,
    checkpoints,
    decimal,
    draw,
    sample,
)
from persuasion.witnesses.analytic import hoeffding_agents, proposition_3_certificate


def _grid(pool: Pool, denominator: int) -> bool:
    cells = [*pool.target, *(u for column in pool.ratings for u in column)]
    return all(0 <= u <= 1 and (u * denominator).denominator == 1 for u in cells)


def test_decimal_is_exact():
    for q in (Fraction(0), Fraction(1), Fraction(7, 20), Fraction(1, 8), Fraction(-3, 40)):
        assert Fraction(decimal(q)) == q
    assert decimal(Fraction(4, 5)) == "0.8" and decimal(Fraction(1, 100)) == "0.01"


@given(
    seed=st.integers(0, 10**6),
    items=st.integers(1, 4),
    noise=st.sampled_from([Fraction(0), Fraction(1, 10), Fraction(1, 4), Fraction(1, 2)]),
    distribution=st.sampled_from(["uniform", "two-point"]),
)
@settings(max_examples=25, deadline=None)
def test_random_utility_average_converges(seed, items, noise, distribution):
    """Appendix H: ratings on the grid in [0, 1] with noise of mean 0 and size <= noise; with
    Proposition 3's number of models for eps = 1/4 and delta = 10^-6 the average is within eps
    (true with probability >= 1 - 10^-6 per example), and never further than the noise."""
    eps, delta = Fraction(1, 4), Fraction(1, 10**6)
    k, _ = hoeffding_agents(items, eps, delta)
    spec = PoolSpec(models=k, items=items, seed=seed, noise=noise, distribution=distribution)
    pool = draw(spec)
    assert _grid(pool, 100)
    noises = {u - t for column in pool.ratings for u, t in zip(column, pool.target, strict=True)}
    assert all(abs(n) <= noise for n in noises)
    if distribution == "two-point":
        assert noises <= {noise, -noise}
    errors = average_errors(pool)
    assert len(errors) == k and errors[-1] <= eps and max(errors) <= noise


class _Every:
    """A stand-in for :class:`random.Random` that answers every value in turn (``value``) and
    records how many there are, so a draw's exact distribution can be enumerated."""

    def __init__(self, value: int):
        self.value, self.count = value, 0

    def randint(self, low: int, high: int) -> int:
        self.count = high - low + 1
        return low + self.value

    def randrange(self, n: int) -> int:
        self.count = n
        return self.value


@given(
    noise=st.integers(0, 50),
    denominator=st.sampled_from([100, 200, 1000]),
    distribution=st.sampled_from(["uniform", "two-point"]),
)
def test_noise_mean_is_exactly_zero(noise, denominator, distribution):
    """Appendix H's ``E[U_i(a, y)] = u_A(a, y)``: every noise value is equally likely and their
    exact mean is 0, all within ``[-noise, noise]``."""
    from persuasion.hull_audit.pools import _noise

    spec = PoolSpec(noise=Fraction(noise, 100), denominator=denominator, distribution=distribution)
    first = _Every(0)
    values = [_noise(first, spec)]
    values += [_noise(_Every(v), spec) for v in range(1, first.count)]
    assert sum(values) == 0 and all(abs(v) <= spec.noise for v in values)
    assert len(set(values)) == (1 if noise == 0 else first.count)


@given(seed=st.integers(0, 1000), models=st.integers(1, 6), items=st.integers(1, 5))
@settings(max_examples=15, deadline=None)
def test_best_fit_beats_the_average(seed, models, items):
    """Uniform weights and offset 0 are one choice of Definition 1, and more models only add
    choices: the best fit error is at most the average's and never grows with K."""
    pool = draw(PoolSpec(model="persona", models=models, items=items, seed=seed))
    best = best_errors(pool)
    assert [k for k, _ in best] == list(checkpoints(models))
    average = average_errors(pool)
    assert all(0 <= e <= average[k - 1] for k, e in best)
    assert all(a[1] >= b[1] for a, b in zip(best, best[1:], strict=False))


def test_average_errors_brute_force():
    pool = draw(PoolSpec(models=7, items=5, seed=3))
    for k in range(1, 8):
        mean = [sum(col[j] for col in pool.ratings[:k]) / k for j in range(5)]
        want = max(abs(m - t) for m, t in zip(mean, pool.target, strict=True))
        assert average_errors(pool)[k - 1] == want


def test_noise_has_mean_zero_exactly():
    """Every grid point of [-noise, noise] is drawn about equally often, so E[n] = 0: the
    frequencies over many draws are within a few standard deviations of uniform."""
    pool = draw(PoolSpec(models=400, items=25, seed=1, noise=Fraction(2, 100)))
    counts: dict[Fraction, int] = {}
    for column in pool.ratings:
        for u, t in zip(column, pool.target, strict=True):
            counts[u - t] = counts.get(u - t, 0) + 1
    assert set(counts) == {Fraction(n, 100) for n in range(-2, 3)}
    expected = 400 * 25 / 5
    assert all(abs(c - expected) < 5 * math.sqrt(expected) for c in counts.values())


def test_persona_shift_breaks_the_hull():
    """Personas all leaning up on every feature: every rating of an item with a feature set is
    at least the target's (clipped to 1); with shift 0 some persona leans down."""
    spec = PoolSpec(model="persona", models=6, items=30, seed=2, noise=Fraction(0))
    lean = draw(PoolSpec(**{**spec.__dict__, "shift": Fraction(3, 10)}))
    assert _grid(lean, 100)
    assert all(u >= t for col in lean.ratings for u, t in zip(col, lean.target, strict=True))
    assert any(u > t for col in lean.ratings for u, t in zip(col, lean.target, strict=True))
    even = draw(spec)
    assert any(u < t for col in even.ratings for u, t in zip(col, even.target, strict=True))


@pytest.mark.parametrize(
    "pairs, eps, delta",
    [(4, Fraction(1, 10), Fraction(1, 20)), (50, Fraction(1, 5), Fraction(1, 100))],
)
def test_proposition_3_matches_the_certificate(pairs, eps, delta, tmp_path):
    """The pool's number of models is the certified Proposition 3 claim's k, and the kernel's
    own enclosure of the threshold lies inside the pool's."""
    k, (lo, hi) = hoeffding_agents(pairs, eps, delta)
    assert lo - 1 < k - 1 <= lo and hi < k
    own = hoeffding_threshold(pairs, 1, eps, delta, 128)
    assert lo <= own[0] and own[1] <= hi
    if pairs == 4:
        game = ps.catalog.load("kamenica-gentzkow-2011-prosecutor")  # |A| = |Y| = 2
        cert = proposition_3_certificate(game, eps, delta)
        assert cert["conclusion"]["k"] == str(k)
        (tmp_path / "p3.json").write_text(json.dumps(cert))
        assert ps.check(str(tmp_path / "p3.json")).valid


def test_samples_best_fits_as_documented():
    """docs/how-to/generate-a-synthetic-pool.md: the random utility sample's best Definition 1
    fit beats its average (eps 0.0376 against 0.0835); the personas' is 7/40."""
    from persuasion.weighted_alignment import fit_alignment

    def fit(pool: Pool) -> Fraction:  # the items are one row of Definition 1's (a, y) grid
        return fit_alignment([(r,) for r in pool.ratings], (pool.target,)).epsilon

    utility = draw(SAMPLES["random-utility-20x50.csv"])
    assert round(float(fit(utility)), 4) == 0.0376
    assert average_errors(utility)[-1] == Fraction(167, 2000)
    assert fit(draw(SAMPLES["persona-10x40.csv"])) == Fraction(7, 40)


def test_same_seed_same_bytes_and_samples_regenerate():
    assert draw(PoolSpec(seed=5)).to_csv() == draw(PoolSpec(seed=5)).to_csv()
    assert draw(PoolSpec(seed=5)).to_csv() != draw(PoolSpec(seed=6)).to_csv()
    for name, spec in SAMPLES.items():
        assert sample(name).read_bytes() == draw(spec).to_csv(), name


def test_api_result():
    result = ps.pool(models=30, items=10, seed=4)
    assert isinstance(result, ps.PoolResult)
    doc = result.to_json()
    assert (
        doc["proposition_3"]["agents_needed"]
        == hoeffding_agents(10, Fraction(1, 10), Fraction(1, 20))[0]
    )
    assert [Fraction(r["epsilon"]) for r in doc["average_error"]] == list(result.average_error)
    reached = result.reached
    assert reached is None or all(e <= Fraction(1, 10) for e in result.average_error[reached - 1 :])
    assert doc["best_error"] == [{"k": k, "epsilon": str(e)} for k, e in best_errors(result.pool)]
    assert "random-utility" in repr(result)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"noise": 0.2},
        {"models": 0},
        {"denominator": 3},
        {"noise": Fraction(3, 5)},
        {"noise": Fraction(1, 3)},
        {"model": "gauss"},
        {"distribution": "normal"},
        {"delta": Fraction(1)},
        {"models": 2000, "items": 1000},
        {"force": True},
    ],
)
def test_api_refuses_bad_options(kwargs):
    with pytest.raises((ValueError, ps.InputError)):
        ps.pool(**kwargs)


def test_console_pool(console, tmp_path):
    name, spec = "random-utility-20x50.csv", SAMPLES["random-utility-20x50.csv"]
    run = console("pool", "--seed", str(spec.seed))
    assert run.returncode == 0 and run.stderr == ""
    assert run.stdout.encode("ascii") == sample(name).read_bytes()
    out = tmp_path / "pool.csv"
    args = ("pool", "--model", "persona", "--models", "10", "--items", "40", "--noise", "1/20")
    run = console(*args, "--shift", "3/20", "--out", str(out), "--json")
    assert run.returncode == 0, run.stderr
    assert out.read_bytes() == sample("persona-10x40.csv").read_bytes()
    persona = SAMPLES["persona-10x40.csv"]
    assert json.loads(run.stdout) == ps.pool(**{**persona.__dict__, "out": None}).to_json() | {
        "file": str(out)
    }
    assert "usage: persuasion pool" in console("pool", "--help").stdout
    again = console(*args, "--out", str(out))
    assert again.returncode == 2 and "exists" in again.stderr


@pytest.mark.parametrize(
    "args, word",
    [
        (("--models", "0"), "--models"),
        (("--noise", "0.6"), "noise"),
        (("--noise", "abc"), "--noise"),
        (("--denominator", "3"), "denominator"),
        (("--delta", "1"), "--delta"),
        (("--epsilon", "0"), "--epsilon"),
        (("--model", "gauss"), "--model"),
        (("--force",), "--force"),
        (("--out", ""), "--out"),
        (("--models", "100000", "--items", "100000"), "MAX_POOL_CELLS"),
        (("--epsilon", "1e-5000"), "try a larger epsilon"),
    ],
)
def test_console_pool_refuses(console, args, word):
    run = console("pool", *args)
    assert run.returncode == 2 and run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and word in run.stderr, run.stderr
