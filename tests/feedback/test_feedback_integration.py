"""Feedback with the bundled SmolLM2 model: whatever it answers, the user gets verified feedback."""

from __future__ import annotations

import pytest

from kickcoach.core.config import Settings
from kickcoach.evals.feedback import kept_keywords
from kickcoach.flows.feedback import detect, rephrase

pytestmark = pytest.mark.integration

CASES = [
    ("You're so lazy, you never answer my emails.", ["answer", "emails"]),
    ("You always interrupt me in meetings. It's so rude.", ["interrupt", "meetings"]),
    (
        "You never update the Jira tickets, so I have to chase you every single morning for status.",
        ["update", "Jira", "tickets"],
    ),
]


def test_real_model_rewrites_are_verified(tmp_path):
    from kickcoach.llm import build_chat_model

    model = build_chat_model(Settings(backend="embedded", home=tmp_path, _env_file=None))
    for criticism, keywords in CASES:
        result = rephrase(model, criticism)
        assert result.model and result.model.startswith("SmolLM2")
        assert result.error is None
        assert result.verified, (criticism, result.rewrite, result.problems)
        assert detect(result.rewrite) == []
        assert kept_keywords(keywords, result.rewrite) == []
