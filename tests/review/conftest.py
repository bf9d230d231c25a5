"""Fixtures for the weekly review: the demo contract saved, and flows over it (with and without the model)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The tests run with --import-mode=importlib, which puts no test folder on sys.path; the review tests share
# plain constants and answers (review_helpers.py), so this folder is added for them.
sys.path.insert(0, str(Path(__file__).parent))

from kickcoach.contracts.files import demo_contract
from kickcoach.contracts.service import save_contract
from kickcoach.flows.review.flow import ReviewFlow


@pytest.fixture
def demo(services):
    save_contract(services, demo_contract())
    return services


@pytest.fixture
def flow(demo):
    return ReviewFlow(demo)


@pytest.fixture
def quiet_flow(demo):
    """A flow that never calls the model (template lines only)."""
    return ReviewFlow(demo, use_model=False)
