"""A CLI that says what it is doing (issue 15.5): `--version`; a progress bar with articles/s on
`ingest` and `extract` when the output is a terminal, and nothing at all when it is piped."""

from __future__ import annotations

import io
import re
import time
from types import SimpleNamespace

from rich.console import Console
from typer.testing import CliRunner

from eventwire import __version__
from eventwire.cli import app


def test_version() -> None:
    for flag in ("--version", "-V"):
        r = CliRunner().invoke(app, [flag])
        assert r.exit_code == 0, r.output
        assert r.stdout.strip() == f"eventwire {__version__}"


def _report(articles: int) -> SimpleNamespace:
    return SimpleNamespace(documents=articles, articles=articles, new=articles, already=0, duplicates=0,
                           events=2 * articles, rejected=[])


def test_progress_shows_articles_per_second_on_a_terminal() -> None:
    from eventwire.cli.progress import progress_for

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=200)
    with progress_for(console, "ingesting", stdout_tty=True) as on_progress:
        assert on_progress is not None
        on_progress(_report(2))  # the first report (after the models load) starts the clock
        time.sleep(0.05)  # not a timing assertion: the rate needs a non-zero time between reports
        on_progress(_report(12))
    out = buf.getvalue()
    assert "ingesting" in out and "12 articles" in out and "12 source events" not in out
    assert "24 source events" in out
    rates = [float(r) for r in re.findall(r"([0-9.]+) articles/s", out)]
    assert rates and rates[-1] > 0  # 10 articles over the time between the two reports


def test_progress_is_silent_when_piped() -> None:
    from eventwire.cli.progress import progress_for

    for term, tty in ((False, True), (True, False)):
        buf = io.StringIO()
        console = Console(file=buf, force_terminal=term, width=200)
        with progress_for(console, "extracting", stdout_tty=tty) as on_progress:
            assert on_progress is None
        assert buf.getvalue() == ""


def test_extract_reports_progress_per_article(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`extract` feeds the progress display one count per article it emits."""
    import contextlib

    import eventwire.cli.progress as progress
    from eventwire.pipeline import Pipeline

    seen: list[int] = []

    @contextlib.contextmanager
    def fake(console, label, stdout_tty=None):  # type: ignore[no-untyped-def]
        assert label == "extracting"
        yield lambda report: seen.append(report.articles)

    class Done:
        def __init__(self, n: int) -> None:
            self.n = n

        def to_dict(self) -> dict[str, object]:
            return {"n": self.n}

    monkeypatch.setattr(progress, "progress_for", fake)
    monkeypatch.setattr(Pipeline, "__init__", lambda self, *a, **k: None)
    monkeypatch.setattr(Pipeline, "run", lambda self, raws: iter([Done(1), Done(2), Done(3)]))
    (tmp_path / "a.txt").write_text("x")
    r = CliRunner().invoke(app, ["extract", "--jsonl", str(tmp_path / "a.txt")])
    assert r.exit_code == 0, r.output
    assert len(r.stdout.splitlines()) == 3 and seen == [1, 2, 3]
