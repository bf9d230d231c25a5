"""Browser-test fixtures: the app served on a free localhost port, and headless Debian Chromium via Playwright."""

from __future__ import annotations

import shutil

import pytest

from tests.support.ports import free_port
from tests.support.web import serve

__all__ = ["free_port", "serve"]

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def live_app(services):
    """Serve the real UI (fake model, hashing embeddings) on 127.0.0.1; yields its URL."""
    with serve(services) as ui:
        yield ui.url


@pytest.fixture
def page(tmp_path):
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("Debian chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context.new_page()
        context.close()
        browser.close()
