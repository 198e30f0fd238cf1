"""The partnership-screening modal: built from the checklist, and its submission read back."""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.engine import Engine
from bot.screening import Verdict
from bot.slack.blocks import MAX_VIEW_BLOCKS, citation_text, context, pack, to_dicts, unpack

CALLBACK_ID = "screen_partner_modal"
VALUE = "value"  # the action_id of every input element
PARTNER_NAME = "partner_name"
PARTNER_TYPE = "partner_type"
CONTRIBUTIONS = "contributions"
NOTES = "notes"
CRITERION = "criterion_"  # + criterion ID
MAX_NAME = 100
MAX_NOTES = 2000
_VERDICT_LABELS = {Verdict.YES: "answer_yes", Verdict.NO: "answer_no", Verdict.UNSURE: "answer_unsure"}


def _plain(text: str) -> PlainTextObject:
    return PlainTextObject(text=text, emoji=False)


def screening_modal(
    engine: Engine, lang: str, partner: str | None = None, channel: str | None = None
) -> dict:
    """The checklist as a modal in `lang`, the partner's name prefilled; every question shows its source."""
    checklist = engine.checklist
    ui = engine.ui

    def options(items) -> list[Option]:
        return [Option(value=o.id, text=_plain(o.label[lang])) for o in items]

    blocks: list[Block] = [
        context(ui(lang, "modal_intro"), "intro"),
        InputBlock(
            block_id=PARTNER_NAME,
            label=_plain(ui(lang, "field_partner_name")),
            element=PlainTextInputElement(
                action_id=VALUE, initial_value=(partner or "")[:MAX_NAME] or None, max_length=MAX_NAME
            ),
        ),
        InputBlock(
            block_id=PARTNER_TYPE,
            label=_plain(ui(lang, "field_partner_type")),
            element=StaticSelectElement(
                action_id=VALUE,
                placeholder=_plain(ui(lang, "field_choose")),
                options=options(checklist.partner_types),
            ),
        ),
        context(citation_text(engine, lang, checklist.partner_type_source), "partner_type_source"),
        InputBlock(
            block_id=CONTRIBUTIONS,
            label=_plain(ui(lang, "field_contributions")),
            element=StaticMultiSelectElement(
                action_id=VALUE,
                placeholder=_plain(ui(lang, "field_choose")),
                options=options(checklist.contribution_forms),
            ),
        ),
        context(citation_text(engine, lang, checklist.contribution_source), "contributions_source"),
    ]
    verdicts = [Option(value=v.value, text=_plain(ui(lang, key))) for v, key in _VERDICT_LABELS.items()]
    for criterion in checklist.criteria:
        blocks.append(
            InputBlock(
                block_id=CRITERION + criterion.id,
                label=_plain(criterion.question[lang]),
                element=RadioButtonsElement(action_id=VALUE, options=verdicts),
            )
        )
        blocks.append(context(citation_text(engine, lang, criterion.source), f"source_{criterion.id}"))
    blocks.append(
        InputBlock(
            block_id=NOTES,
            optional=True,
            label=_plain(ui(lang, "field_notes")),
            hint=_plain(ui(lang, "field_notes_hint")),
            element=PlainTextInputElement(action_id=VALUE, multiline=True, max_length=MAX_NOTES),
        )
    )
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=_plain(ui(lang, "modal_title")),
        submit=_plain(ui(lang, "modal_submit")),
        close=_plain(ui(lang, "modal_close")),
        private_metadata=pack({"lang": lang, "channel": channel}),
        blocks=to_dicts(blocks, MAX_VIEW_BLOCKS),
    ).to_dict()


@dataclass(frozen=True)
class Submission:
    """What the user filled in, and the fields to fix (block ID -> message) when it is incomplete."""

    language: str
    channel: str | None
    partner_name: str = ""
    partner_type: str = ""
    contributions: tuple[str, ...] = ()
    answers: dict[str, Verdict] = field(default_factory=dict)
    notes: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def read_submission(engine: Engine, view: dict) -> Submission:
    """Parse a view_submission's state; check it against the checklist, not just Slack's required flags."""
    meta = unpack(view.get("private_metadata"))
    lang = engine.language(meta.get("lang"))
    values = (view.get("state") or {}).get("values") or {}

    def element(block_id: str) -> dict:
        return (values.get(block_id) or {}).get(VALUE) or {}

    def selected(block_id: str, allowed: set[str]) -> str:
        option = element(block_id).get("selected_option") or {}
        return option.get("value") if option.get("value") in allowed else ""

    checklist = engine.checklist
    name = " ".join((element(PARTNER_NAME).get("value") or "").split())[:MAX_NAME]
    partner_type = selected(PARTNER_TYPE, {o.id for o in checklist.partner_types})
    forms = {o.id for o in checklist.contribution_forms}
    chosen = [o.get("value") for o in element(CONTRIBUTIONS).get("selected_options") or []]
    contributions = tuple(c for c in chosen if c in forms)
    answers = {}
    for criterion in checklist.criteria:
        verdict = selected(CRITERION + criterion.id, {v.value for v in Verdict})
        if verdict:
            answers[criterion.id] = Verdict(verdict)
    errors = {}
    if not name:
        errors[PARTNER_NAME] = engine.ui(lang, "error_partner_name")
    if not partner_type:
        errors[PARTNER_TYPE] = engine.ui(lang, "error_partner_type")
    if not contributions:
        errors[CONTRIBUTIONS] = engine.ui(lang, "error_contributions")
    for criterion in checklist.criteria:
        if criterion.id not in answers:
            errors[CRITERION + criterion.id] = engine.ui(lang, "error_answer")
    notes = (element(NOTES).get("value") or "").strip()[:MAX_NOTES]
    return Submission(
        language=lang,
        channel=meta.get("channel"),
        partner_name=name,
        partner_type=partner_type,
        contributions=contributions,
        answers=answers,
        notes=notes,
        errors=errors,
    )
