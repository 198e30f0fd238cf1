"""Whose question is it: the documents are about Interpol alone, so a message about another named body is not ours."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from bot.normalize import normalize


def _pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    # Whole words, possessive or plural "s" allowed: "europols" is "Europol's" once apostrophes are gone.
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})s?\b") if names else None


@dataclass(frozen=True)
class Subject:
    """The documents' own subject (its names) and other organisations users confuse with it."""

    names: tuple[str, ...] = ()
    others: tuple[str, ...] = ()

    @cached_property
    def _names(self) -> re.Pattern[str] | None:
        return _pattern(self.names)

    @cached_property
    def _others(self) -> re.Pattern[str] | None:
        return _pattern(self.others)

    @classmethod
    def from_lists(cls, names: list[str], others: list[str]) -> Subject:
        return cls(tuple(normalize(n) for n in names), tuple(normalize(o) for o in others))

    def other_named(self, *texts: str) -> str | None:
        """The other organisation a normalised message asks about: it names one and never the subject."""
        if self._others is None or self._names is None:
            return None
        if any(self._names.search(t) for t in texts):
            return None
        for text in texts:
            found = self._others.search(text)
            if found:
                return found.group(0)
        return None

    def mentioned_in(self, text: str) -> list[str]:
        """The other organisations a normalised text names (validation: the documents must name none)."""
        return sorted({m.group(0) for m in self._others.finditer(text)}) if self._others else []
