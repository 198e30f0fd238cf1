"""Turn a Slack message into the plain lower-case text the matcher compares."""

from __future__ import annotations

import re
import unicodedata

# Slack's own markup, in the order it has to be undone: links and mentions first, then formatting.
_LABELLED = re.compile(r"<(?:#C\w+|https?://[^|>\s]+|mailto:[^|>\s]+)\|([^>]*)>")
_BARE = re.compile(r"<[@#!][^>]*>|<(?:https?|mailto):[^>]*>")
_EMOJI = re.compile(r":[a-z0-9_+\-']+:")
_APOSTROPHE = re.compile(r"['’`´]")
_NON_WORD = re.compile(r"[^\w]+")
_UNDERSCORE = re.compile(r"_+")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
# Where a sentence ends: after its final punctuation, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# Where one clause of a message ends: sentence and clause punctuation, line breaks, a dash between spaces.
_CLAUSE_END = re.compile(r"[,.;:!?¡¿\n]+|\s[-–—]+\s")


def strip_slack_markup(text: str) -> str:
    """Keep what a reader sees: link and channel labels; drop mentions, bare links and emoji codes."""
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    text = _LABELLED.sub(r" \1 ", text)
    text = _BARE.sub(" ", text)
    return _EMOJI.sub(" ", text)


def fold(text: str) -> str:
    """Lower-case and drop accents, so 'Financiación' and 'financiacion' are the same word."""
    if text.isascii():  # most messages and examples: nothing to decompose, and casefold is lower
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize(text: str) -> str:
    """Slack markup, case, accents, punctuation and whitespace removed: the form every comparison uses."""
    return _plain(strip_slack_markup(text))


def _plain(text: str) -> str:
    """normalize() for text whose Slack markup is already gone."""
    text = fold(text)
    text = _APOSTROPHE.sub("", text)
    text = _NON_WORD.sub(" ", text)
    text = _UNDERSCORE.sub(" ", text)  # \w keeps '_' and Slack's _italic_ markers
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Words of an already normalised text."""
    return text.split()


def clauses(text: str) -> list[str]:
    """The normalised clauses of a raw message, in order: 'thanks! sending this to legal' -> two."""
    return [c for c in (_plain(part) for part in _CLAUSE_END.split(strip_slack_markup(text))) if c]


def last_clause_question(text: str) -> str | None:
    """The normalised last clause of a raw message that ends in a question, if the message has several clauses."""
    if not strip_slack_markup(text).rstrip().endswith("?"):
        return None
    parts = clauses(text)
    return parts[-1] if len(parts) >= 2 else None


def last_question(text: str) -> str | None:
    """The normalised last sentence of a raw message of several, if it is a question ('...?'); else None."""
    sentences = [s for s in _SENTENCE_END.split(strip_slack_markup(text).strip()) if _plain(s)]
    if len(sentences) < 2 or not sentences[-1].rstrip().endswith("?"):
        return None
    return _plain(sentences[-1])
