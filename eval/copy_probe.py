"""Which architecture learns to copy soonest: T5 against BART, same size, same data, same time.

    python eval/copy_probe.py PREPARED_DIR [--minutes 12] [--threads 1] [--arch t5 bart]

Trains each architecture from scratch with ``mtfix.train`` (a small size that trains on a
CPU) for the same wall-clock time, then decodes clean English that should come back
unchanged (post-edits of MLQE-PE dev, identical to their MT) and MT that needs edits.
Prints, per architecture: steps reached, dev loss, the share returned exactly unchanged,
and chrF of the outputs against their references.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import replace
from pathlib import Path

from mtfix.train.config import DataConfig, TrainConfig
from mtfix.train.model import ModelSize

SIZE = ModelSize(d_model=256, d_ff=1024, d_kv=32, num_heads=4, num_layers=3, num_decoder_layers=3)


def probe_config(arch: str, minutes: float) -> TrainConfig:
    """The small, time-bounded configuration both architectures share."""
    return TrainConfig(
        data=DataConfig(data_dir=Path(".")),
        model=replace(SIZE, architecture=arch),
        batch_size=32,
        learning_rate=1e-3,
        lr_scheduler="inverse_sqrt",
        warmup_steps=200,
        max_minutes=minutes,
        eval_steps=200,
        dev_size=600,
    )


def decode(model, tokenizer, texts: list[str]) -> list[str]:
    """Greedy outputs, 16 at a time."""
    import torch

    outs = []
    with torch.inference_mode():
        for i in range(0, len(texts), 16):
            x = tokenizer(texts[i : i + 16], return_tensors="pt", padding=True)
            x.pop("token_type_ids", None)
            ids = model.generate(**x, num_beams=1, max_new_tokens=96)
            outs += tokenizer.batch_decode(ids, skip_special_tokens=True)
    return outs


def score(model, tokenizer, dev: list[dict]) -> dict:
    """Unchanged rate on clean English, chrF on all dev pairs."""
    from sacrebleu.metrics import CHRF

    clean = [r["target"] for r in dev if r["source"] == r["target"]][:150]
    copies = decode(model.eval(), tokenizer, clean)
    edited = decode(model, tokenizer, [r["source"] for r in dev[:150]])
    chrf = CHRF().corpus_score(edited, [[r["target"] for r in dev[:150]]]).score
    return {"unchanged": sum(a == b for a, b in zip(copies, clean, strict=True)) / len(clean),
            "clean": len(clean), "chrf": round(chrf, 2), "example": copies[:3]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prepared", type=Path)
    parser.add_argument("--minutes", type=float, default=12)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--arch", nargs="+", default=["t5", "bart"])
    args = parser.parse_args()
    import torch

    from mtfix.train.loop import train
    from mtfix.train.prepare import load_prepared

    torch.set_num_threads(args.threads)
    dev = load_prepared(args.prepared)[1]
    for arch in args.arch:
        out = Path(tempfile.mkdtemp())
        tokenizer, model, log = train(probe_config(arch, args.minutes), args.prepared, out)
        row = {"arch": arch, "steps": log["steps"], "dev_loss": round(log["best_eval_loss"], 3)}
        print(json.dumps(row | score(model, tokenizer, dev)), flush=True)


if __name__ == "__main__":
    main()
