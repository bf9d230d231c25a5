"""Real browser: a facilitator imports, matches, publishes and reads the dashboard; participants log in and
accept, read and sign the agreement and check in as themselves (no email box: the login decides)."""

import pytest

from tests.support.web import serve

pytestmark = pytest.mark.browser

COHORT = """name,email,team,manager,offers,needs
Ada Lovelace,ada@example.org,Data,,SQL queries; Python scripts,public speaking practice
Ben Okafor,ben@example.org,Sales,,public speaking practice; negotiation,SQL queries
Chloe Diaz,chloe@example.org,Design,,Figma design,negotiation help
Dev Patel,dev@example.org,Sales,ben@example.org,negotiation help; Excel models,Figma design
"""


@pytest.fixture
def served(services, fast_hashes):
    from kickcoach.bootstrap import prepare
    from kickcoach.people.accounts import Accounts

    prepare(services)
    accounts = Accounts(services.storage)
    for name in ("ada", "ben", "chloe", "dev"):  # programme participants waiting for their pairing
        accounts.add(name, f"{name}-password-1", email=f"{name}@example.org")
    accounts.add("fay", "fay-password-1", role="facilitator")
    with serve(services, prepare=False) as ui:
        yield ui.url


def _login(page, url, name):
    page.context.clear_cookies()
    page.goto(url)
    page.locator("input[type=text], input[name=username]").first.fill(name)
    page.locator("input[type=password]").first.fill(f"{name}-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_function("() => (document.querySelector('#kick-who') || {innerText: ''}).innerText.includes('Logged in as')",
                           timeout=30000)


def _fill(page, elem_id, text):
    page.locator(f"#{elem_id} textarea, #{elem_id} input").first.fill(text)


def _wait_text(page, elem_id, text, timeout=30000):
    page.wait_for_function("([id, t]) => (document.querySelector('#' + id)?.innerText || '').includes(t)",
                           arg=[elem_id, text], timeout=timeout)


def _as_participant(page, url, name, *buttons):
    _login(page, url, name)
    page.get_by_role("tab", name="My programme").click()
    assert page.locator("#my-email").count() == 0  # no email box: the login is who you are
    page.locator("#my-show").click()
    _wait_text(page, "my-agreement", "The agreement you sign: version 1")
    for button, expected in buttons:
        page.locator(f"#{button}").click()
        _wait_text(page, "my-status", expected)


def test_facilitator_and_participants_walk_through_a_programme(served, page, tmp_path):
    csv = tmp_path / "cohort.csv"
    csv.write_text(COHORT)
    _login(page, served, "fay")
    page.get_by_role("tab", name="Programme", exact=True).click()
    _fill(page, "programme-name", "Spring 2027")
    page.locator("#programme-create").click()
    _wait_text(page, "programme-status", "Created")
    page.locator("#programme-csv input[type=file]").set_input_files(str(csv))
    page.wait_for_timeout(1000)
    page.locator("#programme-import").click()
    _wait_text(page, "programme-status", "Imported 4 participants")
    page.locator("#programme-match").click()
    _wait_text(page, "programme-status", "2 pairs proposed")
    assert "ben@example.org" in page.locator("#programme-pairs").inner_text()
    page.locator("#programme-publish").click()
    _wait_text(page, "programme-status", "Published 2 pairs")
    page.screenshot(path=str(tmp_path / "programme-facilitator.png"), full_page=True)

    _login(page, served, "ada")
    page.get_by_role("tab", name="My programme").click()
    page.locator("#my-show").click()
    _wait_text(page, "my-pair", "Your partner:")
    partner = "ben" if "ben@example.org" in page.locator("#my-pair").inner_text() else "chloe"
    seen = page.locator("body").inner_text()
    names = {"ben": "Ben Okafor", "chloe": "Chloe Diaz", "dev": "Dev Patel"}
    for other in set(names) - {partner}:  # only her own pairing: the other pair is nowhere on her page
        assert f"{other}@example.org" not in seen and names[other] not in seen
    assert names[partner] in seen
    _as_participant(page, served, "ada", ("my-accept", "Accepted"), ("my-sign", "now draft"))
    _fill(page, "my-improve", "More time for SQL practice")
    page.locator("#my-checkin").click()
    _wait_text(page, "my-status", "never to your partner")
    _as_participant(page, served, partner, ("my-accept", "Accepted"), ("my-sign", "now signed"))
    assert "ada@example.org" in page.locator("#my-pair").inner_text()
    page.screenshot(path=str(tmp_path / "programme-participant.png"), full_page=True)

    _login(page, served, "fay")
    page.get_by_role("tab", name="Programme", exact=True).click()
    _fill(page, "programme-name", "Spring 2027")
    page.locator("#programme-dashboard-refresh").click()
    _wait_text(page, "programme-dashboard", "Matched")
    summary = page.locator("#programme-dashboard").inner_text()
    assert "4 of 4 participants" in summary and "1 signed in all" in summary
    # the check-in's scores are drawn; no pair is at risk, so no bare chart of zeros but a line saying so
    page.wait_for_selector("#programme-trend-plot .vega-embed canvas, #programme-trend-plot .vega-embed svg.marks",
                           timeout=30000)
    _wait_text(page, "programme-charts-note", "No pairs at risk")
    assert "More time for SQL" not in page.locator("body").inner_text()  # a check-in's words stay private
    page.screenshot(path=str(tmp_path / "programme-dashboard.png"), full_page=True)
