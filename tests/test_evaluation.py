"""The matcher on the held-out test split, and the evaluation report's arithmetic."""

from __future__ import annotations

import pytest

from bot import evaluation
from bot.engine import Engine
from bot.evaluation import Case, Result


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


@pytest.fixture(scope="module")
def test_report(engine: Engine) -> evaluation.Report:
    cases = evaluation.load_cases(evaluation.split_files("test"))
    return evaluation.report(evaluation.run(engine, cases), engine.knowledge.matching["targets"])


def test_held_out_split_is_large_enough() -> None:
    cases = evaluation.load_cases(evaluation.split_files("test"))
    per_intent: dict[tuple[str, str], int] = {}
    for c in cases:
        if c.group == "in_scope":
            per_intent[(c.intent, c.lang)] = per_intent.get((c.intent, c.lang), 0) + 1
    assert min(per_intent.values()) >= 8
    for lang in ("en", "es"):
        oos = [c for c in cases if c.intent is None and c.lang == lang]
        assert len(oos) >= 150
        assert sum(c.group == "near_miss" for c in oos) >= 50


def test_matching_holds_its_floors_on_the_test_split(engine: Engine, test_report: evaluation.Report) -> None:
    floors = engine.knowledge.matching["floors"]
    for lang, accuracy in test_report.accuracy.items():
        assert accuracy >= floors["accuracy"], f"accuracy[{lang}]"
    assert test_report.rejection["all"] >= floors["rejection"]
    assert test_report.rejection["near_miss"] >= floors["near_miss_rejection"]
    assert test_report.false_rejection <= floors["false_rejection"]
    assert test_report.language >= floors["language"]


def test_floors_never_exceed_the_targets(engine: Engine) -> None:
    m = engine.knowledge.matching
    for key in ("accuracy", "rejection", "near_miss_rejection", "language"):
        assert m["floors"][key] <= m["targets"][key]
    assert m["floors"]["false_rejection"] >= m["targets"]["false_rejection"]


def _result(text: str, intent: str | None, predicted: str | None, lang: str = "en", group: str = "in_scope",
            kind: str = "answer", replied_in: str | None = None, expected_lang: str | None = None) -> Result:
    return Result(Case(text, intent, lang, group), kind if predicted else "fallback", predicted, predicted,
                  replied_in or lang, False, expected_lang or lang)


def test_report_counts_precision_recall_rejection_and_confusions() -> None:
    results = [
        _result("a", "x", "x"),
        _result("b", "x", "y"),  # confused x -> y
        _result("c", "y", "y"),
        _result("d", "y", None),  # falsely rejected
        _result("e", None, "y", group="near_miss"),  # out of scope answered
        _result("f", None, None, group="far"),
    ]
    targets = {"accuracy": 0.95, "rejection": 0.95, "near_miss_rejection": 0.85, "false_rejection": 0.05,
               "language": 0.99}
    rep = evaluation.report(results, targets)
    assert rep.per_intent["x"]["precision"] == 1.0 and rep.per_intent["x"]["recall"] == 0.5
    assert rep.per_intent["y"]["precision"] == pytest.approx(1 / 3)
    assert rep.per_intent["y"]["recall"] == 0.5
    assert rep.accuracy["en"] == 0.5
    assert rep.false_rejection == 0.25
    assert rep.rejection == {"all": 0.5, "near_miss": 0.0, "far": 1.0}
    assert ("x", "y", 1) in rep.confusions and ("(out of scope)", "y", 1) in rep.confusions
    assert any(f.startswith("accuracy[en]") for f in rep.failures)
    assert "FAIL" in evaluation.format_report(rep)


def test_a_message_with_no_letters_is_judged_against_the_default_language(engine: Engine) -> None:
    cases = [Case("👍", None, "es", "far"), Case(":eyes: +1", None, "es", "far"),
             Case("hola", "bot.greeting", "es", "in_scope")]
    results = evaluation.run(engine, cases)
    assert [r.expected_lang for r in results] == ["en", "en", "es"]
    rep = evaluation.report(results, engine.knowledge.matching["targets"])
    assert rep.language == 1.0 and rep.counts["no_language"] == 2


def test_reply_language_counts_a_wrong_language_as_wrong() -> None:
    results = [_result("que es interpol", "x", "x", lang="es", replied_in="en"), _result("what is it", "x", "x")]
    targets = {"accuracy": 0.95, "rejection": 0.95, "near_miss_rejection": 0.85, "false_rejection": 0.05,
               "language": 0.99}
    rep = evaluation.report(results, targets)
    assert rep.language == 0.5
    assert any(f.startswith("reply language") for f in rep.failures)
