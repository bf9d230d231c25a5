"""Benchmark the suggestion detectors against a regex baseline on the advice corpus' test splits.

    python benchmarks/advice_detector.py [--data DIR] [--out FILE] [--cache DIR]

For ``needadvice_test.tsv`` and ``askparents_test.tsv`` (label: ``Majority_label``; sentences detokenized
to the plain text the guard sees, :func:`kickcoach.guard.corpus.detokenize`) it reports precision, recall,
F1 and mean milliseconds per sentence, all measured in the same run, of:

- the regex baseline (an imperative verb opening the sentence, "you should/could…", "I recommend/suggest…");
- the old detector: rules + hashed-word logistic regression (``advice_model.json``), normal and strict,
  which stays the guard's fallback when the sentence encoder is unavailable;
- ablations of the new stack at their own dev-chosen strict thresholds: the MiniLM head alone + rules, and
  the train-only word model + rules;
- the stacked detector (``advice_head.json``) through the run-time path (``use_encoder`` then
  ``is_suggestion``), normal and strict (the guard's setting). Its time includes the ONNX encoder, which
  runs only on sentences the rules leave open; "encoder on every sentence" times ``suggestion_score``.
  The table's times are one pass over the file; the lines below it give the best of three passes over
  its first 300 sentences (the machine may be shared), and the ratio new / old from those.

The ONNX export is made once under ``--cache`` (default ``benchmarks/out/cache``, gitignored) if missing.
Thresholds were chosen on the dev splits, never on these. Prints a markdown table; ``--out`` writes JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kickcoach.guard import advice_rules, suggestions
from kickcoach.guard.advice_head import RULE_CAP, RULE_FLOOR, StackedDetector, is_information, load_weights
from kickcoach.guard.baseline import regex_advice
from kickcoach.guard.corpus import default_data_dir, detokenize, load_split
from kickcoach.knowledge.sentence_encoder import load_encoder

TEST_FILES = ("needadvice", "askparents")
TIMED = 300


def measure(detector: Callable[[str], bool], sentences: list[str], labels: list[int]) -> dict[str, float]:
    """Precision, recall, F1 and mean ms per sentence of ``detector``."""
    started = time.perf_counter()
    predicted = [detector(s) for s in sentences]
    ms = (time.perf_counter() - started) * 1000 / len(sentences)
    tp = sum(bool(p and y) for p, y in zip(predicted, labels, strict=False))
    precision = tp / max(1, sum(predicted))
    recall = tp / max(1, sum(labels))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "ms_per_sentence": ms}


def _bounded(p: float, sentence: str) -> float:
    """The rule bounds of the stacked detector, around one part's probability (for the ablations)."""
    tokens = advice_rules.tokenize(sentence)
    hits = advice_rules.rule_hits(sentence, tokens)
    if hits & advice_rules.POSITIVE_RULES:
        return max(p, RULE_FLOOR)
    if hits & advice_rules.NEGATIVE_RULES or is_information(sentence, tokens, hits):
        return min(p, RULE_CAP)
    return p


def _at(table: dict[str, float], threshold: float) -> Callable[[str], bool]:
    return lambda sentence: table[sentence] >= threshold


def _guard(strict: bool) -> Callable[[str], bool]:
    return lambda sentence: suggestions.is_suggestion(sentence, strict=strict)


def best_of(runs: int, detector: Callable[[str], object], sentences: list[str]) -> float:
    """Fastest mean ms per sentence over ``runs`` passes (the machine is shared: the minimum is the signal)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for s in sentences:
            detector(s)
        times.append((time.perf_counter() - started) * 1000 / len(sentences))
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=default_data_dir(ROOT))
    parser.add_argument("--out", type=Path)
    parser.add_argument("--cache", type=Path, default=ROOT / "benchmarks" / "out" / "cache")
    args = parser.parse_args()

    advice_rules.load_model()  # read the weights before timing
    weights = load_weights()
    encoder = load_encoder(args.cache)
    ablations = json.loads((Path(suggestions.__file__).with_name("advice_head.json")).read_text())["training"][
        "ablations"]
    results: dict[str, dict[str, object]] = {}
    lines = ["| test file | method | precision | recall | F1 | ms / sentence |", "|---|---|---:|---:|---:|---:|"]
    for forum in TEST_FILES:
        raw, labels = load_split(args.data, forum, "test")
        sentences = [detokenize(s) for s in raw]
        methods: dict[str, dict[str, float]] = {}
        methods["baseline (regex)"] = measure(regex_advice, sentences, labels)
        suggestions.use_encoder(None)
        methods["old: rules + hashed words, normal"] = measure(suggestions.is_suggestion, sentences, labels)
        methods["old: rules + hashed words, strict (fallback guard)"] = measure(
            lambda s: suggestions.is_suggestion(s, strict=True), sentences, labels)

        # ablations, from one encoding of the test set
        started = time.perf_counter()
        vectors = encoder.encode(sentences)
        encode_ms = (time.perf_counter() - started) * 1000 / len(sentences)
        probe = StackedDetector(weights, encoder)
        minilm = {s: _bounded(probe.minilm_probability(v), s) for s, v in zip(sentences, vectors, strict=False)}
        words = {s: _bounded(weights.words.probability(s), s) for s in sentences}
        for name, table, label in (("minilm_alone", minilm, "MiniLM head + rules, strict"),
                                   ("words_train_only", words, "hashed words (train only) + rules, strict")):
            methods[f"ablation: {label}"] = measure(_at(table, ablations[name]["strict_threshold"]), sentences, labels)

        # the run-time path; a fresh detector per run so that no verdict is served from the cache
        for label, strict in (("new: stacked, normal", False), ("new: stacked, strict (the guard's setting)", True)):
            suggestions.use_encoder(args.cache)
            methods[label] = measure(_guard(strict), sentences, labels)
        suggestions.use_encoder(args.cache)
        every = measure(lambda s: suggestions.suggestion_score(s) >= weights.strict_threshold, sentences, labels)
        methods["new: stacked, strict, encoder on every sentence"] = every
        info = suggestions.detector_info()

        # speed, best of 3 passes over the first TIMED sentences; fresh detectors so that nothing is cached
        timed = sentences[:TIMED]
        speed: dict[str, float] = {}
        for label, cache, call in (
            ("old strict", None, lambda s: suggestions.is_suggestion(s, strict=True)),
            ("new strict", args.cache, lambda s: suggestions.is_suggestion(s, strict=True)),
            ("new, encoder on every sentence", args.cache, suggestions.suggestion_score),
        ):
            runs = []
            for _ in range(3):
                suggestions.use_encoder(cache)
                runs.append(best_of(1, call, timed))
            speed[label] = min(runs)
        suggestions.use_encoder(None)

        results[f"{forum}_test"] = {
            "sentences": len(sentences), "advice": int(sum(labels)), "methods": methods,
            "encoder_ms_per_sentence": encode_ms, "detector_info": info, "best_of_3_ms_per_sentence": speed,
            "time_ratio_new_strict_over_old_strict": speed["new strict"] / max(1e-9, speed["old strict"]),
        }
        for method, r in methods.items():
            lines.append(f"| {forum}_test ({len(sentences)}) | {method} | {r['precision']:.3f} | {r['recall']:.3f} | "
                         f"{r['f1']:.3f} | {r['ms_per_sentence']:.3f} |")
    print("\n".join(lines))
    for name, result in results.items():
        best: dict[str, float] = result["best_of_3_ms_per_sentence"]  # type: ignore[assignment]
        print(f"{name}, best of 3 over {TIMED} sentences: " + ", ".join(f"{k} {v:.3f} ms" for k, v in best.items())
              + f"; new strict takes {result['time_ratio_new_strict_over_old_strict']:.0f}x the old detector's time")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2, default=float) + "\n", encoding="utf-8")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
