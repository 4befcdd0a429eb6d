"""Shared test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

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
