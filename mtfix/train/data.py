"""Training pairs for the repair model, from CC0 data only (see ../shared/data/README.md).

- real: MLQE-PE train, MT -> post-edit, five language pairs, detokenized;
- identity: good English mapped to itself (post-edits and MLQE-PE's English side), so the
  model learns to leave good sentences alone;
- synthetic: clean English corrupted into MT English (edits learned from MLQE-PE train
  applied in reverse, plus the Russian calques of ``noise.py``) -> the clean sentence.

MLQE-PE dev is kept out: it is the model-selection set.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from mtfix.read.corpus import Moses, read_lines
from mtfix.train.config import DataConfig

PAIRS = ("ru", "et", "ro", "ne", "si")
# ne-en and si-en MT is poor (TER ~65-70): their post-edits are rewrites, not MT noise.
NOISE_PAIRS = ("ru", "et", "ro")


@dataclass(frozen=True)
class Pair:
    """One training example."""

    source: str
    target: str
    kind: str  # real | identity | synthetic


def mlqe(data_dir: Path, split: str, langs: tuple[str, ...] = PAIRS) -> list[tuple[str, str]]:
    """Detokenized (MT, post-edit) pairs of the given language pairs of one MLQE-PE split."""
    moses = Moses()
    pairs = []
    for lang in langs:
        folder = data_dir / "mlqe-pe" / split / f"{lang}-en"
        mt, pe = read_lines(folder / f"{split}.mt"), read_lines(folder / f"{split}.pe")
        pairs += [(moses.detokenize(m), moses.detokenize(p)) for m, p in zip(mt, pe, strict=True)]
    return pairs


def english_side(data_dir: Path) -> list[str]:
    """Clean English Wikipedia sentences (MLQE-PE en-de / en-zh sources), detokenized."""
    folder = data_dir / "mlqe-pe" / "english-side"
    moses = Moses()  # the files are Moses-tokenized, like MLQE-PE's MT and post-edits
    lines = [line for path in sorted(folder.glob("*.en")) for line in read_lines(path)]
    return [moses.detokenize(line) for line in lines]


def training_pairs(config: DataConfig, nlp=None) -> list[Pair]:
    """Real, identity and synthetic pairs, shuffled with the config's seed."""
    from mtfix.train.noise import corrupt_many, learn_edits

    rng = random.Random(config.seed)
    real = [Pair(m, p, "real") for m, p in mlqe(config.data_dir, "train", config.real_langs)]
    clean = sorted({p.target for p in real} | set(english_side(config.data_dir)))
    real = [p for p in real if word_similarity(p.source, p.target) >= config.min_similarity]
    clean = [c for c in clean if 0 < len(c) <= config.max_chars]
    identity = [Pair(c, c, "identity") for c in rng.sample(clean, min(config.identity, len(clean)))]
    noise_pairs = mlqe(config.data_dir, "train", NOISE_PAIRS)
    table = learn_edits([m for m, _ in noise_pairs], [p for _, p in noise_pairs])
    picked = [rng.choice(clean) for _ in range(config.synthetic)]
    noisy = corrupt_many(picked, rng, table=table, nlp=nlp)
    noisy = [" ".join(n.split()) for n in noisy]  # no stray spaces the input would not have
    synthetic = [Pair(n, c, "synthetic") for n, c in zip(noisy, picked, strict=True) if n != c]
    pairs = [p for p in real if len(p.source) <= config.max_chars] + identity + synthetic
    rng.shuffle(pairs)
    return pairs


def word_similarity(a: str, b: str) -> float:
    """difflib's ratio over words: 1.0 for equal texts, low for a rewrite."""
    return SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def dev_pairs(config: DataConfig, size: int = 1000) -> list[Pair]:
    """A seeded sample of MLQE-PE dev (all five pairs) for model selection."""
    pairs = [Pair(m, p, "real") for m, p in mlqe(config.data_dir, "dev")]
    return random.Random(config.seed).sample(pairs, min(size, len(pairs)))
