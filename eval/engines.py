"""The LM's engines side by side: scoring speed, memory and agreement with float32.

    python eval/engines.py [--sentences N] [--runs 3] [--ct2 DIR] [--out STEM]

Reads the seed article's sentences and the first ``--sentences`` lines of MLQE-PE ru-en
dev, and scores them with each engine the way the ranker's first pass does (one batch,
right-padded, each sentence's log-probability of every token):

- ``float32``, ``bfloat16``: ``mtfix.nn.gemma3`` as mtfix runs it (``MTFIX_ENGINE``);
- ``int8-dynamic``: the same forward with torch's dynamically quantised int8 products
  (weights quantised per output channel, prepacked for fbgemm);
- ``ct2-int8``, ``ct2-float32``: CTranslate2's ``Generator.score_batch`` over a model
  converted with ``ct2-transformers-converter --quantization int8`` (``--ct2 DIR``; needs
  ``pip install ctranslate2``), one sentence at a time (its Gemma 3 fails on a batch of
  unequal lengths) and normalised over the whole vocabulary, as it computes.

Prints tokens scored per second (median of ``--runs``, after a warm-up), the megabytes
of the weights each engine multiplies by, and per sentence the log-probability's largest and mean
distance from the float32 reference (over the vocabulary each engine normalises over).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, data_dir, read_lines
from search_sets import results_stem, write_results

from mtfix.lm.base import DEFAULT_BASE, prepared, rust_tokenizer, saved_tensors
from mtfix.lm.ranker import SentenceLM
from mtfix.nn.gemma3 import Gemma3Text

SEED = ROOT / "samples" / "lavrov-de-mistura.mt.txt"
RU_EN = "mlqe-pe/dev/ru-en/dev.mt"


class Int8Dynamic(Gemma3Text):
    """``Gemma3Text`` with torch's dynamic int8 products (fbgemm, per-channel weights)."""

    def __init__(self, config: dict, state: dict) -> None:
        super().__init__(config, {k: v.float() for k, v in state.items()})
        self.packed = {
            k: torch.ops.quantized.linear_prepack(_quantised(v), None)
            for k, v in self.state.items()
            if k.endswith("proj.weight")
        }

    def _linear(self, x: torch.Tensor, name: str) -> torch.Tensor:
        packed = self.packed.get("model." + name)
        if packed is None:
            return super()._linear(x, name)
        return torch.ops.quantized.linear_dynamic(x.float(), packed, False)


def _quantised(weight: torch.Tensor) -> torch.Tensor:
    scales = weight.abs().amax(1).clamp(min=1e-8) / 127
    zeros = torch.zeros(len(scales), dtype=torch.long)
    return torch.quantize_per_channel(weight, scales, zeros, 0, torch.qint8)


def sentences(limit: int) -> list[str]:
    """The seed's sentences (its lines) and MLQE-PE ru-en dev lines."""
    seed = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    dev = read_lines(data_dir() / RU_EN)[:limit] if (data_dir() / RU_EN).exists() else []
    return [s for s in seed + dev if len(s.split()) >= 3]


def weights_mb(model: Any) -> int:
    """Megabytes of the weights an engine multiplies by (int8: one byte per weight)."""
    total = sum(t.numel() * t.element_size() for t in model.state.values())
    for name in getattr(model, "packed", {}):
        total -= model.state[name].numel() * 3  # held as int8, not float32
    return round(total / 2**20)


def timed(run: Any, runs: int) -> tuple[float, Any]:
    """Median seconds of ``runs`` calls after a warm-up, and the last result."""
    out = run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def torch_engines(source: Path) -> dict[str, Any]:
    config = json.loads((source / "config.json").read_text(encoding="utf-8"))
    state = saved_tensors(source, torch.bfloat16)
    return {
        "float32": lambda: Gemma3Text(config, state, torch.float32),
        "bfloat16": lambda: Gemma3Text(config, state, torch.bfloat16),
        "int8-dynamic": lambda: Int8Dynamic(config, state),
    }


def score_torch(lm: SentenceLM, texts: list[str]) -> list[list[float]]:
    return [row.logprobs[1:] for row in lm.analyse(texts).rows]


def score_ct2(folder: str, compute: str, tokenizer: Any, texts: list[str]) -> Any:
    import ctranslate2

    generator = ctranslate2.Generator(folder, device="cpu", compute_type=compute,
                                      intra_threads=torch.get_num_threads())  # fmt: skip
    pieces = [tokenizer.convert_ids_to_tokens(tokenizer(t)["input_ids"]) for t in texts]
    return lambda: [list(generator.score_batch([p])[0].log_probs) for p in pieces]


def full_vocab_reference(tokenizer: Any, model: Any, texts: list[str]) -> list[list[float]]:
    """float32 log-probabilities over Gemma's whole vocabulary (CTranslate2's measure)."""
    out = []
    with torch.inference_mode():
        for text in texts:
            ids = torch.tensor([tokenizer(text)["input_ids"]])
            logits = model.logits(model.hidden(ids, torch.ones_like(ids)))[0, :-1]
            lp = torch.log_softmax(logits.float(), -1).gather(-1, ids[0, 1:, None])[:, 0]
            out.append(lp.tolist())
    return out


def distance(ref: list[list[float]], got: list[list[float]]) -> dict[str, float]:
    """Per-token largest, per-sentence largest and mean |difference| of log-probabilities."""
    token = max(abs(a - b) for r, g in zip(ref, got, strict=True)
                for a, b in zip(r, g, strict=True))  # fmt: skip
    totals = [abs(sum(r) - sum(g)) for r, g in zip(ref, got, strict=True)]
    return {"token_max": round(token, 3), "sentence_max": round(max(totals), 3),
            "sentence_mean": round(statistics.mean(totals), 3)}  # fmt: skip


def measure(args: argparse.Namespace) -> dict[str, dict]:
    texts = sentences(args.sentences)
    source = prepared(DEFAULT_BASE, torch.bfloat16, "bfloat16")
    tokenizer = rust_tokenizer(source)
    tokenizer.padding_side = "right"
    tokens = sum(len(tokenizer(t)["input_ids"]) for t in texts)
    results: dict[str, dict] = {}
    reference = None
    for name, build in torch_engines(source).items():
        lm = SentenceLM(tokenizer, build())
        seconds, scores = timed(lambda lm=lm: score_torch(lm, texts), args.runs)
        reference = reference or scores
        results[name] = {"tokens_per_s": round(tokens / seconds),
                         "weights_mb": weights_mb(lm.model)} | distance(reference, scores)
        print(name, results[name], file=sys.stderr, flush=True)
    if args.ct2:
        full = full_vocab_reference(tokenizer, torch_engines(source)["float32"](), texts)
        for compute in ("int8", "float32"):
            run = score_ct2(args.ct2, compute, tokenizer, texts)
            seconds, scores = timed(run, args.runs)
            size = sum(f.stat().st_size for f in Path(args.ct2).glob("model.bin"))
            factor = 1 if compute == "int8" else 4  # model.bin holds int8 weights
            results[f"ct2-{compute}"] = {"tokens_per_s": round(tokens / seconds),
                                         "weights_mb": round(size * factor / 2**20),
                                         } | distance(full, scores)  # fmt: skip
    return {"sentences": len(texts), "tokens": tokens, "engines": results}


def markdown(data: dict) -> str:
    lines = [f"# LM engines: {data['sentences']} sentences, {data['tokens']} tokens", "",
             "| engine | tokens/s | weights MB | token max | sentence max "
             "| sentence mean |", "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name, r in data["engines"].items():
        lines.append(f"| {name} | {r['tokens_per_s']} | {r['weights_mb']} | {r['token_max']} "
                     f"| {r['sentence_max']} | {r['sentence_mean']} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=100, help="MLQE-PE ru-en dev lines")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ct2", help="a CTranslate2 conversion of the cached Gemma")
    parser.add_argument("--out", help="write <stem>.json and <stem>.md")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    data = measure(args)
    text = markdown(data)
    print(text)
    if args.out:
        write_results(results_stem(args.out), data, text)


if __name__ == "__main__":
    main()
