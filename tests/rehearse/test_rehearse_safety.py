"""Safety before the scene: risk in a rehearsal line or set-up gets the help reply, and the talk pauses."""

from __future__ import annotations

from kickcoach.safety.reply import default_contacts

PAIR = "demo"
RISK_LINE = "Honestly I don't see the point of living anymore, this job is the last thing I have."


def test_a_risk_line_gets_help_instead_of_the_boss_and_the_talk_pauses(flow):
    step = flow.start(PAIR, "raise", "sceptical")
    step = flow.say(PAIR, step.rehearsal.id, RISK_LINE)
    assert [s.role for s in step.shown] == ["coach"]
    assert "more than a peer-mentoring coach" in step.shown[0].text
    saved = flow.get(PAIR, step.rehearsal.id)
    assert saved.status == "paused" and saved.transcript[-1].role == "user" and saved.transcript[-1].text == RISK_LINE
    assert saved.asides[-1].safety and saved.asides[-1].safety["category"] == "suicide_selfharm"
    assert flow.say(PAIR, step.rehearsal.id, "/resume").rehearsal.status == "playing"


def test_a_harassment_set_up_opens_paused_with_help_first(flow):
    step = flow.start(PAIR, "custom", "supportive",
                      description="Ask my boss to stop touching my shoulders and commenting on my body in meetings")
    assert step.shown[0].role == "coach" and default_contacts().hr in step.shown[0].text
    assert step.rehearsal.status == "paused"


def test_after_the_debrief_risk_still_gets_help(flow):
    step = flow.start(PAIR, "raise", "supportive")
    ended = flow.end(PAIR, step.rehearsal.id)
    after = flow.say(PAIR, ended.rehearsal.id, "My husband hit me again last night, I can't focus on any of this.")
    assert after.shown[0].role == "coach" and "not your fault" in after.shown[0].text
