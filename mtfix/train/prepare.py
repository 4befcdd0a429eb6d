"""The training folder: pairs, dev pairs and vocabulary, built once on any machine.

Building the pairs parses tens of thousands of sentences (minutes on a CPU), so it is
done once per data configuration; training then reads the folder and needs nothing but
torch, transformers and tokenizers (it can run on a GPU machine with no data there).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from mtfix.errors import ConfigError
from mtfix.train.config import TrainConfig

PAIRS_FILE = "pairs.jsonl"
DEV_FILE = "dev.jsonl"
TOKENIZER_DIR = "tokenizer"


def folder_for(config: TrainConfig, out_dir: Path) -> Path:
    """``out_dir/prepared-<key>``, the key naming what decides the folder's content."""
    vocab = config.lora.base if config.lora else config.vocab_size
    what = (repr(config.data), vocab, config.dev_size)
    return out_dir / f"prepared-{hashlib.sha256(repr(what).encode()).hexdigest()[:12]}"


def prepare(config: TrainConfig, folder: Path, nlp: Any = None) -> Path:
    """Build (or reuse) the training folder for ``config``."""
    from mtfix.train.data import dev_pairs, training_pairs

    if (folder / TOKENIZER_DIR).is_dir():
        return folder
    pairs = training_pairs(config.data, nlp=nlp)
    dev = dev_pairs(config.data, config.dev_size)
    texts = [t for p in pairs for t in (p.source, p.target)]
    tokenizer, vocab = _vocabulary(config, texts, pairs)
    folder = write_prepared(folder, [asdict(p) for p in pairs], [asdict(p) for p in dev], tokenizer)
    if vocab is not None:
        vocab.save(folder / TOKENIZER_DIR)
    return folder


def _vocabulary(config: TrainConfig, texts: list[str], pairs: list) -> tuple[Any, Any]:
    """A new BPE tokenizer (seq2seq), or the base LM's with the ids that the pairs use,
    as the prompt format writes them (LoRA)."""
    if config.lora is None:
        from mtfix.train.vocab import build_tokenizer

        return build_tokenizer(texts, config.vocab_size), None
    return base_vocabulary(config.lora.base, pairs)


def base_vocabulary(base: str, pairs: list) -> tuple[Any, Any]:
    """The base LM's tokenizer and the ids its prompts and targets for ``pairs`` use."""
    from mtfix.lm.base import load_base
    from mtfix.lm.prompt import prompt_text, target_text
    from mtfix.lm.vocab import VocabMap

    tokenizer, _ = load_base(base, "bfloat16")
    texts = (t for p in pairs for t in (prompt_text(p.source), target_text(p.target)))
    return tokenizer, VocabMap.build(tokenizer, texts)


def write_prepared(folder: Path, pairs: list[dict], dev: list[dict], tokenizer: Any) -> Path:
    """Write a training folder: pairs and dev pairs (``source``, ``target``, ``kind``), vocab."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_jsonl(folder / PAIRS_FILE, pairs)
    _write_jsonl(folder / DEV_FILE, dev)
    tokenizer.save_pretrained(folder / TOKENIZER_DIR)
    return folder


def load_prepared(folder: Path) -> tuple[list[dict], list[dict], Any]:
    """(training pairs, dev pairs, tokenizer) of a training folder."""
    from transformers import AutoTokenizer

    if not (folder / TOKENIZER_DIR).is_dir():
        raise ConfigError(f"{folder}: not a prepared training folder (run with --prepare-only)")
    pairs = _read_jsonl(folder / PAIRS_FILE)
    dev = _read_jsonl(folder / DEV_FILE)
    return pairs, dev, AutoTokenizer.from_pretrained(folder / TOKENIZER_DIR)


def pair_counts(pairs: list[dict]) -> dict[str, int]:
    """How many pairs of each kind."""
    return {k: sum(p["kind"] == k for p in pairs) for k in ("real", "identity", "synthetic")}


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]
