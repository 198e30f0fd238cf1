"""App Home and shortcuts end to end."""

from __future__ import annotations

import pytest
from fake_slack import CHANNEL, buttons, global_shortcut, harness, message_shortcut, new_ts

from bot.screening import ScreeningRun, Verdict


@pytest.fixture
def slack(tmp_path):
    with harness(tmp_path) as h:
        yield h


def home_opened(user: str = "U_EN", tab: str = "home") -> dict:
    return {"type": "app_home_opened", "user": user, "channel": f"D_{user}", "tab": tab, "event_ts": "1"}


def test_home_shows_topics_how_to_ask_and_recent_runs(slack):
    for n in range(7):
        slack.store.save_run(
            ScreeningRun(
                partner_name=f"Partner {n}",
                partner_type="for_profit",
                contributions=("funding",),
                answers={"shared_values": Verdict.YES},
                user_id="U_EN",
                language="en",
            )
        )
    slack.event(home_opened())
    (call,) = slack.fake.wait_for("views.publish")
    assert call.body["user_id"] == "U_EN" and call.body["view"]["type"] == "home"
    text = call.texts()
    assert "/interpol" in text and "/screen-partner" in text and "Mention me" in text
    assert "What Interpol is" in [b["text"]["text"] for b in buttons(call.blocks)]
    assert "Partner 6" in text and "Partner 2" in text and "Partner 1" not in text  # the 5 most recent


def test_home_in_spanish_for_a_spanish_locale(slack):
    slack.event(home_opened("U_ES"))
    (call,) = slack.fake.wait_for("views.publish")
    assert "Cómo preguntar" in call.texts() and "Aún no tienes evaluaciones" in call.texts()


def test_the_messages_tab_publishes_nothing(slack):
    slack.event(home_opened(tab="messages"))
    slack.settle()
    assert slack.fake.calls_to("views.publish") == []


def test_a_home_topic_button_answers_in_the_dm(slack):
    slack.event(home_opened())
    (home,) = slack.fake.wait_for("views.publish")
    hq = next(b for b in buttons(home.blocks) if b["text"]["text"] == "Where Interpol is based")
    slack.click(hq, view=True)
    (post,) = slack.fake.wait_for("chat.postMessage")
    assert post.body["channel"] == "U_EN" and "Lyon" in post.body["text"]


def test_the_global_shortcut_opens_the_modal(slack):
    slack.interact(global_shortcut("screen_partner", user="U_ES"))
    (call,) = slack.fake.wait_for("views.open")
    assert call.body["trigger_id"] == "trigger-shortcut"
    assert call.body["view"]["callback_id"] == "screen_partner_modal"
    assert call.body["view"]["title"]["text"] == "Evaluar un socio"


@pytest.mark.parametrize("thread_ts", [None, "1690000000.000500"])
def test_the_message_shortcut_answers_that_message_in_its_thread(slack, thread_ts):
    message = {"type": "message", "user": "U_OTHER", "text": "where is interpol based?", "ts": new_ts()}
    if thread_ts:
        message["thread_ts"] = thread_ts
    slack.interact(message_shortcut("ask_bot", message, CHANNEL, slack.fake.response_url()))
    (post,) = slack.fake.wait_for("chat.postMessage")
    assert post.body["channel"] == CHANNEL
    assert post.body["thread_ts"] == (thread_ts or message["ts"])
    assert "Lyon" in post.body["text"]


def test_the_message_shortcut_where_the_bot_is_not_a_member_answers_privately(slack):
    slack.fake.fail_next("chat.postMessage", status=200, error="not_in_channel")
    message = {"type": "message", "user": "U_OTHER", "text": "where is interpol based?", "ts": new_ts()}
    slack.interact(message_shortcut("ask_bot", message, CHANNEL, slack.fake.response_url()))
    (private,) = slack.fake.wait_for("response")
    assert private.body["response_type"] == "ephemeral" and "Lyon" in private.body["text"]
