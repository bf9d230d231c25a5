"""The client address for throttling: X-Forwarded-For is read only when the peer is a trusted proxy."""

import pytest

from kickcoach.core.config import Settings
from kickcoach.people.addresses import client_address

PROXY = ("127.0.0.1", "10.0.0.0/8")


def test_without_trusted_proxies_the_peer_is_the_client():
    assert client_address("203.0.113.9", ["198.51.100.1"], ()) == "203.0.113.9"


def test_an_untrusted_peer_cannot_name_another_address():
    assert client_address("203.0.113.9", ["198.51.100.1"], PROXY) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client():
    assert client_address("127.0.0.1", ["198.51.100.7"], PROXY) == "198.51.100.7"
    # a client that forged a header: nginx appends the address it saw, which is the one read
    assert client_address("127.0.0.1", ["1.2.3.4, 198.51.100.7"], PROXY) == "198.51.100.7"
    assert client_address("127.0.0.1", ["1.2.3.4", "198.51.100.7, 10.1.2.3"], PROXY) == "198.51.100.7"
    assert client_address("127.0.0.1", [], PROXY) == "127.0.0.1"
    assert client_address("127.0.0.1", ["10.0.0.5"], PROXY) == "127.0.0.1"  # only proxies: the peer


def test_the_setting_is_checked():
    assert Settings(ui_trusted_proxies="127.0.0.1, 10.0.0.0/8", _env_file=None).trusted_proxies == ("127.0.0.1", "10.0.0.0/8")
    with pytest.raises(ValueError):
        Settings(ui_trusted_proxies="not-an-address", _env_file=None)
