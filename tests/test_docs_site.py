"""The documentation site builds with warnings as errors, and its API reference is rendered.

``mkdocs build --strict`` (``mkdocs.yml`` at the repository root) fails on any
warning: a page missing from the navigation or named there but absent, a
broken link or anchor, a docstring mkdocstrings cannot parse.  The build runs
the installed ``mkdocs`` in a subprocess, as a user would, into a scratch
folder; the API page must then hold text that only the docstrings hold, so a
build that rendered nothing (a wrong handler path, an import that failed
quietly) fails too.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

BUILD_TIMEOUT = 300
"""Seconds before the build counts as hung (it takes about a second)."""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site built by ``mkdocs build --strict`` into a scratch folder."""
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=BUILD_TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr, proc.stderr
    return out


def _text(page) -> str:
    """The page's text: tags dropped, entities decoded, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.read_text("utf-8"))).split())


def test_every_page_of_docs_is_built(site):
    pages = {p.relative_to(ROOT / "docs").with_suffix("") for p in (ROOT / "docs").rglob("*.md")}
    built = {p.parent.relative_to(site) for p in site.rglob("index.html")} - {
        p.parent.relative_to(site) for p in (site / "search").rglob("index.html")
    }
    assert {page for page in pages if page.name != "index"} <= built


def test_the_api_page_renders_the_docstrings(site):
    text = _text(site / "reference" / "python-api" / "index.html")
    # persuasion.model.Instance's docstring, and its numpydoc-free attribute list
    assert "A finite multi-sender persuasion game with an exact common prior." in text
    # persuasion.extras.require's numpydoc sections, rendered as lists
    assert "Check that every module of extra can be imported, without importing it." in text
    assert re.search(
        r"Parameters: extra \( ?Extra ?\) \W+ FIGURES , CLUSTER , QUANTAL or PARQUET", text
    )
    assert re.search(r"Raises: MissingExtra \W+ When a module is not installed", text)
    # the front door and its typed results (persuasion.api, persuasion.results)
    assert "The alignment error of Definition 1, with Remark 2's non-negative variant." in text
    assert "Everything persuasion solve computes: benchmarks, an equilibrium and the bound." in text


def test_the_docstrings_roles_become_links(site):
    """docs/_ext/sphinx_roles.py: ``:func:`load_instance``` is a link, no role is left as typed."""
    page = (site / "reference" / "python-api" / "index.html").read_text("utf-8")
    assert not re.search(r":(?:class|func|meth|mod|data|attr|exc):", page)
    assert re.search(
        r'<a class="autorefs[^"]*"[^>]* href="#persuasion\.instance\.load_instance"', page
    )
    assert "::" not in _text(site / "reference" / "python-api" / "index.html")


def test_the_bibliography_is_in_the_site(site):
    text = _text(site / "reference" / "bibliography" / "index.html")
    assert "Emergent Alignment via Competition" in text
    assert "Bayesian Persuasion" in text
