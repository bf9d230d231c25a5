"""The line banks (banks/<style>.yaml, scenarios.yaml): in character, no flattery, the right kind of line."""

from __future__ import annotations

import re

from kickcoach.evals.rehearse_judge import concession, pushback, strict_problems, topic_words
from kickcoach.flows.rehearsal import Rehearsal, library, persona_card
from kickcoach.flows.rehearsal.checks import check_boss_line, concedes, new_code, sycophantic

SLOTS = {"ask": "presenting the Q3 results", "number": "12%", "next_step": "the June meeting", "goal": "presenting the Q4 sales results",
         "topic": "the cost", "question": "how it fits the budget"}


def filled(template: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SLOTS[m.group(1)], template)


def all_lines():
    lib = library()
    for style in lib.styles.values():
        for kind, lines in style.bank.items():
            for line in lines:
                yield style.id, kind, filled(line)
        for concern, lines in style.objection.items():
            for line in lines:
                yield style.id, f"objection:{concern}", filled(line)
    for scenario in lib.scenarios.values():
        for concern, lines in scenario.objection.items():
            for line in lines:
                yield scenario.id, f"objection:{concern}", filled(line)


def test_every_bank_line_passes_both_checkers_and_never_flatters():
    lines = list(all_lines())
    assert len(lines) > 150
    for owner, kind, line in lines:
        assert check_boss_line(line, boss_name="Sam") == [], (owner, kind, line)
        assert strict_problems(line, boss_name="Sam") == [], (owner, kind, line)
        assert not sycophantic(line), (owner, kind, line)


def test_objections_probes_and_presses_push_back_on_topic_and_never_concede():
    topic = topic_words([])
    for owner, kind, line in all_lines():
        if kind.startswith("objection") or kind in ("ask_probe", "press", "probe"):
            assert not concedes(line) and not concession(line), (owner, kind, line)
            assert pushback(line, topic), (owner, kind, line)


def test_concessions_concede_for_both_the_flow_and_the_eval():
    for owner, kind, line in all_lines():
        if kind in ("concede", "agree"):
            assert concedes(line) and concession(line), (owner, line)


def test_every_style_covers_every_concern_and_differs_in_what_it_raises_first():
    lib = library()
    firsts = {style.id: style.concerns[0] for style in lib.styles.values()}
    assert firsts == {"supportive": "plan", "busy": "need", "sceptical": "evidence", "defensive": "capacity"}
    assert lib.styles["busy"].patience.normal < lib.styles["supportive"].patience.normal
    for style in lib.styles.values():
        assert set(style.objection) == set(lib.concerns)
        assert style.patience.hard < style.patience.normal
    assert lib.agenda("raise", "sceptical") == ["evidence", "risk", "cost", "timing"]
    assert lib.agenda("custom", "busy") == ["need", "evidence", "capacity", "risk"]


def test_no_bank_line_repeats_a_persona_card():
    """A prepared line must not share a run of words with the card it stands in for (the eval counts that as a leak)."""
    lib = library()
    for scenario in lib.scenarios.values():
        for style in lib.styles.values():
            rehearsal = Rehearsal(scenario=scenario.id, title=scenario.title, ask=scenario.ask, concern=scenario.concern,
                                  style=style.id, code=new_code())
            card = persona_card(rehearsal)
            for _, _, line in all_lines():
                assert "persona card leaked" not in strict_problems(line, code=rehearsal.code, card=card), (line, scenario.id)
