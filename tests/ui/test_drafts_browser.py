"""Drafts from the person's own words in a real browser (issue #20, item 4): the SMART draft's "Use this draft"
fills the goal form (target number, unit and deadline too), Save stores it, and after a reload the saved goal
loads back with the same values (the database holds them too); a rehearsal started from the person's own
description of their boss plays the style and the concern that description names."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.journey import fill, login, open_tab, raw_messages, tracebacks, value, wait_text
from tests.support.web import serve

pytestmark = pytest.mark.browser

VAGUE = "Close more deals: 12 deals a quarter by 31 March 2027"
BOSS = "Always rushing between meetings, and she worries about the budget."
FORM = "document.querySelector('#goal-{0} textarea, #goal-{0} input').value"


@pytest.fixture
def served(services, fast_hashes):
    from kickcoach.bootstrap import prepare
    from kickcoach.people.accounts import Accounts
    from kickcoach.ui.app import build_app

    prepare(services)  # the demo pair (Priya and Tom) and its contract
    Accounts(services.storage).add("priya", "priya-password-1", pair_id="demo", partner="a", email="priya@example.org")
    with serve(services, build_app(services), prepare=False) as ui:
        yield ui.url


def _goal(services, what):
    from kickcoach.contracts.service import load_contract

    return next((g for g in load_contract(services, "demo").partner("a").goals if g.what == what), None)


def test_use_this_draft_fills_the_form_and_the_saved_goal_round_trips(served, page, services, capfd):
    login(page, served, "priya")
    open_tab(page, "Contract")
    wait_text(page, "contract-view", "Priya")
    page.get_by_text("Draft a goal with AI help").click()
    page.get_by_label("Your goal, in your own words").fill(VAGUE)
    page.locator("#smarten").click()
    page.wait_for_function("() => document.body.innerText.includes('Proposed goal')", timeout=60000)
    page.get_by_text("Add or edit a goal").click()
    page.locator("#use-draft").click()
    page.wait_for_function(f"() => {FORM.format('value')} === '12'", timeout=30000)
    what = value(page, "goal-what")
    assert what.startswith("Close more deals") and "12 deals" in what
    assert (value(page, "goal-unit"), value(page, "goal-deadline")) == ("deals", "2027-03-31")
    page.locator("#goal-save").click()
    wait_text(page, "goal-message", "Saved Priya Shah's goal")
    saved = _goal(services, what)  # the database holds the draft's values
    assert saved is not None and saved.target_value == 12 and saved.unit == "deals"
    assert saved.deadline == dt.date(2027, 3, 31)

    page.reload()  # a fresh page: the saved goal loads back into the form with the same values
    open_tab(page, "Contract")
    wait_text(page, "contract-view", what)
    page.get_by_text("Add or edit a goal").click()
    page.locator("#goal-choice input").click()
    page.get_by_role("option", name=f"Priya · {saved.id}", exact=False).first.click()
    page.wait_for_function(f"w => {FORM.format('what')} === w", arg=what, timeout=30000)
    assert (value(page, "goal-value"), value(page, "goal-unit"), value(page, "goal-deadline")) == ("12", "deals", "2027-03-31")
    assert raw_messages(page) == [] and tracebacks(capfd.readouterr().err) == 0


def test_a_rehearsal_starts_from_the_persons_description_of_the_boss(served, page, services, capfd):
    from kickcoach.flows.rehearsal import RehearsalFlow

    login(page, served, "priya")
    open_tab(page, "Rehearse")
    page.locator("#rehearse-scenario input").click()
    page.get_by_role("option", name="Describe my own…").click()
    fill(page, "rehearse-description", "I'd like to run the customer survey this quarter.")
    fill(page, "rehearse-boss", BOSS)
    page.locator("#rehearse-start").click()
    wait_text(page, "rehearse-status", "busy and distracted boss")  # the description picked the style
    fill(page, "rehearse-input", "I'd like to run the customer survey this quarter.")
    page.locator("#rehearse-send").click()
    page.wait_for_function(  # the person's line, then the boss's line naming the survey
        "() => (document.querySelector('#rehearse-chat').innerText.match(/customer survey/g) || []).length >= 2",
        timeout=60000,
    )
    from kickcoach.people.accounts import Accounts

    as_priya = services.as_speaker(Accounts(services.storage).require("priya"))  # her rehearsals are hers
    rehearsal = RehearsalFlow(as_priya).history("demo")[0]
    assert rehearsal.style == "busy" and rehearsal.boss == BOSS and "cost" in rehearsal.agenda
    assert rehearsal.agenda.index("cost") <= 1  # right after the style's own concern
    boss_lines = [line for line in rehearsal.transcript if line.role == "boss" and line.move in ("object", "press")]
    assert boss_lines and "customer survey" in boss_lines[0].text  # the ask's own facts
    assert raw_messages(page) == [] and tracebacks(capfd.readouterr().err) == 0
