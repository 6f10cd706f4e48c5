"""The sentence encoder runs without sentence-transformers and gives its embeddings, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from eventwire.events import corpus, encoder


@pytest.fixture(scope="module")
def texts() -> list[str]:
    rows = [ex.text for ex in corpus.read(corpus.shipped_files(), corpus.default_data_root(), errors=[])]
    rows = rows[::60]  # ~190 sentences: several batches of mixed lengths
    long = " ".join(rows[:12])  # far over MAX_TOKENS word pieces: truncated
    return [*rows, long, "x", "Ünïcödé naïve café", "", "   "]


def test_same_bits_as_sentence_transformers(texts: list[str]) -> None:
    pytest.importorskip("sentence_transformers")
    from sentence_transformers import SentenceTransformer

    ours = encoder.load().encode(texts)
    ref: object = SentenceTransformer(str(encoder.model_dir()), device="cpu", local_files_only=True)
    ref.max_seq_length = encoder.MAX_TOKENS  # type: ignore[attr-defined]
    theirs = ref.encode(texts, batch_size=encoder.BATCH, normalize_embeddings=True,  # type: ignore[attr-defined]
                        show_progress_bar=False, convert_to_numpy=True)  # fmt: skip
    assert ours.dtype == np.float32 and ours.shape == (len(texts), encoder.DIM)
    assert ours.tobytes() == np.asarray(theirs, dtype=np.float32).tobytes()


def test_encoder_does_not_import_sentence_transformers() -> None:
    import subprocess
    import sys

    code = ("import sys; from eventwire.events import encoder; encoder.load().encode(['A man was arrested.']); "
            "print(sorted(m for m in ('sentence_transformers', 'transformers', 'sklearn', 'pandas') if m in sys.modules))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_same_token_ids_as_the_transformers_tokenizer(texts: list[str]) -> None:
    transformers = pytest.importorskip("transformers")
    ref = transformers.BertTokenizer.from_pretrained(str(encoder.model_dir()), local_files_only=True)
    want = ref(texts, padding=True, truncation="longest_first", max_length=encoder.MAX_TOKENS, return_tensors="pt")
    got = encoder.load()._features(texts)
    for name, tensor in zip(("input_ids", "token_type_ids", "attention_mask"), got, strict=True):
        assert tensor.dtype == want[name].dtype and tensor.equal(want[name]), name


def test_one_torch_thread_gives_the_same_bits(texts: list[str]) -> None:
    import os
    import subprocess
    import sys

    import torch

    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    code = "import torch; from eventwire.events import encoder; encoder.load(); print(torch.get_num_threads())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert int(out.split()[-1]) == encoder.THREADS == 1
    enc = encoder.load()
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        one = enc.encode(texts)
        torch.set_num_threads(2)
        two = enc.encode(texts)
    finally:
        torch.set_num_threads(before)
    assert one.tobytes() == two.tobytes()
