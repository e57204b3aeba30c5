"""The typed results of the front door (:mod:`persuasion.api`): what a user gets back.

Every result is a frozen dataclass of exact numbers (:class:`fractions.Fraction`)
with documented attributes, whose :meth:`to_json` is exactly the object the
command line prints with ``--json`` (exact numbers as ``"p/q"`` strings,
docs/reference/commands.md), so the two never drift.  Each has a short ``repr`` and, for
notebooks, ``_repr_markdown_`` and ``_repr_html_`` (a small table of the key
numbers).  Status-like fields are enumerations (:class:`Status`) or
:data:`typing.Literal` types.

Modules: :mod:`~persuasion.results.play` (best responses, deviations, verified
profiles, equilibria), :mod:`~persuasion.results.solution` (a solve),
:mod:`~persuasion.results.agreement` (the straightforward conversation),
:mod:`~persuasion.results.conversation` (Alice's best response in a conversation),
:mod:`~persuasion.results.certificates`, :mod:`~persuasion.results.sweeps`,
:mod:`~persuasion.results.search`, :mod:`~persuasion.results.worst` (the worst
equilibrium) and :mod:`~persuasion.results.quantal` (a profile under quantal response,
and a solve's QRE search);
every name is importable from here.  No solver is imported: results are built by
:mod:`persuasion.api`.
"""

from persuasion.results.agreement import Agreement, PairConversation, Substitutes
from persuasion.results.certificates import Certification, CheckResult, Claim
from persuasion.results.conversation import ConversationDecision, ConversationResult, TalkStep
from persuasion.results.conversation_play import (
    ConversationAligned,
    ConversationBestResponseResult,
    ConversationEquilibrium,
    ConversationVerification,
)
from persuasion.results.play import (
    BestResponseResult,
    Deviation,
    Equilibrium,
    Selection,
    Status,
    Verification,
)
from persuasion.results.solution import (
    AlignedSender,
    AlignmentResult,
    Bound,
    Solution,
    SolveParameters,
)
from persuasion.results.pools import PoolResult
from persuasion.results.quantal import (
    QuantalDeviation,
    QuantalEquilibrium,
    QuantalOutcome,
    QuantalSituation,
    QuantalSolution,
    QuantalVerification,
)
from persuasion.results.search import SearchResult
from persuasion.results.sweeps import SimulationResult, SummaryRow, SweepParameters
from persuasion.results.worst import (
    EquilibriumSearch,
    FoundEquilibrium,
    RestrictedEquilibrium,
    RestrictedWorst,
    TrivialRevelation,
)

__all__ = [
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
    "ConversationDecision",
    "ConversationEquilibrium",
    "ConversationResult",
    "ConversationVerification",
    "Deviation",
    "Equilibrium",
    "EquilibriumSearch",
    "FoundEquilibrium",
    "PairConversation",
    "PoolResult",
    "QuantalDeviation",
    "QuantalEquilibrium",
    "QuantalOutcome",
    "QuantalSituation",
    "QuantalSolution",
    "QuantalVerification",
    "RestrictedEquilibrium",
    "RestrictedWorst",
    "SearchResult",
    "Selection",
    "SimulationResult",
    "Solution",
    "SolveParameters",
    "Status",
    "Substitutes",
    "SummaryRow",
    "SweepParameters",
    "TalkStep",
    "TrivialRevelation",
    "Verification",
]
