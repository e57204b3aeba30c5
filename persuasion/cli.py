"""The ``persuasion`` command line (docs/reference/commands.md).

``persuasion solve``, ``verify``, ``certify``, ``check``, ``agree`` and ``simulate``; each
is one ``_add_<command>`` function declaring its options and one ``_cmd_<command>``
handler.  Every command prints readable tables by default (:mod:`persuasion.render`)
and, with ``--json``, one JSON object on stdout whose exact numbers are
``"p/q"`` strings.  The command line only parses, loads and renders: every
command calls the front door (:mod:`persuasion.api`) and prints the typed
result's ``to_json()``, as JSON or as text.

Exit status: 0 on success; 2 for bad input (a file that is missing, is not
JSON or breaks the format; an option value that is not a valid number), with
one line ``persuasion: error: ...`` on stderr and never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import threading
import time
from fractions import Fraction
from typing import Any, NoReturn
from collections.abc import Callable, Sequence

from persuasion import __version__
from persuasion.catalog.command import add_catalog
from persuasion.hull_audit.command import add_hull
from persuasion.errors import one_line, show
from persuasion.limits import (
    DASK_CONNECT_SECONDS,
    INTERRUPT_GRACE_SECONDS,
    MAX_RUNS,
    SOLVE_PATIENCE,
    SOLVE_TIME_LIMIT,
)
from persuasion.numbers import fmt, parse_integer, to_fraction
from persuasion.games import STEP

PROG = "persuasion"

EXIT_OK = 0
EXIT_INPUT = 2
"""Bad input and usage errors (argparse's convention)."""
EXIT_INTERRUPTED = 130
"""Stopped by Ctrl-C (SIGINT): 128 + the signal's number, as a shell reports a process it killed."""

INTERRUPTED = f"{PROG}: interrupted (Ctrl-C); no result"
"""The one line on stderr after Ctrl-C."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        hint = f" (see '{self.prog} --help')"
        self.exit(EXIT_INPUT, f"{PROG}: error: {one_line(message)}{hint}\n")


def _rational(minimum: Fraction, strict: bool, below: Fraction | None = None):
    """An argparse type: an exact rational ("1/1000", "0.001", "0"), bounded below (and strictly
    below ``below``, when given); ASCII digits only, and as long and with as large an exponent as
    the limits allow (:func:`persuasion.numbers.parse_number`)."""

    def parse(text: str) -> Fraction:
        try:
            value = to_fraction(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{exc}") from None
        if value < minimum or (strict and value == minimum):
            relation = ">" if strict else ">="
            raise argparse.ArgumentTypeError(f"must be {relation} {fmt(minimum)}, got {show(text)}")
        if below is not None and value >= below:
            raise argparse.ArgumentTypeError(f"must be < {fmt(below)}, got {show(text)}")
        return value

    parse.__name__ = "rational"
    return parse


def _integer(minimum: int, maximum: int | None = None, limit: str = ""):
    """An argparse type: an integer ``>= minimum`` (and ``<= maximum``, the limit named ``limit``);
    ASCII digits, length-checked (:func:`persuasion.numbers.parse_integer`)."""

    def parse(text: str) -> int:
        try:
            value = parse_integer(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{exc}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum}, got {show(text)}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be <= {maximum} ({limit}), got {show(text)}")
        return value

    parse.__name__ = "integer"
    return parse


def _seconds(text: str) -> float | None:
    """An argparse type: a time limit in seconds, a number >= 0 ("90", "0.5"), or ``none``."""
    if text.strip().lower() == "none":
        return None
    return float(
        min(_rational(Fraction(0), strict=False)(text), Fraction(10**9))
    )  # 30 years: no limit


_seconds.__name__ = "seconds"


def _rounds(text: str) -> int | None:
    """An argparse type: a number of rounds, an integer >= 1, or ``none``."""
    return None if text.strip().lower() == "none" else _integer(1)(text)


_rounds.__name__ = "rounds"


_LIMITS_EPILOG = " Input limits (number size, file size, instance size): docs/reference/limits.md."
"""Ends every epilog: where the limits on input (docs/reference/limits.md,
:mod:`persuasion.limits`) are
documented."""


def _address(text: str) -> str:
    """An argparse type: a Dask scheduler address, or ``local`` (not empty)."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            "an empty address; give a scheduler address such as tcp://HOST:8786, or 'local'"
        )
    return text


_address.__name__ = "address"

_FORCE_HELP = (
    "with --out, accept a folder that is not empty: the files this command writes are removed "
    "first ({owned}); other files stay. Without --force a non-empty folder is refused"
)

_PROGRESS_HELP = (
    "show progress on stderr even when stderr is not a terminal ({off}) or with --json; "
    "by default it is shown only on a terminal and without --json"
)
_NO_PROGRESS_HELP = "never show progress on stderr"

_JSON_HELP = 'print one JSON object on stdout instead of tables; exact numbers are "p/q" strings'
_ETA_HELP = (
    "exact rational > 0 (default 1/1000). A sender's best-response value is a supremum "
    "that the fixed tie-break can leave unattained; a reported best-response scheme "
    "then comes within Q of it (and is flagged 'attained: false')"
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (also used by the docs tests to list every option).

    Each command is one ``_add_<command>(commands)`` call, which declares its
    options (shared ones through the ``_add_<option>`` helpers) and its handler.
    """
    parser = _Parser(
        prog=PROG,
        description=(
            "Exact solver for finite multi-sender persuasion games "
            "('Emergent Alignment via Competition'). Every number is an exact rational."
        ),
        epilog=(
            "Exit status: 0 success; 2 bad input or usage (one line on stderr). "
            "Run 'persuasion COMMAND --help' for a command's options." + _LIMITS_EPILOG
        ),
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_solve(commands)
    _add_verify(commands)
    _add_best_response(commands)
    _add_converse(commands)
    _add_certify(commands)
    _add_check(commands)
    _add_agree(commands)
    _add_simulate(commands)
    _add_search(commands)
    _add_pool(commands)
    add_catalog(commands)
    _add_export(commands)
    add_hull(commands)
    return parser


# ---------------------------------------------------------------- shared options


def _add_instance(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "instance", metavar="INSTANCE", help="instance file (persuasion-instance/1 JSON) or slug"
    )


def _add_json(command: argparse.ArgumentParser) -> None:
    command.add_argument("--json", action="store_true", help=_JSON_HELP)


def _add_eta(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--eta",
        type=_rational(Fraction(0), strict=True),
        default=Fraction(1, 1000),
        metavar="Q",
        help=_ETA_HELP,
    )


def _add_order(command: argparse.ArgumentParser, help: str) -> None:
    command.add_argument(
        "--order", choices=["round-robin", "random"], default="round-robin", help=help
    )


def _add_seed(command: argparse.ArgumentParser, help: str) -> None:
    command.add_argument("--seed", type=_integer(0), default=0, metavar="N", help=help)


def _add_max_rounds(command: argparse.ArgumentParser, default: int, help: str) -> None:
    command.add_argument("--max-rounds", type=_integer(1), default=default, metavar="N", help=help)


def _add_step(command: argparse.ArgumentParser, effect: str) -> None:
    """``--delta``: the improvement step of the best-AI selection game's dynamics."""
    command.add_argument(
        "--delta",
        dest="step",
        type=_rational(Fraction(0), strict=True),
        default=STEP,
        metavar="Q",
        help="best-AI selection game only: exact rational > 0 (default 1/100), " + effect,
    )


def _add_progress(command, off: str) -> None:
    """``--progress`` and ``--no-progress`` (exclusive) for a command that can take long."""
    group = command.add_mutually_exclusive_group()
    group.add_argument(
        "--progress", action="store_true", default=None, help=_PROGRESS_HELP.format(off=off)
    )
    group.add_argument(
        "--no-progress", dest="progress", action="store_false", help=_NO_PROGRESS_HELP
    )


def _add_out(command: argparse.ArgumentParser, help: str, owned: str) -> None:
    """``--out DIR`` and ``--force``."""
    command.add_argument("--out", metavar="DIR", help=help)
    command.add_argument("--force", action="store_true", help=_FORCE_HELP.format(owned=owned))


def _add_route(command: argparse.ArgumentParser) -> None:
    """``--route`` and ``--set-search``: how every sender best response of the command finds its
    supremum."""
    from persuasion.route_names import ROUTES, SET_SEARCHES

    command.add_argument(
        "--route",
        choices=ROUTES,
        default="auto",
        help="how each sender best response finds its supremum: auto (default: picked per "
        "problem), enumeration (the reference: an exact LP per search node) or cells (float "
        "search, every answer certified exactly); every route reports the same exact numbers",
    )
    command.add_argument(
        "--set-search",
        choices=SET_SEARCHES,
        default="auto",
        help="how a sender with fewer messages than the optimum needs chooses the response "
        "vectors its messages induce: auto (default: picked per problem), enumeration (every "
        "set, the reference), branch-and-bound (exact) or milp (optimality the MILP solver's "
        "claim)",
    )


# ---------------------------------------------------------------- solve


def _add_solve(commands) -> None:
    """The ``solve`` subcommand (docs/reference/commands.md)."""
    solve = commands.add_parser(
        "solve",
        help="benchmarks, an equilibrium, Alice's utility in it and the Theorem 1 bound",
        description=(
            "Compute the benchmarks of an instance -- the first-best OPT (Definition 2), the "
            "aligned-sender value U_A(C*) (Definition 8) and the alignment error eps "
            "(Definition 1, and its non-negative variant of Remark 2) -- then search for a "
            "Nash equilibrium of the senders by best-response dynamics, report Alice's "
            "utility in it and each sender's exact best deviation, and check Theorem 1's "
            "bound U_A(C*) - 2 eps."
        ),
        epilog="Exit status: 0 success (also when the search stops without converging); "
        "2 bad input." + _LIMITS_EPILOG,
    )
    _add_instance(solve)
    _add_json(solve)
    _add_order(
        solve,
        "order in which senders best-respond during the dynamics: 'round-robin' "
        "(sender 1, 2, ..., k, repeat; the default) or 'random' (every round visits "
        "the senders in a random order drawn with --seed)",
    )
    _add_seed(
        solve,
        "integer >= 0 seeding every random choice (default 0); the same seed gives the same output",
    )
    _add_start(solve)
    _add_max_rounds(
        solve, 50, "stop the dynamics after N rounds (every sender once per round; default 50)"
    )
    solve.add_argument(
        "--tolerance",
        type=_rational(Fraction(0), strict=False),
        default=Fraction(0),
        metavar="Q",
        help=(
            "exact rational >= 0 (default 0): stop as soon as the Nash gap is <= Q; "
            "with 0 the search stops only at an exact equilibrium"
        ),
    )
    _add_eta(solve)
    _add_route(solve)
    _add_step(
        solve,
        "the improvement step of the dynamics -- a sender who must beat a rival strictly to be "
        "chosen offers Alice at least the rival's value + Q; the profile reached is then judged "
        "with exact suprema",
    )
    _add_limits(solve)
    _add_worst(solve)
    _add_progress(solve, "then a plain line per round")
    _add_profile_out(solve)
    solve.set_defaults(func=_cmd_solve)


def _add_profile_out(solve: argparse.ArgumentParser) -> None:
    """``--out FILE`` and ``--force``: the profile found, as a file."""
    solve.add_argument(
        "--out",
        metavar="FILE",
        help="also write the profile found as a persuasion-profile/1 file (atomically; in a "
        "conversation, rules keyed by history where they look at it) that verify, converse and "
        "solve --start read back",
    )
    solve.add_argument("--force", action="store_true", help="with --out, replace an existing file")


def _add_worst(solve: argparse.ArgumentParser) -> None:
    """``--equilibrium`` and the worst-equilibrium search's budget (:mod:`persuasion.api.worst`)."""
    from persuasion.api.worst import SearchBudget

    solve.add_argument(
        "--equilibrium",
        choices=("first", "worst"),
        default="first",
        help=(
            "'first' (the default): report the equilibrium the dynamics reach first; 'worst': "
            "also run the dynamics from many starts and local moves, report every distinct "
            "exact equilibrium met (Nash gap 0), the worst for Alice, whether full revelation "
            "is trivially an equilibrium, and the bound at each; --time-limit bounds the runs"
        ),
    )
    _add_worst_budget(solve, SearchBudget(), "")


def _add_worst_budget(parser: argparse.ArgumentParser, defaults, scope: str) -> None:
    """``--random-starts``, ``--max-starts``, ``--restricted``: the worst-equilibrium search's
    budget (``defaults``; ``scope`` says where it applies, e.g. " per evaluation")."""
    parser.add_argument(
        "--random-starts",
        type=_integer(0),
        default=None,
        metavar="N",
        help=f"with --equilibrium worst: N random start profiles{scope} "
        f"(default {defaults.random_starts})",
    )
    parser.add_argument(
        "--max-starts",
        type=_integer(1),
        default=None,
        metavar="N",
        help=f"with --equilibrium worst: at most N runs of the dynamics{scope}, starts and "
        f"local moves together (default {defaults.max_starts})",
    )
    parser.add_argument(
        "--restricted",
        default=None,
        metavar="{deterministic,grid:K}",
        help=(
            f"with --equilibrium worst: also{scope} enumerate every pure equilibrium of the "
            "restricted game whose schemes are deterministic (or have probabilities on the grid "
            "1/K), exactly, judge each against every deviation of the full game, and "
            + (
                "report the worst for Alice among them"
                if not scope
                else "count the full-game equilibria among them as found"
            )
        ),
    )


def _add_start(solve: argparse.ArgumentParser) -> None:
    solve.add_argument(
        "--start",
        default="auto",
        metavar="{auto,silent,revealing,oblivious,PROFILE_PATH}",
        help=(
            "where best-response dynamics start: 'silent' (every sender always sends "
            "their first message), 'revealing' (every sender reveals x_B), 'oblivious' "
            "(every sender's single-sender optimum, Definitions 18-19), 'auto' (the "
            "default: try 'revealing', 'silent', then 'oblivious', and keep the first run "
            "that converges, else the one with the smallest Nash gap) or the path of a "
            "persuasion-profile/1 file"
        ),
    )


def _add_limits(solve: argparse.ArgumentParser) -> None:
    """``--time-limit`` and ``--patience``: when the dynamics give up."""
    solve.add_argument(
        "--time-limit",
        type=_seconds,
        default=SOLVE_TIME_LIMIT,
        metavar="SECONDS",
        help=(
            f"stop the dynamics after SECONDS (a number >= 0, or 'none'; default "
            f"{SOLVE_TIME_LIMIT}, the limit SOLVE_TIME_LIMIT) and report the best profile met, "
            "its exact Nash gap and status 'time-limit'; a deadline that stops a best response "
            "already running too (0: judge the start profile only)"
        ),
    )
    solve.add_argument(
        "--patience",
        type=_rounds,
        default=SOLVE_PATIENCE,
        metavar="ROUNDS",
        help=(
            "stop the dynamics when ROUNDS rounds in a row each lower the smallest exact Nash "
            f"gap met by at most --eta (an integer >= 1, or 'none'; default {SOLVE_PATIENCE}, "
            "the limit SOLVE_PATIENCE) and report the best profile met, its exact Nash gap and "
            "status 'stalled'"
        ),
    )


def _cmd_solve(args: argparse.Namespace) -> int:
    from persuasion.api.common import check_supported, is_conversation
    from persuasion.starts import AUTO

    instance = _load_instance(args.instance)
    if is_conversation(instance) and instance.protocol.decision == "best-response":
        check_supported(instance, args.instance, conversations=True)  # before reading a start
    named = args.start == "auto" or args.start in AUTO
    if named:
        start = args.start
    elif instance.protocol.decision == "quantal":  # the QRE search moves one-round schemes
        start = _load_profile(args.start, instance)
    else:
        start = _load_any_profile(args, args.start, instance)
    out = _profile_file(args)
    with _loading_the_solver():
        from persuasion import api
        from persuasion.equilibrium import TimeLimitTooShort

        api.import_solver()
    options = dict(
        start=start,
        order=args.order,
        seed=args.seed,
        max_rounds=args.max_rounds,
        tolerance=args.tolerance,
        eta=args.eta,
        step=args.step,
        time_limit=args.time_limit,
        patience=args.patience,
        route=args.route,
        set_search=args.set_search,
        source=args.instance,
        **_worst_options(args),
    )
    try:
        with _solve_progress(args, instance) as progress:
            solution = api.solve(instance, progress=progress, **options)
    except TimeLimitTooShort as exc:
        raise _LoadError(f"{args.instance}: {exc}") from None
    except api.OptionError as exc:
        raise _LoadError(str(exc)) from None
    report = solution.to_json()
    if out is not None:
        from persuasion.output import write_text

        text = json.dumps(report["equilibrium"]["profile"], indent=2) + "\n"
        write_text(out, text, args.out, "--out")
    _emit(report, args.json, _solve_text(report))
    return EXIT_OK


def _profile_file(args: argparse.Namespace):
    """The checked folder of ``solve --out FILE`` (:func:`persuasion.output.checked_file`),
    before any work; None without ``--out``."""
    if args.out is None and not args.force:
        return None  # persuasion.output is not loaded (it loads tempfile, random, hashlib)
    from persuasion.output import checked_file

    return checked_file(args.out, args.force, "--out", "equilibrium.json")


def _solve_text(report: dict[str, Any]) -> Callable[[dict[str, Any]], str]:
    """How a solve's report is shown: the worst-equilibrium search's, the QRE search's (a quantal
    instance) or the one-round solve's."""
    if "equilibria" in report:
        from persuasion.render_worst import worst_text

        return worst_text
    if "decision" in report:  # a QuantalSolution
        from persuasion.render_quantal import quantal_solve_text

        return quantal_solve_text
    from persuasion.render import solve_text

    return solve_text


def _worst_options(args: argparse.Namespace) -> dict[str, Any]:
    """``{"equilibrium": SearchBudget}`` for ``--equilibrium worst``; nothing for 'first'."""
    from persuasion.api.worst import SearchBudget

    budget = _worst_budget(args, SearchBudget(time_limit=args.time_limit))
    return {} if budget is None else {"equilibrium": budget}


def _worst_budget(args: argparse.Namespace, defaults):
    """The budget ``--equilibrium worst`` and its options ask for (``defaults`` for those not
    given), or None for 'first' (refusing a budget option without 'worst')."""
    from dataclasses import replace

    from persuasion.api.worst import restricted_grid

    search = dict(
        random_starts=args.random_starts, max_starts=args.max_starts, restricted=args.restricted
    )
    given = {k: v for k, v in search.items() if v is not None}
    if args.equilibrium == "first":
        if given:
            options = ", ".join(f"--{k.replace('_', '-')}" for k in given)
            raise _LoadError(f"{options} needs --equilibrium worst")
        return None
    if args.restricted is not None:
        try:
            restricted_grid(args.restricted)
        except ValueError as exc:
            raise _LoadError(f"--restricted: {exc}") from None
    return replace(defaults, **given)


@contextlib.contextmanager
def _solve_progress(args: argparse.Namespace, instance):
    """The progress display of a solve (:class:`persuasion.progress.SolveProgress`), or None."""
    if not _show_progress(args):
        yield None
        return
    from persuasion.progress import SolveProgress

    names = [s.name for s in instance.senders]
    live = sys.stderr.isatty()
    limits = dict(max_rounds=args.max_rounds, time_limit=args.time_limit)
    with SolveProgress(sys.stderr, names, live=live, **limits) as progress:
        yield progress


# ---------------------------------------------------------------- verify


def _add_verify(commands) -> None:
    """The ``verify`` subcommand (docs/reference/commands.md)."""
    verify = commands.add_parser(
        "verify",
        help="Alice's best response to a profile, every utility, best deviations, the Nash gap",
        description=(
            "Check a profile of committed sender rules exactly: Alice's best response and "
            "utility, each sender's utility and best deviation (a supremum, flagged when not "
            "attained), the Nash gap, and the induced joint distribution of action and state "
            "(Definition 5)."
        ),
        epilog="Exit status: 0 success (whether or not the profile is an equilibrium); "
        "2 bad input." + _LIMITS_EPILOG,
    )
    _add_instance(verify)
    verify.add_argument(
        "profile",
        metavar="PROFILE",
        help="profile file (persuasion-profile/1 JSON) for that instance",
    )
    _add_json(verify)
    _add_eta(verify)
    _add_route(verify)
    verify.set_defaults(func=_cmd_verify)


def _cmd_verify(args: argparse.Namespace) -> int:
    instance = _load_instance(args.instance)
    from persuasion.api.common import check_supported

    if instance.protocol.decision != "quantal":  # verify checks a quantal profile (QRE check)
        check_supported(instance, args.instance, conversations=True)
    profile = _load_any_profile(args, args.profile, instance)
    with _loading_the_solver():
        from persuasion import api, render

        api.import_solver()
    try:
        verification = api.verify(
            instance,
            profile,
            eta=args.eta,
            route=args.route,
            set_search=args.set_search,
            source=args.instance,
        )
    except api.OptionError as exc:
        raise _LoadError(str(exc)) from None
    text = render.verify_text
    if hasattr(verification, "verdict"):  # a QuantalVerification (decision.rule quantal)
        from persuasion.render_quantal import quantal_verify_text as text
    elif hasattr(verification, "transcripts"):  # a QuantalConversation (rounds > 1)
        from persuasion.render_quantal import quantal_conversation_text as text
    _emit(verification.to_json(), args.json, text)
    return EXIT_OK


# ---------------------------------------------------------------- best-response


def _add_best_response(commands) -> None:
    """The ``best-response`` subcommand (docs/reference/commands.md)."""
    best = commands.add_parser(
        "best-response",
        help="a sender's exact best response to the other senders' rules in a profile",
        description=(
            "Compute one sender's exact best response to the other senders' rules in a profile, "
            "Alice best-responding: the supremum of the sender's utility over every rule "
            "(flagged when not attained) and a rule reaching it or coming within --eta. In a "
            "conversation (rounds > 1 or alice_messages > 1) the rule is a conversation rule, "
            "keyed by the sender's private history where it looks at it."
        ),
        epilog="Exit status: 0 success; 2 bad input." + _LIMITS_EPILOG,
    )
    _add_instance(best)
    best.add_argument(
        "profile",
        metavar="PROFILE",
        help="profile file (persuasion-profile/1 JSON): the other senders' rules (the sender's "
        "own is ignored)",
    )
    best.add_argument("sender", metavar="SENDER", help="the sender's name")
    _add_json(best)
    _add_eta(best)
    _add_route(best)
    best.set_defaults(func=_cmd_best_response)


def _cmd_best_response(args: argparse.Namespace) -> int:
    from persuasion.api.common import check_supported

    instance = _load_instance(args.instance)
    check_supported(instance, args.instance, conversations=True)
    if args.sender not in [s.name for s in instance.senders]:
        names = ", ".join(s.name for s in instance.senders)
        raise _LoadError(f"{args.instance}: no sender {args.sender!r} (the senders are {names})")
    profile = _load_any_profile(args, args.profile, instance)
    with _loading_the_solver():
        from persuasion import api, render

        api.import_solver()
    options = dict(eta=args.eta, route=args.route, set_search=args.set_search)
    try:
        best = api.best_response(instance, profile, args.sender, source=args.instance, **options)
    except api.OptionError as exc:
        raise _LoadError(str(exc)) from None
    _emit(best.to_json(), args.json, render.best_response_text)
    return EXIT_OK


# ---------------------------------------------------------------- converse


def _add_converse(commands) -> None:
    """The ``converse`` subcommand (docs/reference/commands.md)."""
    from persuasion.limits import MAX_CONVERSATION_NODES

    converse = commands.add_parser(
        "converse",
        help="Alice's best-response conversation rule against committed sender rules",
        description=(
            "Play the instance's conversation (protocol.rounds rounds, protocol.alice_messages "
            "messages for Alice; the paper's Algorithm 1) against the senders' committed rules: "
            "compile it into an explicit extensive-form game (its size is counted first), solve "
            "it for Alice by backward induction over her information sets (Definition 6: her "
            "messages maximise her expected utility, ties to the earliest message vector; her "
            "action follows Definition 4) and print the game's size, her rule on every "
            "information set of positive probability, and everyone's exact utility."
        ),
        epilog=(
            f"Games of more than {MAX_CONVERSATION_NODES} nodes are refused before anything is "
            "built. Exit status: 0 success; 2 bad input." + _LIMITS_EPILOG
        ),
    )
    _add_instance(converse)
    converse.add_argument(
        "profile",
        metavar="PROFILE",
        help="profile file (persuasion-profile/1 JSON): rules by sender feature, or by sender "
        "feature then private history",
    )
    _add_json(converse)
    converse.set_defaults(func=_cmd_converse)


def _cmd_converse(args: argparse.Namespace) -> int:
    from persuasion import api
    from persuasion.conversation.sizes import check_conversation_size
    from persuasion.profile import load_conversation_profile
    from persuasion.render_conversation import converse_text

    instance = _load_instance(args.instance)
    check_conversation_size(instance, args.instance)  # before reading rules by history
    try:
        rules = load_conversation_profile(args.profile, instance)
    except OSError as exc:
        raise _LoadError(f"{args.profile}: {exc.strerror or exc}") from None
    result = api.converse(instance, rules, source=args.instance)
    text = converse_text
    if hasattr(result, "transcripts"):  # a QuantalConversation (decision.rule quantal)
        from persuasion.render_quantal import quantal_conversation_text as text
    _emit(result.to_json(), args.json, text)
    return EXIT_OK


# ---------------------------------------------------------------- certify


def _add_certify(commands) -> None:
    """The ``certify`` subcommand: certificates of the paper's claims."""
    from persuasion.checker.core import CLAIMS

    certify = commands.add_parser(
        "certify",
        help="machine-checkable certificates of the paper's results on an instance",
        description=(
            "Certify which of the paper's guarantees apply to an instance, with what numbers: "
            "Definition 1 (the alignment error is optimal), Theorem 1 (simultaneous game: "
            "Alice's utility at a profile is at least U_A(C*) - 2 eps - sum_i w_i g_i; at an "
            "exact equilibrium the g_i are 0), Theorem 6 (the same bound in the best-AI "
            "selection game), Theorem 7 (oblivious senders), Lemmas 1-2 and Propositions 2-3 "
            "(with rigorous rational enclosures of exp and log), Theorem 5 (a straightforward, "
            "quantal Alice under information substitutes, decided by enumeration). Prints the "
            "theorem report; every certificate can be re-checked with 'persuasion check'."
        ),
        epilog="Exit status: 0 success (whether or not a claim holds); 2 bad input."
        + _LIMITS_EPILOG,
    )
    _add_instance(certify)
    certify.add_argument(
        "profile",
        metavar="PROFILE",
        nargs="?",
        help="profile for Theorem 1 or 6 (persuasion-profile/1 JSON); default: the equilibrium "
        "'solve' finds",
    )
    certify.add_argument(
        "--claim",
        action="append",
        choices=CLAIMS,
        metavar="NAME",
        help=f"certify only this claim (repeatable; default: all of {', '.join(CLAIMS)})",
    )
    _add_out(
        certify,
        "write each certificate to DIR/<claim>.json: DIR must be an empty or new folder (its "
        "parent existing and writable), checked before any work; every file is written "
        "atomically and no symbolic link is followed",
        "every <claim>.json",
    )
    _add_json(certify)
    _add_eta(certify)
    _add_route(certify)
    _add_analytic(certify)
    certify.set_defaults(func=_cmd_certify)


def _add_analytic(certify: argparse.ArgumentParser) -> None:
    """The parameters of the analytic claims: ``--lambda``, ``--hoeffding-epsilon``, ``--delta``."""
    certify.add_argument(
        "--lambda",
        dest="lam",
        type=_rational(Fraction(0), strict=True),
        default=None,
        metavar="Q",
        help="quantal-response rationality lambda > 0 of Alice on the instance's utilities, for "
        "Lemmas 1-2, Proposition 2 and Theorem 5 (default: the instance's quantal lambda, and "
        "then no other is accepted; else 10)",
    )
    certify.add_argument(
        "--hoeffding-epsilon",
        type=_rational(Fraction(0), strict=True),
        default=Fraction(1, 10),
        metavar="Q",
        help="alignment tolerance eps > 0 for Proposition 3's sample bound (default 1/10)",
    )
    certify.add_argument(
        "--delta",
        dest="failure_probability",
        type=_rational(Fraction(0), strict=True, below=Fraction(1)),
        default=Fraction(1, 20),
        metavar="Q",
        help="failure probability 0 < delta < 1 for Proposition 3 (default 1/20)",
    )
    certify.add_argument(
        "--conversation-rounds",
        type=_integer(1),
        default=None,
        metavar="K",
        help="rounds K >= 1 of straightforward conversation for Theorem 5 (default: the "
        "instance's rounds when above 1, and then no other K is accepted; else 1000000000)",
    )
    certify.add_argument(
        "--delta-conv",
        type=_rational(Fraction(0), strict=True, below=Fraction(1)),
        default=Fraction(1, 100),
        metavar="Q",
        help="failure probability 0 < delta_conv < 1 of agreement for Theorem 5 (default 1/100)",
    )


def _cmd_certify(args: argparse.Namespace) -> int:
    from persuasion.checker.core import CLAIMS

    folder = _out_folder(args.out, [f"{claim}.json" for claim in CLAIMS], args.force)
    instance = _load_instance(args.instance)
    profile = _certify_profile(args.profile, instance) if args.profile else None
    with _loading_the_solver():
        from persuasion import api, render

        api.import_solver()
    certification = api.certify(
        instance,
        profile,
        claims=args.claim,
        eta=args.eta,
        lam=args.lam,
        hoeffding_epsilon=args.hoeffding_epsilon,
        failure_probability=args.failure_probability,
        conversation_rounds=args.conversation_rounds,
        delta_conv=args.delta_conv,
        route=args.route,
        set_search=args.set_search,
        source=args.instance,
    )
    if folder is not None:
        files = {f"{c.name}.json": c.certificate_text.encode("utf-8") for c in certification.claims}
        certification = certification.with_files(_write(folder, files))
    _emit(certification.to_json(), args.json, render.certify_text)
    return EXIT_OK


def _certify_profile(path: str, instance):
    """The profile of ``certify``: in a conversation its rules, maybe keyed by history."""
    from persuasion.conversation import is_conversation
    from persuasion.profile import load_conversation_profile

    if not is_conversation(instance):
        return _load_profile(path, instance)
    try:
        return load_conversation_profile(path, instance)
    except OSError as exc:
        raise _LoadError(f"{path}: {exc.strerror or exc}") from None


def _out_folder(path: str | None, owned, force: bool):
    """The checked ``--out`` folder (:func:`persuasion.output.check_folder`), or None without
    ``--out``."""
    if path is None:
        if force:
            raise _LoadError("--force only applies with --out (there is no folder to write)")
        return None
    from persuasion.output import check_folder

    return check_folder(path, owned, force)


def _write(folder, files: dict[str, bytes]) -> list[str]:
    """Write ``files`` into the checked folder; a failure is one line naming the folder."""
    from persuasion.output import write_files

    try:
        return write_files(folder, files)
    except OSError as exc:
        raise _LoadError(f"--out {folder.path}: {exc.strerror or exc}") from None


# ---------------------------------------------------------------- check


def _add_check(commands) -> None:
    """The ``check`` subcommand: the certificate kernel."""
    check = commands.add_parser(
        "check",
        help="re-verify a certificate exactly, with a small stdlib-only kernel and no solver",
        description=(
            "Re-derive the claim of a persuasion-certificate/2 file from its embedded instance "
            "and its witnesses, in exact arithmetic, with a small kernel that uses no solver. "
            "Prints VALID and what was derived (then a line saying that the prose fields -- "
            "cites, statement, units, instance_path -- are not checked), or INVALID and the "
            "first thing that does not check."
        ),
        epilog="Exit status: 0 VALID; 1 INVALID; 2 unreadable file." + _LIMITS_EPILOG,
    )
    check.add_argument(
        "certificate", metavar="CERT", help="certificate file (persuasion-certificate/2 JSON)"
    )
    check.add_argument(
        "--instance",
        metavar="FILE",
        help="your own instance file or catalog slug: VALID only if it is byte for byte the "
        "instance the certificate embeds (same sha256)",
    )
    check.set_defaults(func=_cmd_check)


def _cmd_check(args: argparse.Namespace) -> int:
    from persuasion import api

    from persuasion.checker.core import PROSE_NOTE

    result = api.check(args.certificate, args.instance)
    sys.stdout.write(result.line() + "\n" + (PROSE_NOTE + "\n" if result.valid else ""))
    return EXIT_OK if result.valid else 1


# ---------------------------------------------------------------- agree


def _add_agree(commands) -> None:
    """The ``agree`` subcommand: the straightforward conversation and information substitutes."""
    agree = commands.add_parser(
        "agree",
        help="the straightforward conversation (Definition 10) on every pair of features, "
        "rounds to zeta-agreement, and the information substitutes condition (Definition 14)",
        description=(
            "Simulate exactly the straightforward conversation between Alice and a Bob on the "
            "instance's common prior: each round Alice reports her belief vector "
            "(E[u_A(a, y) | x_A, transcript])_a, then Bob his. Prints every pair's transcript, "
            "the round of zeta-agreement (Definition 15) and of exact agreement, Alice's final "
            "estimation error per action, and whether the prior satisfies the information "
            "substitutes condition, with the worst violating (action, A, B) when it does not. "
            "Loads no solver."
        ),
        epilog="Exit status: 0 success; 2 bad input or an instance beyond MAX_CONVERSATION_WORK "
        "or MAX_SUBSTITUTE_CHECKS." + _LIMITS_EPILOG,
    )
    _add_instance(agree)
    agree.add_argument(
        "--zeta",
        type=_rational(Fraction(0), strict=False),
        default=Fraction(1, 10),
        metavar="Z",
        help="agreement level zeta >= 0 of Definition 15 (default 1/10)",
    )
    agree.add_argument(
        "--rounds",
        type=_integer(1),
        default=None,
        metavar="K",
        help="rounds to play, K >= 1 (default: until a round refines nothing, when every pair "
        "agrees exactly; at most |X_A| + |X_B| - 1 rounds)",
    )
    agree.add_argument(
        "--order",
        choices=("alternating", "simultaneous"),
        default="alternating",
        help="alternating: Bob reports after hearing Alice's report of the round (Algorithm 1, "
        "the default); simultaneous: both report on the earlier rounds' transcript (Definition 10 "
        "read literally)",
    )
    _add_json(agree)
    agree.set_defaults(func=_cmd_agree)


def _cmd_agree(args: argparse.Namespace) -> int:
    from persuasion import api
    from persuasion.render_agreement import agree_text

    instance = _load_instance(args.instance)
    result = api.agree(
        instance, zeta=args.zeta, rounds=args.rounds, order=args.order, source=args.instance
    )
    _emit(result.to_json(), args.json, agree_text)
    return EXIT_OK


# ---------------------------------------------------------------- simulate


def _names(choices: Sequence[str]):
    """An argparse type: a comma-separated list of names from ``choices`` (order kept, no
    repeats)."""

    def parse(text: str) -> tuple[str, ...]:
        names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
        bad = [n for n in names if n not in choices]
        if bad or not names:
            raise argparse.ArgumentTypeError(
                f"{bad[0] if bad else text!r} is not one of {', '.join(choices)}"
            )
        return names

    parse.__name__ = "list"
    return parse


def _integers(minimum: int):
    """An argparse type: a comma-separated list of integers ``>= minimum``."""
    one = _integer(minimum)

    def parse(text: str) -> tuple[int, ...]:
        values = tuple(dict.fromkeys(one(n.strip()) for n in text.split(",") if n.strip()))
        if not values:
            raise argparse.ArgumentTypeError(f"no integers in {show(text)}")
        return values

    parse.__name__ = "list"
    return parse


def _add_simulate(commands) -> None:
    """The ``simulate`` subcommand (docs/reference/commands.md; issue 4, parts 3-4)."""
    sim = commands.add_parser(
        "simulate",
        help="best-response-dynamics sweeps over generated instances: summary, runs.csv, figures",
        description=(
            "Generate instances from a seed (families: 'hull' -- Alice's utility exactly a "
            "convex combination of the senders' plus an offset; 'noisy' -- the same plus noise, "
            "0 < eps <= --noise; 'random' -- unrelated, the hull condition fails), run exact "
            "best-response dynamics from several start profiles in the simultaneous game "
            "(Theorem 1) and/or the best-AI selection game (Theorem 6), and record for every "
            "run: convergence, rounds, Alice's utility, U_A(C*), eps (non-negative weights) and "
            "the gap to the bound U_A(C*) - 2 eps. Instance j of a family has seed SEED+j and "
            "the j-th size of the grid (cycling). Prints a summary; with --out writes runs.csv, "
            "runs.json and figures. The same options give the same files, whatever --jobs or "
            "--dask."
        ),
        epilog="Exit status: 0 success (also when runs fail: they are error rows); 2 bad input."
        + _LIMITS_EPILOG,
    )
    _add_sweep_grid(sim)
    _add_sweep_play(sim)
    _add_sweep_output(sim)
    sim.set_defaults(func=_cmd_simulate)


def _add_sweep_grid(sim: argparse.ArgumentParser) -> None:
    """What a sweep plays: games, families, how many instances, their seeds and sizes."""
    from persuasion.experiments.names import FAMILIES
    from persuasion.games import names as game_names

    games = game_names()
    sim.add_argument(
        "--game",
        type=_names(games),
        default=("simultaneous",),
        metavar="LIST",
        help=f"comma-separated games to play on every instance, from {', '.join(games)} "
        "(default simultaneous)",
    )
    sim.add_argument(
        "--family",
        type=_names(FAMILIES),
        default=FAMILIES,
        metavar="LIST",
        help=f"comma-separated instance families, from {', '.join(FAMILIES)} (default all)",
    )
    sim.add_argument(
        "--runs",
        type=_integer(1, MAX_RUNS, "the limit MAX_RUNS"),
        default=20,
        metavar="N",
        help=f"instances per family, 1 to {MAX_RUNS} (default 20); each is played from every "
        "--start in every --game",
    )
    _add_seed(
        sim,
        "integer >= 0 (default 0): instance j of a family has seed N+j; the same seed gives "
        "the same files",
    )
    for option, minimum, what in (
        ("--senders", 1, "numbers of senders"),
        ("--states", 2, "numbers of states (= messages per sender)"),
        ("--actions", 2, "numbers of actions"),
    ):
        sim.add_argument(
            option,
            type=_integers(minimum),
            default=(2, 3),
            metavar="LIST",
            help=f"comma-separated {what} in the size grid (default 2,3)",
        )


def _add_sweep_play(sim: argparse.ArgumentParser) -> None:
    """How every run of a sweep plays: starts, noise, rounds, order, eta, step."""
    from persuasion.starts import STARTS, SWEEP

    sim.add_argument(
        "--start",
        type=_names(STARTS),
        default=SWEEP,
        metavar="LIST",
        help=(
            "comma-separated start profiles, from 'oblivious' (each sender's single-sender "
            "optimum), 'silent' (no information), 'revealing' (everyone reveals the state), "
            f"'random' (random schemes drawn from the instance's seed); default {','.join(SWEEP)}"
        ),
    )
    sim.add_argument(
        "--noise",
        type=_rational(Fraction(0), strict=True),
        default=Fraction(1, 8),
        metavar="Q",
        help="exact rational > 0 (default 1/8): the noisy family's noise bound, so its eps <= Q",
    )
    _add_max_rounds(
        sim,
        25,
        "stop each run's dynamics after N rounds (default 25); such a run has converged false",
    )
    _add_order(
        sim,
        "order in which senders best-respond: 'round-robin' (default) or 'random' (from the "
        "instance's seed)",
    )
    _add_eta(sim)
    _add_step(
        sim,
        "the dynamics' improvement step (a sender who must beat a rival strictly offers Alice "
        "at least the rival's value + Q); the profile reached is judged with exact suprema, so "
        "'converged' means an exact equilibrium",
    )


def _add_sweep_output(sim: argparse.ArgumentParser) -> None:
    """Where a sweep runs and what it writes: --out, --jobs, --dask, progress, --json."""
    _add_out(
        sim,
        "write DIR/runs.csv, DIR/runs.json (settings, summary, every run) and DIR/figures/*.png: "
        "DIR must be an empty or new folder (its parent existing and writable), checked before "
        "any run; every file is written atomically and no symbolic link is followed",
        "runs.csv, runs.json and figures/gap_by_family.png, gap_vs_epsilon.png, convergence.png",
    )
    sim.add_argument(
        "--no-figures", action="store_true", help="with --out, do not draw the figures"
    )
    sim.add_argument(
        "--jobs",
        type=_integer(1),
        default=None,
        metavar="N",
        help="worker processes for local runs, at least 1 (default: all cores, here "
        f"{os.cpu_count()}); 1 runs in this process",
    )
    sim.add_argument(
        "--dask",
        type=_address,
        metavar="ADDRESS",
        help=(
            "run on a Dask cluster instead of local processes: a scheduler address such as "
            "tcp://10.0.0.5:8786, or 'local' to start a LocalCluster with --jobs workers. "
            "The scheduler is contacted before any run; if it does not answer within "
            f"{DASK_CONNECT_SECONDS} seconds the command stops with exit status 2"
        ),
    )
    _add_progress(sim, "then the bar's last state when the sweep ends")
    _add_json(sim)


def _cmd_simulate(args: argparse.Namespace) -> int:
    from persuasion import api, render

    if args.force and args.out is None:
        raise _LoadError("--force only applies with --out (there is no folder to write)")
    try:
        result = api.simulate(
            games=args.game,
            families=args.family,
            runs=args.runs,
            seed=args.seed,
            senders=args.senders,
            states=args.states,
            actions=args.actions,
            starts=args.start,
            noise=args.noise,
            max_rounds=args.max_rounds,
            order=args.order,
            eta=args.eta,
            step=args.step,
            jobs=args.jobs,
            dask=args.dask,
            progress=_show_progress(args),
            out=args.out,
            force=args.force,
            figures=not args.no_figures,
        )
    except api.OptionError as exc:
        raise _LoadError(str(exc)) from None
    _emit(result.to_json(), args.json, render.simulate_text)
    return EXIT_OK


def _add_search(commands) -> None:
    """The ``search`` subcommand (issue 10, points 3 and 5): a counterexample hunter."""
    from persuasion.counterexamples import PROPERTIES

    search = commands.add_parser(
        "search",
        help="hunt for instances where a property is extreme; minimise and certify the best",
        description=(
            "Random restarts plus local search over small rational instances (utilities in "
            "multiples of 1/2, priors of small integer weights, tie-breaks) for one where "
            "PROPERTY holds or is extreme; the best instance found is minimised (fewest senders, "
            "states, actions and messages, smallest numbers) while its finding holds, and "
            "written with its equilibrium and a certificate that 'persuasion check' verifies. "
            f"Properties: {', '.join(PROPERTIES)}, or module:function (a predicate on an "
            "instance returning a bool or a rational score). The same --seed and --budget give "
            "the same result, whatever --jobs, --dask or interruptions."
        ),
        epilog="Exit status: 0 success (also when nothing is found); 2 bad input." + _LIMITS_EPILOG,
    )
    search.add_argument(
        "--property",
        required=True,
        metavar="NAME",
        help=f"what to search for: {', '.join(PROPERTIES)}, or module:function",
    )
    _add_seed(
        search,
        "integer >= 0 (default 0): restart j draws from a generator seeded "
        "with the property, N and j",
    )
    search.add_argument(
        "--budget",
        type=_integer(1, MAX_RUNS, "the limit MAX_RUNS"),
        default=200,
        metavar="N",
        help=f"evaluations, 1 to {MAX_RUNS} (default 200), in restarts of 20 (rounded up); "
        "minimisation comes on top",
    )
    search.add_argument(
        "--time-limit",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="stop the search, the restarts in progress and minimisation once SECONDS have "
        "passed (default none); with --out, --resume runs the unfinished restarts",
    )
    search.add_argument(
        "--polish",
        action="store_true",
        help="theorem-1-tightness: after minimising, lower eps by an exact LP over the senders' "
        "utilities with the equilibrium held fixed; kept only if the exact engine confirms a "
        "larger ratio",
    )
    _add_search_grid(search)
    _add_search_worst(search)
    _add_search_output(search)
    search.set_defaults(func=_cmd_search)


def _add_search_worst(search: argparse.ArgumentParser) -> None:
    """``--equilibrium``: the equilibrium the tightness and hull properties score, and the
    worst-equilibrium search's budget per evaluation (:mod:`persuasion.counterexamples.choice`)."""
    from persuasion.counterexamples.choice import USES, WORST

    search.add_argument(
        "--equilibrium",
        choices=("first", "worst"),
        default="first",
        help=(
            f"{', '.join(USES)}: score every instance at the first equilibrium the dynamics "
            "reach ('first', the default, as solve) or at the worst for Alice among it and those "
            "a bounded search meets on that instance ('worst', as solve --equilibrium worst, "
            "with the budget below per evaluation; slower per evaluation)"
        ),
    )
    _add_worst_budget(search, WORST, " per evaluation")


def _add_search_grid(search: argparse.ArgumentParser) -> None:
    """The sizes a search walks, and the bound on eps of the tightness and hull properties."""
    for option, minimum, what in (
        ("--senders", 1, "numbers of senders"),
        ("--states", 2, "numbers of states"),
        ("--actions", 2, "numbers of actions"),
    ):
        search.add_argument(
            option,
            type=_integers(minimum),
            default=None,
            metavar="LIST",
            help=f"comma-separated {what} in the size grid (default per property)",
        )
    search.add_argument(
        "--max-epsilon",
        type=_rational(Fraction(0), strict=True),
        default=None,
        metavar="Q",
        help="tightness and hull properties: only instances with eps <= Q (default any)",
    )


def _add_search_output(search: argparse.ArgumentParser) -> None:
    """Where a search runs and what it writes: --out, --resume, --jobs, --dask, progress, --json."""
    _add_out(
        search,
        "write DIR/search-state.jsonl (a line per finished restart) and the finding: "
        "instance.json, "
        "profile.json, certificate.json, finding.json (more-senders-less and "
        "more-senders-less-worst also fewer-*.json); DIR must be new or empty",
        "search-state.jsonl, instance.json, profile.json, certificate.json, finding.json, "
        "fewer-instance.json, fewer-profile.json, fewer-certificate.json, fewer-floor.json",
    )
    search.add_argument(
        "--resume",
        action="store_true",
        help="continue the search whose state file is in --out DIR (same property, seed, sizes "
        "and --max-epsilon; a larger --budget adds restarts)",
    )
    search.add_argument(
        "--jobs",
        type=_integer(1),
        default=None,
        metavar="N",
        help="worker processes, at least 1 (default: all cores); 1 runs in this process",
    )
    search.add_argument(
        "--dask",
        type=_address,
        metavar="ADDRESS",
        help="run the restarts on a Dask cluster (a scheduler address, or 'local'), as simulate",
    )
    _add_progress(search, "then the bar's last state when the search ends")
    _add_json(search)


def _cmd_search(args: argparse.Namespace) -> int:
    from persuasion import api
    from persuasion.counterexamples.text import search_text

    if (args.force or args.resume) and args.out is None:
        option = "--resume" if args.resume else "--force"
        raise _LoadError(f"{option} only applies with --out (there is no folder)")
    try:
        result = api.search(
            args.property,
            seed=args.seed,
            budget=args.budget,
            time_limit=args.time_limit,
            senders=args.senders,
            states=args.states,
            actions=args.actions,
            max_epsilon=args.max_epsilon,
            equilibrium=_search_equilibrium(args),
            jobs=args.jobs,
            dask=args.dask,
            progress=_show_progress(args),
            out=args.out,
            force=args.force,
            resume=args.resume,
            polish=args.polish,
        )
    except api.OptionError as exc:
        raise _LoadError(str(exc)) from None
    _emit(result.to_json(), args.json, search_text)
    return EXIT_OK


def _search_equilibrium(args: argparse.Namespace):
    """``"first"``, or the per-evaluation budget of ``--equilibrium worst``."""
    from persuasion.counterexamples.choice import WORST

    budget = _worst_budget(args, WORST)
    return "first" if budget is None else budget


def _add_pool(commands) -> None:
    """The ``pool`` subcommand (issue 12, point 4): a synthetic ratings table from a seed."""
    pool = commands.add_parser(
        "pool",
        help="draw a synthetic pool of models' ratings (Appendix H's random utility model, "
        "personas) as a ratings table for 'persuasion hull'",
        description=(
            "Draw N models' ratings of M items and the user's target rating, exact multiples of "
            "1/DENOMINATOR in [0, 1], from a seed. 'random-utility' is Appendix H's model: each "
            "rating is the target plus independent noise of mean 0 and size at most --noise. "
            "'persona' adds each persona's bias over binary item features (drawn in [--shift - "
            "--bias, --shift + --bias]); with |shift| > bias the hull condition fails. Prints "
            "the simple average's sup-norm error as models are added, beside Proposition 3's "
            "number of models for --epsilon and --delta (the items standing for the pairs (a, "
            "y)). Without --out or --json the table itself (CSV) goes to stdout. The same "
            "options give the same bytes."
        ),
        epilog="Exit status: 0 success; 2 bad option or --out." + _LIMITS_EPILOG,
    )
    pool.add_argument("--model", choices=["random-utility", "persona"], default="random-utility")
    size = _integer(1)
    pool.add_argument("--models", type=size, default=20, metavar="N", help="models (default 20)")
    pool.add_argument(
        "--items",
        type=size,
        default=50,
        metavar="M",
        help="items (default 50); N x M at most 1,000,000 (MAX_POOL_CELLS)",
    )
    _add_seed(pool, "the seed of every draw (default 0)")
    pool.add_argument(
        "--noise", type=_rational(Fraction(0), strict=False), default=Fraction(1, 5), metavar="Q",
        help="each rating's noise is at most Q, in [0, 1/2] (default 1/5)",
    )  # fmt: skip
    pool.add_argument(
        "--distribution", choices=["uniform", "two-point"], default="uniform",
        help="noise uniform on the grid in [-Q, Q], or +-Q with probability 1/2 (default uniform)",
    )  # fmt: skip
    pool.add_argument(
        "--denominator", type=size, default=100, metavar="D",
        help="ratings are multiples of 1/D, D = 2^a 5^b so they are exact decimals (default 100)",
    )  # fmt: skip
    _add_persona(pool)
    _add_pool_output(pool)
    pool.set_defaults(func=_cmd_pool)


def _add_persona(pool: argparse.ArgumentParser) -> None:
    """The persona model's options."""
    pool.add_argument(
        "--features", type=_integer(1), default=3, metavar="F",
        help="persona: binary features per item (default 3)",
    )  # fmt: skip
    pool.add_argument(
        "--bias", type=_rational(Fraction(0), strict=False), default=Fraction(1, 10),
        metavar="Q", help="persona: biases spread +-Q around --shift (default 1/10)",
    )  # fmt: skip
    pool.add_argument(
        "--shift", type=_rational(Fraction(-1), strict=False), default=Fraction(0),
        metavar="Q", help="persona: every persona's mean bias per feature (default 0)",
    )  # fmt: skip


def _add_pool_output(pool: argparse.ArgumentParser) -> None:
    """Proposition 3's parameters and where the table goes."""
    pool.add_argument(
        "--epsilon", type=_rational(Fraction(0), strict=True), default=Fraction(1, 10),
        metavar="Q", help="Proposition 3's tolerance, > 0 (default 1/10)",
    )  # fmt: skip
    pool.add_argument(
        "--delta", type=_rational(Fraction(0), strict=True, below=Fraction(1)),
        default=Fraction(1, 20), metavar="Q",
        help="Proposition 3's failure probability, in (0, 1) (default 1/20)",
    )  # fmt: skip
    pool.add_argument(
        "--out", metavar="FILE", help="write the ratings table (CSV) here, atomically"
    )
    pool.add_argument("--force", action="store_true", help="with --out, replace an existing file")
    _add_json(pool)


def _cmd_pool(args: argparse.Namespace) -> int:
    from persuasion import api, render
    from persuasion.errors import InputError

    try:
        result = api.pool(
            args.model, models=args.models, items=args.items, seed=args.seed, noise=args.noise,
            distribution=args.distribution, denominator=args.denominator,
            features=args.features, bias=args.bias, shift=args.shift, epsilon=args.epsilon,
            delta=args.delta, out=args.out, force=args.force,
        )  # fmt: skip
    except ValueError as exc:
        raise InputError("pool", str(exc)) from None
    if args.out is None and not args.json:
        sys.stdout.write(result.pool.to_csv().decode("ascii"))
    else:
        _emit(result.to_json(), args.json, render.pool_text)
    return EXIT_OK


def _add_export(commands) -> None:
    """The ``export`` subcommand: the restricted game as Gambit ``.nfg``."""
    export = commands.add_parser(
        "export",
        help="write the restricted game (finite sets of schemes) as a Gambit .nfg file",
        description=(
            "Write the restricted game of an instance -- each sender chooses among the "
            "deterministic schemes, or with --grid K among the schemes whose probabilities are "
            "multiples of 1/K; Alice best-responds inside the payoffs -- as a Gambit "
            "strategic-form file (NFG 1 R) with exact rational payoffs. Each strategy's label is "
            "its scheme: rows x_B separated by '|', message probabilities by ','."
        ),
        epilog="Exit status: 0 success; 2 bad input." + _LIMITS_EPILOG,
    )
    _add_instance(export)
    export.add_argument(
        "--gambit", action="store_true", required=True, help="Gambit's .nfg format (required)"
    )
    export.add_argument(
        "--out", metavar="FILE", help="write the .nfg file here (atomically) instead of stdout"
    )
    export.add_argument(
        "--grid",
        type=_integer(1),
        default=1,
        metavar="K",
        help="schemes whose probabilities are multiples of 1/K (default 1: deterministic schemes)",
    )
    export.add_argument("--force", action="store_true", help="with --out, replace an existing file")
    export.set_defaults(func=_cmd_export)


def _cmd_export(args: argparse.Namespace) -> int:
    from persuasion.gambit import export

    sys.stdout.write(export(args.instance, args.out, args.grid, args.force))
    return EXIT_OK


# ---------------------------------------------------------------- reading and printing


class _LoadError(Exception):
    """A file could not be opened (the loaders normally say so with InputError), or options
    that cannot be used together: one line, exit status 2."""


def _load_instance(path: str):
    from persuasion.instance import load_instance

    try:
        return load_instance(path)
    except OSError as exc:  # defensive: the loader should raise InputError
        raise _LoadError(f"{path}: {exc.strerror or exc}") from None


def _load_any_profile(args: argparse.Namespace, path: str, instance):
    """A profile file for ``instance``: in a conversation, its rules by history or not (the
    game's size checked first; a quantal Alice's rules may be keyed by her belief vectors,
    Definition 10), else a one-round profile."""
    from persuasion.api.common import is_conversation

    quantal = instance.protocol.decision == "quantal"
    if not (quantal or is_conversation(instance)):
        return _load_profile(path, instance)
    if not quantal:
        from persuasion.conversation.sizes import check_conversation_size

        check_conversation_size(instance, args.instance)  # before reading rules by history
    return _load_profile(path, instance, conversation=True)


def _load_profile(path: str, instance, conversation: bool = False):
    """The profile file at ``path``: a one-round profile, or (``conversation``) rules that may be
    keyed by history."""
    from persuasion.profile import load_conversation_profile, load_profile

    try:
        return (load_conversation_profile if conversation else load_profile)(path, instance)
    except OSError as exc:
        raise _LoadError(f"{path}: {exc.strerror or exc}") from None


def _show_progress(args: argparse.Namespace) -> bool:
    """Whether to show progress: as asked, else only on a terminal and without ``--json``."""
    if args.progress is not None:
        return args.progress
    return not args.json and sys.stderr.isatty()


def _emit(report: dict, as_json: bool, text) -> None:
    """Print a result's ``to_json()``: as one JSON object, or as text (:mod:`persuasion.render`)."""
    if as_json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        sys.stdout.write(text(report) + "\n")


@contextlib.contextmanager
def _loading_the_solver():
    """Load the solver's modules in the block, the cyclic garbage collector paused; then freeze what
    they made (:func:`gc.freeze`), the first time in this process.

    Importing numpy, highspy, python-flint and the package's solver makes tens
    of thousands of objects that live as long as the process, and the
    collector walked them over and over while they loaded: 10 to 22 ms of a
    catalog solve (59 collections); ``solve``, ``verify`` and ``certify``
    load the solver in this block.  Frozen, they are never walked again.  Only
    the first load in a process freezes anything: a later command in the same
    process finds the modules loaded.
    """
    import gc

    first = "persuasion.routes" not in sys.modules
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if first:
            gc.freeze()
        if enabled:
            gc.enable()


def _silence_stdout() -> None:
    """Point stdout at devnull so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


class StdoutFailed(OSError):
    """Standard output cannot be written (a full disk, an I/O error): not the user's input, but
    still one line and exit status 2 (docs/reference/commands.md, "Exit status")."""


class _Stdout(io.TextIOWrapper):
    """The program's standard output (:func:`_own_stream`): a failure to write it, other than a
    closed pipe, is a :class:`StdoutFailed`."""

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise StdoutFailed(exc.errno, exc.strerror) from None

    def flush(self) -> None:
        try:
            super().flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise StdoutFailed(exc.errno, exc.strerror) from None


def _stdout_failed(exc: OSError) -> int:
    """The one line for :class:`StdoutFailed`; stdout then goes to devnull, so that the
    interpreter's final flush does not fail again."""
    _silence_stdout()
    return _error(f"cannot write to standard output: {exc.strerror or exc}")


def _error(message: str) -> int:
    first = str(message).strip().splitlines()
    sys.stderr.write(f"{PROG}: error: {one_line(first[0]) if first else 'unknown error'}\n")
    return EXIT_INPUT


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    Usable in-process (the tests call it); the installed ``persuasion`` program is
    :func:`console_main`, which adds the guarantees about the process's output and Ctrl-C.
    """
    from persuasion.catalog import instance_file
    from persuasion.errors import BeyondLimit, InputError

    _REPORTED.clear()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_INPUT)
    try:
        if getattr(args, "instance", None):  # a catalog slug stands for its packaged file
            args.instance = str(instance_file(args.instance))
        return args.func(args)
    except (InputError, _LoadError, BeyondLimit) as exc:
        return _error(str(exc))
    except BrokenPipeError:  # e.g. `persuasion solve X | head`: stop quietly
        _silence_stdout()
        return EXIT_OK
    except StdoutFailed as exc:  # e.g. `persuasion catalog > /dev/full`
        return _stdout_failed(exc)
    except KeyboardInterrupt:  # Ctrl-C: one line, no traceback
        _interrupted()
        return EXIT_INTERRUPTED


_REPORTED = threading.Event()
"""Set once the line :data:`INTERRUPTED` is written in this process."""

_WATCHER: int | None = None
"""The write end of the pipe the interrupt watcher reads (:func:`_watch_interrupts`), once it
runs."""

_REPORTED_BYTE = b"\xff"
"""Written to the watcher's pipe after :data:`INTERRUPTED`, so that the watcher does not write it
again."""


def _interrupted() -> None:
    """Write :data:`INTERRUPTED` on stderr, once per process (and tell the watcher)."""
    if _REPORTED.is_set():
        return
    _REPORTED.set()
    try:
        sys.stderr.write(INTERRUPTED + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    if _WATCHER is not None:
        try:
            os.write(_WATCHER, _REPORTED_BYTE)
        except OSError:
            pass


# ---------------------------------------------------------------- the program


def _own_stream(fd: int, name: str) -> None:
    """Give ``sys.<name>`` a writer of its own on a copy of ``fd``; then point ``fd`` at devnull.

    The copy is not inheritable (children never get it) and ``fd`` itself keeps
    pointing at devnull, which is all that C code and child processes can reach.
    The writer keeps the old one's encoding, error handling and buffering.
    """
    old = getattr(sys, name)
    try:
        old.flush()
        saved = os.dup(fd)
    except (OSError, ValueError, AttributeError):  # fd closed by the caller: nothing to keep
        saved = None
    devnull = os.open(os.devnull, os.O_WRONLY)
    if devnull != fd:
        os.dup2(devnull, fd)
        os.close(devnull)
    if saved is not None:
        kind = _Stdout if name == "stdout" else io.TextIOWrapper
        stream = kind(open(saved, "wb"), encoding=old.encoding, errors=old.errors)
        stream.reconfigure(line_buffering=old.line_buffering, write_through=old.write_through)
        setattr(sys, name, stream)


def _silence_child() -> None:
    """In a forked worker: Python-level writes go to devnull too (its file descriptors already do),
    and Ctrl-C ends it at once, as the signal's default does (the parent reports it)."""
    import signal

    for name in ("stdout", "stderr"):
        setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    except ValueError:  # forked from a thread other than the main one: signals are not ours to set
        pass
    if (
        _WATCHER is not None
    ):  # the watcher's pipe is the parent's: the watcher sees end of file when it ends
        os.close(_WATCHER)


def _flush_streams() -> None:
    """Flush our streams: before a fork (so that a child never writes the parent's buffer again)
    and before the process ends without finalisation."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


def _isolate_output() -> None:
    """Only this program's own Python-level output reaches the user's stdout and stderr.

    File descriptors 1 and 2 are pointed at devnull for the rest of the process,
    so nothing written there at C level -- the HiGHS banner and log, flint,
    matplotlib, Dask workers, any child process -- reaches the user, whatever
    versions pip installed; ``sys.stdout`` and ``sys.stderr`` write to the saved
    originals, so our reports, our one-line errors, the progress bar and the
    traceback of a bug of ours do.  Forked workers write nowhere at all, and
    library warnings and log records are dropped (``PYTHONWARNINGS`` can ask
    for warnings again).
    """
    import warnings

    _own_stream(1, "stdout")
    _own_stream(2, "stderr")
    if hasattr(os, "register_at_fork"):  # POSIX
        os.register_at_fork(before=_flush_streams, after_in_child=_silence_child)
    if not sys.warnoptions:
        warnings.simplefilter("ignore")
    if "logging" in sys.modules:
        _drop_log_records(sys.modules["logging"])
    else:  # no catalog solve logs, and importing logging costs about 15 ms of CPU
        sys.meta_path.insert(0, _WhenLoggingLoads())


def _drop_log_records(logging: Any) -> None:
    """Give the root logger a handler that drops records: no "last resort" handler writes them on
    stderr."""
    logging.getLogger().addHandler(logging.NullHandler())


class _WhenLoggingLoads:
    """An import hook: when a library first imports :mod:`logging`, run :func:`_drop_log_records`
    right after the module has loaded, then step aside (:func:`_isolate_output`)."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "logging":
            return None
        sys.meta_path.remove(self)
        for finder in sys.meta_path:
            spec = finder.find_spec(name, path, target) if hasattr(finder, "find_spec") else None
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and not isinstance(spec.loader, type):  # this spec's own loader
            load = spec.loader.exec_module

            def exec_module(module: Any) -> None:
                load(module)
                _drop_log_records(module)

            spec.loader.exec_module = exec_module
        return spec


def _open_standard_descriptors() -> None:
    """Point any of file descriptors 0, 1 and 2 that is closed (``2>&-``) at devnull, and its
    ``sys`` stream (None then) at a writer to devnull.

    Otherwise the next descriptor opened takes its number -- the watcher's pipe, or the copy of
    stdout that :func:`_own_stream` keeps, which ``_own_stream(2, ...)`` then points at devnull: the
    report was lost with status 0 -- and every ``sys.stderr.write`` raises AttributeError.
    """
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: ``fd``
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "r" if fd == 0 else "w", encoding="utf-8"))


def _watch_interrupts() -> None:
    """Make sure Ctrl-C ends the process promptly, even inside a C call that never returns to
    Python.

    Python runs a signal handler only between bytecodes of the main thread, so
    a C call that holds the interpreter (a long exact kernel call, say) would
    delay the KeyboardInterrupt until it returns (HiGHS runs in a worker
    thread and does not: :func:`persuasion.lp.highs.run`).  Python's C-level
    handler also writes the signal's number to the wakeup pipe set here, which
    a small forked watcher process reads.  After SIGINT the watcher gives the
    program :data:`~persuasion.limits.INTERRUPT_GRACE_SECONDS` to stop cleanly
    (:func:`main` writes the line and returns 130); if it is still running
    then, the watcher writes the same line and kills it (status 137, SIGKILL).
    The watcher ends as soon as the program does (end of file on the pipe).
    Call before any thread is started, and before :func:`_isolate_output`
    (the watcher keeps the real stderr as its file descriptor 2).
    """
    global _WATCHER
    import select
    import signal

    if not hasattr(os, "fork"):  # no fork (Windows): the KeyboardInterrupt alone
        return
    read, write = os.pipe()
    parent = os.getpid()
    _flush_streams()
    if os.fork() == 0:  # the watcher: nothing of the program's runs here
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl-C reaches the whole group
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(
            devnull, 1
        )  # keep only stderr: a reader of stdout sees its end when the program ends
        os.close(write)
        reported, deadline = False, None
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if select.select([read], [], [], left)[0]:
                data = os.read(read, 64)
                if not data:  # the program has ended
                    os._exit(0)
                reported = reported or _REPORTED_BYTE in data
                if deadline is None and signal.SIGINT in data:
                    deadline = time.monotonic() + INTERRUPT_GRACE_SECONDS
            elif deadline is not None:  # the grace period is over and the program still runs
                if not reported:
                    os.write(2, (INTERRUPTED + "\n").encode())
                os.kill(parent, signal.SIGKILL)
                os._exit(0)
    os.close(read)
    os.set_blocking(write, False)
    signal.set_wakeup_fd(write, warn_on_full_buffer=False)
    _WATCHER = write


BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")
"""The environment variables that set how many threads OpenBLAS starts, in the order it reads
them."""


def _one_blas_thread() -> None:
    """Ask OpenBLAS, numpy's linear algebra, for one thread, unless the user set
    :data:`BLAS_THREADS`.

    OpenBLAS starts a thread per core when numpy loads, and each spins for a
    while waiting for work.  The package gives it none worth a thread (its few
    float matrices are small; HiGHS and python-flint do the solving), and on a
    2-core machine the spinning took about 0.1 s of CPU time per catalog solve
    (a fifth of it), from the program itself when other jobs used the other
    core.  Set before numpy loads; child processes (``simulate``'s workers)
    inherit it, as a process pool should.
    """
    if not any(name in os.environ for name in BLAS_THREADS):
        os.environ["OPENBLAS_NUM_THREADS"] = "1"


def console_main() -> int:
    """The installed ``persuasion`` program (``[project.scripts]``): :func:`main` on ``sys.argv``.

    Before running it: stdout carries only our report (one JSON object with
    ``--json``), stderr only our messages (:func:`_isolate_output`).  Ctrl-C
    (SIGINT) stops the command promptly: the KeyboardInterrupt it raises ends
    :func:`main` with the one line :data:`INTERRUPTED` on stderr and exit status
    130 (``--out`` files are written atomically, so none is left half-written),
    and :func:`_watch_interrupts` ends the process with the same line if that
    has not happened within a grace period.
    """
    import signal

    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _open_standard_descriptors()
        _watch_interrupts()
        _isolate_output()
        _one_blas_thread()
        status = main()
    except KeyboardInterrupt:  # before main() took over
        _interrupted()
        status = EXIT_INTERRUPTED
    if status == EXIT_INTERRUPTED:
        # End here: the interpreter's finalisation would meet a solver thread left running in C++
        # (HiGHS, abandoned by :func:`persuasion.lp.highs.run`), which can abort the process.
        # Context managers have already run; files are written atomically.
        _flush_streams()
        os._exit(EXIT_INTERRUPTED)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except StdoutFailed as exc:
        status = _stdout_failed(exc)
    return _end(status)


def _end(status: int) -> int:
    """``status``, for the interpreter to end with; every object alive now is frozen
    (:func:`gc.freeze`).

    Ending, the interpreter tears the modules down and collects garbage; each
    collection walked every object that numpy, python-flint, HiGHS and the
    package had made (about 30,000 after a catalog solve), and ending took 50
    to 85 ms, a seventh of the solve.  The collector skips frozen objects: their
    memory goes back with the process, and their ``__del__`` methods do not run
    (which Python never promised for objects alive at exit).  The report is
    written and flushed by then, and every file of ``--out`` closed; exit
    handlers (:mod:`atexit`) run and threads are waited for as always.
    """
    import gc

    gc.freeze()
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(console_main())
