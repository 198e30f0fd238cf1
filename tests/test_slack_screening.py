"""/screen-partner end to end: the modal, its validation, the stored run, the DM, list/show/export."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fake_slack import CHANNEL, find_button, harness, mention, submission

from bot.screening import ScreeningRun, Verdict

CRITERIA = ("shared_values", "compatible_activities", "compatible_objectives")


@pytest.fixture
def slack(tmp_path):
    with harness(tmp_path) as h:
        yield h


def open_modal(slack, text: str = "Acme", user: str = "U_EN") -> dict:
    slack.command("/screen-partner", text, user=user)
    (call,) = slack.fake.wait_for("views.open")
    return call.body["view"]


def submit(slack, view: dict, user: str = "U_EN", **fields):
    return slack.interact(submission(view, user=user, **fields))


def block(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def full(**overrides) -> dict:
    fields = {
        "partner_name": "Acme Corp",
        "partner_type": "for_profit",
        "contributions": ["funding", "software"],
        "answers": {"shared_values": "yes", "compatible_activities": "no", "compatible_objectives": "unsure"},
        "notes": "Met them at a conference.",
    }
    return {**fields, **overrides}


def test_screen_partner_opens_the_modal_prefilled(slack):
    slack.command("/screen-partner", "Acme Corp")
    (call,) = slack.fake.wait_for("views.open")
    assert call.body["trigger_id"].startswith("trigger-")
    view = call.body["view"]
    assert view["type"] == "modal" and view["callback_id"] == "screen_partner_modal"
    assert all(len(view[k]["text"]) <= 24 for k in ("title", "submit", "close"))
    assert block(view, "partner_name")["element"]["initial_value"] == "Acme Corp"
    assert [o["value"] for o in block(view, "partner_type")["element"]["options"]] == [
        "for_profit",
        "non_profit",
    ]
    assert block(view, "contributions")["element"]["type"] == "multi_static_select"
    assert "financiación" in block(view, "contributions_source")["elements"][0]["text"]
    for criterion in CRITERIA:
        radio = block(view, f"criterion_{criterion}")
        assert [o["value"] for o in radio["element"]["options"]] == ["yes", "no", "unsure"]
        assert [o["text"]["text"] for o in radio["element"]["options"]] == ["Yes", "No", "Not sure"]
        assert radio["label"]["text"].endswith("?")
        assert "INTERPOL" in block(view, f"source_{criterion}")["elements"][0]["text"]  # the quote
    assert block(view, "notes")["optional"] is True
    assert json.loads(view["private_metadata"]) == {"lang": "en", "channel": CHANNEL}


def test_the_modal_follows_the_users_locale(slack):
    view = open_modal(slack, "", user="U_ES")
    assert view["title"]["text"] == "Evaluar un socio"
    assert "initial_value" not in block(view, "partner_name")["element"]
    assert block(view, "criterion_shared_values")["label"]["text"].startswith("¿Comparte")


def test_missing_fields_come_back_as_errors_on_their_blocks(slack):
    view = open_modal(slack)
    response = submit(slack, view, partner_name="   ", answers={"shared_values": "yes"})
    assert response.status == 200
    body = response.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {
        "partner_name",
        "partner_type",
        "contributions",
        "criterion_compatible_activities",
        "criterion_compatible_objectives",
    }
    assert body["errors"]["partner_name"] == "Enter the partner's name."
    slack.settle()
    assert slack.store.list_runs("U_EN") == [] and slack.fake.calls_to("chat.postMessage") == []


def test_a_submission_is_stored_and_the_gaps_are_sent_by_dm(slack):
    view = open_modal(slack)
    response = submit(slack, view, **full())
    assert response.status == 200 and response.body == b""  # closes the modal
    (dm,) = slack.fake.wait_for("chat.postMessage")
    (run,) = slack.store.list_runs("U_EN")
    assert (run.partner_name, run.partner_type, run.contributions) == (
        "Acme Corp",
        "for_profit",
        ("funding", "software"),
    )
    assert run.answers == {
        "shared_values": Verdict.YES,
        "compatible_activities": Verdict.NO,
        "compatible_objectives": Verdict.UNSURE,
    }
    assert run.notes == "Met them at a conference." and run.team_id == "T_TEAM" and run.language == "en"
    assert dm.body["channel"] == "U_EN"
    text = dm.texts()
    assert "2 of the three criteria need work" in text
    assert "Las actividades del socio sean compatibles" in text  # the gap's source quote
    assert "La contribución esté destinada" in text
    assert "El socio o socio potencial comparta" not in text  # met: not a gap
    assert f"screening run {run.id}" in text
    assert "approved" not in text.lower() and "eligible" not in text.lower()


def test_all_yes_meets_the_criteria_and_points_to_due_diligence(slack):
    view = open_modal(slack)
    submit(slack, view, **full(answers={c: "yes" for c in CRITERIA}))
    (dm,) = slack.fake.wait_for("chat.postMessage")
    text = dm.texts()
    assert "meets the three criteria" in text and "next step" in text and "due-diligence review" in text
    assert "approved" not in text.lower() and "eligible" not in text.lower()


def test_a_spanish_modal_gives_a_spanish_result(slack):
    view = open_modal(slack, "Globex", user="U_ES")
    submit(slack, view, user="U_ES", **full(partner_name="Globex"))
    (dm,) = slack.fake.wait_for("chat.postMessage")
    assert "Aspectos a resolver" in dm.texts()
    assert slack.store.list_runs("U_ES")[0].language == "es"


def test_user_text_in_a_run_is_escaped(slack):
    view = open_modal(slack)
    submit(slack, view, **full(partner_name="<!channel> & <@U_EVIL>", notes="ping <!here>"))
    (dm,) = slack.fake.wait_for("chat.postMessage")
    text = dm.texts()
    assert "&lt;!channel&gt; &amp; &lt;@U_EVIL&gt;" in text and "&lt;!here&gt;" in text
    assert "<!channel>" not in text and "<!here>" not in text and "<@U_EVIL>" not in text
    slack.command("/screen-partner", "list")
    (listing,) = slack.fake.wait_for("response")
    assert "&lt;!channel&gt;" in listing.texts() and "<!channel>" not in listing.texts()


def save_run(slack, user: str, partner: str, verdict: Verdict = Verdict.YES) -> ScreeningRun:
    return slack.store.save_run(
        ScreeningRun(
            partner_name=partner,
            partner_type="non_profit",
            contributions=("staff",),
            answers={c: verdict for c in CRITERIA},
            user_id=user,
            team_id="T_TEAM",
            language="en",
        )
    )


def test_list_shows_the_users_own_recent_runs(slack):
    save_run(slack, "U_EN", "Initech", Verdict.NO)
    save_run(slack, "U_EN", "Globex")
    save_run(slack, "U_OTHER", "Umbrella")
    slack.command("/screen-partner", "list")
    (call,) = slack.fake.wait_for("response")
    text = call.texts()
    assert call.body["response_type"] == "ephemeral"
    assert "Globex* · 3 of 3 criteria met" in text and "Initech* · 0 of 3 criteria met" in text
    assert text.index("Globex") < text.index("Initech")  # newest first
    assert "Umbrella" not in text


def test_list_with_no_runs(slack):
    slack.command("/screen-partner", "list")
    assert "no screening runs yet" in slack.fake.wait_for("response")[0].texts()


def test_show_a_run_and_never_someone_elses(slack):
    mine = save_run(slack, "U_EN", "Globex", Verdict.UNSURE)
    theirs = save_run(slack, "U_OTHER", "Umbrella")
    slack.command("/screen-partner", f"show {mine.id}")
    (shown,) = slack.fake.wait_for("response")
    assert "Globex" in shown.texts() and "3 of the three criteria need work" in shown.texts()
    assert "Staff made available" in shown.texts()
    slack.command("/screen-partner", f"show {theirs.id}")
    other = slack.fake.wait_for("response", 2)[1]
    assert f"couldn't find screening run {theirs.id}" in other.texts() and "Umbrella" not in other.texts()
    slack.command("/screen-partner", "show <!channel>")
    odd = slack.fake.wait_for("response", 3)[2]
    assert "&lt;!channel&gt;" in odd.texts() and "<!channel>" not in odd.texts()
    slack.command("/screen-partner", "show 99999999999999999999999")
    assert "couldn't find" in slack.fake.wait_for("response", 4)[3].texts()


def test_export_uploads_a_csv_to_the_users_dm(slack):
    save_run(slack, "U_EN", "Globex")
    save_run(slack, "U_OTHER", "Umbrella")
    slack.command("/screen-partner", "export")
    (done,) = slack.fake.wait_for("response")
    assert "CSV" in done.texts()
    (opened,) = slack.fake.calls_to("conversations.open")
    assert opened.body["users"] == "U_EN"
    (upload,) = slack.fake.calls_to("upload")
    rows = list(csv.reader(io.StringIO(upload.raw.decode())))
    assert rows[0][:3] == ["id", "created_at", "partner_name"] and [r[2] for r in rows[1:]] == ["Globex"]
    (complete,) = slack.fake.calls_to("files.completeUploadExternal")
    assert complete.body["channel_id"] == "D_U_EN"


def test_export_with_no_runs_uploads_nothing(slack):
    slack.command("/screen-partner", "export")
    assert "no screening runs to export" in slack.fake.wait_for("response")[0].texts()
    assert slack.fake.calls_to("files.getUploadURLExternal") == []


def test_screen_a_partner_button_on_an_answer_opens_the_prefilled_modal(slack):
    slack.event(mention("Zentrix Labs wants to sponsor our cybercrime unit"))
    (answer,) = slack.fake.wait_for("chat.postMessage")
    assert "/screen-partner Zentrix Labs" in answer.texts()
    slack.click(find_button(answer.blocks, "screen_open"))
    (opened,) = slack.fake.wait_for("views.open")
    assert block(opened.body["view"], "partner_name")["element"]["initial_value"] == "Zentrix Labs"


def test_help(slack):
    slack.command("/screen-partner", "help")
    assert "/screen-partner export" in slack.fake.wait_for("response")[0].texts()
