"""Rasa-style intent evaluation: per-intent precision/recall/F1, language, out-of-scope rejection, confusions."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bot.engine import Engine
from bot.errors import DataError
from bot.knowledge import ROOT
from bot.normalize import normalize
from bot.yamlfile import load_yaml

DATA = ROOT / "tests" / "data"
ANSWERED = ("answer", "smalltalk")


@dataclass(frozen=True)
class Case:
    text: str
    intent: str | None  # None: out of scope
    lang: str  # the language it is written in
    group: str  # "in_scope", "near_miss", "far" or "other_language"


@dataclass(frozen=True)
class Result:
    case: Case
    kind: str
    predicted: str | None  # the answered intent, None if not answered
    top: str | None  # the top-ranked intent, whatever the outcome
    lang: str
    noted: bool
    expected_lang: str  # the case's language; the default for a message with no letters, which has no language


def split_files(split: str) -> list[Path]:
    """Every file of a split: dev_in_scope.yml, dev_out_of_scope.yml and any later round (dev_blind_*.yml)."""
    return sorted(DATA.glob(f"{split}_*.yml"))


def load_cases(paths: list[Path]) -> list[Case]:
    """Read evaluation YAML: in_scope (intent -> lang -> texts), out_of_scope, other_languages."""
    cases: list[Case] = []
    for path in paths:
        data = load_yaml(path) or {}
        for intent, by_lang in (data.get("in_scope") or {}).items():
            for lang, texts in by_lang.items():
                cases += [Case(t, intent, lang, "in_scope") for t in texts]
        for lang, groups in (data.get("out_of_scope") or {}).items():
            for group, texts in groups.items():
                cases += [Case(t, None, lang, group) for t in texts]
        for item in data.get("other_languages") or []:
            cases.append(Case(item["text"], item["intent"], item["lang"], "other_language"))
        if not cases:
            raise DataError(str(path), "", "no evaluation cases (expected in_scope, out_of_scope or other_languages)")
    return cases


def has_language(text: str) -> bool:
    """False for "👍", ":eyes:" or "+1": with no letters there is no language, so the engine answers in the
    caller's locale, then the default, and the evaluation passes no locale."""
    return any(ch.isalpha() for ch in normalize(text))


def run(engine: Engine, cases: list[Case]) -> list[Result]:
    results = []
    for case in cases:
        reply = engine.reply(case.text)
        top = reply.candidates[0][0] if reply.candidates else None
        predicted = reply.intent if reply.kind in ANSWERED else None
        expected = case.lang if has_language(case.text) else engine.default_language
        results.append(Result(case, reply.kind, predicted, top, reply.language, reply.note is not None, expected))
    return results


@dataclass
class Report:
    per_intent: dict[str, dict[str, float]] = field(default_factory=dict)
    accuracy: dict[str, float] = field(default_factory=dict)  # answered with the right intent, per language
    top1: dict[str, float] = field(default_factory=dict)  # top-ranked intent right, per language
    false_rejection: float = 0.0
    clarified: float = 0.0
    rejection: dict[str, float] = field(default_factory=dict)  # out-of-scope: all, near_miss, far
    language: float = 0.0
    other_language: float = 0.0
    confusions: list[tuple[str, str, int]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def _share(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def report(results: list[Result], targets: dict[str, float]) -> Report:
    rep = Report()
    inscope = [r for r in results if r.case.group == "in_scope"]
    oos = [r for r in results if r.case.intent is None]
    other = [r for r in results if r.case.group == "other_language"]
    rep.counts = {"in_scope": len(inscope), "out_of_scope": len(oos), "other_language": len(other)}
    tp: Counter = Counter()
    predicted: Counter = Counter()
    support: Counter = Counter()
    confusion: Counter = Counter()
    for r in inscope + oos:
        if r.predicted:
            predicted[r.predicted] += 1
        if r.case.intent:
            support[r.case.intent] += 1
            if r.predicted == r.case.intent:
                tp[r.case.intent] += 1
        if r.predicted and r.predicted != r.case.intent:
            confusion[(r.case.intent or "(out of scope)", r.predicted)] += 1
    for intent in sorted(support):
        p, rc = _share(tp[intent], predicted[intent]), _share(tp[intent], support[intent])
        f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
        rep.per_intent[intent] = {"precision": p, "recall": rc, "f1": f1, "support": support[intent]}
    by_lang: dict[str, list[Result]] = defaultdict(list)
    for r in inscope:
        by_lang[r.case.lang].append(r)
    for lang, rs in sorted(by_lang.items()):
        rep.accuracy[lang] = _share(sum(r.predicted == r.case.intent for r in rs), len(rs))
        rep.top1[lang] = _share(sum(r.top == r.case.intent for r in rs), len(rs))
    rep.false_rejection = _share(sum(r.kind == "fallback" for r in inscope), len(inscope))
    rep.clarified = _share(sum(r.kind == "clarify" for r in inscope), len(inscope))
    rep.rejection["all"] = _share(sum(r.predicted is None for r in oos), len(oos))
    for group in ("near_miss", "far"):
        rs = [r for r in oos if r.case.group == group]
        rep.rejection[group] = _share(sum(r.predicted is None for r in rs), len(rs))
    judged = inscope + oos
    rep.language = _share(sum(r.lang == r.expected_lang for r in judged), len(judged))
    rep.counts["no_language"] = sum(not has_language(r.case.text) for r in judged)
    rep.other_language = _share(sum(r.noted and r.predicted == r.case.intent for r in other), len(other))
    rep.confusions = [(a, b, n) for (a, b), n in confusion.most_common(10)]
    rep.failures = _failures(rep, targets)
    return rep


def _failures(rep: Report, targets: dict[str, float]) -> list[str]:
    found = []
    for lang, acc in rep.accuracy.items():
        if acc < targets["accuracy"]:
            found.append(f"accuracy[{lang}] {acc:.1%} < {targets['accuracy']:.0%}")
    checks = [
        ("out-of-scope rejection", rep.rejection["all"], targets["rejection"], False),
        ("near-miss rejection", rep.rejection["near_miss"], targets["near_miss_rejection"], False),
        ("in-scope false rejection", rep.false_rejection, targets["false_rejection"], True),
        ("reply language", rep.language, targets["language"], False),
    ]
    for name, value, target, at_most in checks:
        if (value > target) if at_most else (value < target):
            found.append(f"{name} {value:.1%} {'>' if at_most else '<'} {target:.0%}")
    return found


def format_report(rep: Report) -> str:
    lines = [f"{'intent':34} {'prec':>6} {'recall':>6} {'f1':>6} {'n':>4}"]
    for intent, m in rep.per_intent.items():
        lines.append(f"{intent:34} {m['precision']:6.1%} {m['recall']:6.1%} {m['f1']:6.1%} {m['support']:4d}")
    lines.append("")
    for lang in rep.accuracy:
        lines.append(f"accuracy {lang}: {rep.accuracy[lang]:.1%} answered right, {rep.top1[lang]:.1%} top-1 ranked right")
    lines += [
        f"in-scope false rejections: {rep.false_rejection:.1%}  (clarify replies: {rep.clarified:.1%})",
        f"out-of-scope rejection: {rep.rejection['all']:.1%}  near misses {rep.rejection['near_miss']:.1%}"
        f"  far {rep.rejection['far']:.1%}",
        f"reply language right: {rep.language:.1%}; other languages answered with a note: {rep.other_language:.1%}",
        f"cases: {rep.counts}",
        "most confused (true -> predicted):",
        *(f"  {a} -> {b}: {n}" for a, b, n in rep.confusions),
    ]
    lines.append("FAIL: " + "; ".join(rep.failures) if rep.failures else "OK: all targets met")
    return "\n".join(lines)
