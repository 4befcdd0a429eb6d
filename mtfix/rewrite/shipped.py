"""The rewriting model shipped inside the package, once it has been trained."""

from __future__ import annotations

from pathlib import Path

DEFAULT_MODEL_NAME = "mtfix-rewriter"
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"


def shipped_model_dir() -> Path | None:
    """``mtfix/models/<DEFAULT_MODEL_NAME>/`` when it holds a saved model, else None."""
    path = MODELS_DIR / DEFAULT_MODEL_NAME
    return path if (path / "config.json").is_file() else None
