"""Adding a language is YAML only: a small French tree (tests/fixtures/third_language), the real documents."""

from __future__ import annotations

import ast
import json
import shutil
import string
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from bot.engine import Engine
from bot.errors import DataErrors
from bot.knowledge import ROOT, Paths, load_knowledge
from bot.screening import ScreeningRun, Verdict
from bot.slack.blocks import home_view, reply_blocks, run_blocks, topics_blocks
from bot.slack.modal import screening_modal
from bot.sources import squash

FIXTURE = Path(__file__).parent / "fixtures" / "third_language"
SOURCES = ROOT / "answers" / "sources"


def paths_for(root: Path) -> Paths:
    return Paths(intents=root / "intents", answers=root / "answers", sources=SOURCES)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(paths_for(FIXTURE))


def document_text(engine: Engine, doc_id: str) -> str:
    return squash((SOURCES / engine.knowledge.documents[doc_id].file).read_text(encoding="utf-8"))


def test_three_languages_load(engine: Engine) -> None:
    assert engine.languages == ("en", "es", "fr")
    fr = engine.knowledge.languages["fr"]
    assert fr.name == "français" and fr.locales == ("fr",)
    assert {"on", "y", "le", "est"} <= fr.stopwords
    assert set(fr.ui) == set(engine.knowledge.languages["en"].ui)
    assert set(engine.knowledge.intents) == {
        "interpol.headquarters", "interpol.funding", "partnerships.forms", "bot.greeting"}


def test_no_code_names_french() -> None:
    """The engine has no per-language code: no string literal in bot/ names French."""
    offenders = []
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                value = node.value.lower()
                if value == "fr" or value.startswith(("fr-", "fr_")) or "français" in value:
                    offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


@pytest.mark.parametrize(
    ("text", "intent", "doc"),
    [
        ("Où se trouve le siège d'Interpol ?", "interpol.headquarters", "000"),
        ("Interpol a-t-elle des bureaux à Lyon ?", "interpol.headquarters", "000"),
        ("qui paie les cotisations d'Interpol ?", "interpol.funding", "000"),
        ("Quels dons en nature Interpol accepte-t-elle ?", "partnerships.forms", "004"),
    ],
)
def test_french_question_gets_a_french_answer_citing_the_document(
    engine: Engine, text: str, intent: str, doc: str
) -> None:
    reply = engine.reply(text)
    assert (reply.kind, reply.intent, reply.language) == ("answer", intent, "fr"), reply.candidates[:3]
    assert reply.text == engine.knowledge.intents[intent].answer["fr"]
    assert reply.note is None
    assert reply.citations and {c.document for c in reply.citations} == {doc}
    for c in reply.citations:
        assert c.quote in document_text(engine, c.document)  # verbatim, in the document's own language
    assert all(s.label == engine.knowledge.intents[s.intent].label["fr"] for s in reply.suggestions)


def test_french_headquarters_answer_is_french_and_quotes_english(engine: Engine) -> None:
    reply = engine.reply("Où se trouve le siège d'Interpol ?")
    assert reply.text.startswith("Le siège d'Interpol se trouve à *Lyon, en France*")
    assert reply.citations[0].quote.startswith("Its headquarters are located in Lyon, France")


@pytest.mark.parametrize(
    ("text", "intent", "lang"),
    [
        ("where is interpol based", "interpol.headquarters", "en"),
        ("how is interpol funded", "interpol.funding", "en"),
        ("¿Dónde está la sede de Interpol?", "interpol.headquarters", "es"),
        ("como se financia interpol", "interpol.funding", "es"),
    ],
)
def test_english_and_spanish_are_unchanged(engine: Engine, text: str, intent: str, lang: str) -> None:
    reply = engine.reply(text)
    assert (reply.kind, reply.intent, reply.language) == ("answer", intent, lang)
    assert reply.text == engine.knowledge.intents[intent].answer[lang]


def test_french_smalltalk(engine: Engine) -> None:
    reply = engine.reply("bonjour")
    assert (reply.kind, reply.intent, reply.language) == ("smalltalk", "bot.greeting", "fr")
    assert reply.text.startswith("Bonjour !")


def test_french_fallback_uses_french_ui(engine: Engine) -> None:
    reply = engine.reply("comment réinitialiser mon mot de passe vpn")
    assert (reply.kind, reply.language) == ("fallback", "fr")
    assert reply.text == engine.knowledge.languages["fr"].ui["fallback"]
    assert reply.suggestions
    assert all(s.label == engine.knowledge.intents[s.intent].label["fr"] for s in reply.suggestions)


def test_french_locale_for_empty_messages(engine: Engine) -> None:
    reply = engine.reply("<@U0BOT>", locale="fr-CA")
    assert (reply.kind, reply.language) == ("fallback", "fr")
    assert reply.text.startswith("Posez-moi une question")
    assert engine.language("fr-BE") == "fr"


def test_french_screening_prompt_and_outcome(engine: Engine) -> None:
    reply = engine.reply("Notre entreprise veut offrir des licences de logiciels à Interpol")
    assert (reply.intent, reply.language) == ("partnerships.forms", "fr"), reply.candidates[:3]
    prompt = reply.screening
    assert prompt is not None
    assert prompt.questions == tuple(c.question["fr"] for c in engine.checklist.criteria)
    assert "Le partenaire partage-t-il" in prompt.text and "/screen-partner" in prompt.text

    answers = {"shared_values": Verdict.YES, "compatible_activities": Verdict.NO}
    run = ScreeningRun(partner_name="Acme", partner_type="for_profit", contributions=("software",),
                       answers=answers, language="fr")
    result = engine.screening_outcome(run)
    assert not result.meets_all and len(result.gaps) == 2
    assert "non rempli" in result.text and "pas encore clair" in result.text
    assert engine.checklist.criteria[1].source.quote in result.text  # the quote stays Spanish, verbatim
    assert engine.checklist.contribution_forms[2].label["fr"] == "Licences de logiciels"


def test_topics_in_french(engine: Engine) -> None:
    labels = {t.intent: t.label for t in engine.topics("fr")}
    assert labels == {
        "interpol.headquarters": "Où se trouve Interpol",
        "interpol.funding": "Comment Interpol est financée",
        "partnerships.forms": "Formes de contribution",
    }



# --- the fixture's UI strings follow the real ones, and the Slack app renders them ----------------------


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_fixture_ui_keys_match_the_real_english(engine: Engine) -> None:
    """A key added to the real answers/languages/en.yml must be added to every fixture language too."""
    real = yaml.safe_load((ROOT / "answers" / "languages" / "en.yml").read_text(encoding="utf-8"))["ui"]
    for code, language in engine.knowledge.languages.items():
        assert set(language.ui) == set(real), code
        for key, text in language.ui.items():
            assert placeholders(text) == placeholders(real[key]), (code, key)


def test_slack_blocks_render_french(engine: Engine) -> None:
    """Every Slack surface builds in French from the fixture engine: no missing key, within Slack's limits."""
    answer = engine.reply("Où se trouve le siège d'Interpol ?")  # cites an intro: ui citation_intro
    funding = engine.reply("qui paie les cotisations d'Interpol ?")  # cites a section: ui citation
    screening = engine.reply("Notre entreprise veut offrir des licences de logiciels à Interpol")
    assert answer.language == funding.language == screening.language == "fr"
    assert {c.section == "intro" for c in answer.citations + funding.citations} == {True, False}
    run = ScreeningRun(partner_name="Acme", partner_type="for_profit", contributions=("software",),
                       answers={"shared_values": Verdict.YES}, notes="à suivre", language="fr",
                       id=7, created_at=datetime(2024, 5, 1))
    rendered = [
        reply_blocks(engine, answer, share=True, shared_by="U123"),
        reply_blocks(engine, funding),
        reply_blocks(engine, screening, partner="Acme"),
        reply_blocks(engine, engine.reply("comment réinitialiser mon mot de passe vpn")),
        topics_blocks(engine, "fr"),
        run_blocks(engine, "fr", run, saved=True),
        home_view(engine, "fr", [run]),
        screening_modal(engine, "fr", partner="Acme"),  # View.to_dict() checks the 24-character title
    ]
    text = json.dumps(rendered, ensure_ascii=False)
    keys = ("share_button", "helpful_button", "screen_button", "topics_intro", "home_title", "modal_title",
            "field_notes_hint")
    assert all(engine.ui("fr", key) in text for key in keys)
    assert "*Source :* _" in text and "<@U123> a partagé" in text and "critères remplis : 1 sur 3" in text


# --- validation flags what a French tree is missing ------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "third_language"
    shutil.copytree(FIXTURE, root)
    return root


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def errors_of(root: Path) -> list:
    with pytest.raises(DataErrors) as info:
        load_knowledge(paths_for(root))
    return info.value.errors


def only_error(errors: list, file: str, key: str):
    assert len(errors) == 1, [str(e) for e in errors]
    error = errors[0]
    assert Path(error.file).as_posix().endswith(file) and error.key == key, str(error)
    return error


def test_untouched_copy_loads(tree: Path) -> None:
    assert set(load_knowledge(paths_for(tree)).languages) == {"en", "es", "fr"}


def test_intent_without_french_examples_is_flagged(tree: Path) -> None:
    edit_yaml(tree / "intents" / "interpol.yml",
              lambda d: d["intents"]["interpol.funding"]["examples"].pop("fr"))
    error = only_error(errors_of(tree), "intents/interpol.yml", "intents.interpol.funding.examples.fr")
    assert "no examples" in error.message


def test_answer_without_french_text_is_flagged(tree: Path) -> None:
    edit_yaml(tree / "answers" / "answers.yml",
              lambda d: d["answers"]["partnerships.forms"]["text"].pop("fr"))
    error = only_error(errors_of(tree), "answers/answers.yml", "answers.partnerships.forms.text.fr")
    assert "missing" in error.message


def test_label_without_french_is_flagged(tree: Path) -> None:
    edit_yaml(tree / "intents" / "bot.yml", lambda d: d["intents"]["bot.greeting"]["label"].pop("fr"))
    only_error(errors_of(tree), "intents/bot.yml", "intents.bot.greeting.label.fr")


def test_checklist_without_french_question_is_flagged(tree: Path) -> None:
    edit_yaml(tree / "answers" / "checklist.yml",
              lambda d: d["checklist"]["criteria"][2]["question"].pop("fr"))
    only_error(errors_of(tree), "answers/checklist.yml", "checklist.criteria[2].question.fr")


def test_french_ui_missing_a_key_is_flagged(tree: Path) -> None:
    edit_yaml(tree / "answers" / "languages" / "fr.yml", lambda d: d["ui"].pop("screening_how"))
    error = only_error(errors_of(tree), "languages/fr.yml", "ui")
    assert "screening_how" in error.message


def test_french_entries_without_fr_yml_are_flagged(tree: Path) -> None:
    (tree / "answers" / "languages" / "fr.yml").unlink()
    errors = errors_of(tree)
    assert errors and all("not configured" in e.message for e in errors)
    assert any(e.key == "intents.interpol.funding.examples" and "fr" in e.message for e in errors)
