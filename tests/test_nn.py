"""The plain-torch forwards compute what transformers computes, on the same tensors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from mtfix.nn import bert, gemma3  # noqa: E402

BATCH = {  # two right-padded rows: the padding must not change the real positions
    "input_ids": [[2, 17, 40, 5, 99, 31, 8], [2, 63, 12, 0, 0, 0, 0]],
    "attention_mask": [[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0, 0]],
}


def _batch() -> dict[str, torch.Tensor]:
    return {k: torch.tensor(v) for k, v in BATCH.items()}


def _tiny_gemma(sliding_window: int) -> tuple[dict, object]:
    config = transformers.Gemma3TextConfig(
        vocab_size=128, hidden_size=32, intermediate_size=64, num_hidden_layers=3,
        num_attention_heads=4, num_key_value_heads=2, head_dim=8, sliding_window=sliding_window,
        layer_types=["sliding_attention", "sliding_attention", "full_attention"],
        query_pre_attn_scalar=8, max_position_embeddings=64,
    )  # fmt: skip
    torch.manual_seed(0)
    model = transformers.Gemma3ForCausalLM(config).eval()
    with torch.no_grad():  # norms start at zero; give them a shape worth checking
        for name, param in model.named_parameters():
            if "norm" in name:
                param.normal_(0, 0.3)
    return json.loads(config.to_json_string()), model


@pytest.mark.parametrize("window", [3, 512])
def test_gemma3_hidden_states_and_logits_match_transformers(window: int) -> None:
    config, model = _tiny_gemma(window)
    assert gemma3.supports(config)
    native = gemma3.Gemma3Text(config, dict(model.state_dict()))
    batch, real = _batch(), torch.tensor(BATCH["attention_mask"]).bool()
    with torch.inference_mode():
        expected = model.model(**batch).last_hidden_state
        got = native.hidden(batch["input_ids"], batch["attention_mask"])
        assert torch.allclose(got[real], expected[real], atol=1e-5)
        logits = model(**batch).logits
        assert torch.allclose(native.logits(got)[real], logits[real], atol=1e-4)


def test_gemma3_refuses_what_it_does_not_compute() -> None:
    config, _ = _tiny_gemma(512)
    assert not gemma3.supports({**config, "attn_logit_softcapping": 50.0})
    assert not gemma3.supports({**config, "model_type": "llama"})


def test_bert_last_hidden_states_match_transformers() -> None:
    config = transformers.BertConfig(
        vocab_size=128, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=64, max_position_embeddings=16,
    )  # fmt: skip
    torch.manual_seed(0)
    model = transformers.BertModel(config).eval()
    as_dict = json.loads(config.to_json_string())
    assert bert.supports(as_dict)
    native = bert.BertEncoder(as_dict, dict(model.state_dict()))
    batch, real = _batch(), torch.tensor(BATCH["attention_mask"]).bool()
    with torch.inference_mode():
        expected = model(**batch).last_hidden_state
        got = native.hidden(**batch)
    assert torch.allclose(got[real], expected[real], atol=1e-5)
    assert not bert.supports({**as_dict, "hidden_act": "relu"})


def test_scoring_a_fix_needs_no_transformers_modeling_code(tmp_path: Path) -> None:
    """The point of mtfix.nn: an offline run never imports transformers' modeling code."""
    from mtfix.lm.base import base_available

    if not base_available():
        pytest.skip("the fluency extra (Gemma GGUF) is not installed")
    seed = Path(__file__).parent.parent / "samples" / "lavrov-de-mistura.mt.txt"
    argv = ["fix", "--no-model", str(seed), "-q", "-o", str(tmp_path / "out.txt")]
    script = (
        "import sys\n"
        "from mtfix.cli import main\n"
        f"main({argv!r})\n"
        "print('transformers.modeling_utils' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "False"
    assert "Minister of Foreign Affairs" in (tmp_path / "out.txt").read_text(encoding="utf-8")


def test_a_model_outside_the_packaged_bases_is_scored_through_transformers(
    tiny_causal_dir: Path,
) -> None:
    """``load_scorer`` wraps any other causal LM; both paths give the same log-probabilities."""
    from mtfix.lm.scorer import HubScorer, load_scorer

    tokenizer, scorer = load_scorer(str(tiny_causal_dir), "float32")
    assert isinstance(scorer, HubScorer)
    config = json.loads(scorer.model.config.to_json_string())
    native = gemma3.Gemma3Text(config, dict(scorer.model.state_dict()))
    enc = tokenizer(["a cat", "the dog sat down"], return_tensors="pt", padding=True)
    real = enc["attention_mask"].bool()
    with torch.inference_mode():
        hub = scorer.logits(scorer.hidden(enc["input_ids"], enc["attention_mask"]))
        own = native.logits(native.hidden(enc["input_ids"], enc["attention_mask"]))
    assert torch.allclose(hub[real], own[real], atol=1e-4)


@pytest.mark.parametrize("window", [3, 512])
def test_gemma3_extend_from_a_prefix_cache_matches_a_full_forward(window: int) -> None:
    config, model = _tiny_gemma(window)
    native = gemma3.Gemma3Text(config, dict(model.state_dict()))
    batch = _batch()
    # three continuations of row 0 (packed into one sequence), of different lengths
    continuations = [[2, 17, 40, 77, 3], [2, 63, 12, 9], [2, 17, 40, 5, 99, 31, 8, 44], [2, 50]]
    rows, starts = torch.tensor([0, 1, 0, 0]), torch.tensor([3, 3, 7, 1])
    width = max(len(c) - int(s) for c, s in zip(continuations, starts, strict=True))
    ids = torch.zeros(len(rows), width, dtype=torch.long)
    mask = torch.zeros(len(rows), width, dtype=torch.long)
    for b, (c, s) in enumerate(zip(continuations, starts.tolist(), strict=True)):
        ids[b, : len(c) - s], mask[b, : len(c) - s] = torch.tensor(c[s:]), 1
    with torch.inference_mode():
        _, cache = native.prefix(batch["input_ids"], batch["attention_mask"])
        got = native.extend(cache, rows, starts, ids, mask)
        for b, (c, s) in enumerate(zip(continuations, starts.tolist(), strict=True)):
            full = native.hidden(torch.tensor([c]), torch.ones(1, len(c), dtype=torch.long))
            assert torch.allclose(got[b, : len(c) - s], full[0, s:], atol=1e-5)


def test_gemma3_rows_in_a_padded_batch_score_as_alone() -> None:
    """The products run on the real tokens only: a short row beside a long one gets the
    hidden states it gets alone, and its padded positions are zeros."""
    config, model = _tiny_gemma(512)
    native = gemma3.Gemma3Text(config, dict(model.state_dict()))
    batch = _batch()
    with torch.inference_mode():
        both = native.hidden(batch["input_ids"], batch["attention_mask"])
        for row, mask in enumerate(batch["attention_mask"]):
            n = int(mask.sum())
            alone = native.hidden(batch["input_ids"][row : row + 1, :n], mask[None, :n])
            assert torch.allclose(both[row, :n], alone[0], atol=1e-5)
            assert not both[row, n:].any()


def test_packing_puts_every_token_back_where_it_came_from() -> None:
    from mtfix.nn.packing import Layout, pack

    ids = torch.tensor([[5, 6, 0], [7, 0, 0], [8, 9, 10]])
    mask = (ids > 0).long()
    packed = pack(torch.tensor([1, 0, 1]), torch.tensor([4, 2, 6]), ids, mask)
    assert packed.rows.tolist() == [1, 0]
    assert packed.input_ids.tolist() == [[5, 6, 8, 9, 10], [7, 0, 0, 0, 0]]
    assert packed.positions[0].tolist() == [4, 5, 6, 7, 8]
    assert packed.visible[0].tolist() == [4, 4, 6, 6, 6]
    assert packed.reads.tolist() == [[0, 0, 2, 2, 2], [1, -1, -1, -1, -1]]
    flat = packed.layout.flat(packed.input_ids[..., None].float())
    back = Layout.of_mask(mask).padded(flat)[..., 0].long()
    assert torch.equal(back, ids)
