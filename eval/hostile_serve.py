"""Twenty hostile requests of 30-500 KB to a real ``mtfix serve`` on loopback (issue 35).

    python eval/hostile_serve.py [-- SERVE OPTIONS]   (default: --no-model --checker offline)

Starts the server, repairs one sentence, then sends the inputs of ``hostile_kinds`` (long
tokens, brackets and backticks in Markdown, deep and broken JSON, dense figures) one after
another; prints each request's status, seconds, ``/health`` and the server's memory (its
process and its pipeline's child), and the memory after the last against the start. States
the CPU.
"""

from __future__ import annotations

import sys
import time

import hostile_kinds as kinds
import httpx
from hostile_inputs import cpu
from serve_loopback import mtfix_serve


def requests() -> list[tuple[str, str, str]]:
    """(label, text, format) of the twenty requests."""
    makers = [(kinds.long_token, "text"), (kinds.brackets, "markdown"),
              (kinds.backticks, "markdown"), (kinds.nested, "json"),
              (kinds.numbers, "text")]  # fmt: skip
    out = []
    for size in (30_000, 100_000, 250_000, 499_000):
        for make, fmt in makers:
            name, data = make(size)
            out.append((f"{name} {len(data) // 1000} KB", data.decode(), fmt))
    return out


def main() -> None:
    extra = sys.argv[1:] or ["--no-model", "--checker", "offline"]
    with mtfix_serve(extra, start_timeout=3600) as (url, tree_memory):
        memory = lambda: tree_memory() / 2**30  # noqa: E731
        httpx.post(f"{url}/api/fix", json={"text": "He go to a office."}, timeout=120)
        start = memory()
        print(f"CPU: {cpu()}\nserve options: {' '.join(extra)}\nmemory at start: {start:.2f} GB")
        print("\n| request | status | seconds | /health | GB after | error |")
        print("|---|---:|---:|---|---:|---|")
        for label, text, fmt in requests():
            t = time.perf_counter()
            answer = httpx.post(f"{url}/api/fix", json={"text": text, "format": fmt},
                                timeout=3600)  # fmt: skip
            seconds = time.perf_counter() - t
            health = httpx.get(f"{url}/health", timeout=10).json()["status"]
            error = answer.json().get("error", "") if answer.status_code != 200 else ""
            print(f"| {label} | {answer.status_code} | {seconds:.1f} | {health} | "
                  f"{memory():.2f} | {error[:90]} |")  # fmt: skip
        print(f"\nmemory after the last: {memory():.2f} GB ({memory() / start - 1:+.0%})")


if __name__ == "__main__":
    main()
