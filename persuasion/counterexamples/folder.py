"""A search's output folder: the state file that makes it resumable, and the files of its finding.

``DIR/search-state.jsonl`` is JSON lines: a header (``persuasion-search-state/1`` and the search's
settings), then one line per finished restart (:class:`~persuasion.counterexamples.engine.Record`),
appended and flushed as each finishes, so a search stopped at any moment keeps every restart that
finished (a last line cut short by a crash is ignored).  ``--resume`` reads it back, refusing it
(one line naming the file) when its settings differ from the command's (only the budget may
change: a larger one adds restarts).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from persuasion.errors import InputError
from persuasion.output import Folder, check_folder, write_files
from persuasion.counterexamples.engine import Plan, Record

__all__ = ["STATE", "FINDING", "OWNED", "open_folder", "read_state", "append_state", "write"]

STATE = "search-state.jsonl"
"""The state file's name in the output folder."""

STATE_FORMAT = "persuasion-search-state/1"

FINDING = ("instance.json", "profile.json", "certificate.json", "finding.json")
"""The files of a finding (``profile.json`` only for a property about an equilibrium)."""

FEWER = (
    "fewer-instance.json",
    "fewer-profile.json",
    "fewer-certificate.json",
    "fewer-floor.json",
)
"""``more-senders-less`` and ``more-senders-less-worst``: the instance with one sender fewer, its
equilibrium and certificate (and, for the latter, the exact LP certificate of the floor on Alice's
utility at every equilibrium of that game)."""

OWNED = (STATE, *FINDING, *FEWER)


def open_folder(path: str, plan: Plan, *, force: bool, resume: bool) -> dict[int, Record]:
    """Check the folder ``path`` and return the restarts already finished there (``resume``).

    A new search needs a new or empty folder (or ``force``: the files a search writes are removed
    first) and starts its state file; ``resume`` needs the folder's state file, same settings.
    """
    if resume:
        return read_state(path, plan)
    folder = check_folder(path, OWNED, force)
    header = {"format": STATE_FORMAT, "settings": _settings(plan)}
    write_files(folder, {STATE: (json.dumps(header) + "\n").encode("utf-8")})
    return {}


def _lines(file: Path) -> list[str]:
    try:
        return file.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(file), f"cannot read the search state ({exc})") from None


def read_state(path: str, plan: Plan) -> dict[int, Record]:
    """The finished restarts of the state file in ``path`` (InputError naming it if unusable)."""
    file = Path(path) / STATE
    if not file.is_file():
        raise InputError(str(file), "no search state to resume (run without --resume first)")
    lines = [line for line in _lines(file) if line.strip()]
    try:
        header = json.loads(lines[0]) if lines else None
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != STATE_FORMAT:
        raise InputError(str(file), f"not a {STATE_FORMAT} file")
    if header.get("settings") != _settings(plan):
        raise InputError(
            str(file), "its search has other settings (property, seed, sizes or --max-epsilon)"
        )
    records = {}
    for number, line in enumerate(lines[1:], start=2):
        try:
            record = Record.from_json(json.loads(line))
        except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
            if number == len(lines):  # cut short by a crash: that restart runs again
                break
            raise InputError(
                str(file), f"line {number}: a damaged restart record ({exc})"
            ) from None
        if record.index < plan.restarts:
            records[record.index] = record
    return records


def _settings(plan: Plan) -> dict:
    return json.loads(json.dumps(plan.to_json()))


def append_state(path: str, record: Record) -> None:
    """Append ``record`` to the state file and flush it (no link is followed)."""
    flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(os.path.join(path, STATE), flags)
    with os.fdopen(fd, "a", encoding="utf-8") as stream:
        stream.write(json.dumps(record.to_json()) + "\n")


def write(files: dict[str, bytes], path: str) -> list[str]:
    """Write ``files`` (names of :data:`OWNED`) atomically into the folder ``path``."""
    return write_files(Folder(path, OWNED, False), files)
