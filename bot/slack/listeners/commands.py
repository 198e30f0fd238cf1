"""/interpol <question> and /screen-partner [partner | list | show <id> | export]: ack first, then answer."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.reply import escape_mrkdwn
from bot.slack.blocks import (
    mrkdwn,
    notification,
    reply_blocks,
    run_blocks,
    runs_text,
    to_dicts,
    topics_blocks,
)
from bot.slack.deps import Deps, log_reply
from bot.slack.modal import screening_modal

LIST_LIMIT = 10
EXPORT_FILENAME = "screening-runs.csv"


def register(app: App, deps: Deps) -> None:
    engine = deps.engine

    def say_privately(respond: Respond, text: str, blocks: list[dict] | None = None) -> None:
        respond(response_type="ephemeral", text=notification(text), blocks=blocks or to_dicts([mrkdwn(text)]))

    @app.command("/interpol")
    def interpol(ack: Ack, command: dict, respond: Respond, client: WebClient) -> None:
        ack()
        text = (command.get("text") or "").strip()
        user = command.get("user_id")
        if text.lower() in ("", "help"):
            lang = deps.language(client, user)
            say_privately(respond, engine.ui(lang, "topics_intro"), topics_blocks(engine, lang))
            return
        reply = engine.reply(text, locale=deps.locale(client, user))
        say_privately(respond, reply.text, reply_blocks(engine, reply, share=True))
        log_reply("command", text, reply)

    @app.command("/screen-partner")
    def screen_partner(ack: Ack, command: dict, respond: Respond, client: WebClient) -> None:
        ack()
        text = " ".join((command.get("text") or "").split())
        word, _, rest = text.partition(" ")
        user = command["user_id"]
        lang = deps.language(client, user)
        match word.lower():
            case "list" if not rest:
                say_privately(respond, runs_text(engine, lang, deps.store.list_runs(user, limit=LIST_LIMIT)))
            case "show" if rest:
                show(respond, lang, user, rest)
            case "export" if not rest:
                export(respond, client, lang, user)
            case "help" if not rest:
                say_privately(respond, engine.ui(lang, "screen_usage"))
            case _:
                # Anything else names the partner; the trigger_id lasts about 3 s, so open at once.
                client.views_open(
                    trigger_id=command["trigger_id"],
                    view=screening_modal(
                        engine, lang, partner=text or None, channel=command.get("channel_id")
                    ),
                )

    def show(respond: Respond, lang: str, user: str, ref: str) -> None:
        run_id = ref.lstrip("#")
        valid = run_id.isdigit() and len(run_id) <= 9  # a database integer, not any string of digits
        run = deps.store.get_run(int(run_id), user) if valid else None
        if run is None:  # someone else's run is "not found" too
            say_privately(respond, engine.ui(lang, "run_not_found", id=escape_mrkdwn(ref[:20])))
            return
        # Shown in the language it was filled in, like the outcome text it holds.
        blocks = run_blocks(engine, engine.language(run.language), run)
        say_privately(respond, engine.screening_outcome(run).text, blocks)

    def export(respond: Respond, client: WebClient, lang: str, user: str) -> None:
        if not deps.store.list_runs(user, limit=1):
            say_privately(respond, engine.ui(lang, "export_empty"))
            return
        dm = client.conversations_open(users=user)["channel"]["id"]
        client.files_upload_v2(
            channel=dm,
            content=deps.store.export_csv(user),
            filename=EXPORT_FILENAME,
            title=engine.ui(lang, "export_title"),
            initial_comment=engine.ui(lang, "export_comment"),
        )
        say_privately(respond, engine.ui(lang, "export_done"))
