"""Load timings and the background load of the base LM."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import mtfix.lm.base as base
from mtfix.lm.scorer import load_scorer, prefetch_scorer
from mtfix.loads import load_timings, loading, seconds_loading


def test_a_prefetch_and_a_caller_share_one_load(monkeypatch, tmp_path: Path) -> None:
    calls: list[str] = []

    def slow_load(name: str, torch_dtype, dtype: str):
        calls.append(threading.current_thread().name)
        time.sleep(0.3)
        return "tokenizer", object()

    monkeypatch.setattr(base, "_load_base", slow_load)
    name = str(tmp_path / "some-lm")  # a name no other test has cached
    prefetch_scorer(name, "float32")
    time.sleep(0.05)  # the prefetch is loading now
    first = load_scorer(name, "float32")
    assert calls == [f"prefetch:{name}"]  # the caller waited for it, and did not load again
    assert load_scorer(name, "float32") is first


def test_a_failed_prefetch_leaves_the_error_to_the_caller(monkeypatch, tmp_path: Path) -> None:
    def broken(name: str, torch_dtype, dtype: str):
        raise ValueError("no such model")

    monkeypatch.setattr(base, "_load_base", broken)
    name = str(tmp_path / "broken-lm")
    prefetch_scorer(name, "float32")
    with pytest.raises(ValueError, match="no such model"):
        load_scorer(name, "float32")


def test_a_load_in_another_thread_is_not_taken_from_this_threads_stage() -> None:
    before = seconds_loading()

    def background() -> None:
        with loading("test-background"):
            time.sleep(0.2)

    thread = threading.Thread(target=background)
    thread.start()
    thread.join()
    assert seconds_loading() == before  # this thread loaded nothing
    assert load_timings()["load:test-background"] >= 0.2
