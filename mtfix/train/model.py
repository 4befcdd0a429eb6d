"""The repair model's architecture: a small encoder-decoder trained from scratch.

``t5`` (relative position buckets, the default), ``bart`` (learned absolute positions)
or ``marian`` (sinusoidal positions, the original Transformer); all load back through
``AutoModelForSeq2SeqLM``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from transformers import BartConfig, T5Config

ARCHITECTURES = ("t5", "bart", "marian")


@dataclass(frozen=True)
class ModelSize:
    """Dimensions of the encoder-decoder (``d_kv`` is T5's; BART uses d_model / heads)."""

    architecture: str = "t5"
    d_model: int = 256
    d_ff: int = 1024
    d_kv: int = 32
    num_heads: int = 8
    num_layers: int = 4
    num_decoder_layers: int = 4
    dropout: float = 0.1
    max_positions: int = 128  # BART and Marian: the longest input or output, in tokens

    def __post_init__(self) -> None:
        if self.architecture not in ARCHITECTURES:
            raise ValueError(f"architecture {self.architecture!r}: one of {ARCHITECTURES}")


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


def bart_config(vocab_size: int, size: ModelSize, kind: str = "bart") -> BartConfig:
    """A BART (or Marian) configuration with the same special ids (pad 0, eos 1; no bos)."""
    from transformers import BartConfig, MarianConfig

    config_class = MarianConfig if kind == "marian" else BartConfig
    return config_class(
        vocab_size=vocab_size,
        d_model=size.d_model,
        encoder_layers=size.num_layers,
        decoder_layers=size.num_decoder_layers,
        encoder_attention_heads=size.num_heads,
        decoder_attention_heads=size.num_heads,
        encoder_ffn_dim=size.d_ff,
        decoder_ffn_dim=size.d_ff,
        dropout=size.dropout,
        max_position_embeddings=size.max_positions,
        pad_token_id=0,
        eos_token_id=1,
        bos_token_id=1,
        decoder_start_token_id=0,
        forced_eos_token_id=1,
        tie_word_embeddings=True,
        scale_embedding=kind == "marian",  # the original Transformer scales by sqrt(d_model)
    )


def new_model(vocab_size: int, size: ModelSize) -> Any:
    """A randomly initialised model of ``size.architecture``."""
    from transformers import (
        BartForConditionalGeneration,
        MarianMTModel,
        T5ForConditionalGeneration,
    )

    if size.architecture == "bart":
        return BartForConditionalGeneration(bart_config(vocab_size, size))
    if size.architecture == "marian":
        return MarianMTModel(bart_config(vocab_size, size, "marian"))
    return T5ForConditionalGeneration(t5_config(vocab_size, size))
