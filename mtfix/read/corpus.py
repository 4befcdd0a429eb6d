"""Line-aligned corpora (one segment per line) and Moses (de)tokenizing for them."""

from __future__ import annotations

from difflib import SequenceMatcher
from itertools import accumulate
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

    def retokenize(self, original: str, fixed: str) -> str:
        """``fixed`` (a repair of the detokenized ``original``) tokenized as ``original`` is:
        the tokens the repair left alone are the original's own ("do n't" stays, where
        Moses would write "n 't"), only the changed ones are Moses's."""
        tokens = original.split()
        pieces = [self.tokenize(token).split() or [token] for token in tokens]
        before = [piece for group in pieces for piece in group]
        owner = [k for k, group in enumerate(pieces) for _ in group]
        start = list(accumulate(map(len, pieces), initial=0))
        after = self.tokenize(fixed).split()
        out: list[str] = []
        matcher = SequenceMatcher(None, before, after, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op != "equal":
                out += after[j1:j2]
                continue
            for i in range(i1, i2):
                k = owner[i]
                if not i1 <= start[k] <= start[k] + len(pieces[k]) <= i2:
                    out.append(before[i])  # a token the repair split: Moses's pieces
                elif i == start[k]:
                    out.append(tokens[k])
        return " ".join(out)
