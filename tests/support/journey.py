"""Helpers for the journey tests in a real browser: log in, open a tab (also from a 390-px phone's overflow
menu), wait for text, take desktop and phone screenshots into ``artifacts/screenshots/`` (CI keeps that
folder), and check a page for raw developer text (validation-library wording, tracebacks).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# What a person must never read: a validation library's wording, a traceback, Gradio's bare error badge.
RAW = re.compile(r"validation error|pydantic|\[type=|String should|Input should|Field required|Traceback|"
                 r"Invalid isoformat|errors\.pydantic\.dev")
TIMEOUT_MS = 30000


def login(page: Any, url: str, name: str, password: str | None = None) -> None:
    page.context.clear_cookies()
    page.goto(url)
    page.locator("input[type=text], input[name=username]").first.fill(name)
    page.locator("input[type=password]").first.fill(password or f"{name}-password-1")
    page.locator("#login-submit").click()
    wait_text(page, "kick-who", "Logged in as")


def wait_text(page: Any, elem_id: str, text: str, timeout: int = TIMEOUT_MS) -> str:
    page.wait_for_function("([id, t]) => (document.querySelector('#' + id)?.innerText || '').includes(t)",
                           arg=[elem_id, text], timeout=timeout)
    return str(page.locator(f"#{elem_id}").inner_text())


def tab_names(page: Any) -> list[str]:
    """The tabs a person can reach: the tab bar's buttons and those in its overflow menu (narrow screens)."""
    page.wait_for_timeout(300)
    names = page.evaluate("""() => {
        const bar = [...document.querySelectorAll('[role=tab]')].filter(b => b.offsetParent !== null);
        const more = [...document.querySelectorAll('.overflow-dropdown button')].filter(b => b.style.display !== 'none');
        return [...bar, ...more].map(b => b.innerText.trim()).filter(n => n);
    }""")
    return list(dict.fromkeys(names))


def open_tab(page: Any, name: str) -> None:
    """Click a tab as a person would: in the tab bar, or on a narrow screen from the overflow menu."""
    page.wait_for_timeout(300)  # after a viewport change the bar re-measures which tabs fit
    # after a reload the tab bar is drawn a moment later: wait until some tab is on screen before choosing
    page.wait_for_function("() => [...document.querySelectorAll('[role=tab]')].some(b => b.offsetParent !== null)",
                           timeout=30000)
    tab = page.get_by_role("tab", name=name, exact=True)
    if tab.count() and tab.first.is_visible():
        tab.first.click()
    else:
        page.locator(".overflow-menu > button").first.click()
        page.locator(".overflow-dropdown button", has_text=name).first.click()
    page.wait_for_function("n => [...document.querySelectorAll('[role=tab][aria-selected=true]')]"
                           ".some(b => b.innerText.trim() === n)", arg=name, timeout=10000)


def fill(page: Any, elem_id: str, text: str) -> None:
    page.locator(f"#{elem_id} textarea, #{elem_id} input").first.fill(text)


def value(page: Any, elem_id: str) -> str:
    return str(page.locator(f"#{elem_id} textarea, #{elem_id} input").first.input_value())


def raw_messages(page: Any) -> list[str]:
    """Raw developer text on the page (should be none)."""
    return RAW.findall(page.locator("body").inner_text())


def shots(page: Any, name: str) -> list[Path]:
    """A desktop and a 390-px phone screenshot of the whole page, as ``<name>-desktop.png``/``-phone.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    taken = []
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.wait_for_timeout(300)
        path = SCREENSHOTS / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
    page.set_viewport_size(DESKTOP)
    return taken


def tracebacks(log: str) -> int:
    return log.count("Traceback (most recent call last)")
