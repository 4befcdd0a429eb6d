"""LanguageTool through the real language-tool-python client, against tests/ltserver.py."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import jsonschema
import language_tool_python as ltp
import pytest
from ltserver import FakeLanguageTool

from mtfix.check import CheckerFailed, LTOptions, NullChecker, load_checker, select
from mtfix.check.deadline import within
from mtfix.check.fallback import FallbackChecker
from mtfix.check.languagetool import LanguageToolChecker, connect
from mtfix.cli import main
from mtfix.errors import ConfigError
from mtfix.output.report import schema
from mtfix.pipeline import Options, Pipeline
from mtfix.read import read_bytes

SEED = str(Path(__file__).resolve().parent.parent / "samples" / "lavrov-de-mistura.mt.txt")
TEXT = "He go to a office of the the Minister of foreign Affairs, de Mistura."


@pytest.fixture
def server():
    with FakeLanguageTool() as fake:
        yield fake


def test_the_real_client_checks_and_corrects(server: FakeLanguageTool) -> None:
    client = ltp.LanguageTool("en-US", remote_server=server.url)
    rules = [(m.rule_id, m.category, m.offset, m.error_length) for m in client.check(TEXT)]
    assert rules == [
        ("HE_VERB_AGR", "GRAMMAR", 3, 2),
        ("EN_A_VS_AN", "MISC", 9, 1),
        ("ENGLISH_WORD_REPEAT_RULE", "MISC", 21, 7),
        ("EN_SPECIFIC_CASE", "CASING", 41, 15),
        ("MORFOLOGIK_RULE_EN_US", "TYPOS", 61, 7),
    ]
    assert client.correct(TEXT) == (
        "He goes to an office of the Minister of Foreign Affairs, de Mixture."
    )
    client.disabled_rules = {"EN_A_VS_AN"}
    client.enabled_rules = {"HE_VERB_AGR"}
    assert "EN_A_VS_AN" not in {m.rule_id for m in client.check(TEXT)}
    path, form = server.requests[-1]
    assert path == "/v2/check"
    assert (form["language"], form["text"]) == ("en-US", TEXT)
    assert (form["disabledRules"], form["enabledRules"]) == ("EN_A_VS_AN", "HE_VERB_AGR")


def test_matches_become_ours_with_source_languagetool(server: FakeLanguageTool) -> None:
    checker, notice = load_checker("languagetool", server.url.rstrip("/"))  # slash added
    assert notice == f"grammar checker: LanguageTool (server {server.url})"
    assert isinstance(checker, FallbackChecker) and checker.name == "languagetool"
    (case,) = [m for m in checker.check(TEXT) if m.category == "CASING"]
    assert (case.rule_id, case.replacements, case.source) == (
        "EN_SPECIFIC_CASE", ("Foreign Affairs",), "languagetool",
    )  # fmt: skip
    assert TEXT[case.offset : case.offset + case.length] == "foreign Affairs"
    assert server.counts["/v2/languages"] == 1


@pytest.mark.parametrize(("status", "reason"), [(500, "fake failure 500"), (426, "rate limit")])
def test_error_answers_fall_back_with_a_notice(server, status: int, reason: str) -> None:
    checker, _ = load_checker("languagetool", server.url)
    assert checker.check(TEXT)
    server.fail_with = status
    with pytest.raises(CheckerFailed, match=reason):
        checker.primary.check(TEXT)
    checker.where = "article 2 (input)"
    assert {m.source for m in checker.check(TEXT)} == {"harper"}
    assert checker.name == "offline"
    (notice,) = checker.notices
    assert notice.startswith("LanguageTool failed at article 2 (input) (server ")
    assert reason in notice and notice.endswith("offline checker from then on")


def test_a_server_that_disappears_mid_run(server: FakeLanguageTool) -> None:
    server.die_after = 1
    options = Options(checker="languagetool", lt_server=server.url, fluency=False, rewrite=False)
    pipeline = Pipeline(options)
    texts = [
        f"Lavrov meets de Mistura\n\nHe go to a office in Moscow, day {i}.\n" for i in (1, 2, 3)
    ]
    reports = pipeline.fix_many([read_bytes(t.encode()) for t in texts])
    assert [r.output for r in reports] == texts
    notice = "LanguageTool failed at article 2 (input) (server "
    assert all(any(n.startswith(notice) for n in r.notices) for r in reports)
    for report in reports:  # both sides counted by the checker that finished the run
        assert report.grammar.checker == "offline"
        assert {m.source for m in report.grammar.before + report.grammar.after} == {"harper"}
    assert server.counts["/v2/check"] == 1


def test_auto_skips_a_dead_or_silent_server_within_the_bound(no_languagetool) -> None:
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        for url, reason in [
            ("http://127.0.0.1:9/", "cannot connect"),
            (f"http://127.0.0.1:{silent.getsockname()[1]}/", "no answer within 0.5 s"),
        ]:
            start = time.monotonic()
            checker, notice = load_checker("auto", lt=LTOptions(server=url, timeout=0.5))
            assert time.monotonic() - start < 2.5
            assert checker.name == "offline"
            head = "grammar checker: offline (Harper); LanguageTool skipped: "
            assert notice.startswith(f"{head}server {url}: {reason}; no local LanguageTool in ")


def test_auto_with_nothing_decides_at_once(no_languagetool, monkeypatch) -> None:
    monkeypatch.setattr(select, "_offline", NullChecker)  # time the choice, not Harper's load
    start = time.monotonic()
    checker, notice = load_checker("auto")
    elapsed = time.monotonic() - start
    assert isinstance(checker, NullChecker) and "\n" not in notice
    assert elapsed < 0.5, elapsed
    assert notice.startswith("grammar checker: offline (Harper); LanguageTool skipped: ")
    for why in ("no server configured", f"no local LanguageTool in {no_languagetool}",
                "public API not asked for (--lt-public)"):  # fmt: skip
        assert why in notice


def test_within_bounds_a_hanging_call() -> None:
    start = time.monotonic()
    with pytest.raises(ConfigError, match=r"sleeper: no answer within 0\.2 s"):
        within(lambda: time.sleep(5), 0.2, "sleeper")
    assert time.monotonic() - start < 1
    with pytest.raises(ConfigError, match="boom: division by zero"):
        within(lambda: 1 / 0, 1, "boom")


def test_connect_reports_an_error_answer(server: FakeLanguageTool) -> None:
    with pytest.raises(ConfigError, match="server x: Not found"):
        connect(server.url + "nothing/", 2, "server x")
    checker = connect(server.url, 2, "server x")
    assert isinstance(checker, LanguageToolChecker) and checker.label == "server x"


def test_cli_languagetool_server_end_to_end(capsys, server, no_languagetool) -> None:
    argv = ["fix", SEED, "--checker", "languagetool", "--lt-server", server.url,
            "--no-fluency", "--no-model", "--json"]  # fmt: skip
    assert main(argv) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    jsonschema.validate(data, schema())
    assert f"mtfix: grammar checker: LanguageTool (server {server.url})" in err.splitlines()
    grammar = data["grammar"]
    assert grammar["checker"] == "languagetool"
    assert grammar["before"]["rules"] == {"EN_SPECIFIC_CASE": 4}
    assert grammar["after"]["count"] == 0
    assert {m["source"] for m in grammar["before"]["matches"]} == {"languagetool"}
    assert any(f["detector"] == "grammar:languagetool" for f in data["findings"])
    chosen = [e for e in data["edits"] if e["accepted"]]
    assert len(chosen) >= 4 and all(e["reason"] == "accepted" and e["checks"]["grammar"]
                                    for e in chosen)  # fmt: skip
    assert "Foreign Ministry" in data["output"] and "foreign " not in data["output"]
    assert "Mixture" not in data["output"]  # spelling on a name: never applied
    rows = [r for r in grammar["sentences"] if r["before"]["count"]]
    assert len(rows) == 4 and all(r["after"] == {"count": 0, "issues": []} for r in rows)
    for r in rows:
        assert data["output"][r["output_start"] : r["output_end"]] in [e["after"] for e in chosen]


def test_cli_auto_falls_back_with_one_notice(capsys, no_languagetool) -> None:
    argv = ["fix", SEED, "--checker", "auto", "--no-fluency", "--no-rewrite"]
    assert main(argv) == 0
    lines = capsys.readouterr().err.splitlines()
    checker_lines = [line for line in lines if "grammar checker" in line]
    assert len(checker_lines) == 1
    assert checker_lines[0].startswith("mtfix: grammar checker: offline (Harper); LanguageTool")


def test_cli_languagetool_with_nothing_is_one_line_and_exit_2(capsys, no_languagetool) -> None:
    assert main(["detect", SEED, "--checker", "languagetool", "--no-fluency"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("mtfix: error: --checker languagetool: no LanguageTool available: ")
