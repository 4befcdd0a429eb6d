"""``--engine ray`` (Ray Data in local mode) writes the same records as ``--engine local``."""

from __future__ import annotations

from pathlib import Path

import pytest
from batchfeeds import records, write_jsonl

from mtfix.cli import main

pytest.importorskip("ray", reason="the ray extra is not installed (pip install 'mtfix[ray]')")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Ray's own
ARGS = ["--no-rewrite", "--no-fluency", "--checker", "offline", "-q", "--batch-size", "3"]


def test_ray_engine_matches_local(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    ids = write_jsonl(feed, 18, bad_every=9)  # 20 articles, 2 of them broken
    local, ray = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    assert main(["batch", str(feed), "-o", str(local), *ARGS]) == 1
    argv = ["batch", str(feed), "-o", str(ray), "--engine", "ray", "--workers", "2", *ARGS]
    assert main(argv) == 1
    got = records(ray)
    assert [r["id"] for r in got] == ids
    assert got == records(local)  # records carry no timings unless --full
