"""Catalog entries by name: a slug or an alias, and what to say about a name that is neither."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

from persuasion.catalog.entries import Entry, shipped
from persuasion.errors import InputError

__all__ = ["entry", "locate", "instance_file", "close_matches"]

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
"""What a slug looks like (and what a word must look like to be taken for a mistyped one)."""

LISTING = "'persuasion catalog' lists them all"


def _by_name() -> dict[str, Entry]:
    names = {}
    for item in shipped():
        for name in (item.slug, *item.aliases):
            names[name] = item
    return names


def close_matches(text: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` slugs and aliases near ``text``: those containing it, then difflib's."""
    names = list(_by_name())
    containing = [name for name in names if text and text in name]
    similar = difflib.get_close_matches(text, names, n=limit, cutoff=0.6)
    return list(dict.fromkeys(containing + similar))[:limit]


def _hint(text: str) -> str:
    found = close_matches(text)
    return f"close matches: {', '.join(found)}; " if found else ""


def entry(name: str) -> Entry:
    """The catalog entry with slug (or alias) ``name``.

    Raises
    ------
    InputError
        ``name`` is no slug or alias; the one line lists close matches.
    TypeError
        ``name`` is not a string.
    """
    if not isinstance(name, str):
        raise TypeError(f"a catalog slug is a str, not {type(name).__name__} ({name!r:.40})")
    found = _by_name().get(name)
    if found is None:
        raise InputError(name, f"not a catalog slug ({_hint(name)}{LISTING})")
    return found


def locate(name: str) -> Path:
    """The packaged instance file of the catalog entry ``name`` (a slug or alias).

    Raises
    ------
    InputError
        ``name`` is no slug or alias; the one line lists close matches.
    """
    return entry(name).path


def instance_file(text: str | Path) -> str | Path:
    """Where an instance given as ``text`` is read from: a file that exists, else a catalog slug's.

    A path that exists (or any :class:`~pathlib.Path`) is returned unchanged, and
    so is a name that is neither a file nor a slug: reading it then reports
    "no such file" as always -- unless it looks like a mistyped slug with close
    matches, which are named.

    A symbolic link named like a slug whose target is missing shadows the slug:
    refused, saying so.

    Raises
    ------
    InputError
        ``text`` is no file and no slug, but close to some slugs; or a broken link
        shadows the slug ``text``.
    """
    if isinstance(text, Path) or os.path.exists(text):
        return text
    found = _by_name().get(text)
    if os.path.lexists(text):  # a symbolic link to nothing
        if found is not None:
            other = "" if text == found.slug else f" or name the slug {found.slug}"
            raise InputError(
                text,
                f"no such file: a symbolic link to the missing {os.readlink(text)} shadows the "
                f"catalog entry {found.slug}; remove the link{other}",
            )
        return text
    if found is not None:
        return found.path
    if SLUG.fullmatch(text) and close_matches(text):
        raise InputError(text, f"no such file, nor a catalog slug ({_hint(text)}{LISTING})")
    return text
