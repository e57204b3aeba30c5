"""``persuasion catalog [SLUG]``: the games shipped with the package, sources and known answers.

Without a slug, a table of every entry (slug, title, source); with one, that
entry's full citation, its known answers (each exact, with where it comes
from) and the profiles they are measured at.  ``--json`` prints one JSON
object instead, exact numbers as ``"p/q"`` strings.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from persuasion.catalog.entries import QUANTITIES, Answer, Entry, label
from persuasion.errors import InputError
from persuasion.numbers import fmt

__all__ = [
    "add_catalog",
    "entry_json",
    "catalog_json",
    "profile_json",
    "entry_text",
    "catalog_text",
]

FORMAT = "persuasion-catalog/1"
PROFILE_FORMAT = "persuasion-profile/1"

WIDTH = 100
"""Where the sources and derivations of ``catalog SLUG`` are wrapped."""


def add_catalog(commands: Any) -> None:
    """Add the ``catalog`` command to the command line's subparsers."""
    catalog = commands.add_parser(
        "catalog",
        help="the games shipped with persuasion, by slug: sources and known answers",
        description=(
            "List the catalog of games from the paper and the literature that ships with the "
            "package, or show one entry: its citation and its known answers, each exact and "
            "with where it comes from. Every command that takes an INSTANCE file also takes a "
            "slug (a file that exists wins)."
        ),
        epilog="Exit status: 0 success; 2 unknown slug (one line naming close matches).",
    )
    catalog.add_argument(
        "slug", metavar="SLUG", nargs="?", help="show this entry (a slug or an alias)"
    )
    catalog.add_argument(
        "--profile",
        metavar="NAME",
        help="with SLUG: print the entry's profile NAME as a persuasion-profile/1 file (JSON), "
        "ready for 'persuasion verify SLUG FILE'",
    )
    catalog.add_argument(
        "--json",
        action="store_true",
        help='print one JSON object on stdout instead of tables; exact numbers are "p/q" strings',
    )
    catalog.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """The ``catalog`` command: list every entry, or show ``args.slug``'s; exit status 0.

    Raises
    ------
    InputError
        ``args.slug`` is no slug or alias.
    """
    from persuasion.catalog import entries, entry

    if args.profile is not None:
        sys.stdout.write(json.dumps(profile_json(args.slug, args.profile), indent=2) + "\n")
        return 0
    if args.slug is None:
        report, text = catalog_json(entries()), catalog_text
    else:
        report, text = entry_json(entry(args.slug)), entry_text
    sys.stdout.write((json.dumps(report, indent=2) if args.json else text(report)) + "\n")
    return 0


def profile_json(slug: str | None, name: str) -> dict[str, Any]:
    """The ``persuasion-profile/1`` document of entry ``slug``'s profile ``name``.

    Raises
    ------
    InputError
        No slug given, ``slug`` is no slug or alias, or the entry has no profile ``name``.
    """
    from persuasion.catalog import entry

    if slug is None:
        raise InputError("--profile", "needs a SLUG: 'persuasion catalog SLUG --profile NAME'")
    return {"format": PROFILE_FORMAT, "rules": entry(slug).rules(name)}


def _answer_json(answer: Answer) -> dict[str, Any]:
    at = {key: getattr(answer, key) for key in ("profile", "sender", "attained")}
    return {
        "quantity": answer.quantity,
        **{key: value for key, value in at.items() if value is not None},
        "value": fmt(answer.value),
        "source": answer.source,
        "derivation": answer.derivation,
    }


def entry_json(item: Entry) -> dict[str, Any]:
    """One entry as JSON: slug, aliases, title, citation, packaged file, known answers, profiles."""
    cite = item.citation
    return {
        "slug": item.slug,
        "aliases": list(item.aliases),
        "title": item.title,
        "citation": {
            "authors": list(cite.authors),
            "year": cite.year,
            "title": cite.title,
            "venue": cite.venue,
            "where": cite.where,
            "url": cite.url,
            "short": cite.short,
            "text": str(cite),
        },
        "file": str(item.path),
        "answers": [_answer_json(answer) for answer in item.answers],
        "profiles": {
            name: {"format": PROFILE_FORMAT, "rules": item.rules(name)}
            for name in item.profile_rules
        },
    }


def catalog_json(items: tuple[Entry, ...]) -> dict[str, Any]:
    """The whole catalog as one JSON object: ``{"format": ..., "entries": [entry_json, ...]}``."""
    return {"format": FORMAT, "entries": [entry_json(item) for item in items]}


def catalog_text(report: dict[str, Any]) -> str:
    """The listing: one row per entry (slug, title, short citation), then how to see one."""
    from persuasion.render import table

    rows = []
    for item in report["entries"]:
        cite = item["citation"]
        rows.append([item["slug"], item["title"], cite["short"]])
    aliases = [
        f"  {alias} -> {item['slug']}" for item in report["entries"] for alias in item["aliases"]
    ]
    lines = [f"Catalog ({len(rows)} games)", *table(["slug", "title", "source"], rows, align="lll")]
    if aliases:
        lines += ["", "Aliases", *aliases]
    lines += [
        "",
        "'persuasion catalog SLUG' shows an entry's citation and known answers; every command",
        "that takes an INSTANCE file also takes a slug.",
    ]
    return "\n".join(lines)


def _wrap(text: str, first: str = "  ", rest: str = "    ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=first, subsequent_indent=rest)


def entry_text(report: dict[str, Any]) -> str:
    """One entry: citation, the instance file, known answers (exact and ``~``) and their sources."""
    from pathlib import Path

    from persuasion.render import approx, profile_lines, table

    cite = report["citation"]
    lines = [f"{report['slug']}: {report['title']}"]
    if report["aliases"]:
        lines.append(f"  also: {', '.join(report['aliases'])}")
    lines += [
        _wrap(f"source: {cite['text']}", "  ", " " * 10),
        _wrap(f"where:  {cite['where']}", "  ", " " * 10),
        f"  file:   {Path(report['file']).name} (packaged with persuasion; --json gives the path)",
        "",
        "Known answers",
    ]
    rows = [
        [a["quantity"], a.get("profile", ""), a.get("sender", ""), a["value"], approx(a["value"])]
        + [{True: "yes", False: "no (supremum)"}.get(a.get("attained"), "")]
        for a in report["answers"]
    ]
    header = ["quantity", "profile", "sender", "value", "~", "attained"]
    lines += table(header, rows, align="lllrrl")
    used = dict.fromkeys(a["quantity"] for a in report["answers"])
    lines += ["", "Quantities", *(_wrap(f"{q}: {QUANTITIES[q]}") for q in used)]
    lines += ["", "Where each answer comes from"]
    for a in report["answers"]:
        name = label(a["quantity"], a.get("profile"), a.get("sender"))
        lines.append(_wrap(f"{name} = {a['value']}: {a['source']}; {a['derivation']}"))
    for name, profile in report["profiles"].items():
        lines += ["", f"Profile {name!r}", *profile_lines(profile)]
    if report["profiles"]:
        save = f"persuasion catalog {report['slug']} --profile NAME > NAME.json"
        lines += ["", f"Save one as a profile file: {save}"]
    return "\n".join(lines)
