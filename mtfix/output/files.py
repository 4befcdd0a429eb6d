"""Writing output files safely: atomically, keeping the target's mode."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from mtfix.errors import ConfigError


def _new_file_mode() -> int:
    """The mode ``open(path, "w")`` would give a new file: 0o666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so no half file is left.

    The file keeps the mode it had (a new one gets the umask's), not the temporary file's
    0600; a path that cannot be written is a ``ConfigError``, and the temporary file goes.
    """
    target = Path(path)
    if target.is_dir():
        raise ConfigError(f"{path}: is a directory; give a file name to write to")
    tmp_name = None
    try:
        mode = target.stat().st_mode & 0o7777 if target.exists() else _new_file_mode()
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, delete=False, suffix=".tmp"
        ) as tmp:
            tmp_name = tmp.name
            tmp.write(text)
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except OSError as exc:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        raise ConfigError(f"{path}: cannot write: {exc.strerror or exc}") from None
