"""A Rich progress display for long ingests, off when stderr is not a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


@contextmanager
def progress_for(console: Console) -> Iterator[Callable[[Any], None] | None]:
    if not console.is_terminal:
        yield None
        return
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=True
    ) as prog:
        task = prog.add_task("ingesting", total=None)

        def update(report: Any) -> None:
            prog.update(
                task,
                description=f"{report.documents} documents · {report.articles} articles · "
                f"{report.new} new · {report.events} events · {len(report.rejected)} rejected",
            )

        yield update
