"""The names a sweep is built from, importable without loading any solver (the command line's options)."""

FAMILIES = ("hull", "noisy", "random", "common")
"""The instance families, in the order sweeps and tables list them."""

GAMES = ("simultaneous", "best-ai-selection")
"""The games a sweep can play: Section B's one-round game and Section E's selection game."""

FILES = ("runs.csv", "runs.json")
"""The files ``simulate --out DIR`` writes into ``DIR``, besides the figures."""

FIGURES = ("gap_by_family.png", "gap_vs_epsilon.png", "convergence.png")
"""The figures ``simulate --out DIR`` draws into ``DIR/figures``, in order."""

STARTS = ("oblivious", "silent", "revealing", "random")
"""Start profiles: each sender's single-sender optimum (Definitions 18-19), no information,
full revelation (Remark 4), random schemes."""
