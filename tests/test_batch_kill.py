"""``mtfix batch`` killed with SIGKILL at three points and resumed: nothing lost or doubled."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from batchfeeds import write_jsonl

from mtfix.batch.sink import SPLIT_ENV

ARGS = ["--no-rewrite", "--no-fluency", "--checker", "offline", "--batch-size", "2"]


def start(feed: Path, out: Path, resume: bool, split: float) -> subprocess.Popen:
    """``mtfix batch`` in a child process, each flush written in two halves ``split`` s apart."""
    cmd = [sys.executable, "-m", "mtfix.cli", "batch", str(feed), "-o", str(out), *ARGS]
    env = os.environ | {SPLIT_ENV: str(split)}
    return subprocess.Popen(
        [*cmd, *(["--resume"] if resume else [])],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def content(out: Path) -> bytes:
    return out.read_bytes() if out.exists() else b""


def kill_when(proc: subprocess.Popen, ready: Callable[[], bool], timeout: float = 180) -> str:
    """SIGKILL ``proc`` as soon as ``ready()``; its stderr. Fails if it ends first."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, f"ended before the kill point: {proc.stderr.read()!r}"
        assert time.monotonic() < deadline, "kill point never reached"
        time.sleep(0.01)
    assert proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return proc.stderr.read().decode()


def lines(out: Path) -> int:
    return content(out).count(b"\n")


def test_kill_three_times_then_resume(tmp_path: Path) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out.jsonl"
    ids = write_jsonl(feed, 60, bad_every=20)

    # 1: killed right after the first records are written
    kill_when(start(feed, out, False, 0.2), lambda: lines(out) >= 1)
    first = lines(out)

    # 2: killed in the middle of a write: the last line is torn
    proc = start(feed, out, True, 3.0)
    size = len(content(out))
    kill_when(proc, lambda: len(data := content(out)) > size and not data.endswith(b"\n"))
    assert not content(out).endswith(b"\n")

    # 3: killed after a few more batches; this run cuts the torn line off first
    proc = start(feed, out, True, 0.2)
    before = lines(out)
    err = kill_when(proc, lambda: lines(out) >= before + 4)
    assert "torn last line" in err

    # the last run finishes the rest
    skipped = lines(out)
    done = subprocess.run(
        [sys.executable, "-m", "mtfix.cli", "batch", str(feed), "-o", str(out), *ARGS,
         "--resume"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # three broken articles in the feed
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in got] == ids  # each id once, in input order
    assert sum("error" in r for r in got) == 3
    counts = re.search(r"(\d+) ok, (\d+) failed, (\d+) skipped", done.stderr)
    assert counts, done.stderr
    ok, failed, skip = map(int, counts.groups())
    assert first >= 1 and skip == skipped and ok + failed + skip == len(ids)
