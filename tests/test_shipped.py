"""The shipped rewriter: loads by default with no network and repairs a sentence."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mtfix.rewrite.shipped import MODELS_DIR, shipped_model_dir

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = MODELS_DIR / "mtfix-rewriter"
pytestmark = pytest.mark.skipif(
    shipped_model_dir() is None, reason="no shipped model (or its base LM package) installed"
)
PROBE = """
import json, sys
from mtfix.rewrite import load_rewriter
rewriter = load_rewriter(None)
texts = json.loads(sys.argv[1])
print(json.dumps({"name": rewriter.name, "out": rewriter.rewrite(texts)}))
"""
SENTENCES = [
    "Contacts de Mistura in Moscow and Damascus not only develop the successes of previous "
    "meetings, but also paving the way to the next, which, according to the October 30 "
    "statement, to be held next week.",
    "Russia and the United States agreed to continue consultations next week.",
]


def test_the_shipped_model_is_small_and_described() -> None:
    weights = SHIPPED / "adapter_model.safetensors"
    assert weights.stat().st_size < 60 * 2**20
    card = (SHIPPED / "MODEL_CARD.md").read_text(encoding="utf-8")
    for part in ("Gemma", "Terms of Use", "MLQE-PE", "CC0", "TER"):
        assert part in card
    adapter = json.loads((SHIPPED / "adapter_config.json").read_text())
    assert adapter["base_model_name_or_path"] == "gemma3-270m"


def test_the_shipped_model_loads_offline_and_rewrites() -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(SENTENCES)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(done.stdout.strip().splitlines()[-1])
    assert data["name"] == "causal:mtfix-rewriter"
    fixed, clean = data["out"]
    assert fixed.endswith("statement, will be held next week.")  # the missing "will"
    assert fixed.startswith("Contacts") and "Moscow and Damascus" in fixed
    assert clean == SENTENCES[1]  # a good sentence comes back as it was


def test_the_base_tokenizer_fast_path_gives_auto_tokenizer_ids() -> None:
    from transformers import AutoTokenizer

    from mtfix.lm.base import BASES, load_base

    tokenizer, _ = load_base("gemma3-270m")
    auto = AutoTokenizer.from_pretrained(BASES["gemma3-270m"].cache_dir("bfloat16"))
    texts = [*SENTENCES, "«Цитата» — 29–30 October, 😀 communiqué\n\nnext."]
    assert tokenizer(texts)["input_ids"] == auto(texts)["input_ids"]
    assert tokenizer.padding_side == "right"
