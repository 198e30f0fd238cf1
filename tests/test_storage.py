"""Store against real SQLite and Postgres databases."""

from __future__ import annotations

import csv
import io
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from bot import storage
from bot.screening import ScreeningRun, Verdict
from bot.storage import Store, feedback, processed_events, screening_runs


def make_run(user_id: str = "U1", partner_name: str = "Acme Ltd", **kw) -> ScreeningRun:
    fields = {
        "partner_type": "private company",
        "contributions": ("funding", "expertise"),
        "answers": {"c1": Verdict.YES, "c2": Verdict.NO, "c3": Verdict.UNSURE},
        "notes": "met at a fair",
        "team_id": "T1",
        "language": "fr",
    } | kw
    return ScreeningRun(partner_name=partner_name, user_id=user_id, **fields)


def test_run_round_trip(store: Store) -> None:
    before = datetime.now(UTC)
    saved = store.save_run(make_run())
    assert saved.id is not None
    assert saved.created_at is not None and saved.created_at.tzinfo is not None
    assert before <= saved.created_at <= datetime.now(UTC)

    loaded = store.get_run(saved.id, "U1")
    assert loaded == saved  # compares every field but created_at
    assert loaded.created_at == saved.created_at
    assert loaded.created_at.utcoffset() == timedelta(0)
    assert loaded.contributions == ("funding", "expertise")
    assert all(type(v) is Verdict for v in loaded.answers.values())
    assert (loaded.notes, loaded.team_id, loaded.language) == ("met at a fair", "T1", "fr")


def test_list_runs_newest_first_and_limited(store: Store) -> None:
    ids = [store.save_run(make_run(partner_name=f"P{i}")).id for i in range(5)]
    store.save_run(make_run(user_id="U2"))
    assert [r.id for r in store.list_runs("U1")] == ids[::-1]
    assert [r.id for r in store.list_runs("U1", limit=2)] == ids[:-3:-1]
    assert store.list_runs("nobody") == []


def test_get_run_refuses_other_users_run(store: Store) -> None:
    saved = store.save_run(make_run(user_id="U1"))
    assert store.get_run(saved.id, "U2") is None
    assert store.get_run(saved.id + 1000, "U1") is None


def test_export_csv(store: Store) -> None:
    first = store.save_run(make_run(partner_name="Société Générale – Zürich 東京"))
    second = store.save_run(make_run(
        partner_name="=HYPERLINK(\"http://evil\")",
        partner_type="+type",
        contributions=("-1", "@sum"),
        answers={"c2": Verdict.YES, "c4": Verdict.NO},
        notes="@notes",
    ))
    store.save_run(make_run(user_id="U2", partner_name="Someone else's"))

    rows = list(csv.reader(io.StringIO(store.export_csv("U1"))))
    assert rows[0] == [
        "id", "created_at", "partner_name", "partner_type", "contributions", "c1", "c2", "c3", "c4", "notes",
    ]
    assert rows[1] == [
        str(first.id), first.created_at.isoformat(), "Société Générale – Zürich 東京", "private company",
        "funding;expertise", "yes", "no", "unsure", "", "met at a fair",
    ]
    assert rows[2] == [
        str(second.id), second.created_at.isoformat(), "'=HYPERLINK(\"http://evil\")", "'+type",
        "'-1;@sum", "", "yes", "", "no", "'@notes",
    ]
    assert len(rows) == 3  # U2's run is not exported


def test_export_csv_without_runs_is_just_a_header(store: Store) -> None:
    assert store.export_csv("U1") == "id,created_at,partner_name,partner_type,contributions,notes\n"


def test_feedback_saved(store: Store) -> None:
    store.save_feedback(
        user_id="U1", intent="what_is_interpol", language="de", helpful=True, message_ts="1.2"
    )
    store.save_feedback(user_id="U2", intent=None, language="en", helpful=False)
    with store.engine.connect() as conn:
        rows = conn.execute(select(feedback).order_by(feedback.c.id)).mappings().all()
    assert [(r["user_id"], r["intent"], r["language"], r["helpful"], r["message_ts"]) for r in rows] == [
        ("U1", "what_is_interpol", "de", True, "1.2"),
        ("U2", None, "en", False, ""),
    ]
    assert all(r["created_at"].tzinfo is not None for r in rows)


def test_claim_event_once(store: Store) -> None:
    assert store.claim_event("Ev1") is True
    assert store.claim_event("Ev1") is False
    assert store.claim_event("Ev2") is True


def test_claim_event_across_store_instances(db_url: str) -> None:
    first, second = Store(db_url), Store(db_url)
    try:
        assert first.claim_event("Ev1") is True
        assert second.claim_event("Ev1") is False
        assert second.claim_event("Ev2") is True
        assert first.claim_event("Ev2") is False
    finally:
        first.close()
        second.close()


def test_claim_event_concurrently_from_threads(store: Store) -> None:
    barrier = threading.Barrier(8)

    def claim(_: int) -> bool:
        barrier.wait()
        return store.claim_event("EvRace")

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(claim, range(8)))
    assert results.count(True) == 1


def _start_and_claim(url: str) -> bool:
    """One bot process starting up: create the schema, then claim the same event."""
    store = Store(url)
    try:
        return store.claim_event("EvProcess")
    finally:
        store.close()


def test_processes_start_and_claim_concurrently(db_url: str) -> None:
    # Real processes: each races on create_all against a fresh database, then on the same event.
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_start_and_claim, [db_url] * 4)
    assert results.count(True) == 1


def test_concurrent_schema_creation(db_url: str) -> None:
    barrier = threading.Barrier(8)

    def start(_: int) -> Store:
        barrier.wait()
        return Store(db_url)

    with ThreadPoolExecutor(8) as pool:
        stores = list(pool.map(start, range(8)))
    try:
        assert all(s.healthy() for s in stores)
    finally:
        for s in stores:
            s.close()


def test_create_schema_twice_is_harmless(store: Store) -> None:
    saved = store.save_run(make_run())
    store.create_schema()
    again = Store(store.engine.url.render_as_string(hide_password=False))
    try:
        assert again.get_run(saved.id, "U1") == saved
    finally:
        again.close()


def test_healthy(store: Store) -> None:
    assert store.healthy() is True


def test_unhealthy_when_database_unreachable() -> None:
    store = Store("postgresql+psycopg://nobody@127.0.0.1:1/x?connect_timeout=2", create_schema=False)
    try:
        assert store.healthy() is False
    finally:
        store.close()


def test_unreachable_database_fails_on_start() -> None:
    with pytest.raises(Exception, match="127.0.0.1"):
        Store("postgresql+psycopg://nobody@127.0.0.1:1/x?connect_timeout=2")


def test_prune_events(store: Store) -> None:
    old = datetime.now(UTC) - timedelta(days=3)
    with store.engine.begin() as conn:
        conn.execute(insert(processed_events).values(event_id="EvOld", seen_at=old))
    store.claim_event("EvNew")

    assert store.prune_events(timedelta(days=1)) == 1
    assert store.claim_event("EvOld") is True  # forgotten, so claimable again
    assert store.claim_event("EvNew") is False
    assert store.prune_events(timedelta(days=1)) == 0


def test_claims_prune_old_events_on_their_own(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(storage, "PRUNE_EVERY", 2)
    old = datetime.now(UTC) - storage.EVENT_MEMORY - timedelta(hours=1)
    with store.engine.begin() as conn:
        conn.execute(insert(processed_events).values(event_id="EvStale", seen_at=old))
    assert store.claim_event("Ev1") and store.claim_event("Ev2")  # the second claim prunes
    with store.engine.connect() as conn:
        left = {row.event_id for row in conn.execute(select(processed_events.c.event_id))}
    assert left == {"Ev1", "Ev2"}


def test_tables_start_empty(store: Store) -> None:
    # Guards the fixtures' isolation: nothing leaks in from earlier tests or runs.
    with store.engine.connect() as conn:
        for table in (screening_runs, feedback, processed_events):
            assert conn.execute(select(table)).first() is None
