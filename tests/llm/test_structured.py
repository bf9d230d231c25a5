from pydantic import BaseModel

from kickcoach.llm.fake import FakeChatModel
from kickcoach.llm.structured import parse_json_object, structured_call


class Goal(BaseModel):
    goal: str
    target: int


def test_parses_json_inside_prose_and_fences():
    assert parse_json_object('Sure! ```json\n{"a": 1}\n``` done') == {"a": 1}
    assert parse_json_object('prefix {"a": {"b": 2}} suffix') == {"a": {"b": 2}}


def test_valid_first_answer_is_accepted():
    model = FakeChatModel(responses=['{"goal": "Write posts", "target": 4}'])
    result = structured_call(model, [], Goal)
    assert result.ok and result.value == Goal(goal="Write posts", target=4) and result.attempts == 1
    fmt = model.calls[0]["kwargs"]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["schema"]["title"] == "Goal"


def test_reasks_with_validation_errors_then_succeeds():
    model = FakeChatModel(
        responses=['{"goal": "Write posts", "target": "lots"}', '{"goal": "Write posts", "target": 4}']
    )
    result = structured_call(model, [], Goal, attempts=2)
    assert result.ok and result.attempts == 2
    reask = model.calls[1]["messages"][-1].content
    assert "target" in reask and "corrected JSON" in reask


def test_domain_check_failures_are_reasked_and_reported():
    model = FakeChatModel(responses=['{"goal": "x", "target": 0}'] * 3)
    result = structured_call(
        model, [], Goal, check=lambda g: ["target: must be above zero"] if g.target <= 0 else [], attempts=3
    )
    assert not result.ok
    assert result.errors == ["target: must be above zero"]
    assert result.attempts == 3 and len(result.raw) == 3


def test_garbage_reply_is_reported_not_raised():
    result = structured_call(FakeChatModel(responses=["Network more!!!"]), [], Goal, attempts=1)
    assert not result.ok and "JSON" in result.errors[0]
