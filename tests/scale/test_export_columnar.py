"""The columnar export (SQL → Arrow, issue 16.3) writes what the row writers write, on SQLite and
PostgreSQL: same bytes for CSV, ACLED CSV and GDELT TSV (export timestamps aside), same table for
Parquet (``detail`` the same JSON value); reviews are applied; each file reads back with its own
reader."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from eventwire.export import write
from eventwire.records import EventActor
from eventwire.store import Store
from eventwire.store.query import EventFilter

from .helpers import assault, meeting, results


def _varied() -> list:
    """The export fixtures plus the cases the columnar path folds differently: several actors
    (one with an id only, one with neither text nor id), a formula-looking actor, an undated
    event (the article's day stands in), an event stored without ACLED actor columns."""
    out = results(6)
    r = assault(10)
    ev = dataclasses.replace(r.events[0], actors=(
        EventActor(text="", entity_id="gov.syr", country="SYR", sector="GOV"),
        EventActor(text="", country=None),
        EventActor(text="=cmd|x", country="SYR", sector="MIL"),
        EventActor(text="Russian jets", country="RUS", sector="MIL"),
    ), date={})
    out.append(dataclasses.replace(r, events=(ev,)))
    m = meeting(11)
    out.append(dataclasses.replace(m, events=(dataclasses.replace(m.events[0], actors=()),)))
    return out


@pytest.fixture()
def store(store_url):
    s = Store(store_url)
    for r in _varied():
        s.upsert(r)
    yield s
    s.close()


def _both(store, fmt, tmp_path, f=None):
    a, b = tmp_path / f"col.{fmt}", tmp_path / f"row.{fmt}"
    na = write(store, fmt, a, f or EventFilter(), columnar=True)
    nb = write(store, fmt, b, f or EventFilter(), columnar=False)
    assert na == nb
    return a, b


def _mask(path, fmt):
    lines = path.read_text("utf-8").splitlines()
    if fmt == "acled-csv":  # timestamp: the export's time
        return [line.rsplit(",", 1)[0] for line in lines]
    if fmt == "gdelt-tsv":  # DATEADDED: the export's time
        return ["\t".join(x for i, x in enumerate(line.split("\t")) if i != 59) for line in lines]
    return lines


@pytest.mark.parametrize("fmt", ["csv", "acled-csv", "gdelt-tsv"])
def test_text_formats_equal_the_row_writers(store, tmp_path, fmt):
    a, b = _both(store, fmt, tmp_path)
    assert _mask(a, fmt) == _mask(b, fmt)
    assert len(_mask(a, fmt)) > 3


def test_parquet_equals_the_row_writer(store, tmp_path):
    a, b = _both(store, "parquet", tmp_path)
    ta, tb = pq.read_table(a), pq.read_table(b)
    assert ta.schema == tb.schema
    da, db = ta.to_pylist(), tb.to_pylist()
    for x, y in zip(da, db, strict=True):
        assert json.loads(x.pop("detail")) == json.loads(y.pop("detail"))
        assert x == y


def test_each_format_reads_back_with_its_reader(store, tmp_path):
    from eventwire.export.gdelt import COLUMNS

    out = tmp_path / "e.csv"
    n = write(store, "csv", out)
    df = pd.read_csv(out, keep_default_na=False)
    assert len(df) == n == 8
    multi = df[df["actors"].str.contains("Russian jets")].iloc[0]
    assert multi["actors"] == "'=cmd|x; Russian jets"  # neutralised; entity-only actor has no text
    assert multi["actor_ids"] == "gov.syr" and multi["actor_countries"] == "SYR; SYR; RUS"
    assert multi["date_start"] == "2024-05-02"  # no event date: the article's
    with open(tmp_path / "g.tsv", "w") as _:
        pass
    write(store, "gdelt-tsv", tmp_path / "g.tsv")
    with open(tmp_path / "g.tsv", newline="", encoding="utf-8") as fh:
        rows = [dict(zip(COLUMNS, r, strict=True)) for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]
    assert len(rows) == 8
    assert {r["Actor1Code"] for r in rows} >= {"SYRGOV", ""}
    write(store, "acled-csv", tmp_path / "a.csv")
    ac = pd.read_csv(tmp_path / "a.csv", keep_default_na=False)
    assert len(ac) == 4 and set(ac["country"]) == {"Syria"}
    write(store, "parquet", tmp_path / "p.parquet")
    t = pq.read_table(tmp_path / "p.parquet")
    acts = next(r for r in t.column("actors").to_pylist() if len(r) == 3)
    assert acts[0] == {"text": "", "entity_id": "gov.syr", "country": "SYR", "sector": "GOV"}


def test_filters_and_big_batches_match(store, tmp_path, monkeypatch):
    from eventwire.export import columnar

    monkeypatch.setattr(columnar, "BATCH", 3)  # several batches on SQLite
    f = EventFilter(type=("ASSAULT",))
    a, b = _both(store, "csv", tmp_path, f)
    assert a.read_text() == b.read_text() and len(a.read_text().splitlines()) == 5


def test_reviews_are_applied(store, tmp_path):
    from eventwire.store.schema import event_reviews

    evs = [r for r in _varied() if r.events and r.events[0].type == "ASSAULT"]
    rejected, edited = evs[0].events[0].id, evs[1].events[0].id
    now = dt.datetime.now(dt.timezone.utc)
    with store.engine.begin() as c:
        c.execute(event_reviews.insert(), {"event_id": rejected, "status": "rejected", "reviewer": "t",
                                           "reviewed_at": now})
        c.execute(event_reviews.insert(), [  # one insert per key set
            {"event_id": edited, "status": "edited", "reviewer": "t", "reviewed_at": now, "country": "TUR",
             "location": "Kilis", "fatalities": 3,
             "actors": {"actors": [{"text": "Turkish drones", "entity_id": None}]}},
        ])
    out = tmp_path / "r.csv"
    n = write(store, "csv", out)
    df = pd.read_csv(out, keep_default_na=False)
    assert n == 7 and rejected not in set(df["id"])
    row = df[df["id"] == edited].iloc[0]
    assert (row["country"], row["location"], str(row["dead"]), row["actors"]) == ("TUR", "Kilis", "3", "Turkish drones")
    assert row["recipients"] == "civilians"  # no recipients overlay: the machine's stand
    write(store, "acled-csv", tmp_path / "r2.csv")
    ac = pd.read_csv(tmp_path / "r2.csv", keep_default_na=False)
    row = ac[ac["event_id_cnty"] == "TUR" + edited].iloc[0]
    assert row["country"] == "Turkey" and str(row["fatalities"]) == "3"
    write(store, "parquet", tmp_path / "r.parquet")
    t = pq.read_table(tmp_path / "r.parquet").to_pylist()
    assert [r["actors"] for r in t if r["id"] == edited] == [[{"text": "Turkish drones", "entity_id": None,
                                                               "country": None, "sector": None}]]
    for fmt in ("csv", "acled-csv", "gdelt-tsv"):  # the row writers read the reviewed event dicts
        a, b = _both(store, fmt, tmp_path)
        assert _mask(a, fmt) == _mask(b, fmt), fmt


def test_text_stream_and_empty_result(store):
    buf = io.StringIO()
    assert write(store, "csv", buf, EventFilter(country=("NOR",))) == 0
    assert buf.getvalue().startswith("id,article_id,")
    buf = io.StringIO()
    assert write(store, "gdelt-tsv", buf) == 8 and len(buf.getvalue().splitlines()) == 8


def _same_export(a, b, fmt):
    if fmt == "parquet":
        ta, tb = pq.read_table(a), pq.read_table(b)
        assert ta.schema == tb.schema
        for x, y in zip(ta.to_pylist(), tb.to_pylist(), strict=True):
            assert json.loads(x.pop("detail")) == json.loads(y.pop("detail"))
            assert x == y
    else:
        assert _mask(a, fmt) == _mask(b, fmt)


@pytest.mark.parametrize("fmt", ["csv", "acled-csv", "gdelt-tsv", "parquet"])
def test_adbc_fetch_writes_what_the_dbapi_fetch_writes(store, tmp_path, monkeypatch, fmt):
    """PostgreSQL: the ADBC driver (the ``export`` extra) and psycopg's COPY give the writers the
    same batches: same files, and the ADBC path was taken. SQLite never goes through ADBC (its
    driver's own SQLite copy beside the stdlib's breaks the locks of both)."""
    from eventwire.export import columnar

    pytest.importorskip("adbc_driver_postgresql")
    conformed: list[int] = []
    real = columnar._conform
    monkeypatch.setattr(columnar, "_conform", lambda b, s: conformed.append(b.num_rows) or real(b, s))
    monkeypatch.setattr(columnar, "USE_ADBC", True)
    a = tmp_path / f"adbc.{fmt}"
    na = write(store, fmt, a, columnar=True)
    if store.dialect == "sqlite":
        assert conformed == []
        return
    assert sum(conformed) == (na if fmt != "acled-csv" else 8)  # acled-csv: every row fetched, ACLED ones kept
    monkeypatch.setattr(columnar, "USE_ADBC", False)
    b = tmp_path / f"dbapi.{fmt}"
    assert write(store, fmt, b, columnar=True) == na
    _same_export(a, b, fmt)
