"""Errors a user of the bot's data or CLI can cause, each pointing at what to fix."""

from __future__ import annotations


class BotError(Exception):
    """Base class: turned into one clear line and an exit code at the CLI edge."""


class DataError(BotError):
    """A knowledge file is wrong: names the file, the key and what is wrong."""

    def __init__(self, file: str, key: str, message: str) -> None:
        self.file, self.key, self.message = file, key, message
        super().__init__(f"{file}: {key}: {message}" if key else f"{file}: {message}")


class DataErrors(BotError):
    """Every problem validation found, so a maintainer fixes them in one pass."""

    def __init__(self, errors: list[DataError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class ConfigError(BotError):
    """An environment variable is missing or malformed."""
