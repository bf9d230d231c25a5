"""How much a request shares the words of each guidance file: the lexical half of the idea ranking.

MiniLM reads meaning but misses the plain keyword a request hangs on ("cold calls", "committee", "pull-request
comments"); a TF-IDF match of the request's stemmed content words against each guidance file's whole text catches
those (scikit-learn's ``TfidfVectorizer``, sublinear counts, our stop words and Snowball stems). The idea ranking
adds this score, weighted, to the sentence-encoder scores (a standard dense + sparse hybrid).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from kickcoach.text.words import content_tokens, stem


def _terms(text: str) -> list[str]:
    return [stem(w) for w in content_tokens(text)]


class FileWords:
    """TF-IDF vectors of ``texts`` (one per file, in ``files`` order); ``match`` scores a text against each."""

    def __init__(self, files: Sequence[str], texts: Mapping[str, str]) -> None:
        self.vectorizer = TfidfVectorizer(analyzer=_terms, sublinear_tf=True)
        self.matrix = self.vectorizer.fit_transform([texts.get(f, "") for f in files])

    def match(self, text: str) -> np.ndarray:
        """Cosine of ``text``'s TF-IDF vector with each file's, one per file (0 when no word is shared)."""
        if not text.strip():
            return np.zeros(self.matrix.shape[0], dtype=np.float32)
        query = self.vectorizer.transform([text])
        return np.asarray((self.matrix @ query.T).toarray(), dtype=np.float32).ravel()
