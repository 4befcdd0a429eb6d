"""Gemma 3 text decoder, forward only: hidden states for teacher-forced scoring.

The matrix products run in ``dtype`` (float32, or bfloat16 on CPUs with bfloat16 matrix
units, where oneDNN's AMX kernels multiply 6 times faster); the residual stream, the norms'
sums and the hidden states handed back stay in float32 either way, so a bfloat16 engine
rounds only what goes into each product (see ``eval/results/engines-*.md``).
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from mtfix.nn.packing import Layout, Packed, pack

PREFIX = "model."
ROWS = 64  # bfloat16 products: rows padded to a multiple of this (see ``_linear``)
KeyValue = tuple[torch.Tensor, torch.Tensor]  # one layer's keys and values (before GQA repeat)
Cache = list[KeyValue]


def supports(config: dict[str, Any]) -> bool:
    """Whether ``config`` is a Gemma 3 text model this forward computes exactly."""
    return (
        config.get("model_type") == "gemma3_text"
        and not config.get("attn_logit_softcapping")
        and not config.get("use_bidirectional_attention")
        and config.get("hidden_activation") == "gelu_pytorch_tanh"
        and all(p.get("rope_type") == "default" for p in _rope(config).values())
    )


def _rope(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return config.get("rope_parameters") or {}


def rms_norm(x: torch.Tensor, scale: torch.Tensor, eps: float) -> torch.Tensor:
    """Gemma's RMSNorm (``scale``: ``1 + weight``, float32): in float32 on torch's fused
    kernel, back in ``x``'s dtype."""
    if x.dtype == torch.float32:
        return F.rms_norm(x, (x.shape[-1],), scale, eps)
    return F.rms_norm(x.float(), (x.shape[-1],), scale, eps).to(x.dtype)


class Gemma3Text:
    """The decoder of a Gemma 3 causal LM over its saved tensors (no copies)."""

    def __init__(
        self, config: dict[str, Any], state: dict[str, torch.Tensor],
        dtype: torch.dtype = torch.float32,
    ) -> None:  # fmt: skip
        self.config = config
        self.dtype = dtype
        self.state = {k: _in(v, dtype) for k, v in state.items()}
        self.eps = float(config["rms_norm_eps"])
        self.head_dim = int(config["head_dim"])
        self.layer_types = list(config["layer_types"])
        self.window = int(config.get("sliding_window") or 0)
        self.final_logit_softcapping = config.get("final_logit_softcapping")
        self.sizes = [int(self._w(f"layers.0.self_attn.{n}_proj.weight").shape[0]) for n in "qkv"]
        self.scales = {  # each norm's 1 + weight, in float32, computed once
            k[len(PREFIX) :]: 1.0 + v.float() for k, v in state.items() if k.endswith("norm.weight")
        }
        self.qk_scales = [self._qk_scale(i) for i in range(len(self.layer_types))]

    def _qk_scale(self, i: int) -> torch.Tensor:
        """Layer ``i``'s query-norm scale for each query head, then its key-norm scale for
        each key head (``heads x dim``)."""
        at = f"layers.{i}.self_attn."
        q, k = (self.sizes[j] // self.head_dim for j in (0, 1))
        return torch.cat((self.scales[f"{at}q_norm.weight"].expand(q, -1),
                          self.scales[f"{at}k_norm.weight"].expand(k, -1)))  # fmt: skip

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """Next-token logits of hidden states (output layer tied to the embeddings where
        the model has none of its own; soft-capped where the model says so)."""
        logits = F.linear(hidden.to(self.dtype), self.output_weight()).float()
        cap = self.final_logit_softcapping
        return torch.tanh(logits / cap) * cap if cap else logits

    def output_weight(self) -> torch.Tensor:
        """The output layer's weight (``vocab x hidden``)."""
        return self.state.get("lm_head.weight", self._w("embed_tokens.weight"))

    def _w(self, name: str) -> torch.Tensor:
        return self.state[PREFIX + name]

    def _linear(self, x: torch.Tensor, name: str) -> torch.Tensor:
        """``x`` times a weight, in the engine's dtype. For bfloat16 the rows are padded to
        a multiple of ``ROWS``: oneDNN compiles a kernel for each new shape (1.8 ms, 5
        times the product itself), so the shapes a process meets must repeat."""
        weight = self._w(name)
        if self.dtype != torch.bfloat16:
            return F.linear(x, weight)
        flat = x.reshape(-1, x.shape[-1]).to(self.dtype)
        rows = flat.shape[0]
        if rows % ROWS:  # (F.pad takes 30 times as long as this on these CPUs)
            flat = torch.cat((flat, flat.new_zeros(-rows % ROWS, flat.shape[1])))
        return F.linear(flat, weight)[:rows].view(*x.shape[:-1], -1)

    def hidden(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Last hidden states (after the final norm), ``batch x length x hidden``."""
        return self.prefix(input_ids, attention_mask)[0]

    def prefix(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[Any, Cache]:
        """Hidden states and every layer's keys and values, for ``extend`` to continue from."""
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        positions = positions[None].expand(input_ids.shape[0], -1)
        masks = {kind: self._mask(attention_mask, kind) for kind in set(self.layer_types)}
        layout = Layout.of_mask(attention_mask)
        hidden, cache = self._run(input_ids, positions, masks, None, layout)
        return layout.padded(hidden), cache

    def extend(
        self, cache: Cache, rows: torch.Tensor, starts: torch.Tensor, input_ids: torch.Tensor,
        attention_mask: torch.Tensor, with_cache: bool = False,
    ) -> Any:  # fmt: skip
        """Hidden states of ``input_ids`` (``batch x steps``, right-padded) read after the
        first ``starts[b]`` positions of row ``rows[b]`` of a ``prefix`` cache: one forward
        of the new tokens only, for many continuations of shared prefixes at once (those
        of one row packed together: ``mtfix.nn.packing``). ``with_cache``: also the new
        tokens' keys and values per layer (``batch x heads x steps x dim``)."""
        packed = pack(rows, starts, input_ids, attention_mask)
        past = [(k[packed.rows], v[packed.rows]) for k, v in cache]
        length = cache[0][0].shape[2]
        masks = {kind: self._packed_mask(packed, length, kind) for kind in set(self.layer_types)}
        hidden, new = self._run(packed.input_ids, packed.positions, masks, past, packed.layout)
        out = Layout.of_mask(attention_mask)
        if not with_cache:
            return out.padded(hidden)
        return out.padded(hidden), [tuple(_unpacked(t, packed, out) for t in kv) for kv in new]

    def _run(
        self, input_ids: torch.Tensor, positions: torch.Tensor, masks: dict, past: Cache | None,
        layout: Layout,
    ) -> tuple[torch.Tensor, Cache]:  # fmt: skip
        """The layers over the real tokens of ``input_ids`` (``layout``): the residual
        stream and the products hold those alone, and only attention sees the padded
        layout, where padded positions' keys are zeros. Final hidden states of the real
        tokens, in the layout's order."""
        embed = self._w("embed_tokens.weight")
        scale = torch.tensor(self.config["hidden_size"] ** 0.5).to(embed.dtype)
        x = F.embedding(layout.flat(input_ids), embed).float() * scale.float()
        at = layout.flat(positions)
        rotary = {k: self._rotary(at, k, self.dtype) for k in set(self.layer_types)}
        cache: Cache = []
        for i, kind in enumerate(self.layer_types):
            step = past[i] if past else None
            x, kv = self._layer(i, x, layout, masks[kind], rotary[kind], step)
            cache.append(kv)
        return rms_norm(x, self.scales["norm.weight"], self.eps), cache

    def _packed_mask(self, packed: Packed, length: int, kind: str) -> torch.Tensor:
        """``groups x 1 x steps x (length + steps)``: the first ``visible`` cached positions
        of the row, then the earlier tokens of the token's own continuation."""
        keys = torch.arange(length)
        old = keys[None, None, :] < packed.visible[:, :, None]
        steps = torch.arange(packed.reads.shape[1])
        same = packed.reads[:, :, None] == packed.reads[:, None, :]
        allowed = torch.cat((old, same & (steps[None, :] <= steps[:, None])), dim=-1)
        if kind == "sliding_attention" and self.window:
            key_pos = torch.cat((keys[None].expand(len(packed.rows), -1), packed.positions), -1)
            allowed = allowed & (key_pos[:, None, :] > packed.positions[:, :, None] - self.window)
        return allowed[:, None]

    def _mask(self, attention_mask: torch.Tensor, kind: str) -> torch.Tensor:
        """Boolean ``batch x 1 x query x key``: causal, real keys only, in the window."""
        steps = torch.arange(attention_mask.shape[1], device=attention_mask.device)
        q, k = steps[:, None], steps[None, :]
        allowed = k <= q
        if kind == "sliding_attention" and self.window:
            allowed = allowed & (k > q - self.window)
        return allowed[None, None] & attention_mask.bool()[:, None, None, :]

    def _rotary(
        self, positions: torch.Tensor, kind: str, dtype: torch.dtype
    ) -> tuple[torch.Tensor, torch.Tensor]:
        theta = float(_rope(self.config)[kind]["rope_theta"])
        pairs = torch.arange(0, self.head_dim, 2, dtype=torch.float, device=positions.device)
        freqs = positions[..., None].float() * (1.0 / theta ** (pairs / self.head_dim))
        angles = torch.cat((freqs, freqs), dim=-1)[:, None]  # tokens x 1 (heads) x dim
        half = self.head_dim // 2  # the sine signed, so that a roll rotates each half
        sign = torch.cat((-torch.ones(half), torch.ones(half)))
        return angles.cos().to(dtype), (angles.sin() * sign).to(dtype)

    def _layer(
        self, i: int, x: torch.Tensor, layout: Layout, mask: torch.Tensor, rotary: Any,
        past: KeyValue | None,
    ) -> tuple[torch.Tensor, KeyValue]:  # fmt: skip
        norm = lambda h, name: rms_norm(h, self.scales[f"layers.{i}.{name}.weight"], self.eps)  # noqa: E731
        attended, kv = self._attention(i, norm(x, "input_layernorm"), layout, mask, rotary, past)
        x = x + norm(attended, "post_attention_layernorm")
        h = self._mlp(i, norm(x, "pre_feedforward_layernorm"))
        return x + norm(h, "post_feedforward_layernorm"), kv

    def _attention(
        self, i: int, x: torch.Tensor, layout: Layout, mask: torch.Tensor, rotary: Any,
        past: KeyValue | None,
    ) -> tuple[torch.Tensor, KeyValue]:  # fmt: skip
        """Self-attention of the real tokens ``x`` (``tokens x hidden``): projections,
        norms and rotary on those alone, the attention itself in the padded layout."""
        batch, length = layout.shape
        n, dim = x.shape[0], self.head_dim
        proj = lambda name: self._linear(x, f"layers.{i}.self_attn.{name}_proj.weight")  # noqa: E731
        q_heads, qk_heads = self.sizes[0] // dim, (self.sizes[0] + self.sizes[1]) // dim
        # queries and keys normed and rotated together (each head by its own norm's scale)
        qk = torch.cat((proj("q"), proj("k")), dim=-1).view(n, qk_heads, dim)
        qk = (F.rms_norm(qk.float(), (dim,), None, self.eps) * self.qk_scales[i]).to(qk.dtype)
        cos, signed_sin = rotary
        qk = qk * cos + qk.roll(dim // 2, dims=-1) * signed_sin

        def padded(t: torch.Tensor) -> torch.Tensor:  # batch x heads x length x dim
            out = layout.padded(t.reshape(n, -1))
            return out.view(batch, length, -1, dim).transpose(1, 2)

        q, k, v = padded(qk[:, :q_heads]), padded(qk[:, q_heads:]), padded(proj("v"))
        kv = (k, v)
        if past is not None:
            k, v = torch.cat((past[0], k), dim=2), torch.cat((past[1], v), dim=2)
        scale = 1.0 / math.sqrt(float(self.config["query_pre_attn_scalar"]))
        out = _grouped_attention(q, k, v, mask, scale)
        out = layout.flat(out.transpose(1, 2).reshape(batch, length, -1))
        return self._linear(out, f"layers.{i}.self_attn.o_proj.weight"), kv

    def _mlp(self, i: int, x: torch.Tensor) -> torch.Tensor:
        w = lambda name: f"layers.{i}.mlp.{name}.weight"  # noqa: E731
        gate = F.gelu(self._linear(x, w("gate_proj")), approximate="tanh")
        return self._linear(gate * self._linear(x, w("up_proj")), w("down_proj"))


def _unpacked(tensor: torch.Tensor, packed: Packed, out: Layout) -> torch.Tensor:
    """Keys or values of packed sequences (``groups x heads x length x dim``) per
    continuation (``batch x heads x steps x dim``)."""
    groups, heads, length, dim = tensor.shape
    flat = packed.layout.flat(tensor.transpose(1, 2).reshape(groups, length, heads * dim))
    batch, steps = out.shape
    return out.padded(flat).view(batch, steps, heads, dim).transpose(1, 2)


def _grouped_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor, scale: float
) -> torch.Tensor:
    """Attention of ``q`` (``batch x heads x query x dim``) to keys and values shared by
    groups of its heads (grouped-query attention), without copying them per head: the
    queries of one group are read as one longer query sequence."""
    batch, heads, length, dim = q.shape
    shared = k.shape[1]
    groups = heads // shared
    if groups == 1:
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=scale)
    q = q.reshape(batch, shared, groups * length, dim)
    mask = mask.repeat(1, 1, groups, 1) if mask.shape[2] == length else mask
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=scale)
    return out.view(batch, heads, length, dim)


def _in(tensor: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """A weight matrix in the engine's dtype; vectors (the norms') and integers as they are."""
    if tensor.dim() < 2 or not tensor.is_floating_point() or tensor.dtype == dtype:
        return tensor
    return tensor.to(dtype)
