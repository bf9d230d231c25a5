"""The suggestion detector: coach-domain sentences, normalisation, thresholds, speed, and the weights file."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from kickcoach.guard import PERMISSION_OFFER, is_suggestion, suggestion_score
from kickcoach.guard.suggestions import MODEL_PATH, load_model, rule_hits, tokenize

SUGGESTIONS = [
    "Try writing down three things you want from the meeting.",
    "Write down your goals before Friday.",
    "Talk to your boss about the deadline.",
    "You should ask for the new date in writing.",
    "You could ask Tom to share the agenda in advance.",
    "You might want to block an hour for your weekly review.",
    "You need to set clearer boundaries with Priya.",
    "Consider asking your manager for a written plan.",
    "I'd recommend rehearsing the first two minutes out loud.",
    "I suggest you bring two concrete results to the meeting.",
    "How about scheduling a short check-in every Monday?",
    "Why not ask her what would make the sessions easier?",
    "One option is to agree on a fixed slot every other Tuesday.",
    "Have you thought about talking to HR?",
    "Have you considered asking for a mentor outside your team?",
    "Next time, pause before you answer.",
    "It might help to keep a list of your wins.",
    "Make sure you leave time for questions.",
    "- Prepare a one-line introduction.",
    "1. Block time in your calendar.",
    "If he moves the deadline again, ask him which task can slip.",
    "Don't apologise for asking.",
    "Reach out to two people before the event.",
    "Let him know how the cancellations affect your goals.",
    "A good first step would be to list what you've already tried.",
    "It's worth asking the client directly.",
    "Maybe start with a smaller goal.",
    "What if you asked Priya to move the meeting to mornings?",
    "Could you try sending the agenda a day earlier?",
]
NOT_SUGGESTIONS = [
    "What have you tried so far?",
    "How did that feel?",
    "It sounds like you're frustrated.",
    "Your contract says you meet weekly.",
    PERMISSION_OFFER,
    "Would you like some ideas for the next one?",
    "Hi Sam!",
    "Thanks for sharing that with me.",
    "That sounds really stressful.",
    "What would make next week feel like a success for you?",
    "What do you think you should do?",
    "Tell me more about what happened.",
    "Good luck on Friday!",
    "Take care, and talk soon.",
    "Many pairs meet every other week.",
    "You've clearly put a lot of work into this.",
    "That must have been hard to hear.",
    "Let's look at what happened step by step.",
    "Your weekly review is on Tuesday at 3pm.",
    "I hear how much this matters to you.",
    "Work has been hectic since the reorg.",
]


@pytest.mark.parametrize("sentence", SUGGESTIONS)
def test_suggestions_are_detected(sentence: str) -> None:
    assert is_suggestion(sentence), suggestion_score(sentence)


@pytest.mark.parametrize("sentence", NOT_SUGGESTIONS)
def test_non_suggestions_pass_even_the_strict_check(sentence: str) -> None:
    assert not is_suggestion(sentence, strict=True), (suggestion_score(sentence), sorted(rule_hits(sentence)))


def test_scores_are_probabilities_and_strict_flags_a_superset() -> None:
    model = load_model()
    assert 0 < model.strict_threshold < model.threshold < 1
    for sentence in SUGGESTIONS + NOT_SUGGESTIONS + ["", "...", "🙂"]:
        score = suggestion_score(sentence)
        assert 0.0 <= score <= 1.0
        assert not is_suggestion(sentence) or is_suggestion(sentence, strict=True)
    assert suggestion_score("") == 0.0


def test_runtime_text_is_normalised_like_the_spacy_tokenized_corpus() -> None:
    assert tokenize("Don’t   forget: I'd call him.") == tokenize("Do n't forget : I 'd call him .")
    assert tokenize("You can't") == ["you", "ca", "n't"]
    assert tokenize("Read https://example.com in 3.5 hours") == ["read", "<url>", "in", "<num>", "hours"]


def test_rules_name_what_they_see() -> None:
    assert "imperative" in rule_hits("Write down three goals.")
    assert "imperative" not in rule_hits("Work has been crazy.")
    assert "suggestive_question" in rule_hits("Have you tried asking her?")
    assert "exploring_question" in rule_hits("What have you tried so far?")
    assert "offer" in rule_hits(PERMISSION_OFFER)
    assert "reflection" in rule_hits("It sounds like the deadline has been weighing on you.")
    # A reflection that also advises is advice.
    assert is_suggestion("It sounds like you should talk to her first.")


def test_under_five_ms_per_sentence() -> None:
    sentences = (SUGGESTIONS + NOT_SUGGESTIONS) * 5
    load_model()
    started = time.perf_counter()
    for sentence in sentences:
        suggestion_score(sentence)
    assert (time.perf_counter() - started) * 1000 / len(sentences) < 5.0


def test_weights_file_is_small_plain_json() -> None:
    assert MODEL_PATH.stat().st_size < 2 * 1024 * 1024
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert {"bias", "threshold", "strict_threshold", "weights"} <= data.keys()
    assert all(isinstance(w, float) for w in list(data["weights"].values())[:100])


def test_importing_the_guard_pulls_in_nothing_heavy() -> None:
    code = (
        "import sys, kickcoach.guard as g; g.is_suggestion('Try this.'); "
        "heavy = {'torch', 'sklearn', 'sentence_transformers', 'transformers'} & set(sys.modules); "
        "assert not heavy, heavy"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
