"""Shared fixtures. ../shared (the public dev data) sits beside the checkout, in CI too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EVENTWIRE_SHARED", ROOT.parent / "shared"))
PG_URL = os.environ.get("EVENTWIRE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Starlette's TestClient sends "Host: testserver"; the served app answers only allowed hosts
# (tests/serve/test_hardening.py checks the default without this).
os.environ.setdefault("EVENTWIRE_ALLOWED_HOSTS", "localhost,127.0.0.1,::1,testserver")


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED} missing: CI must run with ../shared beside the checkout")
        pytest.skip(f"{SHARED} not found: put the shared data beside the checkout or set EVENTWIRE_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def seed_path(shared: Path) -> Path:
    return shared / "data" / "seed" / "000_18be8ac06041186b.txt"


@pytest.fixture()
def settings(tmp_path: Path):
    from eventwire.config import load_settings

    return load_settings(db=f"sqlite:///{tmp_path / 'test.db'}")


def _pg_available(url: str) -> str | None:
    try:
        import sqlalchemy as sa

        eng = sa.create_engine(url)
        with eng.connect() as c:
            c.execute(sa.text("select 1"))
        eng.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return str(exc).splitlines()[0]


@pytest.fixture(scope="session")
def pg_url() -> str:
    """URL of a real PostgreSQL. Skips with instructions when unreachable; in CI it must exist."""
    problem = _pg_available(PG_URL)
    if problem:
        msg = (
            f"PostgreSQL not reachable at {PG_URL} ({problem}). Start a server and set "
            "EVENTWIRE_TEST_PG=postgresql+psycopg://USER@HOST:PORT/DB to run these tests."
        )
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return PG_URL


@pytest.fixture()
def pg_schema_url(pg_url: str):
    """A fresh, empty PostgreSQL schema for one test (dropped afterwards): tests never see each
    other's rows and never touch the database's public schema."""
    import uuid

    import sqlalchemy as sa

    name = f"ew_test_{uuid.uuid4().hex[:10]}"
    eng = sa.create_engine(pg_url)
    with eng.begin() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    sep = "&" if "?" in pg_url else "?"
    yield f"{pg_url}{sep}options=-csearch_path%3D{name}"
    with eng.begin() as c:
        c.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
    eng.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path: Path) -> str:
    """Run a test against both stores: a temporary SQLite file and a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("pg_schema_url")
