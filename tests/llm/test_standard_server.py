"""LangChain's standard chat-model tests (``langchain-tests``) against our OpenAI-compatible server model.

``ServerChatModel`` talks to a loopback fake server (``tests.support.fake_openai``) that streams a fixed
reply, so the suite's invoke / stream / batch / async / conversation checks exercise our real wire code
(SSE parsing, the first-token timeout, the model-name check) with no model behind it. The suite skips what
the model does not claim (tool calling, ``with_structured_output``, multimodal input).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_tests.integration_tests import ChatModelIntegrationTests
from langchain_tests.unit_tests import ChatModelUnitTests

from kickcoach.llm.openai_compat import ServerChatModel
from tests.support.fake_openai import FakeOpenAIServer, fake_openai

_BASE: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def _server() -> Iterator[FakeOpenAIServer]:
    with fake_openai(reply="Hello from the server.", models=("kc-test",)) as server:
        _BASE["url"] = server.base_url
        yield server


class _Server:
    @property
    def chat_model_class(self) -> type[BaseChatModel]:
        return ServerChatModel

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model_name": "kc-test", "base_url": _BASE.get("url", "http://127.0.0.1:9/v1"), "first_token_timeout_s": 5.0}


class TestServerChatModelUnit(_Server, ChatModelUnitTests):
    pass


class TestServerChatModelIntegration(_Server, ChatModelIntegrationTests):
    @property
    def returns_usage_metadata(self) -> bool:
        return False  # the fake server sends no usage block (real servers do only when asked)
