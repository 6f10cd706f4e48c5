"""Exports read back with each format's own reader, against SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

from eventwire.export import formats, write
from eventwire.store import Store
from eventwire.store.query import EventFilter

from .helpers import results


@pytest.fixture()
def store(store_url):
    s = Store(store_url)
    for r in results(6):  # 3 located ACLED assaults, 3 unlocated meetings
        s.upsert(r)
    yield s
    s.close()


def test_acled_csv_columns_and_meanings(store, tmp_path):
    out = tmp_path / "acled.csv"
    assert write(store, "acled-csv", out, EventFilter()) == 3  # meetings have no ACLED type
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:4] == ["event_id_cnty", "event_date", "year", "time_precision"]
    assert list(rows[0])[-1] == "timestamp" and len(rows[0]) == 31
    r = rows[0]
    assert r["event_id_cnty"].startswith("SYR") and r["event_date"] == "2024-05-01" and r["year"] == "2024"
    assert r["time_precision"] == "1" and r["disorder_type"] == "Political violence"
    assert r["event_type"] == "Explosions/Remote violence" and r["sub_event_type"] == "Air/drone strike"
    # ACLED naming from kind/country/sector (docs/acled.md): the Assad period ends in 2024
    assert r["actor1"] == "Government of Syria (2000-2024)"
    assert r["assoc_actor_1"] == "Military Forces of Syria (2000-2024)"
    assert r["actor2"] == "Civilians (Syria)"
    assert (r["inter1"], r["inter2"], r["interaction"]) == ("1", "7", "17")
    assert r["civilian_targeting"] == "Civilian targeting"
    assert r["iso"] == "760" and r["region"] == "Middle East" and r["country"] == "Syria"
    assert r["location"] == "Aleppo" and r["latitude"] == "36.2012" and r["geo_precision"] == "1"
    assert r["fatalities"] == "12" and "certainty=reported" in r["tags"]
    assert r["source"] == "news.example" and "\t" in r["notes"]  # a tab inside a quoted field survives
    assert int(r["timestamp"]) > 1_700_000_000


def test_plover_jsonl_fields(store):
    buf = io.StringIO()
    assert write(store, "plover-jsonl", buf) == 6
    recs = [json.loads(line) for line in buf.getvalue().splitlines()]
    a = next(r for r in recs if r["event"] == "ASSAULT")
    assert a["actor"][0] == {"actor_text": "Syrian government", "code": "SYR", "country": "SYR",
                             "sector": "GOV", "identifier_id": "gov.syr"}
    assert a["recipient"][0]["sector"] == "CVL"
    assert a["mode"] == "aerial" and a["context"] == "military" and a["quad_code"] == 4
    assert a["event_loc"]["cc3"] == "SYR" and a["event_loc"]["country code"] == "SY"
    assert a["event_loc"]["feature class"] == "P" and a["event_loc"]["geonameid"] == 170063
    assert a["dead"] == 12 and a["injured"] == 30 and "arrested" not in a
    assert a["event_text"] == ["struck"]
    assert a["cite_info"]["url"].startswith("https://news.example/") and a["cite_info"]["citation"]
    m = next(r for r in recs if r["event"] == "CONSULT")
    assert m["enddate"] == "2024-03-31" and m["quad_code"] == 1 and "event_loc" not in m
    assert m["flags"]["future"] is True


def test_gdelt_tsv_61_columns(store):
    from eventwire.export.gdelt import COLUMNS

    buf = io.StringIO()
    assert write(store, "gdelt-tsv", buf) == 6
    rows = [dict(zip(COLUMNS, line.split("\t"), strict=True)) for line in buf.getvalue().splitlines()]
    a = next(r for r in rows if r["EventRootCode"] == "19")
    assert a["Day"] == "20240501" and a["MonthYear"] == "202405" and a["Year"] == "2024"
    assert a["EventCode"] == "195" and a["EventBaseCode"] == "195" and a["QuadClass"] == "4"
    assert float(a["GoldsteinScale"]) == -10.0
    assert a["Actor1Code"] == "SYRGOV" and a["Actor1Name"] == "SYRIAN GOVERNMENT" and a["Actor2Type1Code"] == "CVL"
    assert a["ActionGeo_Type"] == "4" and a["ActionGeo_CountryCode"] == "SY" and a["ActionGeo_FeatureID"] == "170063"
    assert float(a["ActionGeo_Lat"]) == pytest.approx(36.2012)
    assert a["NumArticles"] == "1" and a["SOURCEURL"].startswith("https://news.example/")
    m = next(r for r in rows if r["EventRootCode"] == "04")
    assert m["EventCode"] == "040" and m["QuadClass"] == "1" and m["ActionGeo_Type"] == ""
    assert int(m["GlobalEventID"]) > 0


def test_geojson_feature_collection_is_valid(store, tmp_path):
    out = tmp_path / "ev.geojson"
    assert write(store, "geojson", out) == 3  # only located events
    doc = json.loads(out.read_text("utf-8"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 3
    for f in doc["features"]:
        assert f["type"] == "Feature" and isinstance(f["properties"], dict)
        g = f["geometry"]
        assert g["type"] == "Point" and len(g["coordinates"]) == 2
        lon, lat = g["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90 and (lon, lat) == (37.16117, 36.20124)
        assert "lat" not in f["properties"] and f["properties"]["location"] == "Aleppo"


def test_geojson_empty_collection_is_valid(store):
    buf = io.StringIO()
    assert write(store, "geojson", buf, EventFilter(country=("FRA",))) == 0
    assert json.loads(buf.getvalue()) == {"type": "FeatureCollection", "features": []}


def test_parquet_schema_and_row_groups(store, tmp_path):
    from eventwire.export import parquet as P

    out = tmp_path / "ev.parquet"
    n = P.write(iter(list(_events(store))), str(out), batch=4)
    assert n == 6
    f = pq.ParquetFile(out)
    assert f.schema_arrow.equals(P.SCHEMA) and f.num_row_groups == 2
    t = f.read()
    rows = t.to_pylist()
    a = next(r for r in rows if r["type"] == "ASSAULT")
    assert a["actors"][0] == {"text": "Syrian government", "entity_id": "gov.syr", "country": "SYR", "sector": "GOV"}
    assert str(a["date_start"]) == "2024-05-01" and a["dead"] == 12 and a["geo_precision"] == 1
    assert json.loads(a["detail"])["id"] == a["id"]
    assert write(store, "parquet", tmp_path / "w.parquet") == 6


def test_plain_csv_and_filters(store):
    buf = io.BytesIO()  # a binary stream is wrapped as UTF-8 text and left open
    assert write(store, "csv", buf, EventFilter(type=("ASSAULT",))) == 3
    rows = list(csv.DictReader(io.StringIO(buf.getvalue().decode("utf-8"))))
    assert {r["type"] for r in rows} == {"ASSAULT"} and rows[0]["actors"] == "Syrian government; jets"
    assert rows[0]["dead"] == "12" and rows[0]["negated"] == "False" and "Résumé" not in rows[0]["summary"]


def test_parquet_refuses_text_stream(store):
    from eventwire.errors import InputError

    with pytest.raises(InputError, match="binary"):
        write(store, "parquet", io.StringIO())


def test_unknown_format(store):
    from eventwire.errors import ConfigError

    with pytest.raises(ConfigError, match="acled-csv"):
        write(store, "xml", io.StringIO())


@pytest.mark.parametrize("fmt", formats())
def test_every_format_writes_an_empty_store(tmp_path, fmt):
    s = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    assert write(s, fmt, tmp_path / f"out.{fmt}") == 0
    assert (tmp_path / f"out.{fmt}").stat().st_size > 0 or fmt in ("plover-jsonl", "gdelt-tsv")


def _events(store):
    from eventwire.store.query import iter_events

    return iter_events(store, EventFilter())


def test_gdelt_counts_come_from_merged_story_events():
    from eventwire.export.gdelt import COLUMNS, row

    from .helpers import assault

    ev = {**assault(1).events[0].to_dict(), "article": {}, "summary": None,
          "canonical": {"id": "x", "num_mentions": 5, "num_sources": 3, "num_articles": 4}}
    r = dict(zip(COLUMNS, row(ev, "20260101000000"), strict=True))
    assert (r["NumMentions"], r["NumSources"], r["NumArticles"]) == (5, 3, 4)


@pytest.mark.parametrize("fmt", ["csv", "acled-csv"])
def test_csv_exports_neutralise_spreadsheet_formulas(tmp_path, fmt):
    """Article text is untrusted: a cell that a spreadsheet would run (=, +, -, @) is written
    inert, as the API's CSV does (issue 13, item 7)."""
    import dataclasses

    from eventwire.records import EventActor

    s = Store(f"sqlite:///{tmp_path / 'f.db'}")
    r = results(1)[0]
    evil = '=HYPERLINK("http://evil.example","x")'  # as text, and as a (user KB) group's name
    ev = dataclasses.replace(r.events[0], acled_actors=None,
                             actors=(EventActor(evil, entity_id="evil", kind="armed_group", name=evil),
                                     EventActor("@SUM(1+1)")))
    s.upsert(dataclasses.replace(r, events=(ev,)))
    out = tmp_path / "out.csv"
    assert write(s, fmt, out, EventFilter()) == 1
    with open(out, newline="", encoding="utf-8") as fh:
        (row,) = list(csv.DictReader(fh))
    cells = [v for v in row.values() if v]
    assert not [c for c in cells if c.startswith(("=", "+", "@"))], cells
    actor = row["actors"] if fmt == "csv" else row["actor1"]
    assert actor.startswith("'=HYPERLINK")
    s.close()
