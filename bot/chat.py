"""The terminal chat: the same engine as Slack, rendered as plain text."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.engine import Engine
from bot.reply import Reply


def render(reply: Reply, engine: Engine) -> str:
    """A reply as a terminal reader would want it: answer, sources, follow-ups, screening prompt."""
    lines = [reply.text]
    if reply.note:
        lines.append(f"({reply.note})")
    if reply.kind in ("clarify", "fallback"):
        lines += [f"  {n}. {s.label}" for n, s in enumerate(reply.suggestions, 1)]
    for c in reply.citations:
        lines.append(f"  {engine.ui(reply.language, 'source')}: {c.title}, {c.section}: “{c.quote}”")
    if reply.screening:
        lines += ["", reply.screening.text]
    if reply.kind in ("answer", "smalltalk") and reply.suggestions:
        labels = "; ".join(f"{n}. {s.label}" for n, s in enumerate(reply.suggestions, 1))
        lines.append(f"  {engine.ui(reply.language, 'related')}: {labels}")
    return "\n".join(lines)


def chat(engine: Engine, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, banner: str = "") -> int:
    """Read questions until EOF or 'quit'; a number picks one of the last reply's listed choices."""
    if banner:
        print(banner, file=stdout)
    last: Reply | None = None
    while True:
        if stdin.isatty():
            print("> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or line.strip().lower() in {"quit", "exit", "salir"}:
            return 0
        text = line.strip()
        if last and text.isdigit() and 0 < int(text) <= len(last.suggestions):
            reply = engine.answer(last.suggestions[int(text) - 1].intent, last.language)
        else:
            reply = engine.reply(text)
        print(render(reply, engine), file=stdout, flush=True)
        last = reply
