"""The documentation runs: its instance files load and its console examples are real.

- Every ```json block in ``docs/`` (and README.md) parses as exact JSON; blocks with
  ``"format": "persuasion-instance/1"`` load with :func:`load_instance`.
- A block preceded by ``<!-- file: NAME -->`` is a file the reader is asked to
  save; the console examples of that page can use it.
- Every ```console block is a session of ``$ persuasion ...`` commands: each is run
  in-process with :func:`persuasion.cli.main` (from a scratch directory holding a
  copy of ``instances/`` and the page's files, so paths read as from the repository
  root) and its output must equal the lines under it exactly.
- Relative links in the docs point at files that exist; the command reference
  names every option of every command.
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

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
