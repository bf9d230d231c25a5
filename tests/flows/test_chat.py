import contextlib
import socket
import threading
import time

import pytest

from kickcoach.core.config import Settings
from kickcoach.flows.chat import CoachChat
from kickcoach.knowledge.embeddings import HashingEmbeddings
from kickcoach.services import Services
from tests.support.ports import free_port

ADVICE = "You should meet every week. Try a shared agenda. Write down your goals tonight."


@pytest.fixture
def coach(services):
    services.storage.ensure_pair("demo", "Demo")
    return CoachChat(services)


def test_engine_reply_is_saved_with_sources_moves_and_metadata(coach, services):
    result = coach.ask("demo", None, "How often should peer mentors meet?")
    assert result.error is None and result.model == "coach-engine"
    assert any(s.source == "meetings-and-follow-up.md" for s in result.sources)
    turns = services.pair("demo").turns(result.conversation_id)
    assert [t.role for t in turns] == ["user", "assistant"]
    saved = turns[1]
    assert saved.content == result.reply and saved.prompt == "coach-engine"
    assert saved.sources and {"source", "heading"} <= set(saved.sources[0])
    assert saved.engine_state["coach"]["act"] == "guidance_question" and saved.latency_s is not None


def _rewording(services):
    services.settings.coach_model_text = "always"
    return CoachChat(services)


def test_model_wording_is_used_when_it_passes_the_gate(services, fake_model):
    services.storage.ensure_pair("demo", "Demo")
    coach = _rewording(services)
    draft = coach.ask("demo", None, "My partner went quiet for two weeks and I feel ignored.").reply
    fake_model.queue(lambda messages: "I hear that your partner went quiet for two weeks, and you feel ignored. "
                                      "What do you make of the silence?")
    result = coach.ask("demo", None, "My partner went quiet for two weeks and I feel ignored.")
    assert result.model_text_used and result.reply.startswith("I hear that") and result.reply != draft
    assert "## Draft" not in result.reply


def test_model_advice_in_an_unasked_turn_is_refused_and_the_engine_reply_stands(services, fake_model):
    services.storage.ensure_pair("demo", "Demo")
    coach = _rewording(services)
    fake_model.queue(lambda messages: "Your partner went quiet for two weeks. You should email him tonight and "
                                      "demand an answer.")
    result = coach.ask("demo", None, "My partner went quiet for two weeks and I feel ignored.")
    assert not result.model_text_used and "advice" in result.gate_failed
    assert "email him" not in result.reply and result.model == "coach-engine"


def test_model_junk_fails_the_gate(services, fake_model):
    services.storage.ensure_pair("demo", "Demo")
    coach = _rewording(services)
    fake_model.queue("I'm glad to hear that! <span class=\"d-blocker\">Due to COVID-19 restrictions</span> you met 3 times.")
    result = coach.ask("demo", None, "I missed the report deadline again and my manager noticed.")
    assert not result.model_text_used
    assert {"markup", "valence", "facts"} <= set(result.gate_failed)
    assert "glad" not in result.reply


def test_backend_failure_is_a_message_and_the_users_words_are_kept(services, fake_model):
    services.storage.ensure_pair("demo", "Demo")
    coach = _rewording(services)

    def boom(messages):
        raise RuntimeError("model crashed")

    fake_model.queue(boom)
    result = coach.ask("demo", None, "Please remember this sentence.")
    assert result.error and "model crashed" in result.error
    assert result.reply  # the engine's reply still stands
    turns = services.pair("demo").turns(result.conversation_id)
    assert turns[0].content == "Please remember this sentence."


def _silent_server() -> tuple[int, threading.Event]:
    """A server that accepts connections and never answers (a hung backend)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    stop = threading.Event()

    def loop():
        conns = []
        server.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(OSError):  # accept timed out: check the stop flag again
                conns.append(server.accept()[0])
        for c in conns:
            c.close()
        server.close()

    threading.Thread(target=loop, daemon=True).start()
    return server.getsockname()[1], stop


@pytest.mark.parametrize("kind", ["stopped", "hung"])
def test_openai_backend_down_gives_a_clear_error_within_10s(tmp_path, kind):
    if kind == "stopped":
        port, stop = free_port(), None
    else:
        port, stop = _silent_server()
    settings = Settings(
        backend="openai:test-model",
        openai_base_url=f"http://127.0.0.1:{port}/v1",
        embeddings="hashing",
        home=tmp_path,
        first_token_timeout_s=2,
        _env_file=None,
    )
    services = Services(settings, embeddings=HashingEmbeddings())
    services.storage.ensure_pair("demo", "Demo")
    started = time.perf_counter()
    result = CoachChat(services).ask("demo", None, "Are you there?")
    elapsed = time.perf_counter() - started
    if stop:
        stop.set()
    assert elapsed < 10
    assert result.reply  # the engine's reply is shown beside the message
    assert result.error and ("Cannot reach" in result.error or "sent nothing in 2 s" in result.error)
    assert "KICKCOACH" in result.error or "try again" in result.error
    assert services.pair("demo").turns(result.conversation_id)[0].content == "Are you there?"
