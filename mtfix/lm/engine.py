"""Which engine the base LM's forward passes run on: the dtype of its matrix products.

- ``float32``: the reference, on any CPU.
- ``bfloat16``: the GGUF's dequantised bfloat16 weights used as they are (no float32 copy
  to build: loading is a memory map) and multiplied by oneDNN's AMX kernels, 6 times
  faster than float32 per product on these CPUs; the residual stream and the sums stay in
  float32. Measured against the others in ``eval/engines.py``.

``auto`` (the default) takes bfloat16 where the CPU has AMX tiles, else float32 (where
bfloat16 products are emulated, they are slower than float32). ``MTFIX_ENGINE`` names
one for the whole process (every model loaded in it shares the choice).
"""

from __future__ import annotations

import os

from mtfix.errors import ConfigError

ENGINES = ("float32", "bfloat16")
ENV = "MTFIX_ENGINE"


def engine() -> str:
    """The engine this process runs the LM on (``MTFIX_ENGINE``, else ``auto``'s pick)."""
    chosen = os.environ.get(ENV, "auto").strip().lower() or "auto"
    if chosen == "auto":
        return "bfloat16" if has_matrix_units() else "float32"
    if chosen not in ENGINES:
        raise ConfigError(f"{ENV}={chosen!r}: choose one of auto, {', '.join(ENGINES)}")
    return chosen


def has_matrix_units() -> bool:
    """Whether this CPU multiplies bfloat16 matrices in hardware (Intel AMX)."""
    import torch

    probe = getattr(torch.cpu, "_is_amx_tile_supported", None)
    return bool(probe and probe())
