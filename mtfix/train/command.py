"""``mtfix train``: build the data, train the repair model, export the best checkpoint.

Also runs as ``python -m mtfix.train`` where only torch and transformers are installed
(a GPU machine): give it ``--prepared DIR``, a folder made here with ``--prepare-only``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from mtfix.errors import ConfigError
from mtfix.train.config import TrainConfig, load_config

DEFAULT_OUT = Path.home() / ".cache" / "mtfix" / "train"


def add_train_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``mtfix train``."""
    parser.add_argument("--config", required=True, help="TOML training config (eval/train-lm.toml)")
    parser.add_argument("--data", help="reference data folder (default ../shared/data)")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="checkpoints (outside the repo)")
    parser.add_argument("--export", metavar="DIR", help="save the best model here")
    parser.add_argument("--max-minutes", type=float, help="override the config's time budget")
    folder = parser.add_mutually_exclusive_group()
    folder.add_argument(
        "--prepare-only", metavar="DIR", help="only build the training folder (pairs, vocab)"
    )
    folder.add_argument("--prepared", metavar="DIR", help="train on a folder built before")
    parser.add_argument(
        "--init", metavar="MODEL", help="start from this seq2seq model (dir or hub id)"
    )
    parser.add_argument(
        "--resume", action="store_true", help="LoRA: continue from the checkpoint in --out"
    )


def _data_dir(arg: str | None, needed: bool) -> Path:
    data = Path(arg or os.environ.get("MTFIX_DATA", "../shared/data"))
    if needed and not (data / "mlqe-pe").is_dir():
        raise ConfigError(f"{data}: no MLQE-PE data there (give --data or MTFIX_DATA)")
    return data


def run_train(args: argparse.Namespace) -> int:
    """Prepare, then train and export (or only one of the two)."""
    from mtfix.train.prepare import folder_for, prepare

    data = _data_dir(args.data, not args.prepared)
    config = load_config(args.config, data, args.max_minutes, args.init)
    out = Path(args.out)
    if args.prepared:
        folder = Path(args.prepared)
    else:
        from mtfix.nlp import load_spacy

        folder = Path(args.prepare_only) if args.prepare_only else folder_for(config, out)
        prepare(config, folder, nlp=load_spacy())
        if args.prepare_only:
            print(f"training folder ready: {folder}")
            return 0
    target = Path(args.export) if args.export else None
    if config.lora:
        from mtfix.train.lm_export import train_lora

        return train_lora(config, folder, out, target, args.resume)
    return _train_and_export(config, folder, out, target)


def _train_and_export(config: TrainConfig, folder: Path, out: Path, target: Path | None) -> int:
    from mtfix.train.loop import export, train

    tokenizer, model, log = train(config, folder, out)
    target = target or out / "best"
    export(tokenizer, model, config, log, target)
    print(f"best dev loss {log['best_eval_loss']:.4f} after {log['steps']} steps; saved {target}")
    return 0
