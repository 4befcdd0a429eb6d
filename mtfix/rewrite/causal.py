"""A causal LM as a sentence rewriter: it continues ``<bos>source =>`` with the repair.

Loads a plain causal LM (a directory or hub id whose config is not encoder-decoder) or
a LoRA adapter directory (``adapter_config.json``, optional ``vocab.json``) over a base
LM named in the adapter: a packaged base of ``mtfix.lm.base`` (shared, loaded once, with
the fluency detector) or any causal LM directory. The adapter is merged into private
copies of the layers it changes, so decoding runs at the base model's speed and the
base stays untouched. Decoding is deterministic: greedy, batched by length, or one
sentence at a time with prompt-lookup drafts from the source (most of a repair copies).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from mtfix.errors import ConfigError
from mtfix.lm.prompt import Codec
from mtfix.lm.vocab import VocabMap

EXTRA_TOKENS = 8
DECODINGS = ("greedy", "lookup")


def merge_into_copies(peft_model: Any) -> Any:
    """The adapted model with each LoRA delta added into a new weight tensor (base intact)."""
    import torch
    from peft.tuners.lora import LoraLayer

    for module in peft_model.modules():
        if isinstance(module, LoraLayer):
            layer = module.get_base_layer()
            for name in module.active_adapters:
                delta = module.get_delta_weight(name).to(layer.weight.dtype)
                layer.weight = torch.nn.Parameter(layer.weight + delta, requires_grad=False)
    return peft_model.unload()


def _adapter(path: Path) -> tuple[Codec, Any]:
    from peft import PeftModel

    from mtfix.lm.base import load_base
    from mtfix.lm.cut import cut_model

    base_name = json.loads((path / "adapter_config.json").read_text())["base_model_name_or_path"]
    tokenizer, base = load_base(base_name, "bfloat16")
    vocab = VocabMap.load(path)
    model = cut_model(base, vocab) if vocab else _private_copy(base)
    return Codec(tokenizer, vocab), merge_into_copies(PeftModel.from_pretrained(model, path))


def _private_copy(base: Any) -> Any:
    """New module objects over the same tensors, so an adapter leaves ``base`` as it is."""
    import copy

    shared = {id(t): t for t in (*base.parameters(), *base.buffers())}
    return copy.deepcopy(base, memo=shared)


def _plain(model: str) -> tuple[Codec, Any]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from mtfix.rewrite.seq2seq import from_local_or_hub

    def load(source: str, local_only: bool) -> tuple[Any, Any]:
        tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local_only)
        net = AutoModelForCausalLM.from_pretrained(
            source, local_files_only=local_only, dtype=torch.float32
        )
        return tokenizer, net

    tokenizer, net = from_local_or_hub(model, load)
    return Codec(tokenizer), net


@lru_cache(maxsize=4)
def load_causal(model: str) -> tuple[Codec, Any]:
    """Codec and causal LM (eval mode) for a model directory, adapter or hub id, once."""
    from mtfix.loads import loading

    path = Path(model).expanduser()
    try:
        with loading("rewriter"):  # with the base LM, if it was not loaded yet
            adapter = (path / "adapter_config.json").is_file()
            codec, net = _adapter(path) if adapter else _plain(model)
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"rewrite model {model!r} cannot be loaded: {exc}") from exc
    return codec, net.eval()


class CausalRewriter:
    """Rewrites sentences by greedy continuation of ``source =>``."""

    def __init__(
        self,
        model_id_or_dir: str,
        *,
        batch_size: int = 16,
        max_length_ratio: float = 1.5,
        decoding: str = "greedy",
        lookup_tokens: int = 10,
    ) -> None:
        if decoding not in DECODINGS:
            raise ConfigError(f"decoding {decoding!r}: one of {', '.join(DECODINGS)}")
        self.codec, self.model = load_causal(str(model_id_or_dir))
        self.name = f"causal:{Path(str(model_id_or_dir)).name}"
        self.batch_size = 1 if decoding == "lookup" else batch_size
        self.max_length_ratio = max_length_ratio
        self.decoding = decoding
        self.lookup_tokens = lookup_tokens

    def rewrite(self, texts: list[str]) -> list[str]:
        """One rewrite per text, in input order; batches are formed by input length."""
        prompts = [self.codec.prompt(t) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(prompts[i]))
        out: list[str] = [""] * len(texts)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            for i, ids in zip(batch, self._generate([prompts[i] for i in batch]), strict=True):
                out[i] = self.codec.decode(ids) or texts[i]
        return out

    def _generate(self, prompts: list[list[int]]) -> list[list[int]]:
        import torch

        longest = max(len(p) for p in prompts)
        pad = self.codec.pad_id
        ids = torch.tensor([[pad] * (longest - len(p)) + p for p in prompts])
        mask = torch.tensor([[0] * (longest - len(p)) + [1] * len(p) for p in prompts])
        budgets = [int(len(p) * self.max_length_ratio) + EXTRA_TOKENS for p in prompts]
        lookup = self.decoding == "lookup"
        extra = {"prompt_lookup_num_tokens": self.lookup_tokens} if lookup else {}
        with torch.inference_mode():
            out = self.model.generate(
                input_ids=ids, attention_mask=mask, max_new_tokens=max(budgets), do_sample=False,
                num_beams=1, eos_token_id=self.codec.eos_id, pad_token_id=pad, **extra,
            )  # fmt: skip
        # each sentence stops at its own budget, whatever batch it was in
        return [row[:b].tolist() for row, b in zip(out[:, longest:], budgets, strict=True)]
