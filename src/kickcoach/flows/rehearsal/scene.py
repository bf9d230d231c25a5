"""The scene's set-up, read from the saved rehearsal: the rules of the talk, its state, the persona card, the
contract goals a rehearsal can start from, and the facts of the person's ask (their own words)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kickcoach.core import prompts
from kickcoach.flows.rehearsal.boss import LEVELS, ask_phrase
from kickcoach.flows.rehearsal.checks import sentences
from kickcoach.flows.rehearsal.facts import AskFacts, read_facts
from kickcoach.flows.rehearsal.library import Level, library
from kickcoach.flows.rehearsal.models import GoalSeed, Rehearsal
from kickcoach.flows.rehearsal.state import ASK, TalkState, read_talk

if TYPE_CHECKING:
    from kickcoach.services import Services

SENTENCES = {1: "one short sentence", 2: "one or two short sentences", 3: "one to three short sentences"}


def _rules(rehearsal: Rehearsal) -> dict[str, Any]:
    lib = library()
    level: Level = rehearsal.level
    agenda = rehearsal.agenda or lib.agenda(rehearsal.scenario, rehearsal.style, rehearsal.ask)
    patience = getattr(lib.styles[rehearsal.style].patience, level)
    return {"agenda": agenda, "patience": patience, **LEVELS[level]}


def talk_state(rehearsal: Rehearsal) -> TalkState:
    """The state of this rehearsal's talk so far (what the boss's next move and the debrief are read from)."""
    return read_talk(rehearsal.transcript, **_rules(rehearsal))


def persona_variables(rehearsal: Rehearsal, move: str = "") -> dict[str, str]:
    """The persona card's variables for this rehearsal (prompts/rehearse/boss); ``move`` is the boss's next move."""
    style = library().styles[rehearsal.style]
    details = f" Details: {rehearsal.details.rstrip('.')}." if rehearsal.details else ""
    return {
        "boss_name": rehearsal.boss_name,
        "style": style.card,
        "ask": rehearsal.ask,
        "concern": rehearsal.concern,
        "details": details + (rehearsal.goal.sentence() if rehearsal.goal else ""),
        "sentences": SENTENCES[style.max_sentences],
        "code": rehearsal.code,
        "move": move,
    }


def persona_card(rehearsal: Rehearsal) -> str:
    """The system text the model sees as the boss, without the move (the leak checks compare replies against it)."""
    return str(prompts.load("rehearse/boss").render(**persona_variables(rehearsal), history=[], message="")[0].content)


def goal_choices(services: Services, pair_id: str) -> list[tuple[str, GoalSeed]]:
    """The goals in the pair's contract, as (partner id, seed); empty when there is no contract (yet)."""
    try:
        from kickcoach.contracts.service import load_contract
    except ImportError:  # the contracts package is optional for this flow
        return []
    contract = load_contract(services, pair_id)
    if contract is None:
        return []
    return [
        (
            partner.id,
            GoalSeed(partner=partner.name, goal_id=goal.id, what=goal.what, target=goal.target, deadline=goal.deadline),
        )
        for partner, goal in contract.all_goals()
    ]


def ask_facts(rehearsal: Rehearsal) -> AskFacts:
    """The facts of the ask from the person's own words: a custom ask, the details, the goal, then their lines."""
    texts = [rehearsal.ask if rehearsal.scenario == "custom" else "", rehearsal.details]
    if rehearsal.goal:
        texts.append(rehearsal.goal.what)
    for line in (x for x in rehearsal.transcript if x.role == "user"):  # the person's lines up to their ask
        texts.append(line.text)
        if ASK.search(line.text.replace("’", "'")):
            break
    facts = read_facts(texts)
    asked = next((s for t in texts for s in sentences(t) if ASK.search(s.replace("’", "'"))), "")
    facts.want = ask_phrase(asked) if asked else ""  # "I want a raise": the ask is the fact the boss names
    return facts
