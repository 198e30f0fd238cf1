"""The Procfile's web command, run as the platform runs it: boots, answers Slack, stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from fake_slack import (
    CHANNEL,
    SECRET,
    FakeSlack,
    dm,
    event_body,
    global_shortcut,
    harness,
    mention,
    message_shortcut,
    new_ts,
    sign,
)

ROOT = Path(__file__).resolve().parent.parent
BOT_TOKEN = "xoxb-procfile-test"


def web_command() -> str:
    lines = [line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")]
    assert len(lines) == 1, "the Procfile declares exactly one web process"
    return lines[0].removeprefix("web:").strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def post_event(base: str, event: dict, event_id: str) -> int:
    body = json.dumps(event_body(event, event_id)).encode()
    request = urllib.request.Request(
        f"{base}/slack/events",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", **sign(body)},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status


@pytest.fixture
def fake():
    fake = FakeSlack().start()
    yield fake
    fake.stop()


def test_procfile_web_process_serves_slack_and_stops_cleanly(fake, tmp_path):
    assert "$PORT" in web_command() and "0.0.0.0" in web_command()
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "WEB_CONCURRENCY"))
    }
    env.update(
        PORT=str(port),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
        LOG_LEVEL="INFO",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    log = tmp_path / "web.log"
    with log.open("wb") as out:
        # Platforms run Procfile lines with a shell; exec so SIGTERM reaches gunicorn itself.
        process = subprocess.Popen(
            ["/bin/sh", "-c", f"exec {web_command()}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while get_quietly(f"{base}/healthz") != 200:
            assert process.poll() is None, f"gunicorn exited early:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"/healthz never answered 200:\n{log.read_text()}"
            time.sleep(0.2)

        event = mention("where is interpol based?")
        assert post_event(base, event, "Ev_PROC_1") == 200
        (call,) = fake.wait_for("chat.postMessage", timeout=15)
        assert call.body["thread_ts"] == event["ts"] and "Lyon" in call.body["text"]
        assert call.headers["authorization"] == f"Bearer {BOT_TOKEN}"

        # SIGTERM while a listener still works (Slack slow on users.info): the answer still goes out.
        fake.delays["users.info"] = 2.0
        assert post_event(base, mention("what is interpol?", user="U_SLOW"), "Ev_PROC_2") == 200
        fake.wait_for("users.info", count=2, timeout=10)  # the listener has started
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log.read_text()
        assert len(fake.calls_to("chat.postMessage")) == 2, f"in-flight answer lost:\n{log.read_text()}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    text = log.read_text()
    assert "web app ready" in text
    assert BOT_TOKEN not in text and SECRET not in text
    assert "where is interpol based" not in text  # no user text in the logs at INFO


def get_quietly(url: str) -> int | None:
    try:
        return get(url)
    except OSError:
        return None


# --- the other deployment files agree with the code -----------------------------------------------


def test_manifest_declares_exactly_what_the_app_handles(tmp_path):
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    settings, features = manifest["settings"], manifest["features"]
    urls = {settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"]}
    urls |= {c["url"] for c in features["slash_commands"]}
    assert len(urls) == 1 and urls.pop().endswith("/slack/events")
    assert features["app_home"]["home_tab_enabled"] and features["app_home"]["messages_tab_enabled"]
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "app_mentions:read",
        "chat:write",
        "commands",
        "im:history",
        "im:write",
        "users:read",
        "files:write",
    }
    events = {
        "app_mention": mention("hi"),
        "message.im": dm("hi"),
        "app_home_opened": {"type": "app_home_opened", "user": "U_EN", "tab": "home", "event_ts": "1"},
    }
    assert set(settings["event_subscriptions"]["bot_events"]) == set(events)
    with harness(tmp_path) as slack:
        for event in events.values():
            assert slack.event(event).status == 200
        for command in features["slash_commands"]:
            assert slack.command(command["command"], "help").status == 200, command
        for shortcut in features["shortcuts"]:
            assert len(shortcut["name"]) <= 24
            if shortcut["type"] == "global":
                payload = global_shortcut(shortcut["callback_id"])
            else:
                message = {"type": "message", "user": "U_EN", "text": "hi", "ts": new_ts()}
                payload = message_shortcut(
                    shortcut["callback_id"], message, CHANNEL, slack.fake.response_url()
                )
            assert slack.interact(payload).status == 200, shortcut
        # Anything the manifest does not declare is unhandled: the checks above can fail.
        assert slack.command("/not-declared", "").status == 404
        slack.settle()


def test_app_json_documents_the_variables_the_platform_needs():
    app = json.loads((ROOT / "app.json").read_text())
    assert {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"} <= {
        k for k, v in app["env"].items() if v.get("required")
    }
    assert all(v["description"] for v in app["env"].values())
    assert {"plan": "heroku-postgresql"} in app["addons"]
    assert app["formation"]["web"]["quantity"] == 1
