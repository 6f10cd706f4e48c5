"""The `eventwire` command: a thin Typer layer over the library.

Commands parse arguments, call library functions and print. Usage errors exit 2 (Click);
runtime failures exit 1 with one line saying what to fix; a batch with rejected inputs exits 1
only when nothing at all could be processed. Record-producing commands write JSONL to stdout
so stages pipe together; progress and summaries go to stderr.
"""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.text import Text

from ..config import Settings, load_settings
from ..errors import EventwireError

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="Raw security and defence news in; PLOVER/ACLED/CAMEO-coded events out. Offline.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
err = Console(stderr=True)


def _out() -> Console:
    """Console for tables: piped output (make demo in CI, `| less`) gets a readable width."""
    c = Console()
    return c if c.is_terminal else Console(width=160)


def _input_formats() -> list[str]:
    """``auto`` and every registered input format (plug-ins included): the one list."""
    from ..ingest import input_formats

    return ["auto", *input_formats()]


def _input_format_help() -> str:
    try:
        return " | ".join(_input_formats()) + "."
    except EventwireError:  # a plug-in that fails to load: every command using it says so, in one line
        return "auto or a registered input format (a plug-in failed to load)."


INPUT_FORMAT_HELP = _input_format_help()


def _export_format_help() -> str:
    """The registered exporters (plug-ins included), as the API's ``format`` lists them."""
    from ..export import formats

    try:
        return " | ".join(formats()) + "."
    except EventwireError:  # a plug-in that fails to load: `export` says so, in one line
        return "a registered export format (a plug-in failed to load)."


EXPORT_FORMAT_HELP = _export_format_help()


class State:
    config: str | None = None
    db: str | None = None

    def settings(self, **overrides: Any) -> Settings:
        return load_settings(self.config, db=self.db, **overrides)


state = State()


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        sys.stdout.write(f"eventwire {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    config: Path | None = typer.Option(None, "--config", help="TOML settings file (else EVENTWIRE_CONFIG, ./eventwire.toml)."),
    db: str | None = typer.Option(None, "--db", help="Store URL (else EVENTWIRE_DB, default sqlite:///eventwire.db)."),
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    state.config = str(config) if config else None
    state.db = db


def _emit(obj: dict[str, Any], jsonl: bool) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=None if jsonl else 2) + "\n")


def _check_format(input_format: str) -> None:
    valid = _input_formats()
    if input_format not in valid:
        raise typer.BadParameter(f"choose one of {', '.join(valid)}", param_hint="--input-format")


def _report_rejection(r: Any) -> None:
    # Text, not markup: file names and reasons may contain [brackets].
    err.print(Text.assemble(("rejected ", "yellow"), str(r)), soft_wrap=True)


# ------------------------------------------------------------------------------------ ingest
@app.command()
def ingest(
    paths: list[str] = typer.Argument(None, help="Files, directories (recursive), globs, URLs, or - for stdin."),
    feed: list[str] = typer.Option([], "--feed", help="RSS/Atom feed URL or file to read (repeatable)."),
    input_format: str = typer.Option("auto", "--input-format", help=INPUT_FORMAT_HELP),
    plain: bool = typer.Option(False, "--plain", help="Each input is one article body, kept byte for byte."),
    executor: str | None = typer.Option(None, "--executor", help="local (default) or dask."),
    workers: int | None = typer.Option(None, "--workers", min=1, help="Worker processes for the executor."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address, tcp://HOST:8786."),
    replace: bool = typer.Option(False, "--replace", help="Re-process and overwrite articles already stored."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Read, clean, analyse and store news; print what was stored."""
    _check_format(input_format)
    if not paths and not feed:
        raise typer.BadParameter("give at least one PATH or --feed", param_hint="PATHS")
    settings = state.settings(executor=executor, workers=workers, scheduler=scheduler)
    from ..batch import IngestAborted, ingest_with
    from ..batch import ingest as run_ingest
    from ..ingest import read
    from ..kb import KnowledgeBase
    from ..store import Store
    from .progress import progress_for

    store = Store(settings.db)
    raws: Any = read(paths or [], settings, input_format=input_format, plain=plain)
    if feed:
        from itertools import chain

        from ..ingest.feeds import read_feed

        raws = chain(raws, *(read_feed(f, settings) for f in feed))
    store.load_entities(KnowledgeBase.load(settings.kb_paths).entities())
    try:
        with progress_for(err, "ingesting") as on_progress:
            if settings.executor == "local" and settings.workers == 1:
                report = run_ingest(raws, settings, store, replace=replace, on_progress=on_progress)
            else:
                from ..exec import get_executor

                with get_executor(settings) as ex:
                    report = ingest_with(ex, raws, settings, store, replace=replace, on_progress=on_progress)
    except IngestAborted as exc:  # a full disk: show what was rejected before it; main() prints the error
        for r in exc.report.rejected:
            _report_rejection(r)
        raise
    for r in report.rejected:
        _report_rejection(r)
    # A source event is one article's account; `eventwire events` lists the merged events
    # (one per real-world action) above the confidence floor: say that number too.
    from ..store.query import EventFilter, count_events

    listed = count_events(store, EventFilter(min_confidence=settings.min_confidence))
    if as_json:
        _emit(report.to_dict() | {"events_listed": listed, "min_confidence": settings.min_confidence}, jsonl=False)
    else:
        err.print(
            f"{report.documents} documents read · {report.articles} articles · "
            f"[green]{report.new} new[/] · {report.already} already stored · "
            f"{report.duplicates} near-duplicates · {report.events} source events · "
            f"{'[red]' if report.rejected else ''}{len(report.rejected)} rejected{'[/]' if report.rejected else ''}"
            f" → {store.url if store.url.startswith('sqlite') else store.dialect}"
        )
        err.print(f"{listed} events in the store, one per real-world action at confidence ≥ "
                  f"{settings.min_confidence:g}: `eventwire events` lists them", soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)


# ------------------------------------------------------------------------------------ split / extract
def _stream(paths: list[str], input_format: str, plain: bool, stages: tuple[str, ...], jsonl: bool,
            progress: str | None = None) -> None:
    from types import SimpleNamespace

    from ..ingest import read
    from ..pipeline import Pipeline
    from ..records import Rejection
    from . import progress as _progress

    _check_format(input_format)
    settings = state.settings()
    good = bad = 0
    with (_progress.progress_for(err, progress) if progress else nullcontext()) as on_progress:
        for item in Pipeline(settings, stages=stages).run(read(paths, settings, input_format=input_format, plain=plain)):
            if isinstance(item, Rejection):
                bad += 1
                _report_rejection(item)
                continue
            good += 1
            out = item.to_dict() if "nlp" in stages else item.article.to_dict()
            if out.get("external_id"):
                # Nothing is stored here: the output names each article by the input's own id, so
                # that outputs match inputs (scorers, joins); the content id is the store's.
                out["id"] = out["external_id"]
            _emit(out, jsonl)
            if on_progress:
                on_progress(SimpleNamespace(articles=good))
    if bad and not good:
        raise typer.Exit(1)


@app.command()
def split(
    paths: list[str] = typer.Argument(..., help="Files, directories, globs, or - for stdin."),
    jsonl: bool = typer.Option(False, "--jsonl", help="One compact JSON object per line."),
    input_format: str = typer.Option("auto", "--input-format", help=INPUT_FORMAT_HELP),
    explain: bool = typer.Option(
        False, "--explain", help='Per file, on stderr: the boundaries found and every line dropped as furniture, '
        'with why; each article\'s JSON gets a "dropped" list.'),
) -> None:
    """Split and clean raw dumps into articles without storing them (JSON per article)."""
    if explain:
        _split_explained(paths, input_format, jsonl)
        return
    _stream(paths, input_format, False, ("clean",), jsonl)


def _split_explained(paths: list[str], input_format: str, jsonl: bool) -> None:
    from ..clean import clean, explain_text
    from ..errors import InputError
    from ..ingest import read
    from ..records import Rejection

    _check_format(input_format)
    settings = state.settings()
    good = bad = 0
    for raw in read(paths, settings, input_format=input_format):
        if isinstance(raw, Rejection):
            bad += 1
            _report_rejection(raw)
            continue
        try:
            arts, report = explain_text(raw) if raw.kind == "text" else (clean(raw, settings), None)
        except InputError as exc:
            bad += 1
            _report_rejection(Rejection(raw.source, exc.reason, exc.line, stage="clean"))
            continue
        for k, a in enumerate(arts):
            good += 1
            _emit({**a.to_dict(), **({"dropped": report["articles"][k]["dropped"]} if report else {})}, jsonl)
        if report is None:
            err.print(Text(f"{raw.source}: {raw.kind} input, {len(arts)} article(s); line accounting is for text dumps"))
            continue
        lines = [f"{report['source']}: {report['lines']} lines → {len(arts)} article(s)"]
        lines += [f"  repaired: {n}" for n in report["repairs"]]
        lines += [f"  line {s['line']}: new section ({', '.join(s['signals'])}; score {s['score']})"
                  for s in report["sections"][1:]]
        for k, a in enumerate(report["articles"], start=1):
            lines.append(f"  article {k} {a['title']!r} [{a['language']}]: "
                         + ", ".join(f"{n} {role}" for role, n in a["lines"].items()))
            lines += [f"    dropped line {d['line']}: {d['text'][:70]!r} ({d['why']})" for d in a["dropped"]]
        lines += [f"  dropped line {d['line']}: {d['text'][:70]!r} ({d['why']})" for d in report["dropped"]]
        err.print(Text("\n".join(lines)), soft_wrap=True)
    if bad and not good:
        raise typer.Exit(1)


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files, directories, globs, or - for stdin."),
    jsonl: bool = typer.Option(False, "--jsonl", help="One compact JSON object per line."),
    plain: bool = typer.Option(False, "--plain", help="Each input is one article body, kept byte for byte."),
    input_format: str = typer.Option("auto", "--input-format", help=INPUT_FORMAT_HELP),
) -> None:
    """Run the whole pipeline without storing: articles with mentions, places and events."""
    _stream(paths, input_format, plain, ("clean", "nlp", "geo", "events"), jsonl, progress="extracting")


# ------------------------------------------------------------------------------------ reading the store
@app.command()
def articles(
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table."),
    limit: int = typer.Option(50, "--limit", min=1),
    offset: int = typer.Option(0, "--offset", min=0),
    external_id: str | None = typer.Option(
        None, "--external-id", help="Only articles stored under this id of yours (the JSONL \"id\"), exact."),
) -> None:
    """List stored articles, newest first."""
    from ..store import Store
    from .render import articles_table

    store = Store(state.settings().db)
    rows = store.articles(limit=limit, offset=offset, external_id=external_id)
    if as_json:
        for r in rows:
            _emit(r, jsonl=True)
        return
    _out().print(articles_table(rows, store.count()))


@app.command()
def show(
    article_id: str = typer.Argument(..., help="Article id (a unique prefix is enough)."),
    as_json: bool = typer.Option(False, "--json", help="The stored record as JSON."),
) -> None:
    """Show one stored article with its entities, places, claims and events."""
    from ..store import Store
    from .render import article_view

    rec = Store(state.settings().db).article(article_id)
    if as_json:
        _emit(rec, jsonl=False)
        return
    article_view(_out(), rec)


@app.command()
def delete(
    article_ids: list[str] = typer.Argument(..., help="Article ids (a unique prefix is enough)."),
) -> None:
    """Remove stored articles; their stories and merged events are updated."""
    from ..store import Store

    store = Store(state.settings().db)
    for aid in article_ids:
        err.print(f"deleted {store.delete(aid)}")


@app.command()
def dump(
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (default stdout)."),
) -> None:
    """Write the whole store (articles, events, actors, stories, merged events, links) as JSONL."""
    from ..store import Store
    from ..store.dump import dump as dump_store

    store = Store(state.settings().db)
    if output is None:
        counts = dump_store(store, sys.stdout)
    else:
        tmp = output.with_name(output.name + ".part")
        with open(tmp, "w", encoding="utf-8") as fh:  # a failed dump never leaves a partial file
            counts = dump_store(store, fh)
        tmp.replace(output)
    err.print(f"dumped {counts['articles']} articles, {counts['events']} events "
              f"({sum(counts.values())} rows) from {store.dialect}" + (f" to {output}" if output else ""))


@app.command()
def restore(
    path: str = typer.Argument(..., help="A file written by `eventwire dump`, or - for stdin."),
) -> None:
    """Load a dump into an empty store (all or nothing)."""
    from ..store import Store
    from ..store.dump import restore as restore_store

    store = Store(state.settings().db)
    if path == "-":
        counts = restore_store(store, sys.stdin, "-")
    else:
        try:
            fh = open(path, encoding="utf-8")
        except OSError as exc:
            raise typer.BadParameter(f"cannot read {path}: {exc.strerror}", param_hint="PATH") from exc
        with fh:
            counts = restore_store(store, fh, path)
    err.print(f"restored {counts['articles']} articles, {counts['events']} events "
              f"({sum(counts.values())} rows) into {store.dialect}")


@app.command()
def search(
    query: str = typer.Argument(..., help="Words to find in titles and bodies."),
    limit: int = typer.Option(20, "--limit", min=1),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table."),
) -> None:
    """Full-text search over stored articles."""
    from ..store import Store
    from .render import search_table

    rows = Store(state.settings().db).search(query, limit=limit)
    if as_json:
        for r in rows:
            _emit(r, jsonl=True)
        return
    _out().print(search_table(rows, query))


def _filter(type_: list[str], acled_type: list[str], country: list[str], actor: str | None,
            date_from: str | None, date_to: str | None, certainty: list[str], q: str | None,
            source_events: bool, min_confidence: float | None, settings: Settings) -> Any:
    """The filter of `events` / `export`; a value that names nothing is a usage error (exit 2)
    listing the valid ones, not an empty result."""
    from ..errors import FilterError
    from ..store import filter_values as fv
    from ..store.query import EventFilter

    try:
        return EventFilter(
            type=fv.plover_types("--type", type_), acled_event_type=fv.acled_event_types("--acled-type", acled_type),
            country=fv.countries("--country", country), actor=actor,
            date_from=fv.iso_date("--from", date_from), date_to=fv.iso_date("--to", date_to),
            certainty=fv.certainties("--certainty", certainty), q=q,
            canonical_only=not source_events,
            min_confidence=settings.min_confidence if min_confidence is None else min_confidence,
        )
    except FilterError as exc:
        raise typer.BadParameter(f"{exc.reason}; valid: {', '.join(exc.valid)}", param_hint=exc.param) from exc


def _hidden_note(store: Any, f: Any) -> str | None:
    """'N more below confidence X; --min-confidence 0 shows them', or None when none are hidden."""
    from ..store.query import count_below_confidence

    n = count_below_confidence(store, f)
    if not n:
        return None
    return f"{n} more below confidence {f.min_confidence:g}; --min-confidence 0 shows them"


SOURCE_EVENTS = typer.Option(
    False, "--source-events", help="Every source event, not one canonical event per real-world action."
)
MIN_CONFIDENCE = typer.Option(
    None, "--min-confidence", min=0.0, max=1.0, metavar="FLOAT",
    help="Hide events below this calibrated confidence, 0..1 (default: the min_confidence setting; 0 shows all).",
)


@app.command()
def events(
    type_: list[str] = typer.Option([], "--type", help="PLOVER type (repeatable)."),
    acled_type: list[str] = typer.Option([], "--acled-type", help="ACLED event type, e.g. Battles (repeatable)."),
    country: list[str] = typer.Option(
        [], "--country", help="Country of the event place: ISO alpha-3 or name, e.g. SYR or Syria (repeatable)."),
    actor: str | None = typer.Option(None, "--actor", help="Actor entity id or name."),
    date_from: str | None = typer.Option(None, "--from", help="Earliest date, YYYY-MM-DD."),
    date_to: str | None = typer.Option(None, "--to", help="Latest date, YYYY-MM-DD."),
    certainty: list[str] = typer.Option([], "--certainty", help="asserted, reported, hedged, predicted, denied."),
    q: str | None = typer.Option(None, "--q", help="Full-text query over source articles."),
    limit: int = typer.Option(100, "--limit", min=1),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table."),
    source_events: bool = SOURCE_EVENTS,
    min_confidence: float | None = MIN_CONFIDENCE,
) -> None:
    """List stored events (filters combine with AND)."""
    from ..store import Store
    from ..store.query import count_events, list_events
    from .render import events_table

    settings = state.settings()
    store = Store(settings.db)
    f = _filter(type_, acled_type, country, actor, date_from, date_to, certainty, q, source_events, min_confidence, settings)
    rows = list_events(store, f, limit=limit, sort="date", desc=False)
    note = _hidden_note(store, f)
    if as_json:
        for r in rows:
            _emit(r, jsonl=True)
        if note:
            err.print(note, soft_wrap=True)
        return
    _out().print(events_table(rows, count_events(store, f), note))


# ------------------------------------------------------------------------------------ eval / serve / export / watch
@app.command("eval")
def eval_(
    task: str = typer.Argument(..., help="extraction | ner | geo | events | clusters"),
    data: list[Path] = typer.Option([], "--data", help="Gold data path (repeatable); defaults to ../shared/data/dev/…"),
    predictions: Path | None = typer.Option(None, "--predictions", help="clusters: write {doc, cluster} JSONL here."),
    check: bool = typer.Option(False, "--check", help="Exit 1 when a metric is below its pinned floor."),
    coder: str | None = typer.Option(None, "--coder", help="events: coder to score (default: the setting's)."),
    model: Path | None = typer.Option(None, "--model", help="events: model file written by `eventwire train`."),
    split: str | None = typer.Option(None, "--split", help="events, labelled JSONL: only this split (train/dev/test)."),
) -> None:
    """Score a stage against public gold data or labelled JSONL; prints JSON metrics."""
    from .. import eval as ev

    if task not in ev.TASKS:
        raise typer.BadParameter(f"choose one of {', '.join(ev.TASKS)}", param_hint="TASK")
    if split is not None and split not in ("train", "dev", "test"):
        raise typer.BadParameter("choose one of train, dev, test", param_hint="--split")
    if coder is not None:
        from ..events import coder_names

        if coder not in coder_names():
            raise typer.BadParameter(f"choose one of {', '.join(coder_names())}", param_hint="--coder")
    paths = list(data) or [Path(p) for p in ev.DEFAULT_DATA[task]]
    opts: dict[str, Any] = {}
    if predictions:
        opts["predictions"] = str(predictions)
    for k, v in (("coder", coder), ("model", str(model) if model else None), ("split", split)):
        if v is not None:
            opts[k] = v
    metrics = ev.run(task, paths, state.settings(), **opts)
    _emit(metrics, jsonl=False)
    if task == "ner":  # the side-by-side with bare en_core_web_sm, readable
        from ..eval.ner import table

        err.print(Text(table(metrics)), soft_wrap=True)
    failures = ev.below_floors(task, metrics, missing_ok=bool(data))
    for f in failures:
        err.print(f"[red]below floor[/] {f}")
    if check and failures:
        raise typer.Exit(1)


@app.command()
def train(
    data: list[Path] = typer.Option([], "--data", help="Your labelled JSONL (corpus schema, docs/annotation.md); repeatable."),
    out: Path = typer.Option(Path("eventwire-model.npz"), "--out", "-o", help="Model file to write."),
    family: str = typer.Option("tfidf+minilm", "--family", help="tfidf+minilm (best) or tfidf (no encoder, fastest)."),
    shipped: bool = typer.Option(True, "--shipped/--no-shipped", help="Train on the shipped corpus too."),
    data_root: Path | None = typer.Option(None, "--data-root", help="Root of the corpus's referenced sentences (default ../shared/data)."),
) -> None:
    """Train the event classifier on the shipped corpus plus your labelled sentences.

    Sentences without a "split" train; put some in "dev" to calibrate on them. Select the result
    with `coder_model = "PATH"` (or EVENTWIRE_CODER_MODEL=PATH).
    """
    from ..errors import InputError
    from ..events import classifier, corpus, training

    if family not in classifier.FAMILIES:
        raise typer.BadParameter(f"choose one of {', '.join(classifier.FAMILIES)}", param_hint="--family")
    skipped: list[InputError] = []
    root = data_root or corpus.default_data_root()
    examples = training.load_examples(data, root, shipped=shipped, errors=skipped)
    if skipped:
        err.print(f"[yellow]{len(skipped)} shipped corpus lines skipped[/] (first: {skipped[0]})", soft_wrap=True)
    err.print(f"training on {sum(e.split == 'train' for e in examples)} sentences, calibrating on "
              f"{sum(e.split == 'dev' for e in examples)} ({family})")  # fmt: skip
    model = training.train(examples, family=family)
    model.save(out)
    test = [e for e in examples if e.split == "test"]
    report: dict[str, Any] = {"model": str(out), "family": family, "meta": model.meta}
    if test:
        s = training.score(model, test, emb=training.embeddings(model, test))
        report["test"] = {k: s[k] for k in ("sentences", "event_detection", "plover_top1_on_events",
                                            "non_acled_coded_as_violence_or_protest")}  # fmt: skip
        report["test"]["acled_sub_weighted_f1"] = (s["acled_sub_event_on_acled_events"] or {}).get("weighted_f1")
        report["test"]["ece"] = s["calibration"]["ece"]
    _emit(report, jsonl=False)
    err.print(f"model written to {out}; use it with EVENTWIRE_CODER_MODEL={out}")


@app.command()
def serve(
    host: str | None = typer.Option(None, "--host", help="Address to bind (default 127.0.0.1)."),
    port: int | None = typer.Option(None, "--port", help="Port (default 8000)."),
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the web UI."""
    import copy

    import uvicorn

    from ..serve import create_app
    from ..serve.security import write_tokens

    settings = state.settings(host=host, port=port)
    err.print(f"eventwire on http://{settings.host}:{settings.port}/  (API docs at /docs)")
    # uvicorn's logging, with secrets in query strings (?token=…, the server's token) redacted
    # from the access log.
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config.setdefault("filters", {})["redact"] = {
        "()": "eventwire.serve.security.RedactQuery", "token": list(write_tokens(settings))}
    log_config["handlers"]["access"]["filters"] = ["redact"]
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info",
                log_config=log_config)


@app.command()
def export(
    format: str = typer.Option(..., "--format", "-f", help=EXPORT_FORMAT_HELP),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (default stdout; parquet needs -o)."),
    type_: list[str] = typer.Option([], "--type", help="PLOVER type (repeatable)."),
    acled_type: list[str] = typer.Option([], "--acled-type", help="ACLED event type, e.g. Battles (repeatable)."),
    country: list[str] = typer.Option(
        [], "--country", help="Country of the event place: ISO alpha-3 or name, e.g. SYR or Syria (repeatable)."),
    actor: str | None = typer.Option(None, "--actor", help="Actor entity id or name."),
    date_from: str | None = typer.Option(None, "--from", help="Earliest date, YYYY-MM-DD."),
    date_to: str | None = typer.Option(None, "--to", help="Latest date, YYYY-MM-DD."),
    certainty: list[str] = typer.Option([], "--certainty", help="Certainty (repeatable)."),
    q: str | None = typer.Option(None, "--q", help="Full-text query over source articles."),
    source_events: bool = SOURCE_EVENTS,
    min_confidence: float | None = MIN_CONFIDENCE,
    reviewed: str | None = typer.Option(None, "--reviewed", help="only: reviewed events; exclude: unreviewed ones."),
    rejected: str = typer.Option("hide", "--rejected", help="Rejected / out-of-scope events: hide, include or only."),
) -> None:
    """Export stored events in the field's formats (streams; constant memory). Reviewed events
    carry their reviewed values (docs/api.md, Reviews)."""
    from ..export import formats, write
    from ..store import Store

    if format not in formats():
        raise typer.BadParameter(f"choose one of {', '.join(formats())}", param_hint="--format")
    settings = state.settings()
    store = Store(settings.db)
    f = _filter(type_, acled_type, country, actor, date_from, date_to, certainty, q, source_events, min_confidence, settings)
    f = _review_filter(f, reviewed, rejected)
    n = write(store, format, output if output else sys.stdout, f)
    note = _hidden_note(store, f)
    err.print(f"{n} events written{f' to {output}' if output else ''}" + (f" ({note})" if note else ""),
              soft_wrap=True)


@app.command()
def watch(
    feeds: Path = typer.Argument(..., help="Text file with one feed URL per line."),
    every: str = typer.Option("15m", "--every", help="Interval: 30s, 15m, 1h."),
    iterations: int | None = typer.Option(None, "--iterations", min=1, help="Stop after N rounds."),
) -> None:
    """Poll feeds on an interval and ingest new items (conditional requests; no refetching)."""
    from ..batch import ingest as run_ingest
    from ..ingest.feeds import parse_duration
    from ..ingest.feeds import watch as watch_feeds
    from ..store import Store

    settings = state.settings()
    store = Store(settings.db)

    def on_batch(raws: Any) -> None:
        rep = run_ingest(raws, settings, store)
        for r in rep.rejected:
            _report_rejection(r)
        err.print(f"{rep.new} new · {rep.already} already stored · {len(rep.rejected)} rejected")

    watch_feeds(str(feeds), parse_duration(every), settings, on_batch, max_iterations=iterations)


def _review_filter(f: Any, reviewed: str | None, rejected: str) -> Any:
    from dataclasses import replace

    from ..store.reviews import REJECTED, REVIEWED

    if reviewed is not None and reviewed not in REVIEWED:
        raise typer.BadParameter(f"choose one of {', '.join(REVIEWED)}", param_hint="--reviewed")
    if rejected not in REJECTED:
        raise typer.BadParameter(f"choose one of {', '.join(REJECTED)}", param_hint="--rejected")
    return replace(f, reviewed=reviewed, rejected=rejected)


from .reviews import reviews_app  # noqa: E402 - the subcommands use this module's state

app.add_typer(reviews_app, name="reviews")


def main() -> None:
    """Entry point: library errors become one line on stderr and exit 1."""
    try:
        app(standalone_mode=True)
    except EventwireError as exc:
        err.print(Text.assemble(("error: ", "red"), str(exc)), soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
