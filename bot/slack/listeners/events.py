"""Mentions in channels and direct messages: answered in place, at most once (see bot/slack/dedupe.py)."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.blocks import notification, reply_blocks
from bot.slack.deps import Deps, log_reply


def _from_a_bot(event: dict) -> bool:
    return bool(event.get("bot_id")) or event.get("subtype") == "bot_message"


def _answer(deps: Deps, client: WebClient, event: dict, thread_ts: str | None, surface: str) -> None:
    """Answer the event's text in its channel (in the thread `thread_ts` if given), in the language it is in."""
    text = event.get("text") or ""
    reply = deps.engine.reply(text, locale=deps.locale(client, event.get("user")))
    client.chat_postMessage(
        channel=event["channel"],
        thread_ts=thread_ts,
        text=notification(reply.text),
        blocks=reply_blocks(deps.engine, reply),
        unfurl_links=False,
        unfurl_media=False,
    )
    log_reply(surface, text, reply)


def register(app: App, deps: Deps) -> None:
    @app.event("app_mention")
    def on_mention(event: dict, client: WebClient) -> None:
        if _from_a_bot(event) or event.get("subtype"):
            return
        # In a channel the reply always goes in a thread: the message's own, or one it starts.
        _answer(deps, client, event, thread_ts=event.get("thread_ts") or event["ts"], surface="mention")

    @app.event("message")
    def on_message(event: dict, client: WebClient) -> None:
        # Every message event lands here so Bolt never warns about an unhandled one; only a person's new
        # message in our DM is answered: no edits (message_changed), deletions, bot posts or other subtypes.
        if event.get("channel_type") != "im" or event.get("subtype") or _from_a_bot(event):
            return
        _answer(deps, client, event, thread_ts=event.get("thread_ts"), surface="dm")
