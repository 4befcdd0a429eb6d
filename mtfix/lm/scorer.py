"""The base LM as a teacher-forced scorer: log-probabilities of given text, no generation.

A packaged Gemma runs in ``mtfix.nn.gemma3`` over the same tensors ``load_base`` builds
its transformers model from (one copy in memory), without importing transformers' modeling
code, which costs about 2 s a process; any other model is ``load_base``'s, wrapped.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from mtfix.errors import ConfigError
from mtfix.lm.base import BASES, DEFAULT_BASE, load_base, prepared, rust_tokenizer, saved_tensors


def load_scorer(name: str = DEFAULT_BASE, dtype: str = "bfloat16") -> tuple[Any, Any]:
    """Tokenizer (right padding) and scorer (``hidden(input_ids, attention_mask)``,
    ``logits(hidden)``), loaded once per process."""
    from mtfix.lm.engine import engine
    from mtfix.loads import MODELS_LOCK

    with MODELS_LOCK:
        return _cached_scorer(name, dtype, engine())


def prefetch_scorer(name: str = DEFAULT_BASE, dtype: str = "bfloat16") -> None:
    """Start ``load_scorer`` in a background thread (a failure is left for the real call)."""
    from mtfix.loads import in_background

    in_background(f"prefetch:{name}", load_scorer, name, dtype)


@lru_cache(maxsize=4)
def _cached_scorer(name: str, dtype: str, engine: str) -> tuple[Any, Any]:
    import torch

    from mtfix.loads import loading

    native = tokenizer = None
    with loading(f"lm:{Path(name).name}"):
        if name in BASES:
            source = prepared(name, getattr(torch, dtype), dtype)
            try:
                native = _native_scorer(source, getattr(torch, dtype), getattr(torch, engine))
                tokenizer = rust_tokenizer(source) if native else None
            except (OSError, ValueError) as exc:
                raise ConfigError(f"base LM {name!r} cannot be loaded: {exc}") from None
    if native is None or tokenizer is None:
        tokenizer, model = load_base(name, dtype)
        return tokenizer, HubScorer(model)
    tokenizer.padding_side = "right"
    return tokenizer, native


def _native_scorer(source: Path, torch_dtype: Any, compute: Any) -> Any:
    """``mtfix.nn.gemma3`` over the converted copy's tensors, its products in ``compute``
    (the engine, ``mtfix.lm.engine``: bfloat16 where the CPU has matrix units, else
    float32; without them bfloat16 runs 4 to 7 times slower than float32), or None where
    it does not cover the model or the copy is not in ``torch_dtype``."""
    from mtfix.nn.gemma3 import Gemma3Text, supports

    config = json.loads((source / "config.json").read_text(encoding="utf-8"))
    state = saved_tensors(source, torch_dtype)
    if not supports(config) or state is None:
        return None
    return Gemma3Text(config, state, compute)


class HubScorer:
    """A transformers causal LM behind the scorer's two calls."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def hidden(self, input_ids: Any, attention_mask: Any) -> Any:
        out = self.model.model(input_ids=input_ids, attention_mask=attention_mask)
        return out.last_hidden_state

    def logits(self, hidden: Any) -> Any:
        import torch

        logits = self.model.get_output_embeddings()(hidden)
        cap = getattr(self.model.config, "final_logit_softcapping", None)
        return torch.tanh(logits / cap) * cap if cap else logits
