"""``mtfix serve``: the HTTP server, its pipeline loaded and warmed once at start, in a child
process the server restarts when it dies or goes past its time or memory (``process``)."""

from __future__ import annotations

import argparse
import ipaddress
import sys

from mtfix.pipeline import Options


def positive(text: str) -> float:
    """A number over 0, for argparse."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")
    return value


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``mtfix serve`` (the repair options are those of ``mtfix fix``)."""
    parser.add_argument(
        "--host", default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only; anything else "
        "lets other machines send texts)",
    )  # fmt: skip
    parser.add_argument("--port", type=int, default=8081, help="port (default 8081)")
    parser.add_argument(
        "--max-waiting", type=int, default=16,
        help="articles that may wait for the pipeline; more get 503 with Retry-After",
    )  # fmt: skip
    parser.add_argument(
        "--request-timeout", type=positive, default=120.0, metavar="SECONDS",
        help="seconds one article may take (default 120), plus 3 per 1,000 characters (a "
        "batch of n: 1 + (n-1)/2 times the first); past it the pipeline is restarted and the "
        "request gets 500",
    )  # fmt: skip
    parser.add_argument(
        "--max-memory-gb", type=positive, default=8.0, metavar="GB",
        help="resident memory the pipeline's process may use (default 8); past it the "
        "process is restarted and the request gets 500",
    )  # fmt: skip


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_serve(args: argparse.Namespace, options: Options) -> int:
    """Start the pipeline's process (it repairs one sentence to load every model), then
    serve; the process is ended when the server stops."""
    import uvicorn

    from mtfix.serve.app import create_app
    from mtfix.serve.process import PipelineError, ProcessPipeline

    print("mtfix: loading the pipeline...", file=sys.stderr)
    try:
        pipeline = ProcessPipeline(
            options, timeout=args.request_timeout, max_memory_gb=args.max_memory_gb
        )
    except PipelineError as exc:
        print(f"mtfix: error: {exc}", file=sys.stderr)
        return 2
    if not loopback(args.host):
        print(f"mtfix: listening on {args.host}: other machines can send texts", file=sys.stderr)
    app = create_app(pipeline, max_waiting=args.max_waiting, close=True)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    finally:
        pipeline.close()
    return 0
