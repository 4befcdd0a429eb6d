"""Line-aligned corpora (one segment per line) and Moses (de)tokenizing for them."""

from __future__ import annotations

from pathlib import Path

from mtfix.errors import InputError


def read_lines(path: str | Path) -> list[str]:
    """The lines of a one-segment-per-line UTF-8 file."""
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (UnicodeDecodeError, IsADirectoryError, PermissionError) as exc:
        raise InputError(f"{path}: cannot be read as UTF-8 text ({type(exc).__name__})") from None


class Moses:
    """Moses detokenizer and tokenizer (sacremoses), for data such as MLQE-PE."""

    def __init__(self) -> None:
        from sacremoses import MosesDetokenizer, MosesTokenizer

        self._detok = MosesDetokenizer(lang="en")
        self._tok = MosesTokenizer(lang="en")

    def detokenize(self, line: str) -> str:
        return self._detok.detokenize(line.split())

    def tokenize(self, line: str) -> str:
        return self._tok.tokenize(line, return_str=True, escape=False)
