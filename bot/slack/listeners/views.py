"""The screening modal's submission: field errors back to the modal, or the run saved and its gaps DMed."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.screening import ScreeningRun
from bot.slack.blocks import notification, run_blocks
from bot.slack.deps import Deps
from bot.slack.modal import CALLBACK_ID, read_submission

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    engine = deps.engine

    @app.view(CALLBACK_ID)
    def on_submit(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        form = read_submission(engine, view)
        if form.errors:
            ack(response_action="errors", errors=form.errors)
            return
        ack()
        user = body["user"]["id"]
        run = deps.store.save_run(
            ScreeningRun(
                partner_name=form.partner_name,
                partner_type=form.partner_type,
                contributions=form.contributions,
                answers=form.answers,
                notes=form.notes,
                user_id=user,
                team_id=(body.get("team") or {}).get("id", ""),
                language=form.language,
            )
        )
        outcome = engine.screening_outcome(run)
        log.info("screening saved", extra={"run": run.id, "gaps": len(outcome.gaps), "lang": form.language})
        # The user ID as channel posts in the app's DM with that user: no conversations.open needed.
        client.chat_postMessage(
            channel=user,
            text=notification(outcome.text),
            blocks=run_blocks(engine, form.language, run, saved=True),
        )
