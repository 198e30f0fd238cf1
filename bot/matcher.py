"""Score a normalised message against every intent's examples at once with rapidfuzz."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from bot.knowledge import Knowledge
from bot.normalize import normalize
from bot.score_index import ScoreIndex

SCORERS = {
    "ratio": fuzz.ratio,
    # token_sort_ratio is ratio over sorted words: the examples are sorted once at load, so it costs what ratio costs.
    "token_sort_ratio": fuzz.ratio,
    "token_set_ratio": fuzz.token_set_ratio,  # about 20x slower than ratio: it re-tokenises every example
    "partial_ratio": fuzz.partial_ratio,
    "WRatio": fuzz.WRatio,
}
_PRESORTED = frozenset({"token_sort_ratio"})


def _sort_words(text: str) -> str:
    return " ".join(sorted(text.split()))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_BUCKET = {ch: i for i, ch in enumerate(_LETTERS)}


def _letter_table(words: list[str]) -> np.ndarray:
    """Letter counts as a (letters x words) table: one row per letter, so a word's few letters are few rows."""
    table = np.zeros((len(_LETTERS) + 1, len(words)), dtype=np.uint8)
    for column, word in enumerate(words):
        for ch in word:
            row = _BUCKET.get(ch, len(_LETTERS))  # any other character counts in the last row
            table[row, column] = min(int(table[row, column]) + 1, 255)
    return table


@dataclass(frozen=True)
class Match:
    """The ranked intents for one message; scores are 0-100, best first."""

    text: str  # the normalised, typo-corrected text that was scored
    ranked: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Reading:
    """A normalised message as the matcher reads it, once: the language detector and `match` share it."""

    text: str  # phrases joined, typos corrected
    topic: list[tuple[str | None, float]]  # each topic word's stem (None if no intent knows it) and IDF weight


@dataclass(frozen=True)
class Features:
    """Per-intent evidence for one message, before weighting (the tuning script reads these)."""

    text: str
    fuzzy: dict[str, np.ndarray]  # scorer name -> best example score per intent, 0-100
    hits: np.ndarray  # per intent, the IDF weight of the message's topic words its examples use
    known_weight: float  # IDF weight of the message's topic words that some intent uses
    unknown_count: int  # topic words no intent uses

    def lexical(self, unknown_weight: float) -> np.ndarray:
        """Per intent, the weighted share of the message's topic words it uses, 0-100."""
        total = self.known_weight + unknown_weight * self.unknown_count
        if not total:
            return np.full(len(self.hits), 50.0)  # only function words: let the fuzzy scores decide
        return 100 * self.hits / total

    def known(self, unknown_weight: float) -> float:
        total = self.known_weight + unknown_weight * self.unknown_count
        return self.known_weight / total if total else 1.0


class Matcher:
    """Built once from the knowledge; `match` is the hot path (a few cdist calls over all examples)."""

    def __init__(self, knowledge: Knowledge, scoring: dict | None = None) -> None:
        params = scoring if scoring is not None else knowledge.matching.get("scoring", {})
        self.weights: dict[str, float] = dict(params.get("weights", {"ratio": 0.3, "token_set_ratio": 0.3,
                                                                       "lexical": 0.4}))
        self.unknown_penalty = float(params.get("unknown_penalty", 0.0))
        self.unknown_weight = float(params.get("unknown_weight", 1.0))
        self.typo_cutoff = float(params.get("typo_cutoff", 82))
        self.stem_length = int(params.get("stem_length", 0))
        self.answer_words = bool(params.get("answer_words", False))
        self.lexical_grading = float(params.get("lexical_grading", 0.0))
        self.negatives_per_example = bool(params.get("negatives_per_example", False))
        # Answered languages' stopwords only: an understood language's ("war", "come", "chi") are topic words in ours.
        self.stopwords = frozenset().union(*(lang.stopwords for lang in knowledge.languages.values()))
        self._phrases = {k: v for lang in knowledge.languages.values() for k, v in lang.phrases.items()}
        self._phrase_pattern = (re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(self._phrases, key=len,
                                                                                       reverse=True))) + r")\b")
                                if self._phrases else None)
        self.intent_ids = list(knowledge.intents)
        texts, owners, langs = [], [], []
        for i, intent in enumerate(knowledge.intents.values()):
            for lang, examples in intent.normalized.items():
                examples = [self.join_phrases(e) for e in examples]
                texts.extend(examples)
                owners.extend([i] * len(examples))
                langs.extend([lang] * len(examples))
        self.texts = texts
        self.owners = np.asarray(owners)
        # Examples sorted by intent, so a per-intent maximum is one reduceat over the score row.
        order = np.argsort(self.owners, kind="stable")
        self._starts = np.searchsorted(self.owners[order], np.arange(len(self.intent_ids)))
        self._sorted_texts = [texts[i] for i in order]
        self._word_sorted_texts = [_sort_words(t) for t in self._sorted_texts]
        # Each scorer's examples, ready for many messages (packed once where rapidfuzz can), in intent order, and
        # each answered language's own, for `match(language=)`: every intent has examples in each (validated).
        self._intent_of_example = self.owners[order]
        by_language = np.asarray(langs)[order]
        self._views = {code: by_language == code for code in knowledge.languages}
        self._indexes = {name: self._index(name) for name in self.weights if name in SCORERS}
        self._build_vocabulary(knowledge)

    def join_phrases(self, normalized: str) -> str:
        """Read each configured multi-word expression as its one word ("por que" -> "porque")."""
        if self._phrase_pattern is None:
            return normalized
        return self._phrase_pattern.sub(lambda m: self._phrases[m.group(0)], normalized)

    def stem(self, word: str) -> str:
        """Truncation stemming: 'financia', 'financiada', 'financiacion' share a stem in both languages."""
        return word[: self.stem_length] if self.stem_length else word

    def _build_vocabulary(self, knowledge: Knowledge) -> None:
        # A word's weight is its rarity across intents (IDF): "interpol" says little, "lyon" a lot.
        n = len(self.intent_ids)
        # Per intent, how many of its examples use each stem: "why" is in half of partnerships.why's examples
        # and a few of partnerships.benefits', which a yes/no "uses the word" cannot tell apart.
        counts: list[Counter[str]] = [Counter() for _ in self.intent_ids]
        sizes = np.bincount(self.owners, minlength=n).astype(np.float64)
        spelled: set[str] = set()
        # Out-of-scope examples are unrelated counter-examples, not one topic: together they use almost any word,
        # so their union says nothing. With negatives_per_example each is evidence on its own, as its fuzzy score is.
        negatives = {j for j, intent in enumerate(knowledge.intents.values())
                     if self.negatives_per_example and intent.kind == "out_of_scope"}
        negative_stems: dict[int, list[set[str]]] = {j: [] for j in negatives}
        for text, owner in zip(self.texts, self.owners, strict=True):
            words = [w for w in text.split() if w not in self.stopwords]
            spelled.update(words)
            stems = {self.stem(w) for w in words}
            counts[owner].update(stems)
            if owner in negatives:
                negative_stems[owner].append(stems)
        if self.answer_words:  # an intent's answers and labels together count as one more example
            for j, intent in enumerate(knowledge.intents.values()):
                words = {w for text in [*intent.answer.values(), *intent.label.values()]
                         for w in self.join_phrases(normalize(text)).split() if w not in self.stopwords}
                spelled.update(words)
                counts[j].update({self.stem(w) for w in words})
        df: Counter[str] = Counter()
        for used in counts:
            df.update(used.keys())
        self.idf = {w: math.log(1 + n / d) for w, d in df.items()}
        self.unknown_idf = math.log(1 + n)
        self.stems = sorted(df)
        self.vocabulary = sorted(spelled)  # whole words, for typo correction
        self._known_words = frozenset(spelled)
        # The vocabulary by length too, so the words a typo's length can reach are one slice of the letter table.
        lengths = np.array([len(w) for w in self.vocabulary])
        self._by_length = np.argsort(lengths, kind="stable")
        self._sorted_lengths = lengths[self._by_length]
        self._vocabulary_letters = np.ascontiguousarray(_letter_table(self.vocabulary)[:, self._by_length])
        # Stem x intent table, so the lexical score is one vector product over the message's rows. Each cell is
        # the share of the intent's examples using the stem, relative to the intent that uses it most, raised to
        # `lexical_grading`: 0 gives 1 wherever the intent uses it at all, higher values favour typical words.
        self._word_index = {w: i for i, w in enumerate(self.stems)}
        share = np.zeros((len(self.stems), n), dtype=np.float64)
        for j, used in enumerate(counts):
            for w, c in used.items():
                share[self._word_index[w], j] = c / max(sizes[j], 1.0)
        relative = share / share.max(axis=1, keepdims=True)
        self._uses = np.where(share > 0, relative ** self.lexical_grading, 0.0)
        # Per negative intent, its example count and, per stem, the examples (columns) that use it.
        self._negative_uses: dict[int, tuple[int, dict[int, np.ndarray]]] = {}
        for j, examples in negative_stems.items():
            columns: dict[int, list[int]] = {}
            for column, stems in enumerate(examples):
                for stem in stems:
                    columns.setdefault(self._word_index[stem], []).append(column)
            self._negative_uses[j] = (len(examples), {k: np.array(v) for k, v in columns.items()})

    def correct(self, words: list[str]) -> dict[str, str | None]:
        """For each word, itself if known, else the known word a typo most likely meant, else None."""
        fixes: dict[str, str | None] = {w: (w if w in self._known_words else None) for w in words}
        unknown = [w for w, fixed in fixes.items() if fixed is None and len(w) >= 4]
        for word in unknown:
            candidates = self._typo_candidates(word)
            if not len(candidates):
                continue
            row = process.cdist([word], [self.vocabulary[i] for i in candidates], scorer=fuzz.ratio,
                                score_cutoff=self.typo_cutoff, dtype=np.uint8)[0]
            best = int(np.argmax(row))  # candidates keep the vocabulary's order, so ties resolve as over all of it
            if row[best]:
                fixes[word] = self.vocabulary[candidates[best]]
        return fixes

    def _typo_candidates(self, word: str) -> np.ndarray:
        """Indices of the vocabulary words that could reach the typo cutoff, in vocabulary order.

        ratio = 200 * LCS / (both lengths), and two words share at most as many letters as their letter counts
        allow: an exact bound that rules out most of the vocabulary before rapidfuzz compares anything.
        """
        n, cutoff = len(word), self.typo_cutoff
        # Two words share at most the shorter one's letters: a length window first, then the letter bound on it.
        first = np.searchsorted(self._sorted_lengths, math.ceil(cutoff * n / (200 - cutoff) - 1e-9), "left")
        longest = math.floor(n * (200 - cutoff) / cutoff + 1e-9) if cutoff > 0 else n + int(self._sorted_lengths[-1])
        last = np.searchsorted(self._sorted_lengths, longest, "right")
        mine = _letter_table([word])
        rows = np.flatnonzero(mine[:, 0])
        shared = np.minimum(self._vocabulary_letters[rows, first:last], mine[rows]).sum(axis=0)
        bound = 200 * shared / (self._sorted_lengths[first:last] + n)
        reachable = first + np.flatnonzero(bound >= cutoff - 1e-9)  # float rounding must never exclude a word
        return np.sort(self._by_length[reachable])

    def read(self, normalized: str) -> Reading:
        """The message with phrases joined and typos corrected, as `match` scores it."""
        return Reading(*self._corrected(normalized))

    def _corrected(self, normalized: str) -> tuple[str, list[tuple[str | None, float]]]:
        """The typo-corrected text, and each topic word's stem (None if no intent knows it) and IDF weight."""
        words = self.join_phrases(normalized).split()
        fixes = self.correct([w for w in words if w not in self.stopwords])
        corrected, topic = [], []
        for w in words:
            if w in self.stopwords:
                corrected.append(w)
                continue
            fixed = fixes[w]
            corrected.append(fixed or w)
            stem = self.stem(fixed) if fixed else None
            topic.append((stem, self.idf[stem] if stem else 0.0))
        return " ".join(corrected), topic

    def best_possible(self, normalized: str, intent_id: str) -> float:
        """An upper bound of the intent's combined score, from its own examples only (full word evidence)."""
        text, _ = self._corrected(normalized)
        j = self.intent_ids.index(intent_id)
        examples = slice(self._starts[j], self._starts[j + 1] if j + 1 < len(self._starts) else None)
        bound = 0.0
        for name, weight in self.weights.items():
            if name not in SCORERS:
                bound += weight * 100  # word evidence, at most 100
                continue
            bound += weight * float(process.cdist([self._query(text, name)], self._examples(name)[examples],
                                                  scorer=SCORERS[name], processor=None).max())
        return bound

    def features(self, normalized: str, scorers: tuple[str, ...] | None = None,
                 language: str | None = None, reading: Reading | None = None) -> Features:
        text, topic = (reading.text, reading.topic) if reading else self._corrected(normalized)
        names = scorers if scorers is not None else tuple(k for k in self.weights if k in SCORERS)
        fuzzy = self._fuzzy(text, names, language)
        known = [(self._word_index[stem], weight) for stem, weight in topic if stem is not None]
        # Only the message's own rows of the stem-by-intent table: a few rows, not the whole vocabulary.
        hits = (np.array([w for _, w in known]) @ self._uses[[i for i, _ in known]] if known
                else np.zeros(len(self.intent_ids)))
        for j, (size, columns) in self._negative_uses.items():
            covered = np.zeros(size)
            for row, weight in known:
                if row in columns:
                    covered[columns[row]] += weight
            hits[j] = covered.max() if size else 0.0
        known_weight = sum(wt for stem, wt in topic if stem is not None)
        unknown_count = sum(stem is None for stem, _ in topic)
        return Features(text, fuzzy, hits, known_weight, unknown_count)

    def _fuzzy(self, text: str, names: tuple[str, ...], language: str | None = None) -> dict[str, np.ndarray]:
        """Best example score per intent for each scorer."""
        return {name: self._best_per_intent(text, name, language) for name in names}

    @staticmethod
    def _query(text: str, name: str) -> str:
        """The message in the form scorer `name` compares it."""
        return _sort_words(text) if name in _PRESORTED else text

    def _examples(self, name: str) -> list[str]:
        """The examples, in intent order, in the form scorer `name` compares them."""
        return self._word_sorted_texts if name in _PRESORTED else self._sorted_texts

    def _index(self, name: str) -> ScoreIndex:
        return ScoreIndex(self._examples(name), self._intent_of_example, self._views, SCORERS[name])

    def _best_per_intent(self, text: str, name: str, language: str | None = None) -> np.ndarray:
        if name not in self._indexes:  # a scorer the tuner asks about: built on first use
            self._indexes[name] = self._index(name)
        return self._indexes[name].best(self._query(text, name), language)

    def combine(self, f: Features) -> np.ndarray:
        lexical = f.lexical(self.unknown_weight * self.unknown_idf)
        score = sum(w * (lexical if name == "lexical" else f.fuzzy[name]) for name, w in self.weights.items())
        return score - self.unknown_penalty * (1 - f.known(self.unknown_weight * self.unknown_idf)) * 100

    def match(self, normalized: str, limit: int = 5, language: str | None = None,
              reading: Reading | None = None) -> Match:
        """The ranked intents; with `language`, the fuzzy scores compare only that language's examples.

        `reading` is `read(normalized)` when the caller already has it: typo correction is not done twice.
        """
        if not normalized:
            return Match("", ())
        f = self.features(normalized, language=language, reading=reading)
        combined = self.combine(f)
        order = np.argsort(-combined)[:limit]
        ranked = tuple((self.intent_ids[i], round(float(combined[i]), 2)) for i in order)
        return Match(f.text, ranked)
