"""One chat turn driven through each step of ``flows/chat/turn.py`` with small fakes: the order of the steps,
what each one hands the next, and what is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from kickcoach.contracts.files import demo_contract
from kickcoach.contracts.service import save_contract
from kickcoach.flows.chat import CoachChat
from kickcoach.flows.coach.classifier import TurnClassifier
from kickcoach.knowledge.embeddings import HashingEmbeddings
from kickcoach.knowledge.retrieve import Source
from kickcoach.llm.fake import FakeChatModel
from kickcoach.people.context import TurnContext
from kickcoach.safety import SafetyNotice
from kickcoach.services import Services

GUIDANCE = Source(id="g1", kind="guidance", source="meetings-and-follow-up.md", heading="Meetings › How often",
                  text="Most pairs meet every two weeks for about an hour.", score=0.9)


@dataclass
class FakeRetriever:
    calls: list[tuple[str, str]] = field(default_factory=list)
    steps: list[str] | None = None

    def search(self, pair_id: str, query: str, contract: Any, k: int) -> tuple[list[Source], str | None]:
        self.calls.append((pair_id, query))
        if self.steps is not None:
            self.steps.append("retrieve")
        return [GUIDANCE], None


@dataclass
class FakeParts:
    """The few parts a turn needs: real settings and storage, fakes for the model, retriever and safety check."""

    services: Services
    model: FakeChatModel
    retriever: FakeRetriever
    notice: SafetyNotice | None = None
    steps: list[str] = field(default_factory=list)
    heard: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def settings(self):  # type: ignore[no-untyped-def]
        return self.services.settings

    @property
    def storage(self):  # type: ignore[no-untyped-def]
        return self.services.storage

    speaker = None

    @property
    def turn_classifier(self) -> TurnClassifier:
        return self.services.turn_classifier

    def hear(self, text: str | None, *, private: bool = True, again: bool = False) -> SafetyNotice | None:
        self.steps.append("safety")
        ctx_roles = [t.role for c in self.services.pair("demo").conversations() for t in self.services.pair("demo").turns(c.id)]
        self.heard.append((str(text), ctx_roles))
        return self.notice


@pytest.fixture
def parts(settings) -> FakeParts:
    services = Services(settings, embeddings=HashingEmbeddings())
    services.storage.ensure_pair("demo", "Demo pair")
    save_contract(services, demo_contract())
    return FakeParts(services, FakeChatModel(), FakeRetriever())


def test_a_turn_runs_each_step_in_order_and_stores_the_reply_with_its_record(parts, monkeypatch):
    from kickcoach.flows.chat import turn as turn_module

    parts.settings.coach_model_text = "always"
    parts.retriever.steps = parts.steps
    engine_steps = turn_module.CoachEngine
    for step in ("understand", "decide", "compose"):
        real = getattr(engine_steps, step)

        def traced(*args, _real=real, _step=step, **kwargs):  # type: ignore[no-untyped-def]
            parts.steps.append(_step)
            return _real(*args, **kwargs)

        monkeypatch.setattr(engine_steps, step, traced)
    parts.model.queue("You should definitely tell your manager today.")  # advice nobody asked for
    ctx = TurnContext.local(parts.storage, "demo", "a")
    updates = list(CoachChat(parts).run(ctx, None, "I had an awful week at work."))

    assert updates[0].saved and updates[0].text == ""  # the words are stored before anything else
    assert parts.heard == [("I had an awful week at work.", ["user", "assistant"])]  # safety sees them stored
    assert parts.steps == ["safety", "understand", "retrieve", "decide", "compose"]
    assert parts.retriever.calls == [("demo", "I had an awful week at work. (Priya)")]  # steered to the speaker
    assert len(parts.model.calls) == 1  # reword: one model call, through the gate
    result = updates[-1].result
    assert result is not None and result.act and result.moves
    assert not result.model_text_used and "should" not in result.reply  # the gate or the guard kept the engine's
    assert result.gate_failed and result.model == "coach-engine"
    user, reply = ctx.repo.turns(result.conversation_id)
    assert (user.content, reply.content, reply.status) == ("I had an awful week at work.", result.reply, None)
    assert reply.engine_state["coach"]["moves"] == result.moves and reply.engine_state["gate"]["tried"] is True
    assert reply.engine_state["gate"]["failed"] == result.gate_failed


def test_a_turn_that_hears_risk_stops_after_safety_with_the_help_reply(parts):
    parts.notice = SafetyNotice(category="suicide_selfharm", text="Please reach out for help now.", matched="x",
                                signals_version=1, help_version=1)
    ctx = TurnContext.local(parts.storage, "demo", "b")
    result = CoachChat(parts).answer(ctx, None, "I can't go on.")
    assert parts.steps == ["safety"] and parts.retriever.calls == [] and parts.model.calls == []
    assert (result.reply, result.safety, result.moves) == ("Please reach out for help now.", "suicide_selfharm", ["safety"])
    (_, reply) = ctx.repo.turns(result.conversation_id)
    assert reply.engine_state == {"safety": parts.notice.record()} and reply.model == "coach-safety"
