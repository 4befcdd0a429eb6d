"""The training loop: transformers' Seq2SeqTrainer, bounded by wall-clock time.

Reads a folder made by ``prepare.py``. Checkpoints go to ``out_dir`` (outside the
repository); the checkpoint with the lowest dev loss is exported with its tokenizer.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from mtfix.rewrite.seq2seq import load_pretrained
from mtfix.train.config import TrainConfig
from mtfix.train.model import new_model
from mtfix.train.prepare import load_prepared, pair_counts


def encode(tokenizer: Any, pairs: list[dict], max_tokens: int) -> list[dict[str, list[int]]]:
    """Token ids of each pair, cut to ``max_tokens``."""
    src = tokenizer([p["source"] for p in pairs], truncation=True, max_length=max_tokens)
    tgt = tokenizer([p["target"] for p in pairs], truncation=True, max_length=max_tokens)
    return [
        {"input_ids": s, "labels": t}
        for s, t in zip(src["input_ids"], tgt["input_ids"], strict=True)
    ]


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


def train(config: TrainConfig, folder: Path, out_dir: Path) -> tuple[Any, Any, dict]:
    """Train on a prepared folder; return (tokenizer, best model, log)."""
    import torch
    from transformers import (
        DataCollatorForSeq2Seq,
        Seq2SeqTrainer,
        Seq2SeqTrainingArguments,
        set_seed,
    )

    set_seed(config.seed)
    started = time.monotonic()
    pairs, dev, tokenizer = load_prepared(folder)
    cuda = torch.cuda.is_available()
    if config.init:
        tokenizer, model = load_pretrained(config.init, local_only=False)
    else:
        model = new_model(len(tokenizer), config.model)
    args = Seq2SeqTrainingArguments(
        output_dir=str(out_dir),
        per_device_train_batch_size=config.batch_size,
        per_device_eval_batch_size=config.batch_size,
        learning_rate=config.learning_rate,
        warmup_steps=config.warmup_steps,
        lr_scheduler_type=config.lr_scheduler,
        max_steps=config.max_steps,
        num_train_epochs=100,
        eval_strategy="steps",
        eval_steps=config.eval_steps,
        save_strategy="steps",
        save_steps=config.eval_steps,
        save_total_limit=2,
        load_best_model_at_end=True,
        metric_for_best_model="eval_loss",
        train_sampling_strategy="group_by_length",
        bf16=cuda or _cpu_bf16(),
        use_cpu=not cuda,
        logging_steps=50,
        disable_tqdm=not sys.stderr.isatty(),
        report_to=[],
        seed=config.seed,
        dataloader_num_workers=4 if cuda else 0,
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
        "pairs": pair_counts(pairs),
        "steps": trainer.state.global_step,
        "best_eval_loss": trainer.state.best_metric,
        "minutes": round((time.monotonic() - started) / 60, 1),
        "device": torch.cuda.get_device_name() if cuda else f"cpu x{torch.get_num_threads()}",
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
    """Save the model (fp16 safetensors), tokenizer and training config into ``target``.

    fp16 halves the size on disk; the rewriter loads the weights back as fp32.
    """
    target.mkdir(parents=True, exist_ok=True)
    model.half().save_pretrained(target, safe_serialization=True)
    model.float()
    tokenizer.save_pretrained(target)
    meta = {"config": asdict(config), "log": log}
    (target / "training.json").write_text(json.dumps(meta, indent=2, default=str))
