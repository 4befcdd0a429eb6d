"""How long each heavy thing took to load in this process (models, parsers, checkers).

Loaders wrap their work in ``loading(name)``; reports show the figures as timings named
``load:<name>``, so a slow run says whether the time went to loading or to repairing. A
load may run in a background thread (``mtfix.lm.scorer.prefetch_scorer``) while stages run:
a stage leaves out only the loads its own thread did, so waiting for a background load
counts in the stage, and the timings can add up to more than the wall time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

_SECONDS: dict[str, float] = {}
_COUNTS: dict[str, int] = {}
_LOCK = threading.Lock()
# Held while a model is built with transformers: its lazy imports are not thread-safe, and
# a background load must not race a caller into loading the same model twice.
MODELS_LOCK = threading.RLock()
_OWN = threading.local()  # seconds loaded so far by this thread


@contextmanager
def loading(name: str) -> Iterator[None]:
    """Time one load (added up if the same name loads again), less the loads inside it."""
    start, inner = time.perf_counter(), seconds_loading()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - start
        own = elapsed - (seconds_loading() - inner)
        with _LOCK:
            _SECONDS[name] = round(_SECONDS.get(name, 0.0) + own, 4)
            _COUNTS[name] = _COUNTS.get(name, 0) + 1
        _OWN.seconds = inner + elapsed


def seconds_loading() -> float:
    """The seconds this thread has spent loading so far (a stage subtracts what it loaded
    lazily)."""
    return getattr(_OWN, "seconds", 0.0)


def load_timings() -> dict[str, float]:
    """``{"load:<name>": seconds}`` for everything loaded so far in this process."""
    with _LOCK:
        return {f"load:{k}": v for k, v in _SECONDS.items()}


def load_counts() -> dict[str, int]:
    """How many times each thing has loaded in this process (a cached one: once)."""
    with _LOCK:
        return dict(_COUNTS)


def in_background(name: str, load: Callable[..., Any], *args: Any) -> None:
    """Run ``load(*args)`` in a daemon thread named ``name``, so that a slow load overlaps
    other work; its failure is left for the real (cached) call to raise."""

    def run() -> None:
        with suppress(Exception):
            load(*args)

    threading.Thread(target=run, name=name, daemon=True).start()
