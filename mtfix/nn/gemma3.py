"""Gemma 3 text decoder, forward only: hidden states for teacher-forced scoring."""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

PREFIX = "model."


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


def rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: float) -> torch.Tensor:
    """Gemma's RMSNorm: in float32, scaled by ``1 + weight``, back in ``x``'s dtype."""
    y = x.float()
    y = y * torch.rsqrt(y.pow(2).mean(-1, keepdim=True) + eps)
    return (y * (1.0 + weight.float())).type_as(x)


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Gemma3Text:
    """The decoder of a Gemma 3 causal LM over its saved tensors (no copies)."""

    def __init__(self, config: dict[str, Any], state: dict[str, torch.Tensor]) -> None:
        self.config = config
        self.state = state
        self.eps = float(config["rms_norm_eps"])
        self.head_dim = int(config["head_dim"])
        self.layer_types = list(config["layer_types"])
        self.window = int(config.get("sliding_window") or 0)
        self.final_logit_softcapping = config.get("final_logit_softcapping")

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """Next-token logits of hidden states (output layer tied to the embeddings where
        the model has none of its own; soft-capped where the model says so)."""
        weight = self.state.get("lm_head.weight", self._w("embed_tokens.weight"))
        logits = F.linear(hidden, weight)
        cap = self.final_logit_softcapping
        return torch.tanh(logits / cap) * cap if cap else logits

    def _w(self, name: str) -> torch.Tensor:
        return self.state[PREFIX + name]

    def hidden(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Last hidden states (after the final norm), ``batch x length x hidden``."""
        embed = self._w("embed_tokens.weight")
        scale = torch.tensor(self.config["hidden_size"] ** 0.5).to(embed.dtype)
        x = F.embedding(input_ids, embed) * scale
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        masks = {kind: self._mask(attention_mask, kind) for kind in set(self.layer_types)}
        rotary = {kind: self._rotary(positions, kind, x.dtype) for kind in set(self.layer_types)}
        for i, kind in enumerate(self.layer_types):
            x = self._layer(i, x, masks[kind], rotary[kind])
        return rms_norm(x, self._w("norm.weight"), self.eps)

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
        freqs = positions[:, None].float() * (1.0 / theta ** (pairs / self.head_dim))[None, :]
        angles = torch.cat((freqs, freqs), dim=-1)
        return angles.cos().to(dtype), angles.sin().to(dtype)

    def _layer(self, i: int, x: torch.Tensor, mask: torch.Tensor, rotary: Any) -> torch.Tensor:
        norm = lambda h, name: rms_norm(h, self._w(f"layers.{i}.{name}.weight"), self.eps)  # noqa: E731
        x = x + norm(self._attention(i, norm(x, "input_layernorm"), mask, rotary),
                     "post_attention_layernorm")  # fmt: skip
        h = self._mlp(i, norm(x, "pre_feedforward_layernorm"))
        return x + norm(h, "post_feedforward_layernorm")

    def _attention(self, i: int, x: torch.Tensor, mask: torch.Tensor, rotary: Any) -> torch.Tensor:
        w = lambda name: self._w(f"layers.{i}.self_attn.{name}.weight")  # noqa: E731
        batch, length, _ = x.shape

        def heads(name: str) -> torch.Tensor:
            return F.linear(x, w(name)).view(batch, length, -1, self.head_dim).transpose(1, 2)

        cos, sin = rotary
        q = rms_norm(heads("q_proj"), w("q_norm"), self.eps)
        k = rms_norm(heads("k_proj"), w("k_norm"), self.eps)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        v = heads("v_proj")
        groups = q.shape[1] // k.shape[1]
        k, v = k.repeat_interleave(groups, dim=1), v.repeat_interleave(groups, dim=1)
        scale = 1.0 / math.sqrt(float(self.config["query_pre_attn_scalar"]))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=scale)
        return F.linear(out.transpose(1, 2).reshape(batch, length, -1), w("o_proj"))

    def _mlp(self, i: int, x: torch.Tensor) -> torch.Tensor:
        w = lambda name: self._w(f"layers.{i}.mlp.{name}.weight")  # noqa: E731
        gate = F.gelu(F.linear(x, w("gate_proj")), approximate="tanh")
        return F.linear(gate * F.linear(x, w("up_proj")), w("down_proj"))
