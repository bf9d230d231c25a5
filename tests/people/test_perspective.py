"""The coach knows who is speaking: "my goals" are the speaker's, "my partner" is the other one."""

import pytest

from kickcoach.contracts.files import demo_contract
from kickcoach.people import Person
from kickcoach.people.perspective import about_whom

PRIYA = Person("p1", "priya", pair_id="demo", partner="a")
TOM = Person("p2", "tom", pair_id="demo", partner="b")


@pytest.mark.parametrize(("speaker", "message", "whom"), [
    (PRIYA, "What are my goals?", "a"),
    (TOM, "What are my goals?", "b"),
    (TOM, "What does my partner need from me?", "a"),
    (PRIYA, "What are Tom's indicators?", "b"),
    (TOM, "How is Tom doing on his target?", "b"),
    (PRIYA, "How often should peer mentors meet?", None),
])
def test_about_whom(speaker, message, whom):
    assert about_whom(message, speaker, demo_contract()) == whom



def test_my_goals_come_from_the_speakers_own_contract_part(services, fake_model):
    from kickcoach.bootstrap import prepare
    from kickcoach.flows.chat import CoachChat

    prepare(services)
    contract = demo_contract()
    tom_goal, priya_goal = contract.partner("b").goals[0].what, contract.partner("a").goals[0].what
    for speaker, own, other in ((TOM, "Tom", "Priya"), (PRIYA, "Priya", "Tom")):
        result = CoachChat(services.as_speaker(speaker)).ask("demo", None, "What are my goals?")
        contract_sources = [s for s in result.sources if s.kind == "contract"]
        assert contract_sources and all(s.heading.startswith(f"Contract › {own}") for s in contract_sources), speaker
        assert not any(s.heading.startswith(f"Contract › {other}") for s in result.sources)
    assert tom_goal != priya_goal
