"""The source documents: split into sections, looked up by ID, checked for verbatim quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.errors import DataError
from bot.yamlfile import load_yaml, require

INTRO = "intro"
_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Collapse whitespace, so a quote wrapped differently still matches its passage."""
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Document:
    id: str
    file: str
    title: str
    language: str
    sections: dict[str, tuple[str, ...]]  # section name -> its paragraphs, excluded ones left out
    excluded: tuple[str, ...]  # paragraphs that are never knowledge (the advertisement)

    def section_text(self, section: str) -> str:
        return squash(" ".join(self.sections[section]))

    def excluded_text(self) -> str:
        return squash(" ".join(self.excluded))


def _split_sections(lines: list[str], headings: list[str]) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {INTRO: []}
    current = INTRO
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if stripped in headings:
            current = stripped
            sections.setdefault(current, [])
        else:
            sections[current].append(stripped.removeprefix("- "))
    return sections


def load_documents(directory: Path) -> dict[str, Document]:
    """Read `index.yml` and the documents it names; errors name the index key at fault."""
    index_path = directory / "index.yml"
    index = load_yaml(index_path)
    docs = require(index, "documents", dict, index_path, "")
    result: dict[str, Document] = {}
    for doc_id, meta in docs.items():
        key = f"documents.{doc_id}"
        meta = require({"m": meta}, "m", dict, index_path, key)
        file = require(meta, "file", str, index_path, key)
        path = directory / file
        if not path.is_file():
            raise DataError(str(index_path), f"{key}.file", f"document {file!r} not found in {directory}")
        headings = [h for h in require(meta, "sections", list, index_path, key) if h != INTRO]
        paragraphs = path.read_text(encoding="utf-8").splitlines()
        excluded_prefixes = [e["starts_with"] for e in meta.get("excluded") or []]
        excluded = tuple(p.strip() for p in paragraphs if any(p.startswith(x) for x in excluded_prefixes))
        kept = [p for p in paragraphs if p.strip() not in excluded]
        sections = _split_sections(kept, headings)
        missing = [h for h in headings if h not in sections]
        if missing:
            raise DataError(str(index_path), f"{key}.sections", f"headings not found in {file}: {missing}")
        result[str(doc_id)] = Document(
            id=str(doc_id),
            file=file,
            title=require(meta, "title", str, index_path, key),
            language=require(meta, "language", str, index_path, key),
            sections={name: tuple(p) for name, p in sections.items()},
            excluded=excluded,
        )
    return result
