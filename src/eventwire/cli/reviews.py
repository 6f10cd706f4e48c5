"""`eventwire reviews …`: the analysts' reviews (store/reviews.py) out of the store."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

reviews_app = typer.Typer(no_args_is_help=True, help="Reviews of events and articles (made in the web UI / API).")


@reviews_app.command("export")
def export_reviews(
    out: Path | None = typer.Option(None, "--out", "-o", help="Labelled JSONL to write (default stdout)."),
) -> None:
    """Write the reviews as labelled sentences for `eventwire train --data FILE` (corpus schema,
    docs/annotation.md): accepted and edited events are events of their reviewed type; rejected
    events and the events of out-of-scope articles are "no event" sentences."""
    from ..store import Store
    from ..store.reviews import training_records
    from . import err, state

    store = Store(state.settings().db)
    fh = open(out, "w", encoding="utf-8") if out else sys.stdout  # noqa: SIM115 - closed below
    n = pos = 0
    try:
        for rec in training_records(store):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
            pos += rec["event"]
    finally:
        if out:
            fh.close()
        store.close()
    err.print(f"{n} labelled sentences ({pos} events, {n - pos} not events) written{f' to {out}' if out else ''}; "
              f"train on them with `eventwire train --data {out or 'FILE'}`", soft_wrap=True)


@reviews_app.command("list")
def list_reviews(
    limit: int = typer.Option(50, "--limit", min=1, max=10_000, help="How many, newest first."),
    reviewer: str | None = typer.Option(None, "--reviewer", help="Only this reviewer's."),
) -> None:
    """The review history, newest first, as JSON lines."""
    from ..store import Store
    from ..store.reviews import list_reviews as history
    from . import state

    with Store(state.settings().db) as store:
        for item in history(store, limit=limit, reviewer=reviewer)["items"]:
            sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
