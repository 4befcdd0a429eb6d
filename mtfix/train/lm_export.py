"""``mtfix train`` for a LoRA config: run (or resume) the trainer, export the best adapter."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, replace
from pathlib import Path

from mtfix.errors import ConfigError
from mtfix.train.config import TrainConfig
from mtfix.train.lm_loop import STATE, LoraTrainer

ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors", "vocab.json")


def run_dir(config: TrainConfig, folder: Path, out: Path) -> Path:
    """``out/lora-<key>``: one folder per (config less its time budget, training folder)."""
    what = repr((replace(config, max_minutes=0), folder.resolve()))
    return out / f"lora-{hashlib.sha256(what.encode()).hexdigest()[:12]}"


def train_lora(
    config: TrainConfig, folder: Path, out: Path, target: Path | None, resume: bool
) -> int:
    """Train for the config's minutes (continuing a checkpoint with ``resume``), export."""
    where = run_dir(config, folder, out)
    if (where / STATE).is_file() and not resume:
        raise ConfigError(f"{where} holds a checkpoint: add --resume, or give another --out")
    trainer = LoraTrainer(config, folder, where)
    if resume and trainer.resume():
        print(f"resumed at step {trainer.step} (best dev loss {trainer.best:.4f})", flush=True)
    log = trainer.run(config.max_minutes, log=lambda line: print(line, flush=True))
    target = target or where / "export"
    export_adapter(where / "best", config, log, target)
    print(f"best dev loss {log['best_dev_loss']:.4f} after {log['steps']} steps; saved {target}")
    return 0


def _only_adapter_weights(path: Path) -> None:
    """Drop any embedding rows peft saved beside the LoRA weights (the base has them)."""
    from safetensors.torch import load_file, save_file

    tensors = load_file(path)
    kept = {k: v.contiguous() for k, v in tensors.items() if "lora_" in k}
    if len(kept) < len(tensors):
        save_file(kept, path, metadata={"format": "pt"})


def export_adapter(best: Path, config: TrainConfig, log: dict, target: Path) -> None:
    """The adapter, its vocabulary map and ``training.json``, naming the base by its name."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ADAPTER_FILES:
        if (best / name).is_file():
            shutil.copy2(best / name, target / name)
    _only_adapter_weights(target / "adapter_model.safetensors")
    adapter = json.loads((target / "adapter_config.json").read_text())
    adapter["base_model_name_or_path"] = config.lora.base
    (target / "adapter_config.json").write_text(json.dumps(adapter, indent=2))
    meta = {"config": asdict(config), "log": log}
    (target / "training.json").write_text(json.dumps(meta, indent=2, default=str))
