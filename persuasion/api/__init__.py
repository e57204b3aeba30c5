"""The front door: load an instance, solve it, verify a profile, certify the paper's claims.

Every function returns a typed, frozen result (:mod:`persuasion.results`)
whose ``to_json()`` is what the matching command prints with ``--json``; the
command line (:mod:`persuasion.cli`) is a thin layer over these functions.
The game an instance plays is looked up in one table (:mod:`persuasion.games`).
The solver's modules are imported inside the functions, so that ``import
persuasion`` stays fast.

Exceptions: :class:`~persuasion.errors.InputError` for a bad file or an
instance this version cannot play (one line, naming the file);
:class:`OptionError` for arguments that cannot be used together;
:class:`~persuasion.equilibrium.TimeLimitTooShort` when a solve's time limit
passes before any profile could be judged.

Modules: :mod:`~persuasion.api.common` (defaults, reading, what can be played),
:mod:`~persuasion.api.play` (solve, verify, best responses, alignment),
:mod:`~persuasion.api.quantal` (verify when Alice responds quantally),
:mod:`~persuasion.api.certificates` (certify, check),
:mod:`~persuasion.api.agreement` (agree: the straightforward conversation),
:mod:`~persuasion.api.conversation` (converse: Alice's best response in a conversation),
:mod:`~persuasion.api.conversation_play` (solve, verify and best responses in a conversation),
:mod:`~persuasion.api.worst` (equilibria: Alice's worst equilibrium),
:mod:`~persuasion.api.sweeps` (simulate), :mod:`~persuasion.api.search` (search) and
:mod:`~persuasion.api.pools` (pool: synthetic pools of models);
every name is importable from here.
"""

from persuasion.api.agreement import agree
from persuasion.api.certificates import certify, check
from persuasion.api.conversation import converse
from persuasion.api.common import (
    ETA,
    MEMORY,
    OptionError,
    check_supported,
    import_solver,
    load,
    load_conversation_profile,
    load_profile,
    unsupported,
)
from persuasion.games import STEP
from persuasion.api.play import alignment, best_response, find_equilibrium, solve, verify
from persuasion.api.pools import pool
from persuasion.api.search import search
from persuasion.api.sweeps import simulate
from persuasion.api.worst import SearchBudget, equilibria

__all__ = [
    "ETA",
    "MEMORY",
    "STEP",
    "OptionError",
    "SearchBudget",
    "agree",
    "alignment",
    "best_response",
    "certify",
    "check",
    "check_supported",
    "converse",
    "equilibria",
    "find_equilibrium",
    "import_solver",
    "load",
    "load_conversation_profile",
    "load_profile",
    "pool",
    "search",
    "simulate",
    "solve",
    "unsupported",
    "verify",
]
