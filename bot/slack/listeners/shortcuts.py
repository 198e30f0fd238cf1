"""Shortcuts: the global "Screen a partner" and the message shortcut "Ask the bot about this message"."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks import notification, reply_blocks
from bot.slack.deps import Deps, log_reply
from bot.slack.modal import screening_modal

SCREEN_PARTNER = "screen_partner"
ASK_BOT = "ask_bot"

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    engine = deps.engine

    @app.shortcut(SCREEN_PARTNER)
    def on_screen_partner(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        lang = deps.language(client, body["user"]["id"])
        client.views_open(trigger_id=body["trigger_id"], view=screening_modal(engine, lang))

    @app.shortcut(ASK_BOT)
    def on_ask_bot(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        message = body.get("message") or {}
        text = message.get("text") or ""
        reply = engine.reply(text, locale=deps.locale(client, body["user"]["id"]))
        blocks = reply_blocks(engine, reply)
        try:
            client.chat_postMessage(
                channel=body["channel"]["id"],
                thread_ts=message.get("thread_ts") or message["ts"],
                text=notification(reply.text),
                blocks=blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as error:  # not a member of the channel: answer the asker privately instead
            log.info("thread reply failed", extra={"error": error.response.get("error")})
            respond(
                response_type="ephemeral",
                replace_original=False,
                text=notification(reply.text),
                blocks=blocks,
            )
        log_reply("message_shortcut", text, reply)
