"""The command line, run as a user would: `python -m bot ...` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot import cli
from bot.knowledge import ROOT, load_knowledge

COMMANDS = ("run", "chat", "ask", "match", "eval", "validate")


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    """The current environment without any Slack credentials, so `run` stays local."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    clean["PYTHONIOENCODING"] = "utf-8"
    return clean


def bot(
    env: dict[str, str], *args: str, stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, env=env, timeout=timeout)


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


def test_ask_json(env: dict[str, str], knowledge) -> None:
    result = bot(env, "ask", "where is interpol hq", "--json")
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert (reply["kind"], reply["intent"], reply["language"]) == ("answer", "interpol.headquarters", "en")
    assert reply["text"] == knowledge.intents["interpol.headquarters"].answer["en"]
    assert reply["citations"]
    doc = knowledge.documents["000"]
    for c in reply["citations"]:
        assert set(c) == {"document", "title", "section", "quote"}
        assert c["document"] == "000" and c["quote"] in doc.section_text(c["section"])
    assert all(set(s) == {"intent", "label"} for s in reply["suggestions"])


def test_ask_plain_text_with_locale(env: dict[str, str], knowledge) -> None:
    result = bot(env, "ask", "ncb?", "--locale", "es-ES")
    assert result.returncode == 0, result.stderr
    assert knowledge.intents["interpol.ncb"].answer["es"] in result.stdout
    assert "Fuente:" in result.stdout and "Relacionado:" in result.stdout


def test_match_writes_one_json_line_per_input_line(env: dict[str, str]) -> None:
    lines = ["where is interpol hq", "¿Cómo se financia Interpol?", "how do i reset my vpn password"]
    result = bot(env, "match", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3
    for row, text in zip(rows, lines, strict=True):
        assert set(row) == {"text", "kind", "intent", "lang", "score", "candidates"}
        assert row["text"] == text
        assert isinstance(row["score"], float)
        assert all(isinstance(i, str) and isinstance(s, float) for i, s in row["candidates"])
        assert len(row["candidates"]) <= 5
    assert (rows[0]["kind"], rows[0]["intent"], rows[0]["lang"]) == ("answer", "interpol.headquarters", "en")
    assert (rows[1]["kind"], rows[1]["intent"], rows[1]["lang"]) == ("answer", "interpol.funding", "es")
    assert rows[2]["kind"] == "fallback" and rows[2]["intent"] is None and rows[2]["lang"] == "en"
    assert rows[0]["candidates"][0][0] == "interpol.headquarters"


def test_validate(env: dict[str, str]) -> None:
    result = bot(env, "validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"OK: {len(load_knowledge().intents)} intents")
    assert "2 languages (en, es)" in result.stdout and "2 documents" in result.stdout


def test_eval_exit_code_matches_its_report(env: dict[str, str]) -> None:
    result = bot(env, "eval", timeout=300)
    lines = result.stdout.splitlines()
    verdicts = [line for line in lines if line.startswith(("OK: all targets met", "FAIL"))]
    assert len(verdicts) == 1, f"no verdict printed (exit {result.returncode}): {result.stderr[-2000:]}"
    assert result.returncode == (0 if verdicts[0].startswith("OK") else 1)
    assert "accuracy en:" in result.stdout and "accuracy es:" in result.stdout


def test_eval_on_a_missing_file_is_a_clear_error(env: dict[str, str], tmp_path) -> None:
    result = bot(env, "eval", str(tmp_path / "nope.yml"))
    assert result.returncode == 1
    assert result.stderr.startswith("error:") and "nope.yml" in result.stderr and "not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_chat_answers_and_follows_up(env: dict[str, str], knowledge) -> None:
    result = bot(env, "chat", stdin="where is interpol hq\n1\nquit\n")
    assert result.returncode == 0, result.stderr
    hq = knowledge.intents["interpol.headquarters"]
    follow_up = knowledge.intents[hq.related[0]]
    out = result.stdout
    assert hq.answer["en"] in out
    assert f"1. {follow_up.label['en']}" in out  # the related topics are numbered...
    assert follow_up.answer["en"] in out  # ...and "1" picks the first
    assert out.index(hq.answer["en"]) < out.index(follow_up.answer["en"])
    assert "Source:" in out


def test_chat_stops_at_end_of_input(env: dict[str, str]) -> None:
    result = bot(env, "chat", stdin="hello\n")
    assert result.returncode == 0 and "Hi!" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(env: dict[str, str], command: str) -> None:
    result = bot(env, command, "--help")
    assert result.returncode == 0, result.stderr
    doc = getattr(cli, f"cmd_{command}").__doc__
    assert doc and doc.strip()
    first_words = " ".join(doc.split()[:4])
    assert first_words in " ".join(result.stdout.split())
    assert f"usage: python -m bot {command}" in result.stdout


def test_top_level_help_lists_every_command(env: dict[str, str]) -> None:
    result = bot(env, "--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout


def test_unknown_command_fails(env: dict[str, str]) -> None:
    result = bot(env, "fly")
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_no_slack_env_runs_the_terminal_chat(env: dict[str, str], knowledge) -> None:
    result = bot(env, stdin="hola\n")
    assert result.returncode == 0, result.stderr
    assert knowledge.intents["bot.greeting"].answer["es"] in result.stdout
    assert "SLACK_BOT_TOKEN" in result.stdout  # how to go live
    assert "terminal chat" in result.stdout


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": "s3cret"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxp-wrong-kind", "SLACK_SIGNING_SECRET": "s3cret"}, "SLACK_BOT_TOKEN"),
        ({"PORT": "eighty"}, "PORT"),
    ],
)
def test_incomplete_or_bad_slack_config_fails_at_start_with_one_line(env: dict[str, str], extra, named) -> None:
    result = bot({**env, **extra}, stdin="hola\n")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and named in lines[0]
    assert "s3cret" not in result.stderr and "xoxp-wrong-kind" not in result.stderr
    assert result.stdout == ""  # no chat started


def test_validate_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate"]) == 0
    assert capsys.readouterr().out.startswith("OK:")


@pytest.mark.parametrize("command", ["chat", "ask", "match"])
def test_default_language_applies_to_every_local_command(env: dict[str, str], knowledge, command: str) -> None:
    """Punctuation carries no language: DEFAULT_LANGUAGE decides, as it does for `run`."""
    spanish = {**env, "DEFAULT_LANGUAGE": "es"}
    args = ("ask", "???") if command == "ask" else (command,)
    result = bot(spanish, *args, stdin="???\n")
    assert result.returncode == 0, result.stderr
    assert knowledge.languages["es"].ui["fallback_empty"] in result.stdout or '"lang": "es"' in result.stdout
