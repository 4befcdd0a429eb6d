"""The local LanguageTool server: found, started once per process, reused, closed, bounded.

``python tests/ltserver.py`` stands in for LanguageTool's Java server; a broken install is
run with the real ``java`` where there is one.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from mtfix.check import LTOptions, load_checker, ltlocal
from mtfix.errors import ConfigError
from mtfix.pipeline import Options, Pipeline
from mtfix.read import read_bytes

FAKE = str(Path(__file__).with_name("ltserver.py"))


def fake_command(directory: Path, port: int) -> list[str]:
    return [sys.executable, FAKE, "--port", str(port)]


@pytest.fixture
def install(no_languagetool: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A LanguageTool-6.8 folder in $LTP_PATH whose server is tests/ltserver.py."""
    directory = _jar(no_languagetool / "LanguageTool-6.8")
    monkeypatch.setattr(ltlocal, "server_command", fake_command)
    ltlocal.STARTS.clear()
    yield directory
    ltlocal.close_all()


def _jar(directory: Path) -> Path:
    """A LanguageTool folder whose jar is not a jar."""
    directory.mkdir()
    (directory / ltlocal.JAR).write_bytes(b"not a jar")
    return directory


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_finds_the_newest_install(tmp_path: Path) -> None:
    for name in ("LanguageTool-5.9", "LanguageTool-6.10", "LanguageTool-6.8", "Other-9.9"):
        (tmp_path / name).mkdir()
        (tmp_path / name / ltlocal.JAR).touch()
    (tmp_path / "LanguageTool-7.0").mkdir()  # no jar
    assert ltlocal.find_install(tmp_path) == tmp_path / "LanguageTool-6.10"
    assert ltlocal.find_install(tmp_path / "LanguageTool-5.9") == tmp_path / "LanguageTool-5.9"
    assert ltlocal.find_install(tmp_path / "missing") is None


def test_auto_starts_one_server_and_every_pipeline_reuses_it(install: Path) -> None:
    checker, notice = load_checker("auto")
    assert notice.startswith(f"grammar checker: LanguageTool (local server from {install} on port")
    assert checker.check("He go home.")[0].rule_id == "HE_VERB_AGR"
    options = Options(checker="languagetool", fluency=False, rewrite=False)
    pipelines = [Pipeline(options), Pipeline(options)]
    articles = [
        read_bytes(f"News {i}\n\nHe go to a office, day {i}.\n".encode()) for i in range(20)
    ]
    reports = pipelines[0].fix_many(articles)
    reports += [pipelines[1].fix(a) for a in articles]
    assert all(r.grammar.checker == "languagetool" for r in reports)
    assert all("EN_A_VS_AN" in {m.rule_id for m in r.grammar.before} for r in reports)
    assert [install] == ltlocal.STARTS  # 40 articles, 3 checkers: one server
    (server,) = ltlocal._SERVERS.values()
    for pipeline in pipelines:
        pipeline.close()
    assert server.alive()  # closing a pipeline leaves the process-wide server
    ltlocal.close_all()
    assert not server.alive() and not ltlocal._SERVERS


def test_a_server_that_never_answers_is_killed_at_the_bound(install, monkeypatch) -> None:
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    monkeypatch.setattr(ltlocal, "server_command", lambda d, p: sleeper)
    procs = []
    monkeypatch.setattr(ltlocal.subprocess, "Popen", _recording(procs))
    start = time.monotonic()
    checker, notice = load_checker("auto", lt=LTOptions(timeout=1))
    assert time.monotonic() - start < 3
    assert checker.name == "offline"
    assert f"local LanguageTool in {install} did not start within 1 s" in notice
    assert procs[0].poll() is not None and not ltlocal._SERVERS


@pytest.mark.skipif(shutil.which("java") is None, reason="no java")
def test_a_broken_install_falls_back_quickly(no_languagetool: Path) -> None:
    directory = _jar(no_languagetool / "LanguageTool-6.8")
    start = time.monotonic()
    checker, notice = load_checker("auto", lt=LTOptions(timeout=10))
    assert time.monotonic() - start < 10
    assert checker.name == "offline"
    assert f"local LanguageTool in {directory} exited with code 1" in notice
    with pytest.raises(ConfigError, match="exited with code 1"):
        load_checker("languagetool", lt=LTOptions(timeout=10))


def test_without_java_the_reason_says_so(no_languagetool, monkeypatch) -> None:
    _jar(no_languagetool / "LanguageTool-6.8")
    monkeypatch.setattr(ltlocal.shutil, "which", lambda name: None)
    _, notice = load_checker("auto")
    assert "Java not found (LanguageTool needs Java 17 or newer)" in notice


def test_downloads_only_when_asked(install, monkeypatch) -> None:
    shutil.rmtree(install)
    asked = []

    def fake_download(lt_path: str | None, timeout: float) -> Path:
        asked.append(timeout)
        raise ConfigError("download of LanguageTool 6.8: cannot connect")

    monkeypatch.setattr(ltlocal, "download", fake_download)
    assert load_checker("auto")[0].name == "offline" and asked == []
    _, notice = load_checker("auto", lt=LTOptions(download=True))
    assert asked and "download of LanguageTool 6.8: cannot connect" in notice


def test_ctrl_c_while_starting_leaves_no_server(install, monkeypatch) -> None:
    started = []

    def interrupted(server, timeout, errors) -> None:
        started.append(server)
        raise KeyboardInterrupt

    monkeypatch.setattr(ltlocal, "_wait_ready", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load_checker("auto")
    assert not started[0].alive() and not ltlocal._SERVERS


@pytest.mark.parametrize(
    "ending", ["sys.stdin.readline(); raise KeyboardInterrupt", "time.sleep(60)"]
)
def test_the_server_is_closed_at_exit_on_ctrl_c_and_sigterm(install, ending: str) -> None:
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from mtfix.check import ltlocal
        ltlocal.server_command = lambda d, p: [sys.executable, {FAKE!r}, "--port", str(p)]
        print(ltlocal.local_server(Path({str(install)!r}), 20).process.pid, flush=True)
        {ending}
    """)
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "stderr": subprocess.DEVNULL}
    with subprocess.Popen([sys.executable, "-c", script], text=True, **pipes) as proc:
        pid = int(proc.stdout.readline())
        assert not _gone(pid)
        if ending.startswith("time"):
            proc.send_signal(signal.SIGTERM)
        proc.communicate("\n", timeout=30)
    assert proc.returncode != 0
    assert _gone(pid)


def _recording(procs: list) -> type:
    real = subprocess.Popen

    class Recording(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            procs.append(self)

    return Recording
