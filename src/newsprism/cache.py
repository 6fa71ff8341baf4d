"""Where caches live, and the fingerprint of the code that filled them.

The folder is ``$NEWSPRISM_CACHE``, else ``$XDG_CACHE_HOME/newsprism``, else
``~/.cache/newsprism``; ``NEWSPRISM_CACHE=off`` keeps caches in memory only.
A damaged or unwritable cache only costs recomputation.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

_VERSION = "1"


@functools.cache
def code_fingerprint() -> str:
    """A hash of the package's own source, so that annotations cached by
    another version of the code are never reused."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def default_cache_dir() -> Path | None:
    env = os.environ.get("NEWSPRISM_CACHE")
    if env and env.lower() in ("off", "0", "none", "false"):
        return None
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsprism"
