"""One writer per format (issue 17.3): the API's downloads are the registered exporters, so
`GET /api/events?format=F` sends the bytes `eventwire export -f F` writes, spreadsheet formulas
made inert in the CSV-like ones by that one writer; the CLI's `--format`, the API's `format`
parameter and its OpenAPI enum list what the registry holds; a download streams."""

from __future__ import annotations

import csv
import dataclasses
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from eventwire import export, registry
from eventwire.cli import app as cli
from tests.serve.sample import spain

EVIL = '=HYPERLINK("http://evil.example","x")'
# Columns holding the export's own time (ACLED's timestamp, GDELT's DATEADDED): not compared.
CLOCK = {"acled-csv": "timestamp", "gdelt-tsv": 59}


@pytest.fixture
def own_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registrations made by a test stay in the test."""
    monkeypatch.setattr(registry, "_REGISTRIES", {k: dict(v) for k, v in registry._REGISTRIES.items()})


def _with_formula(store: Any) -> None:
    """An event whose actor (article text, untrusted) a spreadsheet would run as a formula."""
    from eventwire.records import EventActor

    r = spain()
    art = dataclasses.replace(r.article, id="formula-article")
    ev = dataclasses.replace(r.events[0], id="formula-event", article_id=art.id, acled_actors=None,
                             actors=(EventActor(EVIL, entity_id="evil", kind="armed_group", name=EVIL),
                                     EventActor("@SUM(1+1)")))
    store.upsert(dataclasses.replace(r, article=art, events=(ev,)))


def _cli_export(store: Any, fmt: str, out: Path) -> bytes:
    r = CliRunner().invoke(cli, ["--db", store.url, "export", "-f", fmt, "--min-confidence", "0", "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out.read_bytes()


def _rows(fmt: str, data: bytes) -> list[Any]:
    """The rows of a text export, the export's clock column left out."""
    text = data.decode("utf-8")
    if fmt == "gdelt-tsv":
        return [[c for i, c in enumerate(line.split("\t")) if i != CLOCK[fmt]] for line in text.splitlines()]
    if fmt == "acled-csv":
        return [{k: v for k, v in row.items() if k != CLOCK[fmt]} for row in csv.DictReader(io.StringIO(text))]
    return text.splitlines(keepends=True)


@pytest.mark.parametrize("fmt", registry.names("exporter"))
def test_download_is_the_cli_export(store: Any, make_client: Any, tmp_path: Path, fmt: str) -> None:
    _with_formula(store)
    c = make_client(store, min_confidence=0)
    r = c.get("/api/events", params={"format": fmt, "sort": "date"})
    assert r.status_code == 200, r.text
    cli_bytes = _cli_export(store, fmt, tmp_path / f"out.{fmt}")
    if cli_bytes[:4] == b"PAR1":  # Parquet: the same table (detail: the stored JSON's spelling differs)
        api_t, cli_t = (pq.read_table(io.BytesIO(b)) for b in (r.content, cli_bytes))
        assert api_t.drop(["detail"]).equals(cli_t.drop(["detail"]))
        assert api_t.num_rows == 6
    else:
        assert _rows(fmt, r.content) == _rows(fmt, cli_bytes)
    assert r.headers["content-type"] == export.media_type(fmt)
    assert r.headers["content-disposition"].endswith(export.suffix(fmt) + '"')
    if export.media_type(fmt).startswith("text/csv"):
        # The one writer makes formulas inert in every CSV, downloaded or exported.
        for data in (r.content, cli_bytes):
            rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
            formula = next(row for row in rows if "evil" in "".join(v or "" for v in row.values()))
            cells = [v for row in rows for v in row.values() if v]
            assert not [v for v in cells if v.startswith(("=", "+", "@"))]
            assert (formula["actors"] if fmt == "csv" else formula["actor1"]).startswith("'=HYPERLINK")


def test_formats_are_the_registry(store: Any, make_client: Any, tmp_path: Path, own_registry: None) -> None:
    """An exporter registered like a plug-in's is a choice of the CLI, the API and its schema."""

    def shout(events: Any, out: Any) -> int:
        n = 0
        for ev in events:
            out.write(f"{ev['type']}!\n")
            n += 1
        return n

    shout.media_type = "text/x-shout; charset=utf-8"  # type: ignore[attr-defined]
    registry.register("exporter", "shout")(shout)
    c = make_client(store, min_confidence=0)
    r = c.get("/api/events", params={"format": "shout", "sort": "date"})
    assert r.status_code == 200 and r.headers["content-type"] == "text/x-shout; charset=utf-8"
    assert 'filename="events.shout"' in r.headers["content-disposition"]
    assert r.text == _cli_export(store, "shout", tmp_path / "out.shout").decode()
    listed = c.get("/api/events", params={"sort": "date"}).json()["items"]
    assert r.text.splitlines() == [f"{ev['type']}!" for ev in listed]
    (param,) = [p for p in c.get("/openapi.json").json()["paths"]["/api/events"]["get"]["parameters"]
                if p["name"] == "format"]
    assert param["schema"]["anyOf"][0]["enum"] == ["json", *registry.names("exporter")]
    assert "shout" in param["schema"]["anyOf"][0]["enum"]
    bad = c.get("/api/events", params={"format": "pdf"})
    assert bad.status_code == 422 and "shout" in bad.json()["error"]["message"]
    runner = CliRunner()
    refused = runner.invoke(cli, ["--db", store.url, "export", "-f", "pdf"])
    assert refused.exit_code == 2 and "shout" in refused.output


def test_accept_header_picks_the_plainest_format_of_its_media_type(client: Any) -> None:
    assert client.get("/api/events", headers={"accept": "text/csv"}).text.startswith("id,article_id,")
    assert client.get("/api/events", headers={"accept": "application/geo+json"}).json()["type"] == "FeatureCollection"
    r = client.get("/api/events", headers={"accept": "text/tab-separated-values"})
    assert r.headers["content-type"].startswith("text/tab-separated-values") and len(r.text.splitlines()) == 5
    assert "items" in client.get("/api/events", headers={"accept": "application/json"}).json()


def _events(n: int, seen: list[int], closed: threading.Event) -> Iterator[dict[str, Any]]:
    try:
        for i in range(n):
            seen[0] = i + 1
            yield {"id": f"ev{i:06d}", "type": "ASSAULT", "summary": "x" * 200}
    finally:
        closed.set()


def test_download_streams_and_stops_when_the_client_goes() -> None:
    n, seen, closed = 50_000, [0], threading.Event()
    chunks = export.iter_bytes(_events(n, seen, closed), "csv")
    first = next(chunks)
    assert first.startswith(b"id,article_id,") and len(first) <= 2 * export.CHUNK
    # Bounded read-ahead: the writer waits for the reader instead of building the whole file.
    ahead = (export.QUEUE + 2) * export.CHUNK // 200
    assert seen[0] < min(n, 2 * ahead)
    chunks.close()  # the client hangs up
    assert closed.wait(30), "the writer kept reading events after the download was closed"
    assert seen[0] < n
    # Read to the end, the chunks are the whole export.
    whole = b"".join(export.iter_bytes(_events(3, [0], threading.Event()), "csv"))
    assert whole.decode().splitlines()[1].startswith("ev000000,")


def test_writer_errors_reach_the_reader() -> None:
    def broken() -> Iterator[dict[str, Any]]:
        yield {"id": "a"}
        raise RuntimeError("store went away")

    with pytest.raises(RuntimeError, match="store went away"):
        b"".join(export.iter_bytes(broken(), "csv"))


@pytest.mark.parametrize("sort", ["-date", "type", "-confidence"])
def test_download_order_and_pages_are_the_writers(store: Any, make_client: Any, sort: str) -> None:
    """A whole match goes through export.write (its columnar path) in the API's sort; a page
    through the writer over that page: both the bytes the row writer makes of iter_events."""
    from eventwire.store.query import EventFilter, iter_events

    _with_formula(store)
    c = make_client(store, min_confidence=0)
    key, desc = sort.lstrip("-"), sort.startswith("-")
    for fmt in ("csv", "acled-csv", "gdelt-tsv"):
        for page in ({}, {"limit": 3, "offset": 2}):
            r = c.get("/api/events", params={"format": fmt, "sort": sort, **page})
            assert r.status_code == 200, r.text
            buf = io.StringIO()
            export.stream(iter_events(store, EventFilter(), sort=key, desc=desc, limit=page.get("limit"),
                                      offset=page.get("offset", 0)), fmt, buf)
            assert _rows(fmt, r.content) == _rows(fmt, buf.getvalue().encode()), (fmt, page)
