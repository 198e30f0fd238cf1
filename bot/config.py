"""Settings from the environment: the one place the bot reads os.environ."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.errors import ConfigError

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
DEFAULT_DATABASE_URL = "sqlite:///interpol-bot.db"
# Hosting platforms hand out postgres:// URLs; SQLAlchemy needs the driver named explicitly.
_POSTGRES_ALIASES = ("postgres", "postgresql")
_DATABASE_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")

Mode = Literal["socket", "http", "local"]


@dataclass(frozen=True)
class Settings:
    """Validated configuration; build it with from_env()."""

    # repr=False keeps secrets out of logs and tracebacks that print the object.
    bot_token: str | None = field(repr=False)
    signing_secret: str | None = field(repr=False)
    app_token: str | None = field(repr=False)
    database_url: str = field(repr=False)  # may hold a password; see redacted()
    port: int
    log_level: str
    default_language: str
    api_url: str | None

    @property
    def mode(self) -> Mode:
        """Socket Mode, HTTP (Events API) or a local terminal chat, from which tokens are set."""
        if self.bot_token and self.app_token:
            return "socket"
        if self.bot_token and self.signing_secret:
            return "http"
        return "local"

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        """Read and validate every variable; raise ConfigError naming the first bad one."""
        return cls(
            bot_token=_token(env, "SLACK_BOT_TOKEN", "xoxb-", "a bot token"),
            signing_secret=_get(env, "SLACK_SIGNING_SECRET"),
            app_token=_token(env, "SLACK_APP_TOKEN", "xapp-", "an app-level token"),
            database_url=_database_url(_get(env, "DATABASE_URL") or DEFAULT_DATABASE_URL),
            port=_port(_get(env, "PORT")),
            log_level=_log_level(_get(env, "LOG_LEVEL")),
            default_language=default_language(env),
            api_url=_api_url(_get(env, "SLACK_API_URL")),
        )

    def require_slack(self) -> None:
        """Raise ConfigError unless the tokens for Socket Mode or HTTP mode are all set."""
        if self.mode != "local":
            return
        if self.bot_token:
            raise ConfigError(
                "SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET and SLACK_APP_TOKEN are not: "
                "set SLACK_SIGNING_SECRET for HTTP mode or SLACK_APP_TOKEN for Socket Mode"
            )
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set: set it (xoxb-...) together with SLACK_SIGNING_SECRET "
            "for HTTP mode or SLACK_APP_TOKEN for Socket Mode"
        )

    def redacted(self) -> dict[str, object]:
        """The settings for a log line: secrets as set/unset, the database password masked."""
        return {
            "mode": self.mode,
            "bot_token": _set(self.bot_token),
            "signing_secret": _set(self.signing_secret),
            "app_token": _set(self.app_token),
            "database_url": make_url(self.database_url).render_as_string(hide_password=True),
            "port": self.port,
            "log_level": self.log_level,
            "default_language": self.default_language,
            "api_url": self.api_url,
        }


def default_language(env: Mapping[str, str] = os.environ) -> str:
    """DEFAULT_LANGUAGE on its own, for the commands that need no Slack settings."""
    return _get(env, "DEFAULT_LANGUAGE") or "en"


def _get(env: Mapping[str, str], name: str) -> str | None:
    """The stripped value, or None when unset or empty (an empty export means unset)."""
    value = env.get(name, "").strip()
    return value or None


def _set(value: str | None) -> str:
    return "set" if value else "unset"


def _token(env: Mapping[str, str], name: str, prefix: str, kind: str) -> str | None:
    value = _get(env, name)
    if value is not None and not value.startswith(prefix):
        # Never echo the value: a mistyped token is still a secret.
        raise ConfigError(f"{name} must be {kind} starting with {prefix!r}")
    return value


def _database_url(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ConfigError("DATABASE_URL must look like sqlite:///path.db or postgresql://user@host/db")
    if scheme in _POSTGRES_ALIASES:
        scheme = "postgresql+psycopg"
    if scheme not in _DATABASE_SCHEMES:
        # Name only the scheme: the rest of the URL may hold a password.
        raise ConfigError(f"DATABASE_URL has unsupported scheme {scheme!r}: use sqlite:// or postgresql://")
    url = f"{scheme}://{rest}"
    try:
        make_url(url)
    except ArgumentError:
        raise ConfigError("DATABASE_URL is not a valid database URL") from None
    return url


def _port(value: str | None) -> int:
    if value is None:
        return 3000
    try:
        port = int(value)
    except ValueError:
        raise ConfigError(f"PORT must be an integer, got {value!r}") from None
    if not 1 <= port <= 65535:
        raise ConfigError(f"PORT must be between 1 and 65535, got {port}")
    return port


def _log_level(value: str | None) -> str:
    level = (value or "INFO").upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {value!r}")
    return level


def _api_url(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"SLACK_API_URL must be an http:// or https:// URL, got {value!r}")
    # slack_sdk joins method names onto the base URL, so it must end with a slash.
    return value if value.endswith("/") else value + "/"
