"""Rewriting flagged sentences: one interface, a seq2seq backend, a shipped default model."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class Rewriter(Protocol):
    """Turns sentences into candidate rewrites, one output per input, in input order."""

    name: str

    def rewrite(self, texts: list[str]) -> list[str]:
        """One rewrite per text, in the order given."""
        ...


def load_rewriter(model: str | None) -> Rewriter | None:
    """The rewriter for ``model`` (hub id or local dir), else the shipped model, else None."""
    from mtfix.rewrite.seq2seq import Seq2SeqRewriter
    from mtfix.rewrite.shipped import shipped_model_dir

    if model:
        return Seq2SeqRewriter(model)
    shipped = shipped_model_dir()
    return Seq2SeqRewriter(str(shipped)) if shipped else None
