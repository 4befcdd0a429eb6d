"""Which grammar checker runs: the first LanguageTool that works, else the offline one.

LanguageTool backends, in order: the configured server (``--lt-server`` or
``$MTFIX_LT_SERVER``), a local install (started once per process; downloaded only with
``--lt-download``), the public API (only with ``--lt-public``). Each is given a bounded
time; ``auto`` then falls back to Harper, ``languagetool`` fails with every reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace

from mtfix.check import CHECKERS, LT_SERVER_ENV, Checker, LTOptions, NullChecker
from mtfix.errors import ConfigError

REMOTE_TIMEOUT = {"auto": 1.5, "languagetool": 10.0}  # seconds to reach a server
LOCAL_START_TIMEOUT = 30.0  # seconds for a local server to start answering
DOWNLOAD_TIMEOUT = 600.0  # seconds for language-tool-python's download (--lt-download)

Attempt = Callable[[LTOptions, str], Checker]


def select(name: str, lt: LTOptions) -> tuple[Checker, str]:
    """The checker called ``name`` and a one-line notice (see the module docstring)."""
    if name not in CHECKERS:
        raise ConfigError(f"unknown checker {name!r}; choose one of {', '.join(CHECKERS)}")
    if name == "none":
        return NullChecker(), "grammar checker: none"
    if name == "offline":
        return _offline(), "grammar checker: offline (Harper)"
    lt = replace(lt, server=lt.server or os.environ.get(LT_SERVER_ENV))
    skipped: list[str] = []
    attempts: tuple[Attempt, ...] = (_remote, _local, _public)
    for attempt in attempts:
        try:
            checker = attempt(lt, name)
        except ConfigError as exc:
            skipped.append(str(exc))
            continue
        from mtfix.check.fallback import FallbackChecker

        label = getattr(checker, "label", checker.name)
        notice = f"grammar checker: LanguageTool ({label})"
        notice += f"; skipped: {'; '.join(skipped)}" if skipped else ""
        return FallbackChecker(checker, _offline), notice
    reasons = "; ".join(skipped)
    if name == "languagetool":
        raise ConfigError(f"--checker languagetool: no LanguageTool available: {reasons}")
    return _offline(), f"grammar checker: offline (Harper); LanguageTool skipped: {reasons}"


def _offline() -> Checker:
    from mtfix.check.offline import HarperChecker

    return HarperChecker()


def _remote(lt: LTOptions, name: str) -> Checker:
    if not lt.server:
        raise ConfigError(f"no server configured (--lt-server URL or ${LT_SERVER_ENV})")
    from mtfix.check.languagetool import connect, server_url

    url = server_url(lt.server)
    return connect(url, _timeout(lt, name), f"server {url}")


def _public(lt: LTOptions, name: str) -> Checker:
    if not lt.public:
        raise ConfigError("public API not asked for (--lt-public)")
    from mtfix.check.languagetool import PUBLIC, connect

    return connect(None, _timeout(lt, name), PUBLIC)


def _local(lt: LTOptions, name: str) -> Checker:
    from mtfix.check import ltlocal

    home = ltlocal.install_home(lt.path)
    directory = ltlocal.find_install(home)
    if directory is None and not lt.download:
        raise ConfigError(f"no local LanguageTool in {home} (--lt-path DIR, or --lt-download)")
    if directory is None:
        directory = ltlocal.download(lt.path, DOWNLOAD_TIMEOUT)
    server = ltlocal.local_server(directory, lt.timeout or LOCAL_START_TIMEOUT)
    from mtfix.check.languagetool import connect

    label = f"local server from {directory} on port {server.port}"
    return connect(server.url, _timeout(lt, name), label)


def _timeout(lt: LTOptions, name: str) -> float:
    return lt.timeout or REMOTE_TIMEOUT[name]
