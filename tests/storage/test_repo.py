import pytest

from kickcoach.core.errors import IsolationError, NotFound


def test_turns_round_trip_with_metadata(services):
    services.storage.ensure_pair("p1", "Pair one")
    repo = services.pair("p1")
    cid = repo.new_conversation()
    repo.add_turn(cid, "user", "How often should we meet?")
    repo.add_turn(cid, "assistant", "Weekly.", sources=[{"source": "a.md", "heading": "H"}], engine_state={"removed": []},
                  model="fake", tokens_in=10, tokens_out=2, latency_s=0.1)
    turns = repo.turns(cid)
    assert [(t.role, t.content) for t in turns] == [("user", "How often should we meet?"), ("assistant", "Weekly.")]
    assert turns[1].sources == [{"source": "a.md", "heading": "H"}] and turns[1].model == "fake"
    assert repo.conversations()[0].title == "How often should we meet?"


def test_history_survives_a_restart(settings):
    from kickcoach.services import Services

    first = Services(settings)
    first.storage.ensure_pair("p1", "Pair one")
    cid = first.pair("p1").new_conversation()
    first.pair("p1").add_turn(cid, "user", "remember me")
    again = Services(settings)
    assert [t.content for t in again.pair("p1").turns(cid)] == ["remember me"]


def test_a_pair_cannot_read_or_write_another_pairs_data(services):
    for pid in ("p1", "p2"):
        services.storage.ensure_pair(pid, pid)
    p1, p2 = services.pair("p1"), services.pair("p2")
    cid = p1.new_conversation()
    p1.add_turn(cid, "user", "P1-CANARY")
    rid = p1.put_record("review", {"secret": "P1-CANARY"})
    p1.save_contract_yaml(1, "draft", "P1-CANARY: yes")
    with pytest.raises(NotFound):
        p2.turns(cid)
    with pytest.raises(NotFound):
        p2.add_turn(cid, "user", "sneaky")
    with pytest.raises(NotFound):
        p2.get_record(rid)
    with pytest.raises(NotFound):
        p2.put_record("review", {"x": 1}, record_id=rid)
    p2.put_record("review", {"x": 1})
    assert p1.get_record(rid).data == {"secret": "P1-CANARY"}
    assert p2.conversations() == [] and p2.records("review")[0].data == {"x": 1}
    assert p2.contract_yaml() is None
    assert [t.content for t in p1.turns(cid)] == ["P1-CANARY"]


@pytest.mark.parametrize("bad", [None, "", " ", "__guidance__"])
def test_storage_requires_a_pair_id(services, bad):
    with pytest.raises(IsolationError):
        services.pair(bad)
