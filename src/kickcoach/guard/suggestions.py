"""Is a sentence a suggestion? Hand-written rules around a small learned classifier.

A suggestion advises or directs the user: imperatives ("Try…", "Write down…", "Talk to your boss"),
"you should / could / might want to / need to", "consider…", "I'd recommend…", "how about…",
"why not…", "one option is…", "have you thought about…?", "next time…", "it might help to…",
"make sure…", and list items that are actions. Not suggestions: questions that only explore ("What
have you tried so far?"), reflections ("It sounds like you're frustrated."), information ("Your
contract says you meet weekly."), the permission offer itself, greetings and sign-offs.

How the score is made (:func:`suggestion_score`, 0..1):

1. The sentence is normalised like the training data (spaCy-style tokens: "don't" → "do n't").
2. Rules name what they see (:func:`rule_hits`): positive cues (``directive``, ``imperative``,
   ``suggestive_question``) and negative ones (``offer``, ``social``, ``reflection``,
   ``exploring_question``, ``exploring_prompt``).
3. A logistic regression over word unigrams/bigrams, the head word and the rule names gives ``p``;
   its weights come from ``advice_model.json``, trained on the Reddit advice corpus by
   ``scripts/train_advice_classifier.py`` (no pickle, no heavy imports: pure Python at run time).
4. The rules then bound ``p``: a positive cue lifts it to at least ``RULE_FLOOR``; a negative cue with no
   positive one caps it at ``RULE_CAP``. So the guard never holds back a reflection, an exploring
   question or its own offer, and always catches the plain forms of advice, whatever the corpus taught.

:func:`is_suggestion` compares the score with the threshold tuned on the corpus' dev split (best F1).
``strict=True`` uses a lower threshold (the lowest at which at least half of what it flags on dev is
advice) and so also flags borderline sentences; the evals use it to audit replies, so that the guard is
not graded by its own threshold.

Two detectors, one active per process (:func:`detector_info` says which):

- ``hashed``: the model above, alone. The default, and the fallback whenever the sentence encoder is
  unavailable (unit tests with hashing embeddings, the model package or its ONNX export missing).
- ``stacked``: :mod:`kickcoach.guard.advice_head` adds all-MiniLM-L6-v2 sentence vectors (run through
  onnxruntime, no torch) to the same features and rules, with its own thresholds (strict: tuned for
  recall >= 97% on needadvice dev). :func:`use_encoder` turns it on; the app does so when it builds the
  index with ``KICKCOACH_EMBEDDINGS=minilm`` (``bootstrap.warm``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kickcoach.guard.advice_rules import load_model

if TYPE_CHECKING:
    from kickcoach.guard.advice_head import StackedDetector

_stacked: StackedDetector | None = None
_fallback_reason = "use_encoder() was not called (unit tests, one-shot commands that build no index)"


def use_encoder(cache_dir: Path | None, *, build: bool = True) -> dict[str, object]:
    """Switch this process to the stacked detector, its ONNX encoder under ``cache_dir`` (exported there
    first when missing and ``build``: needs torch once). ``None``, or any failure, selects the hashed model
    alone; the reason is kept for :func:`detector_info`, which is returned."""
    global _stacked, _fallback_reason
    if cache_dir is None:
        _stacked, _fallback_reason = None, "use_encoder(None): the hashed model was chosen"
        return detector_info()
    from kickcoach.guard.advice_head import StackedDetector, load_weights
    from kickcoach.knowledge.sentence_encoder import load_encoder

    try:
        _stacked = StackedDetector(load_weights(), load_encoder(cache_dir, build=build))
    # Any failure means the fallback: onnxruntime raises bare Exceptions for a bad file.
    except Exception as exc:  # noqa: BLE001
        _stacked, _fallback_reason = None, f"sentence encoder unavailable: {type(exc).__name__}: {exc}"
    return detector_info()


def detector_info() -> dict[str, object]:
    """Which detector judges sentences in this process, its thresholds, and why."""
    if _stacked is not None:
        return {"detector": "stacked", "parts": "rules + hashed words + all-MiniLM-L6-v2 (onnxruntime)",
                "threshold": _stacked.threshold, "strict_threshold": _stacked.strict_threshold,
                "reason": "encoder loaded"}
    model = load_model()
    return {"detector": "hashed", "parts": "rules + hashed words", "threshold": model.threshold,
            "strict_threshold": model.strict_threshold, "reason": _fallback_reason}


def suggestion_score(sentence: str) -> float:
    """How strongly ``sentence`` advises or directs the user, 0..1 (by the active detector)."""
    stacked = _stacked
    return stacked.score(sentence) if stacked is not None else load_model().score(sentence)


def is_suggestion(sentence: str, strict: bool = False) -> bool:
    """True when ``sentence`` is a suggestion; ``strict`` uses the lower, recall-favouring threshold."""
    stacked = _stacked
    if stacked is not None:
        return stacked.flags(sentence, stacked.strict_threshold if strict else stacked.threshold)
    model = load_model()
    return model.score(sentence) >= (model.strict_threshold if strict else model.threshold)
