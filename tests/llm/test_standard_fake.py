"""LangChain's standard chat-model tests (``langchain-tests``) against the shipped fake model.

Both suites run here: the unit suite (construction, parameters, serialisation) and the integration suite's
invoke / stream / batch / async / conversation checks, which need no real model. The suite skips what the
fake does not claim (tool calling, structured output through ``with_structured_output``, multimodal input).
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_tests.integration_tests import ChatModelIntegrationTests
from langchain_tests.unit_tests import ChatModelUnitTests

from kickcoach.llm.fake import FakeChatModel


class _Fake:
    @property
    def chat_model_class(self) -> type[BaseChatModel]:
        return FakeChatModel

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"responses": ["Hello from the fake model."]}


class TestFakeChatModelUnit(_Fake, ChatModelUnitTests):
    pass


class TestFakeChatModelIntegration(_Fake, ChatModelIntegrationTests):
    @property
    def returns_usage_metadata(self) -> bool:
        return False  # scripted replies: there is no tokenizer to count with
