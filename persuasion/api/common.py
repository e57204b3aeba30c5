"""What every function of the front door shares: defaults, errors, reading files, the game an
instance plays and the context its best responses run in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from persuasion.conversation import is_conversation
from persuasion.errors import InputError
from persuasion.games import GameEntry
from persuasion.games import game as game_entry
from persuasion.model import Instance, Profile

if TYPE_CHECKING:
    from persuasion.conversation.rules import ConversationProfile

MEMORY = "<memory>"
"""How an error names an instance built in code rather than read from a file."""

ETA = Fraction(1, 1000)
"""Default ``eta``: how close to an unattained supremum a reported best-response scheme comes."""


class OptionError(Exception):
    """Arguments that cannot be used (together): ``str(err)`` is one line saying why."""


# ---------------------------------------------------------------- reading


def load(path: str | Path) -> Instance:
    """Read an instance file (``persuasion-instance/1``, docs/reference/file-formats.md).

    Parameters
    ----------
    path : str or Path
        The file, or the slug of a catalog game (a file that exists wins).

    Returns
    -------
    Instance

    Raises
    ------
    InputError
        For any problem with the file, in one line naming it.
    """
    from persuasion.instance import load_instance

    if not isinstance(path, str | Path):
        raise TypeError(f"load takes a file path or a catalog slug, not {type(path).__name__}")
    return load_instance(path)


def load_profile(path: str | Path, instance: Instance) -> Profile:
    """Read a profile file (``persuasion-profile/1``, docs/reference/file-formats.md) for
    ``instance``.

    Parameters
    ----------
    path : str or Path
        The file.
    instance : Instance
        The instance the profile is for.

    Returns
    -------
    Profile

    Raises
    ------
    InputError
        For any problem with the file, in one line naming it.
    """
    from persuasion.profile import load_profile as read

    return read(path, instance)


def load_conversation_profile(path: str | Path, instance: Instance) -> ConversationProfile:
    """Read a profile file's conversation rules for ``instance``: rows by sender feature (rules
    that ignore the history) or by sender feature then private history
    (docs/reference/file-formats.md, "Rules keyed by history").

    Parameters
    ----------
    path : str or Path
        The file.
    instance : Instance
        The instance the rules are for (its ``rounds`` and ``alice_messages``).

    Returns
    -------
    ConversationProfile
        What :func:`persuasion.converse` plays.

    Raises
    ------
    InputError
        For any problem with the file, in one line naming it.
    """
    from persuasion.profile import load_conversation_profile as read

    return read(path, instance)


# ---------------------------------------------------------------- what can be played


CONVERSATIONS_PLAYED = (
    "'persuasion solve', 'verify', 'certify' and 'converse' (persuasion.solve, verify, "
    "best_response, certify, converse) play conversations"
)
"""Where a command that does not play conversations sends the user."""


def unsupported(instance: Instance, *, conversations: bool = False) -> tuple[str, str] | None:
    """``(json path, problem)`` for a protocol this version cannot play yet, or None (a quantal
    Alice is refused here: ``solve`` and ``verify`` take her before asking,
    :mod:`persuasion.api.quantal`).

    ``conversations``: the caller plays conversations (rounds > 1 or alice_messages > 1) in
    either game with a best-responding Alice (solve, verify, best_response);
    otherwise a conversation is refused.
    """
    p = instance.protocol
    talk = is_conversation(instance)
    problems = [
        (
            talk and not conversations and p.rounds != 1,
            "protocol.rounds",
            f"this command does not play conversations yet (rounds = {p.rounds}): "
            + CONVERSATIONS_PLAYED,
        ),
        (
            talk and not conversations,
            "protocol.alice_messages",
            f"this command does not play conversations yet (alice_messages = "
            f"{p.alice_messages}): " + CONVERSATIONS_PLAYED,
        ),
        (
            p.decision != "best-response",
            "protocol.decision",
            "this needs a best-responding Alice: for a quantal one, 'persuasion solve' searches "
            "for a QRE, 'persuasion verify INSTANCE PROFILE' checks a profile (the QRE check) and "
            "'persuasion certify' proves Theorem 2's bound",
        ),
    ]
    return next(((path, problem) for bad, path, problem in problems if bad), None)


def check_supported(
    instance: Instance, source: str = MEMORY, *, conversations: bool = False
) -> None:
    """Refuse, in one line naming the file, a protocol this version cannot solve yet
    (``conversations``: as :func:`unsupported`)."""
    problem = unsupported(instance, conversations=conversations)
    if problem:
        raise InputError(source, problem[1], "$." + problem[0])


def game_of(instance: Instance, game: str | None) -> GameEntry:
    """The table entry of ``game``, by default the instance's own (``protocol.game``)."""
    return game_entry(instance.protocol.game if game is None else game)


@contextmanager
def engine(route: str, set_search: str) -> Iterator[None]:
    """Every best response inside takes ``route`` and ``set_search`` (routes.using)."""
    from persuasion.routes import using

    with using(route, set_search):
        yield


@contextmanager
def dask_client(address: str | None, jobs: int | None) -> Iterator[Any]:
    """A Dask client for ``address`` (a scheduler or ``"local"``:
    :func:`persuasion.experiments.sweep.connect`), or None without one; a scheduler that cannot
    be reached is one :class:`OptionError` before any work (``simulate``, ``search``, ``hull``)."""
    if address is None:
        yield None
        return
    from persuasion.experiments import sweep

    with ExitStack() as stack:
        try:
            client = stack.enter_context(sweep.connect(address, jobs))
        except sweep.DaskError as exc:
            raise OptionError(str(exc)) from None
        yield client


def import_solver() -> None:
    """Import the modules a solve, a verification or a certificate uses (the command line does it
    once, with the garbage collector paused: :func:`persuasion.cli._loading_the_solver`)."""
    import importlib

    for name in (
        "cells", "equilibrium", "problem", "profile", "receiver", "routes", "selection",
        "weighted_alignment",
    ):  # fmt: skip
        importlib.import_module(f"persuasion.{name}")
