from types import SimpleNamespace

import pytest

from kickcoach.ui.chat_tab import ChatHandlers
from kickcoach.ui.identity import Identity


@pytest.fixture
def handlers(services):
    from kickcoach.bootstrap import prepare

    prepare(services)
    return ChatHandlers(services, Identity(services.settings))


def test_send_streams_then_shows_sources_and_keeps_history(handlers):
    request = SimpleNamespace(username=None)
    updates = list(handlers.send("How often should peer mentors meet?", None, request))
    assert len(updates) >= 3  # placeholder, streamed text, final
    messages, box, conversation = updates[-1]
    assert box == "" and conversation
    assert messages[0] == {"role": "user", "content": "How often should peer mentors meet?"}
    assert "**Sources:**" in messages[1]["content"] and "meetings-and-follow-up.md" in messages[1]["content"]
    assert handlers.history(conversation, request) == messages
    assert handlers.conversations(request)[0][1] == conversation


def test_guard_note_is_visible_under_the_answer(handlers, fake_model, services):
    services.settings.coach_model_text = "always"
    fake_model.queue("That sounds tiring. You should talk to your manager today.")
    *_, (messages, _, conversation) = handlers.send("I had an awful week.", None, SimpleNamespace(username=None))
    assert "talk to your manager" not in messages[-1]["content"]
    assert "1 unrequested suggestion held back" in messages[-1]["content"]


def test_backend_error_is_shown_not_raised(handlers, fake_model, services):
    services.settings.coach_model_text = "always"
    def boom(messages):
        raise RuntimeError("server exploded")

    fake_model.queue(boom)
    *_, (messages, _, conversation) = handlers.send("hello?", None, SimpleNamespace(username=None))
    assert "⚠️" in messages[-1]["content"] and "server exploded" in messages[-1]["content"]
    assert messages[0]["content"] == "hello?"


def test_users_file_maps_logins_to_pairs_server_side(tmp_path, services):
    users = tmp_path / "users.yaml"
    users.write_text("alice: {password: pw1, pair_id: pair-a}\nbob: {password: pw2, pair_id: pair-b}\n")
    identity = Identity(services.settings.model_copy(update={"users_file": users}))
    assert identity.pair_id(SimpleNamespace(username="alice")) == "pair-a"
    assert identity.pair_id(SimpleNamespace(username="bob")) == "pair-b"
    assert identity.auth()("alice", "pw1") and not identity.auth()("alice", "pw2")
    from kickcoach.errors import ConfigError

    with pytest.raises(ConfigError):
        identity.pair_id(SimpleNamespace(username="mallory"))
