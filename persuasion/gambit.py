"""A restricted game as Gambit's strategic-form ``.nfg`` file, and back.

:func:`to_nfg` writes a :class:`~persuasion.restricted.RestrictedGame` in
Gambit's payoff format, version ``NFG 1 R`` (Gambit's documentation, "The
strategic game (.nfg) file format, payoff version")::

    NFG 1 R "judge-prosecutor" { "prosecutor" "defense" }

    { { "1,0|1,0" "1,0|0,1" "0,1|1,0" "0,1|0,1" }
    { "1,0|1,0" "1,0|0,1" "0,1|1,0" "0,1|0,1" }
    }
    "persuasion restricted game of judge-prosecutor (...)"

    5/3 0
    4/3 2/3
    ...

Players are the senders.  A strategy's label *is* its scheme
``pi(m | x_B)``: one row per sender feature ``x_B``, rows separated by ``|``,
each row the exact probabilities of the sender's messages separated by ``,``
(``"1/2,1/2|0,1"``); the comment names the rows and the messages.  Payoffs
are exact rationals, one line per pure profile, the first player's strategy
changing fastest.  Strings are quoted as Gambit writes them (``\\"`` for a
quote).  Every file written is one Gambit 16.7 reads back exactly
(:func:`gambit_problem`): a name it could not read -- not ASCII, holding a
backslash, or a player's name with a character that is not printable, a space
at either end or two spaces in a row -- is refused, naming it, before any
payoff is computed (:func:`check_gambit_names`).

:func:`from_nfg` reads such a file back into the same game, exactly.  It
reads the payoff format and the outcome format (what Gambit itself writes:
a list of outcomes, then one outcome number per pure profile, 0 for the null
outcome), with our own parser: Gambit is not needed at run time.  Every
problem is one line, an :class:`~persuasion.errors.InputError` naming the
file and the line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from persuasion.errors import InputError, show
from persuasion.limits import MAX_RESTRICTED_PROFILES, MAX_SENDERS
from persuasion.model import Scheme
from persuasion.numbers import beyond, fmt, parse_number
from persuasion.restricted import RestrictedGame, check_size

__all__ = [
    "to_nfg",
    "from_nfg",
    "read_nfg",
    "scheme_label",
    "parse_scheme_label",
    "gambit_problem",
    "check_gambit_names",
]


def scheme_label(scheme: Scheme) -> str:
    """A scheme as a strategy label: rows ``x_B`` joined by ``|``, probabilities by ``,``."""
    return "|".join(",".join(fmt(p) for p in row) for row in scheme)


def parse_scheme_label(label: str) -> Scheme:
    """The scheme a :func:`scheme_label` names.

    Raises
    ------
    ValueError
        When a probability is not an exact number, is negative, a row does not
        sum to exactly 1, or the rows have different lengths.
    """
    scheme = tuple(
        tuple(parse_number(p) for p in row.split(",")) for row in label.strip().split("|")
    )
    if len({len(row) for row in scheme}) != 1:
        raise ValueError("its rows have different numbers of messages")
    for row in scheme:
        if any(p < 0 for p in row) or sum(row) != 1:
            raise ValueError(f"the row {','.join(map(fmt, row))} is not a probability distribution")
    return scheme


def gambit_problem(text: str, label: bool) -> str | None:
    """Why Gambit 16.7 would not read ``text`` back exactly from a ``.nfg`` file, or None.

    Gambit reads its files as ASCII and does not read a backslash back as it
    writes one (``a\\b`` comes back ``a\\\\\\b``; one at the end ends the file).
    A *label* -- a player's name -- must moreover hold only printable
    characters, neither begin nor end with a space, hold no two spaces in a
    row, and not be empty (Gambit renames an empty one).  The title and the
    comment are not labels.

    Parameters
    ----------
    text : str
        The title, a player's name, or the comment.
    label : bool
        Whether ``text`` is a label.

    Returns
    -------
    str or None
        What is wrong, in words (``"is not ASCII"``), or None.
    """
    if not text.isascii():
        return "is not ASCII"
    if "\\" in text:
        return "holds a backslash"
    if not label:
        return None
    if not text:
        return "is empty"
    if not text.isprintable():
        return "holds a character that is not printable (a tab, a line break)"
    if text != text.strip(" "):
        return "begins or ends with a space"
    if "  " in text:
        return f"holds two spaces in a row (at character {text.index('  ') + 1})"
    return None


def check_gambit_names(instance, source: str) -> None:
    """Refuse an instance whose restricted game's file Gambit 16.7 could not read back exactly.

    Checked before any payoff is computed: the instance's name (the title),
    the senders' names (the players), and the names of the sender features
    and messages (in the comment), each by :func:`gambit_problem`.

    Raises
    ------
    InputError
        One line naming ``source``, the first such name and what is wrong with it.
    """
    names = [("the instance's name", instance.name, False)]
    names += [("sender", sender.name, True) for sender in instance.senders]
    names += [("sender feature", x, False) for x in instance.sender_features]
    names += [
        (f"message of {sender.name}", m, False)
        for sender in instance.senders
        for m in sender.messages
    ]
    for what, name, label in names:
        problem = gambit_problem(name, label)
        if problem is not None:
            raise InputError(
                source,
                f"{what} {show(name)} {problem}; Gambit 16.7 could not read the .nfg file "
                f"(see docs/how-to/export-to-gambit.md)",
            )


def _quote(text: str) -> str:
    """``text`` quoted, a quote as ``\\"`` (a backslash is never written: :func:`to_nfg`)."""
    escaped = text.replace('"', '\\"')
    return f'"{escaped}"'


def to_nfg(game: RestrictedGame) -> str:
    """The ``.nfg`` text of ``game``: Gambit's payoff format, exact rational payoffs.

    Parameters
    ----------
    game : RestrictedGame
        The game to write (:func:`persuasion.restricted.restricted_game`).

    Returns
    -------
    str
        The file's text, ending in a newline; :func:`from_nfg` reads it back
        into an equal game, and Gambit 16.7 reads it too.

    Raises
    ------
    ValueError
        When Gambit could not read the title, a player's name or the comment
        back exactly (:func:`gambit_problem`).
    """
    texts = [("the title", game.title, False), ("the comment", game.comment, False)]
    for what, text, label in [*texts, *(("player", p, True) for p in game.players)]:
        problem = gambit_problem(text, label)
        if problem is not None:
            raise ValueError(f"{what} {show(text)} {problem}: Gambit could not read it back")
    players = " ".join(_quote(p) for p in game.players)
    strategies = "\n".join(
        "{ " + " ".join(_quote(scheme_label(s)) for s in options) + " }"
        for options in game.strategies
    )
    payoffs = "\n".join(" ".join(fmt(u) for u in row) for row in game.payoffs)
    return (
        f"NFG 1 R {_quote(game.title)} {{ {players} }}\n\n"
        f"{{ {strategies}\n}}\n{_quote(game.comment)}\n\n{payoffs}\n"
    )


@dataclass(frozen=True)
class _Token:
    kind: str  # "text" (a quoted string), "word" (anything else), "{", "}" or ","
    text: str
    line: int


_LEXEME = re.compile(r'\s+|[{},]|"[^"\\]*(?:\\.[^"\\]*)*"|[^\s{},"]+|"', re.DOTALL)
"""Whitespace, a brace or comma, a quoted string (``\\`` escapes the next character), a word, or
a lone quote that opens a string never closed."""
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def _tokens(text: str, source: str) -> Iterator[_Token]:
    """Gambit's lexical tokens: braces, commas, quoted strings and whitespace-separated words."""
    line = 1
    for match in _LEXEME.finditer(text):
        lexeme = match.group()
        if lexeme == '"':
            raise InputError(source, f"line {line}: a quoted string is never closed")
        if lexeme[0] == '"':
            yield _Token("text", _ESCAPE.sub(r"\1", lexeme[1:-1]), line)
        elif lexeme in "{},":
            yield _Token(lexeme, lexeme, line)
        elif not lexeme.isspace():
            yield _Token("word", lexeme, line)
        line += lexeme.count("\n")


class _Reader:
    """The tokens of a ``.nfg`` text, read front to back (one ahead); every problem names the
    line."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self._tokens = _tokens(text, source)
        self._next = next(self._tokens, None)

    def peek(self) -> _Token | None:
        return self._next

    def fail(self, problem: str, token: _Token | None = None) -> InputError:
        """The error at ``token`` (default: the next one)."""
        token = token or self._next
        where = f"line {token.line}" if token else "at the end of the file"
        return InputError(self.source, f"{where}: {problem}")

    def take(self, kind: str, what: str) -> _Token:
        token = self._next
        if token is None or token.kind != kind:
            found = "the end of the file" if token is None else show(token.text)
            raise self.fail(f"expected {what}, found {found}")
        self._next = next(self._tokens, None)
        return token

    def texts(self, what: str, limit: int) -> list[_Token]:
        """A braced list of at most ``limit`` quoted strings."""
        self.take("{", f"'{{' opening the {what}")
        items = []
        while (token := self.peek()) is not None and token.kind == "text":
            if len(items) == limit:
                raise self.fail(beyond(f"more than {limit} {what}", limit))
            items.append(self.take("text", what))
        self.take("}", f"'}}' closing the {what}")
        return items

    def number(self, what: str) -> Fraction:
        token = self.take("word", what)
        try:
            return parse_number(token.text)
        except ValueError as exc:
            raise self.fail(f"{what}: {exc}", token) from None


def _header(reader: _Reader) -> tuple[str, list[str]]:
    """``NFG 1 R "title" { "player" ... }``: the title and the players' names."""
    for expected in ("NFG", "1"):
        if (token := reader.take("word", f"'{expected}'")).text != expected:
            raise reader.fail(
                f"expected '{expected}' (a Gambit strategic-form file begins NFG 1 R)", token
            )
    if (token := reader.take("word", "'R' or 'D'")).text not in ("R", "D"):
        raise reader.fail("expected the data type 'R' or 'D' after NFG 1", token)
    title = reader.take("text", "the quoted title").text
    players = [token.text for token in reader.texts("players", MAX_SENDERS)]
    if not players:
        raise reader.fail("the game has no players")
    if len(set(players)) != len(players):
        raise reader.fail("two players have the same name")
    return title, players


def _strategies(reader: _Reader, players: list[str]) -> tuple[tuple[Scheme, ...], ...]:
    """``{ { "label" ... } ... }``: every player's strategies, each label parsed as a scheme --
    after the game's size is checked (:func:`persuasion.restricted.check_size`)."""
    reader.take("{", "'{' opening the strategies")
    token = reader.peek()
    if token is not None and token.kind == "word":
        raise reader.fail(
            "the strategies are counted, not labelled; a restricted game labels every "
            "strategy with its scheme (persuasion export --gambit)"
        )
    labels = []
    profiles = 1
    for player in players:
        tokens = reader.texts(f"strategies of {show(player)}", MAX_RESTRICTED_PROFILES)
        if not tokens:
            raise reader.fail(f"player {show(player)} has no strategies")
        if len({token.text for token in tokens}) != len(tokens):
            raise reader.fail(f"two strategies of {show(player)} have the same label")
        labels.append(tokens)
        profiles *= len(tokens)
        check_size(profiles, 0, reader.source, "the game")
    reader.take("}", "'}' closing the strategies")
    entries = sum(t.text.count(",") + t.text.count("|") + 1 for tokens in labels for t in tokens)
    check_size(profiles, profiles * len(players) + entries, reader.source, "the game")
    strategies = tuple(
        tuple(_scheme(reader.source, player, token) for token in tokens)
        for player, tokens in zip(players, labels, strict=True)
    )
    _check_shapes(reader, strategies)
    return strategies


def _scheme(source: str, player: str, label: _Token) -> Scheme:
    try:
        return parse_scheme_label(label.text)
    except ValueError as exc:
        raise InputError(
            source,
            f"line {label.line}: strategy {show(label.text)} of {show(player)} does not name a "
            f'scheme such as "1,0|0,1" ({exc})',
        ) from None


def _check_shapes(reader: _Reader, strategies: tuple[tuple[Scheme, ...], ...]) -> None:
    """Every player's schemes share one ``x_B`` count; a player's, one message count."""
    if len({len(s) for options in strategies for s in options}) != 1:
        raise reader.fail("the schemes have different numbers of rows (sender features)")
    for options in strategies:
        if len({len(s[0]) for s in options}) != 1:
            raise reader.fail("one player's schemes have different numbers of messages")


def _payoff_body(reader: _Reader, players: int, profiles: int) -> list[tuple[Fraction, ...]]:
    """The payoff format's body: ``players`` numbers per pure profile."""
    return [tuple(reader.number("a payoff") for _ in range(players)) for _ in range(profiles)]


def _outcome_body(reader: _Reader, players: int, profiles: int) -> list[tuple[Fraction, ...]]:
    """The outcome format's body: ``{ { "label" u1, u2 ... } ... }``, then one per profile.

    At most ``profiles`` outcomes (each pure profile names one), refused at the first one beyond,
    before it is read: a long list of outcomes is never read for a small game.
    """
    outcomes = [tuple(Fraction(0) for _ in range(players))]  # 0: the null outcome
    reader.take("{", "'{' opening the outcomes")
    while (token := reader.peek()) is not None and token.kind == "{":
        if len(outcomes) > profiles:
            what = f"more than {profiles} outcomes for {profiles} pure profiles"
            raise reader.fail(beyond(what, profiles))
        reader.take("{", "'{'")
        reader.take("text", "the outcome's quoted label")
        payoff = []
        for _ in range(players):
            payoff.append(reader.number("a payoff"))
            if (token := reader.peek()) is not None and token.kind == ",":
                reader.take(",", "','")
        reader.take("}", f"'}}' after the outcome's {players} payoffs")
        outcomes.append(tuple(payoff))
    reader.take("}", "'}' closing the outcomes")
    rows = []
    for _ in range(profiles):
        token = reader.peek()
        number = reader.number("an outcome number")
        if number.denominator != 1 or not 0 <= number < len(outcomes):
            problem = f"outcome number {fmt(number)} is not 0 to {len(outcomes) - 1}"
            raise reader.fail(problem, token)
        rows.append(outcomes[int(number)])
    return rows


def from_nfg(text: str, source: str = "<memory>") -> RestrictedGame:
    """The restricted game a ``.nfg`` text describes (the inverse of :func:`to_nfg`).

    Parameters
    ----------
    text : str
        A Gambit strategic-form file (payoff or outcome format) whose strategy
        labels are schemes (:func:`scheme_label`).
    source : str
        The file's name, for error messages.

    Returns
    -------
    RestrictedGame
        Title, players, schemes, exact payoffs and comment as written.

    Raises
    ------
    InputError
        One line naming ``source`` and the line of the file that is wrong.
    """
    reader = _Reader(text, source)
    title, players = _header(reader)
    strategies = _strategies(reader, players)
    comment = reader.take("text", "the quoted comment").text if _next(reader) == "text" else ""
    profiles = math.prod(len(options) for options in strategies)
    body = _outcome_body if _next(reader) == "{" else _payoff_body
    payoffs = body(reader, len(players), profiles)
    if reader.peek() is not None:
        raise reader.fail(f"more than the {profiles} pure profiles' payoffs")
    return RestrictedGame(title, tuple(players), strategies, tuple(payoffs), comment)


def _next(reader: _Reader) -> str | None:
    token = reader.peek()
    return None if token is None else token.kind


def read_nfg(path: str) -> RestrictedGame:
    """The restricted game in the ``.nfg`` file ``path`` (UTF-8; see :func:`from_nfg`).

    Raises
    ------
    InputError
        When the file cannot be read, is not UTF-8 text, or is not such a game.
    """
    from persuasion.jsonio import read_bytes

    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(str(path), f"not UTF-8 text (byte offset {err.start})") from None
    return from_nfg(text, str(path))


def export(source: str, out: str | None = None, grid: int = 1, force: bool = False) -> str:
    """``persuasion export SOURCE --gambit``: the restricted game of an instance file as ``.nfg``.

    Parameters
    ----------
    source : str
        The instance file.
    out : str or None
        The ``.nfg`` file to write (atomically); None: return the text instead.
    grid : int
        Schemes on the grid ``1/grid`` (1: the deterministic schemes).
    force : bool
        Replace an existing ``out``.

    Returns
    -------
    str
        What the command prints on stdout: the ``.nfg`` text, or with ``out`` one
        line saying what was written.

    Raises
    ------
    InputError
        For a destination that cannot be used (checked first, before any work),
        a bad instance file or a restricted game past its limit.
    """
    from persuasion.instance import load_instance
    from persuasion.output import checked_file, write_text
    from persuasion.restricted import restricted_game

    folder = checked_file(out, force, "--out", "game.nfg")
    instance = load_instance(source)
    check_gambit_names(instance, source)
    game = restricted_game(instance, grid, source)
    text = to_nfg(game)
    if folder is None:
        return text
    write_text(folder, text, out, "--out")
    shape = " x ".join(str(n) for n in game.shape)
    return f"wrote {out}: {len(game.payoffs)} pure profiles ({shape} schemes)\n"
