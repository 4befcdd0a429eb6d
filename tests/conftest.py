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
    """Save a tiny randomly initialised T5 and a locally trained BPE tokenizer to ``path``."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast, T5Config, T5ForConditionalGeneration

    specials = ["<pad>", "</s>", "<unk>"]
    raw = Tokenizer(models.BPE(unk_token="<unk>"))
    raw.pre_tokenizer = pre_tokenizers.Metaspace()
    raw.train_from_iterator(_CORPUS, trainers.BpeTrainer(vocab_size=200, special_tokens=specials))
    raw.post_processor = processors.TemplateProcessing(
        single="$A </s>", special_tokens=[("</s>", raw.token_to_id("</s>"))]
    )
    raw.decoder = decoders.Metaspace()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=raw, pad_token="<pad>", eos_token="</s>", unk_token="<unk>"
    )
    config = T5Config(
        vocab_size=raw.get_vocab_size(),
        d_model=32,
        d_ff=64,
        d_kv=8,
        num_layers=2,
        num_decoder_layers=2,
        num_heads=4,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )
    torch.manual_seed(0)
    T5ForConditionalGeneration(config).save_pretrained(path)
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
