"""Pipelines for ``ProcessPipeline``'s tests, built in its child process by name.

A word in the article says what goes wrong: ``CRASH-NOW`` ends the process as a segfault
would, ``SLEEP-NOW`` runs for a minute, ``HOG-NOW`` takes a gigabyte, ``REFUSE-NOW``
raises ``InputError`` and ``ODD-NOW`` an exception that cannot be pickled.
"""

from __future__ import annotations

import os
import time
from typing import Any

from mtfix.errors import InputError


class Unpicklable(Exception):
    def __init__(self, handle: Any) -> None:
        super().__init__("holds a lock")
        self.handle = handle

    def __reduce__(self):
        raise TypeError("cannot pickle")


def misbehave(text: str) -> None:
    """Do what the article's trigger word says, if it has one."""
    if "CRASH-NOW" in text:
        os._exit(139)
    if "SLEEP-NOW" in text:
        time.sleep(60)
    if "HOG-NOW" in text:
        hog = bytearray(1 << 30)
        hog[:: 4096] = b"x" * len(hog[:: 4096])  # touch every page
        time.sleep(60)
    if "REFUSE-NOW" in text:
        raise InputError("the article was refused")
    if "ODD-NOW" in text:
        raise Unpicklable(object())


class Echo:
    """The article's text in capitals (no models: the child starts in a moment)."""

    def __init__(self, options: Any = None) -> None:
        self.options = options

    def fix(self, article: Any) -> str:
        return self.fix_many([article])[0]

    def fix_many(self, articles: list[Any]) -> list[str]:
        for article in articles:
            misbehave(article.text)
        return [article.text.upper() for article in articles]


class Local:
    """The real pipeline with local repairs only, misbehaving on a trigger word."""

    def __init__(self, options: Any = None) -> None:
        from mtfix.pipeline import Options, Pipeline

        self.inner = Pipeline(Options(use_model=False, checker="offline"))

    def fix(self, article: Any) -> Any:
        return self.fix_many([article])[0]

    def fix_many(self, articles: list[Any]) -> list[Any]:
        for article in articles:
            misbehave(article.text)
        return self.inner.fix_many(articles)


def failing(options: Any = None) -> Any:
    """A pipeline that cannot be built."""
    raise RuntimeError("no model here")
