"""Story clusters: articles about the same real-world event, grouped as they arrive.

Incremental average-link clustering. Each article is a unit TF-IDF vector
(:func:`eventwire.cluster.features.vector`: content words, resolved entities, places, event
types); a story keeps the *sum* of its members' vectors, so the average similarity of a new
article to a story's members is one sparse dot product divided by the member count. The article
joins the best story whose average similarity reaches :data:`THRESHOLD` and whose date span is
within :data:`DATE_WINDOW_DAYS` of the article's publication date (when both are known); otherwise it starts
a story. Nothing is recomputed for earlier articles.

Candidate stories come from an inverted index of story terms, looked up with the article's
heaviest terms, so the cost per article does not grow with the number of stories.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..records import Result, content_id
from ..store import clusters as db
from .features import article_date, vector

# Average cosine similarity to a story's members needed to join it. Chosen by a sweep over
# 0.10–0.30 on ECB+ dev, all 33 topics clustered together (`python -m eventwire.eval.clusters
# --sweep`; table in docs/clusters.md): B-cubed F1 0.850–0.868 on the plateau 0.14–0.24, 0.776 at
# 0.10 and 0.794 at 0.30. Two-fold by topic: the best threshold on odd topics is 0.18 (0.872 on
# even ones), on even topics 0.22 (0.874 on odd ones); 0.20 is the middle of the plateau.
THRESHOLD = 0.20
# A follow-up of the same event is reported within days; a week either side of a story's dates.
# Not measured (ECB+ documents carry no dates); a setting rather than a fit.
DATE_WINDOW_DAYS = 7
# Heaviest article terms used to look up candidate stories. A story sharing none of an article's
# 30 most specific words, names or places is far below THRESHOLD in practice.
LOOKUP_TERMS = 30
# Terms kept in a stored story vector (sum of members): the tail weighs little once summed.
STORY_TERMS = 600


def _day(s: str | None) -> dt.date | None:
    if not s:
        return None
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return None


@dataclass
class Story:
    id: str
    n: int = 0
    vec: dict[str, float] = field(default_factory=dict)
    date_start: str | None = None
    date_end: str | None = None
    title: str | None = None

    def similarity(self, v: dict[str, float]) -> float:
        s = self.vec
        return sum(w * s.get(t, 0.0) for t, w in v.items()) / max(1, self.n)

    def near(self, day: dt.date | None, window: int) -> bool:
        a, b = _day(self.date_start), _day(self.date_end)
        if day is None or a is None or b is None:
            return True
        pad = dt.timedelta(days=window)
        return a - pad <= day <= b + pad

    def add(self, v: dict[str, float], day: str | None) -> None:
        self.n += 1
        for t, w in v.items():
            self.vec[t] = self.vec.get(t, 0.0) + w
        if len(self.vec) > STORY_TERMS:
            self.vec = dict(heapq.nlargest(STORY_TERMS, self.vec.items(), key=lambda kv: kv[1]))
        if day:
            self.date_start = min(self.date_start or day, day)
            self.date_end = max(self.date_end or day, day)

    def row(self) -> dict[str, Any]:
        return {"id": self.id, "n_articles": self.n, "date_start": self.date_start, "date_end": self.date_end,
                "title": self.title, "vector": {t: round(w, 6) for t, w in self.vec.items()}}


class StoryIndex:
    """The in-memory clustering state; :class:`StoryClusterer` adds persistence."""

    def __init__(self, threshold: float = THRESHOLD, window_days: int = DATE_WINDOW_DAYS) -> None:
        self.threshold = threshold
        self.window = window_days
        self.stories: dict[str, Story] = {}
        self.postings: dict[str, set[str]] = defaultdict(set)

    def load(self, story: Story) -> None:
        self.stories[story.id] = story
        for t in story.vec:
            self.postings[t].add(story.id)

    def best(self, v: dict[str, float], day: str | None) -> tuple[Story | None, float]:
        d = _day(day)
        cands: set[str] = set()
        for t, _ in heapq.nlargest(LOOKUP_TERMS, v.items(), key=lambda kv: kv[1]):
            cands |= self.postings.get(t, set())
        best, score = None, 0.0
        for sid in sorted(cands):
            st = self.stories[sid]
            if not st.near(d, self.window):
                continue
            s = st.similarity(v)
            if s > score:
                best, score = st, s
        return best, score

    def assign(self, key: str, v: dict[str, float], day: str | None = None,
               title: str | None = None) -> Story:
        """Put one article (``key``: its id) in a story; returns the story, updated."""
        st, score = self.best(v, day)
        if st is None or score < self.threshold:
            st = Story(id=content_id("story", key), title=title)
            self.stories[st.id] = st
        before = set(st.vec)
        st.add(v, day)
        for t in set(st.vec) - before:
            self.postings[t].add(st.id)
        for t in before - set(st.vec):
            self.postings[t].discard(st.id)
        return st


class StoryClusterer:
    """Assigns each stored article to a story, incrementally, and records it in the store."""

    def __init__(self, store: Any, threshold: float = THRESHOLD, window_days: int = DATE_WINDOW_DAYS) -> None:
        self.store = store
        self.threshold, self.window_days = threshold, window_days
        with store.engine.connect() as conn:
            self.refresh(conn)

    def refresh(self, conn: Any) -> None:
        """Rebuild the index from the store (after another writer changed stories)."""
        self.index = StoryIndex(self.threshold, self.window_days)
        for r in db.load_stories(conn):
            self.index.load(Story(id=r["id"], n=r["n_articles"], vec=dict(r["vector"] or {}),
                                  date_start=r["date_start"], date_end=r["date_end"], title=r["title"]))

    def assign(self, result: Result, conn: Any | None = None) -> str:
        """Story id of the article of ``result`` (stored first by ``Store.upsert``)."""
        if conn is None:
            with self.store.engine.begin() as c:
                return self.assign(result, c)
        art = result.article
        have = db.story_of(conn, art.id)
        if have:
            return str(have)  # re-ingest: already placed
        st = self.index.assign(art.id, vector(result), article_date(result), art.title)
        db.save_story(conn, st.row())
        db.set_story(conn, art.id, st.id)
        return st.id
