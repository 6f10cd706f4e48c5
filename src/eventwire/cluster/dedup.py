"""Near-duplicate articles: the same wire text republished (new headline, trimmed, a paragraph or
an editor's note added, punctuation and whitespace changed).

MinHash over word 4-shingles of the body (the headline is left out: syndication changes it), an
LSH index for candidates, then a containment check: a trimmed copy is *contained* in the first
copy, so Jaccard alone under-rates it. Signatures are stored (``article_signatures``) and loaded
when a :class:`Deduper` starts, so a restart keeps the index.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, Any

import numpy as np

from ..records import Article
from ..store import clusters as db
from .features import shingles

if TYPE_CHECKING:
    from datasketch import MinHash

NUM_PERM = 128
# Stored signatures are only comparable under the same hashing scheme: pinned, not defaulted.
SCHEME = "affine32"
SHINGLE = 4
# LSH recall threshold on estimated Jaccard, and the checks that confirm a candidate. Measured on
# the syndication corpus (eval.clusters.near_duplicates: 154 dev pages × 5 transformations, other
# pages as negatives; table in docs/clusters.md): containment 0.5–0.8 is flat (P 1.0, R 0.997 at
# Jaccard 0.3), 0.95 drops recall to 0.966. Jaccard 0.2 reaches R 1.0 but would mark an article
# up to 5x longer than a brief it quotes as a copy (and copies are not coded): 0.3 keeps ≤ ~3x.
LSH_THRESHOLD = 0.3
MIN_JACCARD = 0.3
MIN_CONTAINMENT = 0.8
# Bodies shorter than this many shingles are not indexed: a two-line brief shares too much
# boilerplate with other briefs to call it a copy (exact copies are caught by the content id).
MIN_SHINGLES = 20


_PERMUTATIONS: Any = None


def _crc32(data: bytes) -> int:
    # Shingle hash: CRC-32 is stable across processes (stored signatures stay comparable) and
    # ~3x cheaper than datasketch's default SHA-1, the largest cost of a signature (profiled).
    return zlib.crc32(data)


def _minhash(hashvalues: Any = None) -> MinHash:
    from datasketch import MinHash  # imported on use: it pulls in scipy

    global _PERMUTATIONS
    if _PERMUTATIONS is None:
        _PERMUTATIONS = MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=_crc32, permutations=_PERMUTATIONS,
                   hashvalues=hashvalues)


def signature(text: str) -> tuple[MinHash, int]:
    sh = shingles(text, SHINGLE)
    m = _minhash()
    if sh:
        m.update_batch(list(sh))
    return m, len(sh)


def containment(a: MinHash, na: int, b: MinHash, nb: int) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger), both estimated from MinHash:
    |A∩B| = J·(|A|+|B|)/(1+J)."""
    j = a.jaccard(b)
    inter = j * (na + nb) / (1 + j)
    return j, inter / max(1, min(na, nb))


class Deduper:
    """Finds the first stored copy of an article's text.

    ``check(article)`` returns the id of the first copy or None; ``add(article)`` indexes an
    article (in memory at once, so copies inside one batch are caught; the signature is written
    to the store by :meth:`persist`, called when the article is stored).
    """

    def __init__(self, store: Any | None = None) -> None:
        from datasketch import MinHashLSH

        self.store = store
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self.sigs: dict[str, tuple[MinHash, int]] = {}
        self.first: dict[str, str] = {}  # in-memory duplicate_of for articles not yet stored
        self.foreign: set[str] = set()  # stored by another writer since this index was built
        if store is not None:
            with store.engine.connect() as conn:
                self._load(db.load_signatures(conn))

    def _load(self, rows: Any) -> list[str]:
        added = []
        for aid, perm, size, raw in rows:
            if perm != NUM_PERM or aid in self.sigs:
                continue  # signatures of another configuration cannot be compared
            self._index(aid, _minhash(np.frombuffer(raw, dtype=np.uint64)), size)
            added.append(aid)
        return added

    def refresh(self, conn: Any) -> None:
        """Index the signatures other writers stored since this index was built."""
        missing = list(db.signature_ids(conn) - self.sigs.keys())
        if missing:
            self.foreign.update(self._load(db.load_signatures_of(conn, missing)))

    def recheck(self, article: Article) -> str | None:
        """First copy of ``article`` among the articles other writers stored meanwhile."""
        best, _, _ = self.match(article, among=self.foreign)
        return self.root(best) if best else None

    def _index(self, aid: str, m: MinHash, size: int) -> None:
        if aid in self.sigs:
            return
        self.sigs[aid] = (m, size)
        self.lsh.insert(aid, m)

    def match(self, article: Article, among: set[str] | None = None) -> tuple[str | None, MinHash, int]:
        m, size = signature(article.body)
        if size < MIN_SHINGLES:
            return None, m, size
        best, best_c = None, 0.0
        for cand in self.lsh.query(m):
            if cand == article.id or (among is not None and cand not in among):
                continue
            cm, csize = self.sigs[cand]
            j, c = containment(m, size, cm, csize)
            if j >= MIN_JACCARD and c >= MIN_CONTAINMENT and (c > best_c or (c == best_c and cand < (best or ""))):
                best, best_c = cand, c
        return best, m, size

    def check(self, article: Article) -> str | None:
        """Id of the first copy of this article's text, or None when it is new."""
        best, m, size = self.match(article)
        self._last = (article.id, m, size)  # add() right after check() reuses the signature
        return self.root(best) if best else None

    def root(self, aid: str) -> str:
        seen = set()
        while aid in self.first and aid not in seen:
            seen.add(aid)
            aid = self.first[aid]
        if self.store is not None:
            with self.store.engine.connect() as conn:
                aid = db.root_of(conn, aid)
        return aid

    def add(self, article: Article, duplicate_of: str | None = None) -> None:
        last = getattr(self, "_last", None)
        m, size = (last[1], last[2]) if last and last[0] == article.id else signature(article.body)
        if duplicate_of:
            self.first[article.id] = duplicate_of
        if size >= MIN_SHINGLES:
            self._index(article.id, m, size)

    def persist(self, conn: Any, article_id: str) -> None:
        """Write an indexed article's signature (in the caller's transaction)."""
        if article_id in self.sigs:
            m, size = self.sigs[article_id]
            db.save_signature(conn, article_id, NUM_PERM, size, m.hashvalues.astype(np.uint64).tobytes())
