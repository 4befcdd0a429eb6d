"""What decides the trained model: data, size and schedule, read from a TOML file.

Light on purpose (no torch, no data readers), so a training machine needs only
torch and transformers.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from mtfix.errors import ConfigError
from mtfix.train.model import ModelSize


@dataclass(frozen=True)
class DataConfig:
    """How many pairs of each kind, from where, with which seed."""

    data_dir: Path
    real_langs: tuple[str, ...] = ("ru", "et", "ro", "ne", "si")  # MLQE-PE pairs into English
    identity: int = 20_000
    synthetic: int = 40_000
    max_chars: int = 300
    min_similarity: float = 0.0  # real pairs whose post-edit rewrote more are left out
    seed: int = 13

    def __post_init__(self) -> None:
        object.__setattr__(self, "real_langs", tuple(self.real_langs))


@dataclass(frozen=True)
class LoraSize:
    """A LoRA adapter over a pretrained causal LM (``mtfix.lm``) instead of a new model."""

    base: str = "gemma3-270m"
    r: int = 16
    alpha: int = 32
    dropout: float = 0.0
    targets: tuple[str, ...] = (
        "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"
    )  # fmt: skip
    save_minutes: float = 5.0  # checkpoint at least this often (a session can end any time)

    def __post_init__(self) -> None:
        object.__setattr__(self, "targets", tuple(self.targets))


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides the trained model; saved beside it for reproduction."""

    data: DataConfig
    model: ModelSize = field(default_factory=ModelSize)
    lora: LoraSize | None = None  # set: fine-tune the pretrained LM, not a seq2seq model
    init: str = ""  # a saved seq2seq model (dir or hub id) to start from, with its tokenizer
    vocab_size: int = 8000
    max_tokens: int = 96
    batch_size: int = 48
    learning_rate: float = 1e-3
    lr_scheduler: str = "constant_with_warmup"
    warmup_steps: int = 300
    max_steps: int = -1
    max_minutes: float = 60.0
    eval_steps: int = 250
    dev_size: int = 600
    seed: int = 13


def load_config(
    path: str | Path, data_dir: Path, max_minutes: float | None = None, init: str | None = None
) -> TrainConfig:
    """The TrainConfig a TOML file describes (``max_minutes`` and ``init`` override it)."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        if init:
            raw["init"] = init
        raw["data"] = DataConfig(data_dir=data_dir, **raw.get("data", {}))
        raw["model"] = ModelSize(**raw.get("model", {}))
        if "lora" in raw:
            raw["lora"] = LoraSize(**raw["lora"])
        if max_minutes is not None:
            raw["max_minutes"] = max_minutes
        return TrainConfig(**raw)
    except (OSError, tomllib.TOMLDecodeError, TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read the training config ({exc})") from None
