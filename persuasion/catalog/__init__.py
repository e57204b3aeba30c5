"""The catalog: games from the paper and the literature, shipped with the package, by slug.

Each entry is an instance file (``persuasion-instance/1``) with its source and
its known answers as data (:mod:`persuasion.catalog.entries`).  A slug names
the source: ``<authors>-<year>-<what>``, the first author and "et al." beyond
two, for instance ``kamenica-gentzkow-2011-prosecutor`` or
``collina-et-al-2025-judge-prosecutor`` (the paper, Appendix I, Theorem 7).

>>> from persuasion import catalog
>>> game = catalog.load("kamenica-gentzkow-2011-prosecutor")
>>> game.states
('guilty', 'innocent')
>>> catalog.entry("judge-prosecutor").answer("alice_utility", profile="oblivious")
Fraction(5, 3)

Every command that reads an instance file also takes a slug: a file that
exists wins, else the slug's packaged file (:func:`instance_file`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from persuasion.catalog.entries import QUANTITIES, Answer, Citation, Entry, Quantity, shipped
from persuasion.catalog.lookup import close_matches, entry, instance_file, locate

if TYPE_CHECKING:
    from persuasion.model import Instance

__all__ = [
    "Answer",
    "Citation",
    "Entry",
    "Quantity",
    "QUANTITIES",
    "close_matches",
    "entries",
    "entry",
    "instance_file",
    "load",
    "locate",
]


def entries() -> tuple[Entry, ...]:
    """Every entry of the catalog, in the index's order."""
    return shipped()


def load(slug: str) -> Instance:
    """The catalog's game ``slug`` (or alias).

    Raises
    ------
    InputError
        ``slug`` is no slug or alias; the one line lists close matches.
    """
    return entry(slug).load()
