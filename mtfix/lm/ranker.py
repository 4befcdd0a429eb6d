"""Sentence log-probabilities for ranking candidate edits, fast enough to rank hundreds.

``SentenceLM.analyse`` runs the base LM once over the current sentences and keeps, for
every position, the hidden state and each layer's keys and values. That one pass already
gives the log-probability of the *first changed token* of every candidate edit (its left
context is the sentence's own prefix): ``estimates`` ranks all candidates with it.
``gains`` then scores the best few properly: each candidate's changed tokens and up to
``window`` tokens of the unchanged right context are read on top of the cached prefix
(``Gemma3Text.extend``), so a candidate costs a few tokens, not a sentence.

Log-probabilities are normalised over a fixed English vocabulary (``vocab-en.json``, the
50k tokens English text uses, plus the scored token itself), not all 262k of Gemma's
entries: the output layer is most of the model's cost, and the mass left out is tiny and
the same for every candidate of a context. Scores are in nats.

A sentence may be read after its article's context (the headline and the sentence before
it, ``CONTEXT_TOKENS`` at most): the context's tokens come first in the row, so the names
and the topic are known, and every candidate of the row shares them, so gains are still
the changed tokens' alone. The context's own log-probabilities count for nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtfix.lm.pieces import Pieces
from mtfix.lm.reads import Read, chunks, first_change, first_spanned, plan
from mtfix.lm.reuse import Continuation, blank_cache, place

VOCAB_FILE = Path(__file__).with_name("vocab-en.json")
CONTEXT_TOKENS = 64  # of the article read before a sentence (its last ones)
NORMALISER_ROWS = 128  # positions whose English-vocabulary normaliser is computed together


@dataclass
class Scored:
    """One sentence under the LM: its tokens, their log-probabilities and char spans."""

    text: str
    ids: list[int]  # with <bos> first
    logprobs: list[float]  # logprobs[t] = log P(ids[t] | ids[:t]); 0 for <bos> and the context
    offsets: list[tuple[int, int]]  # character span of each token (<bos>, context: (0, 0))
    first: int = 1  # the sentence's first token (after <bos> and the context)

    @property
    def total(self) -> float:
        """log P(sentence | context)."""
        return sum(self.logprobs[self.first :])

    @property
    def fluency(self) -> float:
        """Mean log-probability per token of the sentence."""
        return self.total / max(len(self.logprobs) - self.first, 1)


@dataclass
class Analysis:
    """Sentences analysed together: their scores and the LM state to continue from."""

    rows: list[Scored]
    hidden: Any  # rows x length x hidden
    cache: Any  # per layer (keys, values), rows first
    lse: Any  # rows x length: log-normaliser of the next-token distribution
    context_ids: list[list[int]] | None = None  # the tokens each row was read after
    # candidates read to their end, by their tokens: the next round's rows (mtfix.lm.reuse)
    continuations: dict[tuple[int, ...], Continuation] = field(default_factory=dict)


def english_ids() -> list[int]:
    """Full-vocabulary ids of the English tokens the ranker normalises over."""
    return json.loads(VOCAB_FILE.read_text(encoding="utf-8"))["kept"]


class SentenceLM:
    """The base LM (``mtfix.nn.gemma3`` or a transformers model) as a sentence ranker."""

    def __init__(self, tokenizer: Any, model: Any, vocab: list[int] | None = None) -> None:
        import torch

        self.tokenizer, self.model = tokenizer, model
        self.weight = weight = model.output_weight()
        kept = torch.tensor(vocab if vocab is not None else english_ids())
        self.kept = kept[kept < weight.shape[0]]
        self.head = weight[self.kept]
        self.in_vocab = torch.zeros(weight.shape[0], dtype=torch.bool)
        self.in_vocab[self.kept] = True
        self.cap = getattr(model, "final_logit_softcapping", None)
        self.pieces = Pieces.of(tokenizer)

    def tokens(
        self, texts: list[str], contexts: list[str] | None = None
    ) -> list[tuple[list[int], list[tuple[int, int]]]]:
        """Token ids (with <bos>, then the context's tokens) and character spans (of the
        text; the context's are (0, 0)) of each text."""
        return self._tokens(texts, self._contexts(contexts or [""] * len(texts)))

    def _tokens(
        self, texts: list[str], before: list[list[int]]
    ) -> list[tuple[list[int], list[tuple[int, int]]]]:
        """``tokens`` with each context already tokenized."""
        enc = self.tokenizer(texts, return_offsets_mapping=True)
        bos = self.tokenizer.bos_token_id
        out = []
        for ids, offs, ctx in zip(enc["input_ids"], enc["offset_mapping"], before, strict=True):
            ids, offs = list(ids), [tuple(o) for o in offs]
            if bos is not None and ids and ids[0] == bos:
                ids, offs = ids[1:], offs[1:]
            head = ([bos] if bos is not None else []) + ctx
            out.append(([*head, *ids], [(0, 0)] * len(head) + offs))
        return out

    def _contexts(self, contexts: list[str]) -> list[list[int]]:
        """Each context's last ``CONTEXT_TOKENS`` tokens, ending on a line break."""
        unique = [c for c in dict.fromkeys(contexts) if c]
        if not unique:
            return [[] for _ in contexts]
        enc = self.tokenizer([c + "\n" for c in unique], add_special_tokens=False)
        ids = {c: list(i)[-CONTEXT_TOKENS:] for c, i in zip(unique, enc["input_ids"], strict=True)}
        return [ids.get(c, []) for c in contexts]

    def candidate_tokens(self, analysis: Analysis, row: int, texts: list[str]) -> list[list[int]]:
        """Token ids of candidate texts for ``row``, after the row's own context (no
        character spans: a word at a time where the tokenizer allows, ``mtfix.lm.pieces``)."""
        context = analysis.context_ids[row] if analysis.context_ids else []
        if self.pieces is None:
            return [ids for ids, _ in self._tokens(texts, [context] * len(texts))]
        bos = self.tokenizer.bos_token_id
        head = ([bos] if bos is not None else []) + context
        return [[*head, *ids] for ids in self.pieces.encode(texts)]

    def _capped(self, logits: Any) -> Any:
        import torch

        return torch.tanh(logits / self.cap) * self.cap if self.cap else logits

    def _normaliser(self, hidden: Any) -> Any:
        """log-sum-exp of the next-token logits over the English vocabulary (the product in
        the engine's dtype, the sum in float32), ``NORMALISER_ROWS`` positions at a time
        into two buffers reused across the chunks: fresh pages for each chunk's 6.4M logits
        cost as much as the product."""
        import torch

        rows = hidden.reshape(-1, hidden.shape[-1]).to(self.head.dtype)
        if not rows.shape[0]:
            return rows.new_zeros(hidden.shape[:-1]).float()
        size = (min(rows.shape[0], NORMALISER_ROWS), self.head.shape[0])
        logits, wide = torch.empty(size, dtype=self.head.dtype), torch.empty(size)
        parts = []
        for part in rows.split(NORMALISER_ROWS):
            n = part.shape[0]
            torch.mm(part, self.head.T, out=logits[:n])
            parts.append(_logsumexp_(self._capped(wide[:n].copy_(logits[:n]))))
        return torch.cat(parts).view(hidden.shape[:-1])

    def _targets(self, targets: Any) -> Any:
        """The output layer's rows for ``targets``, in float32."""
        return self.weight[targets].float()

    def _logprob(self, hidden: Any, lse: Any, targets: Any) -> Any:
        """log P(target | state) for matching rows of states, normalisers and targets."""
        logit = self._capped((hidden * self._targets(targets)).sum(-1))
        return self._normalised(logit, lse, targets)

    def _normalised(self, logit: Any, lse: Any, targets: Any) -> Any:
        """Logits of ``targets`` as log-probabilities: less the English vocabulary's
        normaliser, which takes in a target outside that vocabulary itself."""
        import torch

        outside = ~self.in_vocab[targets]
        return logit - torch.where(outside, torch.logaddexp(lse, logit), lse)

    def analyse(
        self, texts: list[str], contexts: list[str] | None = None,
        previous: Analysis | None = None,
    ) -> Analysis:  # fmt: skip
        """One forward pass over ``texts`` (right-padded), each after its context (none by
        default): scores and a prefix cache. A text that ``previous`` read to its end as a
        candidate is not read again: its states are put together from that read."""
        import torch

        context_ids = self._contexts(contexts or [""] * len(texts))
        toks = self._tokens(texts, context_ids)
        found = previous.continuations if previous is not None else {}
        reused = {r: found[tuple(row)] for r, (row, _) in enumerate(toks) if tuple(row) in found}
        width = max(len(ids) for ids, _ in toks)
        ids = torch.zeros(len(texts), width, dtype=torch.long)
        mask = torch.zeros_like(ids)
        for r, (row, _) in enumerate(toks):
            ids[r, : len(row)], mask[r, : len(row)] = torch.tensor(row), 1
        firsts = [first_spanned(offs) for _, offs in toks]
        # the normaliser where a sentence's token is predicted: not in the padding, not
        # over the context (whose log-probabilities count for nothing)
        scored = mask.bool() & (torch.arange(width)[None, :] >= torch.tensor(firsts)[:, None] - 1)
        with torch.inference_mode():
            hidden, lse, cache = self._states(ids, mask, scored, reused, previous)
            lp = self._logprob(hidden[:, :-1], lse[:, :-1], ids[:, 1:])
            lp[~scored[:, :-1]] = 0.0
        rows = [
            Scored(text, row, [0.0, *lp[r, : len(row) - 1].tolist()], offs, first)
            for r, (text, (row, offs), first) in enumerate(zip(texts, toks, firsts, strict=True))
        ]
        return Analysis(rows, hidden, cache, lse, context_ids)

    def _states(
        self, ids: Any, mask: Any, scored: Any, reused: dict[int, Continuation],
        previous: Analysis | None,
    ) -> tuple[Any, Any, Any]:  # fmt: skip
        """Hidden states, normalisers and cache of every row: one prefix pass over the rows
        not in ``reused``, the others put together from ``previous``."""
        import torch

        if not reused:
            return self._read_rows(ids, mask, scored)
        assert previous is not None
        rows, width = ids.shape
        hidden = previous.hidden.new_zeros(rows, width, previous.hidden.shape[-1])
        lse, cache = torch.zeros(mask.shape), blank_cache(previous.cache, rows, width)
        fresh = [r for r in range(rows) if r not in reused]
        if fresh:
            index = torch.tensor(fresh)
            w = int(mask[index].sum(1).max())
            cut = (index, slice(0, w))
            part, norms, layers = self._read_rows(ids[cut], mask[cut], scored[cut])
            hidden[index, :w], lse[index, :w] = part, norms
            for (k, v), (pk, pv) in zip(cache, layers, strict=True):
                k[index, :, :w], v[index, :, :w] = pk, pv
        before = (previous.hidden, previous.lse, previous.cache)
        for r, piece in reused.items():
            place((hidden, lse, cache), r, before, piece, int(mask[r].sum()))
        return hidden, lse, cache

    def _read_rows(self, ids: Any, mask: Any, scored: Any) -> tuple[Any, Any, Any]:
        """One prefix pass: hidden states, the normalisers at ``scored`` positions, cache."""
        import torch

        hidden, cache = self.model.prefix(ids, mask)
        lse = torch.zeros(mask.shape)
        lse[scored] = self._normaliser(hidden[scored])
        return hidden, lse, cache

    def position_logprobs(
        self, analysis: Analysis, row: int, positions: list[int], ids: list[int]
    ) -> Any:
        """log P(id at position) of the given ids at each position of ``row``
        (``positions x ids``), from the analysis pass alone."""
        import torch

        prev, targets = torch.tensor(positions) - 1, torch.tensor(ids)
        hidden, lse = analysis.hidden[row, prev], analysis.lse[row, prev]
        logits = self._capped(hidden @ self._targets(targets).T)
        return self._normalised(logits, lse[:, None], targets)

    def estimates(self, analysis: Analysis, row: int, candidates: list[list[int]]) -> list[float]:
        """Per candidate of ``row`` (token ids), the gain of its first changed token alone."""
        import torch

        base = analysis.rows[row]
        last = len(base.ids) - 1
        at = [min(first_change(base.ids, c), len(c) - 1, last) for c in candidates]
        targets = torch.tensor([c[p] for p, c in zip(at, candidates, strict=True)])
        prev = torch.tensor([p - 1 for p in at])
        with torch.inference_mode():
            new = self._logprob(analysis.hidden[row, prev], analysis.lse[row, prev], targets)
        return [n - base.logprobs[p] for n, p in zip(new.tolist(), at, strict=True)]

    def gains(
        self, analysis: Analysis, jobs: list[tuple[int, list[int]]], window: list[int | None]
    ) -> list[float]:
        """log P(candidate) - log P(its row's sentence), over the changed tokens and up to
        ``window`` unchanged tokens after them (None: the whole rest of the sentence)."""
        import torch

        reads = [
            Read(r, c, *plan(analysis.rows[r].ids, c, w))
            for (r, c), w in zip(jobs, window, strict=True)
        ]
        out = [0.0] * len(reads)
        order = sorted(range(len(reads)), key=lambda j: reads[j].steps)
        with torch.inference_mode():
            for chunk in chunks(order, [reads[j].steps for j in order]):
                for j, got in zip(
                    chunk, self._read([reads[j] for j in chunk], analysis), strict=True
                ):
                    base = analysis.rows[reads[j].row].logprobs[reads[j].start : reads[j].base_end]
                    out[j] = got - sum(base)
        return out

    def covers(self, analysis: Analysis, row: int, ids: list[int], window: int) -> bool:
        """Whether a read of the candidate ``ids`` with ``window`` tokens of right context
        reaches the end of the sentence (its gain is then the whole sentence's)."""
        base = analysis.rows[row].ids
        return plan(base, ids, window) == plan(base, ids, None)

    def _read(self, reads: list[Read], analysis: Analysis) -> list[float]:
        """Sum of log P(candidate tokens start..end) per read, on the cached prefixes. A
        read to the sentence's end also reads its last token, so that its states are a
        whole continuation (kept in ``analysis.continuations`` for the next round)."""
        import torch

        rows = torch.tensor([r.row for r in reads])
        starts = torch.tensor([r.start for r in reads])
        firsts = torch.tensor([r.ids[r.start] if r.end > r.start else 0 for r in reads])
        prev = (rows, starts - 1)
        first = self._logprob(analysis.hidden[prev], analysis.lse[prev], firsts)
        totals = [v if r.end > r.start else 0.0 for v, r in zip(first.tolist(), reads, strict=True)]
        steps = max(r.steps for r in reads)
        if steps <= 0:
            return totals
        ids, targets, mask = (torch.zeros(len(reads), steps, dtype=torch.long) for _ in range(3))
        for i, r in enumerate(reads):
            if r.steps > 0:
                ids[i, : r.steps] = torch.tensor(r.ids[r.start : r.start + r.steps])
                targets[i, : r.end - r.start - 1] = torch.tensor(r.ids[r.start + 1 : r.end])
                mask[i, : r.steps] = 1
        hidden, cache = self.model.extend(analysis.cache, rows, starts, ids, mask, with_cache=True)
        real = mask.bool()
        lse = torch.zeros(mask.shape)
        lse[real] = self._normaliser(hidden[real])
        scored = torch.tensor([r.end - r.start - 1 for r in reads])  # tokens with a target
        hits = real & (torch.arange(steps)[None, :] < scored[:, None])
        lp = torch.zeros(mask.shape)
        lp[hits] = self._logprob(hidden[hits], lse[hits], targets[hits])
        self._keep(reads, hidden, lse, cache, analysis)
        return [t + v for t, v in zip(totals, lp.sum(-1).tolist(), strict=True)]

    def _keep(
        self, reads: list[Read], hidden: Any, lse: Any, cache: Any, analysis: Analysis
    ) -> None:
        """The reads to their sentence's end, as continuations the next round may reuse
        (copies of their own tokens' states: a view would keep the whole padded batch)."""
        for i, r in enumerate(reads):
            if r.whole and r.steps == len(r.ids) - r.start:
                n = r.steps
                layers = [(k[i, :, :n].clone(), v[i, :, :n].clone()) for k, v in cache]
                piece = Continuation(r.row, r.start, hidden[i, :n].clone(), lse[i, :n].clone(),
                                     layers)  # fmt: skip
                analysis.continuations[tuple(r.ids)] = piece


def _logsumexp_(rows: Any) -> Any:
    """``rows.logsumexp(-1)`` computed in ``rows`` itself (which it overwrites): the
    same figures without a fresh 25 MB temporary per call, 17% faster."""
    top = rows.amax(-1, keepdim=True)
    return rows.sub_(top).exp_().sum(-1).log_() + top[:, 0]
