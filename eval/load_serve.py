"""Load test of ``mtfix serve`` on loopback, beside the same articles through ``mtfix batch``.

    python eval/load_serve.py [-n 200] [--clients 8] [--paragraphs 3] [--max-waiting 16]
                              [--no-model] [--write]

Builds N articles from WMT21 ru-en MT output (``wmt_feed.py``; each cut to its title and
first ``--paragraphs`` paragraphs so a run stays bounded), starts ``mtfix serve`` on a
free loopback port, and lets ``--clients`` threads send them all to ``POST /api/fix``. A
503 must carry ``Retry-After`` (the client waits that long and sends again); any other
status, a malformed answer or a lost article fails the run. Prints requests/s and
p50/p95 latency (from the first send of a request to its 200), then times ``mtfix
batch`` on the same articles (a fresh process: loading included, printed apart).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT
from wmt_feed import build_feed


def articles(n: int, paragraphs: int) -> list[dict]:
    """N feed records, each cut to its title and first paragraphs."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feed.jsonl"
        build_feed(n, path)
        rows = [json.loads(line) for line in path.read_text().splitlines()]
    for row in rows:
        row["body"] = "\n\n".join(row["body"].split("\n\n")[:paragraphs])
    return rows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, extra: list[str]) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "mtfix.cli", "serve", "--port", str(port), "-q", *extra]
    server = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(1)
    server.kill()
    raise SystemExit("mtfix serve did not start in 10 minutes")


def run_clients(url: str, rows: list[dict], clients: int) -> dict:
    """Send every article once (503: wait Retry-After and resend); the answers' stats."""
    todo, lock = list(enumerate(rows)), threading.Lock()
    latencies, busy, bad = [0.0] * len(rows), [0], []

    def client() -> None:
        with httpx.Client(timeout=600) as http:
            while True:
                with lock:
                    if not todo:
                        return
                    i, row = todo.pop(0)
                text = f"{row['title']}\n\n{row['body']}"
                start = time.perf_counter()
                while True:
                    r = http.post(f"{url}/api/fix", json={"text": text})
                    if r.status_code != 503:
                        break
                    if "Retry-After" not in r.headers:
                        bad.append(f"{i}: 503 without Retry-After")
                        break
                    with lock:
                        busy[0] += 1
                    time.sleep(int(r.headers["Retry-After"]))
                latencies[i] = time.perf_counter() - start
                ok = r.status_code == 200 and isinstance(r.json().get("output"), str)
                if not ok:
                    bad.append(f"{i}: {r.status_code} {r.text[:120]}")

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=20)
    return {"requests": len(rows), "wall_s": round(wall, 1), "rps": len(rows) / wall,
            "p50_s": statistics.median(latencies), "p95_s": q[18], "busy_503": busy[0],
            "bad": bad}  # fmt: skip


def run_batch(rows: list[dict], extra: list[str]) -> dict:
    """``mtfix batch`` on the same articles in a fresh process (loading included)."""
    with tempfile.TemporaryDirectory() as tmp:
        feed, out = Path(tmp) / "feed.jsonl", Path(tmp) / "out.jsonl"
        feed.write_text("".join(json.dumps(r) + "\n" for r in rows))
        start = time.perf_counter()
        cmd = [sys.executable, "-m", "mtfix.cli", "batch", str(feed), "-o", str(out), "-q"]
        subprocess.run([*cmd, *extra], cwd=ROOT, check=False, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        done = sum(1 for line in out.read_text().splitlines() if "error" not in json.loads(line))
    return {"articles": len(rows), "repaired": done, "wall_s": round(wall, 1),
            "articles_per_s": len(rows) / wall}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--paragraphs", type=int, default=3)
    parser.add_argument("--max-waiting", type=int, default=16)
    parser.add_argument("--no-model", action="store_true")
    parser.add_argument("--write", action="store_true", help="save eval/results/serve-<date>.md")
    args = parser.parse_args()
    rows = articles(args.n, args.paragraphs)
    extra = ["--checker", "offline"] + (["--no-model"] if args.no_model else [])
    port = free_port()
    server = start_server(port, [*extra, "--max-waiting", str(args.max_waiting)])
    try:
        serve = run_clients(f"http://127.0.0.1:{port}", rows, args.clients)
    finally:
        server.terminate()
        server.wait(30)
    batch = run_batch(rows, extra)
    lines = [
        f"serve: {serve['requests']} requests from {args.clients} clients in {serve['wall_s']} s: "
        f"{serve['rps']:.2f} requests/s, latency p50 {serve['p50_s']:.1f} s, p95 "
        f"{serve['p95_s']:.1f} s; 503 answers {serve['busy_503']}; bad or lost {len(serve['bad'])}",
        f"batch: {batch['articles']} articles ({batch['repaired']} repaired) in "
        f"{batch['wall_s']} s with loading: {batch['articles_per_s']:.2f} articles/s",
    ]
    print("\n".join(lines + serve["bad"][:10]))
    if args.write:
        cmd = "python eval/load_serve.py " + " ".join(sys.argv[1:])
        body = f"# mtfix serve load test, {dt.date.today()}\n\n`{cmd}`\n\n" + "\n".join(
            f"- {x}" for x in lines
        )
        (ROOT / "eval" / "results" / f"serve-{dt.date.today()}.md").write_text(body + "\n")
    sys.exit(1 if serve["bad"] else 0)


if __name__ == "__main__":
    main()
