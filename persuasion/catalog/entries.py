"""The catalog index ``persuasion/catalog/index.json`` (``persuasion-catalog/1``) as typed entries.

The index is data: for every game it names the instance file (in
``persuasion/catalog/instances/``), the source (:class:`Citation`), a few
named profiles and the answers known for the game (:class:`Answer`), each
an exact number with where it comes from and a short derivation.  It is
checked like every file the package reads: the JSON Schema
``persuasion/schema/catalog.schema.json``, then its meaning (every name
unique, every file present, every answer's profile declared).  The tests
recompute every answer with the solver (``tests/test_catalog.py``), so the
data and the solver cannot drift apart.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NoReturn
from collections.abc import Mapping

from persuasion.conformance import schema_check
from persuasion.errors import InputError, json_path, show
from persuasion.jsonio import read_json
from persuasion.numbers import to_fraction

if TYPE_CHECKING:
    from persuasion.conversation.rules import ConversationProfile
    from persuasion.model import Instance, Profile

__all__ = ["Answer", "Citation", "Entry", "Quantity", "QUANTITIES", "INDEX", "label", "read_index"]

HERE = Path(__file__).resolve().parent
INDEX = HERE / "index.json"
"""The index file, shipped as package data."""
INSTANCES = HERE / "instances"
"""The folder of the catalog's instance files, shipped as package data."""

Quantity = Literal[
    "first_best",
    "aligned_value",
    "epsilon",
    "nonnegative_epsilon",
    "alice_utility",
    "sender_utility",
    "best_deviation",
    "nash_gap",
    "agreement_round",
    "estimation_error",
    "substitutes_violation",
    "conversation_alice_utility",
    "conversation_sender_utility",
    "conversation_nash_gap",
]
"""What a known answer is the value of (:data:`QUANTITIES` says each in words)."""

QUANTITIES: dict[str, str] = {
    "first_best": "OPT, Alice's first-best utility (Definition 2)",
    "aligned_value": "U_A(C*), her utility with one perfectly aligned sender (Definition 8)",
    "epsilon": "the alignment error, weights on the simplex (Definition 1)",
    "nonnegative_epsilon": "the alignment error, non-negative weights (Remark 2)",
    "alice_utility": "Alice's utility when the senders play the profile (Definition 5)",
    "sender_utility": "the sender's utility when the senders play the profile",
    "best_deviation": "the supremum of the sender's utility over deviations from the profile",
    "nash_gap": "the profile's Nash gap, the largest gain from a deviation (Definition 7)",
    "agreement_round": "the last round, over feature pairs, at which the straightforward "
    "conversation first agrees exactly (Definitions 10 and 15)",
    "estimation_error": "the largest |E[u_A | x_A, x_B] - E[u_A | x_A, pi]| over feature pairs and "
    "actions once the straightforward conversation has settled (Section D.3)",
    "substitutes_violation": "the largest excess of the left side of Definition 14 over its right "
    "side: 0 exactly when the prior satisfies information substitutes",
    "conversation_alice_utility": "Alice's utility in the instance's conversation when she "
    "plays her best-response conversation rule to the profile (Definition 6)",
    "conversation_sender_utility": "the sender's utility in the instance's conversation when "
    "Alice plays her best-response conversation rule to the profile",
    "conversation_nash_gap": "the profile's Nash gap in the instance's conversation: the largest "
    "gain of a sender's deviation to any conversation rule, Alice best-responding (Definition 7)",
}
"""Every :data:`Quantity` with its meaning (the paper's definitions)."""

AT_PROFILE = frozenset(
    {
        "alice_utility",
        "sender_utility",
        "best_deviation",
        "nash_gap",
        "conversation_alice_utility",
        "conversation_sender_utility",
        "conversation_nash_gap",
    }
)
"""Quantities measured at one of the entry's profiles (the answer names it)."""
OF_SENDER = frozenset({"sender_utility", "best_deviation", "conversation_sender_utility"})
"""Quantities of one sender (the answer names them)."""


@dataclass(frozen=True)
class Citation:
    """Where a game comes from.

    Attributes
    ----------
    authors : tuple of str
        Full names, in the source's order.
    year : int
    title, venue : str
        The work's title and where it appeared (journal, volume and pages, or arXiv number).
    where : str
        The section, example or theorem inside the work.
    url : str
        A DOI or arXiv address (``""`` when there is none).
    """

    authors: tuple[str, ...]
    year: int
    title: str
    venue: str
    where: str
    url: str = ""

    @property
    def short(self) -> str:
        """Author-year form: ``"Kamenica and Gentzkow 2011"``, ``"Collina et al. 2025"``."""
        surnames = [name.split()[-1] for name in self.authors]
        if len(surnames) > 2:
            return f"{surnames[0]} et al. {self.year}"
        return f"{' and '.join(surnames)} {self.year}"

    def __str__(self) -> str:
        url = f" {self.url}" if self.url else ""
        return f"{', '.join(self.authors)} ({self.year}). {self.title}. {self.venue}.{url}"


@dataclass(frozen=True)
class Answer:
    """One known answer of a catalog game.

    Attributes
    ----------
    quantity : Quantity
        What it is the value of (:data:`QUANTITIES`).
    value : Fraction
        The exact value.
    source : str
        Where it comes from: the work that states it, or "derived by hand".
    derivation : str
        A short derivation, enough to check the value by hand.
    profile : str or None
        The entry's profile it is measured at (:data:`AT_PROFILE` quantities), else None.
    sender : str or None
        The sender it is about (:data:`OF_SENDER` quantities), else None.
    attained : bool or None
        For ``best_deviation``: whether some deviation attains the supremum.
    """

    quantity: Quantity
    value: Fraction
    source: str
    derivation: str
    profile: str | None = None
    sender: str | None = None
    attained: bool | None = None

    @property
    def label(self) -> str:
        """Its name: ``"first_best"``, ``"best_deviation[silent, prosecutor]"``, ..."""
        return label(self.quantity, self.profile, self.sender)


def label(quantity: str, profile: str | None = None, sender: str | None = None) -> str:
    """An answer's name: its quantity, then where it is measured (:attr:`Answer.label`)."""
    at = ", ".join(name for name in (profile, sender) if name is not None)
    return f"{quantity}[{at}]" if at else quantity


@dataclass(frozen=True)
class Entry:
    """A game of the catalog.

    Attributes
    ----------
    slug : str
        Its address, ``<authors>-<year>-<what>`` (first author and "et al." beyond two).
    title : str
    citation : Citation
    answers : tuple of Answer
        The known answers, each exact and sourced.
    path : Path
        The instance file (``persuasion-instance/1``) inside the installed package.
    aliases : tuple of str
        Other names it answers to (the file names of ``instances/`` in the repository).
    profile_rules : Mapping
        Named profiles the answers refer to: name -> the ``rules`` of a ``persuasion-profile/1``,
        read-only all the way down (mappings and tuples: the shipped catalog is read once per
        process and shared); :meth:`rules` gives one as plain JSON, :meth:`profile` builds it.
    """

    slug: str
    title: str
    citation: Citation
    answers: tuple[Answer, ...]
    path: Path
    aliases: tuple[str, ...] = ()
    profile_rules: Mapping[str, Any] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )

    def load(self) -> Instance:
        """The game, read from :attr:`path` (:func:`persuasion.instance.load_instance`)."""
        from persuasion.instance import load_instance

        return load_instance(self.path)

    def rules(self, name: str) -> dict[str, Any]:
        """The ``rules`` of the named profile as plain JSON (a new copy each call).

        Raises
        ------
        InputError
            No profile of that name; the one line names the entry's profiles.
        """
        if name not in self.profile_rules:
            known = ", ".join(self.profile_rules) or "none"
            raise InputError(self.slug, f"no profile {show(name)} (its profiles: {known})")
        return _plain(self.profile_rules[name])

    def profile(self, name: str) -> Profile:
        """The named profile of :attr:`profile_rules`, checked against the game.

        Raises
        ------
        InputError
            No profile of that name; the one line names the entry's profiles.
        """
        from persuasion.profile import FORMAT, parse_profile

        document = {"format": FORMAT, "rules": self.rules(name)}
        return parse_profile(document, self.load(), source=f"{self.slug} profile {name}")

    def conversation(self, name: str) -> ConversationProfile:
        """The named profile of :attr:`profile_rules` as conversation rules (rows by sender
        feature, or by sender feature then history), checked against the game.

        Raises
        ------
        InputError
            No profile of that name; the one line names the entry's profiles.
        """
        from persuasion.profile import FORMAT, parse_conversation_profile

        document = {"format": FORMAT, "rules": self.rules(name)}
        return parse_conversation_profile(
            document, self.load(), source=f"{self.slug} profile {name}"
        )

    def answer(
        self, quantity: str, profile: str | None = None, sender: str | None = None
    ) -> Fraction:
        """The known value of ``quantity`` (at ``profile``, of ``sender``).

        Raises
        ------
        InputError
            The entry knows no such answer; the one line names the answers it knows.
        """
        for known in self.answers:
            if (known.quantity, known.profile, known.sender) == (quantity, profile, sender):
                return known.value
        known = ", ".join(answer.label for answer in self.answers) or "none"
        raise InputError(
            self.slug, f"no answer {label(quantity, profile, sender)} (its answers: {known})"
        )


def _frozen(value: Any) -> Any:
    """A JSON value read-only all the way down: objects as mapping proxies, arrays as tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({key: _frozen(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    return value


def _plain(value: Any) -> Any:
    """The inverse of :func:`_frozen`: a new JSON value of dicts and lists."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


class _Reader:
    """Meaning checks of the index, each failure one :class:`InputError` line."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.names: dict[str, str] = {}

    def fail(self, parts: list[str | int], problem: str) -> NoReturn:
        raise InputError(self.source, problem, json_path(parts))

    def claim(self, name: str, parts: list[str | int]) -> None:
        """``name`` becomes a slug or alias; no two may be the same."""
        if name in self.names:
            self.fail(parts, f'"{name}" already names {self.names[name]}')
        self.names[name] = json_path(parts)

    def answer(self, data: dict, parts: list[str | int], profiles: Mapping) -> Answer:
        quantity = data["quantity"]
        for key, wanted in (("profile", AT_PROFILE), ("sender", OF_SENDER)):
            if (key in data) != (quantity in wanted):
                needs = "needs" if quantity in wanted else "takes no"
                self.fail(parts, f'the quantity "{quantity}" {needs} "{key}"')
        if "attained" in data and quantity != "best_deviation":
            self.fail(parts + ["attained"], '"attained" is for best_deviation only')
        if "profile" in data and data["profile"] not in profiles:
            self.fail(parts + ["profile"], f'no profile "{data["profile"]}" in this entry')
        return Answer(
            quantity=quantity,
            value=to_fraction(data["value"]),
            source=data["source"],
            derivation=data["derivation"],
            profile=data.get("profile"),
            sender=data.get("sender"),
            attained=data.get("attained"),
        )

    def entry(self, data: dict, parts: list[str | int]) -> Entry:
        self.claim(data["slug"], parts + ["slug"])
        for k, alias in enumerate(data["aliases"]):
            self.claim(alias, parts + ["aliases", k])
        path = INSTANCES / data["file"]
        if not path.is_file():
            self.fail(parts + ["file"], f"no instance file {data['file']} in {INSTANCES}")
        cite = data["citation"]
        profiles = data["profiles"]
        return Entry(
            slug=data["slug"],
            title=data["title"],
            citation=Citation(**{**cite, "authors": tuple(cite["authors"])}),
            answers=tuple(
                self.answer(item, parts + ["answers", k], profiles)
                for k, item in enumerate(data["answers"])
            ),
            path=path,
            aliases=tuple(data["aliases"]),
            profile_rules=_frozen(profiles),
        )


def read_index(path: str | Path = INDEX) -> tuple[Entry, ...]:
    """The entries of a catalog index file (by default the shipped one), in the file's order.

    Raises
    ------
    InputError
        The file breaks ``persuasion-catalog/1``: its schema or its meaning.
    """
    source = str(path)
    data = read_json(path)
    schema_check(data, "catalog.schema.json", source)
    reader = _Reader(source)
    return tuple(reader.entry(item, ["entries", k]) for k, item in enumerate(data["entries"]))


@functools.cache
def shipped() -> tuple[Entry, ...]:
    """The shipped catalog's entries, read once per process."""
    return read_index(INDEX)
