"""Contract models: validation at the boundary, lifecycle, look-ups."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from kickcoach.contracts import DEFAULT_FEEDBACK_RULES, Cadence, Contract, Goal, Terms, demo_contract
from kickcoach.contracts.models import dotted, validation_problems
from kickcoach.core.errors import InputInvalid, NotFound

AT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def data(contract: Contract) -> dict:
    return contract.model_dump(mode="python")


def problem_paths(exc: ValidationError) -> list[str]:
    return [dotted(path) for path, _, _ in validation_problems(exc)]


def test_unknown_field_is_rejected_with_its_path():
    raw = data(demo_contract())
    raw["partners"][0]["goals"][1]["dedline"] = "2027-01-01"
    with pytest.raises(ValidationError) as exc:
        Contract.model_validate(raw)
    assert problem_paths(exc.value) == ["partners.0.goals.1.dedline"]


def test_partners_must_be_a_then_b():
    raw = data(demo_contract())
    raw["partners"] = [raw["partners"][1], raw["partners"][0]]
    with pytest.raises(ValidationError) as exc:
        Contract.model_validate(raw)
    (path, message, _), *_ = validation_problems(exc.value)
    assert dotted(path) == "partners.0.id"
    assert "must have id 'a'" in message


def test_goal_deadline_before_its_start_points_at_deadline():
    raw = data(demo_contract())
    raw["partners"][1]["goals"][0]["deadline"] = dt.date(2026, 1, 1)
    with pytest.raises(ValidationError) as exc:
        Contract.model_validate(raw)
    assert problem_paths(exc.value) == ["partners.1.goals.0.deadline"]
    assert "before the goal's start_date" in validation_problems(exc.value)[0][1]


def test_goal_ids_are_unique_per_partner():
    raw = data(demo_contract())
    raw["partners"][0]["goals"][1]["id"] = "g1"
    with pytest.raises(ValidationError) as exc:
        Contract.model_validate(raw)
    assert problem_paths(exc.value) == ["partners.0.goals.1.id"]


def test_review_date_must_follow_start_date():
    raw = data(demo_contract())
    raw["review_date"] = raw["start_date"]
    with pytest.raises(ValidationError) as exc:
        Contract.model_validate(raw)
    assert problem_paths(exc.value) == ["review_date"]


def test_signed_status_needs_both_signatures():
    raw = data(demo_contract()) | {"status": "signed"}
    with pytest.raises(ValidationError) as exc:
        Contract.model_validate(raw)
    assert problem_paths(exc.value) == ["status"]
    assert "not signed yet by Priya Shah and Tom Ellis" in validation_problems(exc.value)[0][1]


def test_signature_for_another_version_is_rejected():
    raw = data(demo_contract()) | {"signatures": [{"partner": "a", "signed_at": AT, "version": 2}]}
    with pytest.raises(ValidationError) as exc:
        Contract.model_validate(raw)
    assert problem_paths(exc.value) == ["signatures.0.version"]


@pytest.mark.parametrize("value", [750, 12.5])
def test_meeting_time_must_be_text_not_a_number(value):
    with pytest.raises(ValidationError, match="HH:MM"):
        Cadence(frequency="weekly", time=value)


def test_meeting_time_and_weekday_are_normalised():
    cadence = Cadence(frequency="fortnightly", weekday="Tuesday", time="09:05", channel="coffee at the office")
    assert cadence.weekday == "tuesday"
    assert cadence.time == dt.time(9, 5)
    assert cadence.summary() == "fortnightly on Tuesdays at 09:05 for 45 minutes, coffee at the office"
    with pytest.raises(ValidationError, match="without seconds"):
        Cadence(frequency="weekly", time="09:05:30")


def test_text_is_stripped_and_must_not_be_empty():
    goal = Goal(id="g1", what="  Publish 4 articles  ", target="4 articles")
    assert goal.what == "Publish 4 articles"
    with pytest.raises(ValidationError):
        Goal(id="g1", what="   ", target="4 articles")
    with pytest.raises(ValidationError):
        Goal(id="Goal 1", what="Publish 4 articles", target="4 articles")


def test_feedback_rules_default_to_ours():
    terms = Terms(accountability="We report weekly.", confidentiality="What we share stays between us.")
    assert terms.feedback_rules == list(DEFAULT_FEEDBACK_RULES)
    assert any("never the person" in rule for rule in terms.feedback_rules)
    assert any("only when" in rule for rule in terms.feedback_rules)


def test_models_are_frozen():
    contract = demo_contract()
    with pytest.raises(ValidationError):
        contract.title = "Changed"  # type: ignore[misc]


def test_full_lifecycle_returns_new_objects():
    draft = demo_contract()
    half = draft.sign("a", AT)
    assert (half.status, half.has_signed("a"), half.has_signed("b")) == ("draft", True, False)
    assert draft.signatures == []  # the original is untouched
    signed = half.sign("b", AT + dt.timedelta(hours=1))
    assert signed.status == "signed"
    assert [(s.partner, s.version) for s in signed.signatures] == [("a", 1), ("b", 1)]
    active = signed.activate()
    assert active.status == "active"
    closed = active.close()
    assert closed.status == "closed"
    with pytest.raises(InputInvalid, match="closed"):
        closed.edited(title="New title")
    with pytest.raises(InputInvalid, match="already closed"):
        closed.close()


def test_sign_rules():
    draft = demo_contract()
    with pytest.raises(InputInvalid, match="already signed"):
        draft.sign("a", AT).sign("a", AT)
    signed = draft.sign("a", AT).sign("b", AT)
    with pytest.raises(InputInvalid, match="only a draft can be signed"):
        signed.sign("a", AT)
    with pytest.raises(NotFound):
        draft.sign("c", AT)
    partners = (draft.partners[0].model_copy(update={"goals": []}), draft.partners[1])
    no_goals = draft.edited(partners=partners)
    with pytest.raises(InputInvalid, match="No goals yet for Priya Shah"):
        no_goals.sign("b", AT)


def test_activate_only_from_signed():
    with pytest.raises(InputInvalid, match="Only a signed contract"):
        demo_contract().activate()


def test_editing_an_unsigned_draft_keeps_the_version():
    draft = demo_contract()
    edited = draft.edited(title="Priya & Tom")
    assert (edited.title, edited.version, edited.status) == ("Priya & Tom", 1, "draft")
    assert draft.edited(title=draft.title) is draft


@pytest.mark.parametrize("step", ["half", "signed", "active"])
def test_editing_a_signed_contract_starts_a_new_draft_version(step):
    contract = demo_contract().sign("a", AT)
    if step != "half":
        contract = contract.sign("b", AT)
    if step == "active":
        contract = contract.activate()
    edited = contract.edited(review_date=dt.date(2026, 12, 14))
    assert (edited.version, edited.status, edited.signatures) == (2, "draft", [])
    assert edited.review_date == dt.date(2026, 12, 14)
    assert contract.version == 1 and contract.signatures  # old version unchanged for storage


def test_edited_rejects_lifecycle_fields_unknown_fields_and_bad_values():
    draft = demo_contract()
    with pytest.raises(InputInvalid) as exc:
        draft.edited(status="active")
    assert exc.value.field == "status"
    with pytest.raises(InputInvalid, match="no field 'titel'"):
        draft.edited(titel="x")
    with pytest.raises(InputInvalid) as exc:
        draft.edited(review_date=dt.date(2020, 1, 1))
    assert exc.value.field == "review_date"


def test_lookups():
    contract = demo_contract()
    assert contract.partner("b").name == "Tom Ellis"
    assert contract.goal("a", "g2").unit == "articles"
    assert [(p.id, g.id) for p, g in contract.all_goals()] == [("a", "g1"), ("a", "g2"), ("b", "g1"), ("b", "g2")]
    with pytest.raises(NotFound, match="no goal 'g9'") as exc:
        contract.goal("a", "g9")
    assert "g1, g2" in (exc.value.fix or "")
    with pytest.raises(NotFound):
        contract.partner("z")
