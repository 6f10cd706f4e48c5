"""Store fixtures shared by the review tests."""

from __future__ import annotations

import pytest


@pytest.fixture()
def rstore(store_url):  # type: ignore[no-untyped-def]
    """A store of each backend filled with the serve tests' sample events (tests/serve/sample)."""
    from eventwire.store import Store
    from tests.serve.sample import fill

    s = Store(store_url)
    fill(s)
    yield s
    s.close()
