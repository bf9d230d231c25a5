"""Many users: two `kickcoach ui` processes on two ports share one database (and, on PostgreSQL, one Chroma
server); a conversation started on one continues on the other, through the documented API."""

from __future__ import annotations

import pytest

from tests.support import ui_server

pytestmark = pytest.mark.integration

PEOPLE = [("priya", "priya-password-1", "pair-x", "a"), ("tom", "tom-password-1", "pair-x", "b")]


@pytest.fixture(scope="module")
def chroma(tmp_path_factory):
    from tests.support.chroma_server import ChromaBinaryMissing, start_chroma

    try:
        server = start_chroma(tmp_path_factory.mktemp("chroma"))
    except ChromaBinaryMissing as exc:
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def shared(request, tmp_path):
    """The settings both UI processes share: a SQLite file (each its own embedded index), or PostgreSQL plus
    one Chroma server."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'shared.db'}"
        yield url, {"KICKCOACH_DATABASE_URL": url}
        return
    pg = request.getfixturevalue("postgres_server")
    chroma = request.getfixturevalue("chroma")
    name = f"two_ui_{tmp_path.name[-20:]}".replace("-", "_")
    url = pg.new_database(name)
    yield url, {"KICKCOACH_DATABASE_URL": url, "KICKCOACH_CHROMA_HOST": chroma.host, "KICKCOACH_CHROMA_PORT": str(chroma.port)}
    pg.drop_database(name)


@pytest.fixture
def two_uis(shared, tmp_path):
    url, env = shared
    ui_server.add_accounts(url, PEOPLE)
    with ui_server.running_uis(tmp_path, env) as servers:
        yield servers


def test_a_conversation_started_on_one_process_continues_on_the_other(two_uis):
    from gradio_client import Client

    one, two = two_uis
    on_one = Client(one.url, auth=("priya", "priya-password-1"), verbose=False)
    first = on_one.predict("I keep missing our weekly meetings.", None, api_name="/chat_send")
    assert first["reply"] and not first["error"], first
    cid = first["conversation_id"]

    on_two = Client(two.url, auth=("priya", "priya-password-1"), verbose=False)  # another process, another login
    assert [c["id"] for c in on_two.predict(api_name="/chat_conversations")] == [cid]
    second = on_two.predict("What could help me keep them?", cid, api_name="/chat_send")
    assert second["conversation_id"] == cid and second["reply"] and not second["error"], second

    history = on_one.predict(cid, api_name="/chat_history")  # the first process sees the second's turns
    assert [(t["role"], t.get("status")) for t in history] == [("user", None), ("assistant", None)] * 2
    assert [t["content"] for t in history if t["role"] == "user"] == [
        "I keep missing our weekly meetings.", "What could help me keep them?"]
    assert history[3]["content"] == second["reply"]

    tom = Client(two.url, auth=("tom", "tom-password-1"), verbose=False)  # the partner still sees none of it
    assert tom.predict(api_name="/chat_conversations") == []
