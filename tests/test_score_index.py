"""The score index gives each group's best score exactly as a full `process.cdist` row does, packed or not."""

from __future__ import annotations

import platform
import random

import numpy as np
import pytest
from rapidfuzz import fuzz, process

from bot.score_index import ScoreIndex

WORDS = ("interpol", "partner", "police", "lyon", "funding", "ncb", "como", "se", "financia", "a", "sponsor",
         "cooperation", "metaverse", "que", "es", "donation", "why", "does", "the", "of")
X86 = platform.machine().lower() in {"x86_64", "amd64"}


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


@pytest.fixture(scope="module")
def corpus() -> tuple[list[str], np.ndarray, list[str]]:
    """Texts of every length class (up to 32 characters, up to 64, longer) in 25 groups, and two views of them."""
    rng = random.Random(7)
    texts = [sentence(rng, rng.choice((1, 2, 3, 5, 8, 12, 20, 30))) for _ in range(600)]
    groups = np.array(sorted(rng.randrange(25) for _ in texts))
    language = np.array([rng.choice(("en", "es")) for _ in texts])
    return texts, groups, {"en": language == "en", "es": language == "es"}


def cdist_best(query: str, texts: list[str], groups: np.ndarray, scorer=fuzz.ratio) -> np.ndarray:
    """The reference: one full cdist row, each group's maximum (0 for a group with no texts)."""
    best = np.zeros(25)
    if texts:
        row = process.cdist([query], texts, scorer=scorer, processor=None)[0]
        np.maximum.at(best, groups, row.astype(np.float64))
    return best


QUERIES = ["", "a", "como se financia interpol", "why does interpol partner with the private sector",
           "interpol " * 30,  # longer than 64 characters: two machine words per character in rapidfuzz
           "что такое интерпол", "¿quién financia a interpol? 🚓", "ñandú"]


@pytest.mark.skipif(not X86, reason="rapidfuzz has its multi-string ratio on x86-64 only")
def test_ratio_is_packed_here(corpus) -> None:
    # Without this, every test below could pass by comparing the cdist fallback with cdist.
    assert ScoreIndex(*corpus).packed


def test_a_scorer_without_a_multi_string_form_is_not_packed(corpus) -> None:
    assert not ScoreIndex(*corpus, scorer=fuzz.token_set_ratio).packed
    assert not ScoreIndex(*corpus, packed=False).packed


@pytest.mark.parametrize("packed", [True, False])
@pytest.mark.parametrize("view", [None, "en", "es"])
@pytest.mark.parametrize("query", QUERIES)
def test_each_groups_best_is_the_full_cdist_ones(corpus, query: str, view: str | None, packed: bool) -> None:
    texts, groups, views = corpus
    mine = np.flatnonzero(views[view]) if view else np.arange(len(texts))
    expected = cdist_best(query, [texts[i] for i in mine], groups[mine])
    np.testing.assert_array_equal(ScoreIndex(texts, groups, views, packed=packed).best(query, view), expected)


@pytest.mark.parametrize("scorer", [fuzz.token_set_ratio, fuzz.partial_ratio])
def test_another_scorer_compares_every_text(corpus, scorer) -> None:
    # The length bound holds for ratio only: a partial match of a short message inside a long text scores high.
    texts, groups, views = corpus
    for query in QUERIES:
        np.testing.assert_array_equal(ScoreIndex(texts, groups, views, scorer).best(query),
                                      cdist_best(query, texts, groups, scorer))


def test_a_long_text_that_beats_its_group_is_not_skipped() -> None:
    # The group's short text scores low; only the long one matches: the length bound must let it through.
    long = "como se financia interpol y quien paga sus operaciones en el mundo entero"
    index = ScoreIndex(["zzz", long, "qqq qqq"], np.array([0, 0, 1]))
    assert index.best(long).tolist() == [100.0, pytest.approx(fuzz.ratio(long, "qqq qqq"))]
