"""Safe output folders: ``certify --out DIR`` and ``simulate --out DIR``
(docs/reference/commands.md).

:func:`check_folder` runs *before* any work and refuses, with one line
(:class:`~persuasion.errors.InputError`, exit status 2), a destination that
cannot be used:

- an empty name, an existing file, a path under a file, a missing parent,
  a place this process cannot write (probed by creating and removing a
  temporary directory, so a read-only mount is caught too);
- a symbolic link as the folder itself, or in place of any name the command
  writes (nothing is ever written through a link, in or out of the folder);
- a folder that already holds anything, unless ``--force``: a new run never
  mixes silently with an old one's files.  With ``--force`` exactly the names
  the command owns are removed before writing (every name it can write, not
  only this run's: a stale ``theorem-7.json`` does not survive a run that
  certifies only Theorem 1); other files stay.

:func:`write_files` then creates the folder (one level: its parent must
exist), removes the owned names under ``--force``, and writes every file
atomically: a temporary file in the same folder, flushed and fsynced, then
renamed over the final name.  Every operation goes through a file descriptor
of the folder opened with ``O_NOFOLLOW``, and temporary files are created
with ``O_EXCL | O_NOFOLLOW``, so a link planted after the check is never
followed either (a rename replaces a link, it does not write through it).
"""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from persuasion.errors import InputError

__all__ = ["Folder", "check_folder", "check_name", "write_files"]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


@dataclass(frozen=True)
class Folder:
    """A checked destination: ``path``, the names the command owns there, and ``--force``."""

    path: str
    owned: tuple[str, ...]
    force: bool


_SHOWN_CHARS = 80
"""A longer ``--out`` name is shown by its end, so that the line still begins ``--out``."""


def _refuse(path: str, problem: str) -> InputError:
    if len(path) > _SHOWN_CHARS:
        path = "..." + path[-_SHOWN_CHARS:]
    return InputError(f"--out {path or repr(path)}", problem)


def _lstat(path: str, shown: str) -> os.stat_result | None:
    """``os.lstat(path)``, None when nothing is there; any other failure (a name too long, no
    permission to look) is one line about ``--out shown``."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None  # a component of the path is a file: reported by the caller's parent check
    except OSError as exc:
        raise _refuse(shown, (exc.strerror or str(exc)).lower()) from None


def check_name(path: str) -> None:
    """Refuse an ``--out`` name that is empty or ``-`` (which would create a file named ``-``,
    not write to standard output).

    Raises
    ------
    InputError
        For those two names.
    """
    if not path:
        raise _refuse(path, "an empty name is not a file or folder")
    if path == "-":
        raise _refuse(
            path, "'-' would be a file named '-'; leave out --out to write to standard output"
        )


def _probe(directory: str, path: str) -> None:
    """Refuse unless a directory entry can really be created (and removed) in ``directory``."""
    if not os.access(directory, os.W_OK | os.X_OK):
        raise _refuse(path, f"{directory} is not writable")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".persuasion-probe-", dir=directory))
    except OSError as exc:
        raise _refuse(path, f"{directory} is not writable ({exc.strerror or exc})") from None


def _plain(path: str) -> str:
    """``path`` without trailing separators: ``link/`` would make the system follow ``link``."""
    return path.rstrip(os.sep) or os.sep


def check_folder(path: str, owned: Iterable[str], force: bool, shown: str = "") -> Folder:
    """The destination ``path`` checked as the module docstring says, before any work starts.

    ``owned`` lists every name (relative, ``/``-separated, at most one folder
    deep: ``figures/convergence.png``) the command may write.  ``shown`` is the
    ``--out`` argument the user gave when it is not ``path`` itself (``export``
    checks the folder of its file): every refusal names it.
    """
    owned = tuple(owned)
    shown = shown or path
    check_name(shown)
    info = _lstat(_plain(path), shown)
    if info is None:
        parent = os.path.dirname(os.path.abspath(_plain(path)))
        if not os.path.isdir(parent):
            raise _refuse(shown, f"its parent {parent} is not an existing folder")
        _probe(parent, shown)
        return Folder(path, owned, force)
    if stat.S_ISLNK(info.st_mode):
        raise _refuse(shown, "is a symbolic link; give the folder itself")
    if not stat.S_ISDIR(info.st_mode):
        raise _refuse(shown, "is a file, not a folder")
    _probe(path, shown)
    entries = os.listdir(path)
    if entries and not force:
        raise _refuse(
            shown,
            f"the folder is not empty ({len(entries)} entries); "
            f"choose a new folder, or add --force to replace this command's files",
        )
    for name in owned:
        parts = PurePosixPath(name).parts
        for depth in range(1, len(parts) + 1):
            entry = os.path.join(path, *parts[:depth])
            entry_info = _lstat(entry, shown)
            if entry_info is None:
                break
            if stat.S_ISLNK(entry_info.st_mode):
                raise _refuse(
                    shown, f"{entry} is a symbolic link; it is never followed or replaced"
                )
            if depth < len(parts) and not stat.S_ISDIR(entry_info.st_mode):
                raise _refuse(shown, f"{entry} is not a folder")
            if depth == len(parts) and not stat.S_ISREG(entry_info.st_mode):
                raise _refuse(shown, f"{entry} is not a regular file")
    return Folder(path, owned, force)


def _open_folder(name: str, parent_fd: int | None = None) -> int:
    return os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=parent_fd)


def _subfolder(fd: int, name: str, create: bool) -> int | None:
    """A descriptor of the folder ``name`` inside ``fd`` (created if asked), never through a
    link."""
    if create:
        try:
            os.mkdir(name, dir_fd=fd)
        except FileExistsError:
            pass
    try:
        return _open_folder(name, fd)
    except FileNotFoundError:
        return None


def _write_atomically(fd: int, name: str, data: bytes) -> None:
    """Write ``data`` to ``name`` in the folder ``fd``: a temporary file, fsync, then rename."""
    temporary = f".{name}.{secrets.token_hex(6)}.tmp"
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o666, dir_fd=fd)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)
    except BaseException:
        try:
            os.unlink(temporary, dir_fd=fd)
        except OSError:
            pass
        raise


def _split(name: str) -> tuple[str | None, str]:
    parts = PurePosixPath(name).parts
    return (parts[0], parts[1]) if len(parts) == 2 else (None, parts[0])


def _clear(fd: int, owned: tuple[str, ...]) -> None:
    """Remove the owned names (files only; a sub-folder left empty goes too)."""
    subfolders: dict[str, list[str]] = {}
    for name in owned:
        sub, base = _split(name)
        if sub is None:
            try:
                os.unlink(base, dir_fd=fd)
            except FileNotFoundError:
                pass
        else:
            subfolders.setdefault(sub, []).append(base)
    for sub, bases in subfolders.items():
        sub_fd = _subfolder(fd, sub, create=False)
        if sub_fd is None:
            continue
        try:
            for base in bases:
                try:
                    os.unlink(base, dir_fd=sub_fd)
                except FileNotFoundError:
                    pass
        finally:
            os.close(sub_fd)
        try:
            os.rmdir(sub, dir_fd=fd)
        except OSError:
            pass  # other files are in it: they are not ours


def write_files(folder: Folder, files: Mapping[str, bytes]) -> list[str]:
    """Create ``folder`` if needed, clear its owned names under ``--force``, write ``files``
    atomically.

    ``files`` maps owned names to contents.  Returns the paths written, in order.
    """
    unknown = [name for name in files if name not in folder.owned]
    if unknown:
        raise ValueError(f"not a name this command owns: {unknown[0]}")
    try:
        os.mkdir(_plain(folder.path))
    except FileExistsError:
        pass
    fd = _open_folder(_plain(folder.path))
    written = []
    try:
        if folder.force:
            _clear(fd, folder.owned)
        for name, data in files.items():
            sub, base = _split(name)
            if sub is None:
                _write_atomically(fd, base, data)
            else:
                sub_fd = _subfolder(fd, sub, create=True)
                try:
                    _write_atomically(sub_fd, base, data)
                finally:
                    os.close(sub_fd)
            written.append(os.path.join(folder.path, *PurePosixPath(name).parts))
    finally:
        os.close(fd)
    return written


def checked_file(out: str | None, force: bool, option: str, example: str):
    """The folder that will hold the file ``out`` given as ``option`` (:func:`check_folder`),
    checked before any work: ``out`` must not exist unless ``force``, and never be a folder or a
    symbolic link.  ``example`` is a file name the error suggests."""
    if out is None:
        if force:
            raise InputError("--force", f"only applies with {option} (there is no file to write)")
        return None
    check_name(out)
    name = os.path.basename(out)
    if not name or name in (".", ".."):
        raise InputError(f"{option} {out or repr(out)}", f"give a file name, such as {example}")
    if os.path.isdir(out) and not os.path.islink(out):
        raise InputError(f"{option} {out}", "is a folder, not a file")
    if os.path.lexists(out) and not force:
        raise InputError(f"{option} {out}", "the file exists; add --force to replace it")
    parent = os.path.realpath(os.path.dirname(out) or ".")  # a link in the folder's path is fine
    if not os.path.isdir(parent):
        raise InputError(f"{option} {out}", f"the folder {parent} does not exist")
    return check_folder(parent, [name], force=True, shown=out)


def write_text(folder: Folder, text: str, out: str, option: str) -> None:
    """Write ``text`` atomically as the one file ``folder`` owns (:func:`checked_file`); a
    failure is one line naming ``option`` and ``out``."""
    try:
        write_files(folder, {folder.owned[0]: text.encode("utf-8")})
    except OSError as exc:
        raise InputError(f"{option} {out}", exc.strerror or str(exc)) from None
