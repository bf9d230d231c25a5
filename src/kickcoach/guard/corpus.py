"""The advice corpus (Govindarajan et al., EMNLP 2020, MIT licence) as the trainer and the benchmark read it.

Not used at run time. The corpus is spaCy-tokenized ("do n't", "it ’s", "word ."); :func:`detokenize`
turns a sentence back into the plain text the guard sees in a model reply, so the sentence encoder is
trained and measured on the same kind of text it judges in the chat.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

FORUMS = ("needadvice", "askparents")

_CONTRACTION = re.compile(r"(\w) (n[’']t|[’'](?:s|re|ve|d|ll|m))\b", re.IGNORECASE)
_SPACE_BEFORE = re.compile(r"\s+([.,!?;:%)\]}])")
_SPACE_AFTER = re.compile(r"([(\[{$#]) +")
_GONNA = re.compile(r"\b(gon|wan|got) (na|ta)\b", re.IGNORECASE)


def default_data_dir(root: Path) -> Path:
    """``../shared/datasets/advice-emnlp2020`` beside the repository ``root``, else the shared copy."""
    beside = root.parent / "shared" / "datasets" / "advice-emnlp2020"
    return beside if beside.is_dir() else Path("/work/shared/datasets/advice-emnlp2020")


def detokenize(sentence: str) -> str:
    """Undo the corpus' spaCy tokenization: "I do n’t know , really ." → "I don’t know, really."."""
    text = " ".join(sentence.split())
    text = _CONTRACTION.sub(r"\1\2", text)
    text = _GONNA.sub(r"\1\2", text)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    return text.strip()


def load_split(data: Path, forum: str, split: str) -> tuple[list[str], list[int]]:
    """Sentences (as in the file) and ``Majority_label`` (1 = advice) of ``{forum}_{split}.tsv``."""
    with (data / f"{forum}_{split}.tsv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [r["Sentence"] for r in rows], [int(r["Majority_label"]) for r in rows]
