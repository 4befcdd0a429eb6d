"""Which architecture learns to copy soonest: T5, BART or Marian, same size, data and time.

    python eval/copy_probe.py PREPARED_DIR [--minutes 12] [--threads 1] [--arch t5 bart marian]
        [--copy-only 3000]

Trains each architecture from scratch with ``mtfix.train`` (a small size that trains on a
CPU) for the same wall-clock time on a folder from ``mtfix train --prepare-only``, then
decodes sentences that should come back unchanged. By default: the folder's pairs, and
clean MLQE-PE dev sentences (post-edits identical to their MT). With ``--copy-only N``: N
short clean sentences of the folder mapped to themselves, and 100 of those same training
sentences (can the model copy at all?). Prints, per architecture: steps, best dev loss,
the share returned exactly unchanged and chrF of 150 dev outputs against their references.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import replace
from pathlib import Path

from mtfix.train.config import DataConfig, TrainConfig
from mtfix.train.model import ARCHITECTURES, ModelSize
from mtfix.train.prepare import load_prepared, write_prepared

SIZE = ModelSize(d_model=256, d_ff=1024, d_kv=32, num_heads=4, num_layers=3, num_decoder_layers=3)
SHORT = 90  # characters: copy-only sentences are short, to learn fast


def probe_config(arch: str, minutes: float) -> TrainConfig:
    """The small, time-bounded configuration every architecture shares."""
    return TrainConfig(
        data=DataConfig(data_dir=Path(".")),
        model=replace(SIZE, architecture=arch),
        batch_size=32,
        learning_rate=1e-3,
        lr_scheduler="inverse_sqrt",
        warmup_steps=200,
        max_minutes=minutes,
        eval_steps=300,
        dev_size=600,
    )


def copy_only_folder(prepared: Path, n: int) -> Path:
    """A folder of ``n`` short clean sentences mapped to themselves (dev: 200 of them)."""
    pairs, _, tokenizer = load_prepared(prepared)
    rows = [p for p in pairs if p["kind"] == "identity" and len(p["source"]) < SHORT][:n]
    return write_prepared(Path(tempfile.mkdtemp()), rows, rows[:200], tokenizer)


def decode(model, tokenizer, texts: list[str]) -> list[str]:
    """Beam-4 outputs, 16 at a time."""
    import torch

    outs = []
    with torch.inference_mode():
        for i in range(0, len(texts), 16):
            x = tokenizer(texts[i : i + 16], return_tensors="pt", padding=True)
            x.pop("token_type_ids", None)
            ids = model.generate(**x, num_beams=4, max_new_tokens=96)
            outs += tokenizer.batch_decode(ids, skip_special_tokens=True)
    return outs


def score(model, tokenizer, dev: list[dict]) -> dict:
    """Unchanged rate on clean sentences, chrF on 150 dev pairs."""
    from sacrebleu.metrics import CHRF

    clean = [r["target"] for r in dev if r["source"] == r["target"]][:100]
    copies = decode(model.eval(), tokenizer, clean)
    edited = decode(model, tokenizer, [r["source"] for r in dev[:150]])
    chrf = CHRF().corpus_score(edited, [[r["target"] for r in dev[:150]]]).score
    same = sum(a == b for a, b in zip(copies, clean, strict=True))
    return {"unchanged": f"{same}/{len(clean)}", "chrf": round(chrf, 2), "example": copies[:2]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prepared", type=Path)
    parser.add_argument("--minutes", type=float, default=12)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--arch", nargs="+", default=list(ARCHITECTURES), choices=ARCHITECTURES)
    parser.add_argument("--copy-only", type=int, default=0, metavar="N")
    args = parser.parse_args()
    import torch

    from mtfix.train.loop import train

    torch.set_num_threads(args.threads)
    folder = copy_only_folder(args.prepared, args.copy_only) if args.copy_only else args.prepared
    dev = load_prepared(folder)[1]
    for arch in args.arch:
        out = Path(tempfile.mkdtemp())
        tokenizer, model, log = train(probe_config(arch, args.minutes), folder, out)
        row = {"arch": arch, "steps": log["steps"], "dev_loss": round(log["best_eval_loss"], 3)}
        print(json.dumps(row | score(model, tokenizer, dev)), flush=True)


if __name__ == "__main__":
    main()
