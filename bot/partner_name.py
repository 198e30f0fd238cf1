"""Find the organisation a message names ("we want to sponsor Interpol with Acme Corp" -> "Acme Corp")."""

from __future__ import annotations

import re

from bot.normalize import fold, strip_slack_markup

_WORD = re.compile(r"[\w&.'’-]+")
_SENTENCE_END = re.compile(r"[.!?¿¡:;\n]")
MAX_NAME = 60


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _runs(text: str, excluded: frozenset[str]) -> list[tuple[bool, list[str]]]:
    """Runs of consecutive capitalised words, each flagged when it opens a sentence."""
    runs: list[tuple[bool, list[str]]] = []
    current: list[str] = []
    initial = False
    end = 0
    for m in _WORD.finditer(text):
        word = m.group()
        between = text[end:m.start()]
        # Punctuation between two words ends a run ("Hi, Acme" is still one run: only sentence ends split).
        if current and _SENTENCE_END.search(between):
            runs.append((initial, current))
            current = []
        if _capitalised(word) and fold(word).strip(".'’") not in excluded:
            if not current:
                before = text[:m.start()].rstrip()
                initial = not before or bool(_SENTENCE_END.fullmatch(before[-1]))
            current.append(word)
        elif current:
            runs.append((initial, current))
            current = []
        end = m.end()
    if current:
        runs.append((initial, current))
    return runs


def extract_partner(raw: str, common_words: frozenset[str], excluded: frozenset[str]) -> str | None:
    """The first run of capitalised words that names something; None if none.

    A sentence's first word is capitalised by position, so it is dropped when our knowledge uses it
    ("Can Acme sponsor…" -> "Acme"). What is left is a name when it is two or more words (capitalised
    mid-sentence: "… with Acme Corp") or holds a word our knowledge does not use ("Santander"). The
    knowledge's own example names (acme, globex) are common words, hence the two-word rule.
    """
    for initial, run in _runs(strip_slack_markup(raw), excluded):
        if initial and fold(run[0]).strip(".") in common_words:
            run = run[1:]
        if run and (len(run) >= 2 or any(fold(w).strip(".") not in common_words for w in run)):
            return " ".join(run).strip(".,")[:MAX_NAME] or None
    return None
