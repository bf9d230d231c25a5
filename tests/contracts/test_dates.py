"""Deadline phrases: a phrase that names no date gives None, never a past date."""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given
from hypothesis import strategies as st

from kickcoach.contracts.dates import find_when, parse_when

TODAY = dt.date(2026, 11, 23)


@given(st.integers(min_value=1, max_value=31), st.sampled_from(['"', "'", "\u201d", "\u2019", "", "."]))
@example(3, '"')  # found by Hypothesis: 'by 3"' read as the 3rd of this month, already past
def test_a_bare_day_number_names_no_date(n, mark):
    assert parse_when(f"by {n}{mark}", TODAY) is None


def test_quotes_around_a_real_date_do_not_hide_it():
    assert parse_when('by "31 March 2027"', TODAY) == dt.date(2027, 3, 31)
    span = find_when('Publish 4 articles by "March 2027".', TODAY)
    assert span is not None and span.date.year == 2027
