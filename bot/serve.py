"""Process entry points: the WSGI app gunicorn serves, Socket Mode, and logging.

gunicorn (see Procfile):  gunicorn "bot.serve:wsgi_app()"
Socket Mode:              python -m bot run   (with SLACK_BOT_TOKEN and SLACK_APP_TOKEN)
"""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from bot.config import Settings
from bot.engine import Engine
from bot.errors import BotError, ConfigError
from bot.slack.app import create_app
from bot.storage import Store
from bot.web import WebApp

log = logging.getLogger("bot.serve")

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
# Attributes every LogRecord has; anything else was passed in `extra=` and is printed as key=value.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


class KeyValueFormatter(logging.Formatter):
    """One line per record: `time level logger msg key=value ...`, values JSON-quoted when needed."""

    def format(self, record: logging.LogRecord) -> str:
        fields = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        fields.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        line = " ".join(f"{k}={_value(v)}" for k, v in fields.items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def _value(value: object) -> str:
    if isinstance(value, str) and value and not any(c in value for c in ' ="\n'):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(KeyValueFormatter())
    # Bolt reads SLACK_BOT_TOKEN itself and warns that our client (which carries that same token) wins.
    handler.addFilter(lambda record: record.getMessage() != warning_client_prioritized_and_token_skipped())
    logging.basicConfig(level=level, handlers=[handler], force=True)


def build(settings: Settings) -> tuple[Engine, Store]:
    engine = Engine.load(default_language=settings.default_language)
    engine.warm()
    store = Store(settings.database_url)
    # What is loaded now lives as long as the process. Frozen out of the collector's generations, it is no longer
    # walked by every full collection: a pause of about 10 ms every few thousand messages, measured on replies.
    gc.collect()
    gc.freeze()
    return engine, store


def wsgi_app() -> WebApp:
    """The gunicorn factory, called once per worker: settings, engine, store, Bolt app."""
    try:
        settings = Settings.from_env()
        configure_logging(settings.log_level)
        settings.require_slack()
        if not settings.signing_secret:
            raise ConfigError("SLACK_SIGNING_SECRET is not set: HTTP mode verifies every request with it")
        engine, store = build(settings)
    except BotError as error:
        raise _startup_error(error) from error
    app = create_app(settings, engine, store)
    log.info("web app ready", extra=settings.redacted())
    return WebApp(app, store, settings.signing_secret)


def _startup_error(error: BotError) -> Exception:
    """gunicorn prints an AppImportError as one line and stops, instead of booting workers forever."""
    log.error("cannot start: %s", error)
    try:
        from gunicorn.errors import AppImportError
    except ImportError:  # not under gunicorn
        return error
    return AppImportError(str(error))


def run_socket_mode(settings: Settings) -> int:
    """Connect to Slack over a WebSocket: no public URL needed (development, or behind a firewall)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    configure_logging(settings.log_level)
    engine, store = build(settings)
    app = create_app(settings, engine, store)
    log.info("socket mode starting", extra=settings.redacted())
    try:
        SocketModeHandler(app, settings.app_token).start()
    finally:
        store.close()
    return 0


def run_http(settings: Settings) -> NoReturn:
    """Serve HTTP under gunicorn with the project's gunicorn.conf.py, as the Procfile does."""
    configure_logging(settings.log_level)
    settings.require_slack()
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(GUNICORN_CONF),
        "--bind",
        f"0.0.0.0:{settings.port}",
        "bot.serve:wsgi_app()",
    ]
    log.info("starting gunicorn", extra={"port": settings.port})
    os.chdir(ROOT)
    os.execv(sys.executable, argv)


def run(settings: Settings) -> int:
    """Socket Mode when SLACK_APP_TOKEN is set, else HTTP; `python -m bot run` calls this."""
    settings.require_slack()
    return run_socket_mode(settings) if settings.mode == "socket" else run_http(settings)
