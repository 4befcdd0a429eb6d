"""Shared test fixtures."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

# Tests that assert a repair's exact words run the LM on the reference engine everywhere
# (a machine with AMX would otherwise pick bfloat16, whose near-ties can fall the other
# way); tests/test_engine.py holds bfloat16 to float32. Set MTFIX_ENGINE to override.
os.environ.setdefault("MTFIX_ENGINE", "float32")

_CORPUS = [
    "Visit de Mistura in Moscow will continue efforts on the Syrian settlement.",
    "The minister said the talks would take place on 29-30 March in Geneva.",
    "He did not confirm the date of the next meeting with foreign Affairs officials.",
    "Russia and the United States agreed to continue consultations next week.",
    "The sides discussed the humanitarian situation and the ceasefire regime.",
]


def build_tiny_t5(path: Path) -> Path:
    """Save a tiny randomly initialised T5 and a locally trained tokenizer to ``path``.

    Built with the same vocabulary and configuration code as the shipped model.
    """
    import torch
    from transformers import T5ForConditionalGeneration

    from mtfix.train.model import ModelSize, t5_config
    from mtfix.train.vocab import build_tokenizer

    tokenizer = build_tokenizer(_CORPUS, vocab_size=200)
    size = ModelSize(d_model=32, d_ff=64, d_kv=8, num_heads=4, num_layers=2, num_decoder_layers=2)
    torch.manual_seed(0)
    T5ForConditionalGeneration(t5_config(len(tokenizer), size)).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def tiny_t5_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding a tiny random T5 and its tokenizer, as a real model is saved."""
    return build_tiny_t5(tmp_path_factory.mktemp("tiny_t5"))


BYTE_PIECES = [f"<0x{b:02X}>" for b in range(256)]


def build_tiny_tokenizer(path: Path):
    """A Gemma-like tokenizer: Metaspace BPE with byte fallback, <pad> <eos> <bos> <unk>."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    raw = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True))
    raw.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="never")
    specials = ["<pad>", "<eos>", "<bos>", "<unk>", *BYTE_PIECES]
    raw.train_from_iterator(_CORPUS, trainers.BpeTrainer(vocab_size=400, special_tokens=specials))
    spec = json.loads(raw.to_str())  # byte pieces stay in the vocabulary, but are not special
    spec["added_tokens"] = [t for t in spec["added_tokens"] if t["content"] not in BYTE_PIECES]
    raw = Tokenizer.from_str(json.dumps(spec))
    raw.decoder = decoders.Sequence(
        [decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse()]
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=raw, pad_token="<pad>", eos_token="<eos>", bos_token="<bos>",
        unk_token="<unk>",
    )  # fmt: skip
    tokenizer.save_pretrained(path)
    return tokenizer


def build_tiny_causal(path: Path) -> Path:
    """Save a tiny randomly initialised Gemma 3 (causal LM) and its tokenizer to ``path``."""
    import torch
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig

    tokenizer = build_tiny_tokenizer(path)
    config = Gemma3TextConfig(
        vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=2, num_key_value_heads=1, head_dim=16, sliding_window=16,
        pad_token_id=0, eos_token_id=1, bos_token_id=2, max_position_embeddings=512,
    )  # fmt: skip
    torch.manual_seed(0)
    Gemma3ForCausalLM(config).save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def tiny_causal_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding a tiny random causal LM and its byte-fallback tokenizer."""
    return build_tiny_causal(tmp_path_factory.mktemp("tiny_causal"))


@pytest.fixture(scope="session")
def spacy_nlp():
    """The real spaCy English pipeline, loaded once."""
    from mtfix.nlp import load_spacy

    return load_spacy()


@pytest.fixture(scope="session")
def harper_checker():
    """The real offline grammar checker."""
    from mtfix.check.offline import HarperChecker

    return HarperChecker()


@pytest.fixture(scope="session")
def embedder():
    """The real all-MiniLM-L6-v2 sentence embedder, loaded once."""
    from mtfix.embed import Embedder

    return Embedder()


@pytest.fixture
def no_languagetool(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No LanguageTool anywhere: no server configured, an empty install folder."""
    for name in ("MTFIX_LT_SERVER", "LTP_JAR_DIR_PATH", "MTFIX_LT_ALLOW", "MTFIX_LT_DENY"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "language_tool_python"
    home.mkdir()
    monkeypatch.setenv("LTP_PATH", str(home))
    return home


@pytest.fixture(scope="session")
def local_pipeline():
    """The real pipeline with local repairs only (no model: fast enough for every test)."""
    from mtfix.pipeline import Options, Pipeline

    return Pipeline(Options(use_model=False, checker="offline"))


@pytest.fixture(scope="session")
def serve_url(local_pipeline):
    """``mtfix serve``'s app on a real loopback port (uvicorn in a thread), its URL."""
    from tests.loopback import serving

    with serving(local_pipeline) as url:
        yield url


@pytest.fixture(scope="session")
def tiny_lm(tiny_causal_dir):
    """A tiny random Gemma 3 as the search's sentence LM (exact scores, built in seconds)."""
    pytest.importorskip("torch")
    from transformers import AutoTokenizer, Gemma3ForCausalLM

    from mtfix.lm.ranker import SentenceLM
    from mtfix.nn.gemma3 import Gemma3Text

    tokenizer = AutoTokenizer.from_pretrained(tiny_causal_dir)
    model = Gemma3ForCausalLM.from_pretrained(tiny_causal_dir)
    config = json.loads(model.config.to_json_string())
    native = Gemma3Text(config, dict(model.state_dict()))
    return SentenceLM(tokenizer, native, vocab=list(range(len(tokenizer))))
