"""Persistence for screening runs, feedback and seen Slack events (SQLite or Postgres, SQLAlchemy Core)."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    create_engine,
    delete,
    insert,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError

from bot.screening import ScreeningRun, Verdict


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, returns tz-aware UTC; SQLite has no time zones, so it keeps naive UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a tz-aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

screening_runs = Table(
    "screening_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("team_id", String(64), nullable=False),
    Column("language", String(16), nullable=False),
    Column("partner_name", Text, nullable=False),
    Column("partner_type", Text, nullable=False),
    # JSON as text rather than a JSON column type, so one schema serves SQLite and Postgres alike.
    Column("contributions", Text, nullable=False),  # JSON list of strings
    Column("answers", Text, nullable=False),  # JSON object: criterion ID -> verdict value
    Column("notes", Text, nullable=False),
    Index("ix_screening_runs_user_created", "user_id", "created_at"),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("intent", String(128)),
    Column("language", String(16), nullable=False),
    Column("helpful", Boolean, nullable=False),
    Column("message_ts", String(64), nullable=False),
)

processed_events = Table(
    "processed_events",
    metadata,
    # The primary key is what makes claim_event atomic across processes.
    Column("event_id", String(255), primary_key=True),
    Column("seen_at", UTCDateTime, nullable=False),
    Index("ix_processed_events_seen_at", "seen_at"),
)

_CSV_FIXED_HEAD = ["id", "created_at", "partner_name", "partner_type", "contributions"]
# Spreadsheets run cells starting with these as formulas (OWASP CSV injection list).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Each failed pass means another process created a table or index, which the next pass skips: one pass per
# object, plus the one that finds them all, always suffices (3 did not with 8 starters on a busy machine).
_CREATE_ATTEMPTS = sum(1 + len(t.indexes) for t in metadata.tables.values()) + 1
# Slack retries an event within minutes; a day of event IDs is ample, and pruning keeps the table small.
EVENT_MEMORY = timedelta(days=1)
PRUNE_EVERY = 500  # claims between prunes, per process


class Store:
    """The bot's database: one engine, schema created on start."""

    def __init__(self, url: str, *, create_schema: bool = True) -> None:
        """Connect lazily; create missing tables unless create_schema is False."""
        is_sqlite = make_url(url).get_backend_name() == "sqlite"
        # Bolt handlers run in worker threads; SQLAlchemy's pool already serialises use of a connection.
        connect_args = {"check_same_thread": False} if is_sqlite else {}
        self.engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
        self._claims = itertools.count(1)
        if create_schema:
            self.create_schema()

    def create_schema(self) -> None:
        """Create missing tables; safe when several processes start at once."""
        # Connection errors propagate at once; only failed DDL is retried.
        with self.engine.connect() as conn:
            for attempt in range(_CREATE_ATTEMPTS):
                try:
                    with conn.begin():
                        metadata.create_all(conn)
                    return
                except DBAPIError:
                    # Another process created a table between our existence check and our CREATE
                    # (Postgres reports a duplicate pg_type row); the next pass sees it and skips it.
                    if attempt == _CREATE_ATTEMPTS - 1:
                        raise

    def claim_event(self, event_id: str) -> bool:
        """True the first time any process claims event_id, False on every later call (within EVENT_MEMORY)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(processed_events).values(event_id=event_id, seen_at=_now()))
        except IntegrityError:
            return False
        if next(self._claims) % PRUNE_EVERY == 0:
            self.prune_events(EVENT_MEMORY)
        return True

    def prune_events(self, older_than: timedelta) -> int:
        """Forget events seen more than older_than ago; return how many were removed."""
        cutoff = _now() - older_than
        with self.engine.begin() as conn:
            result = conn.execute(delete(processed_events).where(processed_events.c.seen_at < cutoff))
        return result.rowcount

    def save_run(self, run: ScreeningRun) -> ScreeningRun:
        """Insert run as a new row; return it with its id and created_at."""
        created_at = _now()
        values = {
            "created_at": created_at,
            "user_id": run.user_id,
            "team_id": run.team_id,
            "language": run.language,
            "partner_name": run.partner_name,
            "partner_type": run.partner_type,
            "contributions": json.dumps(list(run.contributions), ensure_ascii=False),
            "answers": json.dumps({k: Verdict(v).value for k, v in run.answers.items()}, ensure_ascii=False),
            "notes": run.notes,
        }
        with self.engine.begin() as conn:
            result = conn.execute(insert(screening_runs).values(values))
        return replace(run, id=result.inserted_primary_key[0], created_at=created_at)

    def get_run(self, run_id: int, user_id: str) -> ScreeningRun | None:
        """The run with run_id if user_id owns it, else None."""
        query = select(screening_runs).where(
            screening_runs.c.id == run_id, screening_runs.c.user_id == user_id
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return _run(row) if row else None

    def list_runs(self, user_id: str, limit: int = 10) -> list[ScreeningRun]:
        """The user's most recent runs, newest first."""
        query = (
            select(screening_runs)
            .where(screening_runs.c.user_id == user_id)
            .order_by(screening_runs.c.created_at.desc(), screening_runs.c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [_run(row) for row in conn.execute(query).mappings()]

    def export_csv(self, user_id: str) -> str:
        """All of the user's runs as CSV, oldest first, one column per criterion answered."""
        query = (
            select(screening_runs)
            .where(screening_runs.c.user_id == user_id)
            .order_by(screening_runs.c.created_at, screening_runs.c.id)
        )
        with self.engine.connect() as conn:
            runs = [_run(row) for row in conn.execute(query).mappings()]
        # dict keeps first-seen order, which follows the checklist's own order.
        criteria = list(dict.fromkeys(cid for run in runs for cid in run.answers))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([_cell(h) for h in [*_CSV_FIXED_HEAD, *criteria, "notes"]])
        for run in runs:
            assert run.created_at is not None  # always set on rows read back
            answers = [run.answers[c].value if c in run.answers else "" for c in criteria]
            writer.writerow([
                run.id,
                run.created_at.isoformat(),
                _cell(run.partner_name),
                _cell(run.partner_type),
                _cell(";".join(run.contributions)),
                *answers,
                _cell(run.notes),
            ])
        return out.getvalue()

    def save_feedback(
        self, *, user_id: str, intent: str | None, language: str, helpful: bool, message_ts: str = ""
    ) -> None:
        """Record whether an answer helped."""
        values = {
            "created_at": _now(),
            "user_id": user_id,
            "intent": intent,
            "language": language,
            "helpful": helpful,
            "message_ts": message_ts,
        }
        with self.engine.begin() as conn:
            conn.execute(insert(feedback).values(values))

    def healthy(self) -> bool:
        """True if the database answers SELECT 1; never raises."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:  # a health check reports failure, whatever its cause
            return False
        return True

    def close(self) -> None:
        """Close all pooled connections."""
        self.engine.dispose()


def _now() -> datetime:
    return datetime.now(UTC)


def _run(row: Mapping[str, Any]) -> ScreeningRun:
    return ScreeningRun(
        partner_name=row["partner_name"],
        partner_type=row["partner_type"],
        contributions=tuple(json.loads(row["contributions"])),
        answers={k: Verdict(v) for k, v in json.loads(row["answers"]).items()},
        notes=row["notes"],
        user_id=row["user_id"],
        team_id=row["team_id"],
        language=row["language"],
        id=row["id"],
        created_at=row["created_at"],
    )


def _cell(value: str) -> str:
    """Quote a cell a spreadsheet would otherwise evaluate as a formula."""
    return "'" + value if value.startswith(_FORMULA_PREFIXES) else value
