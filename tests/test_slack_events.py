"""Mentions and DMs end to end: a signed event in, the Web API calls the fake Slack recorded out."""

from __future__ import annotations

import json
import logging
import time

import pytest
from fake_slack import (
    BOT_ID,
    BOT_USER,
    CHANNEL,
    FakeSlack,
    Harness,
    block_ids,
    buttons,
    dm,
    harness,
    mention,
    new_ts,
)
from slack_sdk import WebClient

from bot.slack.locale import LocaleCache


@pytest.fixture
def slack(tmp_path):
    with harness(tmp_path) as h:
        yield h


def sources(blocks: list[dict]) -> list[str]:
    return [b["elements"][0]["text"] for b in blocks if (b.get("block_id") or "").startswith("source_")]


def test_mention_in_channel_answers_in_a_thread_with_its_source(slack):
    event = mention("what is interpol?")
    assert slack.event(event).status == 200
    (call,) = slack.fake.wait_for("chat.postMessage")
    assert call.body["channel"] == CHANNEL
    assert call.body["thread_ts"] == event["ts"]  # a new thread under the question
    assert "194 countries" in call.body["text"]  # the plain-text fallback carries the answer
    assert call.blocks[0]["block_id"] == "answer" and "intergovernmental" in call.blocks[0]["text"]["text"]
    cited = sources(call.blocks)
    assert cited and all(text.startswith("*Source:*") and "“" in text for text in cited)
    assert "followups" in block_ids(call.blocks)
    assert call.headers["authorization"] == "Bearer xoxb-test-token"
    assert "link_names" not in call.body and "parse" not in call.body


def test_a_french_mention_gets_the_english_answer_with_the_language_note(slack):
    slack.event(mention("où se trouve le siège d'interpol ?", user="U_ES"))
    (call,) = slack.fake.wait_for("chat.postMessage")
    assert "headquarters are in" in call.blocks[0]["text"]["text"]  # English, though the asker's locale is Spanish
    (note,) = [b for b in call.blocks if b.get("block_id") == "note"]
    assert "English" in note["elements"][0]["text"] and "español" in note["elements"][0]["text"]


def test_mention_inside_a_thread_answers_in_that_thread(slack):
    event = mention("where is interpol based?", thread_ts="1690000000.000001")
    slack.event(event)
    (call,) = slack.fake.wait_for("chat.postMessage")
    assert call.body["thread_ts"] == "1690000000.000001"
    assert "Lyon" in call.body["text"]


def test_dm_in_spanish_gets_a_spanish_answer_in_the_dm(slack):
    slack.event(dm("¿Cuántos países son miembros de Interpol?", user="U_EN"))
    (call,) = slack.fake.wait_for("chat.postMessage")
    assert call.body["channel"] == "D_U_EN"
    assert "thread_ts" not in call.body  # a top-level DM gets a top-level answer
    assert "194" in call.body["text"] and "países" in call.body["text"]
    assert all(text.startswith("*Fuente:*") for text in sources(call.blocks))
    labels = [b["text"]["text"] for b in buttons(call.blocks)]
    assert "Útil" in labels and "Helpful" not in labels


def test_dm_inside_a_thread_answers_in_the_thread(slack):
    slack.event(dm("what is an ncb?", thread_ts="1690000000.000009"))
    (call,) = slack.fake.wait_for("chat.postMessage")
    assert call.body["thread_ts"] == "1690000000.000009"


def test_locale_is_only_a_hint_the_message_language_wins(slack):
    slack.event(
        mention("where is interpol headquartered?", user="U_ES")
    )  # a Spanish-locale user writing English
    (call,) = slack.fake.wait_for("chat.postMessage")
    assert "Lyon" in call.body["text"] and "sede" not in call.body["text"]
    (lookup,) = slack.fake.calls_to("users.info")
    assert lookup.body["user"] == "U_ES" and lookup.body["include_locale"] in ("1", "true")


def test_locale_decides_for_text_without_language(slack):
    slack.event(dm("interpol?", user="U_ES"))
    slack.event(dm("interpol?", user="U_EN"))
    calls = slack.fake.wait_for("chat.postMessage", 2)
    by_channel = {c.body["channel"]: c.body["text"] for c in calls}
    assert by_channel["D_U_ES"] != by_channel["D_U_EN"]
    assert by_channel["D_U_ES"] == slack.engine.answer("interpol.overview", "es").text
    assert by_channel["D_U_EN"] == slack.engine.answer("interpol.overview", "en").text


def test_user_locale_is_cached(slack):
    for _ in range(3):
        slack.event(mention("what is interpol?", user="U_ES"))
    slack.fake.wait_for("chat.postMessage", 3)
    assert len(slack.fake.calls_to("users.info")) == 1


def test_users_info_failure_still_answers_in_the_default_language(slack):
    slack.fake.fail_next("users.info", status=200, error="missing_scope")
    slack.event(dm("interpol", user="U_ES"))
    (call,) = slack.fake.wait_for("chat.postMessage")
    assert call.body["channel"] == "D_U_ES"


@pytest.mark.parametrize(
    "event",
    [
        dm("what is interpol?", bot_id="B_OTHER"),  # another bot
        dm("what is interpol?", subtype="bot_message"),
        dm("what is interpol?", user=BOT_USER),  # ourselves
        {**dm("what is interpol?"), "user": BOT_USER, "bot_id": BOT_ID},
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": "D_U_EN",
            "channel_type": "im",
            "ts": new_ts(),
            "message": {"type": "message", "user": "U_EN", "text": "what is interpol?", "ts": "1"},
        },
        {
            "type": "message",
            "subtype": "message_deleted",
            "channel": "D_U_EN",
            "channel_type": "im",
            "ts": new_ts(),
            "deleted_ts": "1",
        },
        dm("what is interpol?", subtype="file_share"),
        {**dm("what is interpol?"), "channel_type": "channel", "channel": CHANNEL},  # not a DM
        {**mention("what is interpol?"), "bot_id": "B_OTHER"},  # a bot mentioning us
    ],
    ids=[
        "other-bot",
        "bot-message",
        "own-user",
        "own-bot",
        "edit",
        "delete",
        "file-share",
        "channel",
        "bot-mention",
    ],
)
def test_messages_we_must_not_answer(slack, event):
    assert slack.event(event).status == 200
    slack.settle()
    assert slack.fake.calls_to("chat.postMessage") == []
    # The same pipeline does answer a person's DM: the silence above is a decision, not a broken app.
    slack.event(dm("what is interpol?"))
    (call,) = slack.fake.wait_for("chat.postMessage")
    assert call.body["channel"] == "D_U_EN"


def test_a_retried_event_is_answered_once(slack):
    event = mention("what is interpol?")
    assert slack.event(event, event_id="Ev_RETRY").status == 200
    assert slack.event(event, event_id="Ev_RETRY", retry_num=1).status == 200
    assert slack.event(event, event_id="Ev_RETRY", retry_num=2).status == 200
    slack.settle()
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


def test_two_processes_sharing_one_database_answer_once(tmp_path):
    fake = FakeSlack().start()
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first, second = Harness(fake, url), Harness(fake, url)
    try:
        event = mention("what is interpol?")
        assert first.event(event, event_id="Ev_SHARED").status == 200
        assert second.event(event, event_id="Ev_SHARED", retry_num=1).status == 200
        first.settle()
        second.settle()
        assert len(fake.calls_to("chat.postMessage")) == 1
        # Both processes do answer events of their own.
        second.event(mention("where is interpol based?"))
        fake.wait_for("chat.postMessage", 2)
    finally:
        first.close()
        second.close()
        fake.stop()


def test_a_rate_limited_post_is_retried_after_retry_after(slack):
    slack.fake.fail_next("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    slack.event(mention("what is interpol?"))
    calls = slack.fake.wait_for("chat.postMessage", 2, timeout=10)
    assert time.monotonic() - started >= 1.0  # waited as Retry-After said
    assert calls[0].body == calls[1].body
    slack.settle()
    assert len(slack.fake.calls_to("chat.postMessage")) == 2


def test_a_server_error_is_retried(slack):
    slack.fake.fail_next("chat.postMessage", status=500)
    slack.event(mention("what is interpol?"))
    calls = slack.fake.wait_for("chat.postMessage", 2, timeout=10)
    assert "194 countries" in calls[1].body["text"]


def test_out_of_scope_question_gets_the_fallback_and_topics_not_a_guess(slack):
    slack.event(mention("who won the football world cup?"))
    (call,) = slack.fake.wait_for("chat.postMessage")
    assert "won't guess" in call.body["text"]
    assert sources(call.blocks) == []
    assert [b["action_id"] for b in buttons(call.blocks)][:1] == ["followup_0"]


def test_logs_say_what_matched_but_never_the_question(slack, caplog):
    question = "what is interpol? my secret project codename is BLUEBIRD"
    with caplog.at_level(logging.INFO):
        slack.event(mention(question))
        slack.fake.wait_for("chat.postMessage")
        slack.settle()
    replied = [r for r in caplog.records if r.getMessage() == "replied"]
    assert (
        replied and replied[0].chars == len(f"<@{BOT_USER}> {question}") and replied[0].surface == "mention"
    )
    for record in caplog.records:
        if record.levelno >= logging.INFO:
            assert "BLUEBIRD" not in record.getMessage() and "BLUEBIRD" not in str(vars(record))


def test_url_verification_challenge(slack):
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"}).encode()
    response = slack.post(body, "application/json")
    assert response.status == 200 and b"abc123" in response.body


def test_locale_cache_expires_and_remembers_failures_briefly():
    fake = FakeSlack().start()
    now = [0.0]
    cache = LocaleCache(ttl=600, error_ttl=30, clock=lambda: now[0])
    client = WebClient(token="xoxb-test", base_url=fake.api_url)
    try:
        assert cache.get(client, "U_ES") == "es-ES"
        now[0] = 599
        assert cache.get(client, "U_ES") == "es-ES"
        assert len(fake.calls_to("users.info")) == 1
        now[0] = 601
        fake.fail_next("users.info", status=200, error="user_not_found")
        assert cache.get(client, "U_ES") is None  # an error: no locale, the engine's default applies
        now[0] = 620
        assert cache.get(client, "U_ES") is None and len(fake.calls_to("users.info")) == 2
        now[0] = 632
        assert cache.get(client, "U_ES") == "es-ES"
        assert cache.get(client, None) is None and len(fake.calls_to("users.info")) == 3
    finally:
        fake.stop()
