"""A real ``mtfix serve`` process on a loopback port, for the scripts and tests that need one
(``eval/hostile_serve.py``, ``tests/test_serve_process.py``)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import psutil


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def mtfix_serve(
    options: list[str], start_timeout: float = 180
) -> Iterator[tuple[str, Callable[[], int]]]:
    """``mtfix serve OPTIONS`` until the block ends, once ``/health`` says ok: its URL and a
    function giving the resident memory of the server and its children, in bytes."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "mtfix.cli", "serve", "--port", str(port),
                               *options], stderr=subprocess.DEVNULL)  # fmt: skip
    url, tree = f"http://127.0.0.1:{port}", psutil.Process(server.pid)

    def memory() -> int:
        return sum(p.memory_info().rss for p in [tree, *tree.children(recursive=True)])

    try:
        end = time.monotonic() + start_timeout
        while True:
            if server.poll() is not None or time.monotonic() > end:
                raise RuntimeError("the server did not start")
            try:
                if httpx.get(f"{url}/health", timeout=2).json()["status"] == "ok":
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        yield url, memory
    finally:
        server.terminate()
        server.wait(30)
