import contextlib
import socket
import threading
import time

import pytest

from kickcoach.config import Settings
from kickcoach.flows.chat import IDEAS_INTRO, CoachChat
from kickcoach.knowledge.embeddings import HashingEmbeddings
from kickcoach.services import Services

ADVICE = "You should meet every week. Try a shared agenda. Write down your goals tonight."


@pytest.fixture
def coach(services):
    services.storage.ensure_pair("demo", "Demo")
    return CoachChat(services)


def test_answers_from_guidance_and_saves_both_turns_with_metadata(coach, services):
    result = coach.ask("demo", None, "How often should peer mentors meet?")
    assert result.error is None
    assert result.reply.startswith("From our guidance:")
    assert any(s.source == "meetings-and-follow-up.md" for s in result.sources)
    turns = services.pair("demo").turns(result.conversation_id)
    assert [t.role for t in turns] == ["user", "assistant"]
    saved = turns[1]
    assert saved.content == result.reply and saved.model == "fake" and saved.prompt == "coach/chat@v1"
    assert saved.sources and {"source", "heading"} <= set(saved.sources[0])
    assert saved.tokens_in > 0 and saved.latency_s is not None


def test_prompt_carries_sources_mode_and_history(coach, fake_model):
    first = coach.ask("demo", None, "We set up our contract last week.")
    coach.ask("demo", first.conversation_id, "How often should peer mentors meet?")
    messages = fake_model.calls[-1]["messages"]
    assert "<source" in messages[0].content and "did not ask for advice" in messages[0].content
    assert [m.type for m in messages] == ["system", "human", "ai", "human"]
    assert messages[1].content == "We set up our contract last week."


def test_unrequested_suggestions_are_held_back_and_noted(coach, fake_model, services):
    fake_model.queue("It sounds like a hard week. " + ADVICE)
    result = coach.ask("demo", None, "My partner missed our meeting again and I'm fed up.")
    assert "You should" not in result.reply and "Try a shared agenda" not in result.reply
    assert result.reply.startswith("It sounds like a hard week.")
    assert result.reply.rstrip().endswith("?")  # ends with the permission offer
    assert result.guard_note and "held back" in result.guard_note
    saved = services.pair("demo").turns(result.conversation_id)[-1]
    assert len(saved.guard["removed"]) == 3 and saved.guard["asked"] is False


def test_requested_suggestions_pass(coach, fake_model):
    fake_model.queue(ADVICE)
    result = coach.ask("demo", None, "What should I do to keep our weekly meetings short and focused? Any tips?")
    assert result.asked and result.reply == ADVICE and result.guard_note is None


def test_when_asked_and_the_model_gives_no_suggestion_ideas_come_from_guidance(coach, fake_model):
    fake_model.queue("Meetings matter a lot.")
    result = coach.ask("demo", None, "Can you give me some tips on how often we should meet?")
    assert result.asked
    assert IDEAS_INTRO in result.reply and result.reply.count("\n- ") >= 1


def test_backend_failure_is_a_message_and_the_users_words_are_kept(coach, fake_model, services):
    def boom(messages):
        raise RuntimeError("model crashed")

    fake_model.queue(boom)
    result = coach.ask("demo", None, "Please remember this sentence.")
    assert result.error and "model crashed" in result.error
    turns = services.pair("demo").turns(result.conversation_id)
    assert turns[0].content == "Please remember this sentence."
    assert turns[1].error == result.error


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
        port, stop = _closed_port(), None
    else:
        port, stop = _silent_server()
    settings = Settings(
        backend="openai:test-model",
        openai_base_url=f"http://127.0.0.1:{port}/v1",
        embeddings="hashing",
        home=tmp_path,
        request_timeout_s=3,
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
    assert result.error and ("Cannot reach" in result.error or "did not answer" in result.error)
    assert "KICKCOACH" in result.error or "try again" in result.error
    assert services.pair("demo").turns(result.conversation_id)[0].content == "Are you there?"


def test_an_answer_beside_the_point_gets_the_guidance_quoted(coach, fake_model):
    fake_model.queue("The ideal time is when you both feel refreshed and ready for the next phase.")
    result = coach.ask("demo", None, "How often should peer mentors meet?")
    assert result.reply.startswith("From meetings-and-follow-up.md › How often should peer mentors meet?: “Meet weekly")
    assert "refreshed" not in result.reply  # the ungrounded text is replaced, not kept


def test_a_grounded_answer_is_left_alone(coach, fake_model):
    reply = "Our guidance says to meet weekly for 30 to 45 minutes at first, then every other week."
    fake_model.queue(reply)
    assert coach.ask("demo", None, "How often should peer mentors meet?").reply == reply


def test_venting_gets_no_quote_and_the_offer_stays_last(coach, fake_model):
    fake_model.queue("Bananas are yellow. You should schedule a call today.")
    result = coach.ask("demo", None, "My partner missed our meeting again and I'm fed up.")
    assert "From " not in result.reply and result.reply.endswith("would you like to hear them?")


def test_a_reply_cut_off_mid_sentence_loses_the_fragment(coach, fake_model):
    fake_model.queue("It sounds like the week was long. The contract is a tool that allows partners who")
    result = coach.ask("demo", None, "Long week, honestly.")
    assert result.reply == "It sounds like the week was long."
