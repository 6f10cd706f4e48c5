"""The spaCy pipeline read from the user cache is the pipeline built from scratch (issue 16.1)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from eventwire import cache
from eventwire.nlp import model

from .conftest import seed_articles

EXTRA = (
    "Russian forces shelled Kharkiv on Monday, killing three civilians, the governor said.",
    "Houthi rebels fired two Shahed drones at a tanker off Hodeidah; the U.S. Navy shot one down.",
    "The Defense Ministry in Kyiv said Patriot batteries intercepted 12 missiles over Lviv.",
)


def _no_build(*_a: object, **_k: object) -> None:
    raise AssertionError("the rulers were built although a valid cache file was there")


def _doc_view(doc) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(t.idx, t.text, t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_, t.ent_id_) for t in doc]


@pytest.fixture()
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EVENTWIRE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(model, "_CACHE", {})  # no pipeline of an earlier test in this process
    return tmp_path / "cache"


def test_cached_pipeline_gives_the_entities_and_events_of_a_fresh_build(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch, kb, seed_path: Path
) -> None:
    from eventwire.config import load_settings
    from eventwire.events import get_coder
    from eventwire.geo import Geocoder
    from eventwire.nlp import Analyzer

    fresh = model.build(kb, use_cache=False)
    assert not cache_home.exists()  # use_cache=False neither reads nor writes
    model.build(kb)  # builds and writes the cache file
    files = list(cache_home.glob("spacy-rulers-*.msgpack"))
    assert len(files) == 1
    monkeypatch.setattr(model, "_CACHE", {})
    monkeypatch.setattr(model, "_fill_rulers", _no_build)
    cached = model.build(kb)
    assert cached is not fresh
    assert cached.pipe_names == fresh.pipe_names
    for name in ("eventwire_names", "eventwire_domain"):
        a, b = fresh.get_pipe(name), cached.get_pipe(name)
        assert len(a) == len(b) > 0
        assert sorted(map(repr, a.patterns)) == sorted(map(repr, b.patterns))
        assert a.phrase_matcher_attr == b.phrase_matcher_attr and a.overwrite == b.overwrite
        assert dict(a._ent_ids) == dict(b._ent_ids)

    texts = [seed_path.read_text(encoding="utf-8"), *EXTRA]
    for da, db in zip(fresh.pipe(texts), cached.pipe(texts), strict=True):
        assert _doc_view(da) == _doc_view(db)
        assert [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in da.ents] == [
            (e.start_char, e.end_char, e.label_, e.ent_id_) for e in db.ents
        ]
    ents = {(e.text, e.label_) for d in fresh.pipe(texts) for e in d.ents}
    assert ("Kataib al-Imam Ali", "ARMED_GROUP") in ents or ("Harakat Hezbollah al-Nujaba", "ARMED_GROUP") in ents

    # The whole nlp stage and the event coder on top of each pipeline.
    settings = load_settings()
    a_fresh, a_cached = Analyzer(settings, kb), Analyzer(settings, kb)
    a_fresh.nlp, a_cached.nlp = fresh, cached
    arts = seed_articles(seed_path)
    an_fresh, an_cached = list(a_fresh.analyze(arts)), list(a_cached.analyze(arts))
    assert an_fresh == an_cached
    assert any(m.entity_id for an in an_fresh for m in an.mentions)
    # the gazetteer and the encoder from the usual cache (a fresh gazetteer build takes ~30 s)
    monkeypatch.delenv("EVENTWIRE_CACHE")
    geo = Geocoder.load(settings)
    coder = get_coder("learned.v1", kb=kb, geocoder=geo)
    ev_fresh = [coder.code(a, an, geo.places(a, an)) for a, an in zip(arts, an_fresh, strict=True)]
    ev_cached = [coder.code(a, an, geo.places(a, an)) for a, an in zip(arts, an_cached, strict=True)]
    assert ev_fresh == ev_cached
    assert sum(len(e) for e in ev_fresh) > 0


def test_cache_key_follows_the_kb_patterns(tmp_path: Path, cache_home: Path) -> None:
    from eventwire.kb import KnowledgeBase

    f = tmp_path / "u.yaml"
    f.write_text("- {id: one, name: One Brigade, kind: armed_group, country: SYR}\n", encoding="utf-8")
    one = KnowledgeBase.load([f], package=False)
    f.write_text("- {id: two, name: Two Brigade, kind: armed_group, country: SYR}\n", encoding="utf-8")
    two = KnowledgeBase.load([f], package=False)
    nlp = model.load_base()
    keys = {model.cache_key(nlp, kb, model.MIN_CITY_POPULATION, False) for kb in (one, two, None)}
    assert len(keys) == 3
    assert model.cache_key(nlp, one, 100_000, False) != model.cache_key(nlp, one, 200_000, False)
    # and a pipeline built on each KB tags its own names
    built = model.build(two, places=False)
    assert [(e.text, e.label_, e.ent_id_) for e in built("Two Brigade fighters moved.").ents] == [
        ("Two Brigade", "ARMED_GROUP", "two")
    ]


def test_a_torn_cache_file_is_rebuilt(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model.build(None, places=False)
    (path,) = cache_home.glob("spacy-rulers-*.msgpack")
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])
    monkeypatch.setattr(model, "_CACHE", {})
    nlp = model.build(None, places=False)
    assert path.read_bytes() == good  # rebuilt and written again, same content
    n_domain = len(nlp.get_pipe("eventwire_domain"))
    # a file whose first ruler reads and whose second does not: no pattern is added twice
    import srsly

    d = srsly.msgpack_loads(good)
    d["eventwire_domain"] = b"\x00garbage"
    path.write_bytes(srsly.msgpack_dumps(d))
    monkeypatch.setattr(model, "_CACHE", {})
    again = model.build(None, places=False)
    assert len(again.get_pipe("eventwire_domain")) == n_domain
    assert len(again.get_pipe("eventwire_names")) == len(nlp.get_pipe("eventwire_names"))
    assert path.read_bytes() == good
    assert {e.label_ for e in nlp("The drones hit a tank.").ents} & {"WEAPON", "MILITARY_PLATFORM"}


def test_two_processes_building_at_once_both_succeed(cache_home: Path, tmp_path: Path) -> None:
    """Both build (neither finds a file), both write through a rename: one valid file, no temp."""
    go = tmp_path / "go"
    script = textwrap.dedent(f"""
        import os, sys, time
        from eventwire.nlp import model
        model.load_base()  # the slow import first, so that both reach the build together
        while not os.path.exists({str(go)!r}):
            time.sleep(0.01)
        nlp = model.build(None)
        print(len(nlp.get_pipe("eventwire_names")))
    """)
    procs = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    go.touch()
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1][-2000:] for o in outs]
    counts = {int(o[0].split()[-1]) for o in outs}
    assert len(counts) == 1 and counts.pop() > 10_000
    assert len(list(cache_home.glob("spacy-rulers-*.msgpack"))) == 1
    assert not [p for p in cache_home.iterdir() if p.name.endswith(".tmp")]
    # the file left behind is whole: a third process reads it without building
    check = textwrap.dedent("""
        from eventwire.nlp import model
        def no(*a, **k):
            raise SystemExit("built instead of reading the cache")
        model._fill_rulers = no
        print(len(model.build(None).get_pipe("eventwire_names")))
    """)
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert int(out.stdout.split()[-1]) == int(outs[0][0].split()[-1])


def test_write_atomic_replaces_whole_files(tmp_path: Path) -> None:
    p = tmp_path / "d" / "f.bin"
    assert cache.write_atomic(p, b"one")
    assert cache.write_atomic(p, b"two")
    assert p.read_bytes() == b"two"
    assert [x.name for x in p.parent.iterdir()] == ["f.bin"]
    assert cache.digest(["ab", "c"]) != cache.digest(["a", "bc"])
    for i in range(5):
        q = p.parent / f"k-{i}.bin"
        q.write_bytes(b"x")
        os.utime(q, (1000 + i, 1000 + i))
    cache.prune(p.parent, "k-*.bin", keep=2)
    assert sorted(x.name for x in p.parent.glob("k-*")) == ["k-3.bin", "k-4.bin"]
    assert p.is_file()
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        # root may write anyway; otherwise the write fails quietly and leaves nothing
        ok = cache.write_atomic(ro / "x", b"1")
        assert ok == (ro / "x").exists()
    finally:
        ro.chmod(0o700)


def test_cache_dir_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EVENTWIRE_CACHE", str(tmp_path / "a"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert cache.cache_dir() == tmp_path / "a"
    monkeypatch.delenv("EVENTWIRE_CACHE")
    assert cache.cache_dir() == tmp_path / "x" / "eventwire"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.cache_dir() == Path.home() / ".cache" / "eventwire"
