"""Score a normalised message against every intent's examples at once with rapidfuzz."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process, utils

from bot.knowledge import Knowledge
from bot.normalize import normalize


@dataclass(frozen=True)
class Match:
    """The ranked intents for one message; `scores` are 0-100, best first."""

    text: str  # the normalised (and typo-corrected) text that was scored
    ranked: tuple[tuple[str, float], ...]
    example_language: str | None  # language of the single best example
    coverage: float  # share of the message's topic words that the knowledge knows, 0-1

    @property
    def best(self) -> tuple[str, float] | None:
        return self.ranked[0] if self.ranked else None


class Matcher:
    """Built once from the knowledge; `match` is the hot path."""

    def __init__(self, knowledge: Knowledge) -> None:
        params = knowledge.matching.get("scoring", {})
        self.fuzzy_weight = float(params.get("fuzzy_weight", 0.6))
        self.typo_cutoff = float(params.get("typo_cutoff", 82))
        self.stopwords = frozenset().union(*(lang.stopwords for lang in knowledge.languages.values()))
        self.intent_ids = list(knowledge.intents)
        texts, owners, langs = [], [], []
        for i, intent in enumerate(knowledge.intents.values()):
            for lang, examples in intent.examples.items():
                for example in examples:
                    texts.append(normalize(example))
                    owners.append(i)
                    langs.append(lang)
        self.texts, self.langs = texts, langs
        self.owners = np.asarray(owners)
        self._owner_onehot = np.zeros((len(texts), len(self.intent_ids)), dtype=bool)
        self._owner_onehot[np.arange(len(texts)), self.owners] = True
        self._build_vocabulary(knowledge)

    def _build_vocabulary(self, knowledge: Knowledge) -> None:
        # Per-intent topic words, weighted by how few intents use them (inverse document frequency).
        words_by_intent = [set() for _ in self.intent_ids]
        for text, owner in zip(self.texts, self.owners, strict=True):
            words_by_intent[owner].update(w for w in text.split() if w not in self.stopwords)
        df: dict[str, int] = {}
        for words in words_by_intent:
            for w in words:
                df[w] = df.get(w, 0) + 1
        n = len(self.intent_ids)
        self.idf = {w: math.log(1 + n / d) for w, d in df.items()}
        self.unknown_idf = math.log(1 + n)
        self.vocabulary = sorted(df)
        self.words_by_intent = words_by_intent

    def correct(self, word: str) -> str | None:
        """The known word a typo most likely meant, or None if nothing is close."""
        if word in self.idf:
            return word
        if len(word) < 4:
            return None
        found = process.extractOne(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=self.typo_cutoff)
        return found[0] if found else None

    def match(self, normalized: str, limit: int = 5) -> Match:
        words = normalized.split()
        corrected, topic = [], []
        for w in words:
            if w in self.stopwords:
                corrected.append(w)
                continue
            fixed = self.correct(w)
            corrected.append(fixed or w)
            topic.append((fixed, self.idf.get(fixed, self.unknown_idf) if fixed else self.unknown_idf))
        text = " ".join(corrected)
        if not text:
            return Match(text, (), None, 0.0)
        fuzzy = process.cdist([text], self.texts, scorer=fuzz.token_set_ratio, processor=None, workers=1)[0]
        ratio = process.cdist([text], self.texts, scorer=fuzz.ratio, processor=None, workers=1)[0]
        per_example = np.maximum(fuzzy * 0.5 + ratio * 0.5, ratio)
        per_intent = np.where(self._owner_onehot, per_example[:, None], 0).max(axis=0)
        total = sum(weight for _, weight in topic)
        lexical = np.zeros(len(self.intent_ids))
        if total:
            for i, words_i in enumerate(self.words_by_intent):
                lexical[i] = 100 * sum(wt for w, wt in topic if w in words_i) / total
        else:
            lexical[:] = 50  # a message of only function words: let the fuzzy score decide
        known = sum(wt for w, wt in topic if w is not None) / total if total else 1.0
        combined = self.fuzzy_weight * per_intent + (1 - self.fuzzy_weight) * lexical
        order = np.argsort(-combined)[:limit]
        best_example = int(np.argmax(per_example))
        ranked = tuple((self.intent_ids[i], round(float(combined[i]), 2)) for i in order)
        return Match(text, ranked, self.langs[best_example], known)


_ = utils  # rapidfuzz.utils kept for callers comparing with default_process
