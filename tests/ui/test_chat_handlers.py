from types import SimpleNamespace

import pytest

from kickcoach.ui.chat_tab import ChatHandlers
from kickcoach.ui.identity import Identity
from tests.conftest import login_request
from tests.support.stored import stored_bytes


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
    assert [b for _, b, _ in updates].count("") == 1 and conversation  # the box is cleared once, when saved
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


def test_old_users_file_is_imported_hashed_and_maps_logins_to_people(tmp_path, services, fast_hashes):
    from kickcoach.ui.identity import NotLoggedIn

    users = tmp_path / "users.yaml"
    # passwords with characters no hash, token or timestamp can contain, so finding one in storage means a leak
    users.write_text('alice: {password: "pw1!plain", pair_id: pair-a}\nbob: {password: "pw2!plain", pair_id: pair-a}\n')
    identity = Identity(services.settings.model_copy(update={"users_file": users}), services.storage)
    alice = identity.speaker(login_request("alice", storage=services.storage))
    bob = identity.speaker(login_request("bob", storage=services.storage))
    assert (alice.pair_id, alice.partner, bob.partner) == ("pair-a", "a", "b")  # file order gives the slots
    assert identity.login.attempt("alice", "pw1!plain", "127.0.0.1") and not identity.login.attempt("alice", "pw2!plain", "127.0.0.1")
    with pytest.raises(NotLoggedIn):
        identity.speaker(login_request("mallory", storage=services.storage))
    data = stored_bytes(services)  # db, WAL, index (or the database server's rows)
    assert b"!plain" not in data and b"$argon2id$" in data
