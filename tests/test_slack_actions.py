"""Buttons on the bot's messages: follow-ups and clarify choices answer in place; feedback is stored."""

from __future__ import annotations

import pytest
from fake_slack import CHANNEL, buttons, find_button, harness, mention
from sqlalchemy import select

from bot.slack.blocks import unpack
from bot.storage import feedback


@pytest.fixture
def slack(tmp_path):
    with harness(tmp_path) as h:
        yield h


def ask(slack, text: str, **kwargs):
    slack.event(mention(text, **kwargs))
    (call,) = slack.fake.wait_for("chat.postMessage")
    return call


def test_a_follow_up_button_updates_the_bot_message_with_the_new_answer(slack):
    first = ask(slack, "what is interpol?")
    members = next(b for b in buttons(first.blocks) if unpack(b["value"])["intent"] == "interpol.members")
    slack.click(members, message_ts="1700000000.000042")
    (update,) = slack.fake.wait_for("chat.update")
    assert update.body["channel"] == CHANNEL and update.body["ts"] == "1700000000.000042"
    assert update.body["text"] == slack.engine.answer("interpol.members", "en").text
    assert any(b["block_id"].startswith("source_") for b in update.blocks)
    assert len(slack.fake.calls_to("chat.postMessage")) == 1  # in place, not a new message


def test_a_follow_up_keeps_the_language_of_the_message(slack):
    first = ask(slack, "¿qué es interpol?")
    button = find_button(first.blocks, "followup")
    assert unpack(button["value"])["lang"] == "es"
    slack.click(button)
    (update,) = slack.fake.wait_for("chat.update")
    assert update.body["text"] == slack.engine.answer(unpack(button["value"])["intent"], "es").text


def test_a_clarify_choice_answers_the_chosen_topic(slack):
    # Near ties between neighbouring intents; which message is one moves as the examples grow, so several are tried.
    ambiguous = ["partners", "contributions", "donations", "benefits", "partnerships", "funding",
                 "una ong quiere donar a la interpol", "se sigue necesitando interpol?"]
    question = next((q for q in ambiguous if slack.engine.reply(q).kind == "clarify"), None)
    assert question, "precondition: one of these makes the engine ask which topic is meant"
    lang = slack.engine.reply(question).language
    first = ask(slack, question)
    assert slack.engine.ui(lang, "clarify") in first.body["text"]
    choices = [unpack(b["value"])["intent"] for b in buttons(first.blocks)]
    assert len(choices) >= 2 and "feedback_yes" not in [b["action_id"] for b in buttons(first.blocks)]
    slack.click(buttons(first.blocks)[1])
    (update,) = slack.fake.wait_for("chat.update")
    assert update.body["text"] == slack.engine.answer(choices[1], lang).text


@pytest.mark.parametrize(("action", "helpful"), [("feedback_yes", True), ("feedback_no", False)])
def test_feedback_is_stored_and_thanked_privately(slack, action, helpful):
    first = ask(slack, "where is interpol based?")
    slack.click(find_button(first.blocks, action), user="U_EN", message_ts="1700000000.000077")
    (thanks,) = slack.fake.wait_for("response")
    assert thanks.body["response_type"] == "ephemeral" and thanks.body["replace_original"] is False
    assert "Thanks for the feedback" in thanks.body["text"]
    with slack.store.engine.connect() as conn:
        rows = conn.execute(select(feedback)).mappings().all()
    assert [(r["user_id"], r["intent"], r["language"], r["helpful"], r["message_ts"]) for r in rows] == [
        ("U_EN", "interpol.headquarters", "en", helpful, "1700000000.000077")
    ]


def test_a_forged_button_value_is_ignored(slack):
    forged = {
        "action_id": "followup_0",
        "block_id": "followups",
        "value": '{"intent":"no.such","lang":"en"}',
        "text": {"type": "plain_text", "text": "x"},
    }
    assert slack.click(forged).status == 200
    slack.settle()
    assert slack.fake.calls_to("chat.update") == []
