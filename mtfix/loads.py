"""How long each heavy thing took to load in this process (models, parsers, checkers).

Loaders wrap their work in ``loading(name)``; reports show the figures as timings named
``load:<name>``, so a slow run says whether the time went to loading or to repairing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

_SECONDS: dict[str, float] = {}


@contextmanager
def loading(name: str) -> Iterator[None]:
    """Time one load (added up if the same name loads again), less the loads inside it."""
    start, inner = time.perf_counter(), seconds_loading()
    try:
        yield
    finally:
        own = time.perf_counter() - start - (seconds_loading() - inner)
        _SECONDS[name] = round(_SECONDS.get(name, 0.0) + own, 4)


def seconds_loading() -> float:
    """All the seconds spent loading so far (a stage subtracts what it loaded lazily)."""
    return sum(_SECONDS.values())


def load_timings() -> dict[str, float]:
    """``{"load:<name>": seconds}`` for everything loaded so far in this process."""
    return {f"load:{k}": v for k, v in _SECONDS.items()}
