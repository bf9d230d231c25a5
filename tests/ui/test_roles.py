"""Who sees which tab: decided from the server-side login, one role at a time."""

from __future__ import annotations

from kickcoach.ui.widgets import PAIR_TABS, first_tab, for_pair, role_of, visible_tabs


def test_each_role_sees_its_own_tabs_only():
    assert visible_tabs("pair") == {*PAIR_TABS, "my-programme"} and "programme" not in visible_tabs("pair")
    assert visible_tabs("facilitator") == {"programme", "help"}
    assert visible_tabs("waiting") == {"my-programme"}
    assert visible_tabs("none") == set()
    assert (first_tab("pair"), first_tab("facilitator"), first_tab("waiting")) == ("chat", "programme", "my-programme")


def test_roles_come_from_the_login(services, people, login):
    from kickcoach.ui.identity import Identity

    identity = Identity(services.settings, services.storage)
    assert role_of(identity, login("priya")) == "pair"
    assert role_of(identity, login("fay")) == "facilitator"
    assert role_of(identity, object()) == "none"  # no login: nothing to show, nothing raised


def test_a_pair_tab_refresh_is_skipped_for_a_facilitator(services, people, login):
    from kickcoach.ui.identity import Identity

    identity = Identity(services.settings, services.storage)
    calls = []
    refresh = for_pair(identity, lambda request: calls.append(request) or ("view", "rows"), 2)
    skipped = refresh(login("fay"))
    assert calls == [] and len(skipped) == 2  # nothing read, nothing raised: no traceback in the log
    assert refresh(login("priya")) == ("view", "rows") and len(calls) == 1
