"""The engine on the real knowledge: right intent, right language, verbatim citations, safe text."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from bot.engine import Engine
from bot.knowledge import ROOT
from bot.language import Detection
from bot.matcher import Match
from bot.normalize import normalize
from bot.reply import Reply
from bot.sources import squash
from bot.subject import Subject

KINDS = {"answer", "clarify", "fallback", "smalltalk"}
SCREENING_INTENTS = {
    "partnerships.overview", "partnerships.why", "partnerships.forms", "partnerships.benefits",
    "partnerships.business_benefits", "partnerships.transparency", "partnerships.due_diligence",
    "screening.proposal",
}
# Facts only the sources state: a fallback must never assert any of them.
FACTS = re.compile(r"194|1914|1923|Lyon|Singap|Monaco|Vienna|Viena|NCB|\bdues\b|cuotas", re.IGNORECASE)
SLACK_PINGS = ("<!channel>", "<!here>", "<!everyone>", "<@")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


def document_text(engine: Engine, doc_id: str) -> str:
    """The document as stored on disk, read independently of the engine's own section split."""
    doc = engine.knowledge.documents[doc_id]
    return squash((ROOT / "answers" / "sources" / doc.file).read_text(encoding="utf-8"))


def assert_well_sourced(engine: Engine, reply: Reply) -> None:
    assert reply.citations, f"{reply.intent} cites nothing"
    for c in reply.citations:
        doc = engine.knowledge.documents[c.document]
        assert c.quote in document_text(engine, c.document), c.quote
        assert c.quote in doc.section_text(c.section)
        assert c.title == doc.title


def all_text(reply: Reply) -> str:
    parts = [reply.text, reply.note or "", *(s.label for s in reply.suggestions)]
    if reply.screening:
        parts.append(reply.screening.text)
    return "\n".join(parts)


# --- clear questions ------------------------------------------------------------------------------------

CLEAR = [
    ("where is interpol based", "interpol.headquarters", "en"),
    ("where are interpol's headquarters", "interpol.headquarters", "en"),
    ("how is interpol financed", "interpol.funding", "en"),
    ("when was interpol founded", "interpol.history", "en"),
    ("what is a national central bureau", "interpol.ncb", "en"),
    ("is interpol politically neutral", "interpol.neutrality", "en"),
    ("does interpol train police officers", "interpol.training", "en"),
    ("what challenges does interpol face today", "interpol.challenges", "en"),
    ("does interpol have a presence in the metaverse", "interpol.metaverse", "en"),
    ("how many countries are members of interpol", "interpol.members", "en"),
    ("what are the due diligence criteria for partners", "partnerships.due_diligence", "en"),
    ("cuantos paises son miembros de interpol", "interpol.members", "es"),
    ("¿Dónde tiene su sede Interpol?", "interpol.headquarters", "es"),
    ("¿Cómo se financia Interpol?", "interpol.funding", "es"),
    ("que es una oficina central nacional", "interpol.ncb", "es"),
    ("interpol es neutral politicamente?", "interpol.neutrality", "es"),
    ("que retos enfrenta interpol hoy", "interpol.challenges", "es"),
    ("interpol en el metaverso", "interpol.metaverse", "es"),
    ("que tipos de contribuciones acepta interpol", "partnerships.forms", "es"),
    ("que criterios de diligencia debida aplica interpol", "partnerships.due_diligence", "es"),
]


@pytest.mark.parametrize(("text", "intent", "lang"), CLEAR)
def test_clear_question_is_answered(engine: Engine, text: str, intent: str, lang: str) -> None:
    reply = engine.reply(text)
    assert (reply.kind, reply.intent, reply.language) == ("answer", intent, lang), reply.candidates[:3]
    assert reply.text == engine.knowledge.intents[intent].answer[lang]
    assert reply.note is None
    assert reply.score >= engine.thresholds.answer
    assert_well_sourced(engine, reply)


def test_spanish_question_about_english_document_fact(engine: Engine) -> None:
    reply = engine.reply("donde esta la sede de interpol")
    assert (reply.kind, reply.intent, reply.language) == ("answer", "interpol.headquarters", "es")
    assert "Lyon" in reply.text and "sede" in reply.text  # answered in Spanish...
    assert {c.document for c in reply.citations} == {"000"}  # ...citing the English document verbatim
    assert any("Its headquarters are located in Lyon, France" in c.quote for c in reply.citations)
    assert_well_sourced(engine, reply)


def test_english_question_about_spanish_document_fact(engine: Engine) -> None:
    reply = engine.reply("what kinds of contributions does interpol accept")
    assert (reply.kind, reply.intent, reply.language) == ("answer", "partnerships.forms", "en")
    assert "funding" in reply.text and "in-kind" in reply.text
    assert {c.document for c in reply.citations} == {"004"}
    assert any("puede adoptar la forma de financiación" in c.quote for c in reply.citations)
    assert_well_sourced(engine, reply)


# --- small talk and out of scope ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "intent", "lang"),
    [
        ("hello", "bot.greeting", "en"),
        ("good morning", "bot.greeting", "en"),
        ("hola", "bot.greeting", "es"),
        ("buenos dias", "bot.greeting", "es"),
        ("thanks!", "bot.thanks", "en"),
        ("thank you so much", "bot.thanks", "en"),
        ("gracias", "bot.thanks", "es"),
        ("muchas gracias", "bot.thanks", "es"),
        ("help", "bot.help", "en"),
        ("que puedes hacer", "bot.help", "es"),
    ],
)
def test_smalltalk(engine: Engine, text: str, intent: str, lang: str) -> None:
    reply = engine.reply(text)
    assert (reply.kind, reply.intent, reply.language) == ("smalltalk", intent, lang)
    assert reply.citations == ()
    assert reply.screening is None
    assert reply.text == engine.knowledge.intents[intent].answer[lang]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("how do i reset my vpn password", "en"),
        ("recipe for chocolate cake", "en"),
        ("what time is the football match tonight", "en"),
        ("como cambio mi contraseña del correo", "es"),
        ("receta de tortilla de patatas", "es"),
    ],
)
def test_out_of_scope_falls_back_without_facts(engine: Engine, text: str, lang: str) -> None:
    reply = engine.reply(text)
    assert reply.kind == "fallback" and reply.intent is None, reply.candidates[:3]
    assert reply.language == lang
    assert reply.text == engine.ui(lang, "fallback")
    assert not FACTS.search(reply.text)
    assert reply.citations == () and reply.screening is None
    assert 1 <= len(reply.suggestions) <= 3
    for s in reply.suggestions:
        assert engine.knowledge.intents[s.intent].kind == "answer"
        assert s.label == engine.knowledge.intents[s.intent].label[lang]


def test_empty_message_gets_the_empty_fallback(engine: Engine) -> None:
    reply = engine.reply("")
    assert reply.kind == "fallback" and reply.text == engine.ui("en", "fallback_empty")
    assert [s.intent for s in reply.suggestions] == [
        "interpol.overview", "partnerships.overview", "partnerships.due_diligence"]


# --- screening prompts and partner names ----------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("intent_id", sorted(SCREENING_INTENTS))
def test_partnership_answers_carry_the_screening_prompt(engine: Engine, intent_id: str, lang: str) -> None:
    reply = engine.answer(intent_id, lang)
    assert reply.screening is not None
    questions = tuple(c.question[lang] for c in engine.checklist.criteria)
    assert len(questions) == 3 and reply.screening.questions == questions
    for n, q in enumerate(questions, 1):
        assert f"{n}. {q}" in reply.screening.text
    assert "/screen-partner" in reply.screening.text
    assert reply.screening.text.startswith(engine.ui(lang, "screening_intro", partner="")[:10])


def test_other_answers_have_no_screening_prompt(engine: Engine) -> None:
    for intent_id, intent in engine.knowledge.intents.items():
        if intent_id not in SCREENING_INTENTS and intent.kind != "out_of_scope":
            assert engine.answer(intent_id, "en").screening is None, intent_id


@pytest.mark.parametrize("intent_id", ["out_of_scope", "no.such.intent"])
def test_answer_refuses_an_unanswerable_id(engine: Engine, intent_id: str) -> None:
    with pytest.raises(KeyError):
        engine.answer(intent_id, "es")


def test_screening_prompt_in_spanish_is_spanish(engine: Engine) -> None:
    text = engine.answer("partnerships.due_diligence", "es").screening.text
    assert "¿Comparte el socio los mismos valores" in text and "diligencia debida" in text
    assert "Does the partner" not in text


def test_english_proposal_names_the_partner(engine: Engine) -> None:
    reply = engine.reply("we want to sponsor Interpol with Acme Corp")
    assert (reply.kind, reply.intent, reply.language) == ("answer", "screening.proposal", "en")
    assert reply.screening is not None and reply.screening.partner == "Acme Corp"
    assert "*Before partnering with Acme Corp*" in reply.screening.text
    assert "`/screen-partner Acme Corp`" in reply.screening.text


def test_spanish_proposal_names_the_partner(engine: Engine) -> None:
    # Matched to screening.proposal or partnerships.forms (the evaluation measures which): both prompt screening.
    reply = engine.reply("Banco Santander quiere donar equipos a Interpol")
    got = (reply.kind, reply.intent in SCREENING_INTENTS, reply.language)
    assert got == ("answer", True, "es"), reply.candidates[:3]
    assert reply.screening is not None and "Santander" in reply.screening.partner
    assert "Antes de colaborar con" in reply.screening.text and "Santander" in reply.screening.text
    assert "/screen-partner" in reply.screening.text and "Before partnering" not in reply.screening.text


def test_a_capitalised_common_word_is_not_a_partner_name(engine: Engine) -> None:
    # "Foundation" is a word the examples use, longer than the matcher's six-letter stems.
    reply = engine.reply("Our Foundation wants to donate laptops to Interpol")
    assert reply.screening is not None, reply.candidates[:3]
    assert reply.screening.partner is None and "Before partnering*" in reply.screening.text


@pytest.mark.parametrize(
    ("text", "partner", "lang"),
    [
        ("Wayne Enterprises wants to donate laptops to Interpol", "Wayne Enterprises", "en"),
        ("Telefónica quiere donar servidores a Interpol", "Telefónica", "es"),
        # Out-of-scope examples name companies ("microsoft's market cap"): that must not hide them as partners.
        ("Microsoft wants to lend engineers to Interpol", "Microsoft", "en"),
        ("Kaspersky quiere donar licencias a Interpol", "Kaspersky", "es"),
    ],
)
def test_named_partner_in_other_proposals(engine: Engine, text: str, partner: str, lang: str) -> None:
    reply = engine.reply(text)
    assert (reply.intent, reply.language) == ("screening.proposal", lang), reply.candidates[:3]
    assert reply.screening.partner == partner and partner in reply.screening.text


def test_a_relayed_question_names_no_partner(engine: Engine) -> None:
    reply = engine.reply("My VP wants to know if Interpol partners with the private sector")
    assert reply.screening is not None and reply.screening.partner is None


# --- every intent, every language -----------------------------------------------------------------------

def test_answer_for_every_intent_and_language(engine: Engine) -> None:
    for intent in engine.knowledge.intents.values():
        if intent.kind == "out_of_scope":
            continue
        for lang in engine.languages:
            reply = engine.answer(intent.id, lang)
            assert reply.kind == ("smalltalk" if intent.kind == "smalltalk" else "answer")
            assert (reply.intent, reply.language) == (intent.id, lang)
            assert reply.text == intent.answer[lang] and reply.text.strip()
            assert reply.citations == intent.sources
            assert [s.intent for s in reply.suggestions] == list(intent.related)
            assert reply.note is None
            if intent.kind == "answer":
                assert_well_sourced(engine, reply)


def test_answer_in_unknown_language_uses_the_default(engine: Engine) -> None:
    reply = engine.answer("interpol.history", "fr")
    assert reply.language == "en" and reply.text == engine.knowledge.intents["interpol.history"].answer["en"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_suggestions_are_labels_in_the_reply_language(engine: Engine, lang: str) -> None:
    other = "es" if lang == "en" else "en"
    intents = engine.knowledge.intents
    reply = engine.answer("interpol.overview", lang)
    assert reply.suggestions
    for s in reply.suggestions:
        assert s.label == intents[s.intent].label[lang] != intents[s.intent].label[other]


def test_topics_lists_every_answer_intent_in_the_language(engine: Engine) -> None:
    topics = engine.topics("es")
    answers = [i for i in engine.knowledge.intents.values() if i.kind == "answer"]
    assert [t.intent for t in topics] == [i.id for i in answers]
    assert all(t.label == engine.knowledge.intents[t.intent].label["es"] for t in topics)
    assert "bot.greeting" not in {t.intent for t in topics}


# --- languages ------------------------------------------------------------------------------------------


def test_french_question_answered_in_english_with_a_note(engine: Engine) -> None:
    reply = engine.reply("Où se trouve le siège d'Interpol ?")
    assert (reply.kind, reply.intent, reply.language) == ("answer", "interpol.headquarters", "en")
    assert reply.note and "English" in reply.note and "español" in reply.note


def test_german_question_answered_in_english_with_a_note(engine: Engine) -> None:
    reply = engine.reply("Ist Interpol politisch neutral?")
    assert (reply.kind, reply.intent, reply.language) == ("answer", "interpol.neutrality", "en")
    assert reply.note and "English" in reply.note


@pytest.mark.parametrize(("text", "intent"), [
    ("quem paga as contas da interpol", "interpol.funding"),
    ("perche l'interpol collabora con aziende private", "partnerships.why"),
])
def test_understood_languages_are_answered_in_the_default_language_even_with_a_spanish_locale(
        engine: Engine, text: str, intent: str) -> None:
    reply = engine.reply(text, locale="es-ES")
    assert (reply.kind, reply.intent, reply.language) == ("answer", intent, "en")
    assert reply.note


def test_an_off_topic_question_in_an_understood_language_is_declined_with_the_note(engine: Engine) -> None:
    reply = engine.reply("quel temps fait-il à lyon demain")
    assert (reply.kind, reply.language) == ("fallback", "en") and reply.note


@pytest.mark.parametrize(("text", "intent"), [
    ("como e que a interpol trabalha com empresas privadas?", "partnerships.overview"),
    ("o que faz a interpol no metaverso?", "interpol.metaverse"),
])
def test_portuguese_sharing_most_words_with_spanish_gets_the_note(engine: Engine, text: str, intent: str) -> None:
    # "como", "que", "a", "interpol" are Spanish words too: they used to count for Spanish alone.
    reply = engine.reply(text)
    assert (reply.intent, reply.language) == (intent, "en") and reply.note


@pytest.mark.parametrize("text", ["como se financia interpol", "quantos paises son miembros da interpol"])
def test_spanish_with_a_portuguese_word_stays_spanish(engine: Engine, text: str) -> None:
    assert engine.reply(text).language == "es"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_language_note_names_the_configured_languages(engine: Engine, lang: str) -> None:
    """Composition only: given a message detected as French, the answer says which languages it speaks.

    Fails with TypeError while Engine._answer calls ui(lang, ..., language=...): the keyword clashes with
    ui()'s own `language` parameter, so any answer to a detected foreign-language message raises.
    """
    intent = engine.knowledge.intents["interpol.headquarters"]
    reply = engine._answer(intent, Detection(lang, "fr", "model"), 90.0, None, None)
    assert reply.language == lang and reply.text == intent.answer[lang]
    template = engine.knowledge.languages[lang].ui["language_note"]
    name = engine.knowledge.languages[lang].name
    assert reply.note == template.format(languages="English / español", language=name)
    assert "English" in reply.note and "español" in reply.note


@pytest.mark.parametrize(("text", "lang"), [("jajaja", "es"), ("wenas", "es"), ("lol", "en"), ("yep gotcha", "en")])
def test_chat_slang_marks_the_language_even_with_the_other_locale(engine: Engine, text: str, lang: str) -> None:
    other = "en-US" if lang == "es" else "es-ES"
    assert engine.reply(text, locale=other).language == lang


@pytest.mark.parametrize(("text", "lang"), [("graciaas!", "es"), ("<@U0BOT> grasiass!", "es"), ("thnaks!!", "en")])
def test_a_misspelt_word_counts_for_its_language_once_corrected(engine: Engine, text: str, lang: str) -> None:
    reply = engine.reply(text)
    assert (reply.intent, reply.language) == ("bot.thanks", lang)


def test_no_note_for_configured_languages(engine: Engine) -> None:
    for text in ("where is interpol based", "donde tiene su sede interpol"):
        assert engine.reply(text).note is None


@pytest.mark.parametrize(
    ("locale", "lang"), [("es-ES", "es"), ("es-MX", "es"), ("es_419", "es"), ("en-US", "en"), ("en-GB", "en"),
                         ("fr-FR", "en"), (None, "en")],
)
def test_locale_decides_short_ambiguous_messages(engine: Engine, locale: str | None, lang: str) -> None:
    reply = engine.reply("ncb?", locale=locale)
    assert (reply.kind, reply.intent, reply.language) == ("answer", "interpol.ncb", lang)


def test_locale_does_not_override_a_clear_language(engine: Engine) -> None:
    assert engine.reply("how is interpol financed", locale="es-ES").language == "en"
    assert engine.reply("¿Cómo se financia Interpol?", locale="en-US").language == "es"


def test_language_maps_codes_and_locales(engine: Engine) -> None:
    assert engine.language("es") == "es"
    assert engine.language("es-AR") == "es"
    assert engine.language("EN-au") == "en"
    assert engine.language("de-DE") == "en"
    assert engine.language(None) == "en"


def test_default_language_can_be_spanish(engine: Engine) -> None:
    spanish = Engine(engine.knowledge, default_language="es")
    assert spanish.reply("").language == "es"
    assert spanish.reply("ncb?").language == "es"
    assert Engine(engine.knowledge, default_language="xx").default_language == "en"


def test_ui_formats_values(engine: Engine) -> None:
    assert engine.ui("es", "screening_partner", name="Acme") == " con Acme"
    assert engine.ui("es-ES", "source") == "Fuente"
    assert engine.ui("fr", "source") == "Source"


# --- no pings, no echoed markup -------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "<!channel> we want to sponsor Interpol with Acme Corp",
        "<!here> <!everyone> where is interpol based",
        "<@U123> <@U456|bob> Wayne Enterprises wants to donate laptops to Interpol",
        "&lt;!channel&gt; Banco Santander quiere donar equipos a Interpol",
        "Acme <!channel> Corp wants to fund Interpol",
        "<!channel>",
        "how do i reset my vpn password <!everyone>",
    ],
)
def test_reply_never_pings(engine: Engine, text: str) -> None:
    reply = engine.reply(text)
    rendered = all_text(reply)
    for ping in SLACK_PINGS:
        assert ping not in rendered
    assert reply.screening is None or reply.screening.partner is None or "<" not in reply.screening.partner


@pytest.mark.parametrize("partner", ["<!channel> Corp", "<@U123> & Sons", "Evil <https://x.y|Co>"])
def test_partner_name_is_escaped_in_the_prompt(engine: Engine, partner: str) -> None:
    prompt = engine.answer("screening.proposal", "en", partner=partner).screening
    assert prompt.partner == partner  # kept raw for storage; escaped only in text
    for ping in SLACK_PINGS:
        assert ping not in prompt.text
    assert "<https" not in prompt.text
    assert partner.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in prompt.text


# --- decision rules, with the configured thresholds -----------------------------------------------------

def test_decide_answers_clarifies_or_falls_back(engine: Engine) -> None:
    t = engine.thresholds
    assert t.clarify <= t.answer

    def decide(*ranked: tuple[str, float]) -> tuple[str, list]:
        return engine._decide(Match("x", ranked))

    high, low = t.answer + 5, t.clarify - 1
    assert decide(("interpol.history", high), ("interpol.funding", high - t.margin - 1))[0] == "answer"
    kind, chosen = decide(("interpol.history", high), ("interpol.funding", high - t.margin / 2))
    assert kind == "clarify" and [i for i, _ in chosen] == ["interpol.history", "interpol.funding"]
    assert decide(("interpol.history", low))[0] == "fallback"
    assert decide()[0] == "fallback"


def test_out_of_scope_examples_need_to_come_closer_to_veto_a_confident_topic(engine: Engine) -> None:
    t = engine.thresholds
    assert t.confident_out_of_scope_margin > t.out_of_scope_margin  # else the rule changes nothing

    def decide(best: float, negative: float) -> str:
        return engine._decide(Match("x", (("interpol.history", best), ("out_of_scope", negative))))[0]

    between = (t.out_of_scope_margin + t.confident_out_of_scope_margin) / 2
    assert decide(t.confident, t.confident + between) == "answer"
    assert decide(t.confident - 1, t.confident - 1 + between) == "fallback"
    assert decide(t.confident, t.confident + t.confident_out_of_scope_margin + 1) == "fallback"


def test_clarify_reply_offers_the_close_intents(engine: Engine) -> None:
    match = Match("x", (("partnerships.benefits", 80.0), ("partnerships.business_benefits", 79.0)))
    reply = engine._clarify("es", list(match.ranked), match)
    assert reply.kind == "clarify" and reply.intent is None and reply.citations == ()
    assert reply.text == engine.ui("es", "clarify")
    assert [s.label for s in reply.suggestions] == [
        engine.knowledge.intents["partnerships.benefits"].label["es"],
        engine.knowledge.intents["partnerships.business_benefits"].label["es"],
    ]


def test_replies_are_deterministic(engine: Engine) -> None:
    for text in ("where is interpol based", "Banco Santander quiere donar equipos", "vpn password"):
        assert engine.reply(text) == engine.reply(text)


def test_smalltalk_needs_its_own_closer_threshold(engine: Engine) -> None:
    """A greeting answers only above smalltalk_threshold; topics keep answer_threshold."""
    greeting = engine.reply("hello there")
    assert greeting.intent == "bot.greeting"
    strict = Engine(replace(engine.knowledge, matching={**engine.knowledge.matching,
                                                        "smalltalk_threshold": greeting.score + 0.01}))
    assert strict.reply("hello there").kind == "fallback"
    assert strict.reply("where is interpol's headquarters").intent == "interpol.headquarters"


def test_a_help_request_is_a_question_and_keeps_the_answer_threshold(engine: Engine) -> None:
    """Only intents marked formulaic (greetings, thanks) need smalltalk_threshold; help is asked in many ways."""
    text = "hey bot how do i use you, do i have to tag you every time or can i just dm"
    help_reply = engine.reply(text)
    assert help_reply.intent == "bot.help" and help_reply.kind == "smalltalk"
    t = engine.thresholds
    assert t.answer <= help_reply.score < t.smalltalk, "precondition: scored between the two thresholds"


@pytest.mark.parametrize("text", ["国际刑警组织的总部在哪里", "Где находится штаб-квартира Интерпола?", "ما هو الإنتربول"])
def test_a_script_none_of_our_languages_uses_gets_the_note(engine: Engine, text: str) -> None:
    """No spaces in Chinese, so 'three words' never happens: the letters themselves say the message is foreign."""
    reply = engine.reply(text, locale="es-ES")
    assert reply.language == "en" and reply.note and "español" in reply.note
    assert reply.kind == "fallback"


@pytest.mark.parametrize(("text", "lang"), [("señor, ¿qué es interpol?", "es"), ("sir, what is interpol?", "en")])
def test_a_vocative_does_not_sink_a_short_question(engine: Engine, text: str, lang: str) -> None:
    reply = engine.reply(text)
    assert (reply.kind, reply.intent, reply.language) == ("answer", "interpol.overview", lang)


@pytest.mark.parametrize("text", ["para qué?", "por qué?", "<@U0BOT> para que"])
def test_a_joined_phrase_still_counts_for_its_language(engine: Engine, text: str) -> None:
    # The matcher reads "para que" as "paraque"; its two Spanish words must not vanish from language detection.
    assert engine.reply(text).language == "es"


@pytest.mark.parametrize(("text", "lang"), [
    ("perfect, thanks a lot - forwarding this to compliance now", "en"),
    ("sending this to legal now, many thanks!", "en"),
    ("Le agradezco mucho la ayuda, se lo reenvío a dirección hoy mismo", "es"),
])
def test_a_thanks_with_chatter_around_it_is_a_thanks(engine: Engine, text: str, lang: str) -> None:
    reply = engine.reply(text)
    assert (reply.kind, reply.intent, reply.language) == ("smalltalk", "bot.thanks", lang)


def test_the_clause_rescue_follows_the_closing_flag(engine: Engine) -> None:
    """Without `closing: true` on bot.thanks the same message falls back: the data, not the code, decides."""
    # Enough chatter that the whole message is far from every thanks example, whatever examples are added.
    text = "many thanks, i will paste this into the board memo tonight and then head home, the train strike is still on"
    assert engine.reply(text).intent == "bot.thanks"
    intents = {**engine.knowledge.intents}
    intents["bot.thanks"] = replace(intents["bot.thanks"], closing=False)
    assert Engine(replace(engine.knowledge, intents=intents)).reply(text).kind == "fallback"


@pytest.mark.parametrize("text", [
    "thanks! also, where is the vpn guide?",  # asks something: a "you're welcome" would ignore it
    "hi all, who has the hdmi adapter",  # a greeting opens a request; it is not closing
    "morning! coffee machine is broken again",
])
def test_only_a_closing_formula_in_a_message_that_asks_nothing_is_rescued(engine: Engine, text: str) -> None:
    assert engine.reply(text).kind == "fallback"


def test_a_thanks_clause_does_not_hide_a_question(engine: Engine) -> None:
    assert engine.reply("thanks, and how is interpol funded").intent == "interpol.funding"


@pytest.mark.parametrize(("text", "lang"), [
    ("when was europol created", "en"),
    ("cuantos paises son miembros de ameripol", "es"),
    ("<@U0BOT> does the FBI run joint operations against cartels?", "en"),
])
def test_a_question_about_another_organisation_falls_back(engine: Engine, text: str, lang: str) -> None:
    reply = engine.reply(text)
    assert (reply.kind, reply.language) == ("fallback", lang)
    assert not FACTS.search(reply.text)


@pytest.fixture(scope="module")
def no_subject(engine: Engine) -> Engine:
    return Engine(replace(engine.knowledge, subject=Subject()))


def test_the_subject_list_decides_not_the_code(no_subject: Engine) -> None:
    """With no subject configured, the same question matches Interpol's history on its words alone."""
    assert no_subject.reply("when was europol created").intent == "interpol.history"


@pytest.mark.parametrize("text", ["where is interpol based? our europol contact asked",
                                  "when was interpol created? and the fbi?"])
def test_a_question_naming_interpol_too_is_matched_as_usual(engine: Engine, no_subject: Engine, text: str) -> None:
    reply = engine.reply(text)
    assert reply.kind == "answer" and reply == no_subject.reply(text)


# The whole message is not answered (its context, about nothing the bot knows, blurs it); its last sentence
# alone is. A long context keeps the whole far from every example as examples are added.
CONTEXT_THEN_QUESTION = ("We moved offices last week and the printer on the third floor still jams every morning, "
                         "facilities say a technician comes on thursday. How many countries are members of Interpol?")


# The same, with the question closing the only sentence after a comma.
CONTEXT_THEN_CLAUSE = ("the printer on the third floor still jams every morning and facilities say thursday, "
                       "how many countries are members of interpol?")
RESCUED = [(CONTEXT_THEN_QUESTION, "question_sentence"), (CONTEXT_THEN_CLAUSE, "question_clause")]


@pytest.mark.parametrize(("text", "switch"), RESCUED)
def test_a_question_after_context_is_decided_alone_when_the_whole_is_not_answered(engine: Engine, text: str,
                                                                                  switch: str) -> None:
    reply = engine.reply(text)
    assert (reply.kind, reply.intent, reply.language) == ("answer", "interpol.members", "en")


@pytest.mark.parametrize(("text", "switch"), RESCUED)
def test_each_question_rescue_follows_its_config(engine: Engine, text: str, switch: str) -> None:
    off = Engine(replace(engine.knowledge, matching={**engine.knowledge.matching, switch: False}))
    assert off.reply(text).kind != "answer"


def test_a_question_clause_only_confirms_the_topic_the_whole_leaned_to(engine: Engine) -> None:
    # A clause is weaker evidence than a sentence: "..., what do I do?" would otherwise answer help to chatter.
    text = ("my manager keeps bringing this up in every quarterly planning meeting and I never know what to say, "
            "how is interpol financed?")
    leaning = engine.reply(text).candidates[0][0]
    alone = engine.reply("how is interpol financed?")
    assert alone.intent == "interpol.funding" and leaning != "interpol.funding"
    assert engine.reply(text).kind != "answer"


def test_context_closest_to_a_negative_example_is_not_rescued(engine: Engine) -> None:
    # "What is Interpol?" alone is a topic, but a negative example (notices) is closest to the whole message: the
    # rescue must not override the veto, or every near miss ending in a short question would get through.
    assert engine.reply("My cousin has a red notice against him. What is Interpol?").kind == "fallback"


# --- long messages: their own language's examples only ------------------------------------------------------


LONG_MESSAGE = "just joined the compliance team this week and a colleague told me to come and say hello to the bot, hi!"


def test_a_long_message_is_compared_with_its_own_language_examples(engine: Engine) -> None:
    normalized = normalize(LONG_MESSAGE)
    own, every = engine.matcher.match(normalized, language="en"), engine.matcher.match(normalized)
    assert own.ranked != every.ranked  # Spanish examples do score: leaving them out is visible
    assert engine.reply(LONG_MESSAGE).candidates == own.ranked


def test_a_short_message_is_compared_with_every_language_examples(engine: Engine) -> None:
    text = "how is interpol financed"
    assert engine.reply(text).candidates == engine.matcher.match(normalize(text)).ranked
