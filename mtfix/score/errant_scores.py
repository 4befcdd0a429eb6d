"""ERRANT span-based correction scores of the repair edits against the reference edits.

Reproduces ``errant_parallel -orig MT -cor OUT`` / ``-cor REF1 REF2 ...`` followed by
``errant_compare -hyp HYP.m2 -ref REF.m2`` (default settings: span-based correction, F0.5,
per-sentence best-reference choice), in process: the M2 blocks are written with errant's
own ``Edit.to_m2``/``noop_edit`` and scored with errant's own ``compare_m2`` functions.
The spaCy pipeline is mtfix's (``load_spacy()``), injected into ``errant.load``; the text is
taken as tokenized (split on whitespace), as ``errant_parallel`` does without ``-tok``.
"""

from __future__ import annotations

from argparse import Namespace
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from mtfix.nlp import SPACY_MODEL, load_spacy
from mtfix.score import MetricResult

if TYPE_CHECKING:
    from errant.annotator import Annotator


@lru_cache(maxsize=1)
def _annotator() -> Annotator:
    import errant

    return errant.load("en", nlp=load_spacy())


def _compare_args(beta: float) -> Namespace:
    """``errant_compare``'s parsed defaults (span-based correction, no filters)."""
    return Namespace(
        beta=beta, verbose=False, dt=False, ds=False, cs=False, cse=False,
        single=False, multi=False, filt=[], cat=None,
    )  # fmt: skip


def _parse_all(texts: Iterable[str]) -> dict[str, Doc]:
    """Each distinct text parsed once, as ``Annotator.parse`` does (pre-tokenized), batched.

    NER is skipped, as errant's CLI loads spaCy without it (no other component uses it).
    """
    nlp = load_spacy()
    unique = list(dict.fromkeys(texts))
    disable = [name for name in ("ner",) if name in nlp.pipe_names]
    docs = nlp.pipe((Doc(nlp.vocab, text.split()) for text in unique), disable=disable)
    return dict(zip(unique, docs, strict=True))


def _m2_block(orig: Doc, cors: Sequence[str], docs: dict[str, Doc]) -> str:
    """One sentence's M2 block, as ``errant_parallel`` writes it (coder id = cor index)."""
    from errant.commands.parallel_to_m2 import noop_edit

    annotator = _annotator()
    lines = ["S " + " ".join(tok.text for tok in orig)]
    for cor_id, cor in enumerate(cors):
        if orig.text.strip() == cor.strip():
            lines.append(noop_edit(cor_id))
        else:
            edits = annotator.annotate(orig, docs[cor.strip()])
            lines += [edit.to_m2(cor_id) for edit in edits]
    return "\n".join(lines)


def m2_blocks(
    mt: Sequence[str], out: Sequence[str], refs_list: Sequence[Sequence[str]]
) -> tuple[list[str], list[str]]:
    """Hypothesis and reference M2 blocks, one per non-empty MT line (empty ones skipped)."""
    rows = [row for row in zip(mt, out, *refs_list, strict=True) if row[0].strip()]
    docs = _parse_all(text.strip() for row in rows for text in row)
    origs = [docs[row[0].strip()] for row in rows]
    hyp_blocks = [_m2_block(doc, row[1:2], docs) for doc, row in zip(origs, rows, strict=True)]
    ref_blocks = [_m2_block(doc, row[2:], docs) for doc, row in zip(origs, rows, strict=True)]
    return hyp_blocks, ref_blocks


def compare_blocks(
    hyp_blocks: Sequence[str], ref_blocks: Sequence[str], beta: float = 0.5
) -> dict[str, float]:
    """``errant_compare``'s corpus TP/FP/FN and (4-dp rounded, 0-1) P/R/F of M2 blocks."""
    from errant.commands import compare_m2 as cm

    args, best = _compare_args(beta), Counter({"tp": 0, "fp": 0, "fn": 0})
    for sent_id, (hyp, ref) in enumerate(zip(hyp_blocks, ref_blocks, strict=True)):
        hyp_dict = cm.process_edits(cm.simplify_edits(hyp), args)
        ref_dict = cm.process_edits(cm.simplify_edits(ref), args)
        counts, _ = cm.evaluate_edits(hyp_dict, ref_dict, best, sent_id, "", args)
        best += Counter(counts)
    tp, fp, fn = best["tp"], best["fp"], best["fn"]
    p, r, f = cm.computeFScore(tp, fp, fn, beta)
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f": f}


def _unchanged_blocks(hyp_blocks: Sequence[str]) -> list[str]:
    """Blocks of the hypothesis that leaves the MT as it is (a noop edit per sentence)."""
    from errant.commands.parallel_to_m2 import noop_edit

    return [block.split("\n", 1)[0] + "\n" + noop_edit(0) for block in hyp_blocks]


def _pct(x: float) -> float:
    """errant's 4-decimal 0-1 figure on a 0-100 scale."""
    return round(100 * x, 2)


def signature(beta: float = 0.5, nrefs: int | None = None) -> str:
    """Reproducibility signature: errant version, mode, beta, tokenization, spaCy model."""
    import errant

    refs = f"nrefs:{nrefs}|" if nrefs is not None else ""
    return (
        f"{refs}mode:cs|beta:{beta}|merge:rules|lev:no|tok:whitespace|"
        f"spacy:{SPACY_MODEL}|errant:{errant.__version__}"
    )


def errant_scores(
    mt: Sequence[str],
    out: Sequence[str],
    refs_list: Sequence[Sequence[str]],
    *,
    beta: float = 0.5,
) -> MetricResult:
    """``errant_f05``: F0.5 (0-100) of the MT->output edits against MT->reference edits.

    ``refs_list`` is a list of reference streams. ``before`` is errant's score for the
    unchanged MT (no edits: P=1, R=0, so F=0.0 whenever any reference edits anything).
    ``extra`` holds the repaired output's TP/FP/FN and precision/recall (0-100); all
    figures are errant_compare's own (rounded to 4 decimals on its 0-1 scale).
    """
    hyp_blocks, ref_blocks = m2_blocks(mt, out, refs_list)
    after = compare_blocks(hyp_blocks, ref_blocks, beta)
    before = compare_blocks(_unchanged_blocks(hyp_blocks), ref_blocks, beta)
    return MetricResult(
        name="errant_f05",
        before=_pct(before["f"]),
        after=_pct(after["f"]),
        delta=round(_pct(after["f"]) - _pct(before["f"]), 2),
        signature=signature(beta, len(refs_list)),
        extra={
            "precision": _pct(after["precision"]),
            "recall": _pct(after["recall"]),
            "tp": after["tp"],
            "fp": after["fp"],
            "fn": after["fn"],
        },
    )
