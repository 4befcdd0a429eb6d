"""Rewriting flagged sentences: one interface, seq2seq and causal-LM backends, a shipped model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol, runtime_checkable


@runtime_checkable
class Rewriter(Protocol):
    """Turns sentences into candidate rewrites, one output per input, in input order."""

    name: str

    def rewrite(self, texts: list[str]) -> list[str]:
        """One rewrite per text, in the order given."""
        ...


@runtime_checkable
class ScoringRewriter(Rewriter, Protocol):
    """A rewriter that can also say how sure it is of a rewrite."""

    def preference(self, sources: list[str], rewrites: list[str]) -> list[float]:
        """log p(rewrite | source) - log p(source | source) per pair, in nats."""
        ...


@runtime_checkable
class NBestRewriter(Rewriter, Protocol):
    """A rewriter that can give several rewrites of a sentence, best first."""

    def rewrite_n(self, texts: list[str], n: int) -> list[list[str]]:
        """Up to ``n`` distinct rewrites per text, best first."""
        ...


def length_batches(texts: list[str], size: int) -> list[list[int]]:
    """Indices of ``texts`` in batches of at most ``size``, by length (little padding)."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    return [order[k : k + size] for k in range(0, len(order), size)]


def is_causal(model: str) -> bool:
    """Whether ``model`` is a causal LM (or an adapter over one); its own files say so.

    A directory is read directly; a hub id's config is fetched (from the cache first).
    """
    path = Path(model).expanduser()
    if (path / "adapter_config.json").is_file():
        return True
    if (path / "config.json").is_file():
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        return not config.get("is_encoder_decoder", False) and _causal_architecture(config)
    if path.exists() or model.startswith(("/", ".", "~")):
        return False  # not a saved model: the seq2seq loader says why
    return _hub_is_causal(model)


def _causal_architecture(config: dict) -> bool:
    return any(a.endswith("ForCausalLM") for a in config.get("architectures") or [])


def _hub_is_causal(model: str) -> bool:
    from mtfix.loads import MODELS_LOCK
    from mtfix.rewrite.seq2seq import from_local_or_hub

    try:
        with MODELS_LOCK:
            from transformers import AutoConfig

            config = from_local_or_hub(model, lambda s, local: AutoConfig.from_pretrained(
                s, local_files_only=local
            ))  # fmt: skip
    except Exception:  # the seq2seq loader reports it
        return False
    return not config.is_encoder_decoder and _causal_architecture(config.to_dict())


def load_rewriter(model: str | None, **options) -> Rewriter | None:
    """The rewriter for ``model`` (hub id or local dir), else the shipped model, else None."""
    from mtfix.rewrite.shipped import shipped_model_dir

    if not model:
        shipped = shipped_model_dir()
        if shipped is None:
            return None
        model = str(shipped)
    if is_causal(model):
        from mtfix.rewrite.causal import CausalRewriter

        return CausalRewriter(model, **options)
    from mtfix.rewrite.seq2seq import Seq2SeqRewriter

    return Seq2SeqRewriter(model)
