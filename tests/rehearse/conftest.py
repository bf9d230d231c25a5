"""Rehearsal fixtures: the flow on the fake model, with the demo pair present (records need an existing pair)."""

from __future__ import annotations

import pytest

from kickcoach.flows.rehearsal import RehearsalFlow

PAIR = "demo"


@pytest.fixture
def flow(services) -> RehearsalFlow:
    services.storage.ensure_pair(PAIR, "Demo pair")
    return RehearsalFlow(services)
