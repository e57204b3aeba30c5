"""Certificates of the paper's claims and the kernel's verdict on one."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from persuasion.model import Instance
from persuasion.numbers import fmt
from persuasion.results._display import Display


@dataclass(frozen=True, repr=False)
class Claim(Display):
    """One certified claim of the paper on an instance (a row of the theorem report).

    Attributes
    ----------
    name : str
        The claim (:data:`persuasion.checker.CLAIMS`).
    cites : str
        Where the paper states it.
    holds : bool
        Whether the claim holds on the instance.
    statement : str
        The claim in words.
    hypotheses : str
        Its hypotheses, with the numbers that settle them.
    conclusion_text : str
        Its conclusion, with numbers.
    slack : Fraction or None
        How far the conclusion is from failing (a proven lower bound where
        ``exp``/``log`` enter); None where the claim is an equality.
    certificate_text : str
        The ``persuasion-certificate/2`` document, as the JSON text written to
        a file (:attr:`certificate` parses it; :func:`persuasion.check` checks it).
    file : str or None
        Where the certificate was written, if it was.
    """

    name: str
    cites: str
    holds: bool
    statement: str
    hypotheses: str
    conclusion_text: str
    slack: Fraction | None
    certificate_text: str = field(repr=False)
    file: str | None = None

    @property
    def certificate(self) -> dict[str, Any]:
        """The certificate: a fresh ``persuasion-certificate/2`` object, parsed from the text."""
        return json.loads(self.certificate_text)

    @property
    def conclusion(self) -> dict[str, Any]:
        """What the certificate concludes, as it writes it (exact numbers as ``"p/q"``)."""
        return self.certificate["conclusion"]

    def to_json(self) -> dict[str, Any]:
        """The claim's row of ``persuasion certify --json``."""
        row = {
            "name": self.name,
            "cites": self.cites,
            "holds": self.holds,
            "statement": self.statement,
            "hypotheses": self.hypotheses,
            "conclusion_text": self.conclusion_text,
            "slack": None if self.slack is None else fmt(self.slack),
            "conclusion": self.conclusion,
        }
        if self.file is not None:
            row["file"] = self.file
        return row

    def _title(self) -> str:
        return f"{self.name} ({self.cites})"

    def _rows(self) -> list[tuple[str, Any]]:
        return [("holds", self.holds), ("slack", self.slack), ("conclusion", self.conclusion_text)]


@dataclass(frozen=True, repr=False)
class Certification(Display):
    """The certificates of the paper's claims on an instance (``persuasion certify``).

    Attributes
    ----------
    instance : Instance
        The instance certified.
    claims : tuple of Claim
        One certified claim per claim asked, in report order.
    """

    instance: Instance
    claims: tuple[Claim, ...]

    def __getitem__(self, name: str) -> Claim:
        """The claim called ``name``; KeyError if it was not certified."""
        for claim in self.claims:
            if claim.name == name:
                return claim
        raise KeyError(name)

    def with_files(self, files: Sequence[str]) -> Certification:
        """A copy whose claims record the files their certificates were written to, in order."""
        claims = zip(self.claims, files, strict=True)
        return dataclasses.replace(
            self, claims=tuple(dataclasses.replace(c, file=f) for c, f in claims)
        )

    def to_json(self) -> dict[str, Any]:
        """Exactly what ``persuasion certify --json`` prints."""
        return {"instance": self.instance.name, "claims": [c.to_json() for c in self.claims]}

    def _title(self) -> str:
        return f"certificates for {self.instance.name}"

    def _rows(self) -> list[tuple[str, Any]]:
        return [(c.name, "holds" if c.holds else "does not hold") for c in self.claims]


@dataclass(frozen=True, repr=False)
class CheckResult(Display):
    """The certificate kernel's verdict on a certificate (``persuasion check``).

    Attributes
    ----------
    valid : bool
        Whether the kernel re-derived the claim from the certificate's witnesses.
    claim : str or None
        The claim the certificate makes (None if it is invalid).
    holds : bool or None
        Whether the claim holds, as derived (None if invalid).
    conclusion : tuple of (str, object)
        The derived conclusion, key by key (exact numbers as ``"p/q"``; empty if invalid).
    problem : str or None
        The first thing that does not check, in one line (None if valid).
    """

    valid: bool
    claim: str | None = None
    holds: bool | None = None
    conclusion: tuple[tuple[str, Any], ...] = ()
    problem: str | None = None

    def line(self) -> str:
        """The verdict as ``persuasion check`` prints it: ``VALID: ...`` or ``INVALID: ...``."""
        if not self.valid:
            return f"INVALID: {self.problem}"
        verdict = "holds" if self.holds else "does not hold"
        facts = ", ".join(f"{key} {_plain(value)}" for key, value in self.conclusion)
        return f"VALID: {self.claim} {verdict}: {facts}"

    def to_json(self) -> dict[str, Any]:
        """``{"valid", "claim", "holds", "conclusion", "problem"}``."""
        return {
            "valid": self.valid,
            "claim": self.claim,
            "holds": self.holds,
            "conclusion": dict(self.conclusion),
            "problem": self.problem,
        }

    def _title(self) -> str:
        return "VALID" if self.valid else "INVALID"

    def _rows(self) -> list[tuple[str, Any]]:
        if not self.valid:
            return [("problem", self.problem)]
        return [("claim", self.claim), ("holds", self.holds), *self.conclusion]


def _plain(value: Any) -> str:
    """A derived conclusion value for the one-line verdict: ``[1, 1]``, ``5/3``, ``true``."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    return json.dumps(value) if isinstance(value, bool) else str(value)
