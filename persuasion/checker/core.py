"""The kernel's entry point and its strict readers (``persuasion-certificate/2``).

A certificate names a *claim* and supplies *witnesses* (schemes, multipliers,
LP duals, enclosures).  It states nothing the kernel believes: for each claim
kind the kernel knows the whole chain of the proof (:data:`CHAINS`), reads
the instance from the exact text embedded in the certificate, and derives
every number of the conclusion itself.  A ``conclusion`` or ``holds`` in the
file is only compared with what was derived; a mismatch, a missing witness,
an unknown key or claim, an index out of range, a number that is not an
exact rational within :mod:`persuasion.limits` -- each makes the certificate
INVALID, reported as one :class:`Invalid` line.

Standard library only (plus the stdlib-only :mod:`persuasion.jsonio`,
:mod:`persuasion.errors`, :mod:`persuasion.limits`, :mod:`persuasion.numbers`).
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any
from collections.abc import Callable

from persuasion import limits
from persuasion.numbers import fmt, parse_number

FORMAT = "persuasion-certificate/2"

CLAIMS = (
    "definition-1",
    "definition-1-nonnegative",
    "theorem-1",
    "theorem-2",
    "theorem-6",
    "theorem-7",
    "lemma-1",
    "lemma-2",
    "proposition-2",
    "theorem-5",
    "proposition-3",
)
"""Every claim a certificate can make, in report order."""

ANALYTIC = ("lemma-1", "lemma-2", "proposition-2", "theorem-5", "proposition-3")
"""Claims with free ``parameters`` (lambda, epsilon, delta, rounds) besides the instance."""

PROSE = ("cites", "statement", "units", "instance_path")
"""Top-level keys for human readers only: strings, never read by the kernel."""

PROSE_NOTE = (
    f"not checked: the prose ({', '.join(PROSE)}) is for readers and may say anything; "
    "only the claim and conclusion above are derived"
)
"""The line ``persuasion check`` prints after ``VALID``: what a VALID verdict does not cover."""


class Invalid(Exception):
    """The certificate does not prove its claim; ``str(err)`` is one line saying why."""


def require(condition: bool, problem: str) -> None:
    """Raise :class:`Invalid` with ``problem`` unless ``condition`` holds.  (Where the message costs
    more than the test, as with :func:`_kind`, the readers test first and build it only on failure:
    a large certificate calls them millions of times.)"""
    if not condition:
        raise Invalid(problem)


# --------------------------------------------------------------------------- values

_RATIONAL = re.compile(r"-?[0-9]+(/[0-9]+)?", re.ASCII)
"""How certificates write their numbers: an integer or ``"p/q"`` (no decimals, no spaces)."""
_MAX_BITS = limits.MAX_NUMBER_CHARS * 4
"""An int beyond this many bits has more than MAX_NUMBER_CHARS decimal digits."""


def number(value: Any, where: str, decimals: bool = False) -> Fraction:
    """An exact number: a JSON integer or a ``"p/q"`` string (and, with ``decimals``,
    the instance format's decimals), read by the package's bounded reader
    (:func:`persuasion.numbers.parse_number`: ASCII digits only, within the size limits)."""
    if isinstance(value, int) and not isinstance(value, bool):
        require(
            value.bit_length() <= _MAX_BITS,
            f"{where}: number beyond MAX_NUMBER_CHARS = {limits.MAX_NUMBER_CHARS}",
        )
        return Fraction(value)
    if decimals and isinstance(value, Fraction):  # a JSON decimal, read exactly
        return value
    if not isinstance(value, str):
        raise Invalid(f"{where}: expected an exact number, got {_kind(value)}")
    require(
        decimals or _RATIONAL.fullmatch(value) is not None, f'{where}: not an exact number ("p/q")'
    )
    try:
        return parse_number(value)
    except ValueError as problem:
        raise Invalid(f"{where}: {problem}") from None


def numbers(value: Any, where: str, length: int | None = None) -> list[Fraction]:
    """A list of exact numbers (of exactly ``length`` entries, when given)."""
    items = array(value, where, length)
    return [number(v, f"{where}[{k}]") for k, v in enumerate(items)]


def index(value: Any, size: int, where: str) -> int:
    """An index into a list of ``size`` items: a JSON integer (not a boolean) in ``[0, size)``."""
    if not (isinstance(value, int) and not isinstance(value, bool)):
        raise Invalid(f"{where}: expected an index, got {_kind(value)}")
    require(0 <= value < size, f"{where}: index {value} out of range 0..{size - 1}")
    return value


def array(value: Any, where: str, length: int | None = None) -> list:
    if not isinstance(value, list):
        raise Invalid(f"{where}: expected a list, got {_kind(value)}")
    if length is not None:
        require(len(value) == length, f"{where}: expected {length} entries, got {len(value)}")
    return value


def text(value: Any, where: str) -> str:
    if not (isinstance(value, str) and value != ""):
        raise Invalid(f"{where}: expected a non-empty string, got {_kind(value)}")
    return value


def fields(value: Any, where: str, required: tuple = (), optional: tuple = ()) -> dict:
    """An object with exactly the ``required`` keys and some of the ``optional`` ones."""
    if not isinstance(value, dict):
        raise Invalid(f"{where}: expected an object, got {_kind(value)}")
    require(not getattr(value, "duplicates", ()), f"{where}: a key appears twice")
    for key in value:
        if key not in required and key not in optional:
            raise Invalid(f"{where}: unknown key {_short(key)}")
    for key in required:
        require(key in value, f"{where}: missing {key!r}")
    return value


def keyed(value: Any, where: str, names: tuple[str, ...]) -> dict:
    """An object keyed by exactly ``names`` (senders, features, ...)."""
    return fields(value, where, required=names)


def _kind(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    return {dict: "an object", list: "a list", str: f"the string {_short(value)}"}.get(
        type(value), type(value).__name__
    )


def _short(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


# --------------------------------------------------------------------------- the certificate


def derived(value: Any) -> Any:
    """The JSON form of a derived conclusion value (numbers as ``"p/q"``)."""
    if isinstance(value, Fraction):
        return fmt(value)
    if isinstance(value, (list, tuple)):
        return [derived(v) for v in value]
    if isinstance(value, dict):
        return {k: derived(v) for k, v in value.items()}
    return value


Chain = Callable[[dict, Any], tuple[bool, dict]]
"""``chain(certificate, instance_or_None) -> (holds, conclusion)``: the whole proof of one claim
kind."""

CHAINS: dict[str, Chain] = {}
"""Claim kind -> its chain."""


def claim(kind: str) -> Callable[[Chain], Chain]:
    """Register the chain of one claim kind."""

    def register(fn: Chain) -> Chain:
        CHAINS[kind] = fn
        return fn

    return register


def instance_bytes_of(cert: dict) -> bytes:
    """The embedded instance file's exact bytes, after checking them against ``instance_sha256``."""
    body = text(cert.get("instance_text"), "instance_text")
    require(
        len(body) <= limits.MAX_FILE_BYTES,
        f"instance_text: beyond MAX_FILE_BYTES = {limits.MAX_FILE_BYTES}",
    )
    try:
        raw = body.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid("instance_text: not valid Unicode text") from None
    digest = cert.get("instance_sha256")
    require(
        isinstance(digest, str) and re.fullmatch(r"[0-9a-f]{64}", digest) is not None,
        "instance_sha256: expected 64 lowercase hex digits",
    )
    require(sha256(raw) == digest, "instance_sha256 is not the sha256 of instance_text")
    return raw


def sha256(data: bytes) -> str:
    """The sha256 of ``data``, in lowercase hex.

    :mod:`hashlib` is imported here, not with the module: every command reads
    :data:`CLAIMS` from this module to list ``certify --claim``, and importing
    hashlib (its OpenSSL extension) cost about 6 ms of each command's start-up.
    """
    import hashlib

    return hashlib.sha256(data).hexdigest()


def check(cert: Any, instance_file: bytes | None = None) -> dict:
    """Re-derive ``cert``'s claim; return ``{"claim", "holds", "conclusion"}`` or raise
    :class:`Invalid`.

    ``instance_file``: the bytes of the user's own instance file, which must be
    exactly the embedded one (same sha256).
    """
    from persuasion.checker import analytic, claims, theorem5  # noqa: F401  (registers their chains; lazy: see the package)
    from persuasion.checker.game import read_game

    require(isinstance(cert, dict), "the certificate must be a JSON object")
    require(cert.get("format") == FORMAT, f"format: expected {FORMAT!r}")
    kind = cert.get("claim")
    if kind == "theorem-2":  # its chain alone needs python-flint's ball arithmetic
        from persuasion.checker import quantal  # noqa: F401
    require(isinstance(kind, str) and kind in CHAINS, f"claim: unknown claim {_short(kind)}")
    subject = ("profile",) if kind in ("theorem-1", "theorem-2", "theorem-6") else ()
    subject += ("parameters",) if kind in ANALYTIC else ()
    fields(
        cert,
        "certificate",
        required=("format", "claim", "instance_text", "instance_sha256", "witnesses") + subject,
        optional=PROSE + ("holds", "conclusion"),
    )
    for key in PROSE:
        require(key not in cert or isinstance(cert[key], str), f"{key}: expected a string")
    raw = instance_bytes_of(cert)
    if instance_file is not None:
        require(
            sha256(instance_file) == cert["instance_sha256"],
            "the instance file is not the one this certificate is about (its sha256 differs)",
        )
    game = read_game(raw)
    try:
        holds, conclusion = CHAINS[kind](cert, game)
    except RecursionError:
        raise Invalid("the certificate is nested too deeply") from None
    result = {"claim": kind, "holds": holds, "conclusion": derived(conclusion)}
    if "holds" in cert:
        require(
            cert["holds"] is holds,
            f"holds: the claim {'holds' if holds else 'does not hold'}, "
            f"but the certificate says {_kind(cert['holds'])}",
        )
    if "conclusion" in cert:
        stated = cert["conclusion"]
        require(isinstance(stated, dict), "conclusion: expected an object")
        for key in stated:
            if key not in result["conclusion"]:
                raise Invalid(f"conclusion: unknown key {_short(key)}")
        for key, value in result["conclusion"].items():
            require(key in stated, f"conclusion: missing {key!r}")
            if not _same(stated[key], value):
                raise Invalid(f"conclusion.{key}: the certificate derives {_short(value)}")
    return result


def _same(stated: Any, value: Any) -> bool:
    """Is the stated conclusion value exactly the derived one (numbers compared as rationals)?"""
    if isinstance(value, list):
        return (
            isinstance(stated, list)
            and len(stated) == len(value)
            and all(map(_same, stated, value))
        )
    if isinstance(value, dict):
        return (
            isinstance(stated, dict)
            and not getattr(stated, "duplicates", ())
            and set(stated) == set(value)
            and all(_same(stated[key], item) for key, item in value.items())
        )
    if isinstance(value, str) and not isinstance(value, bool) and _RATIONAL.fullmatch(value):
        return (
            isinstance(stated, str) and _RATIONAL.fullmatch(stated) is not None and stated == value
        )
    return type(stated) is type(value) and stated == value
