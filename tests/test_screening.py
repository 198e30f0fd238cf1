"""Screening outcomes: gaps to address with their source quotes, never an approval, in the run's language."""

from __future__ import annotations

import itertools
import re

import pytest

from bot.engine import Engine
from bot.screening import ScreeningRun, Verdict, gaps

FORBIDDEN = re.compile(
    r"\b(approved|approve|eligible|eligibility|aprobad[oa]s?|aprueba|elegibles?)\b", re.IGNORECASE
)
IDS = ("shared_values", "compatible_activities", "compatible_objectives")
MISSING = None  # the criterion was not answered at all


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


def run(answers: dict[str, Verdict], language: str = "en", partner: str = "Acme Corp") -> ScreeningRun:
    return ScreeningRun(partner_name=partner, partner_type="for_profit", contributions=("software",),
                        answers=answers, language=language)


def test_checklist_criteria_are_the_three_documented_ones(engine: Engine) -> None:
    assert tuple(c.id for c in engine.checklist.criteria) == IDS


@pytest.mark.parametrize("lang", ["en", "es"])
def test_all_yes_meets_the_three_criteria(engine: Engine, lang: str) -> None:
    result = engine.screening_outcome(run(dict.fromkeys(IDS, Verdict.YES), lang))
    assert result.meets_all and result.gaps == ()
    assert result.text == engine.ui(lang, "outcome_meets", partner="Acme Corp")
    if lang == "en":
        assert "meets the three criteria" in result.text
        assert "next step is Interpol's own due-diligence review" in result.text
    else:
        assert "cumple los tres criterios" in result.text
        assert "revisión de diligencia debida de Interpol" in result.text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_one_no_lists_that_gap_with_its_quote(engine: Engine, lang: str) -> None:
    answers = {"shared_values": Verdict.YES, "compatible_activities": Verdict.NO,
               "compatible_objectives": Verdict.YES}
    result = engine.screening_outcome(run(answers, lang))
    assert not result.meets_all
    assert [(g.criterion.id, g.verdict) for g in result.gaps] == [("compatible_activities", Verdict.NO)]
    activities = engine.checklist.criteria[1]
    assert activities.question[lang] in result.text
    assert activities.source.quote in result.text
    assert engine.ui(lang, "outcome_no") in result.text
    assert engine.ui(lang, "outcome_next") in result.text
    assert engine.ui(lang, "outcome_gaps", partner="Acme Corp", count="1") in result.text
    for other in (engine.checklist.criteria[0], engine.checklist.criteria[2]):
        assert other.question[lang] not in result.text and other.source.quote not in result.text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_gap_is_listed_in_checklist_order(engine: Engine, lang: str) -> None:
    answers = {"shared_values": Verdict.UNSURE, "compatible_activities": Verdict.NO,
               "compatible_objectives": Verdict.UNSURE}
    result = engine.screening_outcome(run(answers, lang))
    assert [g.criterion.id for g in result.gaps] == list(IDS)
    positions = [result.text.index(c.source.quote) for c in engine.checklist.criteria]
    assert positions == sorted(positions)
    assert result.text.count(engine.ui(lang, "outcome_unsure")) == 2
    assert result.text.count(engine.ui(lang, "outcome_no")) >= 1
    assert engine.ui(lang, "outcome_gaps", partner="Acme Corp", count="3") in result.text


def test_missing_answer_counts_as_unsure(engine: Engine) -> None:
    answers = {"shared_values": Verdict.YES, "compatible_activities": Verdict.YES}
    result = engine.screening_outcome(run(answers))
    assert [(g.criterion.id, g.verdict) for g in result.gaps] == [("compatible_objectives", Verdict.UNSURE)]
    assert "not sure yet" in result.text
    assert gaps(engine.checklist, {}) == gaps(engine.checklist, dict.fromkeys(IDS, Verdict.UNSURE))
    assert not engine.screening_outcome(run({})).meets_all


def test_quotes_in_outcomes_come_from_the_document(engine: Engine) -> None:
    section = engine.knowledge.documents["004"].section_text("Transparencia y responsabilidad")
    for gap in engine.screening_outcome(run({})).gaps:
        assert gap.criterion.source.quote in section


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_combination_ever_reads_as_an_approval(engine: Engine, lang: str) -> None:
    choices = [Verdict.YES, Verdict.NO, Verdict.UNSURE, MISSING]
    seen = 0
    for combo in itertools.product(choices, repeat=len(IDS)):
        answers = {i: v for i, v in zip(IDS, combo, strict=True) if v is not MISSING}
        result = engine.screening_outcome(run(answers, lang))
        assert not FORBIDDEN.search(result.text), (combo, result.text)
        expected_gaps = sum(v is not Verdict.YES for v in combo)
        assert len(result.gaps) == expected_gaps
        assert result.meets_all == (expected_gaps == 0)
        if result.meets_all:
            assert result.text == engine.ui(lang, "outcome_meets", partner="Acme Corp")
        else:
            assert engine.ui(lang, "outcome_next") in result.text
        seen += 1
    assert seen == 4 ** 3


def test_forbidden_words_pattern_is_live() -> None:
    """The check above can fail: the pattern matches the words it must keep out."""
    for text in ("Acme is approved", "You are eligible", "Proyecto aprobado", "Solicitud aprobada"):
        assert FORBIDDEN.search(text)
    assert not FORBIDDEN.search("This is not an approval")  # the documented disclaimer is allowed


@pytest.mark.parametrize("lang", ["en", "es"])
def test_partner_name_is_escaped(engine: Engine, lang: str) -> None:
    for combo in (dict.fromkeys(IDS, Verdict.YES), {}):
        result = engine.screening_outcome(run(combo, lang, partner="<!channel> & <@U123> Corp"))
        assert "<!channel>" not in result.text and "<@" not in result.text
        assert "&lt;!channel&gt; &amp; &lt;@U123&gt; Corp" in result.text


def test_run_language_accepts_locales_and_falls_back(engine: Engine) -> None:
    spanish = engine.screening_outcome(run({}, "es-ES"))
    assert "aún no está claro" in spanish.text
    unknown = engine.screening_outcome(run({}, "fr"))
    assert "not sure yet" in unknown.text
