"""LangChain's standard chat-model integration tests (``langchain-tests``) against the embedded model.

The suite reads what to run from the model's own capabilities: no tool calling, structured output
through ``with_structured_output`` or multimodal input here, so those tests skip themselves.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_tests.integration_tests import ChatModelIntegrationTests

from kickcoach.llm.embedded import EmbeddedChatModel, bundled_gguf_path

pytestmark = pytest.mark.integration


class TestEmbeddedChatModelStandard(ChatModelIntegrationTests):
    @property
    def chat_model_class(self) -> type[BaseChatModel]:
        return EmbeddedChatModel

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model_path": bundled_gguf_path(), "max_tokens": 40}
