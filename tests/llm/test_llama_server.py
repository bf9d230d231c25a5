"""``python -m kickcoach.llm.llama_server`` is llama_cpp.server with the bundled model by default and llama.cpp's
extra CPU buffer types off while it runs (the AMX-Xeon crash fix of the embedded backend)."""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("llama_cpp.server.__main__", reason="llama-cpp-python's server extra is not installed")


def test_defaults_to_the_bundled_model_and_loads_without_extra_buffers(monkeypatch):
    import llama_cpp.llama_cpp as lib
    import llama_cpp.server.__main__ as server_main

    from kickcoach.llm import llama_server
    from kickcoach.llm.embedded import BUNDLED_GGUF

    seen: dict[str, object] = {}

    def fake_serve() -> None:
        seen["argv"] = list(sys.argv)
        seen["use_extra_bufts"] = lib.llama_model_default_params().use_extra_bufts

    monkeypatch.setattr(server_main, "main", fake_serve)
    monkeypatch.setattr(sys, "argv", ["x"])
    original = lib.llama_model_default_params
    llama_server.main(["--port", "8123"])
    argv = seen["argv"]
    assert isinstance(argv, list) and argv[1] == "--model" and argv[2].endswith(BUNDLED_GGUF)
    assert argv[3:] == ["--model_alias", llama_server.DEFAULT_ALIAS, "--port", "8123"]
    assert seen["use_extra_bufts"] is False
    assert lib.llama_model_default_params is original  # restored when the server stops


def test_an_explicit_model_is_passed_through(monkeypatch):
    import llama_cpp.server.__main__ as server_main

    from kickcoach.llm import llama_server

    seen: list[list[str]] = []
    monkeypatch.setattr(server_main, "main", lambda: seen.append(list(sys.argv)))
    monkeypatch.setattr(sys, "argv", ["x"])
    llama_server.main(["--model", "/models/other.gguf", "--model_alias", "other"])
    assert seen == [["llama_cpp.server", "--model", "/models/other.gguf", "--model_alias", "other"]]
