"""A reply is stored as pending before it is composed and completed after; one cut off (a crash, kill -9,
an abandoned stream) is shown as interrupted when the conversation is loaded again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from kickcoach.bootstrap import prepare
from kickcoach.flows.chat import CoachChat
from kickcoach.storage import repo as repo_module
from kickcoach.storage.models import utcnow
from kickcoach.ui.chat_tab import ChatHandlers
from kickcoach.ui.identity import Identity


@pytest.fixture
def ready(services):
    prepare(services)
    return services


def test_a_completed_turn_leaves_no_pending_row(ready):
    cid = CoachChat(ready).ask("demo", None, "How often should we meet?").conversation_id
    turns = ready.pair("demo").turns(cid)
    assert [(t.role, t.status) for t in turns] == [("user", None), ("assistant", None)]
    assert turns[1].content and turns[1].model == "coach-engine"


def test_the_reply_is_pending_while_it_is_being_written(ready):
    stream = CoachChat(ready).stream("demo", None, "How often should we meet?")
    first = next(stream)
    assert first.saved and first.result is None
    (cid,) = [c.id for c in ready.pair("demo").conversations()]
    assert [(t.role, t.status) for t in ready.pair("demo").turns(cid)] == [("user", None), ("assistant", "pending")]
    shown = ChatHandlers(ready, Identity(ready.settings)).history(cid, SimpleNamespace(username=None))
    assert "still being written" in shown[-1]["content"]
    *_, last = stream
    assert last.result is not None and ready.pair("demo").turns(cid)[-1].status is None


def test_an_abandoned_stream_is_marked_interrupted(ready):
    stream = CoachChat(ready).stream("demo", None, "How often should we meet?")
    next(stream)
    stream.close()  # the page went away mid-turn
    (cid,) = [c.id for c in ready.pair("demo").conversations()]
    reply = ready.pair("demo").turns(cid)[-1]
    assert reply.status == "interrupted" and "interrupted" in reply.error


def test_a_turn_that_fails_midway_is_marked_with_its_reason(ready, monkeypatch):
    from kickcoach.core.errors import BackendUnavailable
    from kickcoach.flows.chat import turn

    def down(*args, **kwargs):
        raise BackendUnavailable("The contract store is down", "start the database")

    monkeypatch.setattr(turn, "find_sources", down)
    with pytest.raises(BackendUnavailable):
        CoachChat(ready).ask("demo", None, "How often should we meet?")
    (cid,) = [c.id for c in ready.pair("demo").conversations()]
    user, reply = ready.pair("demo").turns(cid)
    assert user.content == "How often should we meet?"  # the user's words survive
    assert reply.status == "interrupted" and reply.error.startswith("The contract store is down")


def test_interrupted_replies_stay_out_of_the_coachs_history(ready):
    repo = ready.pair("demo")
    cid = repo.new_conversation()
    repo.add_turn(cid, "user", "First try")
    repo.add_turn(cid, "assistant", "", status="pending", created_at=utcnow() - timedelta(hours=1))
    result = CoachChat(ready).ask("demo", cid, "Second try")
    assert result.reply
    roles = [(t.role, t.status) for t in repo.turns(cid)]
    assert roles == [("user", None), ("assistant", "interrupted"), ("user", None), ("assistant", None)]


def pending_at(services, age: timedelta) -> tuple[str, int]:
    repo = services.pair("demo")
    cid = repo.new_conversation()
    repo.add_turn(cid, "user", "hello")
    return cid, repo.add_turn(cid, "assistant", "", status="pending", created_at=utcnow() - age).id


def test_a_pending_reply_from_before_this_process_started_is_interrupted(ready, monkeypatch):
    monkeypatch.setattr(repo_module, "PROCESS_STARTED", utcnow() - timedelta(seconds=30))
    old_cid, _ = pending_at(ready, timedelta(seconds=31))
    new_cid, _ = pending_at(ready, timedelta(seconds=29))  # another live process may still be writing it
    assert ready.pair("demo").turns(old_cid)[-1].status == "interrupted"
    assert ready.pair("demo").turns(new_cid)[-1].status == "pending"


def test_a_pending_reply_older_than_the_stale_limit_is_interrupted(ready, monkeypatch):
    monkeypatch.setattr(repo_module, "PROCESS_STARTED", utcnow() - timedelta(days=1))  # a long-running server
    limit = repo_module.PENDING_STALE_AFTER
    stale_cid, _ = pending_at(ready, limit + timedelta(seconds=5))
    live_cid, _ = pending_at(ready, limit - timedelta(seconds=5))
    assert ready.pair("demo").turns(stale_cid)[-1].status == "interrupted"
    assert ready.pair("demo").turns(live_cid)[-1].status == "pending"


def test_a_reply_that_finishes_after_being_marked_interrupted_keeps_its_text(ready):
    cid, turn_id = pending_at(ready, timedelta(hours=1))
    repo = ready.pair("demo")
    assert repo.turns(cid)[-1].status == "interrupted"
    repo.finish_turn(turn_id, "Late but complete.", error=None)
    assert (repo.turns(cid)[-1].content, repo.turns(cid)[-1].status) == ("Late but complete.", None)


def test_another_person_cannot_finish_or_interrupt_my_turn(ready):
    from kickcoach.core.errors import NotFound
    from kickcoach.core.person import local_owner

    _, turn_id = pending_at(ready, timedelta(0))
    partner = ready.storage.for_person(local_owner("demo", "b"), "demo")
    with pytest.raises(NotFound):
        partner.finish_turn(turn_id, "not yours")
    with pytest.raises(NotFound):
        partner.interrupt_turn(turn_id)


# --- a real kill -9 mid-reply, then a fresh process loads the conversation ---------------------------
CHILD = textwrap.dedent(
    """
    import sys, time
    from kickcoach.core.config import Settings
    from kickcoach.flows.chat import CoachChat
    from kickcoach.knowledge.embeddings import HashingEmbeddings
    from kickcoach.llm.fake import FakeChatModel
    from kickcoach.services import Services

    class SlowModel(FakeChatModel):
        def _stream(self, messages, stop=None, run_manager=None, **kwargs):
            print("STREAMING", flush=True)  # the reply has begun: the parent kills us now
            time.sleep(120)
            yield from super()._stream(messages, stop, run_manager, **kwargs)

    home = sys.argv[1]
    settings = Settings(backend="fake", embeddings="hashing", home=home, coach_model_text="always", _env_file=None)
    services = Services(settings, model=SlowModel(), embeddings=HashingEmbeddings())
    from kickcoach.bootstrap import prepare
    prepare(services)
    for update in CoachChat(services).stream("demo", None, "I keep missing our meetings."):
        pass
    """
)
RELOAD = textwrap.dedent(
    """
    import json, sys
    from types import SimpleNamespace
    from kickcoach.core.config import Settings
    from kickcoach.services import Services
    from kickcoach.ui.chat_tab import ChatHandlers
    from kickcoach.ui.identity import Identity

    settings = Settings(backend="fake", embeddings="hashing", home=sys.argv[1], _env_file=None)
    services = Services(settings)
    handlers = ChatHandlers(services, Identity(settings))
    request = SimpleNamespace(username=None)
    (title, cid), = handlers.conversations(request)
    print(json.dumps({"shown": handlers.history(cid, request), "api": handlers.api_history(cid, request)}))
    """
)


def _python(code: str, home: Path, **kwargs) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen([sys.executable, "-c", code, str(home)], env=env, text=True, **kwargs)


@pytest.mark.integration
def test_a_reply_cut_by_kill_9_is_shown_as_interrupted_after_a_restart(tmp_path):
    home = tmp_path / "home"
    child = _python(CHILD, home, stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "STREAMING"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    reload = _python(RELOAD, home, stdout=subprocess.PIPE)
    out, _ = reload.communicate(timeout=120)
    assert reload.returncode == 0
    seen = json.loads(out)
    assert seen["shown"][0] == {"role": "user", "content": "I keep missing our meetings."}
    assert seen["shown"][1]["content"].startswith("⚠️ This reply was interrupted")
    assert seen["api"][1]["status"] == "interrupted"


def test_a_cut_off_reply_reads_as_interrupted_even_from_a_read_only_database(ready):
    from kickcoach.knowledge.embeddings import HashingEmbeddings
    from kickcoach.services import Services

    cid, _ = pending_at(ready, timedelta(hours=1))
    settings = ready.settings
    url = (f"sqlite:///file:{settings.home / 'kickcoach.db'}?mode=ro&uri=true" if settings.database_url is None
           else settings.database_url + "?options=-c%20default_transaction_read_only%3Don")
    read_only = Services(settings.model_copy(update={"database_url": url}), embeddings=HashingEmbeddings())
    assert read_only.pair("demo").turns(cid)[-1].status == "interrupted"  # shown so, though nothing could be written
    assert ready.pair("demo").turns(cid)[-1].status == "interrupted"  # (the writable view marks it for good)


def test_marking_never_overwrites_a_reply_another_process_has_just_finished(ready, monkeypatch):
    cid, turn_id = pending_at(ready, timedelta(hours=1))
    repo = ready.pair("demo")
    real_session = ready.storage.session
    calls = {"n": 0}

    def finishing_meanwhile():
        calls["n"] += 1
        if calls["n"] == 2:  # between our read and our marking, the other process completes the reply
            repo.finish_turn(turn_id, "Done after all.")
        return real_session()

    monkeypatch.setattr(ready.storage, "session", finishing_meanwhile)
    repo.turns(cid)
    monkeypatch.undo()
    assert (repo.turns(cid)[-1].content, repo.turns(cid)[-1].status) == ("Done after all.", None)
