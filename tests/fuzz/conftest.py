"""Prints the fuzzing suite's tally: runs per runner, command and outcome (issue 7, point 7).

Shown at the end of a session run without pytest-xdist workers (``-p no:xdist``
or ``-n 0``); under xdist each worker keeps its own tally and none is shown.
"""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter):
    import sys

    module = sys.modules.get("test_fuzz")
    tally = getattr(module, "TALLY", None)
    if not tally:
        return
    write = terminalreporter.write_line
    terminalreporter.section("fuzz tally (runner, command, outcome: runs)")
    for (runner, command, outcome), runs in sorted(tally.items()):
        write(f"{runner:11} {command:7} {outcome:9} {runs}")
    write(f"total runs: {sum(tally.values())}")
