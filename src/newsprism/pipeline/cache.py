"""The annotation cache: annotated articles keyed by their content, in memory and in
the cache folder (:func:`newsprism.cache.default_cache_dir`). A damaged or unwritable cache
only costs recomputation."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import threading
from pathlib import Path

from newsprism import serialize
from newsprism.cache import code_fingerprint
from newsprism.entities import describe_backend
from newsprism.model import Article

_VERSION = "1"


class AnnotationCache:
    """Annotated articles keyed by what annotation depends on (text, title,
    language, publication date, and the pipeline's settings)."""

    def __init__(self, cache_dir: Path | None, settings: str) -> None:
        self._dir = cache_dir / "annotations" if cache_dir else None
        self._settings = settings
        self._memory: dict[str, Article] = {}
        self._lock = threading.Lock()

    def key(self, article: Article) -> str:
        published = article.published.isoformat() if article.published else ""
        backend = describe_backend(article.language)  # a newly installed model changes results
        parts = [_VERSION, code_fingerprint(), self._settings, backend, article.text,
                 article.title, article.language or "", published]  # fmt: skip
        return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()

    def get(self, article: Article) -> Article | None:
        """The cached annotation of ``article`` (with its own id, path and metadata)."""
        key = self.key(article)
        with self._lock:
            found = self._memory.get(key)
        if found is None and self._dir is not None:
            try:
                data = json.loads((self._dir / f"{key}.json").read_text(encoding="utf-8"))
                found = serialize.article_from_dict(data)
            except (OSError, ValueError, KeyError, TypeError):
                return None
            with self._lock:
                self._memory[key] = found
        if found is None:
            return None
        return dataclasses.replace(
            article,
            sentences=found.sentences,
            mentions=found.mentions,
            quantities=found.quantities,
            quotes=found.quotes,
            dates=found.dates,
        )

    def put(self, original: Article, annotated: Article) -> None:
        key = self.key(original)
        with self._lock:
            self._memory[key] = annotated
        if self._dir is None:
            return
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            tmp = self._dir / f".{key}.{os.getpid()}.tmp"
            tmp.write_text(json.dumps(serialize.article_to_dict(annotated)), encoding="utf-8")
            tmp.replace(self._dir / f"{key}.json")
        except OSError:
            return
