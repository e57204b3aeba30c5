"""persuasion: exact solver for finite multi-sender persuasion games.

The model is that of "Emergent Alignment via Competition" (Collina, Goel,
Roth, Ryu, Shi; arXiv:2509.15090): Alice acts on a state she cannot see,
several senders ("Bobs") commit to signalling schemes, Alice best-responds.
Every number this package reports is an exact rational
(:class:`fractions.Fraction`).

The front door::

    import persuasion as ps
    game = ps.load("instances/judge-prosecutor.json")
    sol = ps.solve(game)            # a Solution: benchmarks, an equilibrium, the bound
    sol.to_json()                   # exactly what `persuasion solve --json` prints

Every function returns a typed, immutable result (:mod:`persuasion.results`);
the games they play are one table (:mod:`persuasion.games`).  Importing the
package loads nothing else: each name of :data:`__all__` is imported from its
module when first used (PEP 562), and the functions load the solver when
first called, so ``import persuasion`` stays fast.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the names below are, for type checkers and documentation tools
    from persuasion.api import (
        OptionError,
        SearchBudget,
        agree,
        alignment,
        best_response,
        certify,
        check,
        converse,
        equilibria,
        load,
        load_conversation_profile,
        load_profile,
        pool,
        search,
        simulate,
        solve,
        verify,
    )
    from persuasion.conversation.rules import ConversationProfile
    from persuasion.errors import InputError
    from persuasion.games import GAMES, GameEntry
    from persuasion.hull_audit import HullResult, hull
    from persuasion.model import Instance, Profile, Protocol, Sender
    from persuasion.results import (
        Agreement,
        AlignedSender,
        AlignmentResult,
        BestResponseResult,
        Bound,
        Certification,
        CheckResult,
        Claim,
        ConversationAligned,
        ConversationBestResponseResult,
        ConversationEquilibrium,
        ConversationResult,
        ConversationVerification,
        Deviation,
        Equilibrium,
        SearchResult,
        EquilibriumSearch,
        FoundEquilibrium,
        PairConversation,
        PoolResult,
        QuantalEquilibrium,
        QuantalSolution,
        QuantalVerification,
        RestrictedEquilibrium,
        RestrictedWorst,
        Selection,
        SimulationResult,
        Solution,
        SolveParameters,
        Status,
        Substitutes,
        SummaryRow,
        SweepParameters,
        TrivialRevelation,
        Verification,
    )
    from persuasion.starts import STARTS

__version__ = "0.1.0"

__all__ = [
    "GAMES",
    "STARTS",
    "Agreement",
    "AlignedSender",
    "AlignmentResult",
    "BestResponseResult",
    "Bound",
    "Certification",
    "CheckResult",
    "Claim",
    "ConversationAligned",
    "ConversationBestResponseResult",
    "ConversationEquilibrium",
    "ConversationProfile",
    "ConversationResult",
    "ConversationVerification",
    "Deviation",
    "Equilibrium",
    "EquilibriumSearch",
    "FoundEquilibrium",
    "GameEntry",
    "InputError",
    "Instance",
    "OptionError",
    "PairConversation",
    "PoolResult",
    "Profile",
    "Protocol",
    "QuantalEquilibrium",
    "QuantalSolution",
    "QuantalVerification",
    "SearchResult",
    "RestrictedEquilibrium",
    "RestrictedWorst",
    "SearchBudget",
    "Selection",
    "Sender",
    "HullResult",
    "SimulationResult",
    "Solution",
    "SolveParameters",
    "Status",
    "Substitutes",
    "SummaryRow",
    "SweepParameters",
    "TrivialRevelation",
    "Verification",
    "agree",
    "alignment",
    "best_response",
    "certify",
    "check",
    "converse",
    "equilibria",
    "hull",
    "load",
    "load_conversation_profile",
    "load_profile",
    "pool",
    "search",
    "simulate",
    "solve",
    "verify",
]

_HOMES = {
    **dict.fromkeys(
        ("OptionError", "SearchBudget", "agree", "alignment", "best_response", "certify", "check",
         "converse", "equilibria", "load", "load_conversation_profile", "load_profile", "pool",
         "search", "simulate", "solve", "verify"),
        "persuasion.api",
    ),
    "InputError": "persuasion.errors",
    "ConversationProfile": "persuasion.conversation.rules",
    "GAMES": "persuasion.games",
    "GameEntry": "persuasion.games",
    **dict.fromkeys(("Instance", "Profile", "Protocol", "Sender"), "persuasion.model"),
    "STARTS": "persuasion.starts",
    **dict.fromkeys(("hull", "HullResult"), "persuasion.hull_audit"),
}  # fmt: skip
"""The module each name of :data:`__all__` not from :mod:`persuasion.results` comes from."""


def __getattr__(name: str) -> Any:
    """Import a name of :data:`__all__` from its module, or a submodule, when first used."""
    if name in __all__:
        value = getattr(importlib.import_module(_HOMES.get(name, "persuasion.results")), name)
    elif importlib.util.find_spec(f"{__name__}.{name}") is not None:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """What a user reaches from the package: :data:`__all__`, the catalog and the version."""
    return sorted({*__all__, "catalog", "__version__"})
