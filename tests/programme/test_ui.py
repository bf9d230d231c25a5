"""Programme tabs' handlers without a browser: the facilitator seam, the flow, the participant seam."""

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from kickcoach.programme.access import CLI, is_facilitator, participant_email
from kickcoach.ui.programme_participant_tab import ParticipantHandlers
from kickcoach.ui.programme_tab import NOT_ALLOWED, ProgrammeHandlers

TODAY = dt.date(2027, 1, 4)
LOCAL = SimpleNamespace(username=None)


def test_facilitator_seam(settings, tmp_path):
    assert is_facilitator(CLI, settings) and is_facilitator(None, settings)
    users = tmp_path / "users.yaml"
    users.write_text("fay: {password: x, pair_id: demo}\nada: {password: y, pair_id: demo, email: Ada@Example.org}\n")
    with_logins = settings.model_copy(update={"users_file": users})
    assert not is_facilitator(None, with_logins) and not is_facilitator("fay", with_logins)
    with_logins = with_logins.model_copy(update={"facilitator": "Fay, someone"})
    assert is_facilitator("fay", with_logins) and not is_facilitator("ada", with_logins)
    assert participant_email("ada", with_logins) == "ada@example.org"
    assert participant_email("bo@x.org", with_logins) == "bo@x.org" and participant_email(None, with_logins) is None


def test_only_the_facilitator_can_act(services, tmp_path):
    users = tmp_path / "users.yaml"
    users.write_text("ada: {password: y, pair_id: demo}\n")
    services.settings = services.settings.model_copy(update={"users_file": users})
    handlers = ProgrammeHandlers(services, today=TODAY)
    assert NOT_ALLOWED in handlers.create("Spring", SimpleNamespace(username="ada"))
    assert handlers.service.store.programmes() == []


def test_facilitator_and_participant_walk(services, tmp_path, small_csv):
    fac = ProgrammeHandlers(services, today=TODAY)
    me = ParticipantHandlers(services, fac)
    assert "✅" in fac.create("Spring 2027", LOCAL)
    csv = tmp_path / "c.csv"
    csv.write_text(small_csv)
    assert "4 new" in fac.import_csv("Spring 2027", str(csv), LOCAL)
    status, rows, unpaired = fac.match("Spring 2027", LOCAL)
    assert "2 pairs proposed" in status and len(rows) == 2 and unpaired == "Everyone is paired."
    assert "being prepared" in me.my_pair("Spring 2027", "ada@example.org", LOCAL)
    assert "Published 2 pairs" in fac.publish("Spring 2027", LOCAL)
    assert "Say which participant" in me.accept("Spring 2027", "", LOCAL)
    assert "ben@example.org" in me.my_pair("Spring 2027", "ada@example.org", LOCAL)
    for email in ("ada@example.org", "ben@example.org"):
        assert "Accepted" in me.accept("Spring 2027", email, LOCAL)
    assert "now draft" in me.sign("Spring 2027", "ada@example.org", LOCAL)
    assert "now signed" in me.sign("Spring 2027", "ben@example.org", LOCAL)
    assert "recorded" in me.meeting("Spring 2027", "ada@example.org", "", True, LOCAL)
    assert "never to your partner" in me.checkin("Spring 2027", "ada@example.org", 4, 5, "Good", "More time", LOCAL)
    summary, at_risk, risks, trend, csv_path = fac.dashboard("Spring 2027", LOCAL)
    assert "1 signed in all" in summary and len(trend) == 2 and len(risks) == 4 and list(at_risk.columns)
    assert Path(csv_path).read_text().startswith("pair_id")
    table, ics_path = fac.nudges_file("Spring 2027", LOCAL)
    assert Path(ics_path).read_text().startswith("BEGIN:VCALENDAR") and "Meet by" in " ".join(table["nudge"])


@pytest.mark.parametrize("bad", ["not-a-date", "2027-13-01"])
def test_meeting_date_must_be_iso(services, bad):
    me = ParticipantHandlers(services, ProgrammeHandlers(services, today=TODAY))
    assert "YYYY-MM-DD" in me.meeting("Spring", "ada@example.org", bad, False, LOCAL)
