"""The matcher's typo correction: its letter-count prefilter must never change what a full search finds."""

from __future__ import annotations

import random

import numpy as np
import pytest
from rapidfuzz import fuzz, process

from bot.engine import Engine
from bot.matcher import Matcher


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Engine.load().matcher


def full_search(matcher: Matcher, word: str) -> str | None:
    """The best vocabulary word at or above the cutoff, comparing the word with every vocabulary word."""
    row = process.cdist([word], matcher.vocabulary, scorer=fuzz.ratio, score_cutoff=matcher.typo_cutoff,
                        dtype=np.uint8)[0]
    best = int(np.argmax(row))
    return matcher.vocabulary[best] if row[best] else None


def misspell(word: str, rng: random.Random) -> str:
    """One or two random deletions, insertions, substitutions or swaps, as fast typing makes them."""
    letters = list(word)
    for _ in range(rng.choice((1, 1, 2))):
        i = rng.randrange(len(letters))
        edit = rng.choice(("delete", "insert", "substitute", "swap"))
        if edit == "delete" and len(letters) > 1:
            del letters[i]
        elif edit == "insert":
            letters.insert(i, rng.choice("abcdeilnorstuxzñø1"))
        elif edit == "substitute":
            letters[i] = rng.choice("abcdeilnorstuxzñø1")
        elif i + 1 < len(letters):
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
    return "".join(letters)


def test_typo_correction_finds_what_a_full_search_finds(matcher: Matcher) -> None:
    rng = random.Random(23)
    long_words = [w for w in matcher.vocabulary if len(w) >= 4]
    words = [misspell(w, rng) for w in rng.sample(long_words, 600)]
    words += ["zzzzzz", "qwertyuiop", "interpooool", "ab" * 300, "øøøøø", "1234567", "financiacionnnn"]
    unknown = [w for w in dict.fromkeys(words) if w not in matcher.vocabulary]
    fixes = matcher.correct(unknown)
    # Words under four letters are never corrected: "tym" is as likely "tmy" as a typo of "tysm".
    expected = {w: full_search(matcher, w) if len(w) >= 4 else None for w in unknown}
    assert fixes == expected
    # The sample exercises both outcomes: typos that are fixed and words nothing is close to.
    assert sum(v is not None for v in fixes.values()) > 200
    assert sum(v is None for v in fixes.values()) > 20
