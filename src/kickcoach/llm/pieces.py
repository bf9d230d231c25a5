"""The base of our own chat models: a backend writes one generator of text pieces, LangChain gets the rest.

``stream`` yields the pieces as chunks (with the token callback), ``invoke`` joins them; a backend that
knows its token counts yields one ``UsageMetadata`` after the text, and it lands on the last chunk (or the
message) with the model's name in ``response_metadata``, as LangChain's usage tracking expects.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

Piece = str | UsageMetadata


def usage(input_tokens: int, output_tokens: int) -> UsageMetadata:
    return UsageMetadata(input_tokens=input_tokens, output_tokens=output_tokens, total_tokens=input_tokens + output_tokens)


class PieceChatModel(BaseChatModel):
    """A chat model defined by :meth:`_pieces`; subclasses may tidy the whole reply in :meth:`_finish`."""

    temperature: float = 0.3
    """Sampling temperature of every backend (``KICKCOACH_TEMPERATURE``); a call's ``temperature=`` overrides it."""

    def _pieces(self, messages: list[BaseMessage], stop: list[str] | None, **kwargs: Any) -> Iterator[Piece]:
        raise NotImplementedError

    def _finish(self, text: str) -> str:
        """The invoked reply from the joined pieces (streams are not tidied: they are shown as they come)."""
        return text

    def _label(self) -> str:
        return str(getattr(self, "model_name", "") or self._llm_type)

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        for piece in self._pieces(messages, stop, **kwargs):
            if isinstance(piece, str):
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
                if run_manager:
                    run_manager.on_llm_new_token(piece, chunk=chunk)
            else:
                chunk = ChatGenerationChunk(
                    message=AIMessageChunk(
                        content="", usage_metadata=piece, response_metadata={"model_name": self._label()}
                    )
                )
            yield chunk

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        texts: list[str] = []
        counted: UsageMetadata | None = None
        for piece in self._pieces(messages, stop, **kwargs):
            if isinstance(piece, str):
                texts.append(piece)
            else:
                counted = piece
        message = AIMessage(
            content=self._finish("".join(texts)), usage_metadata=counted, response_metadata={"model_name": self._label()}
        )
        return ChatResult(generations=[ChatGeneration(message=message)])
