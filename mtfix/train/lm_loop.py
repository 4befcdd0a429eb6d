"""Fine-tuning a pretrained causal LM with a LoRA adapter: "source => target", loss on target.

The model is the base LM cut to the English vocabulary of the training folder
(``mtfix.lm.cut``) with LoRA on its projections (peft); only the adapter trains. Steps
are bounded by wall-clock time; a checkpoint (adapter, optimiser, position in the data)
is written at least every ``lora.save_minutes`` so a run killed at any moment resumes
with ``--resume``; the adapter with the lowest dev loss is kept as ``best``.
"""

from __future__ import annotations

import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from mtfix.lm.cut import cut_model
from mtfix.lm.prompt import Codec
from mtfix.lm.prompt import collate as collate_pairs
from mtfix.lm.vocab import VocabMap
from mtfix.train.config import TrainConfig
from mtfix.train.prepare import TOKENIZER_DIR, load_prepared, pair_counts

STATE = "state.pt"


@dataclass
class Example:
    """Token ids of one pair: the prompt (no loss) and the target (loss)."""

    prompt: list[int]
    target: list[int]


def encode_pairs(codec: Codec, pairs: list[dict], max_tokens: int) -> list[Example]:
    """Examples of the pairs that fit in ``max_tokens`` (prompt and target together)."""
    out = [Example(codec.prompt(p["source"]), codec.target(p["target"])) for p in pairs]
    return [e for e in out if len(e.prompt) + len(e.target) <= max_tokens]


def batch_order(examples: list[Example], size: int, seed: int, epoch: int) -> list[list[int]]:
    """Batches of similar length (sorted within pools of 50 batches), in a seeded order."""
    rng = random.Random(seed * 1000 + epoch)
    order = list(range(len(examples)))
    rng.shuffle(order)
    pool, batches = size * 50, []
    for k in range(0, len(order), pool):
        chunk = sorted(order[k : k + pool], key=lambda i: len(examples[i].prompt))
        batches += [chunk[j : j + size] for j in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


def collate(examples: list[Example], pad: int) -> dict[str, Any]:
    """Input ids, attention mask, and labels on the target tokens only."""
    return collate_pairs([(e.prompt, e.target) for e in examples], pad)


def adapter_model(config: TrainConfig, folder: Path) -> tuple[Codec, Any]:
    """The codec and the cut base LM with a trainable LoRA adapter: new, or the adapter
    saved in ``config.init`` (an exported adapter: its weights do not depend on the
    vocabulary map, so training can go on with another one)."""
    from peft import LoraConfig, get_peft_model, set_peft_model_state_dict
    from safetensors.torch import load_file

    from mtfix.lm.base import load_base

    lora = config.lora
    tokenizer, base = load_base(lora.base)
    vocab = VocabMap.load(folder / TOKENIZER_DIR)
    model = cut_model(base, vocab) if vocab else base
    peft_config = LoraConfig(
        r=lora.r, lora_alpha=lora.alpha, lora_dropout=lora.dropout,
        target_modules=list(lora.targets), task_type="CAUSAL_LM",
    )  # fmt: skip
    peft_model = get_peft_model(model, peft_config)
    if config.init:
        weights = load_file(Path(config.init) / "adapter_model.safetensors")
        set_peft_model_state_dict(peft_model, {k: v for k, v in weights.items() if "lora_" in k})
    return Codec(tokenizer, vocab), peft_model


class LoraTrainer:
    """One training run over a prepared folder, resumable from ``out_dir``."""

    def __init__(self, config: TrainConfig, folder: Path, out_dir: Path) -> None:
        import torch

        torch.manual_seed(config.seed)
        self.config, self.folder, self.out = config, folder, out_dir
        pairs, dev, _ = load_prepared(folder)
        self.counts = pair_counts(pairs)
        self.codec, self.model = adapter_model(config, folder)
        self.train_set = encode_pairs(self.codec, pairs, config.max_tokens)
        self.dev_set = encode_pairs(self.codec, dev, config.max_tokens)
        params = [p for p in self.model.parameters() if p.requires_grad]
        self.optimizer = torch.optim.AdamW(params, lr=config.learning_rate, weight_decay=0.0)
        self.step, self.epoch, self.position = 0, 0, 0
        self.best, self.history = float("inf"), []
        self.seconds, self.started = 0.0, time.monotonic()  # before this run; this run's start

    def lr(self) -> float:
        warm = self.config.warmup_steps
        return self.config.learning_rate * min(1.0, (self.step + 1) / max(warm, 1))

    def loss(self, batch: list[Example]) -> Any:
        import torch

        inputs = collate(batch, self.codec.pad_id)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            return self.model(**inputs).loss

    def train_step(self, batch: list[Example]) -> float:
        for group in self.optimizer.param_groups:
            group["lr"] = self.lr()
        loss = self.loss(batch)
        loss.backward()
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.step += 1
        return loss.item()

    def dev_loss(self) -> float:
        import torch

        self.model.eval()
        total, tokens = 0.0, 0
        with torch.no_grad():
            for k in range(0, len(self.dev_set), self.config.batch_size):
                batch = self.dev_set[k : k + self.config.batch_size]
                n = sum(len(e.target) for e in batch)
                total, tokens = total + float(self.loss(batch)) * n, tokens + n
        self.model.train()
        return total / max(tokens, 1)

    def run(self, minutes: float, log: Any = print) -> dict:
        """Train until ``minutes`` pass or ``max_steps`` is reached; return the log."""
        start = saved = self.started = time.monotonic()
        self.model.train()
        running: list[float] = []
        while not self._finished(start, minutes):
            batches = batch_order(
                self.train_set, self.config.batch_size, self.config.seed, self.epoch
            )
            while self.position < len(batches) and not self._finished(start, minutes):
                batch = [self.train_set[i] for i in batches[self.position]]
                running.append(self.train_step(batch))
                self.position += 1
                if self.step % 25 == 0:
                    mean = sum(running) / len(running)
                    log(f"step {self.step} loss {mean:.4f} lr {self.lr():.2e}")
                    running = []
                if self.step % self.config.eval_steps == 0:
                    self.evaluate(log)
                if time.monotonic() - saved > self.config.lora.save_minutes * 60:
                    self.save_state()
                    saved = time.monotonic()
            if self.position >= len(batches):
                self.epoch, self.position = self.epoch + 1, 0
        self.evaluate(log)
        self.save_state()
        return self.summary()

    def _finished(self, start: float, minutes: float) -> bool:
        steps = self.config.max_steps
        return (0 < steps <= self.step) or time.monotonic() - start > minutes * 60

    def evaluate(self, log: Any) -> None:
        loss = self.dev_loss()
        self.history.append({"step": self.step, "dev_loss": round(loss, 4)})
        log(f"step {self.step} dev loss {loss:.4f}")
        if loss < self.best:
            self.best = loss
            # the cut embeddings are rebuilt from the base and the vocabulary map: not saved
            self.model.save_pretrained(self.out / "best", save_embedding_layers=False)
            self.codec.vocab and self.codec.vocab.save(self.out / "best")

    def save_state(self) -> None:
        """Adapter, optimiser and position, written atomically."""
        import torch
        from peft import get_peft_model_state_dict

        state = {
            "adapter": get_peft_model_state_dict(self.model),
            "optimizer": self.optimizer.state_dict(),
            "meta": self.summary(),
        }
        tmp = self.out / (STATE + ".tmp")
        self.out.mkdir(parents=True, exist_ok=True)
        torch.save(state, tmp)
        tmp.replace(self.out / STATE)

    def resume(self) -> bool:
        """Continue from ``out_dir``'s checkpoint if there is one."""
        import torch
        from peft import set_peft_model_state_dict

        path = self.out / STATE
        if not path.is_file():
            return False
        state = torch.load(path, weights_only=False)
        set_peft_model_state_dict(self.model, state["adapter"])
        self.optimizer.load_state_dict(state["optimizer"])
        meta = state["meta"]
        self.step, self.epoch, self.position = meta["steps"], meta["epoch"], meta["position"]
        self.best, self.history = meta["best_dev_loss"], meta["history"]
        self.seconds = meta["seconds"]
        return True

    def summary(self) -> dict:
        return {
            "pairs": self.counts, "examples": len(self.train_set), "steps": self.step,
            "epoch": self.epoch, "position": self.position, "best_dev_loss": self.best,
            "history": self.history,
            "seconds": round(self.seconds + time.monotonic() - self.started, 1),
            "lora": asdict(self.config.lora),
        }  # fmt: skip
