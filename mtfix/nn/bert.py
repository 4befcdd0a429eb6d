"""BERT encoder, forward only: the last hidden states a sentence embedder pools."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F


def supports(config: dict[str, Any]) -> bool:
    """Whether ``config`` is a plain BERT encoder this forward computes exactly."""
    return (
        config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
    )


class BertEncoder:
    """A BERT encoder over its saved tensors (no copies)."""

    def __init__(self, config: dict[str, Any], state: dict[str, torch.Tensor]) -> None:
        self.config = config
        self.state = state
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.heads = int(config["num_attention_heads"])

    @property
    def hidden_size(self) -> int:
        return int(self.config["hidden_size"])

    def hidden(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Last hidden states, ``batch x length x hidden``."""
        types = torch.zeros_like(input_ids) if token_type_ids is None else token_type_ids
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)[None, :]
        x = (
            F.embedding(input_ids, self.state["embeddings.word_embeddings.weight"])
            + F.embedding(types, self.state["embeddings.token_type_embeddings.weight"])
            + F.embedding(positions, self.state["embeddings.position_embeddings.weight"])
        )
        x = self._norm(x, "embeddings.LayerNorm")
        mask = attention_mask.bool()[:, None, None, :]
        for i in range(int(self.config["num_hidden_layers"])):
            x = self._layer(f"encoder.layer.{i}.", x, mask)
        return x

    def _linear(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return F.linear(x, self.state[f"{name}.weight"], self.state[f"{name}.bias"])

    def _norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        weight, bias = self.state[f"{name}.weight"], self.state[f"{name}.bias"]
        return F.layer_norm(x, (x.shape[-1],), weight, bias, self.eps)

    def _layer(self, p: str, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        batch, length, size = x.shape

        def heads(name: str) -> torch.Tensor:
            out = self._linear(x, f"{p}attention.self.{name}")
            return out.view(batch, length, self.heads, -1).transpose(1, 2)

        att = F.scaled_dot_product_attention(heads("query"), heads("key"), heads("value"),
                                             attn_mask=mask)  # fmt: skip
        att = self._linear(
            att.transpose(1, 2).reshape(batch, length, size), f"{p}attention.output.dense"
        )
        x = self._norm(att + x, f"{p}attention.output.LayerNorm")
        h = F.gelu(self._linear(x, f"{p}intermediate.dense"))
        return self._norm(self._linear(h, f"{p}output.dense") + x, f"{p}output.LayerNorm")
