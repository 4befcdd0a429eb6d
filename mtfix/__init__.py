"""mtfix: repair English text produced by machine translation.

    import mtfix

    with mtfix.load() as fixer:          # models, parser and checker loaded once
        report = fixer.fix(text)         # a Report: output, findings, edits, removals
    scores = mtfix.evaluate(mt, refs, outputs)  # mtfix eval's figures

The loaders are imported on first use, so ``import mtfix`` stays fast.
"""

from __future__ import annotations

from importlib import import_module, metadata
from typing import TYPE_CHECKING, Any

from mtfix.article import Edit, Finding, Removal, Report, Step
from mtfix.errors import ConfigError, InputError, MtfixError

if TYPE_CHECKING:
    from mtfix.api import Fixer, evaluate, load
    from mtfix.pipeline import Options
    from mtfix.score import EvalResult, MetricResult, SentenceRow

try:
    __version__ = metadata.version("mtfix")
except metadata.PackageNotFoundError:  # run from a source tree that is not installed
    __version__ = "0+unknown"

_LAZY = {
    "Fixer": "mtfix.api",
    "load": "mtfix.api",
    "evaluate": "mtfix.api",
    "Options": "mtfix.pipeline",
    "EvalResult": "mtfix.score",
    "MetricResult": "mtfix.score",
    "SentenceRow": "mtfix.score",
}

__all__ = [
    "ConfigError",
    "Edit",
    "EvalResult",
    "Finding",
    "Fixer",
    "InputError",
    "MetricResult",
    "MtfixError",
    "Options",
    "Removal",
    "Report",
    "SentenceRow",
    "Step",
    "__version__",
    "evaluate",
    "load",
]


def __getattr__(name: str) -> Any:
    """The heavy parts of the API, imported when first asked for."""
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mtfix' has no attribute {name!r}")
