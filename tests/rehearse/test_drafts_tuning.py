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
