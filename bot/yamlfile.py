"""Reading YAML knowledge files with errors that name the file, the key and the problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.errors import DataError

# libyaml's parser, when PyYAML's wheel carries it, reads the knowledge about ten times faster than pure Python:
# most of Engine.load() was YAML parsing. Both build the same safe types.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    """Parse one file; a syntax error becomes a DataError with the line number."""
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_LOADER)
    except FileNotFoundError:
        raise DataError(str(path), "", "file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataError(str(path), where, f"invalid YAML: {problem}") from None


def require(mapping: Any, name: str, kind: type, path: Path | str, key: str) -> Any:
    """Return mapping[name], checked to be of `kind`."""
    where = f"{key}.{name}" if key else name
    if not isinstance(mapping, dict):
        raise DataError(str(path), key or "(top level)", f"expected a mapping, got {type(mapping).__name__}")
    if name not in mapping:
        raise DataError(str(path), where, "missing")
    value = mapping[name]
    if not isinstance(value, kind):
        raise DataError(str(path), where, f"expected {kind.__name__}, got {type(value).__name__}: {value!r:.60}")
    return value
