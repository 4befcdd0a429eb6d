"""A Hugging Face seq2seq model (T5, BART, ...) as a sentence rewriter."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from mtfix.errors import ConfigError

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

T = TypeVar("T")
MAX_TOKENS = 512
EXTRA_TOKENS = 8  # room for a short input to grow by a few tokens
SEED = 0


def pick_device(device: str | None = None) -> str:
    """``device`` if given, else CUDA when available, else CPU."""
    if device:
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _looks_like_path(model: str) -> bool:
    """True for what can only be a directory: absolute, ``./``, ``~``, or too many slashes."""
    return model.startswith(("/", ".", "~")) or model.count("/") > 1 or Path(model).exists()


def _hub_reachable(timeout: float = 3.0) -> bool:
    """Whether the model hub answers at all (skips minutes of retries when offline)."""
    import os
    import socket
    from urllib.parse import urlparse

    if os.environ.get("HF_HUB_OFFLINE", "0").lower() in {"1", "true", "yes", "on"}:
        return False
    url = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        socket.create_connection((url.hostname or "", port), timeout=timeout).close()
    except OSError:
        return False
    return True


def load_pretrained(source: str, local_only: bool) -> tuple[Any, Any]:
    """Tokenizer and model; weights saved in fp16 (the shipped model) are run in fp32."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local_only)
    model = AutoModelForSeq2SeqLM.from_pretrained(
        source, local_files_only=local_only, dtype=torch.float32
    )
    return tokenizer, model


def from_local_or_hub(model: str, load: Callable[[str, bool], T]) -> T:
    """``load(source, local_only)`` from a directory or the local cache, else from the hub.

    A directory must hold a saved model; a hub id is fetched only when the hub answers.
    """
    path = Path(model).expanduser()
    if _looks_like_path(model) and not (path / "config.json").is_file():
        raise ConfigError(f"rewrite model: no saved model in directory {model!r}")
    local = path.is_dir()
    try:
        try:
            return load(str(path) if local else model, True)
        except OSError:
            if local:
                raise
            if not _hub_reachable():
                raise ConfigError(
                    f"rewrite model {model!r} is not in the local cache and the hub is unreachable"
                ) from None
            return load(model, False)
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"rewrite model {model!r} cannot be loaded: {_first_line(exc)}") from exc


@lru_cache(maxsize=4)
def load_seq2seq(model: str, device: str) -> tuple[PreTrainedTokenizerBase, PreTrainedModel]:
    """Tokenizer and model in eval mode on ``device``, loaded once per process."""
    from mtfix.loads import MODELS_LOCK, loading

    with MODELS_LOCK, loading("rewriter"):
        tokenizer, net = from_local_or_hub(model, load_pretrained)
    return tokenizer, net.to(device).eval()


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Seq2SeqRewriter:
    """Rewrites sentences with deterministic beam search on a seq2seq model."""

    def __init__(
        self,
        model_id_or_dir: str,
        *,
        device: str | None = None,
        num_beams: int = 4,
        batch_size: int = 16,
        max_length_ratio: float = 1.5,
        prefix: str = "",
    ) -> None:
        self.device = pick_device(device)
        self.tokenizer, self.model = load_seq2seq(str(model_id_or_dir), self.device)
        self.name = f"seq2seq:{Path(str(model_id_or_dir)).name}"
        self.num_beams = num_beams
        self.batch_size = batch_size
        self.max_length_ratio = max_length_ratio
        self.prefix = prefix

    def rewrite(self, texts: list[str]) -> list[str]:
        """One rewrite per text, in input order; batches are formed by input length."""
        from mtfix.rewrite import length_batches

        out: list[str] = [""] * len(texts)
        for batch in length_batches(texts, self.batch_size):
            for i, text in zip(batch, self._generate([texts[i] for i in batch]), strict=True):
                out[i] = text
        return out

    def _generate(self, texts: list[str]) -> list[str]:
        import torch

        enc = self.tokenizer(
            [self.prefix + t for t in texts],
            return_tensors="pt",
            padding=True,
            truncation=True,
            max_length=MAX_TOKENS,
        ).to(self.device)
        torch.manual_seed(SEED)
        with torch.inference_mode():
            ids = self.model.generate(**enc, **self._generation_args(enc["attention_mask"]))
        decoded = self.tokenizer.batch_decode(ids, skip_special_tokens=True)
        return [" ".join(d.split()) for d in decoded]

    def _generation_args(self, mask: Any) -> dict[str, Any]:
        longest = int(mask.sum(dim=1).max())
        budget = min(MAX_TOKENS, int(longest * self.max_length_ratio) + EXTRA_TOKENS)
        return {
            "num_beams": self.num_beams,
            "do_sample": False,
            "max_new_tokens": budget,
            "early_stopping": self.num_beams > 1,
            "use_cache": True,  # a checkpoint saved by training may say False: slower decoding
        }
