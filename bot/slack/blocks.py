"""Block Kit for what the engine says: replies, topic lists, screening runs and the Home tab.

Everything is built with slack_sdk.models, whose to_dict() enforces Slack's limits; texts are cut
cleanly before they reach a limit, so a long answer never turns into an API error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.engine import Engine
from bot.knowledge import Citation
from bot.reply import Reply, Suggestion, escape_mrkdwn
from bot.screening import ScreeningRun

# Slack's limits (https://docs.slack.dev/reference/block-kit/blocks), kept well inside where it is cheap.
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTIONS = 25
MAX_QUOTE = 280  # a citation stays readable under the answer
MAX_FALLBACK = 3000  # the notification text
ELLIPSIS = "…"

# action_ids the listeners match on (bot/slack/listeners/actions.py).
FOLLOWUP = "followup"  # follow-ups, clarify choices and topics: followup_0, followup_1, ...
SHARE = "share"
FEEDBACK_YES = "feedback_yes"
FEEDBACK_NO = "feedback_no"
SCREEN_OPEN = "screen_open"


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, ending with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space >= limit * 0.8:
        cut = cut[:space]
    # Never leave half an escape (&am…) or half a mention (<@U12…) behind.
    for opener, closer in (("&", ";"), ("<", ">")):
        start = cut.rfind(opener)
        if start != -1 and closer not in cut[start:]:
            cut = cut[:start]
    return cut.rstrip(" ,;:.-") + ELLIPSIS


def pack(data: dict) -> str:
    """A button value: compact JSON, never over Slack's 2,000 characters."""
    value = json.dumps(
        {k: v for k, v in data.items() if v is not None}, ensure_ascii=False, separators=(",", ":")
    )
    if len(value) > MAX_BUTTON_VALUE:
        raise ValueError(f"button value of {len(value)} characters; at most {MAX_BUTTON_VALUE}")
    return value


def unpack(value: str | None) -> dict:
    """A button value or private_metadata back as a dict; {} when it is not ours."""
    try:
        data = json.loads(value or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def button(text: str, action_id: str, value: dict, style: str | None = None) -> ButtonElement:
    return ButtonElement(
        text=clip(text, MAX_BUTTON_TEXT), action_id=action_id, value=pack(value), style=style
    )


def action_rows(buttons: Sequence[ButtonElement], block_id: str) -> list[ActionsBlock]:
    """Buttons in as many actions blocks as Slack's 25-per-block limit needs."""
    return [
        ActionsBlock(
            block_id=f"{block_id}_{n}" if n else block_id, elements=list(buttons[i : i + MAX_ACTIONS])
        )
        for n, i in enumerate(range(0, len(buttons), MAX_ACTIONS))
    ]


def mrkdwn(text: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(block_id=block_id, text=MarkdownTextObject(text=clip(text, MAX_SECTION)))


def context(text: str, block_id: str | None = None) -> ContextBlock:
    return ContextBlock(block_id=block_id, elements=[MarkdownTextObject(text=clip(text, MAX_SECTION))])


def to_dicts(blocks: Iterable[Block], limit: int = MAX_MESSAGE_BLOCKS) -> list[dict]:
    """Validated dicts, at most `limit` blocks (the last ones, buttons, are the ones to drop)."""
    return [b.to_dict() for b in list(blocks)[:limit]]


def notification(text: str) -> str:
    """The plain `text` Slack shows in notifications and to screen readers."""
    return clip(text, MAX_FALLBACK)


# --- replies -------------------------------------------------------------------------------------


def citation_text(engine: Engine, lang: str, citation: Citation) -> str:
    quote = clip(escape_mrkdwn(citation.quote), MAX_QUOTE)
    title = escape_mrkdwn(citation.title)
    if citation.section == "intro":  # the unheaded opening of a document has no section name to show
        return engine.ui(lang, "citation_intro", title=title, quote=quote)
    return engine.ui(lang, "citation", title=title, section=escape_mrkdwn(citation.section), quote=quote)


def suggestion_buttons(suggestions: Sequence[Suggestion], lang: str) -> list[ButtonElement]:
    return [
        button(s.label, f"{FOLLOWUP}_{n}", {"intent": s.intent, "lang": lang})
        for n, s in enumerate(suggestions)
    ]


def reply_blocks(
    engine: Engine,
    reply: Reply,
    *,
    partner: str | None = None,
    share: bool = False,
    shared_by: str | None = None,
) -> list[dict]:
    """A reply as a message: answer, note, sources, screening prompt, follow-ups, feedback."""
    lang = reply.language
    blocks: list[Block] = [mrkdwn(reply.text, "answer")]
    if reply.note:
        blocks.append(context(reply.note, "note"))
    blocks += [context(citation_text(engine, lang, c), f"source_{n}") for n, c in enumerate(reply.citations)]
    if reply.screening:
        blocks.append(
            SectionBlock(
                block_id="screening",
                text=MarkdownTextObject(text=clip(reply.screening.text, MAX_SECTION)),
                accessory=button(
                    engine.ui(lang, "screen_button"),
                    SCREEN_OPEN,
                    {"partner": reply.screening.partner or partner, "lang": lang},
                ),
            )
        )
    if shared_by:
        blocks.append(context(engine.ui(lang, "shared_by", user=shared_by), "shared_by"))
    blocks += action_rows(suggestion_buttons(reply.suggestions, lang), "followups")
    if reply.kind == "answer" and reply.intent:
        value = {"intent": reply.intent, "lang": lang}
        row = [
            button(engine.ui(lang, "helpful_button"), FEEDBACK_YES, value),
            button(engine.ui(lang, "not_helpful_button"), FEEDBACK_NO, value),
        ]
        if share:
            row.insert(
                0,
                button(
                    engine.ui(lang, "share_button"),
                    SHARE,
                    {**value, "partner": reply.screening.partner if reply.screening else partner},
                    style="primary",
                ),
            )
        blocks += action_rows(row, "feedback")
    return to_dicts(blocks)


def topics_blocks(engine: Engine, lang: str) -> list[dict]:
    """Every topic as a button under a short introduction (/interpol help)."""
    blocks: list[Block] = [mrkdwn(engine.ui(lang, "topics_intro"), "topics_intro")]
    blocks += action_rows(suggestion_buttons(engine.topics(lang), lang), "topics")
    return to_dicts(blocks)


# --- screening runs ------------------------------------------------------------------------------


def run_line(engine: Engine, lang: str, run: ScreeningRun) -> str:
    outcome = engine.screening_outcome(run)
    total = len(engine.checklist.criteria)
    date = run.created_at.strftime("%Y-%m-%d") if run.created_at else ""
    return engine.ui(
        lang,
        "run_line",
        id=str(run.id),
        date=date,
        partner=escape_mrkdwn(run.partner_name),
        met=str(total - len(outcome.gaps)),
        total=str(total),
    )


def runs_text(engine: Engine, lang: str, runs: Sequence[ScreeningRun], header: str = "runs_header") -> str:
    lines = [run_line(engine, lang, r) for r in runs] or [engine.ui(lang, "runs_empty")]
    return "\n".join([engine.ui(lang, header), *lines])


def run_blocks(engine: Engine, lang: str, run: ScreeningRun, *, saved: bool = False) -> list[dict]:
    """One run: its summary, type and contributions, notes, and the outcome with quotes."""
    checklist = engine.checklist
    types = {o.id: o.label[lang] for o in checklist.partner_types}
    forms = {o.id: o.label[lang] for o in checklist.contribution_forms}
    details = engine.ui(
        lang,
        "run_details",
        type=types.get(run.partner_type, run.partner_type),
        contributions=", ".join(forms.get(c, c) for c in run.contributions),
    )
    blocks: list[Block] = [mrkdwn(engine.screening_outcome(run).text, "outcome")]
    blocks.append(context(f"{run_line(engine, lang, run)}\n{details}", "run"))
    if run.notes:
        blocks.append(context(engine.ui(lang, "run_notes", notes=escape_mrkdwn(run.notes)), "notes"))
    if saved:
        blocks.append(context(engine.ui(lang, "run_saved", id=str(run.id)), "saved"))
    return to_dicts(blocks)


# --- App Home ------------------------------------------------------------------------------------


def home_view(engine: Engine, lang: str, runs: Sequence[ScreeningRun]) -> dict:
    """The Home tab: how to ask, every topic as a button, the user's recent runs."""
    blocks: list[Block] = [
        HeaderBlock(block_id="title", text=clip(engine.ui(lang, "home_title"), MAX_HEADER)),
        mrkdwn(engine.ui(lang, "home_how"), "how"),
        DividerBlock(),
        mrkdwn(engine.ui(lang, "home_topics"), "topics_title"),
        *action_rows(suggestion_buttons(engine.topics(lang), lang), "topics"),
        DividerBlock(),
        SectionBlock(
            block_id="runs",
            text=MarkdownTextObject(text=clip(runs_text(engine, lang, runs, "home_runs"), MAX_SECTION)),
            accessory=button(engine.ui(lang, "screen_button"), SCREEN_OPEN, {"lang": lang}),
        ),
    ]
    return View(type="home", blocks=to_dicts(blocks, MAX_VIEW_BLOCKS)).to_dict()
