"""The repair model's architecture: a small T5 encoder-decoder trained from scratch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transformers import T5Config


@dataclass(frozen=True)
class ModelSize:
    """T5 dimensions."""

    d_model: int = 256
    d_ff: int = 1024
    d_kv: int = 32
    num_heads: int = 8
    num_layers: int = 4
    num_decoder_layers: int = 4
    dropout: float = 0.1


def t5_config(vocab_size: int, size: ModelSize) -> T5Config:
    """A T5 configuration whose special ids match ``vocab.SPECIALS`` (pad 0, eos 1)."""
    from transformers import T5Config

    return T5Config(
        vocab_size=vocab_size,
        d_model=size.d_model,
        d_ff=size.d_ff,
        d_kv=size.d_kv,
        num_heads=size.num_heads,
        num_layers=size.num_layers,
        num_decoder_layers=size.num_decoder_layers,
        dropout_rate=size.dropout,
        feed_forward_proj="gated-gelu",
        tie_word_embeddings=True,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )
