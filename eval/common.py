"""Shared helpers of the eval scripts: where the reference data lives."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The shared reference data: ``$MTFIX_DATA`` or ``../shared/data`` beside the repo."""
    path = Path(os.environ.get("MTFIX_DATA", ROOT.parent / "shared" / "data"))
    if not path.is_dir():
        sys.exit(f"reference data not found at {path}: set MTFIX_DATA")
    return path


def read_lines(path: Path, limit: int | None = None) -> list[str]:
    """The first ``limit`` lines (all by default) of a one-segment-per-line file."""
    from mtfix.read.corpus import read_lines as read_all

    lines = read_all(path)
    return lines[:limit] if limit else lines


def ter_edits(ter, text: str, ref: str) -> float:
    """TER edits (not the rate) of ``text`` against ``ref``, with sacrebleu's ``TER``."""
    return float(ter._extract_corpus_statistics([text], [[ref]])[0][0])
