"""The weekly review's check-in offers the pair's last boss-rehearsal debrief."""

import datetime as dt

from kickcoach.flows.rehearsal import RehearsalFlow


def test_checkin_offers_the_last_rehearsal_debrief(quiet_flow, demo):
    before = quiet_flow.start("demo", dt.date(2026, 11, 23))
    assert "boss rehearsal" not in before.intro
    rehearsal = RehearsalFlow(demo)
    step = rehearsal.start("demo", "raise", "supportive")
    rehearsal.say("demo", step.rehearsal.id, "I'd like to ask for a 10% raise because I led the Q3 launch.")
    rehearsal.say("demo", step.rehearsal.id, "/end")
    view = quiet_flow.start("demo", dt.date(2026, 11, 30))
    assert view.kind == "checkin"
    assert "**Your last boss rehearsal**" in view.intro
    assert "I'd like to ask for a 10% raise" in view.intro  # the debrief cites the user's own line
