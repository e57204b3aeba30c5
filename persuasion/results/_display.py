"""How every result shows itself: a short ``repr`` and a small table for notebooks."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from persuasion.model import Scheme
from persuasion.numbers import fmt

Attained = bool | None
"""Whether some scheme reaches a supremum (None: undecided, only when a MILP chose the set)."""


def cell(value: Any) -> str:
    """A value as a table cell: a Fraction as ``p/q``, a sequence as ``(a, b)``."""
    if isinstance(value, Fraction):
        return fmt(value)
    if isinstance(value, tuple | list):
        return "(" + ", ".join(cell(v) for v in value) + ")"
    if value is None:
        return "-"
    return str(value)


class Display:
    """Notebook renderings from :meth:`_rows`: a two-column table of labels and values."""

    def _title(self) -> str:
        raise NotImplementedError

    def _rows(self) -> list[tuple[str, Any]]:
        raise NotImplementedError

    def _repr_markdown_(self) -> str:
        from html import escape as html

        def escape(text: str) -> str:  # Markdown renders raw HTML: names are text, never markup
            return html(text).replace("|", "\\|").replace("\n", " ")

        lines = [f"**{escape(self._title())}**", "", "| | |", "|---|---|"]
        lines += [f"| {escape(label)} | {escape(cell(value))} |" for label, value in self._rows()]
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        from html import escape

        rows = "".join(
            f"<tr><th>{escape(label)}</th><td>{escape(cell(value))}</td></tr>"
            for label, value in self._rows()
        )
        return f"<table><caption>{escape(self._title())}</caption>{rows}</table>"

    def __repr__(self) -> str:
        facts = ", ".join(f"{label}={cell(value)}" for label, value in self._rows()[:8])
        return f"<{type(self).__name__} {self._title()}: {facts}>"


def scheme_json(features: tuple[str, ...], messages: tuple[str, ...], scheme: Scheme) -> dict:
    """A scheme as JSON (:func:`persuasion.profile.dump_scheme`)."""
    from persuasion.profile import dump_scheme

    return dump_scheme(features, messages, scheme)


def fractions_json(values: tuple[Fraction, ...]) -> list[str]:
    """Exact numbers as ``"p/q"`` strings."""
    return [fmt(v) for v in values]
