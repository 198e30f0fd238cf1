"""The partnership-screening model: a run's answers in, the gaps to address out. Never an approval."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.knowledge import Checklist, Criterion, Language
from bot.reply import escape_mrkdwn


class Verdict(StrEnum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


@dataclass(frozen=True)
class ScreeningRun:
    """One filled-in checklist, as stored."""

    partner_name: str
    partner_type: str
    contributions: tuple[str, ...]
    answers: dict[str, Verdict]  # criterion ID -> verdict
    notes: str = ""
    user_id: str = ""
    team_id: str = ""
    language: str = "en"
    id: int | None = None
    created_at: datetime | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Gap:
    criterion: Criterion
    verdict: Verdict


@dataclass(frozen=True)
class Outcome:
    meets_all: bool
    gaps: tuple[Gap, ...]
    text: str  # mrkdwn in the run's language


def gaps(checklist: Checklist, answers: dict[str, Verdict]) -> tuple[Gap, ...]:
    """Every criterion not answered yes; a missing answer counts as unsure."""
    return tuple(
        Gap(c, answers.get(c.id, Verdict.UNSURE)) for c in checklist.criteria
        if answers.get(c.id, Verdict.UNSURE) is not Verdict.YES
    )


def outcome(checklist: Checklist, run: ScreeningRun, language: Language) -> Outcome:
    """Word the result as gaps to address, each with its source quote."""
    ui = language.ui
    found = gaps(checklist, run.answers)
    partner = escape_mrkdwn(run.partner_name)
    if not found:
        return Outcome(True, (), ui["outcome_meets"].format(partner=partner))
    lines = [ui["outcome_gaps"].format(partner=partner, count=len(found))]
    for gap in found:
        status = ui["outcome_no"] if gap.verdict is Verdict.NO else ui["outcome_unsure"]
        lines.append(f"• {gap.criterion.question[language.code]} _({status})_\n   > {gap.criterion.source.quote}")
    lines.append(ui["outcome_next"])
    return Outcome(False, found, "\n".join(lines))
