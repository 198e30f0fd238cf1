"""The app factory: a Bolt App wired to the engine and the store, with no import-time side effects."""

from __future__ import annotations

import logging
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings
from bot.engine import Engine
from bot.slack.blocks import mrkdwn, notification, to_dicts
from bot.slack.dedupe import event_dedupe
from bot.slack.deps import Deps
from bot.slack.listeners import register_all
from bot.slack.locale import LocaleCache

if TYPE_CHECKING:
    from bot.storage import Store

log = logging.getLogger("bot.slack")

LISTENER_THREADS = 8
API_TIMEOUT = 10  # seconds per Web API call; retries come on top


def web_client(settings: Settings) -> WebClient:
    """A client that waits out rate limits (Retry-After) and retries Slack's 5xx and dropped connections."""
    kwargs = {"base_url": settings.api_url} if settings.api_url else {}
    return WebClient(
        token=settings.bot_token,
        timeout=API_TIMEOUT,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(),
        ],
        **kwargs,
    )


def create_app(
    settings: Settings,
    engine: Engine,
    store: Store,
    client: WebClient | None = None,
    executor: Executor | None = None,
) -> App:
    """A Bolt app for one workspace; `executor` runs listeners after the ack (drain it on shutdown)."""
    app = App(
        name="interpol-bot",
        signing_secret=settings.signing_secret,
        client=client or web_client(settings),  # carries the bot token
        # auth.test then runs on the first request instead of at import: start-up needs no network.
        token_verification_enabled=False,
        process_before_response=False,
        listener_executor=executor
        or ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="bolt-listener"),
    )
    deps = Deps(engine=engine, store=store, locales=LocaleCache())
    app.use(event_dedupe(store.claim_event))
    register_all(app, deps)

    @app.error
    def on_error(error: Exception, body: dict, respond) -> None:
        log.error(
            "listener failed",
            exc_info=error,
            extra={"type": body.get("type"), "event": (body.get("event") or {}).get("type")},
        )
        if body.get("response_url"):  # a command or a button: tell the user rather than stay silent
            text = engine.ui(engine.default_language, "error_generic")
            try:
                respond(
                    response_type="ephemeral",
                    replace_original=False,
                    text=notification(text),
                    blocks=to_dicts([mrkdwn(text)]),
                )
            except Exception:  # the error itself is logged above; nothing more to do
                log.warning("could not tell the user about the error")

    return app


def drain(app: App) -> None:
    """Let listener work already acknowledged to Slack finish (call at shutdown, after the server stops)."""
    executor = app.listener_runner.listener_executor
    executor.shutdown(wait=True, cancel_futures=False)
