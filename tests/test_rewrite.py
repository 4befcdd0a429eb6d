"""The seq2seq rewriter, run on a tiny random T5 built and saved locally."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from mtfix.errors import ConfigError
from mtfix.rewrite import Rewriter, load_rewriter
from mtfix.rewrite import shipped as shipped_mod
from mtfix.rewrite.seq2seq import MAX_TOKENS, Seq2SeqRewriter

TEXTS = [
    "The minister said the talks would take place on 29-30 March in Geneva.",
    "Visit de Mistura in Moscow will continue efforts.",
    "He did not confirm the date.",
    "Russia and the United States agreed to continue consultations next week on Syria.",
    "Talks.",
]


@pytest.fixture()
def rewriter(tiny_t5_dir: Path) -> Seq2SeqRewriter:
    return Seq2SeqRewriter(str(tiny_t5_dir), batch_size=2, num_beams=2)


def test_loads_tiny_model_through_the_real_path(rewriter: Seq2SeqRewriter) -> None:
    assert isinstance(rewriter, Rewriter)
    assert rewriter.device == "cpu" or rewriter.device.startswith("cuda")
    assert not rewriter.model.training


def test_one_string_per_input(rewriter: Seq2SeqRewriter) -> None:
    out = rewriter.rewrite(TEXTS)
    assert len(out) == len(TEXTS)
    assert all(isinstance(t, str) for t in out)
    assert rewriter.rewrite([]) == []


def test_output_order_is_input_order(rewriter: Seq2SeqRewriter) -> None:
    # Batches are formed by length, so the same texts in any order meet the same batches.
    forward = rewriter.rewrite(TEXTS)
    backward = rewriter.rewrite(TEXTS[::-1])
    assert backward[::-1] == forward


def test_order_restored_across_batches(
    rewriter: Seq2SeqRewriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[str]] = []

    def echo(texts: list[str]) -> list[str]:
        seen.append(texts)
        return [t.upper() for t in texts]

    monkeypatch.setattr(rewriter, "_generate", echo)
    assert rewriter.rewrite(TEXTS) == [t.upper() for t in TEXTS]
    assert [len(b) for b in seen] == [2, 2, 1]
    lengths = [len(t) for batch in seen for t in batch]
    assert lengths == sorted(lengths)


def test_deterministic(tiny_t5_dir: Path, rewriter: Seq2SeqRewriter) -> None:
    first = rewriter.rewrite(TEXTS)
    assert rewriter.rewrite(TEXTS) == first
    again = Seq2SeqRewriter(str(tiny_t5_dir), batch_size=2, num_beams=2)
    assert again.rewrite(TEXTS) == first


def test_output_length_bounded(rewriter: Seq2SeqRewriter, monkeypatch: pytest.MonkeyPatch) -> None:
    generate = rewriter.model.generate
    shapes: list[tuple[int, int, int]] = []

    def spy(**kwargs: object) -> torch.Tensor:
        ids = generate(**kwargs)
        shapes.append((kwargs["input_ids"].shape[1], ids.shape[1], kwargs["max_new_tokens"]))
        return ids

    monkeypatch.setattr(rewriter.model, "generate", spy)
    rewriter.rewrite(TEXTS)
    for n_in, n_out, budget in shapes:
        assert budget == int(n_in * rewriter.max_length_ratio) + 8
        assert n_out <= budget + 1  # + the decoder start token


def test_budget_capped(rewriter: Seq2SeqRewriter) -> None:
    args = rewriter._generation_args(torch.ones(1, 2000, dtype=torch.long))
    assert args["max_new_tokens"] == MAX_TOKENS
    assert args["do_sample"] is False


def test_model_loaded_once(tiny_t5_dir: Path, rewriter: Seq2SeqRewriter) -> None:
    other = Seq2SeqRewriter(str(tiny_t5_dir), num_beams=1)
    assert other.model is rewriter.model
    assert other.tokenizer is rewriter.tokenizer


def test_missing_dir_is_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no saved model"):
        Seq2SeqRewriter(str(tmp_path / "nope"))
    with pytest.raises(ConfigError, match="no saved model"):
        Seq2SeqRewriter(str(tmp_path))  # exists, but holds no config.json


def test_broken_dir_is_config_error(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "t5"}))
    with pytest.raises(ConfigError) as err:
        Seq2SeqRewriter(str(tmp_path))
    assert "\n" not in str(err.value)


def test_unreachable_hub_id_is_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ConfigError, match="unreachable"):
        Seq2SeqRewriter("mtfix-test/no-such-model")


def test_load_rewriter(tiny_t5_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shipped_mod, "MODELS_DIR", tmp_path)
    assert shipped_mod.shipped_model_dir() is None
    assert load_rewriter(None) is None
    assert isinstance(load_rewriter(str(tiny_t5_dir)), Seq2SeqRewriter)
    shipped = tmp_path / shipped_mod.DEFAULT_MODEL_NAME
    shipped.symlink_to(tiny_t5_dir, target_is_directory=True)
    assert shipped_mod.shipped_model_dir() == shipped
    assert isinstance(load_rewriter(None), Seq2SeqRewriter)
