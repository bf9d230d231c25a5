"""YAML in/out (errors with path and line, lossless round trip), Markdown, iCalendar, demo, clauses."""

from __future__ import annotations

import datetime as dt
import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from kickcoach.contracts import (
    Cadence,
    Contract,
    Goal,
    Partner,
    Signature,
    Terms,
    check_goal,
    contract_clauses,
    demo_contract,
    dump_yaml,
    load_yaml,
    to_ics,
    to_markdown,
)
from kickcoach.core.errors import InputInvalid

TODAY = dt.date(2026, 11, 23)


def demo_yaml() -> str:
    return dump_yaml(demo_contract())


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


# --- the demo --------------------------------------------------------------------------------------
def test_demo_contract_is_a_realistic_draft():
    c = demo_contract()
    assert (c.pair_id, c.status, c.version) == ("demo", "draft", 1)
    assert [p.name for p in c.partners] == ["Priya Shah", "Tom Ellis"]
    assert 35 <= (TODAY - c.start_date).days <= 49
    assert c.review_date and c.review_date > TODAY
    assert c.cadence.frequency == "weekly"
    for partner in c.partners:
        assert len(partner.goals) == 2 and partner.offers and partner.needs
        for goal in partner.goals:
            assert goal.target_value is not None and goal.deadline and goal.indicators and goal.how


def test_every_demo_goal_passes_the_smart_checker():
    c = demo_contract()
    for partner, goal in c.all_goals():
        verdict = check_goal(goal, today=TODAY, needs=partner.needs, aims=partner.aims)
        assert verdict.passed, (partner.name, goal.id, verdict.failed)


# --- YAML round trip -------------------------------------------------------------------------------
def test_dump_is_plain_yaml_in_model_order():
    text = demo_yaml()
    assert "!!" not in text
    assert text.startswith("pair_id: demo\ntitle: ")
    assert "  time: '12:30'\n" in text
    assert "start_date: 2026-10-12\n" in text  # ISO, unquoted
    assert "null" not in text  # unset optional fields are left out
    assert load_yaml(text) == demo_contract()
    assert dump_yaml(load_yaml(text)) == text


def test_unquoted_meeting_time_is_read_as_text():
    text = demo_yaml().replace("time: '12:30'", "time: 12:30")
    assert load_yaml(text).cadence.time == dt.time(12, 30)


_TEXT = (
    st.text(alphabet=string.ascii_letters + string.digits + " .,:;!?'\"#&-–’éüçß€\n", min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)
_DATES = st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31))
_TZ = st.none() | st.just(dt.UTC) | st.integers(-12 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
_FLOATS = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def goals(draw, index: int) -> Goal:
    start = draw(st.none() | _DATES)
    deadline = draw(st.none() | _DATES)
    if start and deadline and deadline < start:
        start, deadline = deadline, start
    return Goal(
        id=f"g{index}",
        what=draw(_TEXT),
        how=draw(st.lists(_TEXT, max_size=3)),
        target=draw(_TEXT),
        target_value=draw(st.none() | _FLOATS),
        unit=draw(st.none() | _TEXT),
        start_value=draw(_FLOATS),
        start_date=start,
        deadline=deadline,
        timeframe=draw(st.none() | _TEXT),
        indicators=draw(st.lists(_TEXT, max_size=3)),
        relevant_to=draw(st.none() | _TEXT),
        status=draw(st.sampled_from(["not_started", "on_track", "behind", "done", "dropped"])),
    )


@st.composite
def partners(draw, pid: str) -> Partner:
    count = draw(st.integers(0, 3))
    return Partner(
        id=pid,
        name=draw(_TEXT),
        role=draw(st.none() | _TEXT),
        organisation=draw(st.none() | _TEXT),
        goals=[draw(goals(i)) for i in range(1, count + 1)],
        offers=draw(st.lists(_TEXT, max_size=3)),
        needs=draw(st.lists(_TEXT, max_size=3)),
        aims=draw(st.none() | _TEXT),
    )


@st.composite
def contracts(draw) -> Contract:
    start = draw(_DATES)
    version = draw(st.integers(1, 5))
    status = draw(st.sampled_from(["draft", "signed", "active", "closed"]))
    signers = ["a", "b"] if status in ("signed", "active") else draw(st.sampled_from([[], ["a"], ["b"], ["b", "a"]]))
    if status == "draft" and len(signers) == 2:
        signers = signers[:1]
    at = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2090, 1, 1), timezones=_TZ)
    return Contract(
        pair_id=draw(st.from_regex(r"[a-z0-9][a-z0-9_-]{0,20}", fullmatch=True)),
        title=draw(_TEXT),
        version=version,
        status=status,
        partners=(draw(partners("a")), draw(partners("b"))),
        cadence=Cadence(
            frequency=draw(st.sampled_from(["weekly", "fortnightly", "monthly"])),
            weekday=draw(st.none() | st.sampled_from(["monday", "thursday", "sunday"])),
            time=draw(st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0))),
            duration_minutes=draw(st.integers(5, 480)),
            channel=draw(st.none() | _TEXT),
        ),
        terms=Terms(
            accountability=draw(_TEXT),
            confidentiality=draw(_TEXT),
            feedback_rules=draw(st.lists(_TEXT, min_size=1, max_size=3)),
        ),
        start_date=start,
        review_date=draw(st.none() | st.integers(1, 400).map(lambda d: start + dt.timedelta(days=d))),
        signatures=[Signature(partner=p, signed_at=draw(at), version=version) for p in signers],
    )


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contracts())
def test_yaml_round_trip_is_lossless_and_stable(contract):
    text = dump_yaml(contract)
    again = load_yaml(text)
    assert again == contract
    assert dump_yaml(again) == text


# --- YAML errors -----------------------------------------------------------------------------------
def test_typo_names_the_field_the_line_and_the_likely_fix():
    text = demo_yaml().replace("    deadline: 2027-02-26", "    dedline: 2027-02-26")
    with pytest.raises(InputInvalid) as exc:
        load_yaml(text)
    err = exc.value
    assert err.field == "partners.0.goals.1.dedline"
    assert err.line == line_of(text, "dedline:")
    assert f"partners.0.goals.1.dedline (line {err.line})" in err.message
    assert "did you mean 'deadline'?" in (err.fix or "")


def test_bad_date_names_the_field_and_line():
    text = demo_yaml().replace("deadline: 2027-02-26", "deadline: end of Feb")
    with pytest.raises(InputInvalid) as exc:
        load_yaml(text)
    assert exc.value.field == "partners.0.goals.1.deadline"
    assert exc.value.line == line_of(text, "deadline: end of Feb")
    assert "YYYY-MM-DD" in (exc.value.fix or "")


def test_missing_field_points_at_its_parent():
    text = demo_yaml().replace("  accountability: ", "  accountabilty: ")
    with pytest.raises(InputInvalid) as exc:
        load_yaml(text)
    assert exc.value.field in {"terms.accountability", "terms.accountabilty"}
    assert "terms.accountability" in exc.value.message and "terms.accountabilty" in exc.value.message


def test_cross_field_rule_reports_its_own_field_and_line():
    text = demo_yaml().replace("review_date: 2026-12-07", "review_date: 2026-01-01")
    with pytest.raises(InputInvalid) as exc:
        load_yaml(text)
    assert (exc.value.field, exc.value.line) == ("review_date", line_of(text, "review_date:"))


def test_partner_order_error_points_into_the_partner():
    text = demo_yaml().replace("- id: b\n", "- id: a\n")
    with pytest.raises(InputInvalid) as exc:
        load_yaml(text)
    assert exc.value.field == "partners.1.id"
    assert exc.value.line == line_of(text, "- id: a", occurrence=2)


def test_malformed_yaml_gives_the_line():
    text = demo_yaml().replace("title: Priya", "title: [Priya", 1)
    with pytest.raises(InputInvalid, match="not valid YAML") as exc:
        load_yaml(text)
    assert exc.value.line is not None and exc.value.line >= 2


def test_duplicate_keys_are_errors():
    text = demo_yaml().replace("title: ", "title: First\ntitle: ", 1)
    with pytest.raises(InputInvalid, match="appears twice") as exc:
        load_yaml(text)
    assert (exc.value.field, exc.value.line) == ("title", 3)


@pytest.mark.parametrize("text", ["", "- just\n- a list\n", "hello"])
def test_non_mapping_files_are_rejected(text):
    with pytest.raises(InputInvalid, match="must be a mapping"):
        load_yaml(text)


# --- Markdown and iCalendar ------------------------------------------------------------------------
def test_markdown_is_complete_and_readable():
    signed = demo_contract().sign("a", dt.datetime(2026, 11, 23, 9, 30))
    md = to_markdown(signed)
    assert md.startswith("# Priya and Tom's peer-mentoring contract\n")
    for heading in (
        "## Priya Shah (Data analyst, Northwind Retail)",
        "### Goal 2: Publish 4 articles",
        "### Tom Ellis offers",
        "### Tom Ellis needs",
        "## Meetings",
        "## Accountability",
        "## Confidentiality",
        "## Feedback rules",
        "## Signatures",
    ):
        assert heading in md
    assert "**Deadline:** 2027-02-26" in md
    assert "- One draft sent to Tom every three weeks." in md
    assert "Weekly on Thursdays at 12:30 for 45 minutes, video call." in md
    assert "- Priya Shah: signed version 1 on 2026-11-23 09:30" in md
    assert "- Tom Ellis: not signed yet" in md


def event_of(ics: str):
    events = [c for c in Calendar.from_ical(ics).walk() if c.name == "VEVENT"]
    assert len(events) == 1
    return events[0]


def test_ics_weekly_event():
    ics = to_ics(demo_contract())
    event = event_of(ics)
    assert str(event["summary"]) == "Peer mentoring: Priya Shah & Tom Ellis"
    assert str(event["uid"]) == "peer-mentoring-demo@kickcoach"
    assert event.decoded("dtstart") == dt.datetime(2026, 10, 15, 12, 30)  # first Thursday on/after 12 Oct
    assert event.decoded("duration") == dt.timedelta(minutes=45)
    rule = event["rrule"]
    assert (rule["FREQ"], rule["COUNT"], rule["BYDAY"]) == (["WEEKLY"], [12], ["TH"])
    assert to_ics(demo_contract()) == ics  # deterministic


@pytest.mark.parametrize(
    ("frequency", "weekday", "start", "expected_rule", "first"),
    [
        (
            "fortnightly",
            "monday",
            dt.date(2026, 10, 12),
            {"FREQ": ["WEEKLY"], "INTERVAL": [2], "BYDAY": ["MO"]},
            dt.date(2026, 10, 12),
        ),
        ("monthly", "thursday", dt.date(2026, 10, 12), {"FREQ": ["MONTHLY"], "BYDAY": ["3TH"]}, dt.date(2026, 10, 15)),
        ("monthly", "friday", dt.date(2026, 10, 28), {"FREQ": ["MONTHLY"], "BYDAY": ["-1FR"]}, dt.date(2026, 10, 30)),
        ("weekly", None, dt.date(2026, 10, 14), {"FREQ": ["WEEKLY"]}, dt.date(2026, 10, 14)),
    ],
)
def test_ics_recurrence_rules(frequency, weekday, start, expected_rule, first):
    c = demo_contract()
    c = c.edited(
        start_date=start,
        review_date=None,
        cadence=c.cadence.model_copy(update={"frequency": frequency, "weekday": weekday}),
    )
    event = event_of(to_ics(c, count=6))
    rule = dict(event["rrule"])
    assert rule.pop("COUNT") == [6]
    assert rule == expected_rule
    assert event.decoded("dtstart").date() == first


def test_ics_without_a_time_is_all_day():
    c = demo_contract()
    c = c.edited(cadence=c.cadence.model_copy(update={"time": None}))
    assert event_of(to_ics(c)).decoded("dtstart") == dt.date(2026, 10, 15)
    with pytest.raises(InputInvalid):
        to_ics(c, count=0)


# --- clauses ---------------------------------------------------------------------------------------
def test_contract_clauses_are_self_contained_and_stable():
    c = demo_contract()
    clauses = contract_clauses(c)
    ids = [x.id for x in clauses]
    assert len(ids) == len(set(ids)) == 4 * 3 + 2 * 2 + 5
    assert {x.pair_id for x in clauses} == {"demo"}
    by_id = {x.id: x for x in clauses}
    indicators = by_id["demo:a:g2:indicators"]
    assert indicators.path == "Contract › Priya › Goal 2 › Indicators"
    assert indicators.text.startswith("Priya's goal 2 indicators: One draft sent to Tom every three weeks;")
    assert "deadline 2027-01-15" in by_id["demo:b:g1:target"].text
    assert by_id["demo:b:offers"].text.startswith("Tom (Product manager, Northwind Retail) offers Priya: Presentation")
    assert "Thursdays at 12:30" in by_id["demo:cadence"].text
    assert "stays between us" in by_id["demo:confidentiality"].text
    assert "never the person" in by_id["demo:feedback"].text
    assert "status draft" in by_id["demo:dates"].text and "not signed yet" in by_id["demo:dates"].text
    assert [x.id for x in contract_clauses(c.edited(title="Renamed"))] == ids  # ids do not depend on content


def test_yaml_file_on_disk_is_the_same_contract(tmp_path):
    path = tmp_path / "contract.yaml"
    path.write_text(demo_yaml(), encoding="utf-8")
    assert load_yaml(path.read_text(encoding="utf-8")) == demo_contract()
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["partners"][1]["name"] == "Tom Ellis"


def test_yaml_is_read_once_as_yaml_1_2_with_lines_from_the_parser():
    from kickcoach.core.yamlfile import line_of, parse

    root, data = parse("cadence:\n  time: 12:30\n  flag: yes\nitems:\n  - a\n  - b\n", "file")
    assert data == {"cadence": {"time": "12:30", "flag": "yes"}, "items": ["a", "b"]}  # no base-60, no yes/no bools
    assert line_of(root, ("cadence", "time")) == 2 and line_of(root, ("items", 1)) == 6
    assert line_of(root, ("cadence", "missing")) == 1  # a missing field points at its parent


def test_strings_that_yaml_1_2_would_read_as_numbers_are_quoted():
    from kickcoach.contracts import demo_contract

    contract = demo_contract()
    partner = contract.partners[1].model_copy(update={"aims": "08"})
    odd = contract.model_copy(update={"partners": (contract.partners[0], partner)})
    text = dump_yaml(odd)
    assert "aims: '08'" in text
    assert load_yaml(text) == odd
