"""Every role's journey in a real browser, end to end (issue #23): a partner of a pair (chat, contract edit,
SMART draft, sign, weekly review, feedback, rehearse), a programme participant (accept, meeting, sign,
check-in) and the facilitator (create, import, match, publish, dashboard).

Each journey asserts what the page says and what the database holds, counts tracebacks in the server's
output (0) and raw developer text on the page (0), types while a reply is on its way in Chat and Rehearse
(nothing lost), and leaves desktop and 390-px screenshots in ``artifacts/screenshots/``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from types import SimpleNamespace

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from kickcoach.people.accounts import Accounts
from tests.support.journey import (
    PHONE,
    fill,
    login,
    open_tab,
    raw_messages,
    shots,
    tab_names,
    tracebacks,
    value,
    wait_text,
)
from tests.support.web import serve

pytestmark = pytest.mark.browser

PARTICIPANT_TABS = ["Chat", "Contract", "Weekly review", "Feedback", "Rehearse", "My programme"]
FACILITATOR_TABS = ["Programme", "Help"]
COHORT = """name,email,team,manager,offers,needs
Ada Lovelace,ada@example.org,Data,,SQL queries; Python scripts,public speaking practice
Ben Okafor,ben@example.org,Sales,,public speaking practice; negotiation,SQL queries
Chloe Diaz,chloe@example.org,Design,,Figma design,negotiation help
Dev Patel,dev@example.org,Sales,,negotiation help; Excel models,Figma design
"""
SLOW_S = 3.0


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.journeys_pg)])
def world(request, tmp_path_factory):
    """One served app per database for the whole module (a server start costs ~13 s on two busy cores): the demo
    pair and its contract, accounts for both partners, four programme participants waiting for a pairing and a
    facilitator. The model answers after ``delay["s"]`` seconds (0 unless a test sets it), so a reply can be
    pending. ``postgresql`` (marked ``journeys_pg``) runs on a fresh database of the throwaway cluster."""
    import argon2

    from kickcoach.bootstrap import prepare
    from kickcoach.core.config import Settings
    from kickcoach.flows.chat import CoachChat
    from kickcoach.knowledge.embeddings import HashingEmbeddings
    from kickcoach.llm.fake import FakeChatModel
    from kickcoach.people import accounts as accounts_module
    from kickcoach.services import Services
    from kickcoach.ui.app import build_app
    from tests.conftest import FAST_ARGON2

    with contextlib.ExitStack() as stack, pytest.MonkeyPatch.context() as patch:
        for key in [k for k in os.environ if k.startswith("KICKCOACH_") or k == "OPENAI_API_KEY"]:
            patch.delenv(key)
        patch.setattr(accounts_module, "PasswordHasher", lambda: argon2.PasswordHasher(**FAST_ARGON2))
        url = None
        if request.param == "postgresql":
            server = request.getfixturevalue("postgres_server")
            name = f"journeys_{os.getpid()}"
            url = server.new_database(name, template=request.getfixturevalue("postgres_template"))
            stack.callback(server.drop_database, name)
        home = tmp_path_factory.mktemp(f"journeys-{request.param}") / "home"
        settings = Settings(backend="fake", embeddings="hashing", home=home, database_url=url, _env_file=None)
        model = FakeChatModel()
        services = Services(settings, model=model, embeddings=HashingEmbeddings())
        stack.callback(lambda: services.storage.engine.dispose())
        services.settings.coach_model_text = "always"
        delay = {"s": 0.0}

        def answer(messages):
            time.sleep(delay["s"])
            return "I hear you. What would help most?"

        model.default = answer
        prepare(services)  # the demo pair (Priya and Tom) and its contract
        # The coach's turn classifier fits its heads once per process (a minute on two busy cores): fit them now,
        # as the local owner, so the journey times replies and not that one-off fit.
        CoachChat(services).ask("demo", None, "How often should peer mentors meet?")
        accounts = Accounts(services.storage)
        accounts.add("priya", "priya-password-1", pair_id="demo", partner="a", email="priya@example.org")
        accounts.add("tom", "tom-password-1", pair_id="demo", partner="b", email="tom@example.org")
        for who in ("ada", "ben", "chloe", "dev"):  # programme participants waiting for a pairing
            accounts.add(who, f"{who}-password-1", email=f"{who}@example.org")
        accounts.add("fay", "fay-password-1", role="facilitator")
        ui = stack.enter_context(serve(services, build_app(services), prepare=False))
        yield SimpleNamespace(url=ui.url, services=services, delay=delay, kind=request.param)


@pytest.fixture
def served(world):
    return world.url


@pytest.fixture
def services(world):
    return world.services


@pytest.fixture
def slow_model(world):
    world.delay["s"] = 0.0
    yield world.delay
    world.delay["s"] = 0.0


def _clean(page, capfd, where):
    """No raw developer text on the page; no traceback in the server's output so far."""
    assert raw_messages(page) == [], where
    err = capfd.readouterr().err
    assert tracebacks(err) == 0, f"{where}:\n{err[-3000:]}"


def _no_phone_gaps(page, tabs):
    """At 390 px every tab of the role can be reached (in the bar or its overflow menu)."""
    page.set_viewport_size(PHONE)
    for name in tabs:
        open_tab(page, name)
    page.set_viewport_size({"width": 1280, "height": 900})


# --- a partner of a pair --------------------------------------------------------------------------
def test_partner_journey(served, page, services, slow_model, capfd):
    from kickcoach.contracts.service import load_contract

    login(page, served, "priya")
    assert tab_names(page) == PARTICIPANT_TABS
    _clean(page, capfd, "login")
    _no_phone_gaps(page, PARTICIPANT_TABS)

    # Chat: a second message typed while the first reply is on its way stays in the box, Send disabled
    open_tab(page, "Chat")
    slow_model["s"] = SLOW_S
    fill(page, "chat-input", "How often should peer mentors meet?")
    page.locator("#chat-send").click()
    wait_text(page, "coach-chat", "How often should peer mentors meet?")
    # the box empties once the message is saved (it keeps it until then); the reply is still on its way
    page.wait_for_function("() => document.querySelector('#chat-input textarea').value === ''", timeout=20000)
    page.locator("#chat-input textarea").type("And how long should a meeting last?")
    assert page.locator("#chat-send").is_disabled()
    page.wait_for_function("() => !document.querySelector('#chat-send').disabled", timeout=30000)
    assert value(page, "chat-input") == "And how long should a meeting last?"  # nothing typed is lost
    slow_model["s"] = 0.0
    page.locator("#chat-send").click()
    wait_text(page, "coach-chat", "And how long should a meeting last?")
    page.wait_for_function("() => !document.querySelector('#chat-send').disabled", timeout=30000)
    shots(page, "partner-chat")
    _clean(page, capfd, "chat")

    # Contract: choosing a goal loads it; saving changes only what changed; plain errors next to Save
    open_tab(page, "Contract")
    wait_text(page, "contract-view", "Priya")
    before = load_contract(services, "demo").partner("a").goals[0]
    page.get_by_text("Add or edit a goal").click()
    page.locator("#goal-choice input").click()
    page.get_by_role("option", name=f"Priya · {before.id}", exact=False).first.click()
    page.wait_for_function("w => document.querySelector('#goal-what textarea, #goal-what input').value === w",
                           arg=before.what, timeout=20000)
    fill(page, "goal-value", "ten")
    page.locator("#goal-save").click()
    note = wait_text(page, "goal-message", "Target number: enter a number")
    assert "Nothing was saved" in note
    fill(page, "goal-value", f"{before.target_value:g}" if before.target_value is not None else "")
    fill(page, "goal-deadline", "end of March")
    page.locator("#goal-save").click()
    wait_text(page, "goal-message", "Saved Priya Shah's goal")
    after = load_contract(services, "demo").partner("a").goals[0]
    assert after.deadline is not None and after.deadline.month == 3
    assert after.indicators == before.indicators and after.relevant_to == before.relevant_to  # kept
    assert after.what == before.what and after.how == before.how
    # a new goal with no number: the number stays empty and Measurable fails
    page.locator("#goal-choice input").click()
    page.get_by_role("option", name="New goal").click()
    page.wait_for_function("() => document.querySelector('#goal-what textarea, #goal-what input').value === ''",
                           timeout=20000)  # the form is emptied for a new goal
    fill(page, "goal-what", "Be good at Excel")
    fill(page, "goal-target", "good at it")
    page.locator("#goal-save").click()
    wait_text(page, "goal-message", "still to fix")
    new = load_contract(services, "demo").partner("a").goals[-1]
    assert new.what == "Be good at Excel" and new.target_value is None
    shots(page, "partner-contract")
    _clean(page, capfd, "contract")

    # SMART draft fills the form
    page.get_by_text("Draft a goal with AI help").click()
    page.locator("#smarten").scroll_into_view_if_needed()
    page.get_by_label("Your goal, in your own words").fill("Get better at presenting by the end of June")
    page.locator("#smarten").click()
    page.wait_for_function("() => document.body.innerText.includes('Proposed goal')", timeout=30000)
    assert value(page, "goal-what")

    # Sign: then the Sign button is gone
    page.locator("#contract-sign").scroll_into_view_if_needed()
    page.locator("#contract-sign").click()
    wait_text(page, "contract-message", "signed version")
    page.wait_for_function("() => !document.querySelector('#contract-sign') || "
                           "document.querySelector('#contract-sign').offsetParent === null", timeout=20000)
    assert load_contract(services, "demo").has_signed("a")
    _clean(page, capfd, "sign")

    # Weekly review: through every step; a finished review has no Finish button
    open_tab(page, "Weekly review")
    page.locator("#review-start").click()
    wait_text(page, "review-step-label", "·")
    for _ in range(12):  # each Next (the last one: Finish review) changes the step label; no fixed waits
        step = page.locator("#review-step-label").inner_text()
        if "finished" in step:
            break
        try:
            page.locator("#review-next").click(timeout=5000)
        except PlaywrightTimeout:  # Next left the page under the cursor: the last answer is being saved
            pass
        page.wait_for_function("s => (document.querySelector('#review-step-label')?.innerText || '') !== s",
                               arg=step, timeout=30000)
    page.wait_for_function("() => (document.querySelector('#review-step-label')?.innerText || '').includes('finished')",
                           timeout=30000)
    assert page.locator("#review-next").count() == 0 or not page.locator("#review-next").is_visible()
    shots(page, "partner-review")
    _clean(page, capfd, "review")

    # Feedback
    open_tab(page, "Feedback")
    fill(page, "feedback-input", "You never listen in meetings and you are so lazy.")
    page.locator("#feedback-go").click()
    page.wait_for_function("() => (document.querySelector('#feedback-rewrite textarea')?.value || '').length > 10",
                           timeout=30000)
    shots(page, "partner-feedback")
    _clean(page, capfd, "feedback")

    # Rehearse: a line typed while the boss answers stays; End during a reply still ends
    open_tab(page, "Rehearse")
    page.locator("#rehearse-start").click()
    wait_text(page, "rehearse-status", "In the meeting")
    slow_model["s"] = SLOW_S
    fill(page, "rehearse-input", "I'd like to ask for a 10% raise.")
    page.locator("#rehearse-send").click()
    wait_text(page, "rehearse-chat", "10% raise")
    page.locator("#rehearse-input textarea").type("I led the Q3 launch.")
    assert page.locator("#rehearse-send").is_disabled()
    page.locator("#rehearse-end").click()  # pressed while the boss is still answering
    page.wait_for_function("() => (document.querySelector('#rehearse-debrief')?.innerText ?? '').includes('Debrief')",
                           timeout=60000)
    assert value(page, "rehearse-input") == "I led the Q3 launch."
    slow_model["s"] = 0.0
    shots(page, "partner-rehearse")
    _clean(page, capfd, "rehearse")

    open_tab(page, "My programme")
    page.locator("#my-show").click()
    wait_text(page, "my-pair", "No programme enrolment")
    shots(page, "partner-my-programme")
    _clean(page, capfd, "my programme")

    # the database, as Priya: both chat messages and the rehearsal line stored, the rehearsal ended
    as_priya = services.as_speaker(_person(services, "priya"))
    repo = as_priya.pair("demo")
    said = [t.content for c in repo.conversations("chat") for t in repo.turns(c.id) if t.role == "user"]
    assert "How often should peer mentors meet?" in said and "And how long should a meeting last?" in said
    from kickcoach.flows.rehearsal import RehearsalFlow

    rehearsal = RehearsalFlow(as_priya).history("demo")[0]
    assert rehearsal.status == "ended" and any("10% raise" in line.text for line in rehearsal.transcript)


def _person(services, name):
    return Accounts(services.storage).require(name)


# --- the facilitator, then two participants ---------------------------------------------------------
def test_facilitator_and_participant_journey(served, page, services, tmp_path, capfd):
    from kickcoach.programme.store import ProgrammeStore

    csv = tmp_path / "cohort.csv"
    csv.write_text(COHORT)
    login(page, served, "fay")
    assert tab_names(page) == FACILITATOR_TABS
    _no_phone_gaps(page, FACILITATOR_TABS)
    open_tab(page, "Programme")
    fill(page, "programme-name", "Spring 2027")
    page.locator("#programme-create").click()
    wait_text(page, "programme-status", "Created")
    page.locator("#programme-csv input[type=file]").set_input_files(str(csv))
    wait_text(page, "programme-csv", "cohort.csv", timeout=60000)  # uploaded (an upload took over 30 s at load 30)
    page.locator("#programme-import").click()
    wait_text(page, "programme-status", "Imported 4 participants")
    page.locator("#programme-match").click()
    wait_text(page, "programme-status", "2 pairs proposed")
    pairs = page.locator("#programme-pairs").inner_text()
    assert "Ada Lovelace" in pairs and "Ben Okafor" in pairs  # names, not only emails
    page.locator("#programme-publish").click()
    wait_text(page, "programme-status", "Published 2 pairs")
    page.locator("#programme-dashboard-refresh").click()
    wait_text(page, "programme-dashboard", "Matched")
    note = page.locator("#programme-charts-note").inner_text()
    assert "No check-ins yet" in note and not page.locator("#programme-trend-plot").is_visible()
    shots(page, "facilitator-programme")
    open_tab(page, "Help")
    wait_text(page, "kick-help", "Running a programme")
    shots(page, "facilitator-help")
    _clean(page, capfd, "facilitator")
    store = ProgrammeStore(services.storage)
    programme = store.get("Spring 2027")
    published = store.pairs(programme.id, ("published",))
    assert len(published) == 2

    login(page, served, "ada")
    assert tab_names(page) == PARTICIPANT_TABS  # publishing gave her account its pair
    open_tab(page, "My programme")
    page.locator("#my-show").click()
    wait_text(page, "my-pair", "Your answer: pending")
    page.locator("#my-accept").click()
    wait_text(page, "my-pair", "Your answer: accepted")  # the label follows the action
    page.get_by_label("Meeting date (empty = today)").fill((programme.trial_start - dt.timedelta(days=4)).isoformat())
    page.get_by_role("button", name="Record a meeting").click()
    wait_text(page, "my-status", "before the programme began")
    page.locator("#my-sign").click()
    wait_text(page, "my-status", "Signed version")
    shots(page, "participant-my-programme")
    _clean(page, capfd, "participant")
    assert store.meetings(programme.id) == []  # the early meeting was refused


# --- a stale tab after logout ---------------------------------------------------------------------------
def test_after_logout_a_stale_tab_goes_to_the_login_page_and_keeps_the_text(served, page, capfd):
    login(page, served, "tom")
    other = page.context.new_page()
    other.goto(served)
    wait_text(other, "kick-who", "Logged in as")
    other.locator("#kick-logout").click()  # a POST, in its own tab: no new tab opens
    other.wait_for_selector("input[type=password]", timeout=20000)
    assert len(page.context.pages) == 2
    fill(page, "chat-input", "Tom's message typed before noticing")
    page.locator("#chat-send").click()
    page.wait_for_selector("input[type=password]", timeout=20000)  # the stale tab is at the login page
    page.locator("input[type=text], input[name=username]").first.fill("tom")
    page.locator("input[type=password]").first.fill("tom-password-1")
    page.locator("#login-submit").click()
    page.wait_for_function("() => (document.querySelector('#chat-input textarea')?.value || '')"
                           ".includes('typed before noticing')", timeout=30000)
    _clean(page, capfd, "stale tab")
