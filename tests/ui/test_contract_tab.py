import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from kickcoach.contracts.service import load_contract
from kickcoach.ui import goal_form
from kickcoach.ui.contract_tab import ContractHandlers
from kickcoach.ui.identity import Identity

REQ = SimpleNamespace(username=None)

@pytest.fixture
def tab(services):
    from kickcoach.bootstrap import prepare

    prepare(services)
    return ContractHandlers(services, Identity(services.settings), today=dt.date(2026, 11, 23))

def test_view_shows_the_demo_contract_and_smart_verdicts(tab):
    markdown, rows, status, yaml_text = tab.view(REQ)
    assert "Priya" in markdown and "Tom" in markdown
    assert len(rows) == 4 and all(r[2:7] == ["✓"] * 5 for r in rows)
    assert [r[0] for r in rows] == ["Priya", "Priya", "Tom", "Tom"]
    assert "Version 1" in status and "pair_id: demo" in yaml_text

def test_bad_yaml_names_field_and_line_and_saves_nothing(tab, services):
    _, _, _, yaml_text = tab.view(REQ)
    message = tab.save_yaml(yaml_text.replace("frequency: weekly", "frequency: hourly"), REQ)
    assert message.startswith("❌") and "cadence.frequency" in message and "line" in message
    assert "Nothing was saved" in message
    assert load_contract(services, "demo").version == 1

def test_yaml_for_another_pair_is_refused(tab):
    _, _, _, yaml_text = tab.view(REQ)
    message = tab.save_yaml(yaml_text.replace("pair_id: demo", "pair_id: someone-else"), REQ)
    assert "only save pair `demo`" in message

def test_goal_form_edit_then_each_partner_signs_as_themselves(services, people, login):

    priya, tom = login("priya"), login("tom")
    tab = ContractHandlers(services, Identity(services.settings, services.storage), today=dt.date(2026, 11, 23))
    form = {"what": "Run 5 SQL workshops for the product team", "how": "Book a room\nPrepare exercises",
            "target": "5 workshops", "target_value": "5", "unit": "workshops", "deadline": "2027-03-31",
            "indicators": "5 workshops held\n20 attendees"}
    message, chosen = tab.save_goal("", "b", form, None, tom)
    assert message.startswith("✅") and "goal g3" in message and "passes SMART" in message and chosen == "b/g3"
    contract = load_contract(services, "demo")
    assert contract.version == 2 and contract.goal("b", "g3").target_value == 5
    assert "Priya Shah signed version 2; status: draft" in tab.sign(priya)
    assert tab.sign_button(priya)["visible"] is False  # signed: no Sign button
    assert tab.sign_button(tom)["visible"] is True
    assert "already signed" in tab.sign(priya)  # one person, one signature: never the partner's
    assert "Tom Ellis signed version 2; status: signed" in tab.sign(tom)
    assert load_contract(services, "demo").status == "signed"
    _, loaded = tab.load_goal("a/g1", priya)
    edited, _ = tab.save_goal("a/g1", "a", {**loaded, "what": "Present the Q4 results to leadership in 10 minutes"},
                              loaded, priya)
    assert "version 3" in edited and load_contract(services, "demo").status == "draft"  # editing unsigns
    assert load_contract(services, "demo", version=2).status == "signed"  # the old version is kept
    old, new = load_contract(services, "demo", version=2).goal("a", "g1"), load_contract(services, "demo").goal("a", "g1")
    assert new.indicators == old.indicators and new.relevant_to == old.relevant_to and new.how == old.how


def test_goal_form_says_what_is_wrong_in_plain_words_and_saves_nothing(services, people, login):
    priya = login("priya")
    tab = ContractHandlers(services, Identity(services.settings, services.storage), today=dt.date(2026, 11, 23))
    _, loaded = tab.load_goal("a/g1", priya)
    for field, typed, said in [("target_value", "ten", "Target number: enter a number, for example 10"),
                               ("deadline", "someday soon-ish", "Deadline: use a date such as 2027-03-31"),
                               ("target", "", "Target: say what done looks like")]:
        message, _ = tab.save_goal("a/g1", "a", {**loaded, field: typed}, loaded, priya)
        assert message.startswith(f"❌ {said}") and message.endswith("Nothing was saved."), message
        assert "validation error" not in message and "type=" not in message
    assert load_contract(services, "demo").version == 1


def test_a_saved_goal_names_what_is_left_to_fix_as_people_write_it(services, people, login):
    tab = ContractHandlers(services, Identity(services.settings, services.storage), today=dt.date(2026, 11, 23))
    form = {"what": "Be good at Excel", "how": "", "target": "good at it", "target_value": "", "unit": "",
            "deadline": "", "indicators": ""}
    message, _ = tab.save_goal("", "a", form, None, login("priya"))
    assert message.endswith("still to fix: Specific, Measurable, Time-bound.")  # not "time_bound"


def test_export_writes_a_file(tab):
    path = Path(tab.export("Calendar (.ics)", REQ))
    assert path.suffix == ".ics" and "BEGIN:VEVENT" in path.read_text()
    assert path.stat().st_mode & 0o077 == 0 and path.parent.stat().st_mode & 0o077 == 0  # owner-only

def test_draft_goal_fills_the_form(tab, fake_model):
    fake_model.queue("Network more!!!", "still not json")
    proposal, rows, questions, form = tab.draft_goal("Grow my network", "a", "", REQ)
    assert "Proposed goal" in proposal and len(rows) == 5
    assert form["deadline"] and any(ch.isdigit() for ch in form["what"])


def test_use_this_draft_fills_the_goal_form_and_the_saved_goal_round_trips(services, people, login):
    from kickcoach.ui.contract_tab import DRAFT_FIELDS, draft_form

    priya = login("priya")
    tab = ContractHandlers(services, Identity(services.settings, services.storage), today=dt.date(2026, 11, 23))
    _, _, questions, form = tab.draft_goal("Grow my network", "a", "", priya)
    values = dict(zip(DRAFT_FIELDS, draft_form(form), strict=True))
    assert (values["choice"], values["original"], values["partner"]) == ("", None, "a")  # a new goal for partner a
    assert values["what"].startswith("Grow my network: meet 6 new people")
    assert (values["target_value"], values["unit"], values["deadline"]) == ("6", "people", "2027-01-18")
    assert questions == ""  # the draft passes all five criteria: nothing to ask
    fields = {name: values[name] for name in goal_form.FIELDS}
    message, chosen = tab.save_goal(values["choice"], values["partner"], fields, values["original"], priya)
    assert message.startswith("✅") and "passes SMART" in message and chosen == "a/g3"
    saved = load_contract(services, "demo").goal("a", "g3")
    assert (saved.what, saved.target_value, saved.unit, saved.deadline) == (
        values["what"], 6, "people", dt.date(2027, 1, 18))
    assert saved.how == values["how"].splitlines() and saved.indicators == values["indicators"].splitlines()


def test_a_draft_with_blanks_asks_only_for_them(tab):
    _, _, questions, form = tab.draft_goal("I'd like to improve my sales numbers.", "a", "", REQ)
    assert form["what"].startswith("Improve my sales numbers from [now] to [target] by ")
    assert questions.splitlines() == ["- What is the figure today?", "- What figure do you want to reach by 15 February 2027?"]


def test_use_this_draft_before_any_draft_leaves_the_form_alone():
    from kickcoach.ui.contract_tab import DRAFT_FIELDS, draft_form

    assert len(draft_form({})) == len(DRAFT_FIELDS)
