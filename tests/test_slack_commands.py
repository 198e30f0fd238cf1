"""/interpol end to end: private answers through response_url, Share in channel, the topic list."""

from __future__ import annotations

import pytest
from fake_slack import CHANNEL, buttons, find_button, harness


@pytest.fixture
def slack(tmp_path):
    with harness(tmp_path) as h:
        yield h


def action_ids(blocks: list[dict]) -> list[str]:
    return [b["action_id"] for b in buttons(blocks)]


def test_interpol_question_answers_privately_with_a_share_button(slack):
    response = slack.command("/interpol", "where is interpol based?")
    assert response.status == 200 and response.body == b""  # ack() first, the answer follows
    (call,) = slack.fake.wait_for("response")
    assert call.body["response_type"] == "ephemeral"
    assert "Lyon" in call.body["text"]
    assert any(b["block_id"].startswith("source_") for b in call.blocks)
    assert action_ids(call.blocks)[-3:] == ["share", "feedback_yes", "feedback_no"]
    assert slack.fake.calls_to("chat.postMessage") == []  # nothing public yet


def test_share_posts_the_answer_in_the_channel_and_removes_the_private_one(slack):
    slack.command("/interpol", "where is interpol based?", user="U_EN")
    (private,) = slack.fake.wait_for("response")
    share = find_button(private.blocks, "share")
    assert slack.click(share, user="U_EN", ephemeral=True).status == 200
    (post,) = slack.fake.wait_for("chat.postMessage")
    assert post.body["channel"] == CHANNEL
    assert post.body["text"] == private.body["text"]
    assert post.blocks[0] == private.blocks[0]  # the same answer block
    assert "share" not in action_ids(post.blocks)
    shared_by = next(b for b in post.blocks if b["block_id"] == "shared_by")
    assert "<@U_EN>" in shared_by["elements"][0]["text"]
    delete = slack.fake.wait_for("response", 2)[1]
    assert delete.body.get("delete_original") is True


def test_share_where_the_bot_cannot_post_says_so_privately(slack):
    slack.command("/interpol", "where is interpol based?")
    (private,) = slack.fake.wait_for("response")
    slack.fake.fail_next("chat.postMessage", status=200, error="not_in_channel")
    slack.click(find_button(private.blocks, "share"), ephemeral=True)
    notice = slack.fake.wait_for("response", 2)[1]
    assert "can't post in this channel" in notice.body["text"]
    assert notice.body["replace_original"] is False and not notice.body.get("delete_original")


@pytest.mark.parametrize("text", ["", "help", "  HELP "])
def test_interpol_without_a_question_lists_the_topics(slack, text):
    slack.command("/interpol", text)
    (call,) = slack.fake.wait_for("response")
    assert call.body["response_type"] == "ephemeral"
    assert "Here is what I can answer" in call.body["text"]
    labels = [b["text"]["text"] for b in buttons(call.blocks)]
    assert "What Interpol is" in labels and len(labels) >= 15


def test_topics_follow_the_users_slack_locale(slack):
    slack.command("/interpol", "", user="U_ES")
    (call,) = slack.fake.wait_for("response")
    assert "Esto es lo que puedo responder" in call.body["text"]
    assert "Qué es Interpol" in [b["text"]["text"] for b in buttons(call.blocks)]


def test_a_topic_button_replaces_the_private_list_with_the_answer(slack):
    slack.command("/interpol", "help")
    (topics,) = slack.fake.wait_for("response")
    hq = next(b for b in buttons(topics.blocks) if b["text"]["text"] == "Where Interpol is based")
    slack.click(hq, ephemeral=True)
    answer = slack.fake.wait_for("response", 2)[1]
    assert answer.body["replace_original"] is True
    assert "Lyon" in answer.body["text"]
    assert "share" in action_ids(answer.blocks)  # still private, still shareable
    assert slack.fake.calls_to("chat.update") == []


def test_interpol_in_spanish(slack):
    slack.command("/interpol", "¿dónde está la sede de interpol?")
    (call,) = slack.fake.wait_for("response")
    assert "Lyon" in call.body["text"] and "sede" in call.body["text"]
    assert "Compartir en el canal" in [b["text"]["text"] for b in buttons(call.blocks)]
