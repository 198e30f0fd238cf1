"""One register(app, deps) per kind of listener."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.deps import Deps
from bot.slack.listeners import actions, commands, events, home, shortcuts, views


def register_all(app: App, deps: Deps) -> None:
    for module in (events, home, commands, actions, views, shortcuts):
        module.register(app, deps)
