"""Which language to answer in: a language-ID model, weighed against the words our examples use."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from bot.knowledge import Knowledge
from bot.normalize import normalize


@dataclass(frozen=True)
class Detection:
    language: str  # the configured language to answer in
    detected: str | None  # what the message is written in, when known; may be unconfigured ("fr")
    reason: str  # "vocabulary", "model", "locale" or "default", for the logs and the evaluation


class LanguageDetector:
    """Decide a message's language; short or ambiguous text falls back to the locale, then the default."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.languages = list(knowledge.languages)
        self.default = knowledge.default_language
        self._locales = {p: code for code, lang in knowledge.languages.items() for p in lang.locales}
        params = knowledge.matching.get("language", {})
        self.model_weight = float(params.get("model_weight", 1.5))
        self.foreign_confidence = float(params.get("foreign_confidence", 0.9))
        self.foreign_min_words = int(params.get("foreign_min_words", 3))
        # Words that only one language's examples and stopwords use: the strongest evidence we have.
        vocab: dict[str, set[str]] = {code: set(lang.stopwords) for code, lang in knowledge.languages.items()}
        for intent in knowledge.intents.values():
            for code, examples in intent.examples.items():
                for example in examples:
                    vocab[code].update(normalize(example).split())
        self._own = {
            code: words - set().union(*(v for c, v in vocab.items() if c != code)) for code, words in vocab.items()
        }

    @cached_property
    def _model(self) -> LanguageIdentifier:
        # Loaded on first use from the package's own file: no download, and import stays fast.
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def warm(self) -> None:
        self._model.classify("warm up")

    def from_locale(self, locale: str | None) -> str | None:
        """Map a Slack locale such as 'es-ES' to a configured language."""
        if not locale:
            return None
        lowered = locale.lower().replace("_", "-")
        return self._locales.get(lowered) or self._locales.get(lowered.split("-")[0])

    def detect(self, raw: str, normalized: str, locale: str | None = None) -> Detection:
        words = normalized.split()
        votes = {code: sum(w in self._own[code] for w in words) for code in self.languages}
        guess, confidence = self._model.classify(raw) if words else (None, 0.0)
        if guess in votes:
            votes[guess] += self.model_weight * confidence
        best = max(votes.values(), default=0)
        leaders = [code for code, v in votes.items() if v == best and v > 0]
        if len(leaders) == 1 and best >= 1:
            return Detection(leaders[0], leaders[0], "vocabulary")
        if (guess and guess not in votes and confidence >= self.foreign_confidence
                and len(words) >= self.foreign_min_words and best < 1):
            return Detection(self.default, guess, "model")
        local = self.from_locale(locale)
        if local:
            return Detection(local, None, "locale")
        return Detection(self.default, None, "default")
