"""The values a reply is made of: what the engine returns and every surface (CLI, Slack) renders."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from bot.knowledge import Citation

Kind = Literal["answer", "clarify", "fallback", "smalltalk"]


@dataclass(frozen=True)
class Suggestion:
    """A topic the user can pick next: a follow-up, a clarify choice or a fallback topic."""

    intent: str
    label: str


@dataclass(frozen=True)
class ScreeningPrompt:
    """The invitation to run the partnership checklist, in the reply's language."""

    partner: str | None
    questions: tuple[str, ...]
    text: str  # mrkdwn, questions and how to run the checklist


@dataclass(frozen=True)
class Reply:
    kind: Kind
    intent: str | None
    language: str
    text: str  # Slack mrkdwn; echoed user text is already escaped
    citations: tuple[Citation, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    score: float = 0.0
    screening: ScreeningPrompt | None = None
    note: str | None = None  # e.g. "I can answer in English and Spanish"
    candidates: tuple[tuple[str, float], ...] = field(default=(), compare=False)

    def to_dict(self) -> dict:
        return asdict(self)


def escape_mrkdwn(text: str) -> str:
    """Escape user text for Slack: defuses <!channel>, <@U…> and links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
