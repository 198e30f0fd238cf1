"""The real knowledge loads and is complete; broken copies fail with errors naming file, key and problem."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bot import cli
from bot.errors import BotError, DataError, DataErrors
from bot.evaluation import DATA, load_cases
from bot.knowledge import MAX_QUOTE, ROOT, Knowledge, Paths, load_knowledge
from bot.normalize import normalize
from bot.sources import squash

REQUIRED_INTENTS = (
    "interpol.overview", "interpol.members", "interpol.headquarters", "interpol.history", "interpol.ncb",
    "interpol.funding", "interpol.neutrality", "interpol.information_exchange", "interpol.training",
    "interpol.operations", "interpol.role_today", "interpol.challenges", "interpol.metaverse",
    "partnerships.overview", "partnerships.why", "partnerships.forms", "partnerships.benefits",
    "partnerships.business_benefits", "partnerships.transparency", "partnerships.due_diligence",
    "screening.proposal", "bot.help", "bot.greeting", "bot.thanks",
)
ADVERT = "If you would like more information or need advice on this and other issues related to criminal law"
MIN_EXAMPLES = 15
MAX_ANSWER = 900


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


# --- the real knowledge ---------------------------------------------------------------------------------


def test_real_knowledge_has_both_languages_and_english_default(knowledge: Knowledge) -> None:
    assert set(knowledge.languages) == {"en", "es"}
    assert knowledge.default_language == "en"
    assert set(knowledge.documents) == {"000", "004"}


@pytest.mark.parametrize("intent_id", REQUIRED_INTENTS)
def test_required_intent_exists(knowledge: Knowledge, intent_id: str) -> None:
    assert intent_id in knowledge.intents


def test_smalltalk_intents_are_the_bot_ones(knowledge: Knowledge) -> None:
    smalltalk = {i.id for i in knowledge.intents.values() if i.kind == "smalltalk"}
    assert smalltalk == {"bot.help", "bot.greeting", "bot.thanks"}


@pytest.mark.parametrize("intent_id", REQUIRED_INTENTS)
def test_enough_distinct_examples_per_language(knowledge: Knowledge, intent_id: str) -> None:
    intent = knowledge.intents[intent_id]
    for lang in knowledge.languages:
        distinct = {normalize(x) for x in intent.examples[lang]}
        assert len(distinct) >= MIN_EXAMPLES, f"{intent_id} has {len(distinct)} {lang} examples"


@pytest.mark.parametrize("intent_id", REQUIRED_INTENTS)
def test_answer_texts_are_short_and_present(knowledge: Knowledge, intent_id: str) -> None:
    intent = knowledge.intents[intent_id]
    for lang in knowledge.languages:
        text = intent.answer[lang]
        assert text.strip(), f"{intent_id}.{lang} empty"
        assert len(text) <= MAX_ANSWER, f"{intent_id}.{lang} is {len(text)} characters"
        assert text.count(". ") + 1 <= 6, f"{intent_id}.{lang} reads longer than a short paragraph"
        assert intent.label[lang].strip()


@pytest.mark.parametrize("intent_id", [i for i in REQUIRED_INTENTS if not i.startswith("bot.")])
def test_answer_intents_cite_verbatim_passages(knowledge: Knowledge, intent_id: str) -> None:
    """Checked against the raw files, independently of the loader's own check."""
    intent = knowledge.intents[intent_id]
    assert intent.kind == "answer"
    assert intent.sources, f"{intent_id} cites nothing"
    for citation in intent.sources:
        doc = knowledge.documents[citation.document]
        raw = squash((ROOT / "answers" / "sources" / doc.file).read_text(encoding="utf-8"))
        assert citation.quote in raw
        assert ADVERT not in citation.quote
        assert len(citation.quote) <= MAX_QUOTE
        assert citation.title == doc.title


def test_related_intents_exist(knowledge: Knowledge) -> None:
    for intent in knowledge.intents.values():
        for rel in intent.related:
            assert rel in knowledge.intents and rel != intent.id


def test_checklist_has_the_three_criteria_in_every_language(knowledge: Knowledge) -> None:
    criteria = knowledge.checklist.criteria
    assert [c.id for c in criteria] == ["shared_values", "compatible_activities", "compatible_objectives"]
    for c in criteria:
        assert set(c.question) == set(knowledge.languages)
        assert c.source.document == "004"
        assert c.source.quote in knowledge.documents["004"].section_text("Transparencia y responsabilidad")


def test_advertisement_is_excluded_from_every_section(knowledge: Knowledge) -> None:
    doc = knowledge.documents["000"]
    assert ADVERT in doc.excluded_text()
    assert all(ADVERT not in doc.section_text(s) for s in doc.sections)


def test_no_held_out_evaluation_text_is_an_example(knowledge: Knowledge) -> None:
    """Guards against test leakage: evaluation data must measure generalisation, not recall."""
    examples = {normalize(x): i.id
                for i in knowledge.intents.values() for xs in i.examples.values() for x in xs}
    files = sorted(DATA.glob("*.yml"))
    assert files, "no evaluation data"
    leaked = [(f.name, c.text, examples[normalize(c.text)])
              for f in files for c in load_cases([f]) if normalize(c.text) in examples]
    assert not leaked, f"{len(leaked)} evaluation texts are also examples, e.g. {leaked[:10]}"


def test_cli_validate_on_real_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate"]) == 0
    out = capsys.readouterr().out
    count = len(load_knowledge().intents)
    assert re.match(rf"OK: {count} intents, \d+ examples, 2 languages \(en, es\)", out)


# --- validation errors on broken copies -----------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Paths:
    shutil.copytree(ROOT / "intents", tmp_path / "intents")
    shutil.copytree(ROOT / "answers", tmp_path / "answers")
    return Paths(intents=tmp_path / "intents", answers=tmp_path / "answers")


def edit_yaml(path: Path, change: Callable[[dict], object]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def edit_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors_of(paths: Paths) -> list[DataError]:
    with pytest.raises(BotError) as info:
        load_knowledge(paths)
    exc = info.value
    errors = exc.errors if isinstance(exc, DataErrors) else [exc]
    assert errors and all(isinstance(e, DataError) for e in errors)
    return errors


def the_error(errors: list[DataError], file: str, key: str) -> DataError:
    """The one error about `key` in the file whose path ends with `file` (e.g. 'intents/interpol.yml')."""
    found = [e for e in errors if Path(e.file).as_posix().endswith(file) and e.key == key]
    assert len(found) == 1, f"expected one error for {file} {key}; got {[str(e) for e in errors]}"
    assert file in str(found[0]) and key in str(found[0])
    return found[0]


def test_untouched_copy_loads(tree: Paths) -> None:
    assert set(REQUIRED_INTENTS) <= set(load_knowledge(tree).intents)


def test_broken_yaml_names_file_and_line(tree: Paths) -> None:
    path = tree.intents / "interpol.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[3] == "    kind: answer"
    lines[3] = "    kind: answer: oops"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = the_error(errors_of(tree), "intents/interpol.yml", "line 4")
    assert "invalid YAML" in error.message


def test_missing_answer(tree: Paths) -> None:
    edit_yaml(tree.answers / "interpol.yml", lambda d: d["answers"].pop("interpol.metaverse"))
    error = the_error(errors_of(tree), "intents/interpol.yml", "intents.interpol.metaverse")
    assert "no answer" in error.message


def test_answer_for_unknown_intent(tree: Paths) -> None:
    def add(d: dict) -> None:
        d["answers"]["interpol.mascot"] = d["answers"]["interpol.history"]

    edit_yaml(tree.answers / "interpol.yml", add)
    error = the_error(errors_of(tree), "answers/interpol.yml", "answers.interpol.mascot")
    assert "no intent" in error.message


def test_missing_spanish_examples(tree: Paths) -> None:
    edit_yaml(tree.intents / "interpol.yml", lambda d: d["intents"]["interpol.history"]["examples"].pop("es"))
    error = the_error(errors_of(tree), "intents/interpol.yml", "intents.interpol.history.examples.es")
    assert "no examples" in error.message


def test_missing_spanish_answer_text(tree: Paths) -> None:
    edit_yaml(tree.answers / "interpol.yml", lambda d: d["answers"]["interpol.history"]["text"].pop("es"))
    error = the_error(errors_of(tree), "answers/interpol.yml", "answers.interpol.history.text.es")
    assert "missing" in error.message


HQ_SOURCE = "answers.interpol.headquarters.sources[0]"


def _set_source(tree: Paths, field: str, value: str) -> None:
    """Change one field of the first source of interpol.headquarters."""

    def change(d: dict) -> None:
        d["answers"]["interpol.headquarters"]["sources"][0][field] = value

    edit_yaml(tree.answers / "interpol.yml", change)


def test_quote_not_verbatim(tree: Paths) -> None:
    edit_text(tree.answers / "interpol.yml", "located in Lyon, France", "located in Paris, France")
    error = the_error(errors_of(tree), "answers/interpol.yml", f"{HQ_SOURCE}.quote")
    assert "not found verbatim" in error.message
    assert "000_d14e11947c2c4837.txt" in error.message


def test_quote_from_the_advertisement(tree: Paths) -> None:
    _set_source(tree, "quote", ADVERT)
    error = the_error(errors_of(tree), "answers/interpol.yml", f"{HQ_SOURCE}.quote")
    assert "advertisement" in error.message


def test_quote_too_long(tree: Paths) -> None:
    doc = load_knowledge().documents["000"]
    paragraph = doc.sections["intro"][0]  # verbatim, but a whole paragraph
    assert len(paragraph) > MAX_QUOTE
    _set_source(tree, "quote", paragraph)
    errors = errors_of(tree)
    error = the_error(errors, "answers/interpol.yml", f"{HQ_SOURCE}.quote")
    assert f"at most {MAX_QUOTE}" in error.message and str(len(paragraph)) in error.message
    assert len(errors) == 1  # it is verbatim: length is the only problem


def test_unknown_section(tree: Paths) -> None:
    _set_source(tree, "section", "Where is Interpol?")
    error = the_error(errors_of(tree), "answers/interpol.yml", f"{HQ_SOURCE}.section")
    assert "'Where is Interpol?' is not a section" in error.message


def test_unknown_document(tree: Paths) -> None:
    _set_source(tree, "document", "999")
    error = the_error(errors_of(tree), "answers/interpol.yml", f"{HQ_SOURCE}.document")
    assert "unknown document '999'" in error.message


def test_related_id_that_does_not_exist(tree: Paths) -> None:
    edit_yaml(tree.intents / "interpol.yml",
              lambda d: d["intents"]["interpol.history"]["related"].append("interpol.mascot"))
    error = the_error(errors_of(tree), "intents/interpol.yml", "intents.interpol.history.related")
    assert "interpol.mascot" in error.message


def test_formulaic_must_be_true_or_false(tree: Paths) -> None:
    edit_yaml(tree.intents / "bot.yml", lambda d: d["intents"]["bot.thanks"].update(formulaic="yes"))
    error = the_error(errors_of(tree), "intents/bot.yml", "intents.bot.thanks.formulaic")
    assert "expected true or false" in error.message


def test_only_greetings_and_thanks_are_formulaic(knowledge: Knowledge) -> None:
    assert {i.id for i in knowledge.intents.values() if i.formulaic} == {"bot.greeting", "bot.thanks"}


def test_closing_must_be_true_or_false(tree: Paths) -> None:
    edit_yaml(tree.intents / "bot.yml", lambda d: d["intents"]["bot.thanks"].update(closing=1))
    error = the_error(errors_of(tree), "intents/bot.yml", "intents.bot.thanks.closing")
    assert "expected true or false" in error.message


def test_only_thanks_is_a_closing_formula(knowledge: Knowledge) -> None:
    # A greeting opens a request ("hi all, who has the hdmi adapter"): answering its clause would ignore the rest.
    assert {i.id for i in knowledge.intents.values() if i.closing} == {"bot.thanks"}


@pytest.mark.parametrize("topic", ["interpol.mascot", "out_of_scope"])
def test_fallback_topic_that_is_not_answerable(tree: Paths, topic: str) -> None:
    edit_yaml(tree.intents / "matching.yml", lambda d: d["matching"]["fallback_topics"].append(topic))
    error = the_error(errors_of(tree), "intents/matching.yml", "matching.fallback_topics")
    assert topic in error.message


def test_same_example_under_two_intents(tree: Paths) -> None:
    example = "when was interpol founded?"

    def add(d: dict) -> None:
        d["intents"]["interpol.history"]["examples"]["en"].append(example)
        d["intents"]["interpol.funding"]["examples"]["en"].append(example.upper())  # same after normalising

    edit_yaml(tree.intents / "interpol.yml", add)
    errors = errors_of(tree)
    dupes = [e for e in errors if "also an example of" in e.message]
    assert len(dupes) == 1, [str(e) for e in errors]
    assert Path(dupes[0].file).as_posix().endswith("intents/interpol.yml")
    assert dupes[0].key in ("intents.interpol.history.examples.en", "intents.interpol.funding.examples.en")
    assert "interpol.history" in str(dupes[0]) and "interpol.funding" in str(dupes[0])
    assert "when was interpol founded" in dupes[0].message.lower()


def test_duplicate_intent_id_across_files(tree: Paths) -> None:
    intents = yaml.safe_load((tree.intents / "interpol.yml").read_text(encoding="utf-8"))["intents"]
    history = intents["interpol.history"]
    edit_yaml(tree.intents / "screening.yml", lambda d: d["intents"].__setitem__("interpol.history", history))
    error = the_error(errors_of(tree), "intents/screening.yml", "intents.interpol.history")
    assert "duplicate" in error.message and "interpol.yml" in error.message


def test_unquoted_no_stopword(tree: Paths) -> None:
    edit_text(tree.answers / "languages" / "es.yml", '"no", ni', "no, ni")
    error = the_error(errors_of(tree), "languages/es.yml", "stopwords")
    assert "False" in error.message and '"no"' in error.message


def test_stopwords_are_single_words(tree: Paths) -> None:
    # Messages are compared word by word: "por que" as one entry would never match.
    edit_text(tree.answers / "languages" / "es.yml", '"no", ni', '"no", "por que", ni')
    error = the_error(errors_of(tree), "languages/es.yml", "stopwords")
    assert "not single words" in error.message and "por que" in error.message


@pytest.mark.parametrize(("phrase", "word"), [("porque", "por que"), ("xq", "xq"), (":)", "feliz")])
def test_a_phrase_must_be_read_as_one_other_word(tree: Paths, phrase: str, word: str) -> None:
    # Two words, itself, or nothing once normalised (":)") would join nothing or match everywhere.
    edit_yaml(tree.answers / "languages" / "es.yml", lambda d: d["phrases"].__setitem__(phrase, word))
    error = the_error(errors_of(tree), "languages/es.yml", f"phrases.{phrase}")
    assert "a phrase read as one other word" in error.message


def test_markers_must_be_a_list_of_words(tree: Paths) -> None:
    edit_yaml(tree.answers / "languages" / "es.yml", lambda d: d.__setitem__("markers", "jajaja"))
    assert "expected a list" in the_error(errors_of(tree), "languages/es.yml", "markers").message


def test_language_file_missing_ui_key(tree: Paths) -> None:
    edit_yaml(tree.answers / "languages" / "es.yml", lambda d: d["ui"].pop("clarify"))
    error = the_error(errors_of(tree), "languages/es.yml", "ui")
    assert "clarify" in error.message


def test_every_problem_is_reported_at_once(tree: Paths) -> None:
    edit_yaml(tree.answers / "interpol.yml", lambda d: d["answers"]["interpol.history"]["text"].pop("es"))
    edit_text(tree.answers / "interpol.yml", "located in Lyon, France", "located in Paris, France")
    edit_yaml(tree.intents / "partnerships.yml",
              lambda d: d["intents"]["partnerships.forms"]["related"].append("partnerships.nothing"))
    edit_yaml(tree.answers / "languages" / "en.yml", lambda d: d["ui"].pop("fallback"))
    edit_yaml(tree.answers / "checklist.yml",
              lambda d: d["checklist"]["criteria"][0]["question"].pop("es"))
    errors = errors_of(tree)
    the_error(errors, "answers/interpol.yml", "answers.interpol.history.text.es")
    the_error(errors, "answers/interpol.yml", f"{HQ_SOURCE}.quote")
    the_error(errors, "intents/partnerships.yml", "intents.partnerships.forms.related")
    the_error(errors, "languages/en.yml", "ui")
    the_error(errors, "answers/checklist.yml", "checklist.criteria[0].question.es")
    assert len(errors) == 5, [str(e) for e in errors]


# --- understood languages: examples only, no answers -------------------------------------------------------


def write_understood(tree: Paths, code: str, data: dict) -> Path:
    directory = tree.intents / "understood"
    directory.mkdir(exist_ok=True)
    for old in directory.glob("*.yml"):
        old.unlink()  # only the language under test
    path = directory / f"{code}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_an_understood_language_adds_examples_and_no_answers(tree: Paths) -> None:
    write_understood(tree, "nl", {"name": "nederlands", "stopwords": ["de", "het", "waar"],
                                  "examples": {"interpol.headquarters": ["waar zit het hoofdkantoor van interpol"],
                                               "out_of_scope": ["hoe laat is de vergadering"]}})
    k = load_knowledge(tree)
    assert list(k.understood) == ["nl"] and "nl" not in k.languages
    assert k.intents["interpol.headquarters"].examples["nl"] == ("waar zit het hoofdkantoor van interpol",)
    assert "nl" not in k.intents["interpol.headquarters"].answer
    assert k.understood["nl"].stopwords == {"de", "het", "waar"}


@pytest.mark.parametrize(("examples", "key", "message"), [
    ({"interpol.mascot": ["wie is de mascotte"]}, "examples.interpol.mascot", "no intent with this ID"),
    ({"interpol.history": "wanneer opgericht"}, "examples.interpol.history", "expected a list"),
    ({"interpol.history": ["", "wanneer opgericht"]}, "examples.interpol.history", "expected a list"),
    ({"interpol.history": ["where is interpol based"]}, "examples.interpol.history", "also an example of"),
])
def test_a_broken_understood_file_names_file_and_key(tree: Paths, examples: dict, key: str, message: str) -> None:
    write_understood(tree, "nl", {"name": "nederlands", "examples": examples})
    assert message in the_error(errors_of(tree), "intents/understood/nl.yml", key).message


def test_an_understood_language_cannot_also_be_answered(tree: Paths) -> None:
    write_understood(tree, "es", {"name": "español", "examples": {"interpol.history": ["cuando nacio"]}})
    assert "is answered" in the_error(errors_of(tree), "intents/understood/es.yml", "").message


# --- matching.subject: the documents' subject and other organisations -----------------------------------------


def test_real_subject_is_interpol_and_names_others(knowledge: Knowledge) -> None:
    assert "interpol" in knowledge.subject.names
    assert {"europol", "fbi", "naciones unidas"} <= set(knowledge.subject.others)


def test_an_organisation_a_document_names_cannot_be_another(tree: Paths) -> None:
    # The Spanish page says "sector privado": listing it as another body would turn its own questions away.
    edit_yaml(tree.intents / "matching.yml",
              lambda d: d["matching"]["subject"]["others"].append("sector privado"))
    error = the_error(errors_of(tree), "intents/matching.yml", "matching.subject.others")
    assert "sector privado" in error.message and "004" in error.message


def test_an_example_about_another_organisation_is_an_error(tree: Paths) -> None:
    edit_yaml(tree.intents / "interpol.yml",
              lambda d: d["intents"]["interpol.history"]["examples"]["en"].append("when was europol founded"))
    error = the_error(errors_of(tree), "intents/interpol.yml", "intents.interpol.history.examples.en")
    assert "when was europol founded" in error.message and "europol" in error.message


@pytest.mark.parametrize("value", [[], "europol", [3]])
def test_subject_lists_must_be_lists_of_names(tree: Paths, value: object) -> None:
    edit_yaml(tree.intents / "matching.yml", lambda d: d["matching"]["subject"].update(others=value))
    error = the_error(errors_of(tree), "intents/matching.yml", "matching.subject.others")
    assert "list of names" in error.message


# --- matching.partner_names: words that never name a partner ----------------------------------------------------


def test_real_words_that_never_name_a_partner(knowledge: Knowledge) -> None:
    assert {"interpol", "vp", "rrhh"} <= knowledge.not_partners


@pytest.mark.parametrize("value", ["vp", ["chief executive"], [3]])
def test_words_that_never_name_a_partner_must_be_single_words(tree: Paths, value: object) -> None:
    edit_yaml(tree.intents / "matching.yml", lambda d: d["matching"]["partner_names"].update(never=value))
    error = the_error(errors_of(tree), "intents/matching.yml", "matching.partner_names.never")
    assert "single words" in error.message
