"""Shared fixtures: real SQLite and Postgres databases, each test on empty tables."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from bot.storage import Store

# Local test server with trust auth; the role is "postgres" on most setups, the OS user on others.
POSTGRES_URLS = (
    "postgresql+psycopg://postgres@127.0.0.1:5432/test?connect_timeout=5",
    "postgresql+psycopg://root@127.0.0.1:5432/test?connect_timeout=5",
)


@pytest.fixture(scope="session")
def _postgres_server() -> URL:
    """The first reachable Postgres URL; skip (fail on CI) when there is none."""
    errors = []
    for url in POSTGRES_URLS:
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return make_url(url)
        except OperationalError as err:
            errors.append(str(err.orig).strip().splitlines()[0])
        finally:
            engine.dispose()
    reason = "Postgres unreachable: " + "; ".join(errors)
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'bot.db'}"


@pytest.fixture
def postgres_url(_postgres_server: URL) -> Iterator[str]:
    """A URL whose search_path is a fresh schema, dropped afterwards, so runs never see each other."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_postgres_server)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _postgres_server.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request) -> str:
    """The URL of an empty database, once per backend."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    store = Store(db_url)
    yield store
    store.close()
