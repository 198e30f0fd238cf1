"""The WSGI app gunicorn serves: Slack's requests to Bolt, a health check, and clean 4xx for bad input."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.request.internals import parse_body

from bot.slack.app import drain

if TYPE_CHECKING:
    from bot.storage import Store

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_AGE = 5 * 60  # seconds: Slack's (and Bolt's) limit on a request's age
MAX_BODY = 1_000_000  # Slack's payloads are far smaller; anything bigger is not from Slack

StartResponse = Callable[..., object]


def _reply(
    start_response: StartResponse, status: str, body: dict | str, headers: Iterable[tuple[str, str]] = ()
) -> list[bytes]:
    if isinstance(body, dict):
        data, kind = json.dumps(body).encode(), "application/json"
    else:
        data, kind = body.encode(), "text/plain; charset=utf-8"
    start_response(status, [("Content-Type", kind), ("Content-Length", str(len(data))), *headers])
    return [data]


def _well_formed(raw: bytes, content_type: str | None) -> bool:
    """Whether Bolt can parse the body: the same rules as Bolt's own parser, without its 500 on failure."""
    try:
        return isinstance(parse_body(raw.decode("utf-8"), content_type), dict)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        return False


class WebApp:
    """Routes POST /slack/events to Bolt (which verifies signatures: 401), GET /healthz, 404 elsewhere."""

    def __init__(self, app: App, store: Store, signing_secret: str) -> None:
        self.app = app
        self.store = store
        self.bolt = SlackRequestHandler(app, path=EVENTS_PATH)
        self.secret = signing_secret.encode()

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH:
            if method not in ("GET", "HEAD"):
                return _reply(
                    start_response, "405 Method Not Allowed", {"ok": False}, [("Allow", "GET, HEAD")]
                )
            healthy = self.store.healthy()
            return _reply(start_response, "200 OK" if healthy else "503 Service Unavailable", {"ok": healthy})
        if path != EVENTS_PATH:
            return _reply(start_response, "404 Not Found", "Not Found")
        if method != "POST":
            return _reply(start_response, "405 Method Not Allowed", "Method Not Allowed", [("Allow", "POST")])
        return self._slack(environ, start_response)

    def _slack(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _reply(start_response, "400 Bad Request", "Bad Request")
        if length > MAX_BODY:
            return _reply(start_response, "413 Content Too Large", "Content Too Large")
        raw = environ["wsgi.input"].read(length) if length > 0 else b""
        content_type = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip() or None
        if not _well_formed(raw, content_type):
            # Bolt would answer 500 (and Slack would retry); a bad signature still means 401.
            signed = self._signed(raw, environ)
            log.warning("malformed body", extra={"length": length, "signed": signed})
            if signed:
                return _reply(start_response, "400 Bad Request", "Bad Request")
            return _reply(start_response, "401 Unauthorized", {"error": "invalid request"})
        environ = {**environ, "wsgi.input": io.BytesIO(raw), "CONTENT_LENGTH": str(len(raw))}
        return self.bolt(environ, start_response)

    def _signed(self, raw: bytes, environ: dict) -> bool:
        """Slack's signature check for a body Bolt never sees (slack_sdk's verifier needs UTF-8)."""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or ""
        signature = environ.get("HTTP_X_SLACK_SIGNATURE") or ""
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_AGE:
            return False
        digest = hmac.new(self.secret, b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
        return hmac.compare_digest(f"v0={digest}", signature)

    def close(self) -> None:
        """At shutdown: finish the listener work Bolt already acknowledged, then release the database."""
        drain(self.app)
        self.store.close()
