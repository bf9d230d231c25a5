"""The scripted pair (evals/history/scripted_pair.yaml) stored through the real flows, read on its fixed day."""

from __future__ import annotations

import datetime as dt

import pytest

from kickcoach.core.config import Settings
from kickcoach.evals.history_pair import build, script
from kickcoach.services import Services

TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def scripted(settings: Settings, fake_model, fast_hashes):
    """Services whose day is the script's, with the scripted pair stored; returns (services, script data)."""
    from kickcoach.knowledge.embeddings import HashingEmbeddings

    services = Services(settings.model_copy(update={"today": TODAY}), model=fake_model, embeddings=HashingEmbeddings())
    data = script()
    build(services, data)
    return services, data
