"""The training path: a prepared folder trains and exports a model the rewriter loads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mtfix.errors import ConfigError
from mtfix.train.config import load_config
from tests.conftest import _CORPUS

TINY = """
vocab_size = 200
max_tokens = 24
batch_size = 4
max_steps = 6
eval_steps = 3
warmup_steps = 1
dev_size = 2
[model]
d_model = 32
d_ff = 64
d_kv = 8
num_heads = 4
num_layers = 1
num_decoder_layers = 1
"""


def _prepared(folder: Path) -> Path:
    """A training folder as ``--prepare-only`` writes it, from a handful of sentences."""
    from mtfix.train.prepare import write_prepared
    from mtfix.train.vocab import build_tokenizer

    rows = [{"source": s.lower(), "target": s, "kind": "synthetic"} for s in _CORPUS]
    return write_prepared(folder, rows, rows, build_tokenizer(_CORPUS, 200))


@pytest.mark.parametrize("architecture", ["t5", "bart", "marian"])
def test_train_exports_a_model_the_rewriter_loads(tmp_path: Path, architecture: str) -> None:
    from mtfix.rewrite import load_rewriter

    config = tmp_path / "tiny.toml"
    config.write_text(TINY + f'architecture = "{architecture}"\n')
    folder, export = _prepared(tmp_path / "prepared"), tmp_path / "model"
    command = [sys.executable, "-m", "mtfix.train", "--config", str(config)]
    command += ["--prepared", str(folder), "--out", str(tmp_path / "ckpt"), "--export", str(export)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "best dev loss" in done.stdout
    meta = json.loads((export / "training.json").read_text())
    assert meta["log"]["steps"] == 6 and meta["log"]["pairs"]["synthetic"] == len(_CORPUS)
    assert meta["config"]["model"]["d_model"] == 32
    assert json.loads((export / "config.json").read_text())["model_type"] == architecture
    rewriter = load_rewriter(str(export))
    assert rewriter.model.dtype.is_floating_point and rewriter.model.dtype.itemsize == 4
    assert len(rewriter.rewrite(["the sides discussed the situation."])) == 1


def test_prepared_folder_must_exist(tmp_path: Path) -> None:
    config = tmp_path / "tiny.toml"
    config.write_text(TINY)
    command = [sys.executable, "-m", "mtfix.train", "--config", str(config)]
    done = subprocess.run(
        [*command, "--prepared", str(tmp_path / "none")], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert done.stderr.startswith("mtfix train: error:") and "prepared" in done.stderr


@pytest.mark.parametrize(
    "text", ["batch_size = 4\nno_such_option = 1\n", '[model]\narchitecture = "lstm"\n']
)
def test_bad_config_is_one_clear_error(tmp_path: Path, text: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(text)
    with pytest.raises(ConfigError, match="cannot read the training config"):
        load_config(config, tmp_path)


def test_init_starts_from_a_saved_model_and_its_tokenizer(
    tmp_path: Path, tiny_t5_dir: Path
) -> None:
    config = tmp_path / "tiny.toml"
    config.write_text(TINY.replace("max_steps = 6", "max_steps = 2"))
    folder, export = _prepared(tmp_path / "prepared"), tmp_path / "model"
    command = [sys.executable, "-m", "mtfix.train", "--config", str(config), "--init"]
    command += [str(tiny_t5_dir), "--prepared", str(folder), "--out", str(tmp_path / "ckpt")]
    done = subprocess.run([*command, "--export", str(export)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    meta = json.loads((export / "training.json").read_text())
    assert meta["config"]["init"] == str(tiny_t5_dir)
    vocab = [
        json.loads((d / "tokenizer.json").read_text())["model"]["vocab"]
        for d in (export, tiny_t5_dir)
    ]
    assert vocab[0] == vocab[1]
