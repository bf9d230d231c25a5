"""The app's MiniLM embeddings run through onnxruntime (no torch on the chat path) and agree with
sentence-transformers, which built existing indexes, to cosine >= 0.9999."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from kickcoach.knowledge.embeddings import MiniLMEmbeddings
from kickcoach.knowledge.ingest import guidance_chunks

pytestmark = pytest.mark.integration
MIN_COSINE = 0.9999
TEXTS = ["Hi", "How often should peer mentors meet?", "Tom cancelled our meeting for the third time.",
         "word " * 400]  # the last is truncated at the model's 256 tokens


def _cosines(a: list[list[float]], b: list[list[float]]) -> np.ndarray:
    x, y = np.asarray(a), np.asarray(b)
    return np.sum(x * y, axis=1) / (np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1))


def test_app_embeddings_run_on_the_onnx_export(real_services):
    embeddings = real_services.embeddings
    assert embeddings.query_encoder_path().is_file()
    assert embeddings.onnx_encoder() is not None


def test_onnx_vectors_agree_with_sentence_transformers(real_services):
    onnx, reference = real_services.embeddings, MiniLMEmbeddings()  # no cache folder: sentence-transformers
    documents = [f"{c.heading}\n{c.text}" for c in guidance_chunks()]  # what the index holds
    assert _cosines(onnx.embed_documents(documents), reference.embed_documents(documents)).min() >= MIN_COSINE
    queries = [onnx.embed_query(t) for t in TEXTS]
    assert _cosines(queries, reference.embed_documents(TEXTS)).min() >= MIN_COSINE


def test_batched_and_single_onnx_vectors_agree(real_services):
    encoder = real_services.embeddings.onnx_encoder()
    texts = [*TEXTS, "A much longer sentence about deadlines, targets and what the contract says we agreed."]
    batched, single = encoder.encode_batch(texts, batch_size=3), encoder.encode(texts)
    assert batched.shape == single.shape == (len(texts), 384)
    assert float(np.abs(batched - single).max()) < 1e-4


def test_the_query_path_shares_one_encoder_with_the_guard(real_services):
    from kickcoach.guard import suggestions
    from kickcoach.knowledge.sentence_encoder import load_encoder

    encoder = real_services.embeddings.onnx_encoder()
    assert load_encoder(real_services.settings.cache_dir, build=False) is encoder
    if suggestions._stacked is not None:
        assert suggestions._stacked.encoder is encoder


CHAT_PATH_PROBE = """
import json, sys
sys.argv = ["kickcoach", "chat", "-m", "How often should peer mentors meet?", "--json"]
from kickcoach.cli.main import main
try:
    main()
except SystemExit:
    pass
heavy = ("torch", "sentence_transformers", "transformers", "gradio")
print(json.dumps(sorted(m for m in heavy if m in sys.modules)), file=sys.stderr)
"""


# scikit-learn is on the chat path since release 3: the word n-gram head and the ideas' TF-IDF match transform each
# message with its TfidfVectorizer (about 0.4-1 s to import on a one-shot CLI chat; a served app imports it once).
def test_a_one_shot_chat_imports_no_torch_and_no_gradio(real_services):
    env = {**os.environ, "KICKCOACH_HOME": str(real_services.settings.home), "HF_HUB_OFFLINE": "1",
           "KICKCOACH_BACKEND": "embedded", "KICKCOACH_EMBEDDINGS": "minilm"}
    proc = subprocess.run([sys.executable, "-c", CHAT_PATH_PROBE], capture_output=True, text=True, env=env, timeout=120)
    assert json.loads(proc.stdout)["reply"], proc.stderr
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == []
