"""The labelled corpus (issue 11): valid, big and varied enough, split once, no copied text."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest

from eventwire.errors import InputError
from eventwire.events import corpus, tables


@pytest.fixture(scope="module")
def examples(shared: Path) -> list[corpus.Example]:
    return list(corpus.read(corpus.shipped_files(), shared / "data", hash_split=True))


def test_corpus_size_and_coverage(examples: list[corpus.Example]) -> None:
    assert len(examples) >= 4000
    assert sum(not e.event for e in examples) >= len(examples) / 2, "at least half are not events"
    subs = collections.Counter(e.acled_sub_event_type for e in examples if e.acled_sub_event_type)
    assert set(subs) == set(tables.acled_types()), "all 25 ACLED sub-event types"
    assert min(subs.values()) >= 40, subs.most_common()[-3:]
    plover = collections.Counter(e.plover for e in examples if e.plover)
    assert set(plover) == set(tables.PLOVER_TYPES)
    assert min(plover.values()) >= 60, plover.most_common()[-3:]


REF_KINDS = ({"path", "start", "end", "sha1"}, {"path", "member", "sentence", "sha1"}, {"path", "record", "sha1"})


def test_real_sentences_are_references_not_copies() -> None:
    refs = 0
    for path in corpus.shipped_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec["source"].startswith("ref/"):
                refs += 1
                assert "text" not in rec and set(rec["ref"]) in REF_KINDS, rec["id"]
                if rec["ref"]["path"].startswith("dev/events"):
                    # only the train share of the PLOVER gold trains; the eval scores the rest
                    assert corpus.assign_split(rec["id"]) == "train" and "split" not in rec, rec["id"]
    assert refs >= 1000


def test_container_references_resolve_and_check_their_sha1(shared: Path, tmp_path: Path) -> None:
    tarball = shared / "data/dev/clusters/ecbplus.tar.xz"
    first = next(corpus._list_tar(tarball, {"2"}))
    assert first["ref"]["member"].startswith("ECB+/2/") and first["text"]
    rec = {"id": "e1", "ref": first["ref"], "event": False}
    assert corpus.parse(rec, "x:1", shared / "data").text == " ".join(first["text"].split())
    with pytest.raises(InputError, match="sha1"):
        corpus.parse(rec | {"ref": first["ref"] | {"sha1": "0" * 40}}, "x:1", shared / "data")
    with pytest.raises(InputError, match="no sentence 99999"):
        corpus.parse(rec | {"ref": first["ref"] | {"sentence": 99999}}, "x:1", shared / "data")
    gsr = {"path": "dev/events/plover-gsr.json", "record": 1}
    assert "Hungarian" in corpus.parse({"id": "g", "ref": gsr, "event": False}, "x:1", shared / "data").text
    with pytest.raises(InputError, match="no record 100000"):
        corpus.parse({"id": "g", "ref": gsr | {"record": 100000}, "event": False}, "x:1", shared / "data")


def test_detokenize_restores_running_text() -> None:
    toks = "Tara Reid , 33 , has n't said ( yet ) why she 's in `` rehab '' .".split()
    assert corpus.detokenize(toks) == 'Tara Reid, 33, hasn\'t said (yet) why she\'s in "rehab".'



def test_split_is_stable_and_proportioned(examples: list[corpus.Example]) -> None:
    share = collections.Counter(e.split for e in examples)
    n = len(examples)
    assert 0.65 < share["train"] / n < 0.75 and 0.12 < share["test"] / n < 0.18
    assert corpus.assign_split("wv-0001") == corpus.assign_split("wv-0001")
    # the hash does not depend on what else is in the corpus
    assert {e.id: e.split for e in examples}["wv-0001"] == corpus.assign_split("wv-0001")


def test_bad_lines_name_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "mine.jsonl"
    good = {"id": "a", "text": "Police arrested three activists in Minsk.", "event": True, "plover": "COERCE",
            "acled_sub_event_type": "Arrests"}  # fmt: skip
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps(good | {"id": "b", "plover": "FIGHT"}),
        json.dumps(good | {"id": "c", "acled_sub_event_type": "Arrest"}),
        json.dumps(good | {"id": "d", "acled_event_type": "Battles"}),
        json.dumps({"id": "e", "text": "Shares fell.", "event": False, "plover": "ASSAULT"}),
        json.dumps(good),
        json.dumps({"id": "f", "ref": {"path": "nowhere.txt", "start": 0, "end": 3}, "event": False}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors: list[InputError] = []
    got = list(corpus.read([p], tmp_path, errors))
    assert [e.id for e in got] == ["a"]
    assert got[0].acled_event_type == "Strategic developments"  # filled from the sub-event type
    assert [str(e).split(":")[1] for e in errors] == ["2", "3", "4", "5", "6", "7", "8"]
    msgs = " | ".join(str(e) for e in errors)
    for needle in ("not JSON", "valid PLOVER type", "unknown ACLED sub-event type 'Arrest'",
                   "belongs to 'Strategic developments'", "non-event carries no", "duplicate id", "cannot be read"):  # fmt: skip
        assert needle in msgs
    assert all(str(p) in str(e) for e in errors)
    with pytest.raises(InputError, match="mine.jsonl"):
        list(corpus.read([p], tmp_path))


def test_ref_checks_its_sha1(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text("Rebels seized the town. Then it rained.", encoding="utf-8")
    rec = {"id": "r", "ref": {"path": "doc.txt", "start": 0, "end": 23, "sha1": "0" * 40}, "event": True,
           "plover": "ASSAULT", "acled_sub_event_type": "Non-state actor overtakes territory"}  # fmt: skip
    with pytest.raises(InputError, match="sha1"):
        corpus.parse(rec, "x:1", tmp_path)
    import hashlib

    rec["ref"]["sha1"] = hashlib.sha1(b"Rebels seized the town.").hexdigest()
    assert corpus.parse(rec, "x:1", tmp_path).text == "Rebels seized the town."


def test_a_shipped_corpus_file_keeps_its_hash_splits() -> None:
    # `eventwire eval events --data corpus/<file> --split dev` read every line of a shipped file
    # as train (no "split" field) and scored nothing
    from eventwire.eval.events import labelled
    from eventwire.events.corpus import CORPUS_DIR

    dev = labelled(CORPUS_DIR / "written-violence.jsonl", "dev")
    assert dev and {e.split for e in dev} == {"dev"}
    assert {e.split for e in labelled(CORPUS_DIR / "written-violence.jsonl", None)} == {"test"}  # as the whole corpus
