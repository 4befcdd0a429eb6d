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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from mtfix.errors import ConfigError
from mtfix.lm.prompt import IGNORE, Codec, both_forms, collate
from mtfix.lm.vocab import VocabMap
from mtfix.rewrite import length_batches

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


@dataclass
class CausalModel:
    """A loaded causal LM: its codec, the model, and (for a cut vocabulary over a base with
    tied embeddings) the base's full embedding matrix the cut is widened from."""

    codec: Codec
    model: Any
    full_embedding: Any = None


def _adapter(path: Path) -> CausalModel:
    from peft import PeftModel

    from mtfix.lm.base import load_base
    from mtfix.lm.cut import cut_model, shared_copy, tied

    base_name = json.loads((path / "adapter_config.json").read_text())["base_model_name_or_path"]
    tokenizer, base = load_base(base_name, "bfloat16")
    vocab = VocabMap.load(path)
    model = cut_model(base, vocab) if vocab else shared_copy(base)
    model = merge_into_copies(PeftModel.from_pretrained(model, path))
    full = base.get_input_embeddings().weight if vocab and tied(base) else None
    return CausalModel(Codec(tokenizer, vocab), model.eval(), full)


def _plain(model: str) -> CausalModel:
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
    return CausalModel(Codec(tokenizer), net.eval())


@lru_cache(maxsize=4)
def load_causal(model: str) -> CausalModel:
    """The causal LM (eval mode) of a model directory, adapter or hub id, loaded once."""
    from mtfix.loads import MODELS_LOCK, loading

    path = Path(model).expanduser()
    try:
        with MODELS_LOCK, loading("rewriter"):  # the base LM it loads is timed on its own
            adapter = (path / "adapter_config.json").is_file()
            return _adapter(path) if adapter else _plain(model)
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"rewrite model {model!r} cannot be loaded: {exc}") from exc


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
        self.loaded = load_causal(str(model_id_or_dir))
        self.codec, self.model = self.loaded.codec, self.loaded.model
        self.name = f"causal:{Path(str(model_id_or_dir)).name}"
        self.batch_size = 1 if decoding == "lookup" else batch_size
        self.max_length_ratio = max_length_ratio
        self.decoding = decoding
        self.lookup_tokens = lookup_tokens

    def rewrite(self, texts: list[str]) -> list[str]:
        """One rewrite per text, in input order; batches are formed by input length."""
        return [best[0] for best in self.rewrite_n(texts, 1)]

    def rewrite_n(self, texts: list[str], n: int) -> list[list[str]]:
        """Up to ``n`` distinct rewrites per text, best first: greedy for one, else beam
        search with ``n`` beams (deterministic either way)."""
        out: list[list[str]] = [[] for _ in texts]
        for batch in length_batches(
            texts, self.batch_size if n == 1 else max(1, self.batch_size // n)
        ):
            codec = self._codec_for([texts[i] for i in batch])
            prompts = [codec.prompt(texts[i]) for i in batch]
            rows = self._generate(codec, prompts, n)
            for k, i in enumerate(batch):
                found = [codec.decode(ids) or texts[i] for ids in rows[k * n : (k + 1) * n]]
                out[i] = list(dict.fromkeys(found))
        return out

    def preference(self, sources: list[str], rewrites: list[str]) -> list[float]:
        """How much more likely the model finds each rewrite than a copy of its source:
        log p(rewrite | source) - log p(source | source), in nats (greedy decoding can
        end on a rewrite the model itself rates below the copy)."""
        out: list[float] = [0.0] * len(sources)
        for batch in length_batches(sources, max(1, self.batch_size // 2)):
            codec = self._codec_for([t for i in batch for t in (sources[i], rewrites[i])])
            pairs = [(codec.prompt(sources[i]), codec.target(t))
                     for i in batch for t in (rewrites[i], sources[i])]  # fmt: skip
            scores = self._log_likelihoods(codec, pairs)
            for k, i in enumerate(batch):
                out[i] = scores[2 * k] - scores[2 * k + 1]
        return out

    def _log_likelihoods(
        self, codec: Codec, pairs: list[tuple[list[int], list[int]]]
    ) -> list[float]:
        """The summed log-probability of each target given its prompt."""
        import torch

        inputs = collate(pairs, codec.pad_id)
        labels = inputs.pop("labels")[:, 1:]
        with torch.inference_mode():
            logits = self.model(**inputs).logits[:, :-1].float()
        scored = labels != IGNORE
        picked = logits.log_softmax(-1).gather(2, labels.clamp(min=0)[..., None])[..., 0]
        return (picked * scored).sum(1).tolist()

    def _codec_for(self, texts: list[str]) -> Codec:
        """The codec whose vocabulary also holds every token of ``texts`` (a cut model's
        output layer is widened to them: a rare name is copied, not spelled in bytes)."""
        full, codec = self.loaded.full_embedding, self.codec
        if full is None or codec.vocab is None:
            return codec
        from mtfix.lm.cut import widen

        forms = [form for text in texts for form in both_forms(text)]
        ids = codec.tokenizer(forms, add_special_tokens=False)["input_ids"]
        wide = widen(self.model, full, codec.vocab, [i for row in ids for i in row])
        return Codec(codec.tokenizer, wide)

    def _generate(self, codec: Codec, prompts: list[list[int]], beams: int = 1) -> list[list[int]]:
        """``beams`` outputs per prompt (the prompt's rows one after the other)."""
        import torch

        longest = max(len(p) for p in prompts)
        pad = codec.pad_id
        ids = torch.tensor([[pad] * (longest - len(p)) + p for p in prompts])
        mask = torch.tensor([[0] * (longest - len(p)) + [1] * len(p) for p in prompts])
        budgets = [int(len(p) * self.max_length_ratio) + EXTRA_TOKENS for p in prompts]
        if beams > 1:
            search = {"num_beams": beams, "num_return_sequences": beams, "early_stopping": True}
        elif self.decoding == "lookup":
            search = {"num_beams": 1, "prompt_lookup_num_tokens": self.lookup_tokens}
        else:
            search = {"num_beams": 1}
        with torch.inference_mode():
            out = self.model.generate(
                input_ids=ids, attention_mask=mask, max_new_tokens=max(budgets), do_sample=False,
                eos_token_id=codec.eos_id, pad_token_id=pad, **search,
            )  # fmt: skip
        # each sentence stops at its own budget, whatever batch it was in
        rows = out[:, longest:]
        return [rows[k][: budgets[k // beams]].tolist() for k in range(rows.shape[0])]
