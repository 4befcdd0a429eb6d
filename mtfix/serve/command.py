"""``mtfix serve``: the HTTP server, its pipeline loaded and warmed once at start."""

from __future__ import annotations

import argparse
import ipaddress
import sys

from mtfix.api import Fixer
from mtfix.pipeline import Options

WARM_UP = "Visit de Mistura in Moscow will continue the efforts of the Minister of foreign Affairs."


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


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_serve(args: argparse.Namespace, options: Options) -> int:
    """Load the pipeline, repair one sentence to load every model, then serve."""
    import uvicorn

    from mtfix.read import read_line
    from mtfix.serve.app import create_app

    fixer = Fixer(options)
    print("mtfix: loading the pipeline...", file=sys.stderr)
    fixer.fix(read_line(WARM_UP))
    if not loopback(args.host):
        print(f"mtfix: listening on {args.host}: other machines can send texts", file=sys.stderr)
    app = create_app(fixer, max_waiting=args.max_waiting)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
