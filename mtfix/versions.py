"""Versions of mtfix and the libraries that shape its output, for the report."""

from __future__ import annotations

from functools import lru_cache
from importlib import metadata

PACKAGES = ("mtfix", "transformers", "torch", "spacy", "harper-py", "language-tool-python")


@lru_cache(maxsize=1)
def versions() -> dict[str, str]:
    """Installed version of each package that shapes a report ("absent" if missing)."""
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found
