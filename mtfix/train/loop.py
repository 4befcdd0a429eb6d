"""The training loop: transformers' Seq2SeqTrainer, bounded by wall-clock time.

Checkpoints go to ``out_dir`` (outside the repository); the checkpoint with the lowest
dev loss is exported with its tokenizer as safetensors.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mtfix.train.data import DataConfig, Pair, dev_pairs, training_pairs
from mtfix.train.model import ModelSize, t5_config
from mtfix.train.vocab import build_tokenizer


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides the trained model; saved beside it for reproduction."""

    data: DataConfig
    model: ModelSize = field(default_factory=ModelSize)
    vocab_size: int = 8000
    max_tokens: int = 96
    batch_size: int = 48
    learning_rate: float = 1e-3
    warmup_steps: int = 300
    max_minutes: float = 60.0
    eval_steps: int = 250
    dev_size: int = 600
    seed: int = 13


def encode(tokenizer: Any, pairs: list[Pair], max_tokens: int) -> list[dict[str, list[int]]]:
    """Token ids of each pair, cut to ``max_tokens``."""
    src = tokenizer([p.source for p in pairs], truncation=True, max_length=max_tokens)
    tgt = tokenizer([p.target for p in pairs], truncation=True, max_length=max_tokens)
    return [
        {"input_ids": s, "labels": t}
        for s, t in zip(src["input_ids"], tgt["input_ids"], strict=True)
    ]


def cached_pairs(config: TrainConfig, out_dir: Path, nlp: Any) -> list[Pair]:
    """The training pairs, built once per run folder and config (parsing takes minutes)."""
    key = hashlib.sha256(repr(config.data).encode()).hexdigest()[:12]
    path = out_dir / f"pairs-{key}.jsonl"
    if path.exists():
        return [Pair(**json.loads(line)) for line in path.read_text().splitlines()]
    pairs = training_pairs(config.data, nlp=nlp)
    out_dir.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(asdict(p)) + "\n" for p in pairs))
    return pairs


def _time_limit(minutes: float) -> Any:
    from transformers import TrainerCallback

    class TimeLimit(TrainerCallback):
        """Stop (after an evaluation and a save) once the time budget is spent."""

        def __init__(self) -> None:
            self.deadline = time.monotonic() + minutes * 60

        def on_step_end(self, args, state, control, **kwargs):
            if time.monotonic() > self.deadline:
                control.should_training_stop = True
                control.should_evaluate = control.should_save = True
            return control

    return TimeLimit()


def train(config: TrainConfig, out_dir: Path, nlp: Any = None) -> tuple[Any, Any, dict]:
    """Build the data and vocabulary, train, and return (tokenizer, best model, log)."""
    import torch
    from transformers import (
        DataCollatorForSeq2Seq,
        Seq2SeqTrainer,
        Seq2SeqTrainingArguments,
        T5ForConditionalGeneration,
        set_seed,
    )

    set_seed(config.seed)
    started = time.monotonic()
    pairs = cached_pairs(config, out_dir, nlp)
    dev = dev_pairs(config.data, config.dev_size)
    tokenizer = build_tokenizer((t for p in pairs for t in (p.source, p.target)), config.vocab_size)
    model = T5ForConditionalGeneration(t5_config(len(tokenizer), config.model))
    args = Seq2SeqTrainingArguments(
        output_dir=str(out_dir),
        per_device_train_batch_size=config.batch_size,
        per_device_eval_batch_size=config.batch_size,
        learning_rate=config.learning_rate,
        warmup_steps=config.warmup_steps,
        lr_scheduler_type="constant_with_warmup",
        num_train_epochs=100,
        eval_strategy="steps",
        eval_steps=config.eval_steps,
        save_strategy="steps",
        save_steps=config.eval_steps,
        save_total_limit=2,
        load_best_model_at_end=True,
        metric_for_best_model="eval_loss",
        train_sampling_strategy="group_by_length",
        bf16=torch.cuda.is_available() or _cpu_bf16(),
        use_cpu=not torch.cuda.is_available(),
        logging_steps=50,
        report_to=[],
        seed=config.seed,
        dataloader_num_workers=0,
    )
    trainer = Seq2SeqTrainer(
        model=model,
        args=args,
        train_dataset=encode(tokenizer, pairs, config.max_tokens),
        eval_dataset=encode(tokenizer, dev, config.max_tokens),
        data_collator=DataCollatorForSeq2Seq(tokenizer, model=model),
        callbacks=[_time_limit(config.max_minutes)],
    )
    trainer.train()
    log = {
        "pairs": {k: sum(p.kind == k for p in pairs) for k in ("real", "identity", "synthetic")},
        "steps": trainer.state.global_step,
        "best_eval_loss": trainer.state.best_metric,
        "minutes": round((time.monotonic() - started) / 60, 1),
        "device": "cuda" if torch.cuda.is_available() else f"cpu x{torch.get_num_threads()}",
        "history": trainer.state.log_history,
    }
    return tokenizer, trainer.model, log


def _cpu_bf16() -> bool:
    """bf16 autocast on CPUs that have native bf16 (AMX / AVX512-BF16)."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


def export(tokenizer: Any, model: Any, config: TrainConfig, log: dict, target: Path) -> None:
    """Save the model (safetensors), tokenizer and training config into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    model.float().save_pretrained(target, safe_serialization=True)
    tokenizer.save_pretrained(target)
    meta = {"config": asdict(config), "log": {k: v for k, v in log.items() if k != "history"}}
    (target / "training.json").write_text(json.dumps(meta, indent=2, default=str))
