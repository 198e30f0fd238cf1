"""normalize(): Slack markup, case, accents, punctuation and spacing reduced to what the matcher compares."""

from __future__ import annotations

import unicodedata

import pytest

from bot.normalize import clauses, fold, last_clause_question, last_question, normalize, strip_slack_markup, tokens


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # mentions: user, user with label, special mentions are all dropped
        ("<@U123> where is interpol", "where is interpol"),
        ("<@U123|bob> where is interpol", "where is interpol"),
        ("hey <@U0BOT>, what is interpol?", "hey what is interpol"),
        ("<!here> what is interpol", "what is interpol"),
        ("<!channel> what is interpol", "what is interpol"),
        ("<!everyone> what is interpol", "what is interpol"),
        ("<!subteam^S123|@security> what is interpol", "what is interpol"),
        # channels keep their label
        ("see <#C1|general> for more", "see general for more"),
        ("<#C0123ABC|ask-interpol> question", "ask interpol question"),
        # links: labelled keep the label, bare ones vanish
        ("read <https://x.y|label> please", "read label please"),
        ("read <https://www.interpol.int/en|the page> please", "read the page please"),
        ("read <https://x> please", "read please"),
        ("read <http://example.com/a?b=c&amp;d=e> please", "read please"),
        ("<mailto:a@b.com|write to us> now", "write to us now"),
        # emoji codes
        ("thanks :smile:", "thanks"),
        (":tada: :+1: gracias :white_check_mark:", "gracias"),
        # formatting
        ("*bold* question", "bold question"),
        ("_italic_ question", "italic question"),
        ("`code` question", "code question"),
        ("~strike~ question", "strike question"),
        ("*_nested_* ~`marks`~", "nested marks"),
        # HTML entities Slack sends
        ("R&amp;D funding", "r d funding"),
        ("a &lt; b &gt; c", "a b c"),
        ("&lt;@U123&gt; hello", "hello"),
        # case and accents
        ("WHERE Is INTERPOL", "where is interpol"),
        ("¿Dónde está la sede?", "donde esta la sede"),
        ("AÑO España", "ano espana"),
        ("Pingüino vergüenza", "pinguino verguenza"),
        ("Financiación según qué países", "financiacion segun que paises"),
        ("Straße", "strasse"),
        # punctuation and apostrophes
        ("what's interpol?", "whats interpol"),
        ("what’s interpol", "whats interpol"),
        ("interpol's budget", "interpols budget"),
        ("who? what! where... how;", "who what where how"),
        ("¡Hola! ¿Qué tal?", "hola que tal"),
        ("snake_case_words", "snake case words"),
        ("10:30, 2023-01-02", "10 30 2023 01 02"),
        # whitespace
        ("  where\tis \n\n interpol   ", "where is interpol"),
        ("\u00a0interpol\u2003hq\u00a0", "interpol hq"),
        # nothing left
        ("", ""),
        ("   ", ""),
        (":smile: :tada:", ""),
        ("<@U0BOT>", ""),
        ("?!...", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<#C1|general>", " general "),
        ("<https://x.y|label>", " label "),
        ("<@U1>", " "),
        (":wave:", " "),
        ("a &amp; b", "a & b"),
    ],
)
def test_strip_slack_markup(raw: str, expected: str) -> None:
    assert strip_slack_markup(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("Financiación", "financiacion"), ("ÑANDÚ", "nandu"), ("Ü", "u")]
)
def test_fold_drops_case_and_accents(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_fold_of_plain_ascii_matches_the_unicode_route() -> None:
    # fold() skips decomposition for ASCII text; that shortcut must give what NFKD + casefold gives.
    text = "".join(chr(i) for i in range(128)) + " Interpol NCB Lyon"
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    assert fold(text) == "".join(c for c in decomposed if not unicodedata.combining(c))


def test_accented_and_plain_spellings_normalise_alike() -> None:
    assert normalize("¿Cómo se financia la INTERPOL?") == normalize("como se financia la interpol")


def test_normalize_is_idempotent() -> None:
    once = normalize("<@U1> *What's* the <https://x.y|HQ>, señor? :smile:")
    assert once == "whats the hq senor"
    assert normalize(once) == once


def test_tokens_splits_normalised_text() -> None:
    assert tokens(normalize("Where's  Interpol's HQ?")) == ["wheres", "interpols", "hq"]


@pytest.mark.parametrize(("raw", "expected"), [
    ("perfect, thanks a lot - sending this to legal", ["perfect", "thanks a lot", "sending this to legal"]),
    ("¡Gracias! ¿Y la sede?", ["gracias", "y la sede"]),
    ("thx a ton :pray: <https://x.y/a:b|the doc> ok", ["thx a ton the doc ok"]),  # emoji and links are not breaks
    ("line one\nline two", ["line one", "line two"]),
    ("a well-known fact", ["a well known fact"]),  # a hyphen inside a word is not a dash
    ("...!!", []),
])
def test_clauses(raw: str, expected: list[str]) -> None:
    assert clauses(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Our unit is preparing a briefing. How many countries are in Interpol?", "how many countries are in interpol"),
    ("Somos un banco.\n¿Cómo se financia Interpol?", "como se financia interpol"),
    ("How is Interpol funded?", None),  # one sentence: nothing to take apart
    ("How is it funded? Asking for legal.", None),  # the last sentence is not the question
    ("ok. <@U0BOT> where is the hq?", "where is the hq"),
    ("hi. :wave:", None),
])
def test_last_question(raw: str, expected: str | None) -> None:
    assert last_question(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("nobody could settle it, what is Interpol's stance on neutrality?", "what is interpols stance on neutrality"),
    ("Llevo toda la mañana con esto; ¿cómo se financia Interpol?", "como se financia interpol"),
    ("How is Interpol funded?", None),  # one clause: nothing to take apart
    ("where is the hq, asking for legal", None),  # not a question at the end
    ("ok - <@U0BOT> where is the hq?", "where is the hq"),
])
def test_last_clause_question(raw: str, expected: str | None) -> None:
    assert last_clause_question(raw) == expected
