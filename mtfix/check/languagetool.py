"""LanguageTool through language-tool-python: a remote server, or the public API on request."""

from __future__ import annotations

from typing import Any

from mtfix.article import Match
from mtfix.errors import ConfigError

PUBLIC_API = "https://api.languagetool.org/"


class LanguageToolChecker:
    """Checks text with one LanguageTool client, kept for the whole run."""

    name = "languagetool"

    def __init__(self, server: str, language: str = "en-US") -> None:
        import language_tool_python as ltp

        url = server if server.endswith("/") else server + "/"
        try:
            self._tool = ltp.LanguageTool(language, remote_server=url)
        except Exception as exc:  # the client raises requests' errors as well as its own
            raise ConfigError(f"LanguageTool at {url} cannot be used: {_one_line(exc)}") from exc
        self.server = url

    def check(self, text: str) -> list[Match]:
        return [_to_match(m) for m in self._tool.check(text)]

    def close(self) -> None:
        self._tool.close()


def _to_match(match: Any) -> Match:
    return Match(
        offset=match.offset,
        length=match.error_length,
        rule_id=match.rule_id,
        category=match.category,
        message=match.message,
        replacements=tuple(match.replacements),
        issue_type=match.rule_issue_type,
        source="languagetool",
    )


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
