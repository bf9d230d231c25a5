import datetime as dt

import pytest

from kickcoach.core.errors import InputInvalid, NotFound
from kickcoach.programme.cohorts import AGREEMENT_DUE_WEEKS, TRIAL_WEEKS, new_programme, slugify

DAY = dt.date(2027, 1, 4)


def test_only_the_name_is_needed_and_defaults_follow_the_model():
    p = new_programme("Spring 2027", today=DAY)
    assert p.id == "spring-2027" and p.trial_start == DAY
    assert p.agreement_due == DAY + dt.timedelta(weeks=AGREEMENT_DUE_WEEKS) == dt.date(2027, 2, 1)
    assert p.trial_end == DAY + dt.timedelta(weeks=TRIAL_WEEKS)
    assert p.meeting_frequency == "monthly" and p.team_rule == "any" and p.period_days == 30


def test_moving_the_kickoff_moves_the_default_dates_with_it():
    p = new_programme("Spring", today=DAY).changed(trial_start=DAY + dt.timedelta(days=7))
    assert p.agreement_due == dt.date(2027, 2, 8) and p.trial_end == DAY + dt.timedelta(weeks=TRIAL_WEEKS, days=7)


@pytest.mark.parametrize("changes", [{"agreement_due": DAY - dt.timedelta(days=1)},
                                     {"trial_end": DAY}, {"meeting_frequency": "daily"}, {"team_rule": "mixed"}])
def test_bad_settings_are_refused_with_the_field(changes):
    with pytest.raises(InputInvalid):
        new_programme("Spring", today=DAY).changed(**changes)


def test_agreement_due_on_the_trial_edges_is_allowed():
    p = new_programme("Spring", today=DAY)
    assert p.changed(agreement_due=DAY).agreement_due == DAY
    assert p.changed(agreement_due=p.trial_end).agreement_due == p.trial_end


def test_slug_needs_letters_or_digits():
    assert slugify("  Spring 2027 / Data!  ") == "spring-2027-data"
    with pytest.raises(InputInvalid):
        slugify("!!!")


def test_store_finds_by_name_or_id_and_refuses_duplicates(programme_service, spring):
    assert programme_service.store.get("spring-2027") == programme_service.store.get("Spring 2027") == spring
    with pytest.raises(InputInvalid, match="already exists"):
        programme_service.create("Spring 2027")
    with pytest.raises(NotFound, match="Spring 2027"):
        programme_service.store.get("Autumn")
    updated = programme_service.update("spring-2027", meeting_frequency="weekly", name="Spring cohort")
    assert programme_service.store.get("Spring cohort").meeting_frequency == "weekly" == updated.meeting_frequency
