"""Command line: run the bot, chat in the terminal, ask, match, evaluate and validate the knowledge."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import BotError, DataErrors

if TYPE_CHECKING:
    from bot.engine import Engine

LOCAL_BANNER = (
    "Interpol bot, terminal chat (no Slack credentials set). Ask in English or Spanish; 'quit' to leave.\n"
    "To go live on Slack set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode); "
    "see README 'Configuration'."
)


def cmd_run(args: argparse.Namespace) -> int:
    """Start the Slack app if credentials are set, else the terminal chat."""
    from bot.config import Settings

    settings = Settings.from_env()
    if any((settings.bot_token, settings.signing_secret, settings.app_token)):
        settings.require_slack()  # some Slack settings but not a usable set: say which, don't chat silently
    if settings.mode == "local":
        from bot.chat import chat
        from bot.engine import Engine

        return chat(Engine.load(default_language=settings.default_language), banner=LOCAL_BANNER)
    from bot import serve

    return serve.run(settings)


def _engine() -> Engine:
    """The engine with DEFAULT_LANGUAGE applied, as `run` has it (`eval` keeps the configured default)."""
    from bot.config import default_language
    from bot.engine import Engine

    return Engine.load(default_language=default_language())


def cmd_chat(args: argparse.Namespace) -> int:
    """Chat with the engine in the terminal, whatever the environment says."""
    from bot.chat import chat

    return chat(_engine(), banner=LOCAL_BANNER)


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer one question and exit."""
    from bot.chat import render

    engine = _engine()
    reply = engine.reply(args.question, locale=args.locale)
    if args.json:
        print(json.dumps(reply.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render(reply, engine))
    return 0


def cmd_match(args: argparse.Namespace) -> int:
    """Read one message per stdin line; write one JSON object per line."""
    engine = _engine()
    for line in sys.stdin:
        text = line.rstrip("\n")
        reply = engine.reply(text, locale=args.locale)
        intent = reply.intent if reply.kind in ("answer", "smalltalk") else None
        row = {"text": text, "kind": reply.kind, "intent": intent, "lang": reply.language,
               "score": reply.score, "candidates": [[i, s] for i, s in reply.candidates[:5]]}
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Evaluate intent matching on held-out data; exit 1 below the targets."""
    from bot import evaluation
    from bot.engine import Engine

    engine = Engine.load()
    paths = [Path(f) for f in args.files] or evaluation.split_files(args.split)
    results = evaluation.run(engine, evaluation.load_cases(paths))
    rep = evaluation.report(results, engine.knowledge.matching["targets"])
    if args.json:
        print(json.dumps(rep.__dict__, indent=2))
    else:
        print(evaluation.format_report(rep))
    if args.errors:
        for r in results:
            if r.predicted != r.case.intent:
                print(f"  [{r.case.group}/{r.case.lang}] {r.case.text!r}: want {r.case.intent}, got {r.kind} "
                      f"{r.predicted or ''} (top {r.top})")
    return 1 if rep.failures else 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Check intents, answers, sources, languages and the checklist; exit 1 with every problem listed."""
    from bot.knowledge import load_knowledge

    k = load_knowledge()
    examples = sum(len(v) for i in k.intents.values() for v in i.examples.values())
    quotes = sum(len(i.sources) for i in k.intents.values()) + len(k.checklist.criteria) + 2
    understood = f" + {len(k.understood)} understood ({', '.join(k.understood)})" if k.understood else ""
    print(f"OK: {len(k.intents)} intents, {examples} examples, {len(k.languages)} languages "
          f"({', '.join(k.languages)}){understood}, {quotes} quotes checked against {len(k.documents)} documents")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    commands = {"run": cmd_run, "chat": cmd_chat, "ask": cmd_ask, "match": cmd_match,
                "eval": cmd_eval, "validate": cmd_validate}
    parsers = {name: sub.add_parser(name, help=fn.__doc__, description=fn.__doc__) for name, fn in commands.items()}
    for name, fn in commands.items():
        parsers[name].set_defaults(func=fn)
    parsers["ask"].add_argument("question")
    for name in ("ask", "match"):
        parsers[name].add_argument("--locale", help="the asker's locale, e.g. es-ES, used for short messages")
    parsers["ask"].add_argument("--json", action="store_true", help="print the Reply as JSON")
    parsers["eval"].add_argument("files", nargs="*", help="evaluation YAML files (default: the test split)")
    parsers["eval"].add_argument("--split", default="test", choices=["test", "dev"])
    parsers["eval"].add_argument("--json", action="store_true")
    parsers["eval"].add_argument("--errors", action="store_true", help="list every misclassified case")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func = getattr(args, "func", cmd_run)
    try:
        return func(args)
    except DataErrors as exc:
        for error in exc.errors:
            print(f"error: {error}", file=sys.stderr)
        print(f"{len(exc.errors)} problem(s) found", file=sys.stderr)
        return 1
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
