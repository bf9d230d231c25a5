"""The one place that builds the chat model: ``build_chat_model(settings)``.

Backends: ``embedded`` (in-process llama.cpp, bundled SmolLM2 or ``KICKCOACH_GGUF_PATH``),
``openai:<model>`` (any OpenAI-compatible server), ``fake`` (scripted, for tests and demos).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from kickcoach.core.config import Settings


def build_chat_model(settings: Settings) -> BaseChatModel:
    if settings.backend == "fake":
        from kickcoach.llm.fake import FakeChatModel

        return FakeChatModel()
    if settings.backend.startswith("openai:"):
        from kickcoach.llm.openai_compat import build_openai

        return build_openai(settings, settings.backend.removeprefix("openai:"))
    from kickcoach.llm.embedded import EmbeddedChatModel, bundled_gguf_path

    return EmbeddedChatModel(
        model_path=settings.gguf_path or bundled_gguf_path(),
        n_ctx=settings.n_ctx,
        n_threads=settings.n_threads,
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
    )


def model_label(model: BaseChatModel) -> str:
    """A short name for logs and the UI: the GGUF stem, the server's model name, or "fake"."""
    for attr in ("model_name", "model"):
        value = getattr(model, attr, None)
        if isinstance(value, str) and value:
            return value
    return type(model).__name__
