"""Subject: a message that names another organisation, and never the documents' own, is about that organisation."""

from __future__ import annotations

import pytest

from bot.normalize import normalize
from bot.subject import Subject

SUBJECT = Subject.from_lists(["Interpol"], ["Europol", "United Nations", "FBI"])


@pytest.mark.parametrize(("text", "other"), [
    ("When was Europol created?", "europol"),
    ("what's europol's budget", "europols"),
    ("does the United Nations train police", "united nations"),
    ("<@U0BOT> the FBI in the metaverse?", "fbi"),
])
def test_another_organisation_without_the_subject(text: str, other: str) -> None:
    assert SUBJECT.other_named(normalize(text)) == other


@pytest.mark.parametrize("text", [
    "does interpol work with europol",  # both named: it is (also) about Interpol
    "interpols budget vs the fbis",
    "when was it created",  # a follow-up names nothing
    "europolitics and interpolation",  # a longer word is another word
    "the united states and its nations",
])
def test_no_other_organisation(text: str) -> None:
    assert SUBJECT.other_named(normalize(text)) is None


def test_any_reading_of_the_message_can_name_the_subject() -> None:
    # The typo-corrected text may say "interpol" where the raw one said "interpool".
    assert SUBJECT.other_named("interpool and europol", "interpol and europol") is None


def test_an_empty_subject_names_nothing() -> None:
    assert Subject().other_named("when was europol created") is None
