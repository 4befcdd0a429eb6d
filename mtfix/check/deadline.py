"""Run a call that may hang (DNS, a server that never answers) with a deadline."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from mtfix.check import one_line
from mtfix.errors import ConfigError

T = TypeVar("T")


def within(
    call: Callable[[], T],
    seconds: float,
    what: str,
    describe: Callable[[BaseException], str] = one_line,
) -> T:
    """``call()``'s result, or ConfigError when it fails or takes over ``seconds``.

    The call runs in a daemon thread: one that hangs is left behind, never waited for.
    """
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # reported to the caller below
            box["error"] = exc

    thread = threading.Thread(target=run, name=f"mtfix: {what}", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise ConfigError(f"{what}: no answer within {seconds:g} s")
    if "error" in box:
        error = box["error"]
        assert isinstance(error, BaseException)
        raise ConfigError(f"{what}: {describe(error)}") from error
    return box["value"]  # type: ignore[return-value]
