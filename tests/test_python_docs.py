"""The Python examples of the documentation run: every ```pycon block of ``docs/`` (and README.md)
is a doctest.

The blocks of a page are one session (names defined in one block are used in the next), run
from a scratch folder holding a copy of ``instances/``, so paths read as from the root of a
clone.  Every expected output must match exactly.
"""

from __future__ import annotations

import doctest
import re
import shutil
from pathlib import Path

import pytest

from conftest import INSTANCES, ROOT

PAGES = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
BLOCK = re.compile(r"^```pycon[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def sessions(page: Path) -> list[tuple[int, str]]:
    """Every ```pycon block of ``page``: the line its code starts on, and its text."""
    text = page.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in BLOCK.finditer(text)]


PYTHON_PAGES = [page for page in PAGES if sessions(page)]


def test_the_python_tutorial_has_examples():
    assert ROOT / "docs" / "python-tutorial.md" in PYTHON_PAGES
    assert len(sessions(ROOT / "docs" / "python-tutorial.md")) >= 8


@pytest.mark.parametrize("page", PYTHON_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_examples_run(page, tmp_path, monkeypatch):
    shutil.copytree(INSTANCES, tmp_path / "instances")
    monkeypatch.chdir(tmp_path)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    globs: dict = {}
    for line, text in sessions(page):
        test = parser.get_doctest(text, globs, f"{page.name}:{line}", str(page), line - 1)
        runner.run(test, clear_globs=False)
        globs = test.globs  # the DocTest ran on a copy: the next block continues the session
    failed, attempted = runner.summarize(verbose=False)
    assert attempted > 0
    assert failed == 0, f"{failed} of {attempted} examples of {page.name} failed (output above)"
