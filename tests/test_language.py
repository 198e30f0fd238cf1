"""Language detection: deciding from the words alone, when they settle it, is what consulting the model decides."""

from __future__ import annotations

import pytest

from bot import evaluation
from bot.engine import Engine
from bot.language import LanguageDetector
from bot.normalize import normalize


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Every evaluation text of both splits, other languages and chatter included."""
    cases = evaluation.load_cases(evaluation.split_files("dev") + evaluation.split_files("test"))
    return [c.text for c in cases]


# Where the words alone almost settle it: the model can still outvote a one-word lead ("thanks" after Spanish),
# and a confident foreign guess wins when the leader's words are under half of them (Dutch, Swedish, Polish with
# "thanks please" at the end). Without either bound of the shortcut, one of these decides differently.
BOUNDARY = ["sede de interpol thanks", "<@U0BOT> graciass me sirvio thanks",
            "kunt u mij uitleggen hoe het werkt thanks please", "kan du förklara hur finansieringen fungerar thanks please",
            "czy moglbys wyjasnic jak to dziala thanks please"]


def test_the_shortcut_decides_as_the_model_would(engine: Engine, texts: list[str]) -> None:
    quick, thorough = LanguageDetector(engine.knowledge), LanguageDetector(engine.knowledge, shortcut=False)
    for text in [*BOUNDARY, *texts]:
        reading = engine.matcher.read(normalize(text)).text
        for locale in (None, "es-ES"):
            assert quick.detect(text, reading, locale) == thorough.detect(text, reading, locale), (text, locale)


def test_clear_words_leave_the_model_unloaded(engine: Engine) -> None:
    detector = LanguageDetector(engine.knowledge)
    assert detector.detect("how is interpol funded", "how is interpol funded").language == "en"
    assert detector.detect("como se financia interpol", "como se financia interpol").language == "es"
    assert "_model" not in vars(detector)  # a cached_property: present once the model was loaded
    # Words both languages use leave it open: the model is consulted.
    assert detector.detect("interpol", "interpol").reason in {"model", "vocabulary", "locale", "default"}
    detector.detect("wie stellt interpol sicher, dass beiträge transparent sind",
                    "wie stellt interpol sicher dass beitrage transparent sind")
    assert "_model" in vars(detector)
