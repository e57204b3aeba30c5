"""A Griffe extension for the docs site: the docstrings' Sphinx roles become cross-references.

The docstrings of ``persuasion`` are read in a terminal and by ``help()`` as
much as on the site, and name other objects the reStructuredText way,
``:class:`Instance```, ``:func:`~persuasion.instance.load_instance```.
MkDocs renders Markdown, where such a role would show as typed.  This
extension rewrites each role, once the package is loaded, into an optional
mkdocs-autorefs reference: a link when the object is on the site, its name
in code type when it is not (``fractions.Fraction``, a private helper), never
a warning; and a paragraph's closing ``::`` becomes ``:`` (the indented block
after it is a code block in Markdown too).  ``mkdocs.yml`` loads it
(``extensions:`` of the Python handler).
"""

from __future__ import annotations

import re
from functools import partial

import griffe

LITERAL = re.compile(r"(\S)?::$", flags=re.MULTILINE)
"""A paragraph ending ``::``: reStructuredText's colon before a literal (indented) block."""

ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|data|attr|exc|obj|const):`(~?)\.?([\w.]+)`")
"""A Sphinx cross-reference role: ``:kind:`target``` or ``:kind:`~target``` (show the last name)."""


class SphinxRoles(griffe.Extension):
    """Rewrite the Sphinx roles (and literal-block colons) of every docstring of the package."""

    def on_package(self, *, pkg: griffe.Module, **kwargs) -> None:
        for obj in _objects(pkg):
            if obj.docstring is not None:
                text = LITERAL.sub(
                    lambda m: f"{m.group(1)}:" if m.group(1) else "", obj.docstring.value
                )
                obj.docstring.value = ROLE.sub(partial(_reference, obj), text)


def _objects(obj: griffe.Object):
    """``obj`` and every object defined in it (aliases are documented where they are defined)."""
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _objects(member)


def _reference(obj: griffe.Object, match: re.Match) -> str:
    short, target = match.group(1), match.group(2)
    head, _, rest = target.partition(".")
    try:
        resolved = obj.resolve(head)
        path = f"{resolved}.{rest}" if rest else resolved
    except (griffe.NameResolutionError, ValueError):
        path = target
    title = target.rsplit(".", 1)[-1] if short else target
    return f'<autoref identifier="{path}" optional><code>{title}</code></autoref>'
