"""Drop events another delivery already handled: Slack retries, and every process shares one database."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse

log = logging.getLogger(__name__)


def event_dedupe(claim_event: Callable[[str], bool]) -> Callable[..., BoltResponse | None]:
    """A global middleware: an event_callback goes on only if this delivery first claims its event_id.

    The claim is taken before the listener runs, so an event is answered at most once; a claim that fails
    (database down) raises, Bolt answers 500 and Slack retries later.
    """

    def dedupe(body: dict, request: BoltRequest, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not event_id or claim_event(event_id):
            return next()
        headers = request.headers
        log.info(
            "duplicate event dropped",
            extra={
                "event_id": event_id,
                "retry_num": (headers.get("x-slack-retry-num") or [None])[0],
                "retry_reason": (headers.get("x-slack-retry-reason") or [None])[0],
            },
        )
        return BoltResponse(status=200, body="")

    return dedupe
