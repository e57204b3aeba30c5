"""The fuzzing suite (issue 7, point 7): hostile files never end in a traceback or a hang.

Mutants of the catalog instances (``instances/*.json``), of valid profiles for
them (``tests/fuzz/profiles/``) and of the certificates ``persuasion certify
--out`` writes for them are given to ``persuasion verify``, ``solve`` and
``check``; every run must end *clean* or *refused* with one line naming the
file (:mod:`fuzz_oracle`).  The mutations are :mod:`fuzz_mutants`: values,
types, keys, nesting, unicode, huge numbers, sizes, truncation, byte flips.

Two depths, chosen by the environment (docs/how-to/fuzz.md):

- default (CI): about 200 in-process mutants and 20 runs of the installed
  console script (about 20 s);
- ``PERSUASION_FUZZ=deep``: thousands of mutants (``PERSUASION_FUZZ_COUNT``
  scales both).  ``PERSUASION_FUZZ_SEED`` draws a different family of
  mutants; every failure prints its seed, the mutation and the file.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from fuzz_mutants import IN_PROCESS, SUBPROCESS_ONLY, Mutant, mutant, renamed
from fuzz_oracle import FAILURES, judge, run_in_process, run_subprocess

# ---------------------------------------------------------------- depth

ROOT = Path(__file__).resolve().parents[2]
PROFILES = Path(__file__).resolve().parent / "profiles"
TARGETS = ("instance", "profile", "certificate")
DEEP = os.environ.get("PERSUASION_FUZZ", "") == "deep"
SEED = os.environ.get("PERSUASION_FUZZ_SEED", "0")
SCALE = float(os.environ.get("PERSUASION_FUZZ_COUNT", "1"))
IN_PROCESS_MUTANTS = round((250 if DEEP else 8) * SCALE)
"""Mutants per (target, class) run in-process."""
SUBPROCESS_MUTANTS = round((30 if DEEP else 2) * SCALE)
"""Mutants per (target, class) run through the console script."""
BOUND = 20.0
"""Seconds a run may take before it counts as a hang (the hang detector, not a speed test)."""
MAX_HANGS = 3 if DEEP else 1
"""A test stops after this many hangs: each one costs the whole bound."""
LOG = os.environ.get("PERSUASION_FUZZ_LOG")
"""A file to which every failure is appended, one line each (the report shows only the first
few)."""
TALLY: Counter = Counter()
"""(runner, command, outcome) -> runs; printed at the end of the session (tests/conftest.py)."""


@dataclass(frozen=True)
class Source:
    """A seed file to mutate and the valid files it is used with."""

    target: str
    path: Path
    instance: Path  # the instance it belongs to (itself for an instance)
    profile: Path | None


def _instance_of(profile: Path) -> Path:
    return ROOT / "instances" / (profile.name.split("--")[0] + ".json")


@pytest.fixture(scope="session")
def certificates(tmp_path_factory) -> list[Path]:
    """Every certificate ``persuasion certify INSTANCE --out DIR`` writes for two catalog games."""
    from fuzz_oracle import run_in_process as run

    out = tmp_path_factory.mktemp("certificates")
    for slug in ("judge-prosecutor", "two-prosecutors-selection"):
        done = run(
            ["certify", str(ROOT / "instances" / f"{slug}.json"), "--out", str(out / slug)], 120
        )
        assert done.code == 0, done
    found = sorted(out.glob("*/*.json"))
    assert found, f"certify wrote no certificate under {out}"
    return found


def _sources(target: str, certificates: list[Path]) -> list[Source]:
    profiles = sorted(PROFILES.glob("*.json"))
    if target == "instance":
        return [Source(target, _instance_of(p), _instance_of(p), p) for p in profiles]
    if target == "profile":
        return [Source(target, p, _instance_of(p), p) for p in profiles]
    return [Source(target, c, c, None) for c in certificates]


def _command(
    rng: random.Random,
    source: Source,
    file: str,
    companion: str | None = None,
    solve_share: float = 0.2,
) -> tuple[list[str], bool, list[str]]:
    """argv, whether it asks for --json, and the files it names: mostly verify, some solve, check.

    ``companion`` replaces the unmutated partner file (a renamed copy of it).  ``solve``
    needs no profile, so it is the command that meets a grown instance (30 senders)."""
    if source.target == "certificate":
        return ["check", file], False, [file]
    as_json = rng.random() < 0.5
    flag = ["--json"] if as_json else []
    instance = file if source.target == "instance" else companion or str(source.instance)
    profile = file if source.target == "profile" else companion or str(source.profile)
    if rng.random() < solve_share:
        argv = ["solve", instance] + (["--start", profile] if source.target == "profile" else [])
    else:
        argv = ["verify", instance, profile]
    return argv + flag, as_json, [instance, profile]


def fuzz(
    target: str, cls: str, count: int, runner, tmp_path: Path, certificates: list[Path]
) -> list[str]:
    """Run ``count`` mutants; return a report line for every failure."""
    sources = _sources(target, certificates)
    failures: list[str] = []
    hangs = 0
    name = "in-process" if runner is run_in_process else "subprocess"
    for i in range(count):
        seed = f"{SEED}/{target}/{cls}/{i}"
        rng = random.Random(seed)
        source = rng.choice(sources)
        kind = rng.choice(IN_PROCESS) if cls == "mixed" else cls
        made: Mutant = mutant(seed, kind, source.path.read_bytes())
        folder = tmp_path / str(i)
        folder.mkdir()
        file = folder / source.path.name
        file.write_bytes(made.data)
        companion = None
        partner = source.profile if source.target == "instance" else source.instance
        if (
            made.rename and source.target != "certificate"
        ):  # keep the pair consistent: reach the solver
            companion = folder / ("companion-" + partner.name)
            companion.write_bytes(renamed(partner.read_bytes(), made.rename))
        argv, as_json, files = _command(
            rng,
            source,
            str(file),
            companion and str(companion),
            solve_share=0.5 if kind == "size" else 0.2,
        )
        run = runner(argv, BOUND)
        outcome, detail = judge(
            run,
            command=argv[0],
            as_json=as_json,
            files=files,
            must_refuse=made.must_refuse,
            bound=BOUND,
        )
        TALLY[(name, argv[0], outcome)] += 1
        if outcome in FAILURES:
            failures.append(
                f"[{outcome}] seed {seed!r} ({kind}): {made.label}\n"
                f"    persuasion {' '.join(argv)}\n    {detail}\n    mutant: {made.preview(200)!r}"
            )
            if LOG:
                with open(LOG, "a", encoding="utf-8") as log:
                    log.write(failures[-1].replace("\n", " | ") + "\n")
            hangs += outcome == "hang"
            if hangs >= MAX_HANGS:
                failures.append(f"(stopped after {hangs} hang(s), {i + 1} of {count} mutants run)")
                break
    return failures


def _cases(classes: tuple[str, ...]) -> list:
    return [
        pytest.param(target, cls, id=f"{target}-{cls}") for target in TARGETS for cls in classes
    ]


def _report(failures: list[str]) -> str:
    shown = failures[:12]
    more = f"\n... and {len(failures) - len(shown)} more" if len(failures) > len(shown) else ""
    return f"{len(failures)} failure(s):\n" + "\n".join(shown) + more


@pytest.mark.parametrize("target, cls", _cases(IN_PROCESS))
def test_in_process(target, cls, tmp_path, certificates):
    """Small mutants through ``persuasion.cli.main``: clean or one line naming the file, in time."""
    failures = fuzz(target, cls, IN_PROCESS_MUTANTS, run_in_process, tmp_path, certificates)
    assert not failures, _report(failures)


@pytest.mark.parametrize("target, cls", _cases(SUBPROCESS_ONLY + ("mixed",)))
def test_console_script(target, cls, tmp_path, certificates):
    """Huge numbers, huge sizes and a sample of every other class through the installed script."""
    failures = fuzz(target, cls, SUBPROCESS_MUTANTS, run_subprocess, tmp_path, certificates)
    assert not failures, _report(failures)


def test_unmutated_sources_are_clean(tmp_path, certificates):
    """The oracle's baseline: every seed file itself ends clean, so each failure is the
    mutation's."""
    for target in TARGETS:
        for source in _sources(target, certificates):
            argv, as_json, files = _command(random.Random(0), source, str(source.path))
            run = run_in_process(
                argv + (["--json"] if not as_json and argv[0] != "check" else []), BOUND
            )
            outcome, detail = judge(
                run,
                command=argv[0],
                as_json=argv[0] != "check",
                files=files,
                must_refuse=False,
                bound=BOUND,
            )
            assert outcome == "clean", (argv, outcome, detail)


@pytest.mark.parametrize("command", [pytest.param(c, id=c) for c in ("verify", "solve", "check")])
def test_console_script_baseline(command, certificates):
    """The unmutated files through the installed script end clean (``--json``: one JSON object, no
    banner)."""
    if command == "check":
        argv, files = ["check", str(certificates[0])], [str(certificates[0])]
    else:
        profile = PROFILES / "judge-prosecutor--oblivious.json"
        instance = str(_instance_of(profile))
        argv = ["verify", instance, str(profile)] if command == "verify" else ["solve", instance]
        argv, files = argv + ["--json"], [instance, str(profile)]
    outcome, detail = judge(
        run_subprocess(argv, BOUND),
        command=command,
        as_json=command != "check",
        files=files,
        must_refuse=False,
        bound=BOUND,
    )
    assert outcome == "clean", detail
