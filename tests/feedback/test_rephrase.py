"""rephrase with a scripted model: the model's parts are used only when they verify; else the template."""

from __future__ import annotations

import json

import pytest

from kickcoach.core.errors import BackendUnavailable, InputInvalid
from kickcoach.flows.feedback import MAX_CHARS, recent, rephrase, rephrase_and_save
from kickcoach.llm.fake import FakeChatModel

CRITICISM = "You're so lazy, you never answer my emails, so I have to chase you."


def answer(**fields: str) -> str:
    draft = {"situation": "unknown", "behaviour": "you didn't answer my emails", "impact": "unknown", "request": "none"}
    return json.dumps({**draft, **fields})


def test_a_good_answer_is_composed_into_the_feedback():
    model = FakeChatModel(responses=[answer(situation="this week", impact="I had to chase you")])
    result = rephrase(model, CRITICISM.replace("emails", "emails this week"))
    assert result.source == "model" and result.verified and result.attempts == 1
    assert result.rewrite == "This week, you didn't answer my emails. As a result, I had to chase you."
    assert [f.kind for f in result.flags] == ["you_are_judgement", "absolute"]
    assert result.questions == []  # situation, behaviour and impact are all there
    call = model.calls[0]
    assert call["kwargs"]["response_format"]["json_schema"]["name"] == "FeedbackDraft"
    prompt = "\n".join(str(m.content) for m in call["messages"])
    assert (
        "You're so lazy, you never answer my emails this week" in prompt
        and "you're so lazy, never" in prompt
        and "you didn't answer my emails" in prompt
    )


def test_garbage_or_a_loop_falls_back_to_the_template():
    model = FakeChatModel(responses=["Network more!!! " * 40, '{"situation": "unknown", "behaviour": "you you you you'])
    result = rephrase(model, CRITICISM)
    assert result.source == "template" and result.attempts == 2 and result.verified
    assert result.rewrite == "I noticed that you didn't answer my emails. As a result, I had to chase you."
    assert result.questions == ["When did this happen? Name one specific time, for example 'in Tuesday's stand-up'."]
    assert result.model_problems and "JSON" in result.model_problems[0]


def test_an_answer_that_keeps_the_label_is_reasked_then_replaced():
    lazy = answer(behaviour="you didn't answer my emails, lazy as usual")
    model = FakeChatModel(responses=[lazy, lazy])
    result = rephrase(model, CRITICISM)
    assert len(model.calls) == 2
    reask = str(model.calls[1]["messages"][-1].content)
    assert "remove the label 'lazy': describe what was done instead" in reask
    assert result.source == "template" and result.verified and "lazy" not in result.rewrite.lower()
    assert result.model_problems == ["remove the label 'lazy': describe what was done instead"]


def test_the_reask_can_succeed():
    model = FakeChatModel(responses=[answer(behaviour="you always ignore my emails"), answer()])
    result = rephrase(model, CRITICISM)
    assert result.source == "model" and result.attempts == 2
    reask = str(model.calls[1]["messages"][-1].content)
    assert "remove 'always'" in reask and "keep the words: answer" in reask


def test_an_invented_situation_or_impact_is_refused():
    model = FakeChatModel(responses=[answer(situation="in the Q3 planning meeting", impact="the client left")] * 2)
    result = rephrase(model, CRITICISM)
    assert result.source == "template"
    assert 'situation: the criticism does not say this; write "unknown"' in result.model_problems
    assert 'impact: the criticism does not say this; write "unknown"' in result.model_problems


def test_the_users_context_grounds_the_situation():
    model = FakeChatModel(responses=[answer(situation="after the Q3 planning meeting")])
    result = rephrase(model, CRITICISM, context="after the Q3 planning meeting on Monday")
    assert result.source == "model"
    assert result.rewrite.startswith("After the Q3 planning meeting, you didn't answer my emails.")
    assert not any(q.startswith("When") for q in result.questions)


def test_the_request_is_used_only_when_asked_for():
    reply = answer(request="Could you reply within a day?")
    not_asked = rephrase(FakeChatModel(responses=[reply]), CRITICISM)
    assert not_asked.source == "model" and "Could you" not in not_asked.rewrite and not_asked.parts.request is None
    asked = rephrase(FakeChatModel(responses=[reply]), CRITICISM, want_request=True)
    assert asked.rewrite.endswith("Could you reply within a day?")


def test_the_template_suggests_a_request_only_when_asked():
    garbage = "not json"
    asked = rephrase(FakeChatModel(responses=[garbage] * 2), CRITICISM, want_request=True)
    assert asked.source == "template" and asked.rewrite.endswith("Next time, could you answer my emails?")
    plain = rephrase(FakeChatModel(responses=[garbage] * 2), CRITICISM)
    assert "could you" not in plain.rewrite.lower()


def test_advice_slipped_into_a_part_is_caught_by_the_guard():
    model = FakeChatModel(responses=[answer(impact="you should reply to my emails within an hour")])
    result = rephrase(model, CRITICISM)
    assert result.source == "template" and result.guard_note
    assert "should" not in result.rewrite


def test_a_backend_failure_still_gives_the_template():
    def down(messages):
        raise BackendUnavailable("The model server did not answer", "start it or pick another backend")

    result = rephrase(FakeChatModel(responses=[down]), CRITICISM)
    assert result.source == "template" and result.verified
    assert result.error == "The model server did not answer — start it or pick another backend"


@pytest.mark.parametrize(("text", "field"), [("   ", "criticism"), ("x" * (MAX_CHARS + 1), "criticism")])
def test_bad_input_is_a_clear_error(text, field):
    with pytest.raises(InputInvalid) as err:
        rephrase(FakeChatModel(), text)
    assert err.value.field == field and err.value.fix


def test_the_users_words_are_saved_before_the_model_is_called(services, fake_model):
    services.storage.ensure_pair("p1", "Pair one")
    seen: list[tuple[str, dict]] = []

    def look(messages):
        rows = services.pair("p1").records("feedback")
        seen.extend((r.id, r.data) for r in rows)
        return answer()

    fake_model.queue(look)
    saved = rephrase_and_save(services, "p1", CRITICISM)
    assert seen and seen[0][1]["criticism"] == CRITICISM and seen[0][1]["status"] == "pending"
    assert saved.id == seen[0][0] and saved.status == "done" and saved.result.source == "model"
    stored = services.pair("p1").get_record(saved.id).data
    assert stored["result"]["rewrite"] == saved.result.rewrite


def test_recent_lists_this_pairs_rephrasings_newest_first(services, fake_model):
    for pair in ("p1", "p2"):
        services.storage.ensure_pair(pair, pair)
    fake_model.queue("garbage", "garbage", "garbage", "garbage")
    rephrase_and_save(services, "p1", "You never answer my emails.")
    rephrase_and_save(services, "p1", "You're always late to standup.")
    assert [s.criticism for s in recent(services, "p1")] == [
        "You're always late to standup.",
        "You never answer my emails.",
    ]
    assert recent(services, "p2") == []


def test_without_a_model_the_template_is_saved_with_the_reason(settings):
    from kickcoach.services import Services

    broken = Services(settings.model_copy(update={"backend": "embedded", "gguf_path": settings.home / "missing.gguf"}))
    broken.storage.ensure_pair("p1", "Pair one")
    saved = rephrase_and_save(broken, "p1", CRITICISM)
    assert saved.result.source == "template" and saved.result.verified
    assert "No GGUF at" in saved.result.error
    assert broken.pair("p1").get_record(saved.id).data["status"] == "done"


def test_a_criticism_of_exactly_max_chars_is_accepted():
    from kickcoach.flows.feedback import check_input

    assert len(check_input("x" * MAX_CHARS)) == MAX_CHARS
