"""The matcher: its shortcuts (typo prefilter, packed examples) never change a score; configured phrases count."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np
import pytest
from rapidfuzz import fuzz, process

from bot import evaluation
from bot.engine import Engine
from bot.knowledge import load_knowledge
from bot.matcher import Matcher
from bot.normalize import normalize


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Engine.load().matcher


def full_search(matcher: Matcher, word: str) -> str | None:
    """The best vocabulary word at or above the cutoff, comparing the word with every vocabulary word."""
    row = process.cdist([word], matcher.vocabulary, scorer=fuzz.ratio, score_cutoff=matcher.typo_cutoff,
                        dtype=np.uint8)[0]
    best = int(np.argmax(row))
    return matcher.vocabulary[best] if row[best] else None


def misspell(word: str, rng: random.Random) -> str:
    """One or two random deletions, insertions, substitutions or swaps, as fast typing makes them."""
    letters = list(word)
    for _ in range(rng.choice((1, 1, 2))):
        i = rng.randrange(len(letters))
        edit = rng.choice(("delete", "insert", "substitute", "swap"))
        if edit == "delete" and len(letters) > 1:
            del letters[i]
        elif edit == "insert":
            letters.insert(i, rng.choice("abcdeilnorstuxzñø1"))
        elif edit == "substitute":
            letters[i] = rng.choice("abcdeilnorstuxzñø1")
        elif i + 1 < len(letters):
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
    return "".join(letters)


def test_typo_correction_finds_what_a_full_search_finds(matcher: Matcher) -> None:
    rng = random.Random(23)
    long_words = [w for w in matcher.vocabulary if len(w) >= 4]
    words = [misspell(w, rng) for w in rng.sample(long_words, 600)]
    words += ["zzzzzz", "qwertyuiop", "interpooool", "ab" * 300, "øøøøø", "1234567", "financiacionnnn"]
    unknown = [w for w in dict.fromkeys(words) if w not in matcher.vocabulary]
    fixes = matcher.correct(unknown)
    # Words under four letters are never corrected: "tym" is as likely "tmy" as a typo of "tysm".
    expected = {w: full_search(matcher, w) if len(w) >= 4 else None for w in unknown}
    assert fixes == expected
    # The sample exercises both outcomes: typos that are fixed and words nothing is close to.
    assert sum(v is not None for v in fixes.values()) > 200
    assert sum(v is None for v in fixes.values()) > 20


@pytest.fixture(scope="module")
def dev_texts() -> list[str]:
    texts = [normalize(c.text) for c in evaluation.load_cases(evaluation.split_files("dev"))]
    rng = random.Random(5)
    return [t for t in rng.sample(texts, 400) if t] + [normalize("how is interpol funded " * 40)]


def test_a_configured_phrase_is_one_topic_word(matcher: Matcher) -> None:
    # "por que" (why) is two stopwords; read as one word it is evidence the lexical score can use.
    knowledge = load_knowledge()
    plain = Matcher(replace(knowledge, languages={c: replace(lang, phrases={})
                                                  for c, lang in knowledge.languages.items()}))
    text = normalize("¿Por qué colabora Interpol con empresas?")
    joined, split = matcher.features(text), plain.features(text)
    assert joined.text.split()[0] == "porque" and split.text.startswith("por que")
    assert joined.known_weight > split.known_weight
    # A chat spelling of the same question word is the same evidence, not a function word.
    assert matcher.features(normalize("xq colabora interpol con empresas")).text.split()[0] == "porque"


def test_graded_word_evidence_favours_the_intent_a_word_is_typical_of() -> None:
    # "why" opens half of partnerships.why's examples and few of partnerships.benefits': yes/no use cannot tell.
    knowledge = load_knowledge()
    scoring = dict(knowledge.matching["scoring"])
    ids = list(knowledge.intents)
    why, benefits = ids.index("partnerships.why"), ids.index("partnerships.benefits")
    graded = Matcher(knowledge, scoring={**scoring, "lexical_grading": 0.5}).features("why")
    flat = Matcher(knowledge, scoring={**scoring, "lexical_grading": 0.0}).features("why")
    assert flat.hits[why] == flat.hits[benefits] > 0
    assert graded.hits[why] == flat.hits[why] > graded.hits[benefits] > 0


def test_out_of_scope_word_evidence_per_example_needs_one_example_to_use_the_words() -> None:
    # No single negative example asks about the member count for slides, but together they use all those words.
    knowledge = load_knowledge()
    scoring = dict(knowledge.matching["scoring"])
    oos = list(knowledge.intents).index("out_of_scope")
    text = "prepping slides for legal whats the current member count for interpol"
    per_example = Matcher(knowledge, scoring={**scoring, "negatives_per_example": True})
    union = Matcher(knowledge, scoring={**scoring, "negatives_per_example": False}).features(text)
    each = per_example.features(text)
    assert union.hits[oos] == pytest.approx(union.known_weight)
    assert union.hits[oos] > each.hits[oos] > 0
    np.testing.assert_array_equal(np.delete(union.hits, oos), np.delete(each.hits, oos))
    # A message that is a negative example word for word keeps all of its evidence.
    example = next(t for t, owner in zip(per_example.texts, per_example.owners, strict=True) if owner == oos)
    alone = per_example.features(example)
    assert alone.hits[oos] == pytest.approx(alone.known_weight)


def test_the_packed_examples_score_as_a_full_cdist_does(matcher: Matcher, dev_texts: list[str]) -> None:
    """Each intent's best example score, for both scorers and every language's examples, to the bit."""
    assert all(index.packed for index in matcher._indexes.values())  # or this compares the fallback with itself
    for name in ("ratio", "token_sort_ratio"):
        texts = matcher._word_sorted_texts if name == "token_sort_ratio" else matcher._sorted_texts
        for language in (None, "en", "es"):
            mine = np.flatnonzero(matcher._views[language]) if language else np.arange(len(texts))
            starts = np.searchsorted(matcher._intent_of_example[mine], np.arange(len(matcher.intent_ids)))
            for text in dev_texts:
                query = " ".join(sorted(text.split())) if name == "token_sort_ratio" else text
                row = process.cdist([query], [texts[i] for i in mine], scorer=fuzz.ratio, processor=None)[0]
                np.testing.assert_array_equal(matcher._indexes[name].best(query, language),
                                              np.maximum.reduceat(row, starts).astype(np.float64),
                                              err_msg=f"{name} {language} {text!r}")


def test_many_request_threads_score_as_one(dev_texts: list[str]) -> None:
    shared = Matcher(Engine.load().knowledge)
    expected = [shared.match(t) for t in dev_texts]
    with ThreadPoolExecutor(8) as requests:  # as gunicorn's threads and Bolt's listener pool call it
        assert list(requests.map(shared.match, dev_texts)) == expected


def test_a_forked_worker_scores_with_the_examples_packed_before_the_fork(dev_texts: list[str]) -> None:
    """gunicorn loads the app once and forks its workers: they share the parent's packed examples."""
    shared = Matcher(Engine.load().knowledge)
    text = dev_texts[0]
    expected = repr(shared.match(text)).encode()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer through the pipe, never return into pytest
        try:
            os.write(write, repr(shared.match(text)).encode())
        finally:
            os._exit(0)
    os.close(write)
    ready, _, _ = select.select([read], [], [], 30)
    if not ready:
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    got = b""
    while ready and (chunk := os.read(read, 65536)):
        got += chunk
    os.close(read)
    assert got == expected


def test_a_reply_in_flight_while_the_process_exits_still_scores() -> None:
    """Socket Mode on Ctrl-C, a worker on SIGTERM: Bolt's listener threads outlive the main thread."""
    code = (
        "import threading, time\n"
        "from bot.matcher import Matcher\n"
        "from bot.knowledge import load_knowledge\n"
        "m = Matcher(load_knowledge())\n"
        "def late():\n"
        "    time.sleep(0.5)  # by now the main thread has returned and the interpreter is shutting down\n"
        "    print(m.match('how is interpol funded').ranked[0][0], flush=True)\n"
        "threading.Thread(target=late).start()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert (out.returncode, out.stdout.strip(), out.stderr) == (0, "interpol.funding", "")


@pytest.mark.parametrize("intent_id", ["bot.thanks", "interpol.history", "out_of_scope"])
def test_best_possible_is_an_upper_bound_of_the_score(matcher: Matcher, dev_texts: list[str], intent_id: str) -> None:
    """The engine skips a full match when the bound is under a threshold: the bound must never be below the score."""
    j = matcher.intent_ids.index(intent_id)
    gaps = []
    for text in dev_texts[:300]:
        normalized = normalize(text)
        score = matcher.combine(matcher.features(normalized))[j]
        gaps.append(matcher.best_possible(normalized, intent_id) - score)
    assert min(gaps) >= -1e-9
    assert np.median(gaps) < 30, "a bound this loose would never skip anything"
