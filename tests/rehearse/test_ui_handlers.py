"""The Rehearse tab's handlers (no browser) and its layout's element ids."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kickcoach.ui.identity import Identity
from kickcoach.ui.rehearse_tab import KEEP, RehearseHandlers, render

REQUEST = SimpleNamespace(username=None)


@pytest.fixture
def handlers(services):
    services.storage.ensure_pair("demo", "Demo pair")
    return RehearseHandlers(services, Identity(services.settings))


def test_three_turns_then_end_shows_a_debrief(handlers, fake_model):
    fake_model.queue("Pay reviews happen once a year. Why now?", "How did you arrive at that figure?", "Fine. Put it in my calendar.")
    setup = ("raise", "", "busy", "", "normal")
    *_, (chat, box, rid, debrief, status) = handlers.send("I'd like to talk about my salary.", None, *setup, REQUEST)
    assert rid and box == KEEP and "In the meeting" in status  # the box was cleared as the line went out
    assert chat[0]["content"].startswith("**Sam:** I've got five minutes")  # started from the set-up
    assert chat[1] == {"role": "user", "content": "I'd like to talk about my salary."}
    updates = list(handlers.send("I'm asking for 8% because I took on the portal.", rid, *setup, REQUEST))
    assert updates[0][0][-1]["content"] == "…" and updates[0][1] == ""  # the line shows at once, the boss is "typing"
    assert updates[-1][1] == KEEP  # what was typed while the boss answered stays in the box
    *_, (chat, _, rid, _, _) = handlers.send("Can we follow up next week?", rid, *setup, REQUEST)
    assert [m["role"] for m in chat] == ["assistant", "user"] * 3 + ["assistant"]
    chat, rid, debrief, status = handlers.end(rid, REQUEST)
    assert debrief.startswith("### Debrief") and "What went well" in debrief and "Ended" in status
    assert handlers.past(REQUEST)[0][1] == rid
    assert handlers.open(rid, REQUEST)[2] == debrief


def test_pause_resume_buttons_and_errors_in_the_status_line(handlers, fake_model):
    chat, rid, _, status = handlers.start("deadline", "", "sceptical", "", "normal", REQUEST)
    assert chat[0]["content"] == "**Sam:** You wanted to see me. What's this about?"
    chat, rid, _, status = handlers.pause(rid, REQUEST)
    assert "Paused" in status and chat[-1]["content"].startswith("**Coach:**")
    chat, rid, _, status = handlers.resume(rid, REQUEST)
    assert "In the meeting" in status
    *_, (chat, box, _, _, status) = handlers.send("/oops", rid, "deadline", "", "sceptical", "", "normal", REQUEST)
    assert status.startswith("⚠️ Unknown command") and box == "/oops"
    assert handlers.start("custom", "", "busy", "", "normal", REQUEST)[3].startswith("⚠️ A scenario of your own needs a description")
    assert handlers.end(None, REQUEST)[3].startswith("⚠️")


def test_export_writes_markdown_and_choices_come_from_the_library_and_contract(handlers, services):
    from kickcoach.contracts.files import demo_contract
    from kickcoach.contracts.service import save_contract

    assert handlers.goal_choices(REQUEST) == [("No goal", "")]
    save_contract(services, demo_contract())
    goals = handlers.goal_choices(REQUEST)
    assert ("Priya Shah: Present the Q4 sales results to the leadership team in a 10-minute talk without notes.", "a/g1") in goals
    assert [v for _, v in handlers.scenario_choices()] == ["visibility", "raise", "deadline", "extra_work", "custom"]
    _, rid, _, _ = handlers.start("visibility", "", "defensive", "a/g1", "hard", REQUEST)
    path = handlers.export(rid, REQUEST)
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    assert text.startswith("# Boss rehearsal: Visibility on a project") and "Contract goal: Present the Q4" in text
    assert "level: hard" in text


def test_replay_harder_starts_a_new_attempt_that_compares_with_the_last(handlers):
    _, rid, _, _ = handlers.start("raise", "", "busy", "", "normal", REQUEST)
    handlers.end(rid, REQUEST)
    chat, new_id, debrief, status = handlers.replay(rid, REQUEST)
    assert new_id != rid and debrief == "" and "hard level, attempt 2" in status
    assert chat[0]["content"].startswith("**Sam:** I've got five minutes")
    assert handlers.replay(None, REQUEST)[3].startswith("⚠️")


def test_render_lays_out_the_elements_the_browser_test_drives(handlers):
    import gradio as gr

    with gr.Blocks() as demo, gr.Tab("Rehearse"):
        refresh, outputs = render(handlers)
    ids = {block.elem_id for block in demo.blocks.values()}
    assert {"rehearse-input", "rehearse-send", "rehearse-end", "rehearse-debrief", "rehearse-chat", "rehearse-replay", "rehearse-level",
            "rehearse-boss"} <= ids
    assert callable(refresh) and len(outputs) == 2


def test_a_rehearsal_starts_from_the_persons_description_of_the_boss(handlers):
    boss = "Always rushing between meetings, and she worries about the budget."
    chat, rid, _, status = handlers.start("custom", "I'd like to run the customer survey.", "supportive", "", "normal",
                                          REQUEST, boss)
    assert rid and "busy and distracted boss" in status
    rehearsal = handlers._flow(REQUEST).get("demo", rid)
    assert rehearsal.boss == boss and rehearsal.agenda[:2] == ["need", "cost"]
