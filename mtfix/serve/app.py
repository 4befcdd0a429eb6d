"""The ASGI app of ``mtfix serve`` (Starlette): LanguageTool's API, ``/api/fix``, a page.

- ``POST|GET /v2/check``, ``GET /v2/languages``: LanguageTool's HTTP API, so editor
  plugins and ``language_tool_python``'s ``remote_server`` show mtfix's findings and
  repairs as matches and replacements.
- ``POST /api/fix``: ``{"text": ...}`` in, the report of ``mtfix fix --json`` out.
- ``GET /health``: ``status`` (``ok``, or ``restarting`` while the pipeline's process is
  started again), ``restarts``, ``waiting`` and ``max_waiting``; always 200.
- ``GET /``: the page (``static/``) to repair an article in a browser.

The text of a request is never logged nor sent anywhere; errors are a status and a
one-line reason (``{"error": ...}``), never a traceback: 4xx for the request (see
``inputs``; 400 too for a text the pipeline refuses with ``InputError``), 503 for a full
queue or no pipeline, 500 for an article the pipeline could not finish (see ``process``).
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from mtfix.errors import InputError, MtfixError
from mtfix.output.report import report_dict
from mtfix.read import read_bytes
from mtfix.serve.inputs import (
    FORM,
    JSON,
    MAX_BODY,
    BadRequest,
    check_input,
    fix_input,
    form_fields,
    require_type,
)
from mtfix.serve.languagetool import Offsets, lt_match, report_spans
from mtfix.serve.process import PipelineError
from mtfix.serve.worker import Busy, Worker
from mtfix.versions import versions

STATIC = Path(__file__).parent / "static"
LANGUAGES = [("English", "en", "en")] + [
    (f"English ({name})", "en", f"en-{code}")
    for code, name in (("US", "US"), ("GB", "GB"), ("AU", "Australia"), ("CA", "Canada"),
                       ("NZ", "New Zealand"), ("ZA", "South Africa"))
]  # fmt: skip
log = logging.getLogger("mtfix.serve")


async def read_body(request: Request) -> bytes:
    """The body, refused with 413 as soon as it is known to be over ``MAX_BODY``."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY:
        raise BadRequest(413, f"the request is {int(declared):,} bytes, over {MAX_BODY:,}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise BadRequest(413, f"the request is over {MAX_BODY:,} bytes")
    return bytes(body)


def error(status: int, reason: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": reason}, status, headers=headers or None)


async def repaired(request: Request, text: str, fmt: str = "text") -> Any:
    """The report of ``text`` from the app's worker (a bad text raises BadRequest)."""
    try:  # off the event loop: a long text takes a while to read
        article = await asyncio.to_thread(read_bytes, text.encode("utf-8"), name="text", fmt=fmt)
    except MtfixError as exc:
        raise BadRequest(400, str(exc)) from None
    return await request.app.state.worker.fix(article)


async def check(request: Request) -> Response:
    """LanguageTool's ``/v2/check``."""
    if request.method == "GET":
        fields = dict(request.query_params)
    else:
        require_type(request.headers.get("content-type"), FORM)
        fields = form_fields(await read_body(request))
    wanted = check_input(fields)
    report = await repaired(request, wanted.text)
    offsets = Offsets.of(wanted.text, wanted.document, wanted.positions)
    lang = fields.get("language", "en-US")
    code = "en-US" if lang.lower() in {"auto", "en"} else lang
    return JSONResponse({
        "software": {"name": "mtfix", "version": versions()["mtfix"], "apiVersion": 1,
                     "buildDate": None, "status": "", "premium": False},
        "warnings": {"incompleteResults": False},
        "language": {"name": "English", "code": code,
                     "detectedLanguage": {"name": "English", "code": code, "confidence": 1.0}},
        "matches": [lt_match(report, s, offsets) for s in report_spans(report)],
    })  # fmt: skip


async def languages(request: Request) -> Response:
    return JSONResponse([{"name": n, "code": c, "longCode": lc} for n, c, lc in LANGUAGES])


async def fix(request: Request) -> Response:
    """``{"text": ..., "format": "auto"}`` -> the JSON report of ``mtfix fix --json``."""
    require_type(request.headers.get("content-type"), JSON)
    text, fmt = fix_input(await read_body(request))
    return JSONResponse(report_dict(await repaired(request, text, fmt)))


async def health(request: Request) -> Response:
    """The pipeline's state (an in-process one is always ok) and the queue's."""
    worker: Worker = request.app.state.worker
    state = getattr(worker.pipeline, "health", lambda: {"status": "ok", "restarts": 0})()
    return JSONResponse({**state, "waiting": worker.waiting, "max_waiting": worker.max_waiting})


async def page(request: Request) -> Response:
    return FileResponse(STATIC / "index.html")


def guarded(endpoint):
    """The endpoint with every failure answered as a status and one line."""

    async def run(request: Request) -> Response:
        try:
            return await endpoint(request)
        except BadRequest as exc:
            return error(exc.status, exc.reason)
        except Busy as exc:
            return error(503, str(exc), **{"Retry-After": str(exc.retry_after)})
        except PipelineError as exc:
            retry = {"Retry-After": str(exc.retry_after)} if exc.retry_after else {}
            return error(exc.status, str(exc), **retry)
        except InputError as exc:  # the pipeline refused the text
            return error(400, str(exc))
        except Exception as exc:  # the text is not logged: only what failed
            log.error("%s failed: %s", request.url.path, type(exc).__name__)
            return error(500, f"internal error ({type(exc).__name__})")

    return run


def create_app(
    pipeline: Any, max_waiting: int = 16, max_batch: int = 8, *, close: bool = False
) -> Starlette:
    """The app around a loaded pipeline (anything with ``fix`` and ``fix_many``, and
    ``health`` where it can be restarting); ``close``: close it when the server stops."""
    worker = Worker(pipeline, max_waiting, max_batch)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        await worker.start()
        yield
        await worker.stop()
        if close:
            await asyncio.to_thread(pipeline.close)

    routes = [
        Route("/v2/check", guarded(check), methods=["GET", "POST"]),
        Route("/v2/languages", guarded(languages)),
        Route("/api/fix", guarded(fix), methods=["POST"]),
        Route("/health", guarded(health)),
        Route("/", page),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.worker = worker
    return app
