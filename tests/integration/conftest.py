"""Integration fixtures: the real embedded model and real MiniLM embeddings, offline, shared per session."""

from __future__ import annotations

import pytest

from kickcoach.core.config import Settings
from kickcoach.services import Services


@pytest.fixture(scope="session")
def real_services(tmp_path_factory) -> Services:
    from kickcoach.bootstrap import prepare

    home = tmp_path_factory.mktemp("real-home")
    services = Services(Settings(backend="embedded", embeddings="minilm", home=home, _env_file=None))
    prepare(services)
    return services
