"""What every listener needs, passed explicitly: the engine, the store and the locale cache."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.engine import Engine
from bot.reply import Reply
from bot.slack.locale import LocaleCache

if TYPE_CHECKING:
    from bot.storage import Store

log = logging.getLogger("bot.slack")


@dataclass(frozen=True)
class Deps:
    engine: Engine
    store: Store
    locales: LocaleCache = field(default_factory=LocaleCache)

    def locale(self, client: WebClient, user_id: str | None) -> str | None:
        return self.locales.get(client, user_id)

    def language(self, client: WebClient, user_id: str | None) -> str:
        """The configured language for a user's Slack locale: for replies with no text to detect."""
        return self.engine.language(self.locales.get(client, user_id))


def log_reply(surface: str, question: str, reply: Reply) -> None:
    """One line per answer: never the user's words at INFO, only their length and what matched."""
    log.info(
        "replied",
        extra={
            "surface": surface,
            "kind": reply.kind,
            "intent": reply.intent,
            "lang": reply.language,
            "chars": len(question),
            "score": round(reply.score, 1),
        },
    )
    log.debug("question", extra={"surface": surface, "text": question})
