"""LanguageTool through language-tool-python's client: a server (remote or our local one),
or the public API on explicit request. One client is kept for the whole run.
"""

from __future__ import annotations

from typing import Any

from mtfix.article import Match
from mtfix.check import CheckerFailed, one_line, within_limits
from mtfix.check.deadline import within

LANGUAGE = "en-US"
CHECK_TIMEOUT = 20.0  # seconds per check request once connected (the client's own is 300)
PUBLIC = "the public LanguageTool API (languagetool.org)"


def server_url(url: str) -> str:
    """``url`` with a scheme and the trailing slash the client needs (it joins ``v2/``)."""
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    return url if url.endswith("/") else url + "/"


def connect(url: str | None, timeout: float, label: str) -> LanguageToolChecker:
    """A checker on the server at ``url`` (None: the public API), reached within ``timeout``.

    The client asks the server for its languages on construction; a refused connection,
    an error answer or no answer in time raises ConfigError naming ``label``.
    """
    import language_tool_python as ltp

    def make() -> Any:
        if url is None:
            return ltp.LanguageToolPublicAPI(LANGUAGE)
        return ltp.LanguageTool(LANGUAGE, remote_server=url)

    client = within(make, timeout, label, describe)
    client._TIMEOUT = CHECK_TIMEOUT
    return LanguageToolChecker(client, label)


class LanguageToolChecker:
    """Checks text with one language-tool-python client; failures raise CheckerFailed."""

    name = "languagetool"

    def __init__(self, client: Any, label: str) -> None:
        self._client = client
        self.label = label

    def check(self, text: str) -> list[Match]:
        """LanguageTool's matches, as ours; any client or server failure is CheckerFailed."""
        try:
            return within_limits(self._matches, text)
        except Exception as exc:  # the client raises its own, requests' and KeyError
            raise CheckerFailed(f"{self.label}: {describe(exc)}") from exc

    def _matches(self, text: str) -> list[Match]:
        return [to_match(m) for m in self._client.check(text)]

    def close(self) -> None:
        """Close the client (a server we started is closed by ``ltlocal`` at exit)."""
        self._client.close()


def to_match(match: Any) -> Match:
    """A language-tool-python match as ours (category: LanguageTool's category id)."""
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


def describe(exc: BaseException) -> str:
    """A short reason for a client failure: "cannot connect", "timed out", or the message."""
    import requests

    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, requests.ConnectionError):
            return "cannot connect"
        if isinstance(cause, requests.Timeout):
            return "timed out"
        cause = cause.__cause__ or cause.__context__
    return one_line(exc) if str(exc).strip() else "an empty answer, not LanguageTool's JSON"
