"""The WSGI app gunicorn serves: routing, signatures, bad bodies, the health check, start-up, shutdown."""

from __future__ import annotations

import gc
import json
import logging
import time

import pytest
from fake_slack import SECRET, call_wsgi, event_body, harness, mention, sign

from bot import serve
from bot.errors import ConfigError
from bot.storage import Store
from bot.web import WebApp


@pytest.fixture
def slack(tmp_path):
    with harness(tmp_path) as h:
        yield h


def signed_post(web, body: bytes, content_type: str = "application/json", **sign_args):
    return call_wsgi(
        web, "POST", "/slack/events", body, {"Content-Type": content_type, **sign(body, **sign_args)}
    )


def mention_body(text: str = "what is interpol?", event_id: str = "Ev_WEB") -> bytes:
    return json.dumps(event_body(mention(text), event_id)).encode()


def test_healthz_is_ok_when_the_database_answers(slack):
    response = call_wsgi(slack.web, "GET", "/healthz")
    assert response.status == 200 and response.json() == {"ok": True}
    assert response.headers["Content-Type"] == "application/json"


def test_healthz_is_503_when_the_database_is_unreachable(slack):
    store = Store("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1", create_schema=False)
    try:
        response = call_wsgi(WebApp(slack.app, store, SECRET), "GET", "/healthz")
    finally:
        store.close()
    assert response.status == 503 and response.json() == {"ok": False}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 404),
        ("GET", "/slack/install", 404),
        ("POST", "/events", 404),
        ("GET", "/slack/events", 405),
        ("POST", "/healthz", 405),
    ],
)
def test_routing(slack, method, path, status):
    assert call_wsgi(slack.web, method, path).status == status


def test_a_bad_signature_is_401_and_nothing_runs(slack):
    body = mention_body()
    headers = {"Content-Type": "application/json", **sign(body, secret="not-the-secret")}
    assert call_wsgi(slack.web, "POST", "/slack/events", body, headers).status == 401
    unsigned = call_wsgi(slack.web, "POST", "/slack/events", body, {"Content-Type": "application/json"})
    assert unsigned.status == 401
    slack.settle()
    assert slack.fake.calls_to("chat.postMessage") == []
    # The rejected deliveries claimed nothing: the genuine one is still answered.
    assert signed_post(slack.web, body).status == 200
    slack.fake.wait_for("chat.postMessage")


def test_a_stale_timestamp_is_401(slack):
    response = signed_post(slack.web, mention_body(), timestamp=int(time.time()) - 6 * 60)
    assert response.status == 401
    slack.settle()
    assert slack.fake.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"type": "event_callback", "event": ', "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b"payload=%7Bnot+json", "application/x-www-form-urlencoded"),
        (b"payload=%5B1%5D", "application/x-www-form-urlencoded"),
        (b"\xff\xfe{", "application/json"),
    ],
)
def test_a_signed_malformed_body_is_400_not_500(slack, body, content_type):
    assert signed_post(slack.web, body, content_type).status == 400


def test_an_unsigned_malformed_body_is_401(slack):
    body = b'{"broken'
    assert (
        call_wsgi(slack.web, "POST", "/slack/events", body, {"Content-Type": "application/json"}).status
        == 401
    )
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": "soon",
        "X-Slack-Signature": "v0=x",
    }
    assert call_wsgi(slack.web, "POST", "/slack/events", body, headers).status == 401


def test_an_oversized_body_is_refused(slack):
    headers = {"Content-Type": "application/json", "Content-Length": str(2_000_000)}
    assert call_wsgi(slack.web, "POST", "/slack/events", b"{}", headers).status == 413


def test_close_waits_for_acknowledged_listener_work(slack):
    assert signed_post(slack.web, mention_body()).status == 200  # acked before the answer is posted
    slack.web.close()
    assert len(slack.fake.calls_to("chat.postMessage")) == 1  # no waiting needed: close() drained the pool


# --- start-up (bot.serve) -------------------------------------------------------------------------


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_wsgi_app_builds_the_whole_app_from_the_environment(tmp_path, monkeypatch, restore_logging):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    monkeypatch.setenv("LOG_LEVEL", "warning")
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    gc.unfreeze()
    web = serve.wsgi_app()
    try:
        assert call_wsgi(web, "GET", "/healthz").status == 200
        assert logging.getLogger().level == logging.WARNING
        assert gc.get_freeze_count() > 0  # the loaded knowledge is out of the collector's way
    finally:
        web.close()
        gc.unfreeze()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-test"}, "SLACK_SIGNING_SECRET is not set"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_SIGNING_SECRET": SECRET}, "SLACK_BOT_TOKEN must be"),
    ],
)
def test_wsgi_app_refuses_to_start_without_what_http_mode_needs(monkeypatch, restore_logging, env, message):
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(Exception, match=message) as raised:
        serve.wsgi_app()
    assert isinstance(raised.value, ConfigError) or type(raised.value).__name__ == "AppImportError"
    assert "xoxp-user-token" not in str(raised.value)


def test_log_lines_are_key_value():
    record = logging.LogRecord("bot.slack", logging.INFO, __file__, 1, "replied", None, None)
    record.surface, record.intent, record.chars, record.note = "mention", "interpol.overview", 17, "two words"
    line = serve.KeyValueFormatter().format(record)
    assert "level=INFO logger=bot.slack msg=replied surface=mention intent=interpol.overview chars=17" in line
    assert 'note="two words"' in line
