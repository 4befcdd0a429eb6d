"""The hostile inputs of issue 35 (``tests/data/hostile/``): each is repaired, or refused with
one line, in bounded time and memory; nothing of the text is lost.

Every file goes through one in-process pipeline (no LM, no fluency model, the offline
checker); a few also through ``mtfix fix`` in a subprocess, with a time and memory bound,
since a subprocess costs seconds to start.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from mtfix.api import Fixer
from mtfix.article import Report
from mtfix.detect.limits import CATEGORY as TOO_LONG
from mtfix.errors import InputError
from mtfix.limits import overlong_spans
from mtfix.pipeline import Options, Pipeline
from mtfix.read import read_path

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "data" / "hostile"
MAX_FILE_BYTES = 40_000
WORD = re.compile(r"[^\W_]+")

# every corpus file: the exit status of ``mtfix fix`` (0: repaired, 2: refused with one line)
EXPECTED = {
    "long-word-5k.txt": 0,
    "long-word-30k.txt": 0,
    "brackets.md": 0,
    "backticks.md": 0,
    "symbols.txt": 0,
    "numbers.txt": 0,
    "one-word-paragraphs.txt": 0,
    "surrogate.json": 2,
    "nested.json": 2,
    "bad-escape.json": 2,
}
UNCHECKED = {"long-word-5k.txt", "long-word-30k.txt", "brackets.md", "backticks.md", "symbols.txt"}
REFUSED = {  # what the one line says
    "surrogate.json": "lone surrogate",
    "nested.json": "nested too deeply",
    "bad-escape.json": "not valid JSON",
}
CLI_FILES = ["long-word-30k.txt", "brackets.md", "surrogate.json", "nested.json", "bad-escape.json"]
CLI_TIMEOUT_S = 120  # the old stalls took a minute and more; a run now takes seconds
CLI_MAX_RSS = 3 * 2**29  # bytes; a run takes about 0.6 GB (a 2,000-letter word used to take 1.2)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Options(use_model=False, fluency=False, checker="offline"))


def words(text: str) -> Counter[str]:
    return Counter(WORD.findall(text))


def lost_words(text: str, output: str, removed: list[str], edited: list[str]) -> Counter[str]:
    """The words of ``text`` in neither the output, a removed paragraph nor an accepted
    edit's sentence."""
    explained = words(output)
    for part in [*removed, *edited]:
        explained += words(part)
    return words(text) - explained


def test_corpus_is_committed_small_and_described() -> None:
    names = {p.name for p in HOSTILE.iterdir()} - {"README.md", "make.py"}
    assert names == set(EXPECTED)
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    for name in EXPECTED:
        assert (HOSTILE / name).stat().st_size <= MAX_FILE_BYTES, name
        assert f"`{name}`" in readme, f"{name} is not described in README.md"


@pytest.mark.parametrize("name", [n for n, code in EXPECTED.items() if code == 0])
def test_repaired_in_process(pipeline: Pipeline, name: str) -> None:
    path = HOSTILE / name
    start = time.perf_counter()
    report = pipeline.fix(read_path(str(path)))
    elapsed = time.perf_counter() - start
    assert elapsed < 5 + path.stat().st_size / 2_000, f"{elapsed:.1f} s"
    check_kept(report)
    if name in UNCHECKED:
        assert any(f.category == TOO_LONG for f in report.findings)


def check_kept(report: Report) -> None:
    """No word lost; every overlong token reported and left as it is."""
    text = report.article.text
    removed = [r.text for r in report.removed]
    lost = lost_words(text, report.output, removed, [e.before for e in report.accepted])
    assert not lost, f"words lost: {dict(lost)}"
    unchecked = [(f.start, f.end) for f in report.findings if f.category == TOO_LONG]
    for start, end in overlong_spans(text):
        assert any(s <= start and end <= e for s, e in unchecked)
        if not any(r.start <= start and end <= r.end for r in report.removed):
            assert text[start:end] in report.output


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_in_process(pipeline: Pipeline, name: str) -> None:
    with pytest.raises(InputError) as caught:
        read_path(str(HOSTILE / name))
    assert len(str(caught.value).splitlines()) == 1
    assert REFUSED[name] in str(caught.value)


@pytest.mark.parametrize("name", ["surrogate.json", "nested.json"])
def test_library_raises_input_error(pipeline: Pipeline, name: str) -> None:
    """``Fixer.fix`` on the text, as a string and as bytes, read as JSON (by the format, or
    by the name's extension): InputError with one line. (Unnamed and in the ``auto`` format,
    ``[[...]]`` is not sniffed as JSON, which must be an object: it is read as plain text.)"""
    data = (HOSTILE / name).read_bytes()
    fixer = Fixer(pipeline=pipeline)
    for text in (data, data.decode("utf-8")):
        for fmt, label in (("json", None), ("auto", name)):
            with pytest.raises(InputError) as caught:
                fixer.fix(text, format=fmt, name=label)
            message = str(caught.value)
            assert len(message.splitlines()) == 1 and REFUSED[name] in message
    with pytest.raises(InputError):
        fixer.check(data, format="json")


def peak_rss(pid: int) -> int | None:
    """The peak resident memory of process ``pid`` so far, in bytes (``VmHWM``), or None
    where ``/proc`` does not say.

    Not ``ru_maxrss``: on Linux a child's ``ru_maxrss`` starts from its parent's peak at the
    fork (it outlives the exec), so under a test run that holds models it reads gigabytes.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) * 1024 if found else None


def run_cli(path: Path, *extra: str) -> tuple[int, str, str, int | None]:
    """``mtfix fix`` on ``path``: exit status, stdout, stderr and the peak memory in bytes
    (read while it runs; None where ``/proc`` is missing)."""
    cmd = [sys.executable, "-m", "mtfix.cli", "fix", str(path), "-q", "--no-model"]
    cmd += ["--no-fluency", "--checker", "offline", *extra]
    out_path, err_path = path.with_suffix(".out"), path.with_suffix(".err")
    with open(os.devnull, "rb") as stdin, open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdin=stdin, stdout=out, stderr=err)
    deadline = time.monotonic() + CLI_TIMEOUT_S
    rss: int | None = None
    while proc.poll() is None:
        rss = peak_rss(proc.pid) or rss
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            pytest.fail(f"mtfix fix {path.name} ran over {CLI_TIMEOUT_S} s")
        time.sleep(0.02)
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    return proc.returncode, stdout, stderr, rss


@pytest.mark.parametrize("name", CLI_FILES)
def test_cli(tmp_path: Path, name: str) -> None:
    path = tmp_path / name  # a copy, so that the output files go to tmp_path
    path.write_bytes((HOSTILE / name).read_bytes())
    code, stdout, stderr, rss = run_cli(path, "--json")
    assert code == EXPECTED[name], stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert rss is None or rss < CLI_MAX_RSS, f"{rss / 2**20:.0f} MiB"
    if code == 2:
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("mtfix: error: "), stderr
        assert REFUSED[name] in lines[0]
        return
    report = json.loads(stdout)
    removed = [r["text"] for r in report["removed"]]
    edited = [e["before"] for e in report["edits"] if e["accepted"]]
    assert not lost_words(report["input"], report["output"], removed, edited)
    for start, end in overlong_spans(report["input"]):
        assert report["input"][start:end] in report["output"]
    assert any(f["category"] == TOO_LONG for f in report["findings"])
