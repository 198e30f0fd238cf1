"""Which language to answer in: a language-ID model, weighed against the words our examples use."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from bot.knowledge import Knowledge


@dataclass(frozen=True)
class Detection:
    language: str  # the configured language to answer in
    detected: str | None  # what the message is written in, when known; may be unconfigured ("fr")
    reason: str  # "vocabulary", "model", "script", "locale", "default" or "button", for the logs and evaluation


class LanguageDetector:
    """Decide a message's language; short or ambiguous text falls back to the locale, then the default."""

    def __init__(self, knowledge: Knowledge, shortcut: bool = True) -> None:
        """`shortcut=False` consults the model for every message (the tests compare the two)."""
        # Answered languages, then languages we only understand: a message in one of those is answered in the
        # default language, with a note.
        self.answered = list(knowledge.languages)
        self.languages = self.answered + list(knowledge.understood)
        self.default = knowledge.default_language
        self._locales = {p: code for code, lang in knowledge.languages.items() for p in lang.locales}
        params = knowledge.matching.get("language", {})
        self.model_weight = float(params.get("model_weight", 1.5))
        self.foreign_confidence = float(params.get("foreign_confidence", 0.9))
        self.foreign_min_words = int(params.get("foreign_min_words", 3))
        self.min_lead = float(params.get("min_lead", 0.5))
        self.full_model_words = int(params.get("full_model_words", 4))
        self.foreign_max_share = float(params.get("foreign_max_share", 0.5))
        self.shortcut = shortcut
        # Words that only one language's examples and stopwords use: the strongest evidence we have.
        every = {**knowledge.understood, **knowledge.languages}
        # A phrase's joined word ("paraque") is its language's own: the matcher hands us text with phrases joined.
        vocab: dict[str, set[str]] = {code: set(every[code].stopwords | every[code].markers
                                                | set(every[code].phrases.values())) for code in self.languages}
        for intent in knowledge.intents.values():
            for code, examples in intent.normalized.items():
                for example in examples:
                    vocab[code].update(example.split())
        # Letters none of our languages' examples use (Chinese, Cyrillic...): a message written in them is foreign
        # however few "words" it has, since such scripts may not separate words with spaces.
        self._alphabet = frozenset(ch for words in vocab.values() for word in words for ch in word)
        # An answered language keeps words it shares only with understood ones ("que" is Spanish and Portuguese):
        # the few examples of an understood language must not take an answered language's evidence away.
        self._own = {
            code: words - set().union(*(v for c, v in vocab.items()
                                        if c != code and (c in self.answered or code not in self.answered)))
            for code, words in vocab.items()
        }
        # An understood language's words that one answered language also uses ("como", "da", "o"): they count for
        # it too, but only when the model already reads the message as that language and one word is its own.
        # Otherwise a Portuguese question reads as Spanish, its shared words being Spanish evidence alone.
        self._borrowed = {
            code: {w for w in vocab[code] - self._own[code]
                   if sum(w in vocab[a] for a in self.answered) == 1}
            for code in self.languages if code not in self.answered
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

    def _model_votes(self, raw: str) -> tuple[dict[str, float], str | None, float]:
        """The model's probability per configured language (renormalised among them), and its overall top guess."""
        ranked = self._model.rank(raw)
        top, top_p = ranked[0] if ranked else (None, 0.0)
        mine = {lang: p for lang, p in ranked if lang in self.languages}
        total = sum(mine.values())
        return ({lang: p / total for lang, p in mine.items()} if total else {}), top, float(top_p)

    def _borrowed_words(self, code: str, words: list[str]) -> int:
        """How many of the words an understood language borrows from an answered one (0 for an answered one)."""
        borrowed = self._borrowed.get(code, ())
        return sum(w in borrowed for w in words)

    def _settled(self, words: list[str], votes: dict[str, float], say: float) -> str | None:
        """The language the words alone decide, whatever the model would say; None if the model could matter.

        The model adds at most `say` to a language (its probabilities sum to one) and lends an understood language
        its borrowed words; when the leader's own words keep a `min_lead` over any rival given both, and are at
        least `foreign_max_share` of the words, so no foreign guess can win, `detect` decides the same without it.
        The model costs about a fifth of a reply.
        """
        if not words:
            return None
        leader = max(votes, key=votes.__getitem__)
        rivals = [votes[code] + say + (self._borrowed_words(code, words) if votes[code] else 0)
                  for code in votes if code != leader]
        lead = votes[leader] - max(rivals, default=0.0)
        if lead >= self.min_lead and lead > 0 and votes[leader] >= self.foreign_max_share * len(words):
            return leader
        return None

    def detect(self, raw: str, normalized: str, locale: str | None = None) -> Detection:
        words = normalized.split()
        letters = [ch for ch in normalized if ch.isalpha()]
        if letters and sum(ch not in self._alphabet for ch in letters) * 2 > len(letters):
            guess = self._model.classify(raw)[0]
            return Detection(self.default, guess if guess not in self.languages else "und", "script")
        votes = {code: float(sum(w in self._own[code] for w in words)) for code in self.languages}
        # The model is unreliable on a word or two ("hola" reads as Zulu): its say grows with the length.
        say = self.model_weight * min(1.0, len(words) / self.full_model_words)
        settled = self._settled(words, votes, say) if self.shortcut else None
        if settled:
            return Detection(settled if settled in self.answered else self.default, settled, "vocabulary")
        model, guess, confidence = self._model_votes(raw) if words else ({}, None, 0.0)
        if guess in self._borrowed and votes[guess]:
            votes[guess] += self._borrowed_words(guess, words)
        evidence = max(votes.values(), default=0.0)
        for code, p in model.items():
            votes[code] += say * p
        ordered = sorted(votes.items(), key=lambda kv: -kv[1])
        lead = ordered[0][1] - (ordered[1][1] if len(ordered) > 1 else 0.0)
        # French shares "se", "le", "de" with Spanish: a confident foreign guess wins unless most words are ours.
        if (guess and guess not in self.languages and confidence >= self.foreign_confidence
                and len(words) >= self.foreign_min_words and evidence / len(words) < self.foreign_max_share):
            return Detection(self.default, guess, "model")
        if words and lead >= self.min_lead:
            winner = ordered[0][0]
            return Detection(winner if winner in self.answered else self.default, winner,
                             "vocabulary" if evidence else "model")
        local = self.from_locale(locale)
        if local:
            return Detection(local, None, "locale")
        return Detection(self.default, None, "default")
