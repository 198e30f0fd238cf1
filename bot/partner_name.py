"""Find the organisation a message names ("we want to sponsor Interpol with Acme Corp" -> "Acme Corp")."""

from __future__ import annotations

import re

from bot.normalize import fold, strip_slack_markup

_WORD = re.compile(r"[\w&.'’-]+")
MAX_NAME = 60


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def extract_partner(raw: str, common_words: frozenset[str], excluded: frozenset[str]) -> str | None:
    """The first run of capitalised words that holds a word our knowledge does not use; None if none."""
    words = _WORD.findall(strip_slack_markup(raw))
    runs: list[list[str]] = []
    current: list[str] = []
    for word in [*words, ""]:
        if word and _capitalised(word) and fold(word).strip(".'’") not in excluded:
            current.append(word)
            continue
        if current:
            runs.append(current)
        current = []
    for run in runs:
        while run and fold(run[0]) in common_words:
            run = run[1:]
        if run and any(fold(w).strip(".") not in common_words for w in run):
            return " ".join(run).strip(".,")[:MAX_NAME] or None
    return None
