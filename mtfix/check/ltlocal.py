"""A local LanguageTool server: found on disk, started once per process, closed at exit.

The install is a ``LanguageTool-X.Y`` folder holding ``languagetool-server.jar``, as
language-tool-python unpacks it: in ``--lt-path``, ``$LTP_JAR_DIR_PATH`` or ``$LTP_PATH``
(default ``~/.cache/language_tool_python``). Every server started is kept in a
process-wide registry and reused by every pipeline of the process; all are closed by
``close_all``: at exit (atexit), on SIGTERM, and by the CLI after each command.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from mtfix.check.deadline import within
from mtfix.errors import ConfigError

JAR = "languagetool-server.jar"
SERVER_CLASS = "org.languagetool.server.HTTPServer"
DEFAULT_HOME = Path.home() / ".cache" / "language_tool_python"

_SERVERS: dict[Path, LocalServer] = {}
STARTS: list[Path] = []  # every server process started, in order (tests count them)
_LOCK = threading.Lock()


def install_home(lt_path: str | None) -> Path:
    """Where a LanguageTool install is looked for."""
    env = os.environ.get("LTP_JAR_DIR_PATH") or os.environ.get("LTP_PATH")
    return Path(lt_path or env or DEFAULT_HOME).expanduser()


def find_install(home: Path) -> Path | None:
    """``home`` if it holds the server jar, else its newest ``LanguageTool-*`` folder that does."""
    if (home / JAR).is_file():
        return home
    found = [d for d in home.glob("LanguageTool*") if (d / JAR).is_file()] if home.is_dir() else []
    return max(found, key=_version_key) if found else None


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.name))


def download(lt_path: str | None, timeout: float) -> Path:
    """Let language-tool-python download its LanguageTool release into ``install_home``."""
    from language_tool_python.download_lt import LTP_DOWNLOAD_VERSION, LocalLanguageTool

    if lt_path:  # language-tool-python downloads into $LTP_PATH
        os.environ["LTP_PATH"] = str(Path(lt_path).expanduser())
    tool = LocalLanguageTool.from_version_name(LTP_DOWNLOAD_VERSION)
    within(tool.download, timeout, f"download of LanguageTool {LTP_DOWNLOAD_VERSION}")
    return tool.get_directory_path()


def server_command(directory: Path, port: int) -> list[str]:
    """The command that serves LanguageTool from ``directory`` on ``port`` (localhost only)."""
    java = shutil.which("java")
    if not java:
        raise ConfigError("Java not found (LanguageTool needs Java 17 or newer)")
    return [java, "-cp", str(directory / JAR), SERVER_CLASS, "--port", str(port)]


@dataclass
class LocalServer:
    """One LanguageTool server process that we started."""

    directory: Path
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """Stop the process: terminate, then kill if it lingers."""
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def local_server(directory: Path, timeout: float) -> LocalServer:
    """The running server of ``directory``, started (within ``timeout``) if there is none."""
    with _LOCK:
        server = _SERVERS.get(directory)
        if server is not None and server.alive():
            return server
        server = _start(directory, timeout)
        _SERVERS[directory] = server
        return server


def _start(directory: Path, timeout: float) -> LocalServer:
    port = _free_port()
    command = server_command(directory, port)
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors
        )
        STARTS.append(directory)
        _on_sigterm()
        server = LocalServer(directory, port, process)
        try:
            _wait_ready(server, timeout, errors)
        except BaseException:  # not ready, or Ctrl-C while waiting: never leave it running
            server.close()
            raise
    return server


def _wait_ready(server: LocalServer, timeout: float, errors: IO[bytes]) -> None:
    import requests

    deadline = time.monotonic() + timeout
    what = f"local LanguageTool in {server.directory}"
    while time.monotonic() < deadline:
        code = server.process.poll()
        if code is not None:
            errors.seek(0)
            lines = errors.read().decode(errors="replace").strip().splitlines()
            raise ConfigError(f"{what} exited with code {code}: {lines[-1] if lines else ''}")
        try:
            wait = max(0.05, min(0.5, deadline - time.monotonic()))
            if requests.get(server.url + "v2/healthcheck", timeout=wait).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise ConfigError(f"{what} did not start within {timeout:g} s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def running() -> set[Path]:
    """The installs whose server this process runs now."""
    with _LOCK:
        return {d for d, server in _SERVERS.items() if server.alive()}


def close_all(directories: Iterable[Path] | None = None) -> None:
    """Stop every server this process started (or those of ``directories``)."""
    with _LOCK:
        chosen = (
            list(_SERVERS) if directories is None else [d for d in directories if d in _SERVERS]
        )
        servers = [_SERVERS.pop(d) for d in chosen]
    for server in servers:
        with contextlib.suppress(OSError):  # already gone
            server.close()


def _on_sigterm() -> None:
    """Close the servers on SIGTERM too (atexit alone does not run then)."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)


def _terminate(signum: int, frame: object) -> None:
    close_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


atexit.register(close_all)
