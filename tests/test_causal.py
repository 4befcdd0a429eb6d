"""The causal-LM rewriter and LoRA training, on a tiny random Gemma 3 built locally."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from mtfix.errors import ConfigError
from mtfix.lm.prompt import Codec
from mtfix.lm.vocab import VocabMap
from mtfix.rewrite import Rewriter, is_causal, load_rewriter
from mtfix.rewrite.causal import CausalRewriter
from tests.conftest import _CORPUS

TEXTS = [
    "The minister said the talks would take place on 29-30 March in Geneva.",
    "Visit de Mistura in Moscow will continue efforts.",
    "He did not confirm the date.",
    "Talks.",
]
TINY_LORA = """
max_tokens = 96
batch_size = 2
learning_rate = 1e-2
warmup_steps = 1
max_steps = 6
eval_steps = 3
dev_size = 2
[lora]
r = 4
alpha = 8
targets = ["q_proj", "v_proj"]
"""


def test_the_model_files_say_which_backend(tiny_causal_dir: Path, tiny_t5_dir: Path) -> None:
    assert is_causal(str(tiny_causal_dir))
    assert not is_causal(str(tiny_t5_dir))
    assert isinstance(load_rewriter(str(tiny_causal_dir)), CausalRewriter)


def test_rewrites_one_string_per_input_in_order(tiny_causal_dir: Path) -> None:
    rewriter = CausalRewriter(str(tiny_causal_dir), batch_size=2)
    assert isinstance(rewriter, Rewriter) and not rewriter.model.training
    out = rewriter.rewrite(TEXTS)
    assert len(out) == len(TEXTS) and all(isinstance(t, str) and t for t in out)
    assert rewriter.rewrite(TEXTS[::-1])[::-1] == out  # batched by length: order-free
    assert rewriter.rewrite([]) == []


def test_preference_is_the_rewrite_likelihood_over_the_copy(tiny_causal_dir: Path) -> None:
    rewriter = CausalRewriter(str(tiny_causal_dir), batch_size=2)
    sources, rewrites = TEXTS[:3], [TEXTS[0], TEXTS[1] + " Then", "He did confirm the date."]
    prefs = rewriter.preference(sources, rewrites)
    assert prefs[0] == pytest.approx(0.0, abs=1e-4)  # the copy itself
    codec = rewriter.codec
    for source, rewrite, pref in zip(sources[1:], rewrites[1:], prefs[1:], strict=True):
        alone = [rewriter._log_likelihoods(codec, [(codec.prompt(source), codec.target(t))])[0]
                 for t in (rewrite, source)]  # fmt: skip
        assert pref == pytest.approx(alone[0] - alone[1], abs=0.05)  # batching changes nothing


def test_n_best_gives_distinct_rewrites_best_first_and_the_same_each_time(
    tiny_causal_dir: Path,
) -> None:
    from mtfix.article import Sentence
    from mtfix.repair.model import model_candidates

    rewriter = CausalRewriter(str(tiny_causal_dir), batch_size=4)
    found = rewriter.rewrite_n(TEXTS, 3)
    assert len(found) == len(TEXTS) and found == rewriter.rewrite_n(TEXTS, 3)
    assert all(1 <= len(rs) <= 3 and len(set(rs)) == len(rs) for rs in found)
    assert rewriter.rewrite_n(TEXTS, 1) == [[r] for r in rewriter.rewrite(TEXTS)]
    sentences = [Sentence(0, len(t), t) for t in TEXTS]
    groups = model_candidates(rewriter, sentences, TEXTS, n_best=3)
    assert all(1 <= len(g) <= len(rs) for g, rs in zip(groups, found, strict=True))
    assert all(c.source.startswith("causal:") for g in groups for c in g)
    assert any(c.source.endswith("#2") for g in groups for c in g)


def test_prompt_lookup_decoding_gives_the_greedy_output(tiny_causal_dir: Path) -> None:
    greedy = CausalRewriter(str(tiny_causal_dir), batch_size=4).rewrite(TEXTS)
    lookup = CausalRewriter(str(tiny_causal_dir), decoding="lookup").rewrite(TEXTS)
    assert lookup == greedy


def test_unknown_decoding_is_a_config_error(tiny_causal_dir: Path) -> None:
    with pytest.raises(ConfigError, match="decoding"):
        CausalRewriter(str(tiny_causal_dir), decoding="sample")


def test_cut_vocabulary_spells_unknown_tokens_in_bytes(tiny_causal_dir: Path) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_causal_dir)
    vocab = VocabMap.build(tokenizer, ["the talks"])
    assert len(vocab) < len(tokenizer)
    codec = Codec(tokenizer, vocab)
    ids = codec.prompt("the talks with Лавров")[1:]
    assert all(0 <= i < len(vocab) for i in ids)
    assert codec.decode(ids) == "the talks with Лавров =>"


def _prepared(folder: Path, base: Path) -> Path:
    """A LoRA training folder: pairs, dev pairs, the base's tokenizer and a vocabulary map."""
    from transformers import AutoTokenizer

    from mtfix.train.prepare import TOKENIZER_DIR, write_prepared

    rows = [{"source": s.lower(), "target": s, "kind": "synthetic"} for s in _CORPUS]
    tokenizer = AutoTokenizer.from_pretrained(base)
    write_prepared(folder, rows, rows[:2], tokenizer)
    texts = [t for r in rows for t in (r["source"], r["target"])]
    VocabMap.build(tokenizer, texts).save(folder / TOKENIZER_DIR)
    return folder


def _train(tmp_path: Path, base: Path, *extra: str, steps: int = 6) -> subprocess.CompletedProcess:
    config = tmp_path / "tiny-lora.toml"
    config.write_text(
        TINY_LORA.replace("max_steps = 6", f"max_steps = {steps}") + f'base = "{base}"\n'
    )
    folder = tmp_path / "prepared"
    if not folder.is_dir():
        _prepared(folder, base)
    command = [sys.executable, "-m", "mtfix.train", "--config", str(config), "--prepared"]
    command += [str(folder), "--out", str(tmp_path / "ckpt"), "--export", str(tmp_path / "model")]
    return subprocess.run([*command, *extra], capture_output=True, text=True, timeout=300)


def test_lora_training_exports_an_adapter_the_rewriter_loads(
    tmp_path: Path, tiny_causal_dir: Path
) -> None:
    from mtfix.lm.base import load_base

    done = _train(tmp_path, tiny_causal_dir)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "best dev loss" in done.stdout
    export = tmp_path / "model"
    adapter = json.loads((export / "adapter_config.json").read_text())
    assert adapter["base_model_name_or_path"] == str(tiny_causal_dir)
    meta = json.loads((export / "training.json").read_text())
    assert meta["log"]["steps"] == 6 and meta["log"]["pairs"]["synthetic"] == len(_CORPUS)

    _, base = load_base(str(tiny_causal_dir), "bfloat16")
    before = {k: v.clone() for k, v in base.state_dict().items()}
    rewriter = load_rewriter(str(export))
    assert isinstance(rewriter, CausalRewriter) and rewriter.codec.vocab is not None
    assert len(rewriter.rewrite(TEXTS)) == len(TEXTS)
    # the adapter changed the rewriter's layers, not the shared base (the fluency LM)
    after = base.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)
    name = "model.layers.0.self_attn.q_proj.weight"
    assert not torch.equal(rewriter.model.state_dict()[name], after[name])


def test_lora_training_goes_on_from_an_exported_adapter(
    tmp_path: Path, tiny_causal_dir: Path
) -> None:
    from safetensors.torch import load_file

    assert _train(tmp_path, tiny_causal_dir).returncode == 0
    first = tmp_path / "first"
    (tmp_path / "model").rename(first)
    done = _train(tmp_path, tiny_causal_dir, "--init", str(first), steps=1)
    assert done.returncode == 0, done.stderr[-2000:]
    before, after = (
        load_file(d / "adapter_model.safetensors") for d in (first, tmp_path / "model")
    )
    assert before.keys() == after.keys()
    # one step (lr 0.01) from the exported weights, not from a new adapter
    for name in before:
        assert 0 < (after[name] - before[name]).abs().max() <= 0.0101


def test_lora_training_resumes_and_never_overwrites(tmp_path: Path, tiny_causal_dir: Path) -> None:
    assert _train(tmp_path, tiny_causal_dir).returncode == 0
    again = _train(tmp_path, tiny_causal_dir)
    assert again.returncode == 2 and "--resume" in again.stderr
    resumed = _train(tmp_path, tiny_causal_dir, "--resume")
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "resumed at step 6" in resumed.stdout


def test_widening_adds_the_rows_of_new_tokens_and_keeps_the_old(tiny_causal_dir: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from mtfix.lm.cut import cut_model, widen

    tokenizer = AutoTokenizer.from_pretrained(tiny_causal_dir)
    base = AutoModelForCausalLM.from_pretrained(tiny_causal_dir)
    vocab = VocabMap.build(tokenizer, ["the talks"])
    model = cut_model(base, vocab)
    full = base.get_input_embeddings().weight
    new = tokenizer("Geneva talks", add_special_tokens=False)["input_ids"]
    wide = widen(model, full, vocab, new)
    assert wide.kept[: len(vocab)] == vocab.kept and all(wide.get(i) is not None for i in new)
    weight = model.get_input_embeddings().weight
    assert weight is model.get_output_embeddings().weight and len(weight) == len(wide)
    assert all(torch.equal(weight[wide.get(i)], full[i]) for i in new)
    assert widen(model, full, vocab, []) is vocab  # back to the training vocabulary
    assert len(model.get_input_embeddings().weight) == len(vocab)


def test_a_converted_base_loads_mapped_as_from_pretrained_does(tiny_causal_dir: Path) -> None:
    from transformers import AutoModelForCausalLM

    from mtfix.lm.base import _mapped

    slow = AutoModelForCausalLM.from_pretrained(tiny_causal_dir, dtype=torch.float32).eval()
    fast = _mapped(tiny_causal_dir, torch.float32).eval()
    ids = torch.tensor([[2, 5, 9, 14, 3]])
    with torch.inference_mode():
        assert torch.equal(slow(input_ids=ids).logits, fast(input_ids=ids).logits)
    assert _mapped(tiny_causal_dir, torch.bfloat16) is None  # saved in float32: the slow path


def test_a_converted_base_tokenizer_reads_as_auto_tokenizer_does(tiny_causal_dir: Path) -> None:
    from transformers import AutoTokenizer

    from mtfix.lm.base import rust_tokenizer

    auto, rust = AutoTokenizer.from_pretrained(tiny_causal_dir), rust_tokenizer(tiny_causal_dir)
    for text in TEXTS:
        assert rust(text)["input_ids"] == auto(text)["input_ids"]
        assert rust.decode(rust(text)["input_ids"]) == auto.decode(auto(text)["input_ids"])
    assert (rust.bos_token_id, rust.eos_token_id, rust.pad_token_id) == (
        auto.bos_token_id, auto.eos_token_id, auto.pad_token_id,
    )  # fmt: skip


def test_a_first_word_outside_the_cut_vocabulary_is_widened_in_both_forms(
    tiny_causal_dir: Path,
) -> None:
    """A sentence's first word is tokenised without a space in the prompt and with one in
    the target: both must be widened, or a copy is spelled in bytes and scored as unlikely."""
    from transformers import AutoTokenizer

    from mtfix.lm.cut import cut_model
    from mtfix.rewrite.causal import CausalModel

    rewriter = CausalRewriter(str(tiny_causal_dir))
    tokenizer = AutoTokenizer.from_pretrained(tiny_causal_dir)
    vocab = VocabMap.build(tokenizer, ["the talks =>", " the talks"])
    full = rewriter.model.get_input_embeddings().weight.detach().clone()
    rewriter.loaded = CausalModel(Codec(tokenizer, vocab), cut_model(rewriter.model, vocab), full)
    rewriter.codec, rewriter.model = rewriter.loaded.codec, rewriter.loaded.model
    text = "Minister said so."
    codec, plain = rewriter._codec_for([text]), Codec(tokenizer)
    assert codec.vocab.to_full(codec.prompt(text)) == plain.prompt(text)
    assert codec.vocab.to_full(codec.target(text)) == plain.target(text)
    assert len(rewriter.codec.target(text)) > len(plain.target(text))  # bytes, unwidened
