"""A boss who argues about this ask (issue #20): scripted talks on the tuning asks, the facts read from the
person's words, style aliases and descriptions, and whole-sentence tips."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kickcoach.evals.drafts_rehearsal import score
from kickcoach.flows.rehearsal import library
from kickcoach.flows.rehearsal.facts import read_facts
from kickcoach.text.wellformed import line_problems

TUNING = Path(__file__).resolve().parents[2] / "evals" / "tuning" / "boss_asks.yaml"
PAIR = "demo"


def test_the_tuning_figures_hold(flow):
    cases = yaml.safe_load(TUNING.read_text(encoding="utf-8"))
    assert len(cases) >= 12 and {c["style"] for c in cases} == {"sceptical", "busy", "protective", "detail"}
    figures = score(flow, cases)
    assert figures.talks == 2 * len(cases) >= 20
    assert figures.talks_two_facts >= 38  # measured 38 / 40: a raise whose ask pre-empts two concerns raises one
    assert min(figures.fact_concerns) >= 1
    assert figures.dodges >= 40 and figures.dodge_credited == 0 and figures.dodge_conceded == 0
    assert figures.ill_formed == 0 and figures.boss_lines >= 150 and figures.tips >= figures.talks
    assert figures.debriefs_naming_all == figures.talks
    assert figures.answers_quoted == figures.answers > 0


def test_the_migration_example_names_the_facts(flow):
    step = flow.start(PAIR, "custom", style="protective", description="lead the next phase of the data migration")
    text = "I'd like to lead the next phase of the data migration. I can hand my support tickets to Sam for two weeks."
    step = flow.say(PAIR, step.rehearsal.id, text)
    assert step.shown[0].text == "If you lead the data migration, who takes your support tickets for two weeks?"
    step = flow.say(PAIR, step.rehearsal.id, "Could we agree that I present the plan at Thursday's staff meeting?")
    line = step.rehearsal.transcript[-1]
    assert (line.move, line.concern) == ("press", "capacity")  # not an answer: pressed again, differently
    assert line.text != step.rehearsal.transcript[-3].text and "the data migration" in line.text


def test_facts_come_from_the_persons_own_words():
    facts = read_facts(["I'd love to join the platform team's hackathon next week; Marco offered to take my on-call shifts."])
    assert (facts.project, facts.person, facts.duty, facts.date) == (
        "the platform team's hackathon", "Marco", "your on-call shifts", "next week"
    )
    assert read_facts(["I'd like to work from home on Fridays."]).person == ""  # Fridays is not a person


@pytest.mark.parametrize(
    ("described", "style"),
    [
        ("She's always rushing between meetings and checks her phone.", "busy"),
        ("He wants the numbers and doubts everything until he sees proof.", "sceptical"),
        ("Very protective of the team, says everyone is stretched.", "defensive"),
        ("Methodical, wants every detail of the plan step by step.", "supportive"),
    ],
)
def test_a_description_of_the_boss_picks_the_style(described, style):
    assert library().style_for(described, "supportive") == style


def test_style_aliases_and_starting_from_a_description(flow):
    lib = library()
    assert (lib.style_id("protective"), lib.style_id("detail"), lib.style_id("Busy")) == ("defensive", "supportive", "busy")
    step = flow.start(PAIR, "custom", style="supportive", description="ask to lead the vendor audit",
                      boss="Always in a hurry, five minutes between meetings.")
    assert step.rehearsal.style == "busy" and "My boss: Always in a hurry" in step.rehearsal.details


def test_a_raise_asks_about_the_cost_not_the_risk():
    assert library().agenda("custom", "sceptical", "I'm asking for a 10% raise") == ["evidence", "cost", "timing"]


@pytest.mark.parametrize(
    "cut",
    [
        "Ask early, but it's not always possible;",
        "I'll back it, and let's go with for your review.",
        "Bring the numbers and",
        "bring the numbers.",
    ],
)
def test_cut_off_and_broken_lines_are_caught(cut):
    assert line_problems(cut)


def test_whole_lines_pass():
    assert line_problems("If you lead the data migration, who takes your support tickets in release week?") == []
    assert line_problems("Give at least 3 talks, each of at least 10 minutes.") == []


# --- the classes of ask where the reader found fewer than two facts (issue #20, item 1) ---------------------------

TUNING_2 = TUNING.with_name("boss_asks_2.yaml")


@pytest.mark.parametrize(
    ("ask", "phrase"),
    [
        ("What I'm asking is to move into the analytics team for a six-month trial.", "moving into the analytics team"),
        ("Would it be okay if I skipped the Monday stand-ups for the next month?", "skipping the Monday stand-ups"),
        ("My hope is that I could mentor Aisha on the reporting work, maybe an hour a week.",
         "mentoring Aisha on the reporting work"),
        ("I'm hoping you'll approve the conference trip to Berlin.", "the conference trip"),
        ("It would mean a lot to me to be the one who runs the quarterly retro from now on.", "running the quarterly retro"),
        ("I was wondering whether it might be possible for me to take over the supplier audits.",
         "taking over the supplier audits"),
        ("Could we hire a contractor for 3 wks to clear the backlog of 120 tickets?", "hiring a contractor"),
        ("I'd like to formally own the triage rota from next month.", "formally owning the triage rota"),
        ("Can you let me lead the vendor review?", "leading the vendor review"),
        ("I think I should lead the vendor review.", "leading the vendor review"),
        ("Let me take over the vendor review.", "taking over the vendor review"),
        ("How about I lead the vendor review?", "leading the vendor review"),
        ("I would love the opportunity to lead the vendor review.", "leading the vendor review"),
        ("I'm volunteering to lead the vendor review.", "leading the vendor review"),
        ("I'd be interested in leading the vendor review.", "leading the vendor review"),
    ],
)
def test_asks_in_indirect_voice_are_read_as_asks(ask, phrase):
    from kickcoach.flows.rehearsal.boss import ask_phrase
    from kickcoach.flows.rehearsal.checks import injection
    from kickcoach.flows.rehearsal.state import ASK

    assert ASK.search(ask) and not injection(ask)
    assert ask_phrase(ask) == phrase


def test_a_long_ask_is_read_from_its_own_sentence_and_its_context():
    long_ask = ("So, the support queue has doubled since spring and nobody owns the triage. "
                "I'd like to formally own the triage rota from next month.")
    assert (read_facts([long_ask]).project, read_facts([long_ask]).date) == ("the triage rota", "next month")
    context = ("Our onboarding docs are out of date and new starters keep asking the same questions. I want to rewrite "
               "them. Jonas said he'd take my Friday releases while I do.")
    facts = read_facts([context])
    assert (facts.project, facts.person, facts.duty) == ("the onboarding docs", "Jonas", "your Friday releases")


@pytest.mark.parametrize(
    ("ask", "person", "number"),
    [
        ("Can I take the 14th to the 21st off? Dr. Okafor agreed to cover my clinic.", "Okafor", ""),
        ("I'd like to hand the weekly KPI pack to Jo-Anne from mid-March.", "Jo-Anne", ""),
        ("I want to move to the Dublin team after Easter; O'Neill has room for one more.", "O'Neill", ""),
        ("I'd like to run the new-hire bootcamp on 3/10.", "", ""),
        ("Could we hire a contractor for 3 wks to clear the backlog of 120 tickets?", "", "120 tickets"),
        ("I'm asking to cut the release checklist from forty steps to twelve.", "", "forty steps"),
        ("Is there any chance the team could let me lead the API redesign?", "", ""),
    ],
)
def test_names_numbers_and_dates_in_odd_forms(ask, person, number):
    facts = read_facts([ask])
    assert (facts.person, facts.number) == (person, number)


def test_every_second_tuning_ask_is_read_and_names_its_facts():
    from kickcoach.evals.drafts_rehearsal import _names
    from kickcoach.flows.rehearsal.boss import ask_phrase
    from kickcoach.flows.rehearsal.checks import sentences
    from kickcoach.flows.rehearsal.state import ASK

    cases = yaml.safe_load(TUNING_2.read_text(encoding="utf-8"))
    assert len(cases) >= 30 and {c["style"] for c in cases} == {"sceptical", "busy", "protective", "detail"}
    for case in cases:
        asked = [s for s in sentences(case["ask"]) if ASK.search(s)]
        assert asked, case["id"]
        facts = read_facts([case["ask"]])
        facts.want = ask_phrase(asked[0])
        named = [v for v in [*facts.slots().values(), facts.want] if v and _names(v, case["facts"])]
        assert named, case["id"]  # the boss has at least one of the person's own facts to name


def test_a_description_of_the_boss_adds_the_concerns_it_names(flow):
    lib = library()
    assert lib.agenda("custom", "busy", "lead the audit", "She always asks what it will cost.") == [
        "need", "cost", "evidence", "capacity", "risk"
    ]
    assert lib.agenda("custom", "busy", "lead the audit", "He hates surprises.")[:2] == ["need", "risk"]
    assert lib.agenda("custom", "busy", "lead the audit") == ["need", "evidence", "capacity", "risk"]
    step = flow.start(PAIR, "custom", style="supportive", description="I'd like to run the customer survey.",
                      boss="Always rushing between meetings, and she worries about the budget.")
    assert step.rehearsal.style == "busy" and step.rehearsal.agenda[:2] == ["need", "cost"]
    again = flow.replay(PAIR, step.rehearsal.id)
    assert again.rehearsal.boss == step.rehearsal.boss and again.rehearsal.agenda == step.rehearsal.agenda


def test_the_second_tuning_figures_hold(flow):
    figures = score(flow, yaml.safe_load(TUNING_2.read_text(encoding="utf-8")))
    assert figures.talks == 64
    assert figures.talks_two_facts >= 62  # measured 62 / 64: a fee for a course with no project noun names one
    assert min(figures.fact_concerns) >= 1
    assert figures.dodge_credited == 0 and figures.dodge_conceded == 0 and figures.ill_formed == 0
    assert figures.debriefs_naming_all == figures.talks
