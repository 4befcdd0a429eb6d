"""A small server that speaks LanguageTool's HTTP API as language-tool-python uses it.

``GET /v2/languages``, ``GET /v2/healthcheck`` and ``POST /v2/check`` (form fields
``language``, ``text``, ``enabledRules``, ``disabledRules``, ...), answering with
LanguageTool's JSON shapes from a few regex rules. ``fail_with`` makes checks answer an
HTTP error; ``die_after`` closes the server after that many checks. Run as a script
(``python tests/ltserver.py --port N``) it stands in for a local LanguageTool process.
"""

from __future__ import annotations

import argparse
import json
import re
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

LANGUAGES = [
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "German (Germany)", "code": "de", "longCode": "de-DE"},
]
CATEGORIES = {"CASING": "Capitalization", "MISC": "Miscellaneous", "TYPOS": "Possible Typo",
              "STYLE": "Style", "GRAMMAR": "Grammar"}  # fmt: skip
# (rule id, category id, issue type, pattern, replacement of the match)
RULES = [
    ("EN_SPECIFIC_CASE", "CASING", "misspelling",
     r"\bforeign (Affairs|Ministry|Minister)\b", lambda m: f"Foreign {m[1]}"),
    ("EN_A_VS_AN", "MISC", "misspelling", r"\b[Aa](?= [aeiou])", lambda m: m[0] + "n"),
    ("ENGLISH_WORD_REPEAT_RULE", "MISC", "duplication", r"\b(\w+) \1\b", lambda m: m[1]),
    ("HE_VERB_AGR", "GRAMMAR", "grammar", r"\b(?<=[Hh]e )go\b", lambda m: "goes"),
    ("MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling", r"\bMistura\b", lambda m: "Mixture"),
    ("VERY_UNIQUE", "STYLE", "style", r"\bvery unique\b", lambda m: "unique"),
]  # fmt: skip


def utf16(text: str, index: int) -> int:
    """Java's offset (UTF-16 code units) of ``text[index]``."""
    return len(text[:index].encode("utf-16-le")) // 2


def check(text: str, disabled: set[str], enabled: set[str], enabled_only: bool) -> list[dict]:
    """LanguageTool-shaped matches of the rules in ``text``."""
    matches = []
    for rule, category, issue, pattern, fix in RULES:
        if rule in disabled or (enabled_only and rule not in enabled):
            continue
        for m in re.finditer(pattern, text):
            matches.append(_match(text, m, rule, category, issue, fix(m)))
    return sorted(matches, key=lambda x: x["offset"])


def _match(text: str, m: re.Match, rule: str, category: str, issue: str, fix: str) -> dict:
    lo, hi = max(0, m.start() - 20), min(len(text), m.end() + 20)
    return {
        "message": f"Possible error ({rule}).",
        "shortMessage": "",
        "replacements": [{"value": fix}],
        "offset": utf16(text, m.start()),
        "length": utf16(text, m.end()) - utf16(text, m.start()),
        "context": {"text": text[lo:hi], "offset": m.start() - lo, "length": m.end() - m.start()},
        "sentence": text,
        "type": {"typeName": "Other"},
        "rule": {
            "id": rule,
            "description": f"Rule {rule}",
            "issueType": issue,
            "category": {"id": category, "name": CATEGORIES[category]},
        },
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }


class FakeLanguageTool:
    """The server, in a thread on 127.0.0.1 and a free port."""

    def __init__(self, port: int = 0) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.counts: Counter[str] = Counter()
        self.fail_with: int | None = None
        self.die_after: int | None = None
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeLanguageTool:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving and close the socket: later connections are refused."""
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(server: FakeLanguageTool) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            """Quiet."""

        def do_GET(self) -> None:
            path = urlparse(self.path).path
            server.counts[path] += 1
            if path == "/v2/languages":
                self._send(200, json.dumps(LANGUAGES))
            elif path == "/v2/healthcheck":
                self._send(200, "OK", "text/plain")
            else:
                self._send(404, "Not found", "text/plain")

        def do_POST(self) -> None:
            path = urlparse(self.path).path
            size = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(size).decode()).items()}
            server.counts[path] += 1
            server.requests.append((path, form))
            if path != "/v2/check":
                return self._send(404, "Not found", "text/plain")
            if server.fail_with:
                return self._send(server.fail_with, f"Error: fake failure {server.fail_with}")
            self._send(200, json.dumps(_answer(form)))
            if server.die_after and server.counts["/v2/check"] >= server.die_after:
                threading.Thread(target=server.stop, daemon=True).start()

        def _send(self, code: int, body: str, kind: str = "application/json") -> None:
            data = body.encode()
            self.send_response(code)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _answer(form: dict[str, str]) -> dict:
    split = lambda key: set(filter(None, form.get(key, "").split(",")))  # noqa: E731
    matches = check(form.get("text", ""), split("disabledRules"), split("enabledRules"),
                    form.get("enabledOnly") == "true")  # fmt: skip
    return {
        "software": {"name": "LanguageTool", "version": "6.8", "apiVersion": 1},
        "warnings": {"incompleteResults": False},
        "language": {"name": "English (US)", "code": "en-US"},
        "matches": matches,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_known_args()[0].port
    FakeLanguageTool(port).httpd.serve_forever()
