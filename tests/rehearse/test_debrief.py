"""The debrief: deterministic, behaviour-focused, every point quoting the user verbatim, what went well first."""

from __future__ import annotations

from kickcoach.flows.rehearsal_debrief import Exchange, answers, debrief


def scene(*lines: str) -> list[Exchange]:
    """Alternate boss and user lines, starting with the boss."""
    return [Exchange(role="boss" if i % 2 == 0 else "user", text=t) for i, t in enumerate(lines)]


def by_behaviour(report, behaviour, went_well):
    return [p for p in report.points if p.behaviour == behaviour and p.went_well is went_well]


def test_a_strong_run_is_seen_behaviour_by_behaviour_with_quotes():
    report = debrief(
        scene(
            "You wanted to see me. What's this about?",
            "Thanks for making time. I'd like to discuss my salary.",
            "Pay reviews happen once a year. Why now?",
            "Because I took on the client portal in March and cut reporting time from six hours to two.",
            "That's a big jump. What's it based on?",
            "It's based on the market rate for my role, about 6% above what I earn now.",
            "I can't promise anything before the review.",
            "I understand. Could we follow up at the June review?",
        )
    )
    assert [p.went_well for p in report.points] == [True] * len(report.points)
    assert by_behaviour(report, "ask", True)[0].evidence == "I'd like to discuss my salary."
    assert "six hours to two" in by_behaviour(report, "specifics", True)[0].evidence
    objections = by_behaviour(report, "objections", True)[0]
    assert "(3 of 3)" in objections.point
    assert by_behaviour(report, "next_step", True)[0].evidence == "Could we follow up at the June review?"


def test_missing_behaviours_say_what_was_not_seen_and_quote_the_nearest_line():
    lines = scene(
        "Okay. Is something wrong?",
        "The project has been really hard lately.",
        "Everyone's stretched, not just you.",
        "There were a lot of issues with the data.",
        "Are you saying I've been unfair?",
        "I want to push the deadline back.",
    )
    report = debrief(lines)
    user_lines = [x.text for x in lines if x.role == "user"]
    ask = by_behaviour(report, "ask", False)[0]
    assert "turn 3" in ask.point and ask.evidence == "I want to push the deadline back."
    assert by_behaviour(report, "specifics", False)[0].evidence in user_lines
    assert by_behaviour(report, "next_step", False)[0].evidence == user_lines[-1]
    missed = by_behaviour(report, "objections", False)[0]
    assert "Everyone's stretched, not just you." in missed.point and missed.evidence == user_lines[1]
    assert "2 of 2 went unanswered" in missed.point
    # what went well comes first, then what was not seen
    flags = [p.went_well for p in report.points]
    assert flags == sorted(flags, reverse=True)
    for point in report.points:
        assert any(point.evidence in line for line in user_lines)


def test_no_ask_at_all_quotes_the_first_line_and_no_user_lines_means_no_points():
    report = debrief(scene("Hi, come in.", "It's been a busy month.", "Tell me more about that.", "Lots going on."))
    ask = by_behaviour(report, "ask", False)[0]
    assert "not heard" in ask.point and ask.evidence == "It's been a busy month."
    assert debrief(scene("Hi, come in.")).points == []
    assert "Nothing to debrief" in debrief(scene("Hi, come in.")).markdown()


def test_answers_accepts_shared_words_reasons_and_yes_no():
    assert answers("Who else would pick it up?", "Jo could pick up the reporting part.")
    assert answers("What evidence do you have?", "Because the churn report cut losses by 3%.")
    assert answers("Is that date firm?", "Yes, the fixes are already in review.")
    assert not answers("Is that really down to you?", "Can we follow up next week?")


def test_public_points_and_markdown_lead_with_what_went_well():
    report = debrief(scene("Hi.", "I'd like a raise.", "Why now?", "I don't know.", "Okay.", "Thanks."))
    assert all(set(p) == {"point", "evidence"} for p in report.public())
    md = report.markdown()
    assert md.index("What went well") < md.index("Not seen this time")
    assert "> “I'd like a raise.”" in md
