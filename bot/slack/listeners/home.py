"""The App Home tab: topics, how to ask, and the user's recent screening runs."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.blocks import home_view
from bot.slack.deps import Deps

HOME_RUNS = 5


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict, client: WebClient) -> None:
        if event.get("tab") != "home":  # the Messages tab needs nothing from us
            return
        user = event["user"]
        lang = deps.language(client, user)
        runs = deps.store.list_runs(user, limit=HOME_RUNS)
        client.views_publish(user_id=user, view=home_view(deps.engine, lang, runs))
