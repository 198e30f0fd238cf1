"""A fake Slack for end-to-end tests: a Web API server on loopback, signed requests, payload builders.

Modelled on bolt-python's tests/mock_web_api_server: a stdlib HTTP server records every Web API call
(method, parsed body, headers) and answers like Slack. The app under test is the real one: real Bolt,
real engine, real SQLite store, requests signed with the signing secret and sent through bot.web.WebApp.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import itertools
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit
from wsgiref.util import setup_testing_defaults

from bot.config import Settings
from bot.engine import Engine
from bot.slack.app import create_app
from bot.storage import Store
from bot.web import WebApp

SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token"
TEAM = "T_TEAM"
BOT_USER = "U_BOT"
BOT_ID = "B_BOT"
CHANNEL = "C_GENERAL"


# --- the fake Web API -----------------------------------------------------------------------------


@dataclass
class Call:
    """One request the app made: `method` is the Web API method ("chat.postMessage"), or
    "response" for a response_url post, or "upload" for a file upload."""

    method: str
    body: dict
    headers: dict
    path: str
    raw: bytes = b""

    @property
    def blocks(self) -> list[dict]:
        return self.body.get("blocks") or (self.body.get("view") or {}).get("blocks") or []

    def texts(self) -> str:
        """Every text in the call (top-level text and all block texts) joined, for content assertions."""
        return "\n".join(_texts(self.body))


def _texts(node) -> list[str]:
    if isinstance(node, dict):
        out = [node["text"]] if isinstance(node.get("text"), str) else []
        for key, value in node.items():
            if key != "text" or not isinstance(value, str):
                out += _texts(value)
        return out
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    return []


@dataclass
class _Failure:
    status: int
    headers: dict
    body: dict


class FakeSlack:
    """The Web API on 127.0.0.1, recording calls; `fail_next` makes calls fail (429 / 500 / an error)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.locales: dict[str, str] = {"U_ES": "es-ES", "U_EN": "en-US"}
        self._failures: dict[str, list[_Failure]] = {}
        self.delays: dict[str, float] = {}  # method -> seconds to wait before answering
        self._cond = threading.Condition()
        self._ts = itertools.count(1)
        self._responses = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.fake = self  # type: ignore[attr-defined]
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.api_url = f"{self.base}/api/"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what the tests use ---

    def response_url(self) -> str:
        return f"{self.base}/response/{next(self._responses)}"

    def fail_next(
        self, method: str, status: int = 429, times: int = 1, retry_after: int = 1, error: str | None = None
    ) -> None:
        """The next `times` calls to `method` fail: 429 with Retry-After, a 5xx, or ok=false with `error`."""
        headers = {"Retry-After": str(retry_after)} if status == 429 else {}
        body = {"ok": False, "error": error or ("ratelimited" if status == 429 else "internal_error")}
        with self._cond:
            self._failures.setdefault(method, []).extend(
                _Failure(status, headers, body) for _ in range(times)
            )

    def calls_to(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def methods(self) -> list[str]:
        with self._cond:
            return [c.method for c in self.calls]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The calls to `method` once there are at least `count` (Bolt runs listeners on its own threads)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self.calls if c.method == method]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{count} call(s) to {method} expected; recorded: {self.methods()}")
                self._cond.wait(left)

    def reset(self) -> None:
        with self._cond:
            self.calls.clear()

    # --- serving ---

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def _failure(self, method: str) -> _Failure | None:
        with self._cond:
            queue = self._failures.get(method)
            return queue.pop(0) if queue else None

    def handle(self, method: str, body: dict) -> dict:
        ts = f"1700000000.{next(self._ts):06d}"
        user = body.get("user") or body.get("users") or ""
        canned = {
            "auth.test": {
                "ok": True,
                "url": "https://example.slack.com/",
                "team": "Team",
                "user": "interpol",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
            },
            "chat.postMessage": {
                "ok": True,
                "channel": body.get("channel"),
                "ts": ts,
                "message": {"text": body.get("text"), "ts": ts},
            },
            "chat.postEphemeral": {"ok": True, "message_ts": ts},
            "chat.update": {
                "ok": True,
                "channel": body.get("channel"),
                "ts": body.get("ts"),
                "text": body.get("text"),
            },
            "chat.delete": {"ok": True, "channel": body.get("channel"), "ts": body.get("ts")},
            "views.open": {"ok": True, "view": {**(body.get("view") or {}), "id": "V_MODAL"}},
            "views.update": {"ok": True, "view": {**(body.get("view") or {}), "id": "V_MODAL"}},
            "views.publish": {"ok": True, "view": {**(body.get("view") or {}), "id": "V_HOME"}},
            "users.info": {"ok": True, "user": {"id": user, "locale": self.locales.get(user, "en-US")}},
            "conversations.open": {"ok": True, "channel": {"id": f"D_{user}"}},
            "files.getUploadURLExternal": {
                "ok": True,
                "file_id": "F_CSV",
                "upload_url": f"{self.base}/upload/F_CSV",
            },
            "files.completeUploadExternal": {"ok": True, "files": [{"id": "F_CSV", "title": "csv"}]},
        }
        return canned.get(method, {"ok": False, "error": "unknown_method"})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        fake: FakeSlack = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = _parse(raw, self.headers.get("Content-Type") or "", parts.query)
        headers = {k.lower(): v for k, v in self.headers.items()}
        if parts.path.startswith("/api/"):
            method = parts.path[len("/api/") :]
            fake._record(Call(method, body, headers, parts.path, raw))
            time.sleep(fake.delays.get(method, 0))
            failure = fake._failure(method)
            if failure:
                return self._send(failure.status, failure.body, failure.headers)
            return self._send(200, fake.handle(method, body))
        kind = parts.path.strip("/").split("/")[0]  # "response" or "upload"
        fake._record(Call(kind, body, headers, parts.path, raw))
        return self._send(200, "ok" if kind == "response" else "OK - upload")

    def _send(self, status: int, body: dict | str, headers: dict | None = None) -> None:
        data = json.dumps(body).encode() if isinstance(body, dict) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if isinstance(body, dict) else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


def _parse(raw: bytes, content_type: str, query: str) -> dict:
    body: dict = dict(parse_qsl(query))
    if "json" in content_type and raw:
        body.update(json.loads(raw))
    elif "form-urlencoded" in content_type and raw:
        body.update(parse_qsl(raw.decode()))
    for key, value in body.items():  # slack_sdk sends blocks and views as JSON strings in forms
        if isinstance(value, str) and value[:1] in ("[", "{"):
            with suppress(ValueError):
                body[key] = json.loads(value)
    return body


# --- the app under test ---------------------------------------------------------------------------


@cache
def shared_engine() -> Engine:
    """The real engine, loaded once per test session (it takes about half a second)."""
    return Engine.load()


class TrackingExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, remembering its work so a test can wait until every listener has finished."""

    def __init__(self) -> None:
        super().__init__(max_workers=8, thread_name_prefix="test-listener")
        self._futures: list = []
        self._lock = threading.Lock()

    def submit(self, fn, /, *args, **kwargs):
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._futures.append(future)
        return future

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until all submitted work (and any work it submitted) is done; re-raise nothing."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                pending = [f for f in self._futures if not f.done()]
            if not pending:
                return
            wait(pending, timeout=max(0.0, deadline - time.monotonic()))
            if time.monotonic() > deadline:
                raise AssertionError("listeners still running")


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body or b"{}")


def sign(body: bytes, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    """The headers Slack sends: v0= + HMAC-SHA256(secret, 'v0:{ts}:{body}')."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def call_wsgi(app, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> Response:
    """One request through a WSGI app, as gunicorn would make it."""
    environ: dict = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
    setup_testing_defaults(environ)
    captured: dict = {}

    def start_response(status, response_headers, exc_info=None):
        captured["status"], captured["headers"] = int(status.split()[0]), dict(response_headers)

    data = b"".join(app(environ, start_response))
    return Response(captured["status"], captured["headers"], data)


class Harness:
    """The real app (Bolt + engine + SQLite store) wired to a FakeSlack, driven by signed requests."""

    def __init__(self, fake: FakeSlack, db_url: str, engine: Engine | None = None) -> None:
        self.fake = fake
        self.engine = engine or shared_engine()
        self.settings = Settings.from_env(
            {
                "SLACK_BOT_TOKEN": TOKEN,
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": fake.api_url,
                "DATABASE_URL": db_url,
            }
        )
        self.store = Store(self.settings.database_url)
        self.executor = TrackingExecutor()
        self.app = create_app(self.settings, self.engine, self.store, executor=self.executor)
        self.web = WebApp(self.app, self.store, SECRET)

    def close(self) -> None:
        self.web.close()

    def settle(self) -> None:
        self.executor.settle()

    # --- requests ---

    def post(
        self, body: bytes, content_type: str, headers: dict | None = None, timestamp: int | None = None
    ) -> Response:
        all_headers = {"Content-Type": content_type, **sign(body, timestamp), **(headers or {})}
        return call_wsgi(self.web, "POST", "/slack/events", body, all_headers)

    def event(self, event: dict, event_id: str | None = None, retry_num: int | None = None) -> Response:
        body = event_body(event, event_id)
        headers = (
            {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        )
        return self.post(json.dumps(body).encode(), "application/json", headers)

    def command(self, command: str, text: str = "", user: str = "U_EN", channel: str = CHANNEL) -> Response:
        form = {
            "token": "x",
            "team_id": TEAM,
            "team_domain": "team",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A_APP",
            "response_url": self.fake.response_url(),
            "trigger_id": f"trigger-{time.monotonic_ns()}",
        }
        return self.post(urlencode(form).encode(), "application/x-www-form-urlencoded")

    def interact(self, payload: dict) -> Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")

    def click(
        self,
        button: dict,
        user: str = "U_EN",
        *,
        channel: str = CHANNEL,
        message_ts: str | None = None,
        ephemeral: bool = False,
        view: bool = False,
    ) -> Response:
        """Click a button found in a recorded message (see find_button)."""
        if view:
            container = {"type": "view", "view_id": "V_HOME"}
        else:
            container = {
                "type": "message",
                "message_ts": message_ts or "1700000000.000001",
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            }
        payload = {
            "type": "block_actions",
            "user": {"id": user, "team_id": TEAM},
            "team": {"id": TEAM},
            "api_app_id": "A_APP",
            "trigger_id": f"trigger-{time.monotonic_ns()}",
            "container": container,
            "response_url": self.fake.response_url(),
            "actions": [
                {
                    "type": "button",
                    "action_id": button["action_id"],
                    "block_id": button["block_id"],
                    "value": button.get("value"),
                    "text": button["text"],
                    "action_ts": "1700000001.0",
                }
            ],
        }
        if not view:
            payload["channel"] = {"id": channel, "name": "general"}
        return self.interact(payload)


@contextmanager
def harness(tmp_path: Path, name: str = "bot.db") -> Iterator[Harness]:
    fake = FakeSlack().start()
    h = Harness(fake, f"sqlite:///{tmp_path / name}")
    try:
        yield h
    finally:
        h.close()
        fake.stop()


# --- payloads -------------------------------------------------------------------------------------

_EVENT_IDS = itertools.count(1)
_TS = itertools.count(1)


def new_ts() -> str:
    return f"1690000000.{next(_TS):06d}"


def event_body(event: dict, event_id: str | None = None) -> dict:
    return {
        "token": "x",
        "team_id": TEAM,
        "api_app_id": "A_APP",
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_EVENT_IDS):08d}",
        "event_time": int(time.time()),
        "event": event,
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True, "enterprise_id": None}],
    }


def mention(text: str, user: str = "U_EN", channel: str = CHANNEL, thread_ts: str | None = None) -> dict:
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER}> {text}",
        "ts": new_ts(),
        "channel": channel,
        "event_ts": "1",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def dm(text: str, user: str = "U_EN", **extra) -> dict:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": f"D_{user}",
        "user": user,
        "text": text,
        "ts": new_ts(),
        "event_ts": "1",
        **extra,
    }


# --- reading what the app sent --------------------------------------------------------------------


def buttons(blocks: list[dict]) -> list[dict]:
    """Every button in `blocks`, each with its block_id added."""
    found = []
    for block in blocks:
        elements = block.get("elements") or ([block["accessory"]] if block.get("accessory") else [])
        found += [{**e, "block_id": block.get("block_id")} for e in elements if e.get("type") == "button"]
    return found


def find_button(blocks: list[dict], action_id: str) -> dict:
    """The first button whose action_id is `action_id` or starts with `action_id_`."""
    for b in buttons(blocks):
        if b["action_id"] == action_id or b["action_id"].startswith(action_id + "_"):
            return b
    raise AssertionError(f"no {action_id} button in {[b['action_id'] for b in buttons(blocks)]}")


def block_ids(blocks: list[dict]) -> list[str]:
    return [b.get("block_id") for b in blocks]


def submission(view: dict, user: str = "U_EN", **fields) -> dict:
    """A view_submission for a modal the app opened, with `fields` filled in: partner_name, partner_type,
    contributions (list), answers ({criterion ID: yes/no/unsure}), notes. Missing fields stay empty."""
    values: dict = {}
    if fields.get("partner_name") is not None:
        values["partner_name"] = {"value": {"type": "plain_text_input", "value": fields["partner_name"]}}
    if fields.get("partner_type"):
        values["partner_type"] = {
            "value": {"type": "static_select", "selected_option": {"value": fields["partner_type"]}}
        }
    if fields.get("contributions"):
        values["contributions"] = {
            "value": {
                "type": "multi_static_select",
                "selected_options": [{"value": v} for v in fields["contributions"]],
            }
        }
    for criterion, verdict in (fields.get("answers") or {}).items():
        values[f"criterion_{criterion}"] = {
            "value": {"type": "radio_buttons", "selected_option": {"value": verdict}}
        }
    values["notes"] = {"value": {"type": "plain_text_input", "value": fields.get("notes")}}
    return {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "A_APP",
        "trigger_id": "trigger-submit",
        "view": {**view, "id": "V_MODAL", "state": {"values": values}},
        "response_urls": [],
    }


def global_shortcut(callback_id: str, user: str = "U_EN") -> dict:
    return {
        "type": "shortcut",
        "callback_id": callback_id,
        "trigger_id": "trigger-shortcut",
        "user": {"id": user, "team_id": TEAM},
        "team": {"id": TEAM},
        "action_ts": "1",
    }


def message_shortcut(
    callback_id: str, message: dict, channel: str, response_url: str, user: str = "U_EN"
) -> dict:
    return {
        "type": "message_action",
        "callback_id": callback_id,
        "trigger_id": "trigger-shortcut",
        "user": {"id": user, "team_id": TEAM},
        "team": {"id": TEAM},
        "channel": {"id": channel},
        "message": message,
        "response_url": response_url,
        "message_ts": message["ts"],
        "action_ts": "1",
    }
