"""The bot's knowledge: intents, answers, languages, the checklist and thresholds, loaded and validated once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from bot.errors import DataError, DataErrors
from bot.normalize import fold, normalize
from bot.sources import Document, load_documents, squash
from bot.subject import Subject
from bot.yamlfile import load_yaml

ROOT = Path(__file__).resolve().parent.parent
# out_of_scope: negative examples (as Rasa's out_of_scope intent): matching one means "not in the sources".
KINDS = ("answer", "smalltalk", "out_of_scope")
MAX_QUOTE = 300
MAX_LABEL = 60


@dataclass(frozen=True)
class Citation:
    """Where an answer comes from: a verbatim quote of one section of one document."""

    document: str
    title: str
    section: str
    quote: str


@dataclass(frozen=True)
class Intent:
    id: str
    file: str
    kind: str
    screening_prompt: bool
    label: dict[str, str]
    related: tuple[str, ...]
    examples: dict[str, tuple[str, ...]]
    answer: dict[str, str]
    sources: tuple[Citation, ...]
    # Greetings and thanks: a real one is close to an example, so they need `smalltalk_threshold`, not the answer one.
    formulaic: bool = False
    # Thanks: people add chatter after it ("thanks, sending this to legal"), so one clause is enough.
    closing: bool = False

    @cached_property
    def normalized(self) -> dict[str, tuple[str, ...]]:
        """The examples as the matcher compares them; computed once for validation, matcher and detector."""
        return {lang: tuple(normalize(x) for x in items) for lang, items in self.examples.items()}


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    locales: tuple[str, ...]
    stopwords: frozenset[str]
    ui: dict[str, str]
    # Words that mark the language without being a topic ("jajaja", "lol"): language detection only.
    markers: frozenset[str] = frozenset()
    # Multi-word expressions read as one word when matching: Spanish "por que" (why) is two stopwords otherwise.
    phrases: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Option:
    id: str
    label: dict[str, str]


@dataclass(frozen=True)
class Criterion:
    id: str
    question: dict[str, str]
    source: Citation


@dataclass(frozen=True)
class Checklist:
    criteria: tuple[Criterion, ...]
    contribution_forms: tuple[Option, ...]
    contribution_source: Citation
    partner_types: tuple[Option, ...]
    partner_type_source: Citation


@dataclass(frozen=True)
class Knowledge:
    intents: dict[str, Intent]
    languages: dict[str, Language]
    documents: dict[str, Document]
    checklist: Checklist
    matching: dict[str, Any]
    default_language: str
    # Languages we match but do not answer in (intents/understood/*.yml): replies come in the default language.
    understood: dict[str, Language] = field(default_factory=dict)
    subject: Subject = field(default_factory=Subject)
    # Capitalised words that never name a partner (matching.partner_names.never), folded.
    not_partners: frozenset[str] = frozenset()


@dataclass
class Paths:
    intents: Path = ROOT / "intents"
    answers: Path = ROOT / "answers"
    sources: Path | None = None  # defaults to answers/sources

    @property
    def sources_dir(self) -> Path:
        return self.sources or self.answers / "sources"


class _Collector:
    """Gathers every problem so validation reports them all at once."""

    def __init__(self) -> None:
        self.errors: list[DataError] = []

    def add(self, file: Path | str, key: str, message: str) -> None:
        self.errors.append(DataError(str(file), key, message))

    def check(self, ok: bool, file: Path | str, key: str, message: str) -> bool:
        if not ok:
            self.add(file, key, message)
        return ok


def _per_language(value: Any, langs: list[str], file: Path, key: str, errs: _Collector) -> dict[str, str]:
    if not errs.check(isinstance(value, dict), file, key, "expected one entry per language"):
        return {}
    for lang in langs:
        text = value.get(lang)
        errs.check(isinstance(text, str) and text.strip() != "", file, f"{key}.{lang}", "missing or empty")
    extra = sorted(set(value) - set(langs))
    errs.check(not extra, file, key, f"languages not configured in answers/languages/: {extra}")
    return {k: str(v).strip() for k, v in value.items() if isinstance(v, str)}


def _words(data: dict, key: str, path: Path, errs: _Collector) -> frozenset[str]:
    """A language file's list of single words (stopwords, markers), normalised like messages."""
    words = data.get(key) or []
    if not errs.check(isinstance(words, list), path, key, "expected a list of words"):
        return frozenset()
    odd = [w for w in words if not isinstance(w, str)]
    errs.check(not odd, path, key, f"not text: {odd} (quote words like \"no\" that YAML reads as booleans)")
    normalized = {w: normalize(w) for w in words if isinstance(w, str)}
    # Messages are compared word by word: an entry of two words, or of none, would never match anything.
    phrases = [w for w, n in normalized.items() if len(n.split()) != 1]
    errs.check(not phrases, path, key, f"not single words: {phrases}")
    return frozenset(normalized.values())


def _phrases(data: dict, path: Path, errs: _Collector) -> dict[str, str]:
    """A language file's `phrases:` (words, or a chat spelling such as "xq", -> the one word they are read as)."""
    raw = data.get("phrases") or {}
    if not errs.check(isinstance(raw, dict), path, "phrases", "expected a mapping of phrase: word"):
        return {}
    phrases: dict[str, str] = {}
    for phrase, word in raw.items():
        key = normalize(str(phrase))
        value = normalize(str(word)) if isinstance(word, str) else ""
        if errs.check(bool(key) and key != value and len(value.split()) == 1, path, f"phrases.{phrase}",
                      "expected a phrase read as one other word"):
            phrases[key] = value
    return phrases


def _load_languages(directory: Path, errs: _Collector) -> dict[str, Language]:
    languages: dict[str, Language] = {}
    for path in sorted(directory.glob("*.yml")):
        data = load_yaml(path)
        code = path.stem
        if not errs.check(isinstance(data, dict), path, "", "expected a mapping"):
            continue
        ui = data.get("ui")
        errs.check(isinstance(ui, dict) and ui, path, "ui", "missing UI strings")
        languages[code] = Language(
            code=code,
            name=str(data.get("name", code)),
            locales=tuple(data.get("locales") or [code]),
            stopwords=_words(data, "stopwords", path, errs),
            ui={k: str(v) for k, v in (ui or {}).items()},
            markers=_words(data, "markers", path, errs),
            phrases=_phrases(data, path, errs),
        )
    if languages:
        keys = {code: set(lang.ui) for code, lang in languages.items()}
        every = set().union(*keys.values())
        for code, have in keys.items():
            errs.check(not every - have, directory / f"{code}.yml", "ui", f"missing keys {sorted(every - have)}")
    return languages


def _citation(raw: Any, docs: dict[str, Document], file: Path, key: str, errs: _Collector) -> Citation | None:
    if not errs.check(isinstance(raw, dict), file, key, "expected document, section and quote"):
        return None
    doc_id, section, quote = str(raw.get("document", "")), raw.get("section"), raw.get("quote")
    doc = docs.get(doc_id)
    if not errs.check(doc is not None, file, f"{key}.document", f"unknown document {doc_id!r}; known: {list(docs)}"):
        return None
    if not errs.check(section in doc.sections, file, f"{key}.section",
                      f"{section!r} is not a section of {doc.file}; sections: {list(doc.sections)}"):
        return None
    if not errs.check(isinstance(quote, str) and quote.strip(), file, f"{key}.quote", "missing"):
        return None
    quote = squash(quote)
    errs.check(len(quote) <= MAX_QUOTE, file, f"{key}.quote", f"{len(quote)} characters; at most {MAX_QUOTE}")
    if quote in doc.excluded_text():
        errs.add(file, f"{key}.quote", "quotes the law firm's advertisement, which is never an answer")
    elif quote not in doc.section_text(section):
        errs.add(file, f"{key}.quote", f"not found verbatim in {doc.file}, section {section!r}: {quote[:60]!r}...")
    return Citation(document=doc_id, title=doc.title, section=section, quote=quote)


def _options(raw: Any, langs: list[str], file: Path, key: str, errs: _Collector) -> tuple[Option, ...]:
    options = []
    for i, item in enumerate(raw or []):
        k = f"{key}[{i}]"
        if errs.check(isinstance(item, dict) and "id" in item, file, k, "expected id and label"):
            options.append(Option(str(item["id"]), _per_language(item.get("label"), langs, file, f"{k}.label", errs)))
    errs.check(bool(options), file, key, "no options")
    return tuple(options)


def _load_checklist(path: Path, langs: list[str], docs: dict[str, Document], errs: _Collector) -> Checklist:
    data = (load_yaml(path) or {}).get("checklist") or {}
    criteria = []
    for i, raw in enumerate(data.get("criteria") or []):
        key = f"checklist.criteria[{i}]"
        question = _per_language(raw.get("question"), langs, path, f"{key}.question", errs)
        source = _citation(raw.get("source"), docs, path, f"{key}.source", errs)
        if source:
            criteria.append(Criterion(str(raw.get("id")), question, source))
    errs.check(bool(criteria), path, "checklist.criteria", "no criteria")
    forms = data.get("contribution_forms") or {}
    types = data.get("partner_types") or {}
    empty = Citation("", "", "", "")
    return Checklist(
        criteria=tuple(criteria),
        contribution_forms=_options(forms.get("options"), langs, path, "checklist.contribution_forms.options", errs),
        contribution_source=_citation(forms.get("source"), docs, path, "checklist.contribution_forms.source", errs)
        or empty,
        partner_types=_options(types.get("options"), langs, path, "checklist.partner_types.options", errs),
        partner_type_source=_citation(types.get("source"), docs, path, "checklist.partner_types.source", errs)
        or empty,
    )


def _entries(paths: list[Path], key: str, errs: _Collector) -> Iterator[tuple[Path, str, Any]]:
    """Every `key:` entry of every file, once: a second file defining the same ID is an error."""
    seen: dict[str, Path] = {}
    for path in paths:
        data = load_yaml(path)
        if not errs.check(isinstance(data, dict) and isinstance(data.get(key), dict), path, key,
                          f"expected a mapping '{key}:' of intent ID to its content"):
            continue
        for entry_id, raw in data[key].items():
            entry_id = str(entry_id)
            if entry_id in seen:
                errs.add(path, f"{key}.{entry_id}", f"duplicate ID: also in {seen[entry_id].name}")
                continue
            seen[entry_id] = path
            yield path, entry_id, raw


def _load_answers(directory: Path, errs: _Collector) -> dict[str, tuple[Path, dict]]:
    files = [p for p in sorted(directory.glob("*.yml")) if p.name != "checklist.yml"]
    return {entry_id: (path, raw) for path, entry_id, raw in _entries(files, "answers", errs)}


def _example_list(items: Any, path: Path, key: str, errs: _Collector) -> tuple[str, ...]:
    """The example texts under one key (an intent's language, an understood file's intent); each problem reported."""
    if not errs.check(isinstance(items, list) and items, path, key, "no examples: expected a list of non-empty texts"):
        return ()
    good, bad = [], []
    for x in items:
        (good if isinstance(x, str) and normalize(x) else bad).append(x)
    errs.check(not bad, path, key, f"empty or non-text examples: {bad[:3]} (expected a list of non-empty texts)")
    return tuple(good)


def _load_intent(intent_id: str, raw: Any, path: Path, answer: tuple[Path, dict] | None,
                 langs: list[str], docs: dict[str, Document], errs: _Collector) -> Intent | None:
    key = f"intents.{intent_id}"
    if not errs.check(isinstance(raw, dict), path, key, "expected a mapping"):
        return None
    kind = raw.get("kind", "answer")
    errs.check(kind in KINDS, path, f"{key}.kind", f"{kind!r}; expected one of {KINDS}")
    rejecting = kind == "out_of_scope"
    label = {} if rejecting else _per_language(raw.get("label"), langs, path, f"{key}.label", errs)
    for lang, text in label.items():
        errs.check(len(text) <= MAX_LABEL, path, f"{key}.label.{lang}", f"longer than {MAX_LABEL} characters")
    examples_raw = raw.get("examples")
    examples: dict[str, tuple[str, ...]] = {}
    if errs.check(isinstance(examples_raw, dict), path, f"{key}.examples", "expected examples per language"):
        for lang in langs:
            if good := _example_list(examples_raw.get(lang), path, f"{key}.examples.{lang}", errs):
                examples[lang] = good
        extra = sorted(set(examples_raw) - set(langs))
        errs.check(not extra, path, f"{key}.examples", f"languages not configured: {extra}")
    related = raw.get("related") or []
    errs.check(isinstance(related, list), path, f"{key}.related", "expected a list of intent IDs")
    if rejecting:
        errs.check(answer is None, answer[0] if answer else path, f"answers.{intent_id}",
                   "an out_of_scope intent is never answered: remove its answer")
        errs.check(not related, path, f"{key}.related", "an out_of_scope intent has no follow-ups")
        return Intent(id=intent_id, file=path.name, kind=kind, screening_prompt=False, label={}, related=(),
                      examples=examples, answer={}, sources=())
    if answer is None:
        errs.add(path, key, "no answer in answers/*.yml")
        return None
    apath, araw = answer
    akey = f"answers.{intent_id}"
    text = _per_language((araw or {}).get("text"), langs, apath, f"{akey}.text", errs)
    sources = []
    for i, src in enumerate((araw or {}).get("sources") or []):
        citation = _citation(src, docs, apath, f"{akey}.sources[{i}]", errs)
        if citation:
            sources.append(citation)
    errs.check(kind != "answer" or bool(sources), apath, f"{akey}.sources",
               "an answer must cite at least one passage")
    formulaic = raw.get("formulaic", False)
    errs.check(isinstance(formulaic, bool), path, f"{key}.formulaic", f"{formulaic!r}; expected true or false")
    closing = raw.get("closing", False)
    errs.check(isinstance(closing, bool), path, f"{key}.closing", f"{closing!r}; expected true or false")
    return Intent(
        id=intent_id, file=path.name, kind=kind, screening_prompt=bool(raw.get("screening_prompt", False)),
        label=label, related=tuple(str(r) for r in related), examples=examples, answer=text, sources=tuple(sources),
        formulaic=formulaic is True, closing=closing is True,
    )


def _check_examples_unique(intents: dict[str, Intent], directory: Path, understood: dict[str, Language],
                           errs: _Collector) -> None:
    seen: dict[str, str] = {}
    for intent in intents.values():
        for lang, items in intent.examples.items():
            for example, norm in zip(items, intent.normalized[lang], strict=True):
                other = seen.get(norm)
                if other and other != intent.id:
                    where, key = ((directory / "understood" / f"{lang}.yml", f"examples.{intent.id}") if lang in understood
                                  else (directory / intent.file, f"intents.{intent.id}.examples.{lang}"))
                    errs.add(where, key, f"{example!r} is also an example of {other}")
                seen.setdefault(norm, intent.id)


def _load_understood(directory: Path, intents: dict[str, Intent], langs: list[str],
                     errs: _Collector) -> dict[str, Language]:
    """Example-only languages: each file adds one language's examples to existing intents, and no answers."""
    understood: dict[str, Language] = {}
    for path in sorted(directory.glob("*.yml")):
        code, data = path.stem, load_yaml(path)
        if not errs.check(code not in langs, path, "", f"{code!r} is answered (answers/languages/): remove one"):
            continue
        if not errs.check(isinstance(data, dict), path, "", "expected name, stopwords and examples"):
            continue
        examples = data.get("examples")
        if not errs.check(isinstance(examples, dict) and examples, path, "examples", "expected intent ID -> examples"):
            continue
        for intent_id, items in examples.items():
            key = f"examples.{intent_id}"
            if not errs.check(intent_id in intents, path, key, "no intent with this ID in intents/"):
                continue
            if good := _example_list(items, path, key, errs):
                intent = intents[intent_id]
                intents[intent_id] = replace(intent, examples={**intent.examples, code: tuple(good)})
        understood[code] = Language(code=code, name=str(data.get("name", code)), locales=(),
                                    stopwords=_words(data, "stopwords", path, errs), ui={},
                                    markers=_words(data, "markers", path, errs))
    return understood


def load_knowledge(paths: Paths | None = None) -> Knowledge:
    """Load and validate everything; raise DataErrors listing every problem found."""
    paths = paths or Paths()
    errs = _Collector()
    docs = load_documents(paths.sources_dir)
    languages = _load_languages(paths.answers / "languages", errs)
    if not languages:
        raise DataErrors([DataError(str(paths.answers / "languages"), "", "no language files (*.yml)")])
    langs = list(languages)
    matching_path = paths.intents / "matching.yml"
    matching = (load_yaml(matching_path) or {}).get("matching") or {}
    default = str(matching.get("default_language", "en"))
    errs.check(default in languages, matching_path, "matching.default_language", f"{default!r} not configured")
    answers = _load_answers(paths.answers, errs)
    intents: dict[str, Intent] = {}
    files = [p for p in sorted(paths.intents.glob("*.yml")) if p != matching_path]
    for path, intent_id, raw in _entries(files, "intents", errs):
        intent = _load_intent(intent_id, raw, path, answers.get(intent_id), langs, docs, errs)
        if intent:
            intents[intent.id] = intent
    for intent_id, (apath, _) in answers.items():
        errs.check(intent_id in intents, apath, f"answers.{intent_id}", "no intent with this ID in intents/")
    for intent in intents.values():
        for rel in intent.related:
            errs.check(rel in intents and rel != intent.id and intents[rel].kind != "out_of_scope",
                       paths.intents / intent.file, f"intents.{intent.id}.related",
                       f"{rel!r} is not another answerable intent's ID")
    for topic in matching.get("fallback_topics") or []:
        errs.check(topic in intents and intents[topic].kind == "answer", matching_path, "matching.fallback_topics",
                   f"{topic!r} is not an answerable intent's ID")
    understood = _load_understood(paths.intents / "understood", intents, langs, errs)
    _check_examples_unique(intents, paths.intents, understood, errs)
    checklist = _load_checklist(paths.answers / "checklist.yml", langs, docs, errs)
    subject = _load_subject(matching.get("subject"), matching_path, docs, intents, paths.intents, errs)
    not_partners = _load_not_partners(matching.get("partner_names"), matching_path, errs)
    if errs.errors:
        raise DataErrors(errs.errors)
    return Knowledge(intents=intents, languages=languages, documents=docs, checklist=checklist,
                     matching=matching, default_language=default, understood=understood, subject=subject,
                     not_partners=not_partners)


def _load_not_partners(raw: Any, path: Path, errs: _Collector) -> frozenset[str]:
    """matching.partner_names.never: single words, compared folded to a message's capitalised words."""
    if raw is None:
        return frozenset()
    never = raw.get("never") if isinstance(raw, dict) else None
    ok = isinstance(never, list) and all(isinstance(w, str) and len(w.split()) == 1 for w in never)
    errs.check(ok, path, "matching.partner_names.never", "expected a list of single words")
    return frozenset(fold(w) for w in never) if ok else frozenset()


def _load_subject(raw: Any, path: Path, docs: dict[str, Document], intents: dict[str, Intent], directory: Path,
                  errs: _Collector) -> Subject:
    """matching.subject: the documents' subject and other organisations; neither documents nor examples contradict it."""
    if raw is None:
        return Subject()
    if not errs.check(isinstance(raw, dict), path, "matching.subject", "expected names and others"):
        return Subject()
    lists = {}
    for key in ("names", "others"):
        value = raw.get(key)
        ok = isinstance(value, list) and value and all(isinstance(v, str) and normalize(v) for v in value)
        errs.check(bool(ok), path, f"matching.subject.{key}", "expected a non-empty list of names")
        lists[key] = value if ok else []
    subject = Subject.from_lists(lists["names"], lists["others"])
    both = set(subject.names) & set(subject.others)
    errs.check(not both, path, "matching.subject.others", f"also in names: {sorted(both)}")
    # An organisation the documents name is one they may answer about: it cannot turn a question away.
    for doc in docs.values():
        text = normalize(" ".join(doc.section_text(s) for s in doc.sections))
        named = subject.mentioned_in(text)
        errs.check(not named, path, "matching.subject.others", f"{named} named in document {doc.file}: remove them")
    for intent in intents.values():
        if intent.kind == "out_of_scope":
            continue
        for lang, examples in intent.normalized.items():
            for example, norm in zip(intent.examples[lang], examples, strict=True):
                other = subject.other_named(norm)
                errs.check(other is None, directory / intent.file, f"intents.{intent.id}.examples.{lang}",
                           f"{example!r} asks about {other!r}, not the documents' subject: it would be turned away")
    return subject
