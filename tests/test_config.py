"""Settings.from_env: defaults, validation, mode selection and redaction."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.errors import ConfigError

BOT = "xoxb-1111-2222-bottokensecret"
APP = "xapp-1-A111-3333-apptokensecret"
SECRET = "signingsecret0123456789abcdef"


def test_defaults() -> None:
    s = Settings.from_env({})
    assert (s.bot_token, s.signing_secret, s.app_token, s.api_url) == (None, None, None, None)
    assert s.database_url == "sqlite:///interpol-bot.db"
    assert (s.port, s.log_level, s.default_language) == (3000, "INFO", "en")
    assert s.mode == "local"


def test_empty_strings_count_as_unset() -> None:
    env = dict.fromkeys(
        ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "DATABASE_URL", "PORT", "LOG_LEVEL",
         "DEFAULT_LANGUAGE", "SLACK_API_URL"],
        "",
    )
    assert Settings.from_env(env) == Settings.from_env({})


def test_values_read() -> None:
    s = Settings.from_env({
        "PORT": "8080", "LOG_LEVEL": "debug", "DEFAULT_LANGUAGE": "fr",
        "DATABASE_URL": "sqlite:////data/bot.db", "SLACK_API_URL": "http://127.0.0.1:9999/api/",
    })
    assert (s.port, s.log_level, s.default_language) == (8080, "DEBUG", "fr")
    assert s.database_url == "sqlite:////data/bot.db"
    assert s.api_url == "http://127.0.0.1:9999/api/"


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "postgresql+psycopg"])
def test_postgres_url_rewritten_to_psycopg(scheme: str) -> None:
    s = Settings.from_env({"DATABASE_URL": f"{scheme}://u:pw@db.example:5432/bot"})
    assert s.database_url == "postgresql+psycopg://u:pw@db.example:5432/bot"


def test_api_url_gets_trailing_slash() -> None:
    assert Settings.from_env({"SLACK_API_URL": "https://fake.test/api"}).api_url == "https://fake.test/api/"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "abc"),
        ("PORT", "0"),
        ("PORT", "70000"),
        ("PORT", "3000.5"),
        ("LOG_LEVEL", "VERBOSE"),
        ("SLACK_BOT_TOKEN", "xoxp-user-token"),
        ("SLACK_APP_TOKEN", "xoxb-not-an-app-token"),
        ("DATABASE_URL", "mysql://u:pw@host/db"),
        ("DATABASE_URL", "not a url"),
        ("SLACK_API_URL", "ftp://fake.test/api/"),
        ("SLACK_API_URL", "fake.test/api"),
    ],
)
def test_malformed_value_names_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as err:
        Settings.from_env({name: value})
    message = str(err.value)
    assert name in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("name", "value"),
    [("SLACK_BOT_TOKEN", "xoxp-secretvalue"), ("SLACK_APP_TOKEN", "xoxb-secretvalue"),
     ("DATABASE_URL", "mysql://u:hunter2@host/db")],
)
def test_malformed_secret_not_echoed(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as err:
        Settings.from_env({name: value})
    assert "secretvalue" not in str(err.value) and "hunter2" not in str(err.value)


@pytest.mark.parametrize(
    ("env", "mode"),
    [
        ({}, "local"),
        ({"SLACK_BOT_TOKEN": BOT}, "local"),
        ({"SLACK_SIGNING_SECRET": SECRET}, "local"),
        ({"SLACK_APP_TOKEN": APP}, "local"),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": SECRET}, "http"),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP}, "socket"),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP, "SLACK_SIGNING_SECRET": SECRET}, "socket"),
    ],
)
def test_mode(env: dict[str, str], mode: str) -> None:
    assert Settings.from_env(env).mode == mode


@pytest.mark.parametrize(
    "env",
    [
        {"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": SECRET},
        {"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP},
    ],
)
def test_require_slack_passes_when_complete(env: dict[str, str]) -> None:
    Settings.from_env(env).require_slack()


def test_require_slack_bot_token_without_secret_or_app_token() -> None:
    hint = "set SLACK_SIGNING_SECRET for HTTP mode or SLACK_APP_TOKEN for Socket Mode"
    with pytest.raises(ConfigError, match=hint):
        Settings.from_env({"SLACK_BOT_TOKEN": BOT}).require_slack()


@pytest.mark.parametrize("env", [{}, {"SLACK_APP_TOKEN": APP}, {"SLACK_SIGNING_SECRET": SECRET}])
def test_require_slack_without_bot_token(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN is not set"):
        Settings.from_env(env).require_slack()


def test_redacted_hides_secrets() -> None:
    s = Settings.from_env({
        "SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": SECRET, "SLACK_APP_TOKEN": APP,
        "DATABASE_URL": "postgres://bot:hunter2@db.example/bot",
    })
    shown = s.redacted()
    text = repr(shown) + repr(s)
    for secret in (BOT, SECRET, APP, "hunter2"):
        assert secret not in text
    assert shown["bot_token"] == shown["signing_secret"] == shown["app_token"] == "set"
    assert shown["database_url"] == "postgresql+psycopg://bot:***@db.example/bot"
    assert shown["mode"] == "socket"
    assert Settings.from_env({}).redacted()["bot_token"] == "unset"
