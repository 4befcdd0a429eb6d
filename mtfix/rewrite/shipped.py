"""The rewriting model shipped inside the package: a LoRA adapter over a packaged base LM."""

from __future__ import annotations

from pathlib import Path

DEFAULT_MODEL_NAME = "mtfix-rewriter"
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"


def shipped_model_dir() -> Path | None:
    """``mtfix/models/<DEFAULT_MODEL_NAME>/`` when it holds a model or adapter, else None."""
    from mtfix.lm.base import base_available

    path = MODELS_DIR / DEFAULT_MODEL_NAME
    if (path / "adapter_config.json").is_file():
        return path if base_available() else None
    return path if (path / "config.json").is_file() else None
