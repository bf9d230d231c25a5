"""MiniLMEmbeddings' ONNX road, without the model: which encoder is used, and the small query memo."""

from __future__ import annotations

import numpy as np

from kickcoach.knowledge import embeddings as emb
from kickcoach.knowledge.embeddings import MiniLMEmbeddings


class CountingEncoder:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, sentences: list[str]) -> np.ndarray:
        self.calls.append(list(sentences))
        return np.asarray([[float(len(s)), 1.0] for s in sentences], dtype=np.float32)

    def encode_batch(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return self.encode(texts)


def _with_encoder(tmp_path) -> tuple[MiniLMEmbeddings, CountingEncoder]:
    embeddings, encoder = MiniLMEmbeddings(tmp_path), CountingEncoder()
    embeddings._onnx = encoder
    return embeddings, encoder


def test_queries_and_documents_go_through_the_onnx_encoder_when_it_exists(tmp_path):
    embeddings, encoder = _with_encoder(tmp_path)
    assert embeddings.embed_query("hello") == [5.0, 1.0]
    assert embeddings.embed_documents(["a", "bb"]) == [[1.0, 1.0], [2.0, 1.0]]
    assert encoder.calls == [["hello"], ["a", "bb"]]


def test_without_an_export_there_is_no_onnx_encoder(tmp_path):
    assert MiniLMEmbeddings(tmp_path).onnx_encoder() is None  # nothing exported there
    assert MiniLMEmbeddings(None).onnx_encoder() is None and MiniLMEmbeddings(None).query_encoder_path() is None


def test_a_repeated_query_is_embedded_once_and_the_memo_keeps_the_last_few(tmp_path):
    embeddings, encoder = _with_encoder(tmp_path)
    first = embeddings.embed_query("same text")
    first.append(99.0)  # callers get a copy: the memo cannot be changed from outside
    assert embeddings.embed_query("same text") == [9.0, 1.0] and len(encoder.calls) == 1
    for i in range(emb._RECENT_QUERIES - 1):  # fills the memo exactly: "same text" is still in it
        embeddings.embed_query(f"other {i}")
    embeddings.embed_query("same text")
    assert len(encoder.calls) == emb._RECENT_QUERIES
    embeddings.embed_query("one more")  # now the oldest entry goes
    embeddings.embed_query("other 0")
    assert len(encoder.calls) == emb._RECENT_QUERIES + 2
