"""Block Kit limits: an oversized answer goes through the real app and arrives within Slack's limits."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fake_slack import FakeSlack, Harness, buttons, mention, shared_engine

from bot.engine import Engine
from bot.knowledge import Citation
from bot.slack.blocks import ELLIPSIS, clip, pack


def assert_within_limits(blocks: list[dict]) -> None:
    assert 0 < len(blocks) <= 50
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "context":
            assert len(block["elements"]) <= 10
            assert all(len(e["text"]) <= 3000 for e in block["elements"])
        if block["type"] == "actions":
            assert len(block["elements"]) <= 25
    for button in buttons(blocks):
        assert len(button["text"]["text"]) <= 75
        assert len(button.get("value", "")) <= 2000
        assert len(button["action_id"]) <= 255


@pytest.fixture
def oversized(tmp_path):
    """The real engine over knowledge with one absurd answer: 9,000 characters, 60 sources, 30 follow-ups."""
    base = shared_engine()
    intents = dict(base.knowledge.intents)
    others = [i for i, x in intents.items() if i != "interpol.overview" and x.kind != "out_of_scope"]
    long_label = "A topic label far longer than any button may show " * 3
    intents[others[0]] = replace(intents[others[0]], label={"en": long_label, "es": long_label})
    quote = Citation("000", "A title", "A section", "word " * 200)
    intents["interpol.overview"] = replace(
        intents["interpol.overview"],
        answer={lang: "Interpol " + "lorem ipsum dolor sit amet " * 340 for lang in ("en", "es")},
        sources=(quote,) * 60,
        related=tuple((others * 2)[:30]),
    )
    engine = Engine(replace(base.knowledge, intents=intents))
    fake = FakeSlack().start()
    harness = Harness(fake, f"sqlite:///{tmp_path / 'bot.db'}", engine=engine)
    yield harness
    harness.close()
    fake.stop()


def test_an_oversized_answer_is_cut_cleanly_within_block_kit_limits(oversized):
    oversized.event(mention("what is interpol?"))
    (call,) = oversized.fake.wait_for("chat.postMessage")
    assert_within_limits(call.blocks)
    answer = call.blocks[0]["text"]["text"]
    assert answer.startswith("Interpol lorem") and answer.endswith(ELLIPSIS)
    assert not answer[:-1].endswith(" ")  # cut at a word, not mid-space
    assert len(call.body["text"]) <= 3000
    assert len(call.blocks) == 50  # 60 sources did not push it over


def test_every_message_in_a_normal_conversation_is_within_limits(tmp_path):
    fake = FakeSlack().start()
    harness = Harness(fake, f"sqlite:///{tmp_path / 'bot.db'}")
    try:
        for text in (
            "what is interpol?",
            "benefits",
            "Zentrix Labs wants to sponsor our unit",
            "pizza recipe",
        ):
            harness.event(mention(text))
        harness.command("/interpol", "help")
        for call in [*fake.wait_for("chat.postMessage", 4), *fake.wait_for("response")]:
            assert_within_limits(call.blocks)
    finally:
        harness.close()
        fake.stop()


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("one two three four five six", 16, "one two three…"),
        ("see &lt;here&gt; and more", 8, "see…"),  # never half an escape
        ("ask <@U123ABC> about it", 12, "ask…"),  # never half a mention
        ("x" * 50, 10, "x" * 9 + ELLIPSIS),  # no space: a hard cut
    ],
)
def test_clip(text, limit, expected):
    assert clip(text, limit) == expected
    assert len(clip(text, limit)) <= limit


def test_button_values_over_the_limit_are_refused():
    assert pack({"intent": "a", "lang": "en", "partner": None}) == '{"intent":"a","lang":"en"}'
    with pytest.raises(ValueError):
        pack({"partner": "x" * 2000})
