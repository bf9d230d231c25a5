"""The one generation pipeline: call, parse, check/Retry, bounded re-ask, fallback, guard, record."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage
from pydantic import BaseModel

from kickcoach.core.errors import BackendUnavailable
from kickcoach.llm.fake import FakeChatModel
from kickcoach.llm.generate import Retry, generate, parse

PROMPT = [HumanMessage(content="Give me a number.")]


class Answer(BaseModel):
    n: int


def positive(answer: Answer) -> str:
    if answer.n <= 0:
        raise Retry(f"n: {answer.n} is not positive; give a number above 0")
    return f"got {answer.n}"


def test_a_good_reply_is_used_and_recorded():
    model = FakeChatModel(responses=['{"n": 3}'])
    gen = generate(model, PROMPT, Answer, check=positive, fallback=lambda: "template")
    assert (gen.value, gen.source, gen.attempts, gen.problems) == ("got 3", "model", 1, [])
    assert [a.raw for a in gen.record] == ['{"n": 3}']
    assert model.calls[0]["kwargs"]["response_format"]["json_schema"]["name"] == "Answer"


def test_a_retry_reasks_with_the_problems_then_succeeds():
    model = FakeChatModel(responses=['{"n": -1}', '{"n": 2}'])
    gen = generate(model, PROMPT, Answer, check=positive, fallback=lambda: "template")
    assert (gen.value, gen.attempts) == ("got 2", 2)
    reask = str(model.calls[1]["messages"][-1].content)
    assert "n: -1 is not positive; give a number above 0" in reask
    assert gen.record[0].problems == ["n: -1 is not positive; give a number above 0"]


@pytest.mark.parametrize("attempts", [1, 2, 3])
def test_the_retry_budget_is_bounded_then_the_fallback_is_used(attempts):
    model = FakeChatModel(default="not json at all")
    gen = generate(model, PROMPT, Answer, check=positive, fallback=lambda: "template", attempts=attempts)
    assert (gen.value, gen.source, gen.attempts) == ("template", "fallback", attempts)
    assert len(model.calls) == attempts
    assert gen.problems == ["reply: no JSON object in the reply; answer with one JSON object only"]


def test_schema_errors_are_fix_it_lines():
    with pytest.raises(Retry) as exc:
        parse(Answer, '{"n": "many"}')
    assert exc.value.problems[0].startswith("n: ")


def test_no_model_goes_straight_to_the_fallback():
    gen = generate(None, PROMPT, Answer, check=positive, fallback=lambda: "template")
    assert (gen.value, gen.source, gen.attempts, gen.record) == ("template", "fallback", 0, [])


def test_a_failing_backend_falls_back_with_the_reason_or_raises_when_asked():
    def broken(_messages):
        raise BackendUnavailable("the model server is down", "start it")

    gen = generate(FakeChatModel(default=broken), PROMPT, Answer, check=positive, fallback=lambda: "template")
    assert gen.source == "fallback" and gen.value == "template" and "the model server is down" in (gen.error or "")
    with pytest.raises(BackendUnavailable):
        generate(FakeChatModel(default=broken), PROMPT, Answer, check=positive, fallback=lambda: "t", raise_errors=True)


def test_the_guard_can_refuse_a_checked_reply():
    model = FakeChatModel(responses=['{"n": 5}'])
    gen = generate(
        model,
        PROMPT,
        Answer,
        check=positive,
        fallback=lambda: "template",
        guard=lambda v: "held back" if "5" in v else None,
    )
    assert (gen.value, gen.source, gen.guard_note, gen.problems) == (
        "template",
        "fallback",
        "held back",
        ["guard: held back"],
    )
    assert gen.attempts == 1
