"""A causal LM whose vocabulary is cut to a ``VocabMap``, sharing the base's layers.

The copy has its own module objects (so adapters can be put on it without touching the
base, which the fluency detector keeps using) but the same layer weight tensors: only
the embedding rows it keeps are new memory (tied input and output embeddings).
"""

from __future__ import annotations

import copy
from typing import Any

from mtfix.lm.vocab import VocabMap


def shared_copy(base: Any) -> Any:
    """New module objects over the same tensors, so an adapter leaves ``base`` as it is."""
    shared = {id(t): t for t in (*base.parameters(), *base.buffers())}
    return copy.deepcopy(base, memo=shared)


def cut_model(base: Any, vocab: VocabMap) -> Any:
    """A copy of ``base`` over the kept ids, its special token ids remapped."""
    import torch

    model = shared_copy(base)
    kept = torch.tensor(vocab.kept)
    full = base.get_input_embeddings()
    weight = torch.nn.Parameter(full.weight.detach()[kept].clone(), requires_grad=False)
    emb = model.get_input_embeddings()
    emb.weight, emb.num_embeddings = weight, len(vocab)
    if emb.padding_idx is not None:
        emb.padding_idx = vocab.cut_id(emb.padding_idx)
    head = model.get_output_embeddings()
    head.weight = (
        weight
        if tied(base)
        else torch.nn.Parameter(
            base.get_output_embeddings().weight.detach()[kept].clone(), requires_grad=False
        )
    )
    head.out_features = len(vocab)
    _remap_config(model, vocab)
    return model


def widen(model: Any, full: Any, vocab: VocabMap, ids: list[int]) -> VocabMap:
    """Point the cut model's (tied) embeddings at ``vocab``'s rows and those of the full
    ids ``ids`` it lacks (the tokens of the sentences about to be rewritten, so that a rare
    name can be read and copied as the base model knows it, not spelled in bytes).

    ``full`` is the base's embedding matrix; ``vocab``'s own ids keep their positions.
    """
    import torch

    extra = sorted({i for i in ids if vocab.get(i) is None})
    wide = VocabMap([*vocab.kept, *extra]) if extra else vocab
    if len(wide) != model.get_input_embeddings().num_embeddings or extra:
        weight = torch.nn.Parameter(full.detach()[torch.tensor(wide.kept)], requires_grad=False)
        emb, head = model.get_input_embeddings(), model.get_output_embeddings()
        emb.weight = head.weight = weight
        emb.num_embeddings = head.out_features = len(wide)
        model.config.vocab_size = len(wide)
        if hasattr(model, "vocab_size"):
            model.vocab_size = len(wide)
    return wide


def tied(base: Any) -> bool:
    return base.get_output_embeddings().weight is base.get_input_embeddings().weight


def _remap_config(model: Any, vocab: VocabMap) -> None:
    if hasattr(model, "vocab_size"):  # some models keep their own copy of it
        model.vocab_size = len(vocab)
    for config in (model.config, model.generation_config):
        config.vocab_size = len(vocab)
        for name in ("bos_token_id", "eos_token_id", "pad_token_id"):
            value = getattr(config, name, None)
            if isinstance(value, int):
                setattr(config, name, vocab.cut_id(value))
            elif isinstance(value, list):
                setattr(config, name, [vocab.cut_id(v) for v in value])
