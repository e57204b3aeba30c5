"""The names a sweep is built from, importable without loading any solver (the command line's
options); the games and the start profiles are :mod:`persuasion.games`, :mod:`persuasion.starts`."""

FAMILIES = ("hull", "noisy", "random", "common")
"""The instance families, in the order sweeps and tables list them."""

FILES = ("runs.csv", "runs.json")
"""The files ``simulate --out DIR`` writes into ``DIR``, besides the figures."""

FIGURES = ("gap_by_family.png", "gap_vs_epsilon.png", "convergence.png")
"""The figures ``simulate --out DIR`` draws into ``DIR/figures``, in order."""
