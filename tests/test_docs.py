"""The documentation runs: its instance files load and its console examples are real.

- Every ```json block in ``docs/`` (and README.md) parses as exact JSON; blocks with
  ``"format": "persuasion-instance/1"`` load with :func:`load_instance`.
- A block preceded by ``<!-- file: NAME -->`` is a file the reader is asked to
  save; the console examples of that page can use it.
- Every ```python block runs, and every ```pycon block passes as a doctest: a page's
  blocks in order, in one namespace, from the same scratch directory.
- Every ```console block is a session of ``$ persuasion ...`` commands: each is run
  in-process with :func:`persuasion.cli.main` (from a scratch directory holding a
  copy of ``instances/`` and the page's files, so paths read as from the repository
  root) and its output must equal the lines under it exactly.
- Relative links in the docs point at files that exist; the command reference
  names every option of every command.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import console_script
from persuasion.cli import build_parser, main
from persuasion.instance import load_instance
from persuasion.jsonio import loads_json as loads_exact

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md")) + [ROOT / "README.md"]

FENCE = re.compile(r"^```(\w*)\s*$")
FILE_MARK = re.compile(r"^<!--\s*file:\s*(\S+)\s*-->\s*$")


@dataclass
class Block:
    page: Path
    line: int
    lang: str
    text: str
    filename: str | None = None


@dataclass
class Page:
    path: Path
    blocks: list[Block] = field(default_factory=list)

    @property
    def files(self) -> dict[str, str]:
        return {b.filename: b.text for b in self.blocks if b.filename}


def parse(path: Path) -> Page:
    page = Page(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    pending_file = None
    while i < len(lines):
        mark = FILE_MARK.match(lines[i])
        if mark:
            pending_file = mark.group(1)
            i += 1
            continue
        fence = FENCE.match(lines[i])
        if fence:
            start = i + 1
            j = start
            while j < len(lines) and lines[j].rstrip() != "```":
                j += 1
            assert j < len(lines), f"{path}:{i + 1}: unclosed code block"
            text = "\n".join(lines[start:j]) + "\n"
            page.blocks.append(Block(path, i + 1, fence.group(1), text, pending_file))
            pending_file = None
            i = j + 1
            continue
        if lines[i].strip():
            pending_file = None
        i += 1
    return page


ALL = [parse(p) for p in PAGES]


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def blocks(lang: str):
    return [
        pytest.param(page, block, id=f"{rel(block.page)}:{block.line}")
        for page in ALL
        for block in page.blocks
        if block.lang == lang
    ]


def test_docs_exist():
    expected = [
        "index.md",
        "tutorial.md",
        "how-to/write-an-instance.md",
        "how-to/verify-a-profile.md",
        "how-to/read-exact-numbers.md",
        "explanation/model.md",
        "reference/commands.md",
        "reference/installation.md",
        "reference/python-api.md",
        "reference/bibliography.md",
        "python-tutorial.md",
    ]
    for name in expected:
        assert (DOCS / name).is_file(), name


@pytest.mark.parametrize("page, block", blocks("json"))
def test_json_blocks(page, block, tmp_path):
    data = loads_exact(block.text)
    if isinstance(data, dict) and data.get("format") == "persuasion-instance/1":
        path = tmp_path / (block.filename or "instance.json")
        path.write_text(block.text)
        load_instance(path)


def _sessions(block: Block):
    """``[(argv, expected output)]`` of a console block."""
    sessions: list[tuple[list[str], list[str]]] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            words = shlex.split(line[2:])
            assert words and words[0] == "persuasion", (
                f"{rel(block.page)}:{block.line}: console blocks hold only `$ persuasion ...` "
                "commands (use ```bash for others)"
            )
            sessions.append((words[1:], []))
        else:
            assert sessions, (
                f"{rel(block.page)}:{block.line}: output before the first `$ persuasion` line"
            )
            sessions[-1][1].append(line)
    return sessions


def _normalise(lines: list[str]) -> list[str]:
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


@pytest.mark.parametrize("page, block", blocks("console"))
def test_console_blocks(page, block, tmp_path, monkeypatch, capsys):
    shutil.copytree(ROOT / "instances", tmp_path / "instances")
    for name, text in page.files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    monkeypatch.chdir(tmp_path)
    for argv, expected in _sessions(block):
        main(argv)
        out, err = capsys.readouterr()
        got = _normalise((out + err).splitlines())
        assert got == _normalise(expected), (
            f"{rel(block.page)}:{block.line}: persuasion {shlex.join(argv)}"
        )


def _run_python(block: Block, names: dict) -> None:
    """Run a ```python block, or the ``>>>`` examples of a ```pycon block as doctests."""
    where = f"{rel(block.page)}:{block.line}"
    if block.lang == "python":
        exec(compile(block.text, where, "exec"), names)
        return
    test = doctest.DocTestParser().get_doctest(
        block.text, names, where, str(block.page), block.line
    )
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    failures = []
    runner.run(test, out=failures.append, clear_globs=False)
    names.update(test.globs)  # the DocTest ran on a copy: later blocks see what this one made
    assert runner.failures == 0, "".join(failures)


@pytest.mark.parametrize(
    "page",
    [page for page in ALL if any(b.lang in ("python", "pycon") for b in page.blocks)],
    ids=lambda p: rel(p.path),
)
def test_python_examples(page, tmp_path, monkeypatch):
    """Every Python example runs: a page's blocks in order, in one namespace, as a reader would."""
    shutil.copytree(ROOT / "instances", tmp_path / "instances")
    for name, text in page.files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    path = os.pathsep.join([str(console_script().parent), os.environ.get("PATH", "")])
    monkeypatch.setenv("PATH", path)  # an example may run the installed `persuasion`
    names: dict = {"__name__": "__docs__"}
    for block in page.blocks:
        if block.lang in ("python", "pycon"):
            _run_python(block, names)


LINK = re.compile(r"\]\(([^)#\s]+)(#[^)]*)?\)")


@pytest.mark.parametrize("page", ALL, ids=lambda p: rel(p.path))
def test_relative_links_resolve(page):
    text = page.path.read_text(encoding="utf-8")
    for target, _ in LINK.findall(text):
        if re.match(r"^[a-z]+:", target):
            continue
        assert (page.path.parent / target).exists(), f"{rel(page.path)}: broken link {target}"


def test_reference_names_every_option():
    text = (DOCS / "reference" / "commands.md").read_text(encoding="utf-8")
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert f"persuasion {name}" in text, name
        for action in sub._actions:
            for option in action.option_strings:
                if option in ("-h", "--help"):
                    continue
                assert f"`{option}" in text, (
                    f"docs/reference/commands.md does not document {name} {option}"
                )


def _documented_keys(heading: str) -> list[str]:
    text = (DOCS / "reference" / "commands.md").read_text(encoding="utf-8")
    section = text.split(heading, 1)[1].split("\n#", 1)[0]
    return re.findall(r"^\| `([a-z_.\[\]]+)` \|", section, flags=re.M)


def _has_key(data, dotted: str) -> bool:
    for part in dotted.split("."):
        many = part.endswith("[]")
        part = part.removesuffix("[]")
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
        if many:
            if not data:
                return False
            data = data[0]
    return True


@pytest.mark.parametrize("command", ["solve", "verify"])
def test_reference_keys_are_in_the_output(command, tmp_path, capsys):
    import json

    keys = _documented_keys(f"### `{command} --json` keys")
    assert len(keys) > 5
    judge = str(ROOT / "instances" / "judge-prosecutor.json")
    if command == "solve":
        argv = ["solve", judge, "--json"]
    else:
        profile = tmp_path / "oblivious.json"
        profile.write_text(parse(DOCS / "how-to" / "verify-a-profile.md").files["oblivious.json"])
        argv = ["verify", judge, str(profile), "--json"]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    missing = [key for key in keys if not _has_key(report, key)]
    assert not missing, (
        f"documented in docs/reference/commands.md but not in `{command} --json`: {missing}"
    )


# ---------------------------------------------------------------- names that must exist

CODE_SPAN = re.compile(r"`([^`\n]+)`")
COMMAND = re.compile(r"(?<![\w./-])(?<!import )persuasion ([a-z][\w-]*)")
OPTION = re.compile(r"(?<![\w-])--[a-z][\w-]*")
PATH = re.compile(r"(?<![\w./-])((?:instances|benchmarks|persuasion|tests|docs|\.ci)/[\w./*-]*)")
"""A path of the repository: it names a file (``name.ext``, ``.ci/run``) or a folder (``dir/``)."""
SHELL_LANGS = {"", "bash", "console", "text", "sh"}
"""Fenced blocks read for commands and options (Python blocks name the package, not the program)."""


def _is_path(token: str) -> bool:
    last = token.rsplit("/", 1)[-1]
    return token.endswith("/") or re.fullmatch(r"[\w*-]+\.\w+", last) or token == ".ci/run"


def _benchmark_options() -> set[str]:
    """The options the scripts of benchmarks/ declare (pages quote them as they quote ours)."""
    declared = re.compile(r"add_argument\(\s*\"(--[\w-]+)\"")
    return {
        option
        for script in (ROOT / "benchmarks").glob("*.py")
        for option in declared.findall(script.read_text(encoding="utf-8"))
    }


def _code(page: Page) -> list[tuple[str, str]]:
    """``(where, text)`` of every code span of the prose and every line of a shell-like block."""
    out = []
    lines = page.path.read_text(encoding="utf-8").splitlines()
    inside = False
    for number, line in enumerate(lines, 1):
        if FENCE.match(line) or (inside and line.rstrip() == "```"):
            inside = not inside
            continue
        if not inside:
            out += [(f"{rel(page.path)}:{number}", span) for span in CODE_SPAN.findall(line)]
    for block in page.blocks:
        if block.lang in SHELL_LANGS:
            commands = block.text.replace("\\\n", " ").splitlines()  # continued lines joined
            if block.lang == "console":  # a session: its commands, not what they print
                commands = [line[2:] for line in commands if line.startswith("$ ")]
            out += [(f"{rel(block.page)}:{block.line}", command) for command in commands]
    return out


def _parser_options() -> tuple[dict[str, set[str]], set[str]]:
    """``({command: its options}, every option)``: the program's, from :func:`build_parser`, and
    the benchmark scripts'."""
    parser = build_parser()
    commands = {
        name: {option for action in sub._actions for option in action.option_strings}
        for name, sub in parser._subparsers._group_actions[0].choices.items()
    }
    top = {option for action in parser._actions for option in action.option_strings}
    return commands, top.union(*commands.values(), _benchmark_options())


def _unknown_names(where: str, text: str, commands: dict[str, set[str]], every: set[str]):
    """What ``text`` names that the program does not have: a command, or an option of it."""
    wrong = []
    found = list(COMMAND.finditer(text))
    starts = [match.start() for match in found] + [len(text)]
    for here, end in zip(found, starts[1:], strict=True):  # a command runs to the next one
        name = here.group(1)
        if name not in commands:
            wrong.append(f"{where}: `persuasion {name}`: no such command")
            continue
        tail = text[here.end() : end]
        tail = re.split(r"\s(?:\||&&|;|#)\s", tail)[0]  # a pipe or a comment ends the command
        wrong += [
            f"{where}: `persuasion {name} {option}`: no such option"
            for option in OPTION.findall(tail)
            if option not in commands[name]
        ]
    if not found and text.lstrip().startswith("--"):  # an option named on its own
        option = OPTION.match(text.lstrip())
        if option and option.group(0) not in every:
            wrong.append(f"{where}: `{option.group(0)}`: no command has this option")
    return wrong


def test_docs_name_only_commands_and_options_that_exist():
    """Every ``persuasion COMMAND`` and every option after it, or named alone, is in the parser.

    A page that names a command or an option the program does not have (or no
    longer has) fails here: in code spans of the prose and in the lines of
    shell, console and text blocks, of every page of docs/ and the README.
    """
    commands, every = _parser_options()
    wrong = [
        problem
        for page in ALL
        for where, text in _code(page)
        for problem in _unknown_names(where, text, commands, every)
    ]
    assert wrong == []


def test_docs_name_only_files_that_exist():
    """Every repository path a page names (``instances/x.json``, ``tests/x.py``...) exists."""
    missing = [
        f"{rel(page.path)}: {path}"
        for page in ALL
        for path in PATH.findall(page.path.read_text(encoding="utf-8"))
        if _is_path(path) and not list(ROOT.glob(path.rstrip("/")))
    ]
    assert missing == []


def test_docs_cite_no_document_outside_the_repository():
    """The specification and design notes the code was written from are not shipped."""
    cited = [
        f"{rel(page.path)}:{number}: {line.strip()}"
        for page in ALL
        for number, line in enumerate(page.path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bSPEC\b|SPEC\.md|DESIGN\.md|shared/", line)
    ]
    assert cited == []
