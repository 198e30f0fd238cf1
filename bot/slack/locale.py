"""A user's Slack locale (users.info), cached per user: only a hint for the engine's language choice."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger(__name__)


class LocaleCache:
    """user ID -> Slack locale such as 'es-ES'; None when Slack cannot say (the engine uses its default)."""

    def __init__(
        self,
        ttl: float = 3600.0,
        error_ttl: float = 60.0,
        max_users: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl, self.error_ttl, self.max_users, self.clock = ttl, error_ttl, max_users, clock
        self._entries: dict[str, tuple[float, str | None]] = {}
        self._lock = threading.Lock()
        self._fetching: dict[str, threading.Lock] = {}  # one users.info call per user, however many events race

    def get(self, client: WebClient, user_id: str | None) -> str | None:
        if not user_id:
            return None
        cached = self._cached(user_id)
        if cached is not None:
            return cached[1]
        with self._lock:
            user_lock = self._fetching.setdefault(user_id, threading.Lock())
        with user_lock:
            cached = self._cached(user_id)
            if cached is not None:
                return cached[1]
            return self._fetch(client, user_id)

    def _cached(self, user_id: str) -> tuple[float, str | None] | None:
        with self._lock:
            cached = self._entries.get(user_id)
        return cached if cached and cached[0] > self.clock() else None

    def _fetch(self, client: WebClient, user_id: str) -> str | None:
        now = self.clock()
        try:
            response = client.users_info(user=user_id, include_locale=True)
            locale, ttl = (response.get("user") or {}).get("locale"), self.ttl
        except (SlackApiError, SlackClientError, OSError) as error:
            # A missing scope or a rate limit must not stop the answer: remember briefly, answer anyway.
            log.warning("users.info failed", extra={"user": user_id, "error": type(error).__name__})
            locale, ttl = None, self.error_ttl
        with self._lock:
            if len(self._entries) >= self.max_users:
                self._entries.clear()
                self._fetching.clear()
            self._entries[user_id] = (now + ttl, locale)
        return locale
