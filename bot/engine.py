"""The answer engine: a message in, a sourced Reply in the asker's language out. No Slack in here."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from bot.knowledge import Intent, Knowledge, Paths, load_knowledge
from bot.language import Detection, LanguageDetector
from bot.matcher import Match, Matcher
from bot.normalize import clauses, last_clause_question, last_question, normalize
from bot.partner_name import extract_partner
from bot.reply import Reply, ScreeningPrompt, Suggestion, escape_mrkdwn
from bot.screening import Outcome, ScreeningRun, outcome

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Thresholds:
    answer: float
    clarify: float
    margin: float
    out_of_scope_margin: float
    confident: float
    confident_out_of_scope_margin: float
    smalltalk: float
    max_input: int

    @classmethod
    def from_config(cls, matching: dict) -> Thresholds:
        answer = float(matching.get("answer_threshold", 60))
        veto = float(matching.get("out_of_scope_margin", 0))
        return cls(
            answer=answer,
            clarify=float(matching.get("clarify_threshold", 50)),
            margin=float(matching.get("clarify_margin", 4)),
            out_of_scope_margin=veto,
            confident=float(matching.get("confident_score", 101)),
            confident_out_of_scope_margin=float(matching.get("confident_out_of_scope_margin", veto)),
            smalltalk=float(matching.get("smalltalk_threshold", answer)),
            max_input=int(matching.get("max_input_chars", 1000)),
        )

    def veto_margin(self, best: float) -> float:
        """How far below the best topic an out-of-scope example may score and still veto it."""
        return self.confident_out_of_scope_margin if best >= self.confident else self.out_of_scope_margin


class Engine:
    """Holds the knowledge, the matcher and the language detector; built once per process."""

    def __init__(self, knowledge: Knowledge, default_language: str | None = None) -> None:
        if default_language and default_language in knowledge.languages:
            knowledge = replace(knowledge, default_language=default_language)
        self.knowledge = knowledge
        self.matcher = Matcher(knowledge)
        self.detector = LanguageDetector(knowledge)
        self.thresholds = Thresholds.from_config(knowledge.matching)
        self.languages = tuple(knowledge.languages)
        self.default_language = knowledge.default_language
        # Whole words, not the matcher's stems: partner names are compared word by word. Only the topics' examples:
        # out-of-scope ones name companies ("cuantos empleados tiene telefonica") that a proposal names as partner.
        # The matcher already holds every example as it compares them (phrases joined): read its words there.
        topics = {j for j, i in enumerate(self.matcher.intent_ids) if knowledge.intents[i].kind != "out_of_scope"}
        self._common = frozenset(w for text, owner in zip(self.matcher.texts, self.matcher.owners, strict=True)
                                 if owner in topics for w in text.split()) | self.matcher.stopwords
        self._closing = frozenset(i.id for i in knowledge.intents.values() if i.closing)
        self._question_rescue = bool(knowledge.matching.get("question_sentence", False))
        self._clause_rescue = bool(knowledge.matching.get("question_clause", False))
        self._own_language_from = int(knowledge.matching.get("own_language_from_chars", 10**9))

    @classmethod
    def load(cls, paths: Paths | None = None, default_language: str | None = None) -> Engine:
        return cls(load_knowledge(paths), default_language)

    def warm(self) -> None:
        """Load the language model now, so the first user does not wait for it (about 0.5 s)."""
        self.detector.warm()

    @property
    def checklist(self):
        return self.knowledge.checklist

    # --- public API -------------------------------------------------------------------------------

    def reply(self, text: str, locale: str | None = None) -> Reply:
        """Answer one message; never raises on odd input."""
        text = (text or "")[: self.thresholds.max_input]
        normalized = normalize(text)
        if not normalized:
            return self._fallback(self._no_text(locale).language, None, empty=True)
        # The typo-corrected words are the better evidence: "graciaas" is Spanish once read as "gracias".
        reading = self.matcher.read(normalized)
        detection = self.detector.detect(text, reading.text, locale)
        lang = detection.language
        match = self.matcher.match(normalized, language=self._own_examples(reading.text, detection), reading=reading)
        outcome_kind, chosen = self._outcome(text, normalized, match)
        log.debug("matched", extra={"kind": outcome_kind, "ranked": match.ranked[:3], "lang": lang})
        if outcome_kind == "answer":
            partner = extract_partner(text, self._common, self.knowledge.not_partners)
            return self._answer(self.knowledge.intents[chosen[0][0]], detection, chosen[0][1], match, partner)
        note = self._language_note(detection)
        if outcome_kind == "clarify":
            return replace(self._clarify(lang, chosen, match), note=note)
        return replace(self._fallback(lang, match), note=note)

    def answer(self, intent_id: str, language: str, partner: str | None = None) -> Reply:
        """The reply for an answerable intent (a follow-up or clarify button); KeyError for any other ID."""
        lang = language if language in self.languages else self.default_language
        intent = self.knowledge.intents[intent_id]
        if intent.kind == "out_of_scope":
            raise KeyError(intent_id)
        return self._answer(intent, Detection(lang, lang, "button"), 100.0, None, partner)

    def topics(self, language: str) -> list[Suggestion]:
        """Every answerable topic, labelled in `language`."""
        return [Suggestion(i.id, i.label[language]) for i in self.knowledge.intents.values() if i.kind == "answer"]

    def ui(self, language: str, key: str, /, **values: str) -> str:
        text = self.knowledge.languages[self.language(language)].ui[key]
        return text.format(**values) if values else text

    def language(self, code_or_locale: str | None) -> str:
        """A configured language for a code or a Slack locale; the default otherwise."""
        if code_or_locale in self.knowledge.languages:
            return code_or_locale
        return self.detector.from_locale(code_or_locale) or self.default_language

    def screening_outcome(self, run: ScreeningRun) -> Outcome:
        return outcome(self.checklist, run, self.knowledge.languages[self.language(run.language)])

    # --- composition ------------------------------------------------------------------------------

    def _no_text(self, locale: str | None) -> Detection:
        return Detection(self.detector.from_locale(locale) or self.default_language, None, "locale")

    def _decide(self, match: Match) -> tuple[str, list[tuple[str, float]]]:
        t = self.thresholds
        intents = self.knowledge.intents
        ranked = [(i, s) for i, s in match.ranked if intents[i].kind != "out_of_scope"]
        vetoes = [s for i, s in match.ranked if intents[i].kind == "out_of_scope"]
        if not ranked or ranked[0][1] < t.clarify:
            return "fallback", []
        best = ranked[0][1]
        # The negative examples veto only when clearly closer than any topic.
        if vetoes and vetoes[0] > best + t.veto_margin(best):
            return "fallback", []
        close = [(i, s) for i, s in ranked[:3] if s >= t.clarify and best - s <= t.margin]
        if best >= self._needed(ranked[0][0]) and len(close) == 1:
            return "answer", close
        if len(close) >= 2:
            return "clarify", close
        return "fallback", []

    def _outcome(self, text: str, normalized: str, match: Match) -> tuple[str, list[tuple[str, float]]]:
        """The decision on the whole message, then the rules around it (other organisation, thanks, the question)."""
        kind, chosen = self._decide(match)
        # The documents name no other organisation: "when was europol created" is not Interpol's history.
        if kind != "fallback" and self.knowledge.subject.other_named(normalized, match.text):
            return "fallback", []
        if kind == "fallback":
            kind, chosen = self._closing_clause(text) or (kind, chosen)
        if kind != "answer":
            kind, chosen = self._question_sentence(text, normalized, match) or (kind, chosen)
        return kind, chosen

    def _question_sentence(self, text: str, normalized: str, match: Match) -> tuple[str, list[tuple[str, float]]] | None:
        """'Our bank's board asked about this. How is Interpol financed?': the question alone, when context blurs it.

        The last sentence first, then the last clause ('..., how is it financed?'), which must agree with the whole.
        """
        if not self._question_rescue or self.knowledge.intents[match.ranked[0][0]].kind == "out_of_scope":
            return None  # a negative example closest to the whole message: its context says it is not ours
        tried = {normalized}
        clause = last_clause_question(text) if self._clause_rescue else None
        for question, confirm in ((last_question(text), False), (clause, True)):
            if question is None or question in tried:
                continue
            tried.add(question)
            alone = self.matcher.match(question)
            kind, chosen = self._decide(alone)
            # A clause is a weaker rescue than a sentence: it only confirms the whole message's leading topic.
            if confirm and chosen and chosen[0][0] != match.ranked[0][0]:
                continue
            if kind == "answer" and not self.knowledge.subject.other_named(normalized, alone.text):
                return kind, chosen
        return None

    def _own_examples(self, corrected: str, detection: Detection) -> str | None:
        """The answered language whose examples alone a long message is compared with; None for all of them."""
        # Long messages cost rapidfuzz twice as much (past 64 characters) and their language is never in doubt;
        # short ones keep every language's examples, which help them ("interpol esta en lyon?").
        if (len(corrected) < self._own_language_from or detection.reason not in ("vocabulary", "model")
                or detection.detected not in self.languages):
            return None
        return detection.detected

    def _needed(self, intent_id: str) -> float:
        # Greetings and thanks are formulaic: a real one is close to an example, a loose match is chatter.
        return self.thresholds.smalltalk if self.knowledge.intents[intent_id].formulaic else self.thresholds.answer

    def _closing_clause(self, text: str) -> tuple[str, list[tuple[str, float]]] | None:
        """A thanks that opens or ends a message of chatter: 'perfect thanks a lot, sending this to legal now'."""
        # A question anywhere means the message wants an answer, not a "you're welcome".
        if not self._closing or "?" in text:
            return None
        parts = clauses(text)
        if len(parts) < 2:
            return None
        # A formula opens or ends a message ("perfect, thanks a lot - ..."); four matches at most bound the time.
        for part in dict.fromkeys(parts[:2] + parts[-2:]):
            # Most clauses are nowhere near a thanks: a bound from its examples alone skips the full match.
            if all(self.matcher.best_possible(part, i) < self._needed(i) for i in self._closing):
                continue
            kind, chosen = self._decide(self.matcher.match(part))
            if kind == "answer" and chosen[0][0] in self._closing:
                return kind, chosen
        return None

    def _suggest(self, intent_ids, lang: str) -> tuple[Suggestion, ...]:
        intents = self.knowledge.intents
        return tuple(Suggestion(i, intents[i].label[lang]) for i in intent_ids)

    def _answer(self, intent: Intent, detection: Detection, score: float, match: Match | None,
                partner: str | None) -> Reply:
        lang = detection.language
        note = self._language_note(detection)
        return Reply(
            kind="smalltalk" if intent.kind == "smalltalk" else "answer",
            intent=intent.id,
            language=lang,
            text=intent.answer[lang],
            citations=intent.sources,
            suggestions=self._suggest(intent.related, lang),
            score=score,
            screening=self._screening_prompt(lang, partner) if intent.screening_prompt else None,
            note=note,
            candidates=match.ranked if match else (),
        )

    def _language_note(self, detection: Detection) -> str | None:
        """For a message in a language we have no answers in: say which languages we answer in."""
        if not detection.detected or detection.detected in self.languages:
            return None
        names = " / ".join(self.knowledge.languages[c].name for c in self.languages)
        lang = detection.language
        return self.ui(lang, "language_note", languages=names, language=self.knowledge.languages[lang].name)

    def _screening_prompt(self, lang: str, partner: str | None) -> ScreeningPrompt:
        questions = tuple(c.question[lang] for c in self.checklist.criteria)
        name = escape_mrkdwn(partner) if partner else None
        intro = self.ui(lang, "screening_intro", partner=self.ui(lang, "screening_partner", name=name) if name else "")
        how = self.ui(lang, "screening_how", name=f" {name}" if name else "")
        lines = [intro, *(f"{n}. {q}" for n, q in enumerate(questions, 1)), how]
        return ScreeningPrompt(partner=partner, questions=questions, text="\n".join(lines))

    def _clarify(self, lang: str, chosen: list[tuple[str, float]], match: Match) -> Reply:
        return Reply(kind="clarify", intent=None, language=lang, text=self.ui(lang, "clarify"),
                     suggestions=self._suggest([i for i, _ in chosen], lang), score=chosen[0][1],
                     candidates=match.ranked)

    def _fallback(self, lang: str, match: Match | None, empty: bool = False) -> Reply:
        intents = self.knowledge.intents
        closest = [i for i, _ in match.ranked if intents[i].kind == "answer"][:3] if match else []
        if not closest:  # nothing to go on (an empty message): the starter topics the knowledge names
            starters = self.knowledge.matching.get("fallback_topics") or [t.intent for t in self.topics(lang)]
            closest = list(starters)[:3]
        return Reply(kind="fallback", intent=None, language=lang,
                     text=self.ui(lang, "fallback_empty" if empty else "fallback"),
                     suggestions=self._suggest(closest, lang), score=match.ranked[0][1] if match else 0.0,
                     candidates=match.ranked if match else ())

