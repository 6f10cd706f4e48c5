"""Leave-one-source-out scoring of the NER eval: each folder scored alone, fits see only the others."""

from __future__ import annotations

import json
from pathlib import Path

from eventwire.eval.ner import RE3D_MAP, loso, re3d_sources, slug


def _folder(root: Path, name: str, docs: list[tuple[str, str, list[tuple[int, int, str]]]]) -> None:
    d = root / name
    d.mkdir()
    (d / "documents.json").write_text("".join(json.dumps({"_id": i, "text": t}) + "\n" for i, t, _ in docs))
    (d / "entities.json").write_text("".join(
        json.dumps({"documentId": i, "begin": s, "end": e, "type": ty, "confidence": 0.9}) + "\n"
        for i, _, ents in docs for s, e, ty in ents))  # fmt: skip


def test_folders_scored_alone_and_fit_sees_only_the_others(tmp_path: Path) -> None:
    _folder(tmp_path, "UK Government", [("u1", "Boris Johnson spoke.", [(0, 13, "Person")])])
    _folder(tmp_path, "CENTCOM", [("c1", "ISIS fled Mosul.", [(0, 4, "Organisation"), (10, 15, "Location")])])
    sources = re3d_sources(tmp_path)
    assert list(sources) == ["centcom", "uk-government"] and slug("UK Government") == "uk-government"
    ours = {"centcom": [[(0, 4, "ARMED_GROUP"), (10, 16, "GPE")]], "uk-government": [[(0, 13, "PERSON")]]}
    bare = {"centcom": [[]], "uk-government": [[]]}
    m = loso(sources, ours, bare, RE3D_MAP)
    assert m["sources"]["uk-government"]["eventwire"]["exact"]["micro"]["f1"] == 1.0
    assert m["sources"]["centcom"]["eventwire"]["exact"]["micro"]["f1"] == 0.5
    assert m["eventwire"]["exact"]["micro"]["f1"] == round(2 / 3, 4)  # 2 of 3 gold, 2 of 3 predicted
    assert m["macro_f1"] == 0.75

    seen: list[list[str]] = []

    def fit(train_docs, train_preds):  # noqa: ANN001, ANN202 - the eval's Fit protocol
        seen.append([i for i, _, _ in train_docs])
        return lambda docs, preds: [[(s, e + 1, lab) for s, e, lab in p] for p in preds]

    m = loso(sources, ours, bare, RE3D_MAP, fit=fit)
    assert seen == [["u1"], ["c1"]]  # each fold learns from the other folder only
    assert m["sources"]["uk-government"]["eventwire"]["exact"]["micro"]["f1"] == 0.0  # the fitted change applied
