"""Corpus metrics before/after repair (sacrebleu), sentence chrF and repair behaviour.

Scores equal the ``sacrebleu REF -i HYP -m bleu chrf ter`` CLI defaults: BLEU with the
13a tokenizer, chrF2 (6 character n-grams, no word n-grams), TER (case-insensitive, no
normalisation). The p-value is sacrebleu's paired bootstrap resampling test of the repaired
output against the raw MT as baseline.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric
from sacrebleu.significance import PairedTest

from mtfix.score import MetricResult, SentenceRow

N_RESAMPLES = 1000
SEED = 12345


def _make_metrics(tokenize: str) -> dict[str, Metric]:
    """Fresh metric objects with the sacrebleu CLI's default settings.

    ``force=True`` only silences sacrebleu's "looks tokenized" warning (MLQE-PE and JFLEG
    are tokenized on purpose); it changes neither scores nor the signature.
    """
    return {"bleu": BLEU(tokenize=tokenize, force=True), "chrf": CHRF(), "ter": TER()}


@contextmanager
def _sacrebleu_seed(seed: int) -> Iterator[None]:
    """Fix sacrebleu's RNG seed (read by ``PairedTest`` from ``SACREBLEU_SEED``)."""
    old = os.environ.get("SACREBLEU_SEED")
    os.environ["SACREBLEU_SEED"] = str(seed)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SACREBLEU_SEED", None)
        else:
            os.environ["SACREBLEU_SEED"] = old


def _check_lengths(mt: Sequence[str], out: Sequence[str], refs: Sequence[Sequence[str]]) -> None:
    if not refs:
        raise ValueError("at least one reference stream is needed")
    lengths = {len(mt), len(out), *(len(r) for r in refs)}
    if len(lengths) != 1:
        raise ValueError(f"MT, output and references differ in length: {sorted(lengths)}")


def corpus_metrics(
    mt: list[str],
    out: list[str],
    refs: list[list[str]],
    *,
    tokenize: str = "13a",
    n_resamples: int = N_RESAMPLES,
    seed: int = SEED,
) -> dict[str, MetricResult]:
    """BLEU, chrF and TER of ``mt`` (before) and ``out`` (after) against reference streams.

    ``refs`` is a list of reference streams, each a list of lines, as sacrebleu takes.
    ``extra["p_value"]`` is the paired bootstrap p-value (``n_resamples``, ``seed``).
    """
    _check_lengths(mt, out, refs)
    metrics = _make_metrics(tokenize)
    with _sacrebleu_seed(seed):
        test = PairedTest(
            [("mt", mt), ("output", out)], metrics, refs, test_type="bs", n_samples=n_resamples
        )
        test_sigs, scores = test()
    results = {}
    for key, name in zip(metrics, test_sigs, strict=True):
        before, after = scores[name]
        results[key] = MetricResult(
            name=key,
            before=before.score,
            after=after.score,
            delta=after.score - before.score,
            signature=metrics[key].get_signature().format(),
            extra={"p_value": after.p_value, "test_signature": test_sigs[name].format()},
        )
    return results


def sentence_scores(hyps: Sequence[str], refs: Sequence[Sequence[str]]) -> list[float]:
    """Sentence-level chrF (sacrebleu defaults) of each hypothesis; ``refs`` are streams."""
    _check_lengths(hyps, hyps, refs)
    chrf = CHRF()
    return [chrf.sentence_score(h, list(rs)).score for h, *rs in zip(hyps, *refs, strict=True)]


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def behaviour(rows: Sequence[SentenceRow]) -> dict[str, float]:
    """How the repair behaved, as shares of sentences (0-1).

    ``changed``: output differs from MT; ``improved``/``worse``/``unchanged``: by sentence
    score; ``no_fix_needed``: count of sentences whose references all equal the MT, and
    ``no_fix_needed_untouched``: the share of those left as they were.
    """
    total = len(rows)
    outcomes = [row.outcome for row in rows]
    clean = [row for row in rows if row.refs and all(ref == row.mt for ref in row.refs)]
    return {
        "sentences": float(total),
        "changed": _share(sum(row.changed for row in rows), total),
        "improved": _share(outcomes.count("improved"), total),
        "worse": _share(outcomes.count("worse"), total),
        "unchanged": _share(outcomes.count("unchanged"), total),
        "no_fix_needed": float(len(clean)),
        "no_fix_needed_untouched": _share(sum(not row.changed for row in clean), len(clean)),
    }
