"""What a long ``persuasion solve`` shows on stderr while it works.

Best-response dynamics (:func:`persuasion.equilibrium.best_response_dynamics`)
call a progress function before every best response with a
:class:`~persuasion.equilibrium.Step`.  :class:`SolveProgress` turns those
calls into a display:

- on a terminal, a live line drawn by ``rich`` (imported here only, and only
  when the display is shown): the start profile, the round, the sender whose
  best response is being computed, the smallest exact Nash gap met so far and
  the time spent, against the time limit;
- elsewhere (``--progress`` with stderr a file or a pipe), one plain line per
  round, which reads well in a log.

The command line decides whether to show it (``--progress``, ``--no-progress``;
by default only on a terminal and without ``--json``).  Numbers shown here are
for reading only: the report carries the exact ones.
"""

from __future__ import annotations

import time
from typing import TextIO

from persuasion.equilibrium import Step
from persuasion.render import approx


class SolveProgress:
    """A context manager and progress function (``progress(step)``) for one solve.

    ``senders`` names the senders; ``live`` draws a rich live display on
    ``stream`` (a terminal), otherwise a plain line per round is written.
    ``time_limit`` (seconds, or None) is shown beside the time spent.
    """

    def __init__(
        self,
        stream: TextIO,
        senders: list[str],
        *,
        live: bool,
        max_rounds: int,
        time_limit: float | None,
        clock=time.monotonic,
    ) -> None:
        self.stream = stream
        self.senders = senders
        self.live = live
        self.max_rounds = max_rounds
        self.limit = "" if time_limit is None else f" (limit {time_limit:g} s)"
        self.clock = clock
        self.began = clock()
        self.last: tuple[str, int] | None = None
        self.display = None

    def __enter__(self) -> SolveProgress:
        if self.live:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.display = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                TextColumn(self.limit.strip()),
                console=Console(file=self.stream),
                transient=True,
            )
            self.task = self.display.add_task("solve: benchmarks (OPT, U_A(C*), eps)", total=None)
            self.display.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.display is not None:
            self.display.stop()

    def describe(self, step: Step) -> str:
        """One short line about ``step``: where the dynamics are and the best exact gap met."""
        gap = "-" if step.best_gap is None else f"~{approx(step.best_gap)}"
        sender = self.senders[step.sender]
        what = f"gap: {sender}" if step.judging else f"{sender} moves"
        start = f" ({step.start})" if step.start else ""
        return f"solve{start}: round {step.round}/{self.max_rounds}, {what}, best gap {gap}"

    def __call__(self, step: Step) -> None:
        if self.display is not None:
            self.display.update(self.task, description=self.describe(step))
            return
        if self.last != (step.start, step.round):  # a plain line per round
            self.last = (step.start, step.round)
            seconds = self.clock() - self.began
            self.stream.write(f"{self.describe(step)} [{seconds:.1f} s{self.limit}]\n")
            self.stream.flush()
