"""Buttons: follow-ups and clarify choices answer in place; Share, feedback, and Screen a partner."""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.reply import Reply
from bot.slack.blocks import (
    FEEDBACK_NO,
    FEEDBACK_YES,
    FOLLOWUP,
    SCREEN_OPEN,
    SHARE,
    mrkdwn,
    notification,
    reply_blocks,
    to_dicts,
    unpack,
)
from bot.slack.deps import Deps
from bot.slack.modal import screening_modal

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    engine = deps.engine

    def answer_for(value: dict) -> Reply | None:
        """The reply a button stands for; None for a value we did not write (or an intent since removed)."""
        partner = value.get("partner") if isinstance(value.get("partner"), str) else None
        try:
            return engine.answer(value["intent"], value.get("lang") or engine.default_language, partner)
        except (KeyError, TypeError):
            log.warning("unknown button value", extra={"intent": str(value.get("intent"))[:80]})
            return None

    @app.action(re.compile(rf"^{FOLLOWUP}_\d+$"))
    def on_followup(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient) -> None:
        ack()
        reply = answer_for(unpack(action.get("value")))
        if reply is None:
            return
        text = notification(reply.text)
        container = body.get("container") or {}
        if container.get("type") == "view":  # a topic on the Home tab: answer in our DM
            client.chat_postMessage(
                channel=body["user"]["id"],
                text=text,
                blocks=reply_blocks(engine, reply),
                unfurl_links=False,
                unfurl_media=False,
            )
        elif container.get("is_ephemeral"):  # /interpol's private answer: replace it, still shareable
            respond(replace_original=True, text=text, blocks=reply_blocks(engine, reply, share=True))
        else:
            client.chat_update(
                channel=container["channel_id"],
                ts=container["message_ts"],
                text=text,
                blocks=reply_blocks(engine, reply),
            )

    @app.action(SHARE)
    def on_share(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient) -> None:
        ack()
        value = unpack(action.get("value"))
        reply = answer_for(value)
        if reply is None:
            return
        user = body["user"]["id"]
        try:
            client.chat_postMessage(
                channel=body["channel"]["id"],
                text=notification(reply.text),
                blocks=reply_blocks(engine, reply, partner=value.get("partner"), shared_by=user),
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as error:  # e.g. not_in_channel: say so privately, keep the private answer
            log.info("share failed", extra={"error": error.response.get("error")})
            text = engine.ui(reply.language, "share_failed")
            respond(
                response_type="ephemeral", replace_original=False, text=text, blocks=to_dicts([mrkdwn(text)])
            )
            return
        respond(delete_original=True)

    @app.action(re.compile(rf"^({FEEDBACK_YES}|{FEEDBACK_NO})$"))
    def on_feedback(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        value = unpack(action.get("value"))
        lang = engine.language(value.get("lang"))
        deps.store.save_feedback(
            user_id=body["user"]["id"],
            intent=str(value["intent"])[:128] if value.get("intent") else None,
            language=lang,
            helpful=action["action_id"] == FEEDBACK_YES,
            message_ts=(body.get("container") or {}).get("message_ts") or "",
        )
        respond(response_type="ephemeral", replace_original=False, text=engine.ui(lang, "feedback_thanks"))

    @app.action(SCREEN_OPEN)
    def on_screen_open(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        value = unpack(action.get("value"))
        client.views_open(
            trigger_id=body["trigger_id"],
            view=screening_modal(
                engine,
                engine.language(value.get("lang")),
                value.get("partner"),
                (body.get("channel") or {}).get("id"),
            ),
        )
