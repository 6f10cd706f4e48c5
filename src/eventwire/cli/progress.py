"""A Rich progress display for `ingest` and `extract`: articles done, articles/s, elapsed time.

Shown only when both the console it draws on (stderr) and stdout are terminals: piped or
redirected output (CI logs, ``| jq``, ``> out.jsonl``) gets no control characters at all. While it
runs, anything written to stdout is printed above the bar (Rich's stdout redirection), so
`extract`'s JSON on a terminal stays readable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import Progress, ProgressColumn, SpinnerColumn, Task, TextColumn, TimeElapsedColumn
from rich.text import Text


class _Rate(ProgressColumn):
    """Articles per second since the first report, so the model loading before it (~20 s on
    the 2-core machine) does not count; "–" until there are two reports to measure between."""

    def render(self, task: Task) -> Text:
        start = task.fields.get("start")
        done, dt = (task.completed - start[0], task.get_time() - start[1]) if start else (0.0, 0.0)
        if done <= 0 or dt <= 0:
            return Text("– articles/s", style="progress.data.speed")
        return Text(f"{done / dt:.1f} articles/s", style="progress.data.speed")


@contextmanager
def progress_for(console: Console, label: str = "ingesting",
                 stdout_tty: bool | None = None) -> Iterator[Callable[[Any], None] | None]:
    """Yield ``update(report)`` (anything with ``.articles``; an ingest report's other counts are
    shown too), or None when the output is not a terminal. ``stdout_tty`` defaults to
    ``sys.stdout.isatty()``."""
    tty = sys.stdout.isatty() if stdout_tty is None else stdout_tty
    if not (console.is_terminal and tty):
        yield None
        return
    # Counts and rate first: on a narrow terminal Rich shortens the last column, the details.
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:.0f} articles"),
        _Rate(), TimeElapsedColumn(), TextColumn("[dim]{task.fields[detail]}"),
        console=console, transient=True, redirect_stdout=True,
    ) as prog:
        # Until the first batch is done the time goes mostly to loading the language models.
        task = prog.add_task(label, total=None, detail="loading models")

        def update(report: Any) -> None:
            detail = ""
            if hasattr(report, "new"):
                detail = (f"{report.documents} documents · {report.new} new · {report.events} source events"
                          f" · {len(report.rejected)} rejected")
            start = prog.tasks[0].fields.get("start") or (report.articles, prog.get_time())
            prog.update(task, completed=report.articles, detail=detail, start=start)
            prog.refresh()

        yield update
