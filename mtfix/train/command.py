"""``mtfix train``: build the data, train the repair model, export the best checkpoint."""

from __future__ import annotations

import argparse
import os
import tomllib
from pathlib import Path

from mtfix.errors import ConfigError
from mtfix.train.data import DataConfig
from mtfix.train.model import ModelSize

DEFAULT_OUT = Path.home() / ".cache" / "mtfix" / "train"


def add_train_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``mtfix train``."""
    parser.add_argument("--config", required=True, help="TOML training config (eval/train.toml)")
    parser.add_argument("--data", help="reference data folder (default ../shared/data)")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="checkpoints (outside the repo)")
    parser.add_argument("--export", metavar="DIR", help="save the best model here")
    parser.add_argument("--max-minutes", type=float, help="override the config's time budget")


def load_config(path: str, data_dir: str | None, max_minutes: float | None):
    """The TrainConfig a TOML file describes."""
    from mtfix.train.loop import TrainConfig

    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the training config ({exc})") from None
    data = Path(data_dir or os.environ.get("MTFIX_DATA", "../shared/data"))
    if not (data / "mlqe-pe").is_dir():
        raise ConfigError(f"{data}: no MLQE-PE data there (give --data or MTFIX_DATA)")
    raw["data"] = DataConfig(data_dir=data, **raw.get("data", {}))
    raw["model"] = ModelSize(**raw.get("model", {}))
    if max_minutes is not None:
        raw["max_minutes"] = max_minutes
    return TrainConfig(**raw)


def run_train(args: argparse.Namespace) -> int:
    """Train and export."""
    from mtfix.nlp import load_spacy
    from mtfix.train.loop import export, train

    config = load_config(args.config, args.data, args.max_minutes)
    out = Path(args.out)
    tokenizer, model, log = train(config, out, nlp=load_spacy())
    target = Path(args.export) if args.export else out / "best"
    export(tokenizer, model, config, log, target)
    print(f"best dev loss {log['best_eval_loss']:.4f} after {log['steps']} steps; saved {target}")
    return 0
