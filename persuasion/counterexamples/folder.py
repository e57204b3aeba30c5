"""A search's output folder: the state file that makes it resumable, and the files of its finding.

``DIR/search-state.json`` (``persuasion-search-state/1``) records the search's settings and every
finished restart (:class:`~persuasion.counterexamples.engine.Record`); it is rewritten atomically
after each one. ``--resume`` reads it back, refusing it (one line naming the file) when its settings
differ from the command's (only the budget may change: a larger one adds restarts).
"""

from __future__ import annotations

import json
from pathlib import Path

from persuasion.errors import InputError
from persuasion.output import Folder, check_folder, write_files
from persuasion.counterexamples.engine import Plan, Record

__all__ = ["STATE", "FINDING", "OWNED", "open_folder", "read_state", "write_state", "write"]

STATE = "search-state.json"
"""The state file's name in the output folder."""

STATE_FORMAT = "persuasion-search-state/1"

FINDING = ("instance.json", "profile.json", "certificate.json", "finding.json")
"""The files of a finding (``profile.json`` only for a property about an equilibrium)."""

FEWER = ("fewer-instance.json", "fewer-profile.json", "fewer-certificate.json")
"""``more-senders-less``: the instance with one sender fewer, its equilibrium and certificate."""

OWNED = (STATE, *FINDING, *FEWER)


def open_folder(path: str, plan: Plan, *, force: bool, resume: bool) -> dict[int, Record]:
    """Check the folder ``path`` and return the restarts already finished there (``resume``).

    A new search needs a new or empty folder (or ``force``: the files a search writes are removed
    first); ``resume`` needs the folder's state file, with the same settings.
    """
    if resume:
        return read_state(path, plan)
    folder = check_folder(path, OWNED, force)
    write_files(folder, {STATE: _state_bytes(plan, {})})
    return {}


def read_state(path: str, plan: Plan) -> dict[int, Record]:
    """The finished restarts of the state file in ``path`` (InputError naming it if unusable)."""
    from persuasion.jsonio import read_json

    file = Path(path) / STATE
    if not file.is_file():
        raise InputError(str(file), "no search state to resume (run without --resume first)")
    data = read_json(file)
    if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
        raise InputError(str(file), f"not a {STATE_FORMAT} file")
    if data.get("settings") != _settings(plan):
        raise InputError(
            str(file), "its search has other settings (property, seed, sizes or --max-epsilon)"
        )
    try:
        records = [Record.from_json(r) for r in data["restarts"]]
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
        raise InputError(str(file), f"a restart record is damaged ({exc})") from None
    return {r.index: r for r in records if r.index < plan.restarts}


def _settings(plan: Plan) -> dict:
    return json.loads(json.dumps(plan.to_json()))


def _state_bytes(plan: Plan, records: dict[int, Record]) -> bytes:
    document = {
        "format": STATE_FORMAT,
        "settings": _settings(plan),
        "restarts": [records[i].to_json() for i in sorted(records)],
    }
    return (json.dumps(document, indent=1) + "\n").encode("utf-8")


def write_state(path: str, plan: Plan, records: dict[int, Record]) -> None:
    """Rewrite the state file atomically with every finished restart."""
    write({STATE: _state_bytes(plan, records)}, path)


def write(files: dict[str, bytes], path: str) -> list[str]:
    """Write ``files`` (names of :data:`OWNED`) atomically into the folder ``path``."""
    return write_files(Folder(path, OWNED, False), files)
